// The one eligibility evaluator: (programme, profile, project facts, today) → eligible |
// ineligible | unknown, with reasons in French. Matching, the dialogue's next question, the
// alerts and the programmes' own examples all call this; no other code decides eligibility.
//
// - Éligible: every decidable rule passed on known facts (availability on `today` included).
// - À confirmer (unknown): a decidable fact is missing; `missing` names it and the dialogue asks it.
// - Écarté (ineligible): a rule failed, with its reason.
// - Conditions no program can decide never demote: they travel as « à vérifier » notes.
//
// Over 500 lines: the evaluator and its fifteen rule families (each a short function) are kept in
// one file on purpose, so that every rule, its order and its French reason are read in one place.
import { APPLICANT_TYPES, SYNDICAT_KIND_LABELS, ZONE_LABELS, type ApplicantType, type Zone } from './applicants.ts'
import { availability, availabilityFor, MISSED_EDITION_GRACE_DAYS, OBTAINABLE } from './availability.ts'
import { dayFromNumber, dayNumber } from './clock.ts'
import { observedPeriodYears, shiftYears, validDay } from './edition-cycle.ts'
import { CLOSED_LISTS, closedListMembership } from './closed-lists.ts'
import { countryName, ODA_RECIPIENTS } from './countries.ts'
import { formatEuros, formatInt } from './french.ts'
import type { MissingFact } from './missing-facts.ts'
import { PREREQUISITES } from './prerequisites.ts'
import type { PopulationRule, Programme, RuleName, Stage } from './programme.ts'
import { allPartnerCountries, projectLocation, type CollectiviteProfile, type ProjectFacts } from './profile.ts'
import { THEMES } from './themes.ts'

export type EligibilityStatus = 'eligible' | 'ineligible' | 'unknown'
export type { MissingFact } from './missing-facts.ts'
export type { RuleName } from './programme.ts'

export interface RuleOutcome {
  rule: RuleName
  outcome: 'pass' | 'fail' | 'missing'
  text: string
  fact?: MissingFact
}

export interface EligibilityResult {
  status: EligibilityStatus
  /** French reasons, failures first, then missing facts, then what matched. */
  reasons: string[]
  /** What remains to check with the funder ("à vérifier"): never demotes the programme. */
  toCheck: string[]
  /** Facts that would settle an `unknown`. */
  missing: MissingFact[]
  rules: RuleOutcome[]
}

const STAGE_NOUNS: Record<Stage, string> = { etude: 'les études', travaux: 'les travaux', fonctionnement: 'le fonctionnement' }

const APPLICANT_NOUN: Record<ApplicantType, string> = {
  commune: 'Commune',
  epci: 'Intercommunalité',
  syndicat: 'Syndicat',
  petr: 'PETR',
  departement: 'Département',
  region: 'Région',
  collectivite_outre_mer: "Collectivité d'outre-mer",
  etablissement_public: 'Établissement public',
  groupement_collectivites: 'Groupement de collectivités',
  association: 'Association',
  entreprise: 'Entreprise',
}

function listFr(items: string[], and = 'et'): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} ${and} ${items.at(-1)}`
}

/** « de France », « d'Espagne ». */
function deCountry(name: string): string {
  return /^[AEIOUYÉÈÊÎÔ]/i.test(name) ? `d'${name}` : `de ${name}`
}

/**
 * Collects rule outcomes. With `detail` off (the matching of a whole catalogue), no text is
 * built and nothing but the status and missing facts is kept: the same rules, far less work.
 */
class Outcomes {
  fails = 0
  missing: MissingFact[] | null = null
  readonly rules: RuleOutcome[] | null
  readonly toCheck: string[] | null
  constructor(readonly detail: boolean) {
    this.rules = detail ? [] : null
    this.toCheck = detail ? [] : null
  }
  add(rule: RuleName, outcome: RuleOutcome['outcome'], text: string | false, fact?: MissingFact): void {
    if (outcome === 'fail') this.fails++
    else if (outcome === 'missing') {
      this.missing ??= []
      if (!this.missing.includes(fact!)) this.missing.push(fact!)
    }
    if (this.rules) this.rules.push(fact ? { rule, outcome, text: text as string, fact } : { rule, outcome, text: text as string })
  }
  check(text: string | false): void {
    if (this.toCheck) this.toCheck.push(text as string)
  }
}

/** The full answer, with French reasons and notes: for what is shown to a person. */
export function evaluateEligibility(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string): EligibilityResult {
  const o = evaluate(programme, profile, facts, today, true)
  const rules = o.rules!
  const reasons: string[] = []
  for (const r of rules) if (r.outcome === 'fail') reasons.push(r.text)
  for (const r of rules) if (r.outcome === 'missing') reasons.push(r.text)
  // Who may apply first; that the call is open comes last (the calendar says it again).
  for (const r of rules) if (r.outcome === 'pass' && r.rule !== 'availability') reasons.push(r.text)
  for (const r of rules) if (r.outcome === 'pass' && r.rule === 'availability') reasons.push(r.text)
  return { status: statusOf(o), reasons, toCheck: o.toCheck!, missing: o.missing ?? [], rules }
}

