// Matching: a collectivité and a project in, the programmes it can get out — eligible first,
// then "à vérifier" (unknown), each ordered by relevance; ineligible ones only in `excluded`
// with their reasons. Relevance comes from the SearchIndex; eligibility from the one evaluator.
import type { Catalogue } from './catalogue.ts'
import type { SearchIndex } from '../search/search-index.ts'
import { availability, availabilityFor, type AvailabilityStatus } from '../core/availability.ts'
import { evaluateCalendar, type CalendarView } from '../core/calendar.ts'
import { parisDay, type Clock } from '../core/clock.ts'
import { evaluateEligibility, type EligibilityResult } from '../core/eligibility.ts'
import { COUNTRY_LISTS_SOURCE, countryName, partnerCategory, PARTNER_CATEGORY_LABELS, type PartnerCategory } from '../core/countries.ts'
import { formatEuros } from '../core/french.ts'
import { factQuestion, type MissingFact } from '../core/missing-facts.ts'
import type { Aid, Level, Programme } from '../core/programme.ts'
import { allPartnerCountries, type CollectiviteProfile, type ProjectFacts } from '../core/profile.ts'
import type { SignalContribution } from '../core/ranking.ts'
import type { ThemeId } from '../core/themes.ts'
import { cachedSearch, contributions, relevance, textHits, uncachedSearch } from './matching/relevance.ts'
import { ELIGIBLE, INELIGIBLE, setAside, statusReader, type StatusReader } from './matching/statuses.ts'
import { catalogueTables, nextDeadline, type CatalogueTables } from './matching/tables.ts'

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
  /** The council back-planning of the deadline, added where the item is presented (bot/council-view.ts). */
  council?: import('../core/council-view.ts').CouncilView
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

/** Results below this share of the best relevance are left out. */
export const RELEVANCE_FLOOR = 0.1

export interface Matcher {
  match(input: MatchInput): Promise<MatchResponse>
  /** One programme as a match item for this profile (no relevance). */
  present(programme: Programme, input?: Pick<MatchInput, 'profile' | 'facts'>): MatchItem
}

