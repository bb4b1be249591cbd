// The hard rules of eligibility as a search index stores and filters them: what a programme's
// document carries (who may apply, by type or by name; where; the population bounds that bar
// outright; the days the call is closed whatever the project) and the filter a collectivité's
// profile, facts and day make. Both come from core/eligibility's own predicates, so that the
// documents an index sets aside are exactly those `closedWhatever` or `excludedByApplicant` leave
// out (test/search/hard-filter.test.ts holds them to it).
import { APPLICANT_TYPE_IDS, ZONES, type ApplicantType, type Zone } from '../core/applicants.ts'
import { dayNumber } from '../core/clock.ts'
import { closedWhateverSpans, populationBounds } from '../core/eligibility.ts'
import type { CollectiviteProfile, ProjectFacts } from '../core/profile.ts'
import type { Programme } from '../core/programme.ts'
import type { HardFilter, PopulationBounds, SearchDocument } from './search-index.ts'

/** In a territory list: the programme is not limited there. */
export const ANYWHERE = '*'
/** At most this many closed spans per document (core/eligibility's `closedWhateverSpans` gives two at most). */
export const CLOSED_SPANS_MAX = 3

export type HardAttributes = Pick<SearchDocument, 'admittedAs' | 'territoryZones' | 'territoryRegions' | 'territoryDepartements' | 'populationBounds' | 'closedSpans'>

/** The population bounds' key for an applicant type in a zone (none without a profile). */
export function populationKey(applicant: ApplicantType, zone: Zone | undefined): string {
  return `${applicant}_${zone ?? 'none'}`
}

// A programme is immutable and the documents are rebuilt daily from the same ones: what they
// carry of the hard rules, which does not depend on the day, is read once (shared, never written).
const attributes = new WeakMap<Programme, HardAttributes>()

/** What a programme's document carries of its hard rules. */
export function hardAttributes(p: Programme): HardAttributes {
  let a = attributes.get(p)
  if (!a) attributes.set(p, (a = readHardAttributes(p)))
  return a
}

function readHardAttributes(p: Programme): HardAttributes {
  const el = p.eligibility
  const admittedAs: string[] = []
  for (const a of el.admitted) {
    for (const c of a.regions ?? []) admittedAs.push(`region:${c}`)
    for (const c of a.departements ?? []) admittedAs.push(`departement:${c}`)
    for (const c of a.epcis ?? []) admittedAs.push(`epci:${c}`)
    for (const c of a.communes ?? []) admittedAs.push(`commune:${c}`)
  }
  const t = el.territory
  let bounds: Record<string, PopulationBounds> = NO_BOUNDS
  if (el.population.length > 0) {
    bounds = {}
    for (const applicant of APPLICANT_TYPE_IDS) {
      for (const zone of [...ZONES, undefined]) {
        const b = populationBounds(el.population, applicant, zone)
        if (b) bounds[populationKey(applicant, zone)] = b
      }
    }
    bounds = intern(bounds)
  }
  return {
    admittedAs: admittedAs.length ? [...new Set(admittedAs)] : NONE,
    territoryZones: t?.zones ? [...t.zones] : EVERYWHERE,
    territoryRegions: t?.regions ? [...t.regions] : EVERYWHERE,
    territoryDepartements: t?.departements ? [...t.departements] : EVERYWHERE,
    populationBounds: bounds,
    closedSpans: closedWhateverSpans(p).map(([from, until]) => ({ from, until })),
  }
}

// Most programmes share these: one copy each (documents are never written).
const NONE: string[] = []
const EVERYWHERE = [ANYWHERE]
const NO_BOUNDS: Record<string, PopulationBounds> = {}
const interned = new Map<string, Record<string, PopulationBounds>>()

/** One object for equal population bounds (a catalogue repeats a handful of thresholds). */
function intern(bounds: Record<string, PopulationBounds>): Record<string, PopulationBounds> {
  const key = JSON.stringify(bounds)
  let shared = interned.get(key)
  if (!shared) interned.set(key, (shared = bounds))
  return shared
}

/** The types core/eligibility admits by name (its `admits`): the others never are. */
const NAMED = new Set<ApplicantType>(['region', 'departement', 'epci', 'commune'])

/** The filter for this collectivité (or none), the applicant its facts name, and this day. */
export function hardFilter(profile: CollectiviteProfile | undefined, facts: Pick<ProjectFacts, 'applicantType' | 'applicantPopulation'>, today: string): HardFilter {
  const applicant = facts.applicantType ?? profile?.type
  const filter: HardFilter = { day: dayNumber(today) }
  if (applicant) {
    filter.applicant = applicant
    if (applicant === profile?.type && NAMED.has(applicant)) filter.admittedAs = `${applicant}:${profile.code}`
    const pop = applicant === profile?.type ? profile.population : facts.applicantPopulation
    // A population no bound compares with (NaN) bars nothing; an infinite one, as the largest number would.
    if (pop !== undefined && !Number.isNaN(pop)) filter.population = { key: populationKey(applicant, profile?.zone), value: Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, pop)) }
  }
  if (profile) {
    filter.place = { zone: profile.zone }
    // An empty code is no code: the evaluator finds it in no list.
    if (profile.region?.code) filter.place.region = profile.region.code
    if (profile.departement?.code) filter.place.departement = profile.departement.code
  }
  return filter
}

/** Whether one document is set aside by the filter: the rule every engine implements. */
export function setAsideBy(doc: HardAttributes & Pick<SearchDocument, 'applicantTypes'>, f: HardFilter): boolean {
  if (f.applicant && !doc.applicantTypes.includes(f.applicant) && !(f.admittedAs !== undefined && doc.admittedAs.includes(f.admittedAs))) return true
  if (f.place) {
    if (!inList(doc.territoryZones, f.place.zone) || !inList(doc.territoryRegions, f.place.region) || !inList(doc.territoryDepartements, f.place.departement)) return true
  }
  const b = f.population && doc.populationBounds[f.population.key]
  if (b && breaks(b, f.population!.value)) return true
  return doc.closedSpans.some((s) => s.from <= f.day && f.day < s.until)
}

export function breaks(b: PopulationBounds, pop: number): boolean {
  return (b.min !== undefined && pop < b.min) || (b.atMost !== undefined && pop > b.atMost) || (b.below !== undefined && pop >= b.below)
}

function inList(list: readonly string[], value: string | undefined): boolean {
  return list.includes(ANYWHERE) || (value !== undefined && list.includes(value))
}