/** Status and missing facts only, without texts: the same rules, for scanning a whole catalogue. */
export function eligibilityStatus(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string): { status: EligibilityStatus; missing: readonly MissingFact[] } {
  const o = evaluate(programme, profile, facts, today, false)
  return { status: statusOf(o), missing: o.missing ?? NONE }
}

const NONE: readonly MissingFact[] = []

/** A bit for each project fact, for `factsRead`; a fact added to ProjectFacts must be given one here. */
export const FACT_BITS: Readonly<Record<keyof ProjectFacts, number>> = {
  applicantType: 1 << 0,
  themes: 1 << 1,
  stage: 1 << 2,
  budget: 1 << 3,
  partnerCountry: 1 << 4,
  closedLists: 1 << 5,
  notThemes: 1 << 6,
  applicantPopulation: 1 << 7,
  syndicatKind: 1 << 8,
  density: 1 << 9,
  location: 1 << 10,
  partnerCountries: 1 << 11,
  foreignPartners: 1 << 12,
  frenchPartners: 1 << 13,
  prerequisites: 1 << 14,
}
const PARTNER_FACTS = FACT_BITS.partnerCountry | FACT_BITS.partnerCountries | FACT_BITS.foreignPartners | FACT_BITS.frenchPartners | FACT_BITS.location | FACT_BITS.themes

/**
 * The project facts `evaluate` may read for this programme, whatever the profile and the day (a
 * superset: the facts of its rules, and always who applies, the themes, the closed lists and the
 * prerequisites): two sets of facts equal on these get the same status. Keep it beside `evaluate`:
 * a rule that reads a new fact adds it here.
 */
export function factsRead(programme: Programme): number {
  const el = programme.eligibility
  let bits = FACT_BITS.applicantType | FACT_BITS.themes | FACT_BITS.closedLists | FACT_BITS.prerequisites
  if (el.syndicatKinds) bits |= FACT_BITS.syndicatKind
  if (el.population.length > 0) bits |= FACT_BITS.applicantPopulation | FACT_BITS.density
  if (el.partnerCountry || el.partners || el.location) bits |= PARTNER_FACTS
  if (el.stages) bits |= FACT_BITS.stage
  if (el.scope) bits |= FACT_BITS.themes | FACT_BITS.notThemes
  if (el.budget) bits |= FACT_BITS.budget
  return bits
}

function statusOf(o: Outcomes): EligibilityStatus {
  return o.fails > 0 ? 'ineligible' : o.missing ? 'unknown' : 'eligible'
}

/**
 * Whether the programme is left out for this applicant by its type, its territory (zone, région,
 * département), its population bounds or its availability on `today` — the rules a search can
 * apply as filters. The same predicates as the evaluator's rules (one rule, one function): true
 * only where `eligibilityStatus` says « ineligible »; false says nothing (the evaluator decides).
 */
export function hardExclusion(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string): boolean {
  return closedFor(availabilityFor(availability(programme, today), facts.themes)) || excludedByApplicant(hardRules(programme), profile, facts)
}

/**
 * The part of `hardExclusion` that depends on who applies and not on the day: its type, its
 * territory, its population (the profile's, or `facts.applicantPopulation` for another body).
 */
export function excludedByApplicant(rules: HardRules, profile: CollectiviteProfile | undefined, facts: Pick<ProjectFacts, 'applicantType' | 'applicantPopulation'>): boolean {
  const applicant: ApplicantType | undefined = facts.applicantType ?? profile?.type
  if (applicant && !rules.applicants.includes(applicant) && !admittedByName(rules.admitted, applicant, profile)) return true
  if (profile && rules.territory && outsideArea(rules.territory, profile)) return true
  return !!applicant && rules.population.length > 0 && populationBarred(rules.population, applicant, profile, facts)
}

/** The part of `hardExclusion` that depends on the day alone: the call cannot be applied to on `today`, whatever the project. */
export function closedWhatever(programme: Programme, today: string): boolean {
  const av = availability(programme, today)
  return !av.onlyFor && closedFor(av)
}

/** The end of a span that never ends: a day number no calendar reaches. */
export const NEVER = 10_000_000

/**
 * The days on which `closedWhatever` holds, as [from, until) spans of day numbers (core/clock's
 * `dayNumber`; `from` 0 for « since always », `until` NEVER for « for good »), so that a search
 * index can filter on any day, not only the one its documents were built on. `closedWhatever`
 * compares the day only with the programme's own dates (an opening, a deadline, a suspension),
 * the end of the year after an undated opening and the end of the grace after an expected
 * edition: it can change only on those days, so it is read on them. Without a suspension the
 * calendar alone decides, and a call it closes stays closed (every edition opened, every
 * deadline past, the grace over): the first closed day is then found by halving.
 */
export function closedWhateverSpans(p: Programme): [number, number][] {
  if (p.calendar.kind === 'ended' || !p.adopted) return [[0, NEVER]]
  if (p.calendar.kind === 'permanent' && !p.suspension) return []
  const days = changeDays(p)
  const closedOn = (n: number) => closedWhatever(p, dayFromNumber(n))
  const before = days.length ? days[0]! - 1 : 1
  if (!p.suspension) {
    // Open on the last change day: open on every day. Else the first closed day among [before, …days].
    if (!closedOn(days.at(-1) ?? before)) return []
    let lo = -1
    let hi = days.length - 1
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (closedOn(mid < 0 ? before : days[mid]!)) hi = mid
      else lo = mid + 1
    }
    return [[lo < 0 ? 0 : days[lo]!, NEVER]]
  }
  const spans: [number, number][] = []
  let open: number | undefined
  const at = (from: number, closed: boolean) => {
    if (closed && open === undefined) open = from
    if (!closed && open !== undefined) {
      spans.push([open, from])
      open = undefined
    }
  }
  at(0, closedOn(before))
  for (const d of days) at(d, closedOn(d))
  if (open !== undefined) spans.push([open, NEVER])
  return spans
}

