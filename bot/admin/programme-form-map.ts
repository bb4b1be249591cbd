// The programme form's mapping, without markup: a Programme → the form's values, the values back
// into Programme fields, and a schema path → the input that edits it (for errors beside inputs).
//
// A save must never lose what the form does not show: `formToProgrammeFields` rebuilds every
// field it edits and carries over, unchanged, any key of eligibility / aid / calendar it does
// not know (a schema field added later), so a save that does not touch it keeps it.
import { Document, isScalar, parse as parseYaml, visit } from 'yaml'
import { ValidationError } from '../../core/errors.ts'
import type { Programme } from '../../core/programme.ts'

/** Form values: one string per input, a list for checkbox groups. */
export type FormValues = Record<string, string | string[]>

/** Keys of eligibility, aid, calendar and edition the form edits; any other key is carried over unchanged. */
const ELIGIBILITY_KEYS = ['applicants', 'epciKinds', 'population', 'territory', 'closedList', 'excludedClosedLists', 'partnerCountry', 'stages', 'admitted', 'syndicatKinds', 'scope', 'location', 'budget', 'partners', 'prerequisites', 'conditions']
const AID_KEYS = ['rateMin', 'rateMax', 'amountMin', 'amountMax', 'notes', 'rateByPartnerCategory']
const CALENDAR_KEYS = ['kind', 'editions', 'typicalWindow', 'cycle', 'note']
const EDITION_KEYS = ['label', 'opensAt', 'deadlines', 'estimated', 'final']
const POPULATION_KEYS = ['applicants', 'zone', 'min', 'max', 'maxInclusive', 'conditionalAbove', 'condition', 'unlessAboveMax']
/** Population rows shown: the existing rules plus this many empty ones. */
const SPARE_POPULATION_ROWS = 1

const num = (n: number | undefined) => (n === undefined ? '' : String(n))
export const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))
export const arr = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : [])
/** A list of entries as YAML for a textarea ('' when empty); lists of plain values on one line (`themes: [ecoles, sport]`). */
function yamlOf(list: readonly unknown[]): string {
  if (!list.length) return ''
  const doc = new Document(list)
  visit(doc, { Seq(_key, node, path) { if (path.length > 1 && node.items.every(isScalar)) node.flow = true } })
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false })
}
/** The keys of `o` not in `known`, kept as they are. */
const carried = (o: object | undefined, known: readonly string[]) => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => !known.includes(k)))

const POPULATION_ROW_INPUTS = ['applicants', 'zone', 'min', 'max', 'maxExclusive', 'conditionalAbove', 'condition', 'centreMax', 'densityMax']

export function populationRowCount(v: FormValues): number {
  let n = 0
  while (`pop.${n}.applicants` in v) n++
  return n
}

