// The data structure behind the embedded search index: a compact inverted index over French
// terms (each word indexed as typed, folded, and as its stem) with BM25-style weights computed
// once per posting, facet columns with integer codes for filters and counts, and scratch typed
// arrays reused by every query. Term lookup (exact, prefix, typo-tolerant) goes through
// MiniSearch's radix tree; scoring, intersections, filters and facets are done here, in flat
// arrays, because that is where the measured time went (see ENGINE.md).
import SearchableMap from 'minisearch/SearchableMap'
import { analyseFrench } from '../french.ts'
import type { FacetName, SearchDocument, SearchFilters } from '../search-index.ts'
import { FACETS } from '../search-index.ts'
import { phrasePair, type PlanGroup, type PlanToken } from './query-plan.ts'

type TextField = 'name' | 'shortName' | 'themeLabels' | 'keywords' | 'summary' | 'funders'

/** Field boosts: name and short name first, then themes and keywords, then summary, then funders. */
export const FIELD_BOOSTS: Readonly<Record<TextField, number>> = {
  name: 4,
  shortName: 4,
  themeLabels: 2,
  keywords: 2,
  summary: 1,
  funders: 0.5,
}
const TEXT_FIELDS = Object.keys(FIELD_BOOSTS) as TextField[]

// Used until the index has seen documents of its own (an index built empty, then upserted).
const NOMINAL_FIELD_LENGTH: Record<TextField, number> = { name: 8, shortName: 1, themeLabels: 12, keywords: 6, summary: 60, funders: 6 }

const K1 = 1.2
const B = 0.75

// How much a term found by each kind of match counts, relative to the word as typed.
const EXACT = 1
const STEM = 0.95
const PREFIX = 0.75
const ONE_TYPO = 0.6
const TWO_TYPOS = 0.4
/** A one-letter last word would expand to most of the vocabulary: prefixes start at two letters. */
const MIN_PREFIX = 2
const MAX_PREFIX_TERMS = 64

interface Postings {
  slots: number[]
  weights: number[]
}

interface TokenMatch {
  slots: number[]
  scores: Float64Array
}

/** A growable Int32Array: facet codes of every slot, laid end to end. */
class IntBuffer {
  data = new Int32Array(256)
  length = 0
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2)
      bigger.set(this.data)
      this.data = bigger
    }
    this.data[this.length++] = v
  }
}

/** One facet field: each distinct value gets a small integer code. */
class FacetColumn {
  readonly codeOf = new Map<string, number>()
  readonly values: string[] = []
  /** Codes of slot s are codes.data[starts.data[s] .. starts.data[s + 1]). */
  readonly codes = new IntBuffer()
  readonly starts = new IntBuffer()
  /** code → slots holding that value, ascending */
  readonly slotsOf: number[][] = []

  constructor() {
    this.starts.push(0)
  }

  /** Slots are added in increasing order, one call each. */
  add(slot: number, values: readonly string[]): void {
    const first = this.codes.length
    for (const v of values) {
      let code = this.codeOf.get(v)
      if (code === undefined) {
        code = this.values.length
        this.codeOf.set(v, code)
        this.values.push(v)
        this.slotsOf.push([])
      }
      let seen = false
      for (let i = first; i < this.codes.length; i++) if (this.codes.data[i] === code) seen = true
      if (seen) continue
      this.codes.push(code)
      this.slotsOf[code]!.push(slot)
    }
    this.starts.push(this.codes.length)
  }
}

/** The documents a query matched, with what the ranking needs; arrays are indexed by slot. */
export interface MatchResult {
  slots: number[]
  /** Number of query groups the document matched. */
  groups: Uint8Array
  score: Float64Array
}

function facetValues(doc: SearchDocument, facet: FacetName): readonly string[] {
  const v = doc[facet]
  return Array.isArray(v) ? v : [v as string]
}

export class InvertedIndex {
  /** Exact lookups go through a hash map; the radix tree serves prefix and typo-tolerant ones. */
  private readonly postings = new Map<string, Postings>()
  private readonly terms = new SearchableMap<Postings>()
  private readonly docs: (SearchDocument | undefined)[] = []
  private readonly slotOf = new Map<string, number>()
  private readonly facets = Object.fromEntries(FACETS.map((f) => [f, new FacetColumn()])) as Record<FacetName, FacetColumn>
  private readonly avgLength: Record<TextField, number>
  private live = 0