/** The days on which `closedWhatever` may differ from the day before, in order. */
function changeDays(p: Programme): number[] {
  const changes = new Set<number>()
  const dated = p.calendar.editions.filter((e) => e.opensAt || e.deadlines.length > 0)
  const period = p.calendar.kind === 'recurring' ? observedPeriodYears(dated) : 0
  // `opensAt <= today` turns true on the first day from the opening, `deadline >= today` false on
  // the first day after the deadline (days compare as strings: an unreal day like 02-30 counts).
  const expected = (x: string) => {
    if (period) changes.add(dayNumber(shiftYears(x, period)) + MISSED_EDITION_GRACE_DAYS + 1)
  }
  for (const e of dated) {
    if (e.opensAt) {
      changes.add(firstDayFrom(e.opensAt))
      if (e.deadlines.length === 0) changes.add(dayNumber(e.opensAt) + 366)
      expected(e.opensAt)
    }
    for (const d of e.deadlines) {
      changes.add(firstDayAfter(d))
      expected(d)
    }
  }
  for (const x of [p.suspension?.from, p.suspension?.until]) if (x) changes.add(firstDayFrom(x))
  return [...changes].filter((d) => d > 1 && d < NEVER).sort((a, b) => a - b)
}

/** The first real day after `x` in the order dates are compared in (as strings). */
function firstDayAfter(x: string): number {
  return realDay(x) ? dayNumber(x) + 1 : firstDayFrom(x)
}

/** The first real day on or after `x` in the order dates are compared in (as strings): `x` itself when it is a real day. */
function firstDayFrom(x: string): number {
  if (realDay(x)) return dayNumber(x)
  const clamped = validDay(x)
  return clamped >= x ? dayNumber(clamped) : dayNumber(clamped) + 1
}

/** Whether a YYYY-MM-DD string names a day of the calendar (not 02-30, not 13-01). */
function realDay(x: string): boolean {
  const m = Number(x.slice(5, 7))
  const d = Number(x.slice(8, 10))
  return m >= 1 && m <= 12 && d >= 1 && d <= new Date(Date.UTC(Number(x.slice(0, 4)), m, 0)).getUTCDate()
}

/**
 * The population bounds that bar an applicant of this type in this zone (`undefined`: no profile)
 * outright, as `populationBarred` applies them: barred when the population is under `min`, over
 * `atMost` or at least `below`. Undefined when no bound applies.
 */
export function populationBounds(all: PopulationRule[], applicant: ApplicantType, zone: Zone | undefined): { min?: number; atMost?: number; below?: number } | undefined {
  const { applicable, specific } = populationRules(all, applicant, zone)
  let bounds: { min?: number; atMost?: number; below?: number } | undefined
  for (const r of applicable ?? []) {
    if (specific && !r.zone) continue
    if (r.min !== undefined) (bounds ??= {}).min = Math.max(bounds.min ?? r.min, r.min)
    if (r.max === undefined || r.unlessAboveMax) continue
    bounds ??= {}
    if (r.maxInclusive) bounds.atMost = Math.min(bounds.atMost ?? r.max, r.max)
    else bounds.below = Math.min(bounds.below ?? r.max, r.max)
  }
  return bounds
}

/** What `hardExclusion` reads of a programme, in one shape for every programme: matching builds it once per catalogue. */
export interface HardRules {
  applicants: readonly ApplicantType[]
  admitted: Eligibility['admitted']
  territory: Eligibility['territory'] | null
  population: PopulationRule[]
}

export function hardRules(p: Programme): HardRules {
  const el = p.eligibility
  return { applicants: el.applicants, admitted: el.admitted, territory: el.territory ?? null, population: el.population }
}

/** The availability rule fails: the call cannot be applied to (not when it depends on the project's themes). */
function closedFor(av: ReturnType<typeof availabilityFor>): boolean {
  return av !== 'depends' && !OBTAINABLE.has(av.status)
}

/** An applicant of a type not admitted, admitted by name (its région, département, EPCI or commune listed). */
function admittedByName(admitted: Eligibility['admitted'], applicant: ApplicantType, profile: CollectiviteProfile | undefined): Eligibility['admitted'][number] | undefined {
  return applicant === profile?.type ? admitted.find((a) => admits(a, profile)) : undefined
}

/** Outside the zones, régions or départements the territory is limited to. */
function outsideArea(t: NonNullable<Eligibility['territory']>, profile: CollectiviteProfile): boolean {
  const region = profile.region?.code
  const dept = profile.departement?.code
  if (t.zones && !t.zones.includes(profile.zone)) return true
  if (t.regions && !(region && t.regions.includes(region))) return true
  // A région applies to a départemental scheme only if one of its départements is named; we cannot tell here.
  return !!t.departements && !(dept && t.departements.includes(dept))
}

