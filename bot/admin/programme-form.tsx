/** @jsxImportSource hono/jsx */
// The programme form of the back office: every overridable field of the Programme schema, the
// eligibility rules included (publics, stages, territory, population thresholds, closed lists,
// partner country), as labelled inputs. The form maps to Programme fields and back; the schema
// then validates the result and each error is shown next to the input that edits its path.
import { APPLICANT_TYPES, APPLICANT_TYPE_IDS, EPCI_KINDS, ZONES, ZONE_LABELS } from '../../core/applicants.ts'
import { CLOSED_LISTS, CLOSED_LIST_IDS } from '../../core/closed-lists.ts'
import { CALENDAR_KINDS, INSTRUMENTS, INSTRUMENT_LABELS, LEVELS, LEVEL_LABELS, STAGES, STAGE_LABELS, type Programme } from '../../core/programme.ts'
import { THEMES, THEME_IDS } from '../../core/themes.ts'
import { Field } from './views.tsx'

/** Form values: one string per input, a list for checkbox groups. */
export type FormValues = Record<string, string | string[]>

const UNCERTAIN_FIELDS = ['eligibility', 'population', 'territory', 'aid', 'calendar', 'links', 'existence', 'partnerCountry'] as const
const CALENDAR_KIND_LABELS: Record<(typeof CALENDAR_KINDS)[number], string> = { permanent: 'guichet permanent', oneOff: 'appel unique', recurring: 'appel récurrent', ended: 'programme terminé' }
/** Population rows shown: the existing rules plus this many empty ones. */
const SPARE_POPULATION_ROWS = 1

const num = (n: number | undefined) => (n === undefined ? '' : String(n))
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''))
const arr = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : [])

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
    applicants: [...e.applicants], epciKinds: [...(e.epciKinds ?? [])], stages: [...(e.stages ?? [])],
    territoryLabel: t?.label ?? '', territoryZones: [...(t?.zones ?? [])], territoryRegions: (t?.regions ?? []).join(', '), territoryDepartements: (t?.departements ?? []).join(', '),
    territoryCommunes: (t?.communes ?? []).join(', '), territoryExcludedRegions: (t?.excludedRegions ?? []).join(', '), territoryExcludedDepartements: (t?.excludedDepartements ?? []).join(', '),
    closedList: e.closedList ?? '', excludedClosedLists: [...e.excludedClosedLists],
    partnerLabel: e.partnerCountry?.label ?? '', partnerCountries: (e.partnerCountry?.countries ?? []).join(', '), partnerOda: e.partnerCountry?.group === 'oda' ? '1' : '',
    conditions: e.conditions.join('\n'),
    rateMin: num(p.aid.rateMin), rateMax: num(p.aid.rateMax), amountMin: num(p.aid.amountMin), amountMax: num(p.aid.amountMax), aidNotes: p.aid.notes ?? '',
    calendarKind: p.calendar.kind, editionLabel: last?.label ?? '', opensAt: last?.opensAt ?? '', deadlines: (last?.deadlines ?? []).join(', '), estimated: last?.estimated ? '1' : '',
    windowOpens: p.calendar.typicalWindow?.opens ?? '', windowCloses: p.calendar.typicalWindow?.closes ?? '', calendarNote: p.calendar.note ?? '',
    official: p.links.official, apply: p.links.apply ?? '',
    uncertain: p.uncertain.map((u) => `${u.field} : ${u.note}`).join('\n'),
  }
  e.population.forEach((r, i) => {
    v[`pop.${i}.applicants`] = r.applicants.join(', ')
    v[`pop.${i}.zone`] = r.zone ?? ''
    v[`pop.${i}.min`] = num(r.min)
    v[`pop.${i}.max`] = num(r.max)
    v[`pop.${i}.maxExclusive`] = r.maxInclusive === false ? '1' : ''
    v[`pop.${i}.conditionalAbove`] = num(r.conditionalAbove)
    v[`pop.${i}.condition`] = r.condition ?? ''
  })
  for (let i = e.population.length; i < e.population.length + SPARE_POPULATION_ROWS; i++) {
    for (const k of ['applicants', 'zone', 'min', 'max', 'maxExclusive', 'conditionalAbove', 'condition']) v[`pop.${i}.${k}`] = ''
  }
  return v
}