  // Scratch arrays, grown with the index and reused by every query (queries never interleave:
  // evaluation is synchronous). A slot belongs to the current pass when its mark equals the epoch.
  private epoch = 0
  private tokenMark = new Uint32Array(0)
  private tokenScore = new Float64Array(0)
  private altMark = new Uint32Array(0)
  private altCount = new Uint8Array(0)
  private altScore = new Float64Array(0)
  private groupMark = new Uint32Array(0)
  private groupScore = new Float64Array(0)
  private queryMark = new Uint32Array(0)
  private queryGroups = new Uint8Array(0)
  private queryScore = new Float64Array(0)

  private readonly phrasePairs: ReadonlySet<string>
  /** First stems of the phrase pairs: most adjacent pairs are ruled out without building a string. */
  private readonly phraseStarts: ReadonlySet<string>

  /**
   * An empty index. `sample` gives the average field lengths that BM25 normalises by: pass the
   * documents about to be added (the first 500 are read; none is added). `phrasePairs` are the
   * adjacent stem pairs of multi-word synonyms (SynonymLookup.phrasePairs), stored as terms.
   */
  constructor({ sample = [], phrasePairs = new Set<string>() }: { sample?: readonly SearchDocument[]; phrasePairs?: ReadonlySet<string> } = {}) {
    this.phrasePairs = phrasePairs
    this.phraseStarts = new Set([...phrasePairs].map((p) => p.slice(0, p.indexOf(' '))))
    this.avgLength = { ...NOMINAL_FIELD_LENGTH }
    const docs = sample.slice(0, 500)
    if (docs.length > 0) {
      for (const f of TEXT_FIELDS) {
        let total = 0
        for (const d of docs) for (const part of fieldParts(d, f)) total += analyseFrench(part).length
        this.avgLength[f] = Math.max(1, total / docs.length)
      }
    }
  }

  get size(): number {
    return this.live
  }

  /** Slots held by removed or replaced documents, until the index is rebuilt. */
  get deadSlots(): number {
    return this.docs.length - this.live
  }

  has(id: string): boolean {
    return this.slotOf.has(id)
  }

  document(slot: number): SearchDocument | undefined {
    return this.docs[slot]
  }

  *documents(): IterableIterator<SearchDocument> {
    for (const d of this.docs) if (d) yield d
  }

  /** Adds a document, replacing the one with the same id. */
  add(doc: SearchDocument): void {
    this.remove(doc.id)
    const slot = this.docs.length
    // Term weights: a BM25 term-frequency part per field, times the field's boost, summed.
    const weights = new Map<string, number>()
    const tf = new Map<string, number>()
    for (const field of TEXT_FIELDS) {
      tf.clear()
      let length = 0
      for (const part of fieldParts(doc, field)) {
        const tokens = analyseFrench(part)
        length += tokens.length
        for (let i = 0; i < tokens.length; i++) {
          const t = tokens[i]!
          tf.set(t.word, (tf.get(t.word) ?? 0) + 1)
          if (t.stem !== t.word) tf.set(t.stem, (tf.get(t.stem) ?? 0) + 1)
          if (i > 0 && this.phraseStarts.has(tokens[i - 1]!.stem)) {
            const pair = phrasePair(tokens[i - 1]!.stem, t.stem)
            if (this.phrasePairs.has(pair)) tf.set(pair, (tf.get(pair) ?? 0) + 1)
          }
        }
      }
      if (length === 0) continue
      const boost = FIELD_BOOSTS[field]
      const norm = K1 * (1 - B + (B * length) / this.avgLength[field])
      for (const [term, freq] of tf) weights.set(term, (weights.get(term) ?? 0) + (boost * freq * (K1 + 1)) / (freq + norm))
    }
    for (const [term, weight] of weights) {
      let postings = this.postings.get(term)
      if (!postings) {
        postings = { slots: [], weights: [] }
        this.postings.set(term, postings)
        this.terms.set(term, postings)
      }
      postings.slots.push(slot)
      postings.weights.push(weight)
    }
    for (const f of FACETS) this.facets[f].add(slot, facetValues(doc, f))
    this.docs.push(doc)
    this.slotOf.set(doc.id, slot)
    this.live++
  }

  /** Removes a document; its postings stay behind as dead slots, skipped until the next rebuild. */
  remove(id: string): boolean {
    const slot = this.slotOf.get(id)
    if (slot === undefined) return false
    this.docs[slot] = undefined
    this.slotOf.delete(id)
    this.live--
    return true
  }