/** The population rules that apply to this applicant in the profile's zone; `specific` when one is zone-specific. */
function populationRules(all: PopulationRule[], applicant: ApplicantType, zone: Zone | undefined): { applicable: PopulationRule[] | undefined; specific: boolean } {
  let applicable: PopulationRule[] | undefined
  let specific = false
  for (const r of all) {
    if (!r.applicants.includes(applicant) || (r.zone && zone && r.zone !== zone)) continue
    ;(applicable ??= []).push(r)
    if (r.zone) specific = true
  }
  return { applicable, specific }
}

/** The profile's own population when it applies as itself; otherwise the applicant's, as told (a syndicat's). */
function applicantPop(applicant: ApplicantType, profile: CollectiviteProfile | undefined, facts: Pick<ProjectFacts, 'applicantPopulation'>): number | undefined {
  return applicant === profile?.type ? profile.population : facts.applicantPopulation
}

function populationBreach(r: PopulationRule, pop: number): 'min' | 'max' | undefined {
  if (r.min !== undefined && pop < r.min) return 'min'
  if (r.max !== undefined && (r.maxInclusive ? pop > r.max : pop >= r.max)) return 'max'
  return undefined
}

/** A population bound broken outright (a ceiling with an exception, DETR's, is left to the evaluator). */
function populationBarred(all: PopulationRule[], applicant: ApplicantType, profile: CollectiviteProfile | undefined, facts: Pick<ProjectFacts, 'applicantPopulation'>): boolean {
  const { applicable, specific } = populationRules(all, applicant, profile?.zone)
  const pop = applicable && applicantPop(applicant, profile, facts)
  if (pop === undefined || !applicable) return false
  for (const r of applicable) {
    if (specific && !r.zone) continue
    const breach = populationBreach(r, pop)
    if (breach === 'min' || (breach === 'max' && !r.unlessAboveMax)) return true
  }
  return false
}

/** Every rule, in order. The facts a rule reads are declared in `factsRead` (matching reuses statuses by them). */
function evaluate(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string, detail: boolean): Outcomes {
  const o = new Outcomes(detail)
  const el = programme.eligibility

  evaluateAvailability(programme, facts, today, o)
  const applicant: ApplicantType | undefined = facts.applicantType ?? profile?.type
  evaluateApplicant(el, applicant, profile, o)
  if (applicant === 'epci' && el.epciKinds) evaluateEpciKind(el.epciKinds, profile, o)
  if (applicant === 'syndicat' && el.syndicatKinds) evaluateSyndicatKind(el.syndicatKinds, facts, o)

  if (el.territory) evaluateTerritory(programme, profile, o)

  if (applicant && el.population.length > 0) evaluatePopulation(el.population, applicant, profile, facts, o)

  evaluateClosedLists(el, facts, o)
  if (el.partnerCountry) evaluatePartnerCountry(el.partnerCountry, facts, o)
  if (el.partners) evaluatePartners(el.partners, facts, o)
  if (el.stages) evaluateStage(programme, facts, o)

  if (el.location) evaluateLocation(el.location, facts, o)
  if (el.scope) evaluateScope(el.scope, facts, o)
  if (el.budget) evaluateBudget(el.budget, facts, o)
  evaluatePrerequisites(el.prerequisites, facts, o)

  if (o.toCheck) o.toCheck.push(...staticNotes(programme))
  return o
}

type Eligibility = Programme['eligibility']

/** Open on `today`, for the project's themes when the call is open to some only. */
function evaluateAvailability(programme: Programme, facts: ProjectFacts, today: string, o: Outcomes): void {
  const detail = o.detail
  const av = availabilityFor(availability(programme, today), facts.themes)
  if (av === 'depends') {
    const whole = availability(programme, today)
    o.add('availability', 'missing', detail && `${whole.text} (seulement pour : ${listFr(whole.onlyFor!.map((t) => THEMES[t].label.toLowerCase()))}) : décrivez le projet`, 'themes')
  } else if (closedFor(av)) {
    o.add('availability', 'fail', detail && av.text)
  } else {
    o.add('availability', 'pass', detail && av.text)
  }
}

/** The applicant's type, or its naming among those admitted by name. */
function evaluateApplicant(el: Eligibility, applicant: ApplicantType | undefined, profile: CollectiviteProfile | undefined, o: Outcomes): void {
  const detail = o.detail
  if (!applicant) {
    o.add('applicant', 'missing', detail && 'Collectivité non précisée : dites-nous qui porte le projet', 'collectivite')
  } else if (!el.applicants.includes(applicant)) {
    const admitted = admittedByName(el.admitted, applicant, profile)
    if (admitted) o.add('applicant', 'pass', detail && `Admis : ${admitted.label}`)
    else o.add('applicant', 'fail', detail && `Réservé aux ${listFr(el.applicants.map((a) => APPLICANT_TYPES[a].plural))} : les ${APPLICANT_TYPES[applicant].plural} ne peuvent pas déposer`)
  } else {
    o.add('applicant', 'pass', detail && `Ouvert aux ${APPLICANT_TYPES[applicant].plural}`)
  }
}

