// Matching: a collectivité and a project in, the programmes it can get out — eligible first,
// then "à vérifier" (unknown), each ordered by relevance; ineligible ones only in `excluded`
// with their reasons. Relevance comes from the SearchIndex; eligibility from the one evaluator.
import type { Catalogue } from './catalogue.ts'
import type { SearchIndex } from '../search/search-index.ts'
import { availability, availabilityFor, type AvailabilityStatus } from '../core/availability.ts'
import { evaluateCalendar, type CalendarView } from '../core/calendar.ts'
import { parisDay, type Clock } from '../core/clock.ts'
import { eligibilityStatus, evaluateEligibility, type EligibilityResult } from '../core/eligibility.ts'
import { COUNTRY_LISTS_SOURCE, countryName, partnerCategory, PARTNER_CATEGORY_LABELS, type PartnerCategory } from '../core/countries.ts'
import { formatEuros } from '../core/french.ts'
import { factQuestion, type MissingFact } from '../core/missing-facts.ts'
import type { Aid, Level, Programme } from '../core/programme.ts'
import { allPartnerCountries, type CollectiviteProfile, type ProjectFacts } from '../core/profile.ts'
import { COOPERATION_MISMATCH, COOPERATION_THEMES, extraSignalPoints, projectSignals, RANKING_SIGNALS, type RankingSignal, type SignalContribution } from '../core/ranking.ts'
import { BROADER_THEMES, type ThemeId } from '../core/themes.ts'

export interface MatchInput {
  profile?: CollectiviteProfile
  facts?: ProjectFacts
  /** Free French text describing the project. */
  q?: string
  /** Themes of the project: programmes sharing one are relevant. */
  themes?: ThemeId[]
  /** Cap on results (default 50) and on excluded (default 100). */
  limit?: number
  excludedLimit?: number
}

export interface AidView extends Aid {
  /** What it pays, in one French phrase; "à confirmer" when the figures are uncertain. */
  label: string | null
  uncertain: boolean
  /** When the ceiling depends on the partner country: its category, and the bundled list that says so. */
  partnerCategory?: { country: string; category: PartnerCategory; label: string; list: string; asOf: string; url: string }
}

export interface MatchItem {
  id: string
  name: string
  shortName: string | null
  funders: string[]
  level: Level
  themes: ThemeId[]
  summary: string
  eligibility: {
    status: EligibilityResult['status']
    reasons: string[]
    toCheck: string[]
    missing: string[]
    /** For « à confirmer »: the question that settles each missing fact. */
    questions: { fact: MissingFact; question: string }[]
  }
  /** Whether the programme can be applied to today, and why (the date that decides). */
  availability: { status: AvailabilityStatus; text: string }
  calendar: CalendarView
  aid: AidView
  url: string
  applyUrl: string | null
  uncertain: { field: string; note: string }[]
  /** Relevance to the project (0 when neither text nor themes were given). */
  score: number
  /** Which ranking signals placed it, largest first (core/ranking.ts). */
  ranking?: SignalContribution[]
}

export interface ExcludedItem {
  id: string
  name: string
  reasons: string[]
}

export interface MatchResponse {
  profile: CollectiviteProfile | null
  today: string
  results: MatchItem[]
  excluded: ExcludedItem[]
  totals: { results: number; excluded: number; excludedComplete: boolean; catalogue: number }
}

const STATUS_RANK = { eligible: 0, unknown: 1, ineligible: 2 } as const
/** Results below this share of the best relevance are left out. */
export const RELEVANCE_FLOOR = 0.1

interface Relevance {
  scores: Map<string, number>
  text: Map<string, number>
  themed: Map<string, number>
  facts: ProjectFacts
}

/** What placed a programme: each signal's share of its score (after the cooperation penalty, if any), largest first. */
function contributions(p: Programme, rel: Relevance, score: number): SignalContribution[] {
  const raw: Partial<Record<RankingSignal, number>> = { text: rel.text.get(p.id) ?? 0, themes: rel.themed.get(p.id) ?? 0 }
  for (const [signal, value] of Object.entries(projectSignals(p, rel.facts)) as [RankingSignal, number][]) raw[signal] = RANKING_SIGNALS[signal].weight * value
  const total = Object.values(raw).reduce((a, b) => a + (b ?? 0), 0) || 1
  return (Object.entries(raw) as [RankingSignal, number][])
    .filter(([, v]) => v > 0)
    .map(([signal, v]) => ({ signal, label: RANKING_SIGNALS[signal].label, points: Math.round(((v * score) / total) * 1000) / 1000 }))
    .sort((a, b) => b.points - a.points)
}

