// A programme's own examples (the `examples:` block of its file), replayed through the one
// evaluator: each names a collectivité, a project and a day, and the status the programme's
// facts give it. The test suite runs every example of the catalogue; the back office runs them
// on a programme as it is edited. `coverage` tells which decidable rules lack an example that
// passes them or one that they exclude.
import { APPLICANT_TYPE_IDS } from './applicants.ts'
import { evaluateEligibility, type EligibilityResult } from './eligibility.ts'
import type { Geography } from './geography/geography.ts'
import type { Programme, ProgrammeExample, RuleName } from './programme.ts'
import type { CollectiviteProfile, ProjectFacts } from './profile.ts'

export interface ExampleRun {
  example: ProgrammeExample
  /** The example's collectivité could be found (a wrong code is the example's error, not the programme's). */
  resolved: boolean
  result?: EligibilityResult
  ok: boolean
  /** Why it does not hold, in French. */
  problem?: string
}

export function exampleProfile(e: ProgrammeExample, geography: Geography): CollectiviteProfile | undefined | null {
  if (e.commune) return geography.byCode(e.commune, 'commune') ?? null
  if (e.epci) return geography.byCode(e.epci, 'epci') ?? null
  if (e.departement) return geography.byCode(e.departement, 'departement') ?? null
  if (e.region) return geography.byCode(e.region, 'region') ?? null
  return undefined
}

export function exampleFacts(e: ProgrammeExample): ProjectFacts {
  const facts: ProjectFacts = {}
  if (e.applicant) facts.applicantType = e.applicant
  if (e.applicantPopulation !== undefined) facts.applicantPopulation = e.applicantPopulation
  if (e.syndicatKind) facts.syndicatKind = e.syndicatKind
  if (e.density !== undefined) facts.density = e.density
  if (e.themes) facts.themes = e.themes
  if (e.notThemes) facts.notThemes = e.notThemes
  if (e.stage) facts.stage = e.stage
  if (e.budget !== undefined) facts.budget = e.budget
  if (e.location) facts.location = e.location
  if (e.partnerCountry) facts.partnerCountry = e.partnerCountry
  if (e.partnerCountries) facts.partnerCountries = e.partnerCountries
  if (e.foreignPartners !== undefined) facts.foreignPartners = e.foreignPartners
  if (e.frenchPartners !== undefined) facts.frenchPartners = e.frenchPartners
  if (e.closedLists) facts.closedLists = e.closedLists
  if (e.prerequisites) facts.prerequisites = e.prerequisites
  return facts
}

const STATUS_FR = { eligible: 'éligible', unknown: 'à confirmer', ineligible: 'écarté' } as const

export function runExample(p: Programme, e: ProgrammeExample, geography: Geography): ExampleRun {
  const profile = exampleProfile(e, geography)
  if (profile === null) return { example: e, resolved: false, ok: false, problem: `collectivité introuvable (${e.commune ?? e.epci ?? e.departement ?? e.region})` }
  const result = evaluateEligibility(p, profile, exampleFacts(e), e.date)
  const outcome = e.expect === 'ineligible' ? 'fail' : 'missing'
  let problem: string | undefined
  if (result.status !== e.expect) problem = `attendu ${STATUS_FR[e.expect]}, obtenu ${STATUS_FR[result.status]}${result.status !== 'eligible' ? ` (${result.reasons[0] ?? ''})` : ''}`
  else if (e.rule && !result.rules.some((r) => r.rule === e.rule && r.outcome === outcome)) {
    problem = `${STATUS_FR[e.expect]} comme attendu, mais pas par la règle ${e.rule} (${result.rules.filter((r) => r.outcome === outcome).map((r) => r.rule).join(', ')})`
  }
  return { example: e, resolved: true, result, ok: !problem, ...(problem ? { problem } : {}) }
}

export function runExamples(p: Programme, geography: Geography): ExampleRun[] {
  return p.examples.map((e) => runExample(p, e, geography))
}

/** The rules a programme's data makes decidable, each of which its examples should show both ways. */
export function decidableRules(p: Programme): RuleName[] {
  const el = p.eligibility
  const rules: RuleName[] = []
  if (availabilityCanFail(p)) rules.push('availability')
  // A programme open to every type of applicant cannot refuse one.
  if (el.applicants.length < APPLICANT_TYPE_IDS.length) rules.push('applicant')
  if (el.epciKinds) rules.push('epciKind')
  if (el.syndicatKinds) rules.push('syndicatKind')
  const t = el.territory
  if (t && (t.zones || t.regions || t.departements || t.communes || t.epcis || t.excludedRegions || t.excludedDepartements || t.excludedEpciKinds)) rules.push('territory')
  if (el.population.length) rules.push('population')
  if (el.closedList || el.excludedClosedLists.length) rules.push('closedList')
  // A partner of any country can only be asked for, never refused.
  if (el.partnerCountry && (el.partnerCountry.countries || el.partnerCountry.excludedCountries || el.partnerCountry.group)) rules.push('partnerCountry')
  if (el.partners) rules.push('partners')
  if (el.stages) rules.push('stage')
  if (el.scope || el.location) rules.push('scope')
  if (el.budget) rules.push('budget')
  if (el.prerequisites.length) rules.push('prerequisite')
  return rules
}

/**
 * Whether some day makes the programme unavailable from its data: a permanent window, an annual
 * cycle with no dated edition (a statutory dotation) or an undated one-off call never closes.
 */
function availabilityCanFail(p: Programme): boolean {
  if (p.suspension || !p.adopted || p.calendar.kind === 'ended') return true
  const dated = p.calendar.editions.some((e) => e.opensAt || e.deadlines.length > 0)
  if (p.calendar.kind === 'oneOff') return dated
  if (p.calendar.kind === 'recurring') return dated || p.calendar.cycle === 'irregular' || !!p.calendar.editions.at(-1)?.final
  return false
}

/** Whether some day makes it available: not when it is over, only proposed, or its last call was announced as the last and is undated. */
function availabilityCanPass(p: Programme): boolean {
  if (p.calendar.kind === 'ended' || !p.adopted) return false
  const last = p.calendar.editions.at(-1)
  return !(last?.final && !last.opensAt && last.deadlines.length === 0) && !(p.calendar.kind === 'recurring' && p.calendar.cycle === 'irregular' && !p.calendar.editions.some((e) => e.opensAt || e.deadlines.length > 0))
}

export interface RuleCoverage {
  rule: RuleName
  /** An example where the rule passes. */
  positive: boolean
  /** An example excluded by this rule. */
  negative: boolean
}

/**
 * For each decidable rule: whether some example passes it and some example is excluded by it.
 * A programme that can never be obtained again (ended, only proposed, or closed by an undated last
 * call) needs no example where its availability passes.
 */
export function coverage(p: Programme, runs: ExampleRun[]): RuleCoverage[] {
  return decidableRules(p).map((rule) => ({
    rule,
    positive: runs.some((r) => r.result?.rules.some((o) => o.rule === rule && o.outcome === 'pass')) || (rule === 'availability' && !availabilityCanPass(p)),
    negative: runs.some((r) => r.example.expect === 'ineligible' && r.example.rule === rule && r.result?.rules.some((o) => o.rule === rule && o.outcome === 'fail')),
  }))
}
