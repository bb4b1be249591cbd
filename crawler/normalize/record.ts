// Turns a source's draft into a validated Programme, or into RecordErrors naming the field and
// the raw value. One collector per parse: records and errors accumulate, one bad record never
// stops the others. Every source goes through here, so the rules of a crawled record live once:
// id `<source>-<slug>`, provenance `crawled`, ≥1 applicant (collectivités + "à vérifier" when the
// source says nothing), ≥1 theme, no `verifiedAt`, calendar editions in order.
import type { ApplicantType } from '../../core/applicants.ts'
import { ProgrammeSchema, type Instrument, type Level, type Programme, type Stage } from '../../core/programme.ts'
import type { ThemeId } from '../../core/themes.ts'
import type { ParseContext, ParseResult, RecordError } from '../types.ts'
import { COLLECTIVITE_TYPES, UNSPECIFIED_APPLICANTS_CONDITION, applicantsFromLabels } from './applicants.ts'
import { toParisDay } from './dates.ts'
import { extractAmounts, extractRates } from './prose.ts'
import type { TerritoryGuess } from './territory.ts'
import { slugify, truncate } from './text.ts'
import { absoluteUrl } from './urls.ts'

type UncertainField = 'eligibility' | 'population' | 'territory' | 'aid' | 'calendar' | 'links' | 'existence' | 'partnerCountry'

export interface DraftEdition {
  label?: string
  opensAt?: string
  deadlines: string[]
}

export interface Draft {
  /** The source's own id of the record (for error lines). */
  recordId: string
  /** Stable part of the Programme id: a slug, a reference or a numeric id. */
  idPart: string
  name: string | undefined
  shortName?: string
  funders: string[]
  level: Level
  instruments: Instrument[]
  /** Plain text (already through htmlToText); cut to a summary here. */
  description?: string
  themes: [ThemeId, ...ThemeId[]]
  keywords?: string[]
  applicants: ApplicantType[]
  conditions?: string[]
  /** Project stages funded; absent = all. */
  stages?: Stage[]
  territory?: TerritoryGuess
  partnerCountry?: { label: string; group?: 'oda'; countries?: string[] }
  aid?: { rateMin?: number; rateMax?: number; amountMin?: number; amountMax?: number; notes?: string }
  calendar: { kind: 'permanent' | 'oneOff' | 'recurring' | 'ended'; editions: DraftEdition[]; note?: string }
  officialUrl: string | undefined
  applyUrl?: string
  /** The record's page at the source (provenance); defaults to the official URL. */
  originUrl?: string
  uncertain?: { field: UncertainField; note: string }[]
  statusNote?: string
}

const SUMMARY_MAX = 600
const CONDITION_MAX = 400

export interface Collector {
  readonly source: string
  error(recordId: string | undefined, field: string, message: string, raw: unknown): void
  /** A day from any date format, or undefined (reported when present but unreadable). */
  day(recordId: string, field: string, raw: unknown): string | undefined
  /** An absolute URL, or undefined (reported when present but unreadable). */
  url(recordId: string, field: string, raw: unknown, base?: string): string | undefined
  /**
   * Applicants from the source's labels. Empty labels → collectivités + a condition "à vérifier".
   * Labels that only name audiences Guichet does not serve → null (the record is reported, not kept).
   */
  applicants(recordId: string, field: string, labels: readonly string[]): { applicants: ApplicantType[]; conditions: string[] } | null
  /** Validates and keeps the record, or reports every failing field. */
  finish(draft: Draft): Programme | undefined
  result(): ParseResult
}