function evaluateEpciKind(epciKinds: NonNullable<Eligibility['epciKinds']>, profile: CollectiviteProfile | undefined, o: Outcomes): void {
  const detail = o.detail
  const kind = profile?.type === 'epci' ? profile.epci?.kind : undefined
  if (!kind) o.add('epciKind', 'missing', detail && `Réservé à certaines intercommunalités (${epciKinds.join(', ')}) : précisez la vôtre`, 'collectivite')
  else if (!epciKinds.includes(kind)) o.add('epciKind', 'fail', detail && `Réservé aux intercommunalités de type ${epciKinds.join(', ')}`)
  else o.add('epciKind', 'pass', detail && `Ouvert aux intercommunalités de type ${kind}`)
}

function evaluateSyndicatKind(syndicatKinds: NonNullable<Eligibility['syndicatKinds']>, facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  const kind = facts.syndicatKind
  const allowed = detail && listFr(syndicatKinds.map((k) => SYNDICAT_KIND_LABELS[k]))
  if (!kind) o.add('syndicatKind', 'missing', detail && `Réservé à certains syndicats (${allowed}) : précisez le vôtre`, 'syndicatKind')
  else if (!syndicatKinds.includes(kind)) o.add('syndicatKind', 'fail', detail && `Réservé aux syndicats suivants : ${allowed}`)
  else o.add('syndicatKind', 'pass', detail && `Ouvert aux ${SYNDICAT_KIND_LABELS[kind]}s`)
}

/** The closed list the programme is reserved to, then the lists whose members it excludes. */
function evaluateClosedLists(el: Eligibility, facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  if (el.closedList) {
    const list = CLOSED_LISTS[el.closedList]
    const member = closedListMembership(el.closedList, facts.closedLists)
    if (member === true) o.add('closedList', 'pass', detail && `Membre de la liste ${list.label}`)
    else if (member === false) o.add('closedList', 'fail', detail && `Réservé aux collectivités retenues dans ${list.label}${facts.closedLists?.[el.closedList] === undefined ? ' (une collectivité ne peut pas relever des deux programmes)' : ''}`)
    else o.add('closedList', 'missing', detail && `Réservé aux collectivités retenues dans ${list.label} : à préciser`, `closedList:${el.closedList}`)
  }
  for (const id of el.excludedClosedLists) {
    const list = CLOSED_LISTS[id]
    const member = closedListMembership(id, facts.closedLists)
    if (member === true) o.add('closedList', 'fail', detail && `Les collectivités retenues dans ${list.label} en sont exclues`)
    else if (member === undefined) o.check(detail && `Les collectivités retenues dans ${list.label} en sont exclues`)
  }
}

function evaluatePartnerCountry(pc: NonNullable<Eligibility['partnerCountry']>, facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  const country = facts.partnerCountry
  if (!country) {
    o.add('partnerCountry', 'missing', detail && `Exige un partenaire à l'étranger (${pc.label}) : dans quel pays ?`, 'partnerCountry')
  } else if (pc.countries && !pc.countries.includes(country)) {
    o.add('partnerCountry', 'fail', detail && `Réservé aux coopérations avec ${listFr(pc.countries.map(countryName))} : pas ${countryName(country)}`)
  } else if (pc.excludedCountries?.includes(country)) {
    o.add('partnerCountry', 'fail', detail && `Les coopérations avec ${countryName(country)} relèvent de leur appel dédié, pas de celui-ci`)
  } else if (pc.group === 'oda' && !ODA_RECIPIENTS.has(country)) {
    o.add('partnerCountry', 'fail', detail && `${countryName(country)} n'est pas un pays éligible à l'aide publique au développement`)
  } else {
    o.add('partnerCountry', 'pass', detail && `Partenariat avec ${countryName(country)} : admis (${pc.label})`)
  }
}

function evaluateStage(programme: Programme, facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  const stages = programme.eligibility.stages!
  if (facts.stage && !stages.includes(facts.stage)) {
    o.add('stage', 'fail', detail && `Ne finance pas ${STAGE_NOUNS[facts.stage]} : seulement ${listFr(stages.map((s) => STAGE_NOUNS[s]))}`)
  } else if (facts.stage) {
    o.add('stage', 'pass', detail && `Finance ${STAGE_NOUNS[facts.stage]}`)
  } else {
    o.check(detail && stageNote(programme))
  }
}

function evaluateBudget(b: NonNullable<Eligibility['budget']>, facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  const budget = facts.budget
  const bounds = detail && [b.min !== undefined ? `au moins ${formatEuros(b.min)}` : '', b.max !== undefined ? `au plus ${formatEuros(b.max)}` : ''].filter(Boolean).join(' et ')
  if (budget === undefined) o.add('budget', 'missing', detail && `Taille de projet exigée (${bounds}) : budget du projet à préciser`, 'budget')
  else if ((b.min !== undefined && budget < b.min) || (b.max !== undefined && budget > b.max)) o.add('budget', 'fail', detail && `Projet de ${formatEuros(budget)} : le programme vise des projets d'${bounds} (${b.basis})`)
  else o.add('budget', 'pass', detail && `Projet de ${formatEuros(budget)} : dans la taille visée (${bounds})`)
}

