// The Meilisearch SearchIndex, for production: the same contract as the embedded index
// (test/search/search-index.contract.ts), with the same synonyms and French stop words.
// replaceAll fills a temporary index and swaps it in, so searches never see a half-built one.
import { Meilisearch, MeilisearchApiError, type EnqueuedTaskPromise, type Index, type SearchParams, type SearchResponse, type Settings, type Task } from 'meilisearch'
import { assertSearchDocuments } from '../document.ts'
import { analyseFrench, foldAccents, FRENCH_STOP_WORD_LIST } from '../french.ts'
import { ANYWHERE, CLOSED_SPANS_MAX } from '../hard-filter.ts'
import { FACETS, type FacetName, type HardFilter, type IdSet, type SearchDocument, type SearchFilters, type SearchIndex, type SearchQuery, type SearchResult } from '../search-index.ts'
import { synonymMap } from '../synonyms.ts'

export interface MeilisearchSearchIndexOptions {
  host: string
  apiKey?: string
  /** The index searches go to; replaceAll builds `<indexUid>_tmp_<n>` beside it, then swaps. */
  indexUid?: string
  /** Documents per addDocuments call (default 1,000). */
  batchSize?: number
  /** How long to wait for one Meilisearch task before giving up, in ms (default 120,000). */
  taskTimeoutMs?: number
  /** Per HTTP request, in ms (default 10,000). */
  requestTimeoutMs?: number
  /** The most hits Meilisearch counts exactly for `total` (pagination.maxTotalHits, default 10,000). */
  maxTotalHits?: number
  /** Synonyms as search/synonyms.ts builds them; defaults to that map. */
  synonyms?: Map<string, string[]>
}

/** Search parameters with page and hitsPerPage set: the response then carries an exact totalHits. */
type PagedSearchParams = SearchParams & { page: number; hitsPerPage: number }

const DEFAULT_LIMIT = 20
const MAX_LIMIT = 1000

/** The filterable fields, and how SearchFilters names map onto them. */
const FILTER_FIELDS: Record<keyof SearchFilters, string> = {
  level: 'level',
  themes: 'themes',
  applicantTypes: 'applicantTypes',
  status: 'status',
  funders: 'funders',
  ids: 'id',
}

/** The stored attributes the hard rules filter on (`closed0`… are the closed spans, see `toStored`). */
export const HARD_ATTRIBUTES = ['admittedAs', 'territoryZones', 'territoryRegions', 'territoryDepartements', 'populationBounds', ...Array.from({ length: CLOSED_SPANS_MAX }, (_, i) => `closed${i}`)]

/** Documents per page when reading the ids a filter sets aside (`/documents/fetch`). */
export const SET_ASIDE_PAGE = 1000

/** The index settings, shared by the live and the temporary index. */
export function meilisearchSettings({ synonyms = synonymMap(), maxTotalHits = 10_000 }: { synonyms?: Map<string, string[]>; maxTotalHits?: number } = {}): Settings {
  return {
    // In boost order: Meilisearch's "attribute" rule ranks a match in an earlier field higher.
    searchableAttributes: ['name', 'shortName', 'themeLabels', 'keywords', 'summary', 'funders'],
    filterableAttributes: ['id', 'level', 'themes', 'applicantTypes', 'status', 'funders', ...HARD_ATTRIBUTES],
    sortableAttributes: ['nextDeadline'],
    // "sort" first: a deadline sort is a real sort, not a tie-breaker after relevance. Without a
    // sort parameter the rule does nothing and relevance applies as usual.
    rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
    displayedAttributes: ['*'],
    synonyms: Object.fromEntries(synonyms),
    // As written and folded, so that the list holds whatever Meilisearch normalises.
    stopWords: [...new Set([...FRENCH_STOP_WORD_LIST, ...FRENCH_STOP_WORD_LIST.map(foldAccents)])],
    // Meilisearch's defaults, written down: one typo from 5 letters, two from 9.
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
    faceting: { maxValuesPerFacet: 1000 },
    pagination: { maxTotalHits },
    localizedAttributes: [{ attributePatterns: ['*'], locales: ['fra'] }],
  }
}