export interface Matcher {
  match(input: MatchInput): Promise<MatchResponse>
  /** One programme as a match item for this profile (no relevance). */
  present(programme: Programme, input?: Pick<MatchInput, 'profile' | 'facts'>): MatchItem
}

interface MatcherDeps {
  catalogue: () => Catalogue
  index: SearchIndex
  clock: Clock
}

export function createMatcher(deps: MatcherDeps): Matcher {
  const { clock } = deps
  function present(p: Programme, input: Pick<MatchInput, 'profile' | 'facts'> = {}, score = 0, today = parisDay(clock.now()), el?: EligibilityResult): MatchItem {
    return presentItem(p, input, score, today, el)
  }
  function match(input: MatchInput): Promise<MatchResponse> {
    return matchProgrammes(deps, input)
  }
  return { match, present }
}

/** One programme as a match item: its eligibility for this profile, availability, calendar and aid. */
function presentItem(p: Programme, input: Pick<MatchInput, 'profile' | 'facts'>, score: number, today: string, el?: EligibilityResult): MatchItem {
  const eligibility = el ?? evaluateEligibility(p, input.profile, input.facts ?? {}, today)
  return {
    id: p.id,
    name: p.name,
    shortName: p.shortName ?? null,
    funders: p.funders,
    level: p.level,
    themes: p.themes,
    summary: p.summary,
    eligibility: {
      status: eligibility.status,
      reasons: eligibility.reasons,
      toCheck: eligibility.toCheck,
      missing: eligibility.missing,
      questions: eligibility.missing.map((fact) => ({ fact, question: factQuestion(fact, fact.startsWith('scope:') ? p.eligibility.scope?.label : undefined) })),
    },
    availability: availabilityView(p, input.facts, today),
    calendar: evaluateCalendar(p.calendar, today),
    aid: aidView(p, input.facts),
    url: p.links.official,
    applyUrl: p.links.apply ?? null,
    uncertain: p.uncertain,
    score: Math.round(score * 1000) / 1000,
  }
}

/**
 * Relevance of each programme to the project, as the sum of the ranking signals (core/ranking.ts):
 * text and themes make a programme relevant; scope, country, stage and budget reorder the
 * relevant ones. Returns the scores and the two base signals, from which `contributions` tells,
 * for the programmes shown, what each signal brought.
 */
async function relevance({ catalogue, index }: MatcherDeps, input: MatchInput): Promise<Relevance | null> {
  const q = input.q?.trim()
  const themes = input.themes?.length ? input.themes : undefined
  if (!q && !themes) return null
  const text = new Map<string, number>()
  const themed = new Map<string, number>()
  if (q) {
    const res = await index.search({ q, limit: 1000 })
    const top = res.hits[0]?.score || 1
    // Squared, so that documents matching only a common word fall well behind those made for the project.
    for (const h of res.hits) text.set(h.id, RANKING_SIGNALS.text.weight * (h.score / top) ** 2)
  }
  if (themes) themeRelevance(themes, catalogue().all(), themed)
  const facts: ProjectFacts = input.facts?.themes || !themes ? (input.facts ?? {}) : { ...input.facts, themes }
  const cooperation = (facts.themes ?? []).some((t) => COOPERATION_THEMES.has(t)) || !!facts.partnerCountry
  const scores = new Map<string, number>()
  const cat = catalogue()
  const score = (id: string, base: number) => {
    const p = cat.get(id)
    if (!p) return
    let s = base + extraSignalPoints(p, facts)
    // A programme made for cooperation abroad only fits a project that is about cooperation.
    if (!cooperation && COOPERATION_THEMES.has(p.themes[0]!)) s *= COOPERATION_MISMATCH
    scores.set(id, s)
  }
  for (const [id, t] of text) score(id, t + (themed.get(id) ?? 0))
  for (const [id, t] of themed) if (!text.has(id)) score(id, t)
  return { scores, text, themed, facts }
}