/** A programme → the values of the form. */
export function programmeToForm(p: Programme): FormValues {
  const last = p.calendar.editions.at(-1)
  const e = p.eligibility
  const t = e.territory
  const v: FormValues = {
    name: p.name, shortName: p.shortName ?? '', funders: p.funders.join('\n'), level: p.level, instruments: [...p.instruments],
    summary: p.summary, themes: [...p.themes], keywords: p.keywords.join(', '), statusNote: p.statusNote ?? '',
    applicants: [...e.applicants], epciKinds: [...(e.epciKinds ?? [])], syndicatKinds: [...(e.syndicatKinds ?? [])], stages: [...(e.stages ?? [])],
    admitted: yamlOf(e.admitted),
    territoryLabel: t?.label ?? '', territoryZones: [...(t?.zones ?? [])], territoryRegions: (t?.regions ?? []).join(', '), territoryDepartements: (t?.departements ?? []).join(', '),
    territoryCommunes: (t?.communes ?? []).join(', '), territoryEpcis: (t?.epcis ?? []).join(', '), territoryExcludedRegions: (t?.excludedRegions ?? []).join(', '),
    territoryExcludedDepartements: (t?.excludedDepartements ?? []).join(', '), territoryExcludedEpciKinds: [...(t?.excludedEpciKinds ?? [])],
    closedList: e.closedList ?? '', excludedClosedLists: [...e.excludedClosedLists],
    partnerLabel: e.partnerCountry?.label ?? '', partnerCountries: (e.partnerCountry?.countries ?? []).join(', '), partnerExcludedCountries: (e.partnerCountry?.excludedCountries ?? []).join(', '),
    partnerOda: e.partnerCountry?.group === 'oda' ? '1' : '',
    partnersLabel: e.partners?.label ?? '', partnersForeign: e.partners?.foreign ? '1' : '', partnersCountries: (e.partners?.countries ?? []).join(', '),
    partnersMinCountries: num(e.partners?.minCountries), partnersMinFrench: num(e.partners?.minFrenchCollectivites),
    scopeLabel: e.scope?.label ?? '', scopeThemes: [...(e.scope?.themes ?? [])], scopeOpenThemes: [...(e.scope?.openThemes ?? [])], scopeExcludedThemes: [...(e.scope?.excludedThemes ?? [])],
    location: e.location ?? '',
    budgetMin: num(e.budget?.min), budgetMax: num(e.budget?.max), budgetBasis: e.budget?.basis ?? '',
    prerequisites: [...e.prerequisites],
    conditions: e.conditions.join('\n'),
    rateMin: num(p.aid.rateMin), rateMax: num(p.aid.rateMax), amountMin: num(p.aid.amountMin), amountMax: num(p.aid.amountMax), aidNotes: p.aid.notes ?? '',
    rateLdc: num(p.aid.rateByPartnerCategory?.ldc), rateOda: num(p.aid.rateByPartnerCategory?.oda), rateOther: num(p.aid.rateByPartnerCategory?.other),
    rateMultiCountry: num(p.aid.rateByPartnerCategory?.multiCountry), rateBasis: p.aid.rateByPartnerCategory?.basis ?? '',
    calendarKind: p.calendar.kind, calendarCycle: p.calendar.cycle ?? 'annual', editionLabel: last?.label ?? '', opensAt: last?.opensAt ?? '', deadlines: (last?.deadlines ?? []).join(', '),
    estimated: last?.estimated ? '1' : '', editionFinal: last?.final ? '1' : '',
    windowOpens: p.calendar.typicalWindow?.opens ?? '', windowCloses: p.calendar.typicalWindow?.closes ?? '', calendarNote: p.calendar.note ?? '',
    proposed: p.adopted ? '' : '1',
    suspensionFrom: p.suspension?.from ?? '', suspensionUntil: p.suspension?.until ?? '', suspensionThemes: [...(p.suspension?.themes ?? [])], suspensionNote: p.suspension?.note ?? '',
    official: p.links.official, apply: p.links.apply ?? '',
    uncertain: p.uncertain.map((u) => `${u.field} : ${u.note}`).join('\n'),
    examples: yamlOf(p.examples),
  }
  e.population.forEach((r, i) => {
    v[`pop.${i}.applicants`] = r.applicants.join(', ')
    v[`pop.${i}.zone`] = r.zone ?? ''
    v[`pop.${i}.min`] = num(r.min)
    v[`pop.${i}.max`] = num(r.max)
    v[`pop.${i}.maxExclusive`] = r.maxInclusive === false ? '1' : ''
    v[`pop.${i}.conditionalAbove`] = num(r.conditionalAbove)
    v[`pop.${i}.condition`] = r.condition ?? ''
    v[`pop.${i}.centreMax`] = num(r.unlessAboveMax?.centreMax)
    v[`pop.${i}.densityMax`] = num(r.unlessAboveMax?.densityMax)
  })
  for (let i = e.population.length; i < e.population.length + SPARE_POPULATION_ROWS; i++) {
    for (const k of POPULATION_ROW_INPUTS) v[`pop.${i}.${k}`] = ''
  }
  return v
}

/**
 * The form back into Programme fields (every overridable one), validated afterwards by the
 * schema. Numbers that do not read as numbers stay strings so the schema names the field. A
 * YAML list that does not parse is refused here (ValidationError naming its field). Keys of
 * eligibility, aid, calendar, population rules and editions the form does not edit come from `p`.
 */