function evaluatePrerequisites(ids: Eligibility['prerequisites'], facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  for (const id of ids) {
    const pre = PREREQUISITES[id]
    const done = facts.prerequisites?.[id]
    if (done === true) o.add('prerequisite', 'pass', detail && `Prérequis rempli : ${pre.label}`)
    else if (done === false) o.add('prerequisite', 'fail', detail && `Exige au préalable un ${pre.label}`)
    else o.add('prerequisite', 'missing', detail && `Exige au préalable un ${pre.label} : à préciser`, `prerequisite:${id}`)
  }
}

/**
 * France-only programmes exclude a project known to be abroad; cooperation programmes need one
 * carried out abroad — or with a European partner, where it may be — and ask for the partner
 * country while none is known.
 */
function evaluateLocation(wanted: 'france' | 'abroad', facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  const where = projectLocation(facts)
  if (wanted === 'france') {
    if (where === 'abroad') o.add('scope', 'fail', detail && 'Finance des projets réalisés en France, pas à l\'étranger')
    else o.add('scope', 'pass', detail && 'Projet réalisé en France')
    return
  }
  if (where === 'abroad') o.add('scope', 'pass', detail && 'Projet réalisé à l\'étranger, chez le partenaire')
  else if (where === 'france' || (facts.foreignPartners === false && allPartnerCountries(facts).length === 0)) {
    o.add('scope', 'fail', detail && 'Finance des projets de coopération réalisés à l\'étranger, chez le partenaire : votre projet se déroule en France')
  } else if (allPartnerCountries(facts).length > 0) o.add('scope', 'pass', detail && 'Coopération avec un partenaire européen')
  else o.add('scope', 'missing', detail && 'Finance des projets de coopération réalisés à l\'étranger : avec quel pays ?', 'partnerCountry')
}

function admits(a: Programme['eligibility']['admitted'][number], profile: CollectiviteProfile): boolean {
  switch (profile.type) {
    case 'region':
      return !!a.regions?.includes(profile.code)
    case 'departement':
      return !!a.departements?.includes(profile.code)
    case 'epci':
      return !!a.epcis?.includes(profile.code)
    case 'commune':
      return !!a.communes?.includes(profile.code)
  }
}

function evaluatePartners(rule: NonNullable<Programme['eligibility']['partners']>, facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  const countries = allPartnerCountries(facts)
  const hasForeign = countries.length > 0 ? true : facts.foreignPartners
  if (rule.foreign || rule.countries) {
    if (hasForeign === false) {
      o.add('partners', 'fail', detail && `Exige ${rule.label} : le projet n'a pas de partenaire étranger`)
      return
    }
    if (rule.countries) {
      const named = detail && listFr(rule.countries.map((c) => deCountry(countryName(c))), 'ou')
      if (countries.some((c) => rule.countries!.includes(c))) o.add('partners', 'pass', detail && `Partenaire ${listFr(countries.filter((c) => rule.countries!.includes(c)).map((c) => deCountry(countryName(c))))} : ${rule.label}`)
      else if (countries.length > 0) o.add('partners', 'fail', detail && `Exige un partenaire ${named} : vos partenaires sont ${listFr(countries.map((c) => deCountry(countryName(c))))}`)
      else o.add('partners', 'missing', detail && `Exige un partenaire ${named} : à préciser`, hasForeign ? 'partnerCountries' : 'foreignPartners')
      if (o.missing?.length && countries.length === 0) return
    } else if (hasForeign === undefined) {
      o.add('partners', 'missing', detail && `Exige ${rule.label} : le projet a-t-il des partenaires étrangers ?`, 'foreignPartners')
      return
    } else {
      o.add('partners', 'pass', detail && `Partenaires étrangers : ${rule.label}`)
    }
    if (rule.minCountries !== undefined && 1 + countries.length < rule.minCountries) {
      o.check(detail && `Le partenariat doit réunir au moins ${rule.minCountries} pays, France comprise${countries.length ? ` (vous en citez ${1 + countries.length})` : ''}`)
    }
    if (rule.minPartners !== undefined) o.check(detail && `Le partenariat doit réunir au moins ${rule.minPartners} partenaires`)
  }
  if (rule.minFrenchCollectivites !== undefined) {
    const n = facts.frenchPartners
    if (n === undefined) o.add('partners', 'missing', detail && `Exige au moins ${rule.minFrenchCollectivites} collectivités françaises participantes : à préciser`, 'frenchPartners')
    else if (n < rule.minFrenchCollectivites) o.add('partners', 'fail', detail && `Exige au moins ${rule.minFrenchCollectivites} collectivités françaises participantes : le projet en réunit ${n}`)
    else o.add('partners', 'pass', detail && `${n} collectivités françaises participantes (au moins ${rule.minFrenchCollectivites} exigées)`)
  }
}

function evaluateScope(scope: NonNullable<Programme['eligibility']['scope']>, facts: ProjectFacts, o: Outcomes): void {
  const detail = o.detail
  const themes = facts.themes ?? []
  const not = facts.notThemes ?? []
  if (themes.some((t) => scope.themes.includes(t))) {
    o.add('scope', 'pass', detail && `Dans le champ du programme : ${scope.label}`)
    return
  }
  const excluded = themes.find((t) => scope.excludedThemes.includes(t))
  if (excluded) {
    o.add('scope', 'fail', detail && `Hors du champ du programme (${scope.label}) : ${THEMES[excluded].label.toLowerCase()} n'en relève pas`)
    return
  }
  if (scope.themes.every((t) => not.includes(t))) {
    o.add('scope', 'fail', detail && `Limité à : ${scope.label} ; votre projet n'en relève pas`)
    return
  }
  if (themes.length === 0 || themes.every((t) => scope.openThemes.includes(t))) {
    o.add('scope', 'missing', detail && `Limité à : ${scope.label} : votre projet en relève-t-il ?`, `scope:${scope.themes[0]!}`)
    return
  }
  o.add('scope', 'fail', detail && `Limité à : ${scope.label} ; votre projet (${themes.slice(0, 3).map((t) => THEMES[t].label.toLowerCase()).join(', ')}) n'en relève pas`)
}