/** `"value"` with backslashes and double quotes escaped, as Meilisearch filter strings expect. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
}

/** SearchFilters as a Meilisearch filter: `field IN [...]` per filter (OR within), AND-ed. */
export function toMeilisearchFilter(filters: SearchFilters | undefined): string[] {
  const clauses: string[] = []
  for (const key of Object.keys(FILTER_FIELDS) as (keyof SearchFilters)[]) {
    const values = filters?.[key]
    if (values === undefined) continue
    clauses.push(`${FILTER_FIELDS[key]} IN [${values.map(quoteFilterValue).join(', ')}]`)
  }
  return clauses
}

/**
 * The Meilisearch filter that sets aside what HardFilter describes: each rule's failure, OR-ed
 * (a type neither admitted nor named; a zone, région or département outside the lists, "*"
 * standing for anywhere; a population bound broken; the day inside a closed span).
 */
export function hardFilterExpression(f: HardFilter): string {
  const clauses: string[] = []
  if (f.applicant) {
    const type = `NOT applicantTypes = ${quoteFilterValue(f.applicant)}`
    clauses.push(f.admittedAs === undefined ? type : `(${type} AND NOT admittedAs = ${quoteFilterValue(f.admittedAs)})`)
  }
  if (f.place) {
    const outside = (field: string, value: string | undefined) => `${field} NOT IN [${[ANYWHERE, ...(value === undefined ? [] : [value])].map(quoteFilterValue).join(', ')}]`
    clauses.push(outside('territoryZones', f.place.zone), outside('territoryRegions', f.place.region), outside('territoryDepartements', f.place.departement))
  }
  if (f.population) {
    const at = `populationBounds.${f.population.key}`
    const v = String(f.population.value)
    clauses.push(`${at}.min > ${v}`, `${at}.atMost < ${v}`, `${at}.below <= ${v}`)
  }
  for (let i = 0; i < CLOSED_SPANS_MAX; i++) clauses.push(`(closed${i}.from <= ${f.day} AND closed${i}.until > ${f.day})`)
  return clauses.join(' OR ')
}

/**
 * The stored document: a null nextDeadline is left out, because Meilisearch places documents
 * lacking the sort attribute after all the others (sort specification); what it does with an
 * explicit null is not specified. The closed spans become `closed0`, `closed1`…: a filter on an
 * array of objects would not tie a span's start to its own end.
 */
function toStored(doc: SearchDocument): Record<string, unknown> {
  const { nextDeadline, closedSpans, ...rest } = doc
  const stored: Record<string, unknown> = nextDeadline === null ? rest : { ...rest, nextDeadline }
  closedSpans.forEach((span, i) => (stored[`closed${i}`] = span))
  return stored
}

/** The ids the filter sets aside, read page by page from `/documents/fetch` (no maxTotalHits there). */
async function setAsideLive(live: Index<Record<string, unknown>>, filter: HardFilter): Promise<IdSet> {
  const expression = hardFilterExpression(filter)
  const ids = new Set<string>()
  for (let offset = 0; ; offset += SET_ASIDE_PAGE) {
    let page
    try {
      page = await live.getDocuments<{ id: string }>({ filter: expression, fields: ['id'], limit: SET_ASIDE_PAGE, offset })
    } catch (err) {
      // Nothing indexed yet.
      if (isNotFound(err)) return ids
      throw err
    }
    for (const d of page.results) ids.add(String(d.id))
    if (page.results.length < SET_ASIDE_PAGE || offset + SET_ASIDE_PAGE >= page.total) return ids
  }
}

