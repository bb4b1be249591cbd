// Aides-territoires list payloads (`{count, next, previous, results}`, display labels, relative
// `url`) → Programmes. Feeds that speak AT's format (the Drôme feed, Manche's `aides`) reuse
// mapAtAid with their own defaults.
import { foldFrench } from '../../../core/french.ts'
import type { Level, Stage } from '../../../core/programme.ts'
import type { ThemeId } from '../../../core/themes.ts'
import type { ParseContext, ParseResult } from '../../types.ts'
import { isRecord, listIn, parseJsonPayload, recordIdOf } from '../../normalize/payload.ts'
import { calendarKindFromRecurrence, createCollector, instrumentsFromLabels, type Collector, type Draft } from '../../normalize/record.ts'
import { levelFromFunder, territoryFromLabel } from '../../normalize/territory.ts'
import { themesFromText } from '../../normalize/themes.ts'
import { asLabels, asText, htmlToText, truncate } from '../../normalize/text.ts'
import { atAidUrl } from '../../normalize/urls.ts'

export const SOURCE_ID = 'aides-territoires'

export interface AtDefaults {
  /** Funder when the item names none. */
  funders: string[]
  /** Perimeter label when the item gives none. */
  perimeter?: string
  /** Link to the public AT page (only for AT itself: other feeds have no such page). */
  atPages: boolean
}

const STAGES: Record<string, Stage> = {
  'reflexion / conception': 'etude',
  'mise en oeuvre / realisation': 'travaux',
  'usage / valorisation': 'fonctionnement',
}

const SCALE_LEVEL: Record<string, Level> = {
  region: 'regional',
  departement: 'departemental',
  pays: 'national',
  france: 'national',
  national: 'national',
  continent: 'eu',
  europe: 'eu',
}

function foldKey(s: string): string {
  return foldFrench(s).trim()
}

/** Legacy AT sent `subvention_rate` as `{lower, upper}`, `[lo, hi]` or "[10, 50)"; the current API two ints. */
function rateBounds(item: Record<string, unknown>): { lo?: unknown; hi?: unknown } {
  if ('subvention_rate_lower_bound' in item || 'subvention_rate_upper_bound' in item) {
    return { lo: item.subvention_rate_lower_bound, hi: item.subvention_rate_upper_bound }
  }
  const r = item.subvention_rate
  if (isRecord(r)) return { lo: r.lower, hi: r.upper }
  if (Array.isArray(r)) return { lo: r[0], hi: r[1] }
  if (typeof r === 'string') {
    const m = /^\s*[[(]?\s*(\d*)\s*,\s*(\d*)\s*[\])]?\s*$/.exec(r)
    if (m) return { lo: m[1] || null, hi: m[2] || null }
    return { lo: r }
  }
  return {}
}

function rate(c: Collector, recordId: string, field: string, raw: unknown): number | undefined {
  if (raw === null || raw === undefined || raw === '') return undefined
  const n = typeof raw === 'number' ? raw : Number(String(raw).replace('%', '').replace(',', '.').trim())
  if (Number.isFinite(n) && n >= 0 && n <= 100) return n
  c.error(recordId, field, 'taux de subvention illisible ou hors de 0–100 % (ignoré)', raw)
  return undefined
}

/** The item's funders (AT sends a list of names, the Drôme feed a single string), else the feed's default. */
function fundersOf(item: Record<string, unknown>, defaults: AtDefaults): string[] {
  const funders = asLabels(typeof item.financers === 'string' ? [item.financers] : item.financers)
  if (!funders.length && Array.isArray(item.financers_full)) funders.push(...asLabels(item.financers_full.map((f) => (isRecord(f) ? f.name : undefined))))
  return funders.length ? funders : defaults.funders
}

/** Opening date and deadlines (pre-deposit, then submission); a missing deadline is noted in `uncertain`. */
function calendarOf(c: Collector, recordId: string, item: Record<string, unknown>, uncertain: NonNullable<Draft['uncertain']>): Draft['calendar'] {
  const opensAt = c.day(recordId, 'start_date', item.start_date)
  const predeposit = c.day(recordId, 'predeposit_date', item.predeposit_date)
  const deadline = c.day(recordId, 'submission_deadline', item.submission_deadline)
  const deadlines = [predeposit, deadline].filter((d): d is string => !!d)
  const kind = calendarKindFromRecurrence(item.recurrence, deadlines.length > 0)
  if (kind !== 'permanent' && !deadline) {
    const unreadable = item.submission_deadline !== null && item.submission_deadline !== undefined && item.submission_deadline !== ''
    uncertain.push({ field: 'calendar', note: unreadable ? `Date limite illisible dans la source (« ${String(item.submission_deadline)} ») : à vérifier auprès du financeur.` : 'Date limite non publiée par la source : à vérifier auprès du financeur.' })
  }
  return { kind, editions: opensAt || deadlines.length ? [{ ...(opensAt ? { opensAt } : {}), deadlines }] : [] }
}