/** The themes signal of each programme sharing a theme with the project, into `themed`. */
function themeRelevance(themes: ThemeId[], programmes: Iterable<Programme>, themed: Map<string, number>): void {
  // Weight of each theme for this project: 1 for the project's own, 0.5 for a broader one.
  const wanted = new Map<ThemeId, number>()
  for (const t of themes) for (const b of BROADER_THEMES[t] ?? []) wanted.set(b, 0.5)
  for (const t of themes) wanted.set(t, 1)
  for (const p of programmes) {
    // A programme whose first themes are the project's counts more than one that merely lists it.
    let best = 0
    for (let i = 0; i < p.themes.length; i++) {
      const w = wanted.get(p.themes[i]!)
      if (w) best = Math.max(best, w * (1 - Math.min(i, 5) * 0.1))
    }
    if (best > 0) themed.set(p.id, RANKING_SIGNALS.themes.weight * best)
  }
}

type Scored = { p: Programme; score: number; rank: number }

async function matchProgrammes(deps: MatcherDeps, input: MatchInput): Promise<MatchResponse> {
  const today = parisDay(deps.clock.now())
  const facts = input.facts ?? {}
  const cat = deps.catalogue()
  const rel = await relevance(deps, input)
  const scores = rel?.scores ?? null
  const kept: Scored[] = []
  const excluded: Scored[] = []
  // A faint match (a common word of the summary) is noise next to programmes made for the project.
  let best = 0
  if (scores) for (const v of scores.values()) best = Math.max(best, v)
  const floor = best * RELEVANCE_FLOOR
  const excludedLimit = input.excludedLimit ?? 100
  // Status without texts for what fits the project; full reasons only for what is shown below.
  for (const p of cat.all()) {
    const score = scores ? (scores.get(p.id) ?? 0) : 0
    if (scores && !(score > 0 && score >= floor)) continue
    const { status } = eligibilityStatus(p, input.profile, facts, today)
    if (status === 'ineligible') excluded.push({ p, score, rank: 2 })
    else kept.push({ p, score, rank: STATUS_RANK[status] })
  }
  const excludedExamined = scores ? excludeUnrelated(cat, scores, floor, excludedLimit, excluded, input.profile, facts, today) : true
  const limit = input.limit ?? 50
  const shown = topK(kept, limit, (a, b) => a.rank - b.rank || b.score - a.score || nextDeadline(a.p, today).localeCompare(nextDeadline(b.p, today)) || byName(a.p, b.p))
  const shownExcluded = topK(excluded, input.excludedLimit ?? 100, (a, b) => b.score - a.score || byName(a.p, b.p))
  return {
    profile: input.profile ?? null,
    today,
    results: shown.map((k) => ({ ...presentItem(k.p, input, k.score, today), ...(rel ? { ranking: contributions(k.p, rel, k.score) } : {}) })),
    excluded: shownExcluded.map((e) => ({
      id: e.p.id,
      name: e.p.name,
      reasons: evaluateEligibility(e.p, input.profile, facts, today).rules.filter((r) => r.outcome === 'fail').map((r) => r.text),
    })),
    // `excluded` counts the programmes found ineligible; with `excludedComplete` false, unrelated ones were not all examined.
    totals: { results: kept.length, excluded: excluded.length, excludedComplete: excludedExamined, catalogue: cat.size },
  }
}

/**
 * Programmes unrelated to the project matter only as « écartés », listed after the related ones by
 * name: they are examined in that order until the list is full, not all of them on every request.
 * Pushes them into `excluded`; returns whether every unrelated programme was examined.
 */
function excludeUnrelated(cat: Catalogue, scores: Map<string, number>, floor: number, excludedLimit: number, excluded: Scored[], profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string): boolean {
  if (excluded.length >= excludedLimit) return false
  for (const p of byNameOrder(cat)) {
    const score = scores.get(p.id) ?? 0
    if (score > 0 && score >= floor) continue
    if (excluded.length >= excludedLimit) return false
    if (eligibilityStatus(p, profile, facts, today).status === 'ineligible') excluded.push({ p, score, rank: 2 })
  }
  return true
}

const collator = new Intl.Collator('fr')
const nameOrders = new WeakMap<Catalogue, readonly Programme[]>()
/** The catalogue sorted by name, once per catalogue. */
function byNameOrder(cat: Catalogue): readonly Programme[] {
  let order = nameOrders.get(cat)
  if (!order) {
    order = [...cat.all()].sort(byName)
    nameOrders.set(cat, order)
  }
  return order
}
function byName(a: Programme, b: Programme): number {
  return collator.compare(a.name, b.name)
}