// Over 80 lines: one pass over the inputs in the Programme's field order, its readers (opt, number, list…) closures over the form.
export function formToProgrammeFields(p: Programme, f: FormValues): Record<string, unknown> {
  const opt = (k: string) => (str(f[k]).trim() ? str(f[k]).trim() : undefined)
  const number = (k: string): unknown => {
    const s = str(f[k]).replace(/\s/g, '').replace(',', '.')
    if (!s) return undefined
    const n = Number(s)
    return Number.isFinite(n) ? n : str(f[k])
  }
  const list = (k: string, sep: RegExp) => str(f[k]).split(sep).map((x) => x.trim()).filter(Boolean)
  const codes = (k: string) => {
    const l = list(k, /[\s,;]+/)
    return l.length ? l : undefined
  }
  const upper = (k: string) => codes(k)?.map((c) => c.toUpperCase())
  const checks = (k: string) => (arr(f[k]).length ? arr(f[k]) : undefined)
  const checked = (k: string) => str(f[k]) === '1'
  const drop = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
  const some = (o: Record<string, unknown>) => Object.keys(o).length > 0
  const yamlIssues: { field: string; message: string }[] = []
  const yamlList = (k: string, field: string): unknown => {
    const text = str(f[k])
    if (!text.trim()) return []
    try {
      const value: unknown = parseYaml(text)
      return value === null || value === undefined ? [] : value
    } catch (err) {
      yamlIssues.push({ field, message: `YAML illisible : ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` })
      return []
    }
  }
  const el = p.eligibility

  const editions = [...p.calendar.editions]
  const lastEdition = editions.at(-1)
  const edition = drop({
    ...carried(lastEdition, EDITION_KEYS), label: opt('editionLabel'), opensAt: opt('opensAt'), deadlines: list('deadlines', /[\s,;]+/),
    estimated: checked('estimated'), final: checked('editionFinal') || undefined,
  })
  if (editions.length) editions[editions.length - 1] = edition as (typeof editions)[number]
  else if ((edition['deadlines'] as string[]).length || edition['opensAt'] || edition['label'] || edition['final']) editions.push(edition as (typeof editions)[number])
  const windowOpens = opt('windowOpens')
  const windowCloses = opt('windowCloses')

  const population = []
  for (let i = 0; `pop.${i}.applicants` in f; i++) {
    const unless = drop({ centreMax: number(`pop.${i}.centreMax`), densityMax: number(`pop.${i}.densityMax`) })
    const row = drop({
      applicants: list(`pop.${i}.applicants`, /[\s,;]+/), zone: opt(`pop.${i}.zone`), min: number(`pop.${i}.min`), max: number(`pop.${i}.max`),
      maxInclusive: checked(`pop.${i}.maxExclusive`) ? false : undefined, conditionalAbove: number(`pop.${i}.conditionalAbove`), condition: opt(`pop.${i}.condition`),
      unlessAboveMax: some(unless) ? unless : undefined,
    })
    // An untouched spare row is no rule.
    if (Object.keys(row).length === 1 && (row['applicants'] as string[]).length === 0) continue
    population.push({ ...carried(el.population[i], POPULATION_KEYS), ...row })
  }

  const territoryLabel = opt('territoryLabel')
  const territoryParts = drop({
    zones: checks('territoryZones'), regions: codes('territoryRegions'), departements: codes('territoryDepartements'),
    communes: codes('territoryCommunes'), epcis: codes('territoryEpcis'), excludedRegions: codes('territoryExcludedRegions'), excludedDepartements: codes('territoryExcludedDepartements'),
    excludedEpciKinds: checks('territoryExcludedEpciKinds'),
  })
  // A territory needs its label; codes without one keep the label field empty so the schema names it.
  const territory = territoryLabel || some(territoryParts) ? { label: territoryLabel ?? '', ...territoryParts } : undefined
  const partnerLabel = opt('partnerLabel')
  const partnerParts = drop({ countries: upper('partnerCountries'), excludedCountries: upper('partnerExcludedCountries'), group: checked('partnerOda') ? 'oda' : undefined })
  const partnerCountry = partnerLabel || some(partnerParts) ? { label: partnerLabel ?? '', ...partnerParts } : undefined
  const partnersLabel = opt('partnersLabel')
  const partnersParts = drop({
    foreign: checked('partnersForeign') ? true : undefined, countries: upper('partnersCountries'),
    minCountries: number('partnersMinCountries'), minFrenchCollectivites: number('partnersMinFrench'),
  })
  const partners = partnersLabel || some(partnersParts) ? { label: partnersLabel ?? '', ...partnersParts } : undefined
  const scopeLabel = opt('scopeLabel')
  const scopeParts = drop({ themes: checks('scopeThemes'), openThemes: checks('scopeOpenThemes'), excludedThemes: checks('scopeExcludedThemes') })
  // Without a theme the schema names the themes input (`themes` is required).
  const scope = scopeLabel || some(scopeParts) ? { label: scopeLabel ?? '', themes: [], ...scopeParts } : undefined
  const budgetParts = drop({ min: number('budgetMin'), max: number('budgetMax'), basis: opt('budgetBasis') })
  const budget = some(budgetParts) ? { basis: '', ...budgetParts } : undefined
  const rateParts = drop({ ldc: number('rateLdc'), oda: number('rateOda'), other: number('rateOther'), multiCountry: number('rateMultiCountry'), basis: opt('rateBasis') })
  const rateByPartnerCategory = some(rateParts) ? { basis: '', ...rateParts } : undefined
  const suspensionParts = drop({ from: opt('suspensionFrom'), until: opt('suspensionUntil'), themes: checks('suspensionThemes'), note: opt('suspensionNote') })
  const suspension = some(suspensionParts) ? { from: '', note: '', ...suspensionParts } : null

  const uncertain = list('uncertain', /\r?\n/).map((line) => {
    const m = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(line)
    return m ? { field: m[1], note: m[2] } : { field: line, note: '' }
  })
  const admitted = yamlList('admitted', 'eligibility.admitted')
  const examples = yamlList('examples', 'examples')
  if (yamlIssues.length) throw new ValidationError(yamlIssues)

  return {
    name: str(f['name']),
    shortName: opt('shortName') ?? null,
    funders: list('funders', /\r?\n/),
    level: str(f['level']),
    instruments: arr(f['instruments']),
    summary: str(f['summary']),
    themes: arr(f['themes']),
    keywords: list('keywords', /\s*[,;]\s*/),
    statusNote: opt('statusNote') ?? null,
    eligibility: drop({
      ...carried(el, ELIGIBILITY_KEYS),
      applicants: arr(f['applicants']),
      epciKinds: checks('epciKinds'),
      syndicatKinds: checks('syndicatKinds'),
      admitted,
      population,
      territory,
      closedList: opt('closedList'),
      excludedClosedLists: arr(f['excludedClosedLists']),
      partnerCountry,
      partners,
      stages: checks('stages'),
      scope,
      location: opt('location'),
      budget,
      prerequisites: arr(f['prerequisites']),
      conditions: list('conditions', /\r?\n/),
    }),
    aid: drop({
      ...carried(p.aid, AID_KEYS),
      rateMin: number('rateMin'), rateMax: number('rateMax'), amountMin: number('amountMin'), amountMax: number('amountMax'), notes: opt('aidNotes'), rateByPartnerCategory,
    }),
    calendar: drop({
      ...carried(p.calendar, CALENDAR_KEYS),
      kind: str(f['calendarKind']) || p.calendar.kind,
      editions,
      typicalWindow: windowOpens || windowCloses ? { opens: windowOpens ?? '', closes: windowCloses ?? '' } : undefined,
      // Annual is the default cycle, stored as no value.
      cycle: opt('calendarCycle') === 'irregular' ? 'irregular' : undefined,
      note: opt('calendarNote'),
    }),
    links: drop({ official: str(f['official']).trim(), apply: opt('apply') }),
    uncertain,
    adopted: !checked('proposed'),
    suspension,
    examples,
  }
}