interface MatcherDeps {
  catalogue: () => Catalogue
  index: SearchIndex
  clock: Clock
  /**
   * Keep searches and eligibility statuses for the same catalogue and inputs (default true): the
   * turns of a conversation ask again with the same words and, until an answer changes them, the
   * same facts. False judges and searches everything on every request (the benchmark's cold figure).
   */
  cache?: boolean
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

/** A candidate: its catalogue slot, relevance and status rank (0 eligible, 1 à confirmer, 2 écarté). */
type Scored = { slot: number; score: number; rank: number }

/**
 * Only the programmes relevant to the project (above the floor) are judged, each once per
 * (profile, facts, day) thanks to the status cache, most of the ineligible ones by a hard rule
 * alone (set aside by the index's filter, asked beside the text search); the full reasons are built only for the few shown. `totals` stays exact: the count of
 * results is shown to the mayor (« les 5 plus pertinents sur 37 »).
 */
async function matchProgrammes(deps: MatcherDeps, input: MatchInput): Promise<MatchResponse> {
  const today = parisDay(deps.clock.now())
  const facts = input.facts ?? {}
  const cat = deps.catalogue()
  const t = catalogueTables(cat)
  const cache = deps.cache ?? true
  const [hits, aside] = await Promise.all([textHits(cache ? cachedSearch(deps.index, cat) : uncachedSearch(deps.index), input), setAside(deps.index, cat, input.profile, facts, today, cache)])
  // From here to the answer nothing is awaited: the relevance arrays are the catalogue's scratch ones.
  const rel = relevance(t, hits, input)
  const status = statusReader(cat, t, input.profile, facts, today, aside, cache)
  const excludedLimit = input.excludedLimit ?? 100
  // Only the page and the excluded list are kept, in their order (ties end on the catalogue's, by id, as they always did); the rest is counted.
  const kept = new TopList(input.limit ?? 50, (a, b) => a.rank - b.rank || b.score - a.score || compareDeadlines(t, a.slot, b.slot, today) || t.nameRank[a.slot]! - t.nameRank[b.slot]! || a.slot - b.slot)
  const excluded = new TopList(excludedLimit, (a, b) => b.score - a.score || t.nameRank[a.slot]! - t.nameRank[b.slot]! || a.slot - b.slot)
  const judge = (slot: number, score: number) => {
    const code = status(slot)
    if (code === INELIGIBLE) excluded.offer(slot, score, 2)
    else kept.offer(slot, score, code === ELIGIBLE ? 0 : 1)
  }
  // A faint match (a common word of the summary) is noise next to programmes made for the project.
  const floor = rel ? rel.best * RELEVANCE_FLOOR : 0
  if (rel) {
    const { scored, score } = rel
    for (let i = 0; i < rel.count; i++) {
      const slot = scored[i]!
      if (score[slot]! >= floor) judge(slot, score[slot]!)
    }
  } else {
    for (let slot = 0; slot < t.list.length; slot++) judge(slot, 0)
  }
  const excludedExamined = rel ? excludeUnrelated(t, rel.score, floor, excludedLimit, excluded, status) : true
  const shown = kept.items
  const shownExcluded = excluded.items
  return {
    profile: input.profile ?? null,
    today,
    results: shown.map((k) => {
      const p = t.list[k.slot]!
      return { ...presentItem(p, input, k.score, today), ...(rel ? { ranking: contributions(p, k.slot, rel, k.score) } : {}) }
    }),
    excluded: shownExcluded.map((e) => {
      const p = t.list[e.slot]!
      return { id: p.id, name: p.name, reasons: evaluateEligibility(p, input.profile, facts, today).rules.filter((r) => r.outcome === 'fail').map((r) => r.text) }
    }),
    // `excluded` counts the programmes found ineligible; with `excludedComplete` false, unrelated ones were not all examined.
    totals: { results: kept.offered, excluded: excluded.offered, excludedComplete: excludedExamined, catalogue: cat.size },
  }
}

function compareDeadlines(t: CatalogueTables, a: number, b: number, today: string): number {
  const da = nextDeadline(t, a, today)
  const db = nextDeadline(t, b, today)
  return da < db ? -1 : da > db ? 1 : 0
}

/**
 * Programmes unrelated to the project matter only as « écartés », listed after the related ones by
 * name: they are examined in that order until the list is full, not all of them on every request.
 * Pushes them into `excluded`; returns whether every unrelated programme was examined.
 */
function excludeUnrelated(t: CatalogueTables, scores: Float64Array, floor: number, excludedLimit: number, excluded: TopList, status: StatusReader): boolean {
  if (excluded.offered >= excludedLimit) return false
  for (const slot of t.byName) {
    const score = scores[slot]!
    if (score > 0 && score >= floor) continue
    if (excluded.offered >= excludedLimit) return false
    if (status(slot) === INELIGIBLE) excluded.offer(slot, score, 2)
  }
  return true
}

/**
 * The k first candidates in `order` among all those offered, and how many were offered: a
 * candidate that would not enter the list is compared through a probe, not allocated.
 */
class TopList {
  readonly items: Scored[] = []
  offered = 0
  private readonly probe: Scored = { slot: 0, score: 0, rank: 0 }
  constructor(
    private readonly k: number,
    private readonly order: (a: Scored, b: Scored) => number,
  ) {}

  offer(slot: number, score: number, rank: number): void {
    this.offered++
    const { items, k, order, probe } = this
    if (k <= 0) return
    probe.slot = slot
    probe.score = score
    probe.rank = rank
    if (items.length === k && order(probe, items[k - 1]!) >= 0) return
    // After the last item that comes before it (or equal: the first offered stays first).
    let lo = 0
    let hi = items.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (order(items[mid]!, probe) <= 0) lo = mid + 1
      else hi = mid
    }
    items.splice(lo, 0, { slot, score, rank })
    if (items.length > k) items.pop()
  }
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
