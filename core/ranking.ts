// Ranking: how well a programme fits THIS project, as a few named signals with documented weights.
// Relevance never decides eligibility; it orders programmes within each status. The text and the
// themes make a programme relevant; the other signals only reorder relevant ones, so that the call
// made for the partner country comes before the general one, a programme whose scope is the
// project's before one that merely shares a theme word, and the project's stage and size count.
// « pourquoi ? » shows which signals placed a programme.
import type { Programme } from './programme.ts'
import { allPartnerCountries, type ProjectFacts } from './profile.ts'
import type { ThemeId } from './themes.ts'

export const RANKING_SIGNALS = {
  /** The project's words in the programme's record (search index score, relative to the best, squared). */
  text: { weight: 0.7, label: 'les mots du projet dans la fiche du programme' },
  /** The project's themes among the programme's (first themes count more; a broader theme half). */
  themes: { weight: 0.6, label: 'les thèmes du projet' },
  /** The programme funds only this kind of project, and the project is of that kind. */
  scope: { weight: 0.3, label: 'un programme fait pour ce type de projet' },
  /** A call dedicated to the partner's country (a regional list of countries, or any foreign partnership, counts half). */
  country: { weight: 0.5, label: 'un appel fait pour ce partenariat (pays partenaire ou partenaires étrangers)' },
  /** The programme funds only some stages, this project's among them. */
  stage: { weight: 0.1, label: 'il finance cette étape du projet' },
  /** What it pays suits the project's budget (not a grant far too small or too large for it). */
  budget: { weight: 0.1, label: 'un montant à la mesure du budget du projet' },
} as const

export type RankingSignal = keyof typeof RANKING_SIGNALS

/**
 * A programme made for cooperation abroad, for a project that is not about cooperation: kept,
 * far behind (its text may share words with a domestic project).
 */
export const COOPERATION_MISMATCH = 0.05
export const COOPERATION_THEMES: ReadonlySet<ThemeId> = new Set(['cooperation_internationale', 'cooperation_europeenne'])

export interface SignalContribution {
  signal: RankingSignal
  label: string
  /** Its share of the relevance score. */
  points: number
}

/**
 * What the reordering signals read of a programme, in one shape for every programme: matching
 * builds it once per catalogue and scores thousands of programmes a request from it.
 */
export interface SignalFeatures {
  scopeThemes: readonly ThemeId[] | null
  /** The partner countries it names (partnerCountry's, else partners'). */
  countries: readonly string[] | null
  foreignPartners: boolean
  stages: readonly string[] | null
  amountMin: number | undefined
  amountMax: number | undefined
}

export function signalFeatures(p: Programme): SignalFeatures {
  const el = p.eligibility
  return {
    scopeThemes: el.scope?.themes ?? null,
    countries: el.partnerCountry?.countries ?? el.partners?.countries ?? null,
    foreignPartners: !!el.partners?.foreign,
    stages: el.stages ?? null,
    amountMin: p.aid.amountMin,
    amountMax: p.aid.amountMax,
  }
}

/**
 * The signals a programme can score at all, one bit each (SIGNAL_BITS): a signal is 0 for a
 * programme without its bit whatever the project, and for a project without its bit
 * (`activeSignals`) whatever the programme. Matching computes the points of a programme only when
 * the two share a bit; otherwise they are 0.
 */
export const SIGNAL_BITS = { scope: 1, country: 2, stage: 4, budget: 8 } as const

export function signalMask(f: SignalFeatures): number {
  return (
    (f.scopeThemes?.length ? SIGNAL_BITS.scope : 0) |
    (f.countries?.length || f.foreignPartners ? SIGNAL_BITS.country : 0) |
    (f.stages && f.stages.length < 3 ? SIGNAL_BITS.stage : 0) |
    (f.amountMin !== undefined || f.amountMax !== undefined ? SIGNAL_BITS.budget : 0)
  )
}

/** The signals this project's facts can make non-zero (see `signalMask`). */
export function activeSignals(facts: ProjectFacts): number {
  const sf = signalFacts(facts)
  return (sf.themes?.length ? SIGNAL_BITS.scope : 0) | (sf.countries ? SIGNAL_BITS.country : 0) | (sf.stage ? SIGNAL_BITS.stage : 0) | (sf.budget !== undefined ? SIGNAL_BITS.budget : 0)
}

/** The facts the signals read, read once for many programmes. */
interface SignalFacts {
  themes: readonly ThemeId[] | undefined
  countries: string[] | null
  stage: string | undefined
  budget: number | undefined
}

function signalFacts(facts: ProjectFacts): SignalFacts {
  return { themes: facts.themes, countries: facts.partnerCountry || facts.partnerCountries?.length ? allPartnerCountries(facts) : null, stage: facts.stage, budget: facts.budget }
}

/** The reordering signals (0..1 each) of a programme for a project: scope, country, stage, budget. */
export function projectSignals(p: Programme, facts: ProjectFacts): Partial<Record<'scope' | 'country' | 'stage' | 'budget', number>> {
  const f = signalFeatures(p)
  const sf = signalFacts(facts)
  const out: Partial<Record<'scope' | 'country' | 'stage' | 'budget', number>> = {}
  const scope = scopeSignal(f, sf)
  if (scope) out.scope = scope
  const country = countrySignal(f, sf)
  if (country) out.country = country
  const stage = stageSignal(f, sf)
  if (stage) out.stage = stage
  const budget = budgetSignal(f, sf)
  if (budget) out.budget = budget
  return out
}

/** The same signals weighted and summed, without building an object: for every relevant programme of a request. */
export function extraSignalPoints(p: Programme, facts: ProjectFacts): number {
  return signalPointsFor(facts)(signalFeatures(p))
}

/** `extraSignalPoints` for one project's facts, over the features of many programmes. */
export function signalPointsFor(facts: ProjectFacts): (f: SignalFeatures) => number {
  const sf = signalFacts(facts)
  return (f) =>
    scopeSignal(f, sf) * RANKING_SIGNALS.scope.weight +
    countrySignal(f, sf) * RANKING_SIGNALS.country.weight +
    stageSignal(f, sf) * RANKING_SIGNALS.stage.weight +
    budgetSignal(f, sf) * RANKING_SIGNALS.budget.weight
}

function scopeSignal(f: SignalFeatures, sf: SignalFacts): number {
  const scope = f.scopeThemes
  return scope && sf.themes?.some((t) => scope.includes(t)) ? 1 : 0
}

function countrySignal(f: SignalFeatures, sf: SignalFacts): number {
  const countries = sf.countries
  if (!countries) return 0
  const listed = f.countries
  if (listed && countries.some((c) => listed.includes(c))) return listed.length <= 3 ? 1 : 0.5
  // A programme that requires foreign partners, for a project that has them.
  return f.foreignPartners ? 0.5 : 0
}

function stageSignal(f: SignalFeatures, sf: SignalFacts): number {
  const stages = f.stages
  return sf.stage && stages && stages.length < 3 && stages.includes(sf.stage) ? 1 : 0
}

function budgetSignal(f: SignalFeatures, sf: SignalFacts): number {
  const budget = sf.budget
  const { amountMin, amountMax } = f
  if (budget === undefined || (amountMin === undefined && amountMax === undefined)) return 0
  return (amountMin ?? 0) <= budget && (amountMax === undefined || amountMax >= budget * 0.2) ? 1 : 0
}