/**
 * The form back into Programme fields (every overridable one), validated afterwards by the
 * schema. Numbers that do not read as numbers stay strings so the schema names the field.
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
  const drop = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))

  const editions = [...p.calendar.editions]
  const edition = drop({ label: opt('editionLabel'), opensAt: opt('opensAt'), deadlines: list('deadlines', /[\s,;]+/), estimated: str(f['estimated']) === '1' })
  if (editions.length) editions[editions.length - 1] = edition as (typeof editions)[number]
  else if ((edition['deadlines'] as string[]).length || edition['opensAt']) editions.push(edition as (typeof editions)[number])
  const windowOpens = opt('windowOpens')
  const windowCloses = opt('windowCloses')

  const population = []
  for (let i = 0; `pop.${i}.applicants` in f; i++) {
    const row = drop({
      applicants: list(`pop.${i}.applicants`, /[\s,;]+/), zone: opt(`pop.${i}.zone`), min: number(`pop.${i}.min`), max: number(`pop.${i}.max`),
      maxInclusive: str(f[`pop.${i}.maxExclusive`]) === '1' ? false : undefined, conditionalAbove: number(`pop.${i}.conditionalAbove`), condition: opt(`pop.${i}.condition`),
    })
    // An untouched spare row is no rule.
    if (Object.keys(row).length === 1 && (row['applicants'] as string[]).length === 0) continue
    population.push(row)
  }

  const territoryLabel = opt('territoryLabel')
  const territoryParts = drop({
    zones: arr(f['territoryZones']).length ? arr(f['territoryZones']) : undefined, regions: codes('territoryRegions'), departements: codes('territoryDepartements'),
    communes: codes('territoryCommunes'), excludedRegions: codes('territoryExcludedRegions'), excludedDepartements: codes('territoryExcludedDepartements'),
  })
  // A territory needs its label; codes without one keep the label field empty so the schema names it.
  const territory = territoryLabel || Object.keys(territoryParts).length ? { label: territoryLabel ?? '', ...territoryParts } : undefined
  const partnerLabel = opt('partnerLabel')
  const partnerCountries = codes('partnerCountries')
  const partnerCountry = partnerLabel || partnerCountries || str(f['partnerOda']) === '1'
    ? drop({ label: partnerLabel ?? '', countries: partnerCountries?.map((c) => c.toUpperCase()), group: str(f['partnerOda']) === '1' ? 'oda' : undefined })
    : undefined

  const uncertain = list('uncertain', /\r?\n/).map((line) => {
    const m = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(line)
    return m ? { field: m[1], note: m[2] } : { field: line, note: '' }
  })

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
      applicants: arr(f['applicants']),
      epciKinds: arr(f['epciKinds']).length ? arr(f['epciKinds']) : undefined,
      population,
      territory,
      closedList: opt('closedList'),
      excludedClosedLists: arr(f['excludedClosedLists']),
      partnerCountry,
      stages: arr(f['stages']).length ? arr(f['stages']) : undefined,
      conditions: list('conditions', /\r?\n/),
    }),
    aid: drop({ rateMin: number('rateMin'), rateMax: number('rateMax'), amountMin: number('amountMin'), amountMax: number('amountMax'), notes: opt('aidNotes') }),
    calendar: drop({
      kind: str(f['calendarKind']) || p.calendar.kind,
      editions,
      typicalWindow: windowOpens || windowCloses ? { opens: windowOpens ?? '', closes: windowCloses ?? '' } : undefined,
      note: opt('calendarNote'),
    }),
    links: drop({ official: str(f['official']).trim(), apply: opt('apply') }),
    uncertain,
  }
}

/** A schema path (`eligibility.population.0.max`, `calendar.editions.0.deadlines.1`) → the form input that edits it. */
export function formFieldOf(path: string): string {
  const [head, a, b, c] = path.split('.')
  switch (head) {
    case 'calendar':
      if (a === 'editions') return c === 'opensAt' ? 'opensAt' : c === 'label' ? 'editionLabel' : c === 'estimated' ? 'estimated' : 'deadlines'
      if (a === 'typicalWindow') return b === 'closes' ? 'windowCloses' : 'windowOpens'
      return a === 'note' ? 'calendarNote' : 'calendarKind'
    case 'aid':
      return a === 'notes' ? 'aidNotes' : a && ['rateMin', 'rateMax', 'amountMin', 'amountMax'].includes(a) ? a : 'aidNotes'
    case 'links':
      return a === 'apply' ? 'apply' : 'official'
    case 'eligibility':
      switch (a) {
        case 'population': {
          const key = c === 'maxInclusive' ? 'maxExclusive' : c && ['applicants', 'zone', 'min', 'max', 'conditionalAbove', 'condition'].includes(c) ? c : 'applicants'
          return b !== undefined ? `pop.${b}.${key}` : 'pop.0.applicants'
        }
        case 'territory': {
          const map: Record<string, string> = { label: 'territoryLabel', zones: 'territoryZones', regions: 'territoryRegions', departements: 'territoryDepartements', communes: 'territoryCommunes', excludedRegions: 'territoryExcludedRegions', excludedDepartements: 'territoryExcludedDepartements' }
          return map[b ?? 'label'] ?? 'territoryLabel'
        }
        case 'partnerCountry':
          return b === 'countries' ? 'partnerCountries' : b === 'group' ? 'partnerOda' : 'partnerLabel'
        case 'applicants': case 'epciKinds': case 'stages': case 'closedList': case 'excludedClosedLists': case 'conditions':
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
        <Checks name="stages" legend="Étapes financées" hint="aucune case = toutes" values={arr(v['stages'])} error={e['stages']} options={opts(STAGES, (st) => STAGE_LABELS[st])} />
        <h3>Territoire</h3>
        <div class="grid">
          <Field name="territoryLabel" label="Territoire (en clair)" hint="vide = partout" value={s('territoryLabel')} error={e['territoryLabel']} />
          <Field name="territoryRegions" label="Codes des régions admises" value={s('territoryRegions')} error={e['territoryRegions']} />
          <Field name="territoryDepartements" label="Codes des départements admis" value={s('territoryDepartements')} error={e['territoryDepartements']} />
          <Field name="territoryCommunes" label="Codes INSEE des communes admises" value={s('territoryCommunes')} error={e['territoryCommunes']} />
          <Field name="territoryExcludedRegions" label="Régions exclues" value={s('territoryExcludedRegions')} error={e['territoryExcludedRegions']} />
          <Field name="territoryExcludedDepartements" label="Départements exclus" value={s('territoryExcludedDepartements')} error={e['territoryExcludedDepartements']} />
        </div>
        <Checks name="territoryZones" legend="Zones admises" hint="aucune case = toutes" values={arr(v['territoryZones'])} error={e['territoryZones']} options={opts(ZONES, (z) => ZONE_LABELS[z])} />
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
          </div>
        ))}
        <h3>Listes fermées et partenaires</h3>
        <div class="grid">
          <Select name="closedList" label="Liste fermée exigée" value={s('closedList')} error={e['closedList']} empty="aucune" options={opts(CLOSED_LIST_IDS, (l) => CLOSED_LISTS[l].label)} />
          <Field name="partnerLabel" label="Partenaire étranger exigé (en clair)" value={s('partnerLabel')} error={e['partnerLabel']} />
          <Field name="partnerCountries" label="Pays partenaires admis (codes ISO, ex. SN, MA)" value={s('partnerCountries')} error={e['partnerCountries']} />
          <Check name="partnerOda" label="Pays éligibles à l'aide publique au développement (liste CAD)" checked={s('partnerOda') === '1'} error={e['partnerOda']} />
        </div>
        <Checks name="excludedClosedLists" legend="Listes dont les membres sont exclus" values={arr(v['excludedClosedLists'])} error={e['excludedClosedLists']} options={opts(CLOSED_LIST_IDS, (l) => CLOSED_LISTS[l].label)} />
        <Field name="conditions" label="Conditions à vérifier" hint="une par ligne" value={s('conditions')} error={e['conditions']} multiline />
      </fieldset>

      <fieldset><legend>Calendrier</legend>
        <div class="grid">
          <Select name="calendarKind" label="Type de calendrier" value={s('calendarKind')} error={e['calendarKind']} options={opts(CALENDAR_KINDS, (k) => CALENDAR_KIND_LABELS[k])} />
          <Field name="editionLabel" label="Édition (la plus récente)" value={s('editionLabel')} error={e['editionLabel']} />
          <Field name="opensAt" label="Ouverture" hint="AAAA-MM-JJ" value={s('opensAt')} error={e['opensAt']} />
          <Field name="deadlines" label="Dates limites" hint="AAAA-MM-JJ, séparées par des virgules" value={s('deadlines')} error={e['deadlines']} />
          <Check name="estimated" label="Dates estimées (à confirmer)" checked={s('estimated') === '1'} error={e['estimated']} />
          <Field name="windowOpens" label="Ouverture habituelle" hint="MM-JJ" value={s('windowOpens')} error={e['windowOpens']} />
          <Field name="windowCloses" label="Clôture habituelle" hint="MM-JJ" value={s('windowCloses')} error={e['windowCloses']} />
        </div>
        <Field name="calendarNote" label="Note de calendrier" value={s('calendarNote')} error={e['calendarNote']} />
      </fieldset>

      <fieldset><legend>Aide</legend>
        <div class="grid">
          <Field name="rateMin" label="Taux min. (%)" value={s('rateMin')} error={e['rateMin']} />
          <Field name="rateMax" label="Taux max. (%)" value={s('rateMax')} error={e['rateMax']} />
          <Field name="amountMin" label="Montant min. (€)" value={s('amountMin')} error={e['amountMin']} />
          <Field name="amountMax" label="Montant max. (€)" value={s('amountMax')} error={e['amountMax']} />
        </div>
        <Field name="aidNotes" label="Notes sur l'aide" value={s('aidNotes')} error={e['aidNotes']} />
      </fieldset>

      <fieldset><legend>Liens</legend>
        <div class="grid">
          <Field name="official" label="Page officielle" type="url" value={s('official')} error={e['official']} />
          <Field name="apply" label="Page de dépôt" type="url" value={s('apply')} error={e['apply']} />
        </div>
      </fieldset>

      <Field name="uncertain" label="Incertitudes affichées" hint={`une par ligne, « partie : ce qui est incertain » ; parties : ${UNCERTAIN_FIELDS.join(', ')}`} value={s('uncertain')} error={e['uncertain']} multiline />
    </>
  )
}

/** Error messages by form input, from schema issues (`path` → message); the first per input wins. */
export function formErrors(issues: readonly { field: string; message: string }[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const i of issues) out[formFieldOf(i.field)] ??= `${i.field} : ${i.message}`
  return out
}