/** The k first items in `order`, without sorting the whole list when it is much longer than k. */
function topK<T>(items: T[], k: number, order: (a: T, b: T) => number): T[] {
  if (k <= 0) return []
  if (items.length <= k * 4) return items.sort(order).slice(0, k)
  const out: T[] = []
  for (const item of items) {
    if (out.length === k && order(item, out[k - 1]!) >= 0) continue
    let i = out.length < k ? out.length : k - 1
    if (out.length < k) out.push(item)
    while (i > 0 && order(item, out[i - 1]!) < 0) {
      out[i] = out[i - 1]!
      i--
    }
    out[i] = item
  }
  return out
}

/** The next known deadline on or after today ("9999" when none), to order equal scores. */
function nextDeadline(p: Programme, today: string): string {
  let best = '9999'
  for (const e of p.calendar.editions) for (const d of e.deadlines) if (d >= today && d < best) best = d
  return best
}

function availabilityView(p: Programme, facts: ProjectFacts | undefined, today: string): { status: AvailabilityStatus; text: string } {
  const whole = availability(p, today)
  const a = availabilityFor(whole, facts?.themes)
  return a === 'depends' ? { status: whole.otherwise!.status, text: `${whole.otherwise!.text} ; ${whole.text.charAt(0).toLowerCase()}${whole.text.slice(1)}` } : { status: a.status, text: a.text }
}

/**
 * What the programme pays, in one French phrase. A ceiling that depends on the partner
 * country's category is the one for the partner given; without one, every ceiling is listed.
 */
export function aidView(p: Programme, facts?: ProjectFacts): AidView {
  const byCategory = p.aid.rateByPartnerCategory
  const countries = facts ? allPartnerCountries(facts) : []
  let a: Aid = p.aid
  let countryNote = ''
  let partner: AidView['partnerCategory']
  if (byCategory && countries.length > 0) {
    const multi = countries.length > 1 && byCategory.multiCountry !== undefined
    const category: PartnerCategory = partnerCategory(countries[0]!)
    const rate = multi ? byCategory.multiCountry : byCategory[category]
    if (rate !== undefined) {
      a = { ...p.aid, rateMax: rate, ...(p.aid.rateMin !== undefined && p.aid.rateMin > rate ? { rateMin: rate } : {}) }
      countryNote = multi ? ` (projet multi-pays, ${byCategory.basis})` : ` (${countryName(countries[0]!)} : ${PARTNER_CATEGORY_LABELS[category]}, ${byCategory.basis})`
      partner = { country: countries[0]!, category, label: PARTNER_CATEGORY_LABELS[category], list: COUNTRY_LISTS_SOURCE.label, asOf: COUNTRY_LISTS_SOURCE.asOf, url: COUNTRY_LISTS_SOURCE.url }
    }
  } else if (byCategory) {
    const rates = [
      byCategory.ldc !== undefined ? `${byCategory.ldc} % avec un pays parmi les moins avancés` : '',
      byCategory.oda !== undefined ? `${byCategory.oda} % avec un autre pays éligible à l'aide au développement` : '',
      byCategory.other !== undefined ? `${byCategory.other} % ailleurs` : '',
      byCategory.multiCountry !== undefined ? `${byCategory.multiCountry} % pour un projet multi-pays` : '',
    ].filter(Boolean)
    countryNote = ` selon le pays partenaire : ${rates.join(', ')} (${byCategory.basis})`
  }
  const uncertain = p.uncertain.some((u) => u.field === 'aid')
  const parts: string[] = []
  if (a.rateMin !== undefined && a.rateMax !== undefined) parts.push(a.rateMin === a.rateMax ? `${a.rateMax} % du projet` : `de ${a.rateMin} à ${a.rateMax} % du projet`)
  else if (a.rateMax !== undefined) parts.push(`jusqu'à ${a.rateMax} % du projet`)
  else if (a.rateMin !== undefined) parts.push(`au moins ${a.rateMin} % du projet`)
  if (a.amountMin !== undefined && a.amountMax !== undefined) parts.push(a.amountMin === a.amountMax ? formatEuros(a.amountMax) : `entre ${formatEuros(a.amountMin)} et ${formatEuros(a.amountMax)}`)
  else if (a.amountMax !== undefined) parts.push(`jusqu'à ${formatEuros(a.amountMax)}`)
  else if (a.amountMin !== undefined) parts.push(`à partir de ${formatEuros(a.amountMin)}`)
  const label = parts.length || countryNote ? `${parts.join(', ')}${countryNote}${uncertain ? ' (à confirmer auprès du financeur)' : ''}`.trim() : null
  return { ...a, label: label ? label[0]!.toUpperCase() + label.slice(1) : null, uncertain, ...(partner ? { partnerCategory: partner } : {}) }
}