export function createCollector(source: string, ctx: ParseContext): Collector {
  const records: Programme[] = []
  const errors: RecordError[] = []
  const ids = new Set<string>()

  const error: Collector['error'] = (recordId, field, message, raw) => {
    errors.push({ source, ...(recordId !== undefined ? { recordId } : {}), field, message, raw })
  }

  return {
    source,
    error,
    day(recordId, field, raw) {
      if (raw === null || raw === undefined || raw === '') return undefined
      const r = toParisDay(raw)
      if (r.ok) return r.day
      error(recordId, field, r.reason, raw)
      return undefined
    },
    url(recordId, field, raw, base) {
      if (raw === null || raw === undefined || raw === '') return undefined
      const r = absoluteUrl(raw, base)
      if (r.ok) return r.url
      error(recordId, field, r.reason, raw)
      return undefined
    },
    applicants(recordId, field, labels) {
      const mapped = applicantsFromLabels(labels)
      for (const label of mapped.unknown) error(recordId, field, 'public non reconnu (ignoré)', label)
      if (mapped.applicants.length) return { applicants: mapped.applicants, conditions: [] }
      if (mapped.setAside.length) {
        error(recordId, field, `aucun public servi par Guichet (${mapped.setAside.join(', ')}) : fiche ignorée`, labels)
        return null
      }
      return { applicants: [...COLLECTIVITE_TYPES], conditions: [UNSPECIFIED_APPLICANTS_CONDITION] }
    },
    finish(draft) {
      const candidate = toCandidate(source, ctx, draft, error)
      if (!candidate) return undefined
      if (ids.has(candidate.id as string)) {
        error(draft.recordId, 'id', 'identifiant en double dans la réponse : seconde fiche ignorée', candidate.id)
        return undefined
      }
      const parsed = ProgrammeSchema.safeParse(candidate)
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const field = issue.path.map(String).join('.') || '(fiche)'
          error(draft.recordId, field, `${issue.message} : fiche ignorée`, valueAt(candidate, issue.path))
        }
        return undefined
      }
      ids.add(parsed.data.id)
      records.push(parsed.data)
      for (const e of errors) if (e.recordId === draft.recordId && e.programmeId === undefined) e.programmeId = parsed.data.id
      return parsed.data
    },
    result: () => ({ records, errors }),
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

function toCandidate(source: string, ctx: ParseContext, d: Draft, error: Collector['error']): Record<string, unknown> | undefined {
  if (!d.name) {
    error(d.recordId, 'name', 'nom absent : fiche ignorée', d.name ?? null)
    return undefined
  }
  if (!d.officialUrl) {
    error(d.recordId, 'links.official', 'lien officiel absent ou illisible : fiche ignorée', d.officialUrl ?? null)
    return undefined
  }
  const uncertain = [...(d.uncertain ?? [])]
  const slug = slugify(d.idPart) || slugify(d.name)

  const editions = d.calendar.editions.map((e) => {
    const deadlines = [...new Set(e.deadlines)].sort()
    let opensAt = e.opensAt
    if (opensAt && deadlines[0] && opensAt > deadlines[0]) {
      uncertain.push({ field: 'calendar', note: `Date d'ouverture (${opensAt}) postérieure à la date limite (${deadlines[0]}) dans la source : ouverture à vérifier.` })
      opensAt = undefined
    }
    return { ...(e.label ? { label: e.label } : {}), ...(opensAt ? { opensAt } : {}), deadlines, estimated: false }
  })

  const conditions = [...new Set((d.conditions ?? []).map((c) => truncate(c, CONDITION_MAX)).filter(Boolean))]
  const applicants = d.applicants.length ? d.applicants : [...COLLECTIVITE_TYPES]
  if (!d.applicants.length && !conditions.includes(UNSPECIFIED_APPLICANTS_CONDITION)) conditions.push(UNSPECIFIED_APPLICANTS_CONDITION)

  const territory = d.territory
    ? {
        label: d.territory.label,
        ...(d.territory.regions ? { regions: d.territory.regions } : {}),
        ...(d.territory.departements ? { departements: d.territory.departements } : {}),
      }
    : undefined

  const aid = Object.fromEntries(Object.entries(d.aid ?? {}).filter(([, v]) => v !== undefined && v !== ''))
  const summary = d.description ? truncate(d.description, SUMMARY_MAX) : `${d.name} (${d.funders[0] ?? 'financeur non précisé'}) : description non fournie par la source.`

  return {
    id: `${source}-${slug}`,
    name: d.name,
    ...(d.shortName && d.shortName !== d.name ? { shortName: d.shortName } : {}),
    funders: d.funders,
    level: d.level,
    instruments: [...new Set(d.instruments)],
    summary,
    themes: [...new Set(d.themes)],
    keywords: [...new Set((d.keywords ?? []).filter(Boolean))].slice(0, 20),
    eligibility: {
      applicants,
      ...(territory ? { territory } : {}),
      ...(d.partnerCountry ? { partnerCountry: d.partnerCountry } : {}),
      ...(d.stages?.length ? { stages: d.stages } : {}),
      conditions,
    },
    aid,
    calendar: { kind: d.calendar.kind, editions, ...(d.calendar.note ? { note: d.calendar.note } : {}) },
    links: { official: d.officialUrl, ...(d.applyUrl && d.applyUrl !== d.officialUrl ? { apply: d.applyUrl } : {}) },
    provenance: { kind: 'crawled', sourceId: source, originUrl: d.originUrl ?? d.officialUrl, fetchedAt: ctx.fetchedAt },
    uncertain,
    ...(d.statusNote ? { statusNote: d.statusNote } : {}),
  }
}