/** Subvention rates and comment; a rate given only in the comment's prose is noted in `uncertain`. */
function aidOf(c: Collector, recordId: string, item: Record<string, unknown>, uncertain: NonNullable<Draft['uncertain']>): NonNullable<Draft['aid']> {
  const { lo, hi } = rateBounds(item)
  let rateMin = rate(c, recordId, 'subvention_rate_lower_bound', lo)
  let rateMax = rate(c, recordId, 'subvention_rate_upper_bound', hi)
  if (rateMin !== undefined && rateMax !== undefined && rateMin > rateMax) {
    c.error(recordId, 'subvention_rate', 'taux minimal supérieur au taux maximal (taux ignorés)', { lower: lo, upper: hi })
    rateMin = rateMax = undefined
  }
  const comment = asText(item.subvention_comment)
  if (comment && rateMin === undefined && rateMax === undefined && /%/.test(comment)) {
    uncertain.push({ field: 'aid', note: `Taux indiqué en clair par la source (« ${truncate(comment, 120)} ») : à vérifier.` })
  }
  return {
    ...(rateMin !== undefined ? { rateMin } : {}),
    ...(rateMax !== undefined ? { rateMax } : {}),
    ...(comment ? { notes: truncate(comment, 300) } : {}),
  }
}

/** One AT-shaped aid → a draft, or undefined when it cannot become a record (already reported). */
export function mapAtAid(c: Collector, item: unknown, index: number, defaults: AtDefaults): Draft | undefined {
  const recordId = recordIdOf(item, ['slug', 'id', 'name'], index)
  if (!isRecord(item)) {
    c.error(recordId, '(fiche)', 'fiche qui n\'est pas un objet : ignorée', item)
    return undefined
  }
  const name = asText(item.name) ?? asText(item.name_initial)
  const description = htmlToText(item.description)
  const eligibilityText = htmlToText(item.eligibility)
  const categories = asLabels(item.categories).map((c) => c.replace(/\|/g, ' / '))
  const programs = asLabels(item.programs)
  const allFunders = fundersOf(item, defaults)

  const audiences = c.applicants(recordId, 'targeted_audiences', asLabels(item.targeted_audiences))
  if (!audiences) return undefined

  const aidTypes = asLabels(item.aid_types)
  const instruments = instrumentsFromLabels(aidTypes, item.is_call_for_project === true)

  const territory = territoryFromLabel(asText(item.perimeter) ?? defaults.perimeter)
  const scale = typeof item.perimeter_scale === 'string' ? SCALE_LEVEL[foldKey(item.perimeter_scale)] : undefined
  const level: Level = item.european_aid ? 'eu' : levelFromFunder(allFunders) ?? territory?.level ?? scale ?? 'other'

  const uncertain: NonNullable<Draft['uncertain']> = []
  const calendar = calendarOf(c, recordId, item, uncertain)
  const aid = aidOf(c, recordId, item, uncertain)

  const stages = asLabels(item.mobilization_steps).map((s) => STAGES[foldKey(s)]).filter((s): s is Stage => !!s)
  const atPage = defaults.atPages ? atAidUrl(item.url, item.slug) : undefined
  const origin = c.url(recordId, 'origin_url', item.origin_url)
  const apply = c.url(recordId, 'application_url', item.application_url)

  const fallback: ThemeId = instruments.every((i) => i === 'engineering') ? 'ingenierie' : 'developpement_economique'
  const themes = themesFromText({ strong: [...categories, name, asText(item.name_initial)], prose: [description], fallback })

  const draft: Draft = {
    recordId,
    idPart: typeof item.slug === 'string' && item.slug ? item.slug : String(item.id ?? name ?? index),
    name,
    ...(asText(item.short_title) ? { shortName: asText(item.short_title)! } : {}),
    funders: allFunders,
    level,
    instruments,
    description: description || undefined,
    themes,
    keywords: [...categories.map((x) => x.split(' / ').at(-1)!), ...programs],
    applicants: audiences.applicants,
    conditions: [...audiences.conditions, ...(eligibilityText ? [eligibilityText] : [])],
    ...(territory ? { territory } : {}),
    aid,
    calendar,
    officialUrl: origin ?? atPage,
    ...(apply ? { applyUrl: apply } : {}),
    ...(atPage ? { originUrl: atPage } : {}),
    uncertain,
  }
  // All three stages = no restriction (absent means all).
  const distinctStages = [...new Set(stages)]
  if (distinctStages.length && distinctStages.length < 3) draft.stages = distinctStages
  return draft
}

export function parse(payload: string, ctx: ParseContext): ParseResult {
  const data = parseJsonPayload(SOURCE_ID, payload)
  const results = listIn(SOURCE_ID, data, ['results'], 'une liste {count, next, previous, results}')
  const c = createCollector(SOURCE_ID, ctx)
  results.forEach((item, i) => {
    const draft = mapAtAid(c, item, i, { funders: ['Financeur non précisé (Aides-territoires)'], atPages: true })
    if (draft) c.finish(draft)
  })
  return c.result()
}