  /** Documents matching the query groups, with their group counts and scores. */
  match(groups: PlanGroup[]): MatchResult {
    this.ensureScratch()
    // Synonym alternatives often share words ("rénovation énergétique" and "performance
    // énergétique"): each distinct token is matched once per query.
    const tokens = new Map<string, TokenMatch>()
    const matchToken = (t: PlanToken) => {
      const key = `${t.word} ${t.stem} ${t.prefix ? 1 : 0} ${t.typos}`
      let m = tokens.get(key)
      if (!m) tokens.set(key, (m = this.matchToken(t)))
      return m
    }
    const queryEpoch = this.nextEpoch()
    const matched: number[] = []
    for (const group of groups) {
      const groupEpoch = this.nextEpoch()
      const inGroup: number[] = []
      const keep = (slot: number, score: number) => {
        if (this.groupMark[slot] !== groupEpoch) {
          this.groupMark[slot] = groupEpoch
          this.groupScore[slot] = score
          inGroup.push(slot)
        } else if (score > this.groupScore[slot]!) this.groupScore[slot] = score
      }
      for (const alt of group) {
        if (alt.tokens.length === 1) {
          const { slots, scores } = matchToken(alt.tokens[0]!)
          for (let i = 0; i < slots.length; i++) keep(slots[i]!, scores[i]! * alt.weight)
          continue
        }
        // All tokens of the alternative: count, per slot, the tokens matched so far in order.
        const altEpoch = this.nextEpoch()
        const first = matchToken(alt.tokens[0]!)
        for (let i = 0; i < first.slots.length; i++) {
          const slot = first.slots[i]!
          this.altMark[slot] = altEpoch
          this.altCount[slot] = 1
          this.altScore[slot] = first.scores[i]!
        }
        for (let k = 1; k < alt.tokens.length; k++) {
          const { slots, scores } = matchToken(alt.tokens[k]!)
          for (let i = 0; i < slots.length; i++) {
            const slot = slots[i]!
            if (this.altMark[slot] === altEpoch && this.altCount[slot] === k) {
              this.altCount[slot] = k + 1
              this.altScore[slot]! += scores[i]!
            }
          }
        }
        const all = alt.tokens.length
        for (const slot of first.slots) if (this.altCount[slot] === all) keep(slot, this.altScore[slot]! * alt.weight)
      }
      for (const slot of inGroup) {
        if (this.queryMark[slot] !== queryEpoch) {
          this.queryMark[slot] = queryEpoch
          this.queryGroups[slot] = 1
          this.queryScore[slot] = this.groupScore[slot]!
          matched.push(slot)
        } else {
          this.queryGroups[slot]!++
          this.queryScore[slot]! += this.groupScore[slot]!
        }
      }
    }
    return { slots: matched, groups: this.queryGroups, score: this.queryScore }
  }

  /** Every live slot, in insertion order. */
  allSlots(): number[] {
    const slots: number[] = []
    for (let s = 0; s < this.docs.length; s++) if (this.docs[s]) slots.push(s)
    return slots
  }

  /**
   * The slots allowed by the filters, as a mask (mask[slot] === required), or null when no
   * filter applies. Values within a filter are OR-ed, filters AND-ed; an empty list matches nothing.
   */
  filterMask(filters: SearchFilters | undefined): { mask: Uint8Array; required: number } | null {
    if (!filters) return null
    const lists: number[][][] = []
    for (const f of FACETS) {
      const values = filters[f]
      if (values === undefined) continue
      const column = this.facets[f]
      lists.push(values.flatMap((v) => (column.codeOf.has(v) ? [column.slotsOf[column.codeOf.get(v)!]!] : [])))
    }
    if (filters.ids !== undefined) {
      lists.push([filters.ids.flatMap((id) => (this.slotOf.has(id) ? [this.slotOf.get(id)!] : []))])
    }
    if (lists.length === 0) return null
    const mask = new Uint8Array(this.docs.length)
    const lastField = new Uint8Array(this.docs.length)
    lists.forEach((slotLists, i) => {
      const field = i + 1
      for (const slots of slotLists) {
        for (const slot of slots) {
          if (lastField[slot] === field) continue
          lastField[slot] = field
          mask[slot]!++
        }
      }
    })
    return { mask, required: lists.length }
  }