/** Waits for a task and turns a failed or canceled one into an error. */
async function succeeded(task: EnqueuedTaskPromise, timeoutMs: number): Promise<Task> {
  const finished = await task.waitTask({ timeout: timeoutMs })
  if (finished.status !== 'succeeded') {
    throw new Error(`Meilisearch task ${finished.uid} (${finished.type}) ${finished.status}: ${finished.error?.message ?? 'no detail'}`)
  }
  return finished
}

async function indexExists(client: Meilisearch, uid: string): Promise<boolean> {
  try {
    await client.getRawIndex(uid)
    return true
  } catch (err) {
    if (isNotFound(err)) return false
    throw err
  }
}

/** `run` once for every caller; a failure is not kept, so the next call tries again. */
function onceUntilFailure(run: () => Promise<void>): () => Promise<void> {
  let ready: Promise<void> | undefined
  return () =>
    (ready ??= run().catch((err) => {
      ready = undefined
      throw err
    }))
}

/** One task at a time: each starts when the previous one has settled, failed or not. */
function serialized(): <T>(task: () => Promise<T>) => Promise<T> {
  let writes: Promise<unknown> = Promise.resolve()
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = writes.then(task, task)
    writes = run.catch(() => undefined)
    return run
  }
}

/** The page asked for: limit and offset clamped, and whether the offset falls on a page boundary. */
interface Window {
  limit: number
  offset: number
  aligned: boolean
}

function windowOf(query: SearchQuery): Window {
  const limit = Math.min(Math.max(0, Math.floor(query.limit ?? DEFAULT_LIMIT)), MAX_LIMIT)
  const offset = Math.max(0, Math.floor(query.offset ?? 0))
  return { limit, offset, aligned: limit > 0 && offset % limit === 0 }
}

function searchParams({ limit, offset, aligned }: Window, filter: string[], facets: readonly FacetName[], sort: SearchQuery['sort']): PagedSearchParams {
  // page/hitsPerPage gives an exact totalHits (offset/limit only an estimate); an offset that
  // is not a multiple of the limit reads the first offset+limit hits and drops the head.
  const paging = limit === 0 ? { page: 1, hitsPerPage: 0 } : aligned ? { page: offset / limit + 1, hitsPerPage: limit } : { page: 1, hitsPerPage: offset + limit }
  return {
    ...paging,
    attributesToRetrieve: ['id'],
    showRankingScore: true,
    ...(filter.length > 0 ? { filter } : {}),
    ...(facets.length > 0 ? { facets: [...facets] } : {}),
    ...(sort === 'deadline' ? { sort: ['nextDeadline:asc'] } : {}),
  }
}

function toSearchResult(response: SearchResponse<{ id: string }, PagedSearchParams>, q: string, facets: readonly FacetName[], { limit, offset, aligned }: Window): SearchResult {
  // A query of stop words only is a placeholder search: no relevance to report.
  const scored = analyseFrench(q).length > 0
  const hits = (aligned || limit === 0 ? response.hits : response.hits.slice(offset)).map((h) => ({
    id: String(h.id),
    score: scored ? (h._rankingScore ?? 0) : 0,
  }))
  const distribution = response.facetDistribution ?? {}
  const facetCounts: SearchResult['facets'] = {}
  for (const f of facets) facetCounts[f] = { ...(distribution[f] ?? {}) }
  return { hits, total: response.totalHits, facets: facetCounts }
}

/** The documents `batchSize` at a time, each batch's task finished before the next is sent. */
async function addInBatches(index: Index<Record<string, unknown>>, docs: SearchDocument[], batchSize: number, done: (task: EnqueuedTaskPromise) => Promise<Task>): Promise<void> {
  for (let i = 0; i < docs.length; i += batchSize) {
    await done(index.addDocuments(docs.slice(i, i + batchSize).map(toStored), { primaryKey: 'id' }))
  }
}

