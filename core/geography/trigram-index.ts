// The fuzzy name index: a trigram index over normalised keys (alphabet [a-z0-9 ]: 37 symbols, 37³
// trigram codes). A lookup touches only the posting lists of the query's trigrams (q-gram filter: a
// name within d edits shares at least |trigrams(query)| - 3d trigrams with the query) and computes
// distances on the few survivors.
import { boundedDistance } from './normalize.ts'

const ALPHABET = 37
const TRIGRAMS = ALPHABET * ALPHABET * ALPHABET

function symbol(code: number): number {
  if (code >= 97 && code <= 122) return code - 96 // a-z → 1..26
  if (code >= 48 && code <= 57) return code - 21 // 0-9 → 27..36
  return 0 // space (and anything else, which normalised keys do not hold)
}

/** Distinct trigram codes of " key " (padded, so first and last letters weigh). */
function trigramsOf(key: string, seen: Int32Array, stamp: number, out: number[]): number[] {
  out.length = 0
  const padded = ` ${key} `
  let a = symbol(padded.charCodeAt(0))
  let b = symbol(padded.charCodeAt(1))
  for (let i = 2; i < padded.length; i++) {
    const c = symbol(padded.charCodeAt(i))
    const t = (a * ALPHABET + b) * ALPHABET + c
    if (seen[t] !== stamp) {
      seen[t] = stamp
      out.push(t)
    }
    a = b
    b = c
  }
  return out
}

export class TrigramIndex {
  private readonly offsets = new Int32Array(TRIGRAMS + 1)
  private readonly postings: Int32Array
  private readonly counts: Uint8Array
  private readonly seen = new Int32Array(TRIGRAMS).fill(-1)
  private stamp = 0

  constructor(private readonly keys: readonly string[]) {
    // Pass 1: every key's distinct trigrams, in one flat list, and how many keys hold each trigram.
    let flat = new Int32Array(keys.length * 24)
    const ends = new Int32Array(keys.length)
    const tris: number[] = []
    let n = 0
    for (let k = 0; k < keys.length; k++) {
      trigramsOf(keys[k]!, this.seen, k, tris)
      if (n + tris.length > flat.length) {
        const bigger = new Int32Array(Math.max(flat.length * 2, n + tris.length))
        bigger.set(flat)
        flat = bigger
      }
      for (const t of tris) {
        flat[n++] = t
        this.offsets[t + 1]!++
      }
      ends[k] = n
    }
    for (let t = 0; t < TRIGRAMS; t++) this.offsets[t + 1]! += this.offsets[t]!
    // Pass 2: fill the posting lists (CSR layout: one Int32Array for all).
    this.postings = new Int32Array(n)
    const cursor = this.offsets.slice(0, TRIGRAMS)
    for (let k = 0, i = 0; k < keys.length; k++) {
      for (const end = ends[k]!; i < end; i++) this.postings[cursor[flat[i]!]!++] = k
    }
    this.stamp = keys.length
    this.counts = new Uint8Array(keys.length)
  }

  /** Calls visit(keyId, distance) for every key within maxDist edits of query. */
  search(query: string, maxDist: number, visit: (keyId: number, distance: number) => void): void {
    const qTris = trigramsOf(query, this.seen, ++this.stamp, [])
    const need = Math.max(1, qTris.length - 3 * maxDist)
    const touched: number[] = []
    const { counts, postings, offsets, keys } = this
    for (const t of qTris) {
      for (let p = offsets[t]!, end = offsets[t + 1]!; p < end; p++) {
        const k = postings[p]!
        if (counts[k] === 0) touched.push(k)
        counts[k]!++
      }
    }
    for (const k of touched) {
      if (counts[k]! >= need) {
        const key = keys[k]!
        if (Math.abs(key.length - query.length) <= maxDist) {
          const d = boundedDistance(query, key, maxDist)
          if (d <= maxDist) visit(k, d)
        }
      }
      counts[k] = 0
    }
  }
}