  /** Value counts of the given facets over the given slots. */
  facetCounts(slots: readonly number[], names: readonly FacetName[]): Partial<Record<FacetName, Record<string, number>>> {
    const out: Partial<Record<FacetName, Record<string, number>>> = {}
    for (const name of names) {
      const column = this.facets[name]
      const counts = new Uint32Array(column.values.length)
      const codes = column.codes.data
      const starts = column.starts.data
      for (const slot of slots) {
        const end = starts[slot + 1]!
        for (let i = starts[slot]!; i < end; i++) counts[codes[i]!]!++
      }
      const record: Record<string, number> = {}
      counts.forEach((n, code) => {
        if (n > 0) record[column.values[code]!] = n
      })
      out[name] = record
    }
    return out
  }

  /** Live slots matching one token, with the best score of each. */
  private matchToken(token: PlanToken): TokenMatch {
    const epoch = this.nextEpoch()
    const slots: number[] = []
    const live = Math.max(1, this.live)
    for (const [postings, kind] of this.lookup(token)) {
      const df = postings.slots.length
      const idf = Math.log(1 + (live - df + 0.5) / (df + 0.5))
      const factor = kind * Math.max(idf, 0.01)
      const { slots: posted, weights } = postings
      for (let i = 0; i < posted.length; i++) {
        const slot = posted[i]!
        if (this.docs[slot] === undefined) continue
        const score = factor * weights[i]!
        if (this.tokenMark[slot] !== epoch) {
          this.tokenMark[slot] = epoch
          this.tokenScore[slot] = score
          slots.push(slot)
        } else if (score > this.tokenScore[slot]!) this.tokenScore[slot] = score
      }
    }
    const scores = new Float64Array(slots.length)
    for (let i = 0; i < slots.length; i++) scores[i] = this.tokenScore[slots[i]!]!
    return { slots, scores }
  }

  /** Index terms a token matches: the word, its stem, the words it begins, the words within its typo budget. */
  private lookup(token: PlanToken): Iterable<[Postings, number]> {
    const hits = new Map<string, [Postings, number]>()
    const offer = (term: string, postings: Postings, weight: number) => {
      const known = hits.get(term)
      if (!known || known[1] < weight) hits.set(term, [postings, weight])
    }
    const exact = this.postings.get(token.word)
    if (exact) offer(token.word, exact, EXACT)
    const stem = this.postings.get(token.stem)
    if (stem) offer(token.stem, stem, STEM)
    let begins = false
    if (token.prefix && token.word.length >= MIN_PREFIX) {
      let n = 0
      for (const [term, postings] of this.terms.atPrefix(token.word)) {
        if (term === token.word || term.includes(' ')) continue
        offer(term, postings, PREFIX)
        begins = true
        if (++n >= MAX_PREFIX_TERMS) break
      }
    }
    // Typos are looked for only when the word is unknown as typed (and, for the last word, begins
    // no known word): a word the catalogue knows is taken as meant. Meilisearch ranks typo-free
    // matches first anyway; this also keeps long words cheap, a two-typo walk being the costliest lookup.
    if (token.typos > 0 && !exact && !stem && !begins) {
      for (const [term, [postings, distance]] of this.terms.fuzzyGet(token.word, token.typos)) {
        if (distance > 0) offer(term, postings, distance === 1 ? ONE_TYPO : TWO_TYPOS)
      }
    }
    return hits.values()
  }

  private nextEpoch(): number {
    if (this.epoch >= 0xfffffff0) {
      this.epoch = 0
      for (const a of [this.tokenMark, this.altMark, this.groupMark, this.queryMark]) a.fill(0)
    }
    return ++this.epoch
  }

  private ensureScratch(): void {
    const n = this.docs.length
    if (this.tokenMark.length >= n) return
    const size = Math.max(64, n * 2)
    this.tokenMark = new Uint32Array(size)
    this.tokenScore = new Float64Array(size)
    this.altMark = new Uint32Array(size)
    this.altCount = new Uint8Array(size)
    this.altScore = new Float64Array(size)
    this.groupMark = new Uint32Array(size)
    this.groupScore = new Float64Array(size)
    this.queryMark = new Uint32Array(size)
    this.queryGroups = new Uint8Array(size)
    this.queryScore = new Float64Array(size)
    this.epoch = 0
  }
}

/** The texts of a field: one per element of a list, so no phrase spans two elements. */
function fieldParts(doc: SearchDocument, field: TextField): readonly string[] {
  const v = doc[field]
  if (v === null) return []
  return Array.isArray(v) ? v : [v as string]
}
