/** @jsxImportSource hono/jsx */
// The programme form of the back office: every overridable field of the Programme schema, the
// eligibility rules included (publics, admitted statuses, stages, territory, population
// thresholds, closed lists, partner country, partners, scope, location, budget, prerequisites),
// the availability facts (calendar cycle, last edition, adoption, suspension) and the examples,
// as labelled inputs. The form maps to Programme fields and back; the schema then validates the
// result and each error is shown next to the input that edits its path. Lists of structured
// entries (admitted collectivités, examples) are edited as YAML.
//
// A save must never lose what the form does not show: `formToProgrammeFields` rebuilds every
// field it edits and carries over, unchanged, any key of eligibility / aid / calendar it does
// not know (a schema field added later), so a save that does not touch it keeps it.
import { Document, isScalar, parse as parseYaml, visit } from 'yaml'
import { APPLICANT_TYPES, APPLICANT_TYPE_IDS, EPCI_KINDS, SYNDICAT_KINDS, SYNDICAT_KIND_LABELS, ZONES, ZONE_LABELS } from '../../core/applicants.ts'
import { CLOSED_LISTS, CLOSED_LIST_IDS } from '../../core/closed-lists.ts'
import { ValidationError } from '../../core/errors.ts'
import { PREREQUISITES, PREREQUISITE_IDS } from '../../core/prerequisites.ts'
import { CALENDAR_KINDS, INSTRUMENTS, INSTRUMENT_LABELS, LEVELS, LEVEL_LABELS, STAGES, STAGE_LABELS, type Programme } from '../../core/programme.ts'
import { THEMES, THEME_IDS } from '../../core/themes.ts'
import { Field } from './views.tsx'

/** Form values: one string per input, a list for checkbox groups. */
export type FormValues = Record<string, string | string[]>

const UNCERTAIN_FIELDS = ['eligibility', 'population', 'territory', 'aid', 'calendar', 'links', 'existence', 'partnerCountry'] as const
const CALENDAR_KIND_LABELS: Record<(typeof CALENDAR_KINDS)[number], string> = { permanent: 'guichet permanent', oneOff: 'appel unique', recurring: 'appel récurrent', ended: 'programme terminé' }
const CYCLE_LABELS = { annual: 'annuel (une édition attendue chaque cycle)', irregular: 'irrégulier (rien n\'est attendu avant une annonce)' } as const
const LOCATION_LABELS = { france: 'en France (un partenariat européen compte comme tel)', abroad: 'à l\'étranger, chez le partenaire' } as const
/** Keys of eligibility, aid, calendar and edition the form edits; any other key is carried over unchanged. */
const ELIGIBILITY_KEYS = ['applicants', 'epciKinds', 'population', 'territory', 'closedList', 'excludedClosedLists', 'partnerCountry', 'stages', 'admitted', 'syndicatKinds', 'scope', 'location', 'budget', 'partners', 'prerequisites', 'conditions']
const AID_KEYS = ['rateMin', 'rateMax', 'amountMin', 'amountMax', 'notes', 'rateByPartnerCategory']
const CALENDAR_KEYS = ['kind', 'editions', 'typicalWindow', 'cycle', 'note']
const EDITION_KEYS = ['label', 'opensAt', 'deadlines', 'estimated', 'final']
const POPULATION_KEYS = ['applicants', 'zone', 'min', 'max', 'maxInclusive', 'conditionalAbove', 'condition', 'unlessAboveMax']
/** Population rows shown: the existing rules plus this many empty ones. */
const SPARE_POPULATION_ROWS = 1

const num = (n: number | undefined) => (n === undefined ? '' : String(n))
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))
const arr = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : [])
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

/** A group of checkboxes in a fieldset, its error linked from the fieldset. */
function Checks({ name, legend, options, values, error, hint }: { name: string; legend: string; options: readonly { value: string; label: string }[]; values: string[]; error?: string | undefined; hint?: string }) {
  const id = `f-${name}`
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <fieldset id={id} tabindex={-1} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
      <legend>{legend}</legend>
      {hint ? <p id={`${id}-hint`} class="hint">{hint}</p> : null}
      <div class="checks">
        {options.map((o, i) => (
          <label class="check"><input type="checkbox" id={`${id}-${i}`} name={name} value={o.value} checked={values.includes(o.value)} /> {o.label}</label>
        ))}
      </div>
      {error ? <p id={`${id}-error`} class="error">{error}</p> : null}
    </fieldset>
  )
}