/** A search on the live index; an empty answer when a filter lists nothing or nothing is indexed yet. */
async function searchLive(live: Index<Record<string, unknown>>, query: SearchQuery): Promise<SearchResult> {
  const facets = query.facets ?? []
  const filter = toMeilisearchFilter(query.filters)
  // An empty list in a filter keeps nothing (`IN []` is not something to send).
  if (Object.values(query.filters ?? {}).some((values) => values?.length === 0)) return emptyResult(facets)
  const window = windowOf(query)
  const q = query.q?.trim() ?? ''
  let response
  try {
    response = await live.search<{ id: string }, PagedSearchParams>(q, searchParams(window, filter, facets, query.sort))
  } catch (err) {
    // Nothing indexed yet.
    if (isNotFound(err)) return emptyResult(facets)
    throw err
  }
  return toSearchResult(response, q, facets, window)
}

async function countLive(live: Index<Record<string, unknown>>): Promise<number> {
  try {
    return (await live.getStats()).numberOfDocuments
  } catch (err) {
    if (isNotFound(err)) return 0
    throw err
  }
}

export function createMeilisearchSearchIndex({
  host,
  apiKey,
  indexUid = 'programmes',
  batchSize = 1000,
  taskTimeoutMs = 120_000,
  requestTimeoutMs = 10_000,
  maxTotalHits = 10_000,
  synonyms,
}: MeilisearchSearchIndexOptions): SearchIndex {
  const client = new Meilisearch({ host, ...(apiKey ? { apiKey } : {}), timeout: requestTimeoutMs })
  const settings = meilisearchSettings({ ...(synonyms ? { synonyms } : {}), maxTotalHits })
  const live = client.index<Record<string, unknown>>(indexUid)
  const done = (task: EnqueuedTaskPromise): Promise<Task> => succeeded(task, taskTimeoutMs)

  const createConfigured = async (uid: string) => {
    await done(client.createIndex(uid, { primaryKey: 'id' }))
    await done(client.index(uid).updateSettings(settings))
  }

  // The live index, created and configured once per process (settings are re-applied, so a
  // deployment that changes the synonyms updates them).
  const ensureLive = onceUntilFailure(async () => {
    if (!(await indexExists(client, indexUid))) await done(client.createIndex(indexUid, { primaryKey: 'id' }))
    await done(live.updateSettings(settings))
  })

  // One write at a time, so an upsert never lands in an index a replaceAll is about to swap out.
  const write = serialized()
  let tmpCounter = 0

  return {
    kind: 'meilisearch',

    replaceAll(docs) {
      return write(async () => {
        assertSearchDocuments(docs)
        await ensureLive()
        const tmpUid = `${indexUid}_tmp_${Date.now().toString(36)}${(tmpCounter++).toString(36)}`
        try {
          await createConfigured(tmpUid)
          await addInBatches(client.index(tmpUid), docs, batchSize, done)
          await done(client.swapIndexes([{ indexes: [indexUid, tmpUid], rename: false }]))
        } finally {
          // After the swap it holds the old documents; before it, a half-built set. Either way: gone.
          await client.deleteIndexIfExists(tmpUid).catch(() => undefined)
        }
      })
    },

    upsert(docs) {
      return write(async () => {
        assertSearchDocuments(docs)
        await ensureLive()
        await addInBatches(live, docs, batchSize, done)
      })
    },

    remove(ids) {
      return write(async () => {
        if (ids.length === 0) return
        await ensureLive()
        await done(live.deleteDocuments([...ids]))
      })
    },

    search(query) {
      return searchLive(live, query)
    },

    setAside(filter) {
      return setAsideLive(live, filter)
    },

    count() {
      return countLive(live)
    },
  }
}

function emptyResult(facets: readonly FacetName[]): SearchResult {
  return { hits: [], total: 0, facets: Object.fromEntries(facets.filter((f) => FACETS.includes(f)).map((f) => [f, {}])) }
}

function isNotFound(err: unknown): boolean {
  return err instanceof MeilisearchApiError && err.cause?.code === 'index_not_found'
}

