// The embedded SearchIndex: in-process, no service to run, the default of `npm start`. French
// analysis, typo tolerance, prefix search on the last word, synonyms, field boosts, filters,
// facets and a deadline sort over a compact inverted index (inverted-index.ts).
import { assertSearchDocuments } from '../document.ts'
import type { SearchHit, SearchIndex, SearchQuery, SearchResult } from '../search-index.ts'
import { synonymMap } from '../synonyms.ts'
import { HardIndex } from './hard-index.ts'
import { InvertedIndex, type MatchResult } from './inverted-index.ts'
import { buildSynonymLookup, planQuery, type SynonymLookup } from './query-plan.ts'

export interface EmbeddedSearchIndexOptions {
  /** Synonyms as search/synonyms.ts builds them; defaults to that map. */
  synonyms?: Map<string, string[]>
  /** Rebuild once removed or replaced documents exceed this share of the live ones, counted as at least 1,000 (default 0.5). */
  compactRatio?: number
  /** replaceAll builds this many documents at a time, letting searches run in between (default 500). */
  buildChunk?: number
}

const DEFAULT_LIMIT = 20
const MAX_LIMIT = 1000

export function createEmbeddedSearchIndex({ synonyms = synonymMap(), compactRatio = 0.5, buildChunk = 500 }: EmbeddedSearchIndexOptions = {}): SearchIndex {
  const lookup = buildSynonymLookup(synonyms)
  let index = new InvertedIndex({ phrasePairs: lookup.phrasePairs })
  // The hard rules of the current documents: built with replaceAll, again after an upsert or a removal when next asked.
  let hard: HardIndex | undefined
  // Writes run one after another, so an upsert never lands in an index that replaceAll is about
  // to throw away. Searches never wait: they read whichever index is current.
  let writes: Promise<unknown> = Promise.resolve()
  const write = <T>(task: () => Promise<T> | T): Promise<T> => {
    const run = writes.then(task, task)
    writes = run.catch(() => undefined)
    return run
  }

  const compactIfNeeded = () => {
    if (index.deadSlots > compactRatio * Math.max(index.size, 1000)) {
      const live = [...index.documents()]
      const fresh = new InvertedIndex({ sample: live, phrasePairs: lookup.phrasePairs })
      for (const d of live) fresh.add(d)
      index = fresh
    }
  }

  return {
    kind: 'embedded',

    replaceAll(docs) {
      const list = [...docs] // the caller may reuse its array while the build yields
      return write(async () => {
        assertSearchDocuments(list)
        const next = new InvertedIndex({ sample: list, phrasePairs: lookup.phrasePairs })
        for (let i = 0; i < list.length; i++) {
          next.add(list[i]!)
          // Yield now and then: searches keep being served, from the old index, while this one builds.
          if ((i + 1) % buildChunk === 0) await new Promise((resolve) => setTimeout(resolve, 0))
        }
        const nextHard = HardIndex.build([...next.documents()])
        index = next
        hard = nextHard
      })
    },

    upsert(docs) {
      return write(() => {
        assertSearchDocuments(docs)
        for (const d of docs) index.add(d)
        hard = undefined
        compactIfNeeded()
      })
    },

    remove(ids) {
      return write(() => {
        for (const id of ids) index.remove(id)
        hard = undefined
        compactIfNeeded()
      })
    },

    async search(query) {
      return searchIndex(index, query, lookup)
    },

    async setAside(filter) {
      hard ??= HardIndex.build([...index.documents()])
      return hard.setAside(filter)
    },

    async count() {
      return index.size
    },
  }
}

function searchIndex(index: InvertedIndex, query: SearchQuery, lookup: SynonymLookup): SearchResult {
  const limit = Math.min(Math.max(0, Math.floor(query.limit ?? DEFAULT_LIMIT)), MAX_LIMIT)
  const offset = Math.max(0, Math.floor(query.offset ?? 0))
  const groups = planQuery(query.q ?? '', lookup)
  // A query of stop words only ("de la") matches everything, as Meilisearch does.
  const matched: MatchResult | null = groups.length > 0 ? index.match(groups) : null
  let slots = matched ? matched.slots : index.allSlots()
  const filter = index.filterMask(query.filters)
  if (filter) slots = slots.filter((s) => filter.mask[s] === filter.required)

  const relevance = matched
    ? (a: number, b: number) => matched.groups[b]! - matched.groups[a]! || matched.score[b]! - matched.score[a]! || a - b
    : (a: number, b: number) => a - b
  const deadline = (slot: number) => index.document(slot)!.nextDeadline ?? Number.POSITIVE_INFINITY
  const compare = query.sort === 'deadline' ? (a: number, b: number) => deadline(a) - deadline(b) || relevance(a, b) : relevance

  const page = topK(slots, offset + limit, compare).slice(offset)
  const hits: SearchHit[] = page.map((slot) => ({
    id: index.document(slot)!.id,
    // Matched groups first, then the weight within them, squeezed under 1: one number, same order.
    score: matched ? matched.groups[slot]! + matched.score[slot]! / (1 + matched.score[slot]!) : 0,
  }))
  return {
    hits,
    total: slots.length,
    facets: query.facets?.length ? index.facetCounts(slots, query.facets) : {},
  }
}

/** The k first slots in `compare` order, without sorting everything when k is small. */
function topK(slots: number[], k: number, compare: (a: number, b: number) => number): number[] {
  if (k <= 0) return []
  if (k * 8 >= slots.length) return slots.slice().sort(compare).slice(0, k)
  const best: number[] = []
  for (const slot of slots) {
    if (best.length === k && compare(slot, best[k - 1]!) >= 0) continue
    let lo = 0
    let hi = best.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (compare(best[mid]!, slot) <= 0) lo = mid + 1
      else hi = mid
    }
    best.splice(lo, 0, slot)
    if (best.length > k) best.pop()
  }
  return best
}

