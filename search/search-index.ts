// The SearchIndex port: full-text search over programmes, with filters, facets and a
// deadline sort. Implemented by search/embedded/ (in-process, the default) and
// search/meilisearch/ (production); both pass test/search/search-index.contract.ts.
import type { ApplicantType } from '../core/applicants.ts'
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
  count(): Promise<number>
}