// ---------------------------------------------------------------------------------------------
// Shared mappings used by several sources

/** AT-style aid type labels ("Subvention", "Prêt", "Ingénierie technique"…) → instruments. */
export function instrumentsFromLabels(labels: readonly string[], isCallForProjects = false): Instrument[] {
  const out = new Set<Instrument>()
  for (const label of labels) {
    const l = label.toLowerCase()
    if (/subvention|aide financi|dotation|prime|bourse|grant/.test(l)) out.add('grant')
    else if (/avance r/.test(l)) out.add('advance')
    else if (/pr[eê]t|loan/.test(l)) out.add('loan')
    else if (/ing[ée]nierie|accompagnement|conseil|expertise/.test(l)) out.add('engineering')
    else if (/appel [àa] projets?|appel [àa] manifestation|appel [àa] candidatures?|appel [àa] propositions?/.test(l)) out.add('call_for_projects')
    else if (/contrat/.test(l)) out.add('contract')
    else if (/label/.test(l)) out.add('label')
    else if (label.trim()) out.add('other')
  }
  if (isCallForProjects) out.add('call_for_projects')
  if (out.size === 0) out.add('other')
  return [...out]
}

/**
 * Aid figures from prose (amounts and rates), with an `uncertain` note when a figure was there but
 * could not be read safely.
 */
export function aidFromProse(text: string | undefined): { aid: Draft['aid']; uncertain: { field: UncertainField; note: string }[] } {
  if (!text) return { aid: {}, uncertain: [] }
  const amounts = extractAmounts(text)
  const rates = extractRates(text)
  const aid: NonNullable<Draft['aid']> = {}
  if (amounts.min !== undefined) aid.amountMin = amounts.min
  if (amounts.max !== undefined) aid.amountMax = amounts.max
  if (rates.min !== undefined) aid.rateMin = rates.min
  if (rates.max !== undefined) aid.rateMax = rates.max
  const uncertain = amounts.unclear ? [{ field: 'aid' as const, note: `Montant peu clair dans la source (« ${amounts.unclear} ») : à vérifier.` }] : []
  return { aid, uncertain }
}

/** Calendar kind from AT-style recurrence labels. */
export function calendarKindFromRecurrence(recurrence: unknown, hasDeadline: boolean): 'permanent' | 'oneOff' | 'recurring' {
  const r = typeof recurrence === 'string' ? recurrence.toLowerCase() : ''
  if (r.startsWith('perman') || r === 'ongoing') return hasDeadline ? 'oneOff' : 'permanent'
  if (r.startsWith('r') && r.includes('curr')) return 'recurring'
  if (r.startsWith('ponct') || r === 'oneoff') return 'oneOff'
  return hasDeadline ? 'oneOff' : 'permanent'
}
