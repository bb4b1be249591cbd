// The matcher as it was before matching walked only the scored programmes and cached statuses
// (content/matching.ts at the commit before): the whole catalogue judged on every request. Kept as
// the reference that test/content/matching-equivalence.test.ts holds the new matcher to, result for
// result. Only the selection is copied; the items are presented by the product's own `present`.
import type { Catalogue } from '../../content/catalogue.ts'
import type { MatchInput, Matcher } from '../../content/matching.ts'
import type { SearchIndex } from '../../search/search-index.ts'
import { parisDay, type Clock } from '../../core/clock.ts'
import { eligibilityStatus, evaluateEligibility } from '../../core/eligibility.ts'
import type { Programme } from '../../core/programme.ts'
import { allPartnerCountries, type CollectiviteProfile, type ProjectFacts } from '../../core/profile.ts'
import { COOPERATION_MISMATCH, COOPERATION_THEMES, RANKING_SIGNALS, type RankingSignal, type SignalContribution } from '../../core/ranking.ts'
import { BROADER_THEMES, type ThemeId } from '../../core/themes.ts'

const STATUS_RANK = { eligible: 0, unknown: 1, ineligible: 2 } as const
/** Results below this share of the best relevance are left out. */
const RELEVANCE_FLOOR = 0.1

interface Relevance {
  scores: Map<string, number>
  text: Map<string, number>
  themed: Map<string, number>
  facts: ProjectFacts
}

/** What placed a programme: each signal's share of its score (after the cooperation penalty, if any), largest first. */
function contributions(p: Programme, rel: Relevance, score: number): SignalContribution[] {
  const raw: Partial<Record<RankingSignal, number>> = { text: rel.text.get(p.id) ?? 0, themes: rel.themed.get(p.id) ?? 0 }
  for (const [signal, value] of Object.entries(oldProjectSignals(p, rel.facts)) as [RankingSignal, number][]) raw[signal] = RANKING_SIGNALS[signal].weight * value
  const total = Object.values(raw).reduce((a, b) => a + (b ?? 0), 0) || 1
  return (Object.entries(raw) as [RankingSignal, number][])
    .filter(([, v]) => v > 0)
    .map(([signal, v]) => ({ signal, label: RANKING_SIGNALS[signal].label, points: Math.round(((v * score) / total) * 1000) / 1000 }))
    .sort((a, b) => b.points - a.points)
}

/**
 * Relevance of each programme to the project, as the sum of the ranking signals (core/ranking.ts):
 * text and themes make a programme relevant; scope, country, stage and budget reorder the
 * relevant ones. Returns the scores and the two base signals, from which `contributions` tells,
 * for the programmes shown, what each signal brought.
 */
async function relevance({ catalogue, index }: ReferenceDeps, input: MatchInput): Promise<Relevance | null> {
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
    let s = base + oldExtraSignalPoints(p, facts)
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

async function matchProgrammes(deps: ReferenceDeps, input: MatchInput, present: Matcher['present']) {
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
    results: shown.map((k) => ({ ...present(k.p, input), score: Math.round(k.score * 1000) / 1000, ...(rel ? { ranking: contributions(k.p, rel, k.score) } : {}) })),
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


interface ReferenceDeps {
  catalogue: () => Catalogue
  index: SearchIndex
  clock: Clock
}

/** The reference matcher's answer to `input`, its items presented by `present`. */
export function referenceMatch(deps: ReferenceDeps, input: MatchInput, present: Matcher['present']) {
  return matchProgrammes(deps, input, present)
}

// The ranking signals as they were read off the programme itself (core/ranking.ts before its features).
function oldProjectSignals(p: Programme, facts: ProjectFacts): Partial<Record<'scope' | 'country' | 'stage' | 'budget', number>> {
  const out: Partial<Record<'scope' | 'country' | 'stage' | 'budget', number>> = {}
  const scope = scopeSignal(p, facts)
  if (scope) out.scope = scope
  const country = countrySignal(p, facts)
  if (country) out.country = country
  const stage = stageSignal(p, facts)
  if (stage) out.stage = stage
  const budget = budgetSignal(p, facts)
  if (budget) out.budget = budget
  return out
}

function oldExtraSignalPoints(p: Programme, facts: ProjectFacts): number {
  return (
    scopeSignal(p, facts) * RANKING_SIGNALS.scope.weight +
    countrySignal(p, facts) * RANKING_SIGNALS.country.weight +
    stageSignal(p, facts) * RANKING_SIGNALS.stage.weight +
    budgetSignal(p, facts) * RANKING_SIGNALS.budget.weight
  )
}

function scopeSignal(p: Programme, facts: ProjectFacts): number {
  const scope = p.eligibility.scope
  return scope && facts.themes?.some((t) => scope.themes.includes(t)) ? 1 : 0
}

function countrySignal(p: Programme, facts: ProjectFacts): number {
  if (!facts.partnerCountry && !facts.partnerCountries?.length) return 0
  const countries = allPartnerCountries(facts)
  const el = p.eligibility
  const listed = el.partnerCountry?.countries ?? el.partners?.countries
  if (listed && countries.some((c) => listed.includes(c))) return listed.length <= 3 ? 1 : 0.5
  // A programme that requires foreign partners, for a project that has them.
  return el.partners?.foreign ? 0.5 : 0
}

function stageSignal(p: Programme, facts: ProjectFacts): number {
  const stages = p.eligibility.stages
  return facts.stage && stages && stages.length < 3 && stages.includes(facts.stage) ? 1 : 0
}

function budgetSignal(p: Programme, facts: ProjectFacts): number {
  const budget = facts.budget
  const { amountMin, amountMax } = p.aid
  if (budget === undefined || (amountMin === undefined && amountMax === undefined)) return 0
  return (amountMin ?? 0) <= budget && (amountMax === undefined || amountMax >= budget * 0.2) ? 1 : 0
}