function evaluateTerritory(programme: Programme, profile: CollectiviteProfile | undefined, o: Outcomes): void {
  const t = programme.eligibility.territory!
  const listed = t.communes || t.epcis
  if (!profile) {
    if (t.zones || t.regions || t.departements || listed || t.excludedEpciKinds || t.excludedRegions || t.excludedDepartements) {
      o.add('territory', 'missing', o.detail && `Réservé au territoire suivant : ${t.label}`, 'collectivite')
    }
    return
  }
  const region = profile.region?.code
  const dept = profile.departement?.code
  // A commune's EPCI, or an EPCI's own kind: « hors métropole » rules read it.
  const epciKind = profile.type === 'commune' || profile.type === 'epci' ? profile.epci?.kind : undefined
  let failure: 'in' | 'out' | 'kind' | undefined
  if (outsideArea(t, profile)) failure = 'in'
  else if (listed && !((profile.type === 'commune' && t.communes?.includes(profile.code)) || (profile.type === 'epci' && t.epcis?.includes(profile.code)))) {
    // A commune described without its name cannot be placed on a list.
    if (profile.type === 'commune' && !profile.code) {
      o.add('territory', 'missing', o.detail && `Réservé à une liste de collectivités (${t.label}) : précisez le nom de votre commune`, 'collectivite')
      return
    }
    failure = 'in'
  } else if (region && t.excludedRegions?.includes(region)) failure = 'out'
  else if (dept && t.excludedDepartements?.includes(dept)) failure = 'out'
  else if (t.excludedEpciKinds && epciKind && t.excludedEpciKinds.includes(epciKind)) failure = 'kind'
  else if (t.excludedEpciKinds && !epciKind && profile.type === 'commune') {
    o.add('territory', 'missing', o.detail && `Les communes de certaines intercommunalités (${t.excludedEpciKinds.join(', ')}) en sont exclues : précisez le nom de votre commune`, 'collectivite')
    return
  }
  if (failure) {
    const where = o.detail && (profile.type === 'commune' ? `${profile.name} (${profile.departement?.code ?? ''})` : profile.name)
    const text =
      failure === 'in'
        ? `Hors territoire (${t.label}) : ${where} n'en fait pas partie`
        : failure === 'out'
          ? `Territoire exclu (${t.label}) : ${where} en fait partie`
          : profile.type === 'commune'
            ? `Les communes membres d'une ${EPCI_KIND_NOUN[epciKind!]} en sont exclues (${t.label}) : ${where} est membre de ${profile.epci!.name}`
            : `Les ${EPCI_KIND_NOUN[epciKind!]}s en sont exclues (${t.label})`
    o.add('territory', 'fail', o.detail && text)
    return
  }
  const restricted = t.zones || t.regions || t.departements || listed || t.excludedEpciKinds || t.excludedRegions || t.excludedDepartements
  o.add('territory', 'pass', o.detail && (restricted ? `Territoire couvert : ${t.label}` : `Ouvert sur tout le territoire (${t.label})`))
}

const EPCI_KIND_NOUN: Record<string, string> = { CC: 'communauté de communes', CA: 'communauté d\'agglomération', CU: 'communauté urbaine', METRO: 'métropole', MET69: 'métropole' }

function evaluatePopulation(all: PopulationRule[], applicant: ApplicantType, profile: CollectiviteProfile | undefined, facts: ProjectFacts, o: Outcomes): void {
  const { applicable, specific } = populationRules(all, applicant, profile?.zone)
  if (!applicable) return
  const pop = applicantPop(applicant, profile, facts)
  if (pop === undefined) {
    o.add('population', 'missing', o.detail && `Seuil de population (${applicable.map(describeBounds).join(' ; ')}) : population du porteur à préciser`, 'population')
    return
  }
  const detail = o.detail
  const who = detail && `${APPLICANT_NOUN[applicant]} de ${formatInt(pop)} hab.`
  for (const r of applicable) {
    // Zone-specific rules win over zone-less ones for the same applicant.
    if (specific && !r.zone) continue
    const breach = populationBreach(r, pop)
    if (breach === 'min') {
      o.add('population', 'fail', detail && `${who} : sous le seuil minimal de ${formatInt(r.min!)} hab.${inZone(r)}`)
      continue
    }
    if (breach === 'max') {
      if (r.unlessAboveMax) {
        unlessAboveMax(r, pop, profile, facts, o)
        continue
      }
      o.add('population', 'fail', detail && `${who} : au-dessus du plafond ${r.maxInclusive ? `de ${formatInt(r.max!)} hab.` : `(moins de ${formatInt(r.max!)} hab. exigés)`}${inZone(r)}`)
      continue
    }
    if (r.conditionalAbove !== undefined && pop <= r.conditionalAbove) {
      o.add('population', 'pass', detail && `${who} : éligible d'office (${formatInt(r.conditionalAbove)} hab. ou moins${inZone(r)})`)
      continue
    }
    if (!detail) {
      o.add('population', 'pass', false)
      continue
    }
    if (r.conditionalAbove !== undefined) o.check(`${r.condition![0]!.toUpperCase()}${r.condition!.slice(1)}`)
    const parts: string[] = []
    if (r.max !== undefined) parts.push(`sous le plafond de ${formatInt(r.max)} hab.${inZone(r)}`)
    if (r.min !== undefined) parts.push(`au-dessus du seuil de ${formatInt(r.min)} hab.${inZone(r)}`)
    if (parts.length === 0 && r.conditionalAbove !== undefined) parts.push(`au-delà de ${formatInt(r.conditionalAbove)} hab.${inZone(r)}, sous condition`)
    o.add('population', 'pass', `${who} : ${parts.join(' et ')}`)
  }
}

