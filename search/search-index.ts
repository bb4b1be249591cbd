// The SearchIndex port: full-text search over programmes, with filters, facets and a
// deadline sort. Implemented by search/embedded/ (in-process, the default) and
// search/meilisearch/ (production); both pass test/search/search-index.contract.ts.
import type { ApplicantType, Zone } from '../core/applicants.ts'
import type { CalendarStatus } from '../core/calendar.ts'
import type { Level } from '../core/programme.ts'
import type { ThemeId } from '../core/themes.ts'

/** What the index stores for one programme (see search/document.ts for the mapping). */
export interface SearchDocument {
  id: string
  name: string
  shortName: string | null
  funders: string[]
  summary: string
  keywords: string[]
  themes: ThemeId[]
  /** French labels of the themes, so that "éclairage public" finds the theme by its name. */
  themeLabels: string[]
  level: Level
  applicantTypes: ApplicantType[]
  /** Calendar status on the day the document was built (the runtime rebuilds daily). */
  status: CalendarStatus
  /** Next known deadline as epoch milliseconds (UTC midnight), null when none is known. */
  nextDeadline: number | null
  // The hard rules (search/hard-filter.ts builds them from core/eligibility's predicates):
  /** Collectivités admitted by name although their type is not, as `type:code` (`commune:18033`). */
  admittedAs: string[]
  /** The zones, régions and départements the programme is limited to; ["*"] when it is not. */
  territoryZones: string[]
  territoryRegions: string[]
  territoryDepartements: string[]
  /** By `<applicant>_<zone>` (`none` without a profile): the population bounds that bar outright. */
  populationBounds: Record<string, PopulationBounds>
  /** The days the call cannot be applied to whatever the project, as [from, until) day numbers (at most 3 spans). */
  closedSpans: { from: number; until: number }[]
}

/** Document ids: `has` in constant time, and the ids themselves when iterated (an engine may keep them as a bitset until then). */
export interface IdSet extends Iterable<string> {
  has(id: string): boolean
  readonly size: number
}

/** Barred when the population is under `min`, over `atMost` or at least `below`. */
export interface PopulationBounds {
  min?: number
  atMost?: number
  below?: number
}

/**
 * Who asks and on which day, as the hard rules read it (search/hard-filter.ts `hardFilter` builds
 * it from a profile and facts). A document is set aside when: `applicant` is given and is neither
 * among its applicantTypes nor admitted by name (`admittedAs`); `place` is given and lies outside
 * its territory; `population` is given and breaks its bounds for `population.key`; or `day`
 * falls in one of its closed spans.
 */
export interface HardFilter {
  applicant?: ApplicantType
  admittedAs?: string
  place?: { zone: Zone; region?: string; departement?: string }
  population?: { key: string; value: number }
  /** core/clock's `dayNumber` of the day asked about. */
  day: number
}

export const FACETS = ['level', 'themes', 'applicantTypes', 'status', 'funders'] as const
export type FacetName = (typeof FACETS)[number]

export interface SearchFilters {
  level?: Level[]
  themes?: ThemeId[]
  applicantTypes?: ApplicantType[]
  status?: CalendarStatus[]
  funders?: string[]
  ids?: string[]
}

export interface SearchQuery {
  /** Free French text; empty or absent matches every document (filters still apply), and so does stop words only ("de la"). */
  q?: string
  /** Values within one filter are OR-ed; filters are AND-ed together; an empty list matches no document. */
  filters?: SearchFilters
  facets?: FacetName[]
  /** relevance (default) or deadline: soonest known deadline first, documents without one last. */
  sort?: 'relevance' | 'deadline'
  /** Hits per page: 20 when absent, at most 1,000. `total` counts all matches whatever the page. */
  limit?: number
  offset?: number
}

export interface SearchHit {
  id: string
  /** Relevance, higher is better; comparable only within one result list. 0 when q is empty. */
  score: number
}

export interface SearchResult {
  hits: SearchHit[]
  total: number
  facets: Partial<Record<FacetName, Record<string, number>>>
}

export interface SearchIndex {
  readonly kind: 'embedded' | 'meilisearch'
  /** Builds a new index from these documents and swaps it in atomically: searches never see a half-built index, and a failure leaves the old one in place. */
  replaceAll(docs: SearchDocument[]): Promise<void>
  upsert(docs: SearchDocument[]): Promise<void>
  remove(ids: string[]): Promise<void>
  search(query: SearchQuery): Promise<SearchResult>
  /**
   * The ids of every indexed document the hard rules set aside for this filter (see HardFilter),
   * whatever their text: matching asks it once per catalogue, collectivité and day, and still
   * judges the others with the evaluator. The documents set aside, not those kept, so that a
   * programme the index lacks is judged in full rather than dropped.
   */
  setAside(filter: HardFilter): Promise<IdSet>
  count(): Promise<number>
}