function Select({ name, label, options, value, error, empty }: { name: string; label: string; options: readonly { value: string; label: string }[]; value: string; error?: string | undefined; empty?: string }) {
  const id = `f-${name}`
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => <option value={o.value} selected={value === o.value}>{o.label}</option>)}
      </select>
      {error ? <p id={`${id}-error`} class="error">{error}</p> : null}
    </div>
  )
}

function Check({ name, label, checked, error }: { name: string; label: string; checked: boolean; error?: string | undefined }) {
  const id = `f-${name}`
  return (
    <div>
      <label class="check" for={id}><input type="checkbox" id={id} name={name} value="1" checked={checked} aria-describedby={error ? `${id}-error` : undefined} /> {label}</label>
      {error ? <p id={`${id}-error`} class="error">{error}</p> : null}
    </div>
  )
}

const opts = <T extends string>(ids: readonly T[], label: (id: T) => string) => ids.map((id) => ({ value: id, label: label(id) }))

/** Every input of the programme form (the caller wraps it in a <form> with its CSRF token and button). */
export function ProgrammeFields({ v, e, withId = false }: { v: FormValues; e: Record<string, string>; withId?: boolean }) {
  const s = (k: string) => str(v[k])
  const rows = Math.max(populationRowCount(v), 1)
  return (
    <>
      <fieldset><legend>Identité</legend>
        <div class="grid">
          {withId ? <Field name="id" label="Identifiant" hint="minuscules, chiffres, _ ou - ; ne change plus ensuite" value={s('id')} error={e['id']} /> : null}
          <Field name="name" label="Nom" value={s('name')} error={e['name']} />
          <Field name="shortName" label="Nom court" value={s('shortName')} error={e['shortName']} />
          <Select name="level" label="Niveau" value={s('level')} error={e['level']} options={opts(LEVELS, (l) => LEVEL_LABELS[l])} />
        </div>
        <Field name="funders" label="Financeurs" hint="un par ligne" value={s('funders')} error={e['funders']} multiline />
        <Checks name="instruments" legend="Instruments" values={arr(v['instruments'])} error={e['instruments']} options={opts(INSTRUMENTS, (i) => INSTRUMENT_LABELS[i])} />
        <Field name="summary" label="Résumé" value={s('summary')} error={e['summary']} multiline />
        <Checks name="themes" legend="Thèmes" values={arr(v['themes'])} error={e['themes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <Field name="keywords" label="Mots-clés" hint="séparés par des virgules" value={s('keywords')} error={e['keywords']} />
        <Field name="statusNote" label="Actualité du programme" value={s('statusNote')} error={e['statusNote']} />
      </fieldset>

      <fieldset><legend>Éligibilité</legend>
        <Checks name="applicants" legend="Porteurs admis" values={arr(v['applicants'])} error={e['applicants']} options={opts(APPLICANT_TYPE_IDS, (a) => APPLICANT_TYPES[a].label)} />
        <Checks name="epciKinds" legend="Catégories d'EPCI admises" hint="aucune case = toutes" values={arr(v['epciKinds'])} error={e['epciKinds']} options={opts(EPCI_KINDS, (k) => k)} />
        <Checks name="syndicatKinds" legend="Types de syndicats admis" hint="aucune case = tous" values={arr(v['syndicatKinds'])} error={e['syndicatKinds']} options={opts(SYNDICAT_KINDS, (k) => SYNDICAT_KIND_LABELS[k])} />
        <Field name="admitted" label="Collectivités admises en plus des types de porteurs (YAML)" multiline rows={5} value={s('admitted')} error={e['admitted']}
          hint="statuts particuliers, villes retenues : une entrée par collectivité, « - label: Collectivité de Corse » puis regions, departements, epcis (SIREN) ou communes (INSEE) entre guillemets, ex. « regions: ['94'] » ; vide = aucune" />
        <Checks name="stages" legend="Étapes financées" hint="aucune case = toutes" values={arr(v['stages'])} error={e['stages']} options={opts(STAGES, (st) => STAGE_LABELS[st])} />
        <h3>Territoire</h3>
        <div class="grid">
          <Field name="territoryLabel" label="Territoire (en clair)" hint="vide = partout" value={s('territoryLabel')} error={e['territoryLabel']} />
          <Field name="territoryRegions" label="Codes des régions admises" value={s('territoryRegions')} error={e['territoryRegions']} />
          <Field name="territoryDepartements" label="Codes des départements admis" value={s('territoryDepartements')} error={e['territoryDepartements']} />
          <Field name="territoryCommunes" label="Codes INSEE des communes admises" value={s('territoryCommunes')} error={e['territoryCommunes']} />
          <Field name="territoryEpcis" label="SIREN des intercommunalités admises" hint="avec les communes : l'une ou l'autre liste suffit" value={s('territoryEpcis')} error={e['territoryEpcis']} />
          <Field name="territoryExcludedRegions" label="Régions exclues" value={s('territoryExcludedRegions')} error={e['territoryExcludedRegions']} />
          <Field name="territoryExcludedDepartements" label="Départements exclus" value={s('territoryExcludedDepartements')} error={e['territoryExcludedDepartements']} />
        </div>
        <Checks name="territoryZones" legend="Zones admises" hint="aucune case = toutes" values={arr(v['territoryZones'])} error={e['territoryZones']} options={opts(ZONES, (z) => ZONE_LABELS[z])} />
        <Checks name="territoryExcludedEpciKinds" legend="Catégories d'EPCI exclues (« hors métropole »)" hint="une commune membre d'un tel EPCI, ou l'EPCI lui-même, est écartée" values={arr(v['territoryExcludedEpciKinds'])} error={e['territoryExcludedEpciKinds']} options={opts(EPCI_KINDS, (k) => k)} />
        <h3>Seuils de population</h3>
        <p class="hint">Une ligne par règle ; une ligne laissée vide n'est pas enregistrée. Porteurs : identifiants séparés par des virgules ({APPLICANT_TYPE_IDS.join(', ')}).</p>
        {Array.from({ length: rows }, (_, i) => (
          <div class="card" role="group" aria-label={`Seuil de population ${i + 1}`}>
            <div class="grid">
              <Field name={`pop.${i}.applicants`} label={`Règle ${i + 1} : porteurs`} value={s(`pop.${i}.applicants`)} error={e[`pop.${i}.applicants`]} />
              <Select name={`pop.${i}.zone`} label={`Règle ${i + 1} : zone`} value={s(`pop.${i}.zone`)} error={e[`pop.${i}.zone`]} empty="toutes" options={opts(ZONES, (z) => ZONE_LABELS[z])} />
              <Field name={`pop.${i}.min`} label={`Règle ${i + 1} : population minimale`} value={s(`pop.${i}.min`)} error={e[`pop.${i}.min`]} />
              <Field name={`pop.${i}.max`} label={`Règle ${i + 1} : population maximale`} value={s(`pop.${i}.max`)} error={e[`pop.${i}.max`]} />
              <Check name={`pop.${i}.maxExclusive`} label={`Règle ${i + 1} : plafond exclu (« moins de »)`} checked={s(`pop.${i}.maxExclusive`) === '1'} error={e[`pop.${i}.maxExclusive`]} />
              <Field name={`pop.${i}.conditionalAbove`} label={`Règle ${i + 1} : sous condition au-delà de`} value={s(`pop.${i}.conditionalAbove`)} error={e[`pop.${i}.conditionalAbove`]} />
            </div>
            <Field name={`pop.${i}.condition`} label={`Règle ${i + 1} : condition`} value={s(`pop.${i}.condition`)} error={e[`pop.${i}.condition`]} />
            <div class="grid">
              <Field name={`pop.${i}.centreMax`} label={`Règle ${i + 1} : au-delà du maximum, éligible si la commune-centre a au plus (hab.)`} value={s(`pop.${i}.centreMax`)} error={e[`pop.${i}.centreMax`]} />
              <Field name={`pop.${i}.densityMax`} label={`Règle ${i + 1} : au-delà du maximum, éligible si la densité est d'au plus (hab./km²)`} value={s(`pop.${i}.densityMax`)} error={e[`pop.${i}.densityMax`]} />
            </div>
          </div>
        ))}
        <h3>Listes fermées et partenaires</h3>
        <div class="grid">
          <Select name="closedList" label="Liste fermée exigée" value={s('closedList')} error={e['closedList']} empty="aucune" options={opts(CLOSED_LIST_IDS, (l) => CLOSED_LISTS[l].label)} />
          <Field name="partnerLabel" label="Partenaire étranger exigé (en clair)" value={s('partnerLabel')} error={e['partnerLabel']} />
          <Field name="partnerCountries" label="Pays partenaires admis (codes ISO, ex. SN, MA)" value={s('partnerCountries')} error={e['partnerCountries']} />
          <Field name="partnerExcludedCountries" label="Pays partenaires exclus (codes ISO)" value={s('partnerExcludedCountries')} error={e['partnerExcludedCountries']} />
          <Check name="partnerOda" label="Pays éligibles à l'aide publique au développement (liste CAD)" checked={s('partnerOda') === '1'} error={e['partnerOda']} />
        </div>
        <Checks name="excludedClosedLists" legend="Listes dont les membres sont exclus" values={arr(v['excludedClosedLists'])} error={e['excludedClosedLists']} options={opts(CLOSED_LIST_IDS, (l) => CLOSED_LISTS[l].label)} />
        <h3>Partenariat exigé</h3>
        <div class="grid">
          <Field name="partnersLabel" label="Partenariat exigé (en clair)" hint="vide = aucun" value={s('partnersLabel')} error={e['partnersLabel']} />
          <Check name="partnersForeign" label="Au moins un partenaire d'un autre pays" checked={s('partnersForeign') === '1'} error={e['partnersForeign']} />
          <Field name="partnersCountries" label="Au moins un partenaire de l'un de ces pays (codes ISO, ex. ES, AD)" value={s('partnersCountries')} error={e['partnersCountries']} />
          <Field name="partnersMinCountries" label="Nombre minimal de pays, France comprise" value={s('partnersMinCountries')} error={e['partnersMinCountries']} />
          <Field name="partnersMinFrench" label="Nombre minimal de collectivités françaises, porteur compris" value={s('partnersMinFrench')} error={e['partnersMinFrench']} />
        </div>
        <h3>Champ du projet</h3>
        <Field name="scopeLabel" label="Champ du programme (en clair)" hint="vide = pas de champ : les thèmes classent seulement" value={s('scopeLabel')} error={e['scopeLabel']} />
        <Checks name="scopeThemes" legend="Thèmes du champ : le projet doit porter sur l'un d'eux" values={arr(v['scopeThemes'])} error={e['scopeThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <Checks name="scopeOpenThemes" legend="Thèmes qui laissent la question ouverte (Guichet demande)" values={arr(v['scopeOpenThemes'])} error={e['scopeOpenThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <Checks name="scopeExcludedThemes" legend="Thèmes hors champ" values={arr(v['scopeExcludedThemes'])} error={e['scopeExcludedThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <div class="grid">
          <Select name="location" label="Lieu du projet" value={s('location')} error={e['location']} empty="indifférent" options={opts(['france', 'abroad'] as const, (l) => LOCATION_LABELS[l])} />
          <Field name="budgetMin" label="Coût total minimal du projet (€)" value={s('budgetMin')} error={e['budgetMin']} />
          <Field name="budgetMax" label="Coût total maximal du projet (€)" value={s('budgetMax')} error={e['budgetMax']} />
        </div>
        <Field name="budgetBasis" label="D'où vient le seuil de coût" hint="requis avec un coût minimal ou maximal" value={s('budgetBasis')} error={e['budgetBasis']} />
        <Checks name="prerequisites" legend="Prérequis que la collectivité doit déjà remplir" values={arr(v['prerequisites'])} error={e['prerequisites']} options={opts(PREREQUISITE_IDS, (x) => PREREQUISITES[x].label)} />
        <Field name="conditions" label="Conditions à vérifier" hint="une par ligne" value={s('conditions')} error={e['conditions']} multiline />
      </fieldset>

      <fieldset><legend>Calendrier</legend>
        <div class="grid">
          <Select name="calendarKind" label="Type de calendrier" value={s('calendarKind')} error={e['calendarKind']} options={opts(CALENDAR_KINDS, (k) => CALENDAR_KIND_LABELS[k])} />
          <Field name="editionLabel" label="Édition (la plus récente)" value={s('editionLabel')} error={e['editionLabel']} />
          <Field name="opensAt" label="Ouverture" hint="AAAA-MM-JJ" value={s('opensAt')} error={e['opensAt']} />
          <Field name="deadlines" label="Dates limites" hint="AAAA-MM-JJ, séparées par des virgules" value={s('deadlines')} error={e['deadlines']} />
          <Check name="estimated" label="Dates estimées (à confirmer)" checked={s('estimated') === '1'} error={e['estimated']} />
          <Check name="editionFinal" label="Édition annoncée comme la dernière" checked={s('editionFinal') === '1'} error={e['editionFinal']} />
          <Select name="calendarCycle" label="Rythme d'un appel récurrent" value={s('calendarCycle') || 'annual'} error={e['calendarCycle']} options={opts(['annual', 'irregular'] as const, (k) => CYCLE_LABELS[k])} />
          <Field name="windowOpens" label="Ouverture habituelle" hint="MM-JJ" value={s('windowOpens')} error={e['windowOpens']} />
          <Field name="windowCloses" label="Clôture habituelle" hint="MM-JJ" value={s('windowCloses')} error={e['windowCloses']} />
        </div>
        <Field name="calendarNote" label="Note de calendrier" value={s('calendarNote')} error={e['calendarNote']} />
      </fieldset>

      <fieldset><legend>Adoption et suspension</legend>
        <Check name="proposed" label="Mesure seulement proposée, pas adoptée (jamais présentée comme obtenable)" checked={s('proposed') === '1'} error={e['proposed']} />
        <div class="grid">
          <Field name="suspensionFrom" label="Suspendu depuis" hint="AAAA-MM-JJ ; vide = pas de suspension" value={s('suspensionFrom')} error={e['suspensionFrom']} />
          <Field name="suspensionUntil" label="Reprise annoncée" hint="AAAA-MM-JJ" value={s('suspensionUntil')} error={e['suspensionUntil']} />
        </div>
        <Field name="suspensionNote" label="Ce qui est suspendu" value={s('suspensionNote')} error={e['suspensionNote']} />
        <Checks name="suspensionThemes" legend="Thèmes seuls suspendus" hint="aucune case = tout le programme" values={arr(v['suspensionThemes'])} error={e['suspensionThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
      </fieldset>

      <fieldset><legend>Aide</legend>
        <div class="grid">
          <Field name="rateMin" label="Taux min. (%)" value={s('rateMin')} error={e['rateMin']} />
          <Field name="rateMax" label="Taux max. (%)" value={s('rateMax')} error={e['rateMax']} />
          <Field name="amountMin" label="Montant min. (€)" value={s('amountMin')} error={e['amountMin']} />
          <Field name="amountMax" label="Montant max. (€)" value={s('amountMax')} error={e['amountMax']} />
        </div>
        <Field name="aidNotes" label="Notes sur l'aide" value={s('aidNotes')} error={e['aidNotes']} />
        <h3>Taux maximal selon le pays partenaire</h3>
        <div class="grid">
          <Field name="rateLdc" label="Pays parmi les moins avancés (%)" value={s('rateLdc')} error={e['rateLdc']} />
          <Field name="rateOda" label="Autre pays éligible à l'APD (%)" value={s('rateOda')} error={e['rateOda']} />
          <Field name="rateOther" label="Pays non éligible à l'APD (%)" value={s('rateOther')} error={e['rateOther']} />
          <Field name="rateMultiCountry" label="Projet multi-pays (%)" value={s('rateMultiCountry')} error={e['rateMultiCountry']} />
        </div>
        <Field name="rateBasis" label="Règle des taux par pays et son année" hint="requise avec un taux par pays, ex. « règles 2025 du MEAE »" value={s('rateBasis')} error={e['rateBasis']} />
      </fieldset>

      <fieldset><legend>Liens</legend>
        <div class="grid">
          <Field name="official" label="Page officielle" type="url" value={s('official')} error={e['official']} />
          <Field name="apply" label="Page de dépôt" type="url" value={s('apply')} error={e['apply']} />
        </div>
      </fieldset>

      <Field name="uncertain" label="Incertitudes affichées" hint={`une par ligne, « partie : ce qui est incertain » ; parties : ${UNCERTAIN_FIELDS.join(', ')}`} value={s('uncertain')} error={e['uncertain']} multiline />

      <Field name="examples" label="Exemples (YAML)" multiline rows={12} value={s('examples')} error={e['examples']}
        hint="une entrée par cas, rejouée par l'évaluateur : about (le cas en une phrase), la collectivité (commune, epci, departement ou region, code entre guillemets), les faits du projet (themes, stage, budget…), date (AAAA-MM-JJ), expect (eligible, unknown ou ineligible) et rule (la règle qui écarte ou dont le fait manque)" />
    </>
  )
}

/** Error messages by form input, from schema issues (`path` → message); the first per input wins. */
export function formErrors(issues: readonly { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const i of issues) out[formFieldOf(i.field)] ??= `${i.field} : ${i.message}`
  return out
}