/** A schema path (`eligibility.population.0.max`, `calendar.editions.0.deadlines.1`) → the form input that edits it. */
export function formFieldOf(path: string): string {
  const [head, a, b, c, d] = path.split('.')
  switch (head) {
    case 'calendar':
      if (a === 'editions') return c === 'opensAt' ? 'opensAt' : c === 'label' ? 'editionLabel' : c === 'estimated' ? 'estimated' : c === 'final' ? 'editionFinal' : 'deadlines'
      if (a === 'typicalWindow') return b === 'closes' ? 'windowCloses' : 'windowOpens'
      return a === 'note' ? 'calendarNote' : a === 'cycle' ? 'calendarCycle' : 'calendarKind'
    case 'aid':
      if (a === 'rateByPartnerCategory') return ({ ldc: 'rateLdc', oda: 'rateOda', other: 'rateOther', multiCountry: 'rateMultiCountry' } as Record<string, string>)[b ?? ''] ?? 'rateBasis'
      return a === 'notes' ? 'aidNotes' : a && ['rateMin', 'rateMax', 'amountMin', 'amountMax'].includes(a) ? a : 'aidNotes'
    case 'links':
      return a === 'apply' ? 'apply' : 'official'
    case 'adopted':
      return 'proposed'
    case 'suspension':
      return ({ from: 'suspensionFrom', until: 'suspensionUntil', themes: 'suspensionThemes' } as Record<string, string>)[a ?? ''] ?? 'suspensionNote'
    case 'examples':
      return 'examples'
    case 'eligibility':
      switch (a) {
        case 'population': {
          if (c === 'unlessAboveMax') return `pop.${b}.${d === 'densityMax' ? 'densityMax' : 'centreMax'}`
          const key = c === 'maxInclusive' ? 'maxExclusive' : c && ['applicants', 'zone', 'min', 'max', 'conditionalAbove', 'condition'].includes(c) ? c : 'applicants'
          return b !== undefined ? `pop.${b}.${key}` : 'pop.0.applicants'
        }
        case 'territory': {
          const map: Record<string, string> = {
            label: 'territoryLabel', zones: 'territoryZones', regions: 'territoryRegions', departements: 'territoryDepartements', communes: 'territoryCommunes', epcis: 'territoryEpcis',
            excludedRegions: 'territoryExcludedRegions', excludedDepartements: 'territoryExcludedDepartements', excludedEpciKinds: 'territoryExcludedEpciKinds',
          }
          return map[b ?? 'label'] ?? 'territoryLabel'
        }
        case 'partnerCountry':
          return b === 'countries' ? 'partnerCountries' : b === 'excludedCountries' ? 'partnerExcludedCountries' : b === 'group' ? 'partnerOda' : 'partnerLabel'
        case 'partners':
          return ({ foreign: 'partnersForeign', countries: 'partnersCountries', minCountries: 'partnersMinCountries', minFrenchCollectivites: 'partnersMinFrench' } as Record<string, string>)[b ?? ''] ?? 'partnersLabel'
        case 'scope':
          return ({ themes: 'scopeThemes', openThemes: 'scopeOpenThemes', excludedThemes: 'scopeExcludedThemes' } as Record<string, string>)[b ?? ''] ?? 'scopeLabel'
        case 'budget':
          return b === 'max' ? 'budgetMax' : b === 'basis' ? 'budgetBasis' : 'budgetMin'
        case 'applicants': case 'epciKinds': case 'syndicatKinds': case 'stages': case 'closedList': case 'excludedClosedLists': case 'conditions':
        case 'admitted': case 'location': case 'prerequisites':
          return a
        default:
          return 'applicants'
      }
    default:
      return head ?? 'name'
  }
}

/** Error messages by form input, from schema issues (`path` → message); the first per input wins. */
export function formErrors(issues: readonly { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const i of issues) out[formFieldOf(i.field)] ??= `${i.field} : ${i.message}`
  return out
}