/** Above the ceiling, still eligible if the centre commune is small enough or the density low enough (DETR's EPCI rule). */
function unlessAboveMax(r: PopulationRule, pop: number, profile: CollectiviteProfile | undefined, facts: ProjectFacts, o: Outcomes): void {
  const u = r.unlessAboveMax!
  const detail = o.detail
  const over = detail && `${formatInt(pop)} hab., au-delà de ${formatInt(r.max!)} hab.${inZone(r)}`
  const centre = profile?.type === 'epci' ? profile.centre : undefined
  if (u.centreMax !== undefined && centre && centre.population <= u.centreMax) {
    o.add('population', 'pass', detail && `${over}, mais sa commune la plus peuplée (${centre.name}, ${formatInt(centre.population)} hab.) n'en compte pas plus de ${formatInt(u.centreMax)}`)
    return
  }
  const centreFails = u.centreMax === undefined || (centre !== undefined && centre.population > u.centreMax)
  if (u.densityMax !== undefined) {
    const density = facts.density
    if (density !== undefined && density <= u.densityMax) {
      o.add('population', 'pass', detail && `${over}, mais densité de ${formatInt(density)} hab./km² (au plus ${formatInt(u.densityMax)})`)
      return
    }
    if (density === undefined) {
      o.add('population', 'missing', detail && `${over}${centre ? ` et commune-centre de plus de ${formatInt(u.centreMax ?? 0)} hab. (${centre.name})` : ''} : reste éligible si la densité ne dépasse pas ${formatInt(u.densityMax)} hab./km², à préciser`, centreFails ? 'density' : 'collectivite')
      return
    }
  }
  if (!centreFails) {
    o.add('population', 'missing', detail && `${over} : reste éligible si sa commune la plus peuplée compte au plus ${formatInt(u.centreMax!)} hab., à préciser`, 'collectivite')
    return
  }
  const why = [centre && u.centreMax !== undefined ? `commune-centre ${centre.name} de ${formatInt(centre.population)} hab. (plus de ${formatInt(u.centreMax)})` : '', facts.density !== undefined ? `densité de ${formatInt(facts.density)} hab./km² (plus de ${formatInt(u.densityMax!)})` : ''].filter(Boolean)
  o.add('population', 'fail', detail && `${over}, avec ${why.join(' et ')}`)
}

// Per-programme texts that do not depend on who asks: built once, reused by every evaluation.
const stageNotes = new WeakMap<Programme, string>()
const notes = new WeakMap<Programme, string[]>()

function stageNote(p: Programme): string {
  let note = stageNotes.get(p)
  if (note === undefined) {
    note = `Finance seulement ${listFr(p.eligibility.stages!.map((s) => STAGE_NOUNS[s]))}`
    stageNotes.set(p, note)
  }
  return note
}

/** The conditions no program can decide, and the uncertain eligibility facts: always « à vérifier ». */
function staticNotes(p: Programme): string[] {
  let list = notes.get(p)
  if (!list) {
    list = [...p.eligibility.conditions]
    for (const u of p.uncertain) {
      if (u.field === 'eligibility' || u.field === 'population' || u.field === 'territory' || u.field === 'partnerCountry' || u.field === 'existence') {
        list.push(`À confirmer auprès du financeur : ${u.note}`)
      }
    }
    notes.set(p, list)
  }
  return list
}

function inZone(r: PopulationRule): string {
  return r.zone ? ` en ${ZONE_LABELS[r.zone]}` : ''
}

function describeBounds(r: PopulationRule): string {
  const who = r.applicants.map((a) => APPLICANT_TYPES[a].plural).join('/')
  const zone = r.zone ? ` (${ZONE_LABELS[r.zone]})` : ''
  const parts: string[] = []
  if (r.min !== undefined) parts.push(`au moins ${formatInt(r.min)} hab.`)
  if (r.max !== undefined) parts.push(`${r.maxInclusive ? 'au plus' : 'moins de'} ${formatInt(r.max)} hab.`)
  if (r.conditionalAbove !== undefined) parts.push(`sous condition au-delà de ${formatInt(r.conditionalAbove)} hab.`)
  if (r.unlessAboveMax) parts.push('au-delà, sous condition de commune-centre ou de densité')
  return `${who}${zone} : ${parts.join(', ')}`
}
