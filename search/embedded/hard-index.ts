// The hard rules of the embedded index (search/hard-filter.ts): postings of the documents by
// applicant type, name admitted, zone, région and département, and columns of their population
// bounds and closed spans, built with the index. A filter ORs the postings of what it accepts
// into a bitset per rule and collects the documents some rule sets aside.
import { ANYWHERE } from '../hard-filter.ts'
import type { HardFilter, IdSet, SearchDocument } from '../search-index.ts'

interface BoundsColumn {
  slots: Int32Array
  min: Float64Array
  atMost: Float64Array
  below: Float64Array
}

export class HardIndex {
  private readonly words: number
  private readonly pass: Uint32Array
  private readonly slotOf: ReadonlyMap<string, number>
  private constructor(
    private readonly ids: readonly string[],
    /** `a:<type>`, `n:<type:code>`, `z:<zone>`, `r:<région>`, `d:<département>` → slots, or a bitset of them when that is smaller. */
    private readonly postings: ReadonlyMap<string, Int32Array | Uint32Array>,
    private readonly bounds: ReadonlyMap<string, BoundsColumn>,
    private readonly spans: { slots: Int32Array; from: Float64Array; until: Float64Array },
  ) {
    this.words = (ids.length + 31) >>> 5
    this.pass = new Uint32Array(this.words)
    this.slotOf = new Map(ids.map((id, slot) => [id, slot]))
  }

  static build(docs: readonly SearchDocument[]): HardIndex {
    const lists = new Map<string, number[]>()
    const post = (key: string, slot: number) => {
      let l = lists.get(key)
      if (!l) lists.set(key, (l = []))
      l.push(slot)
    }
    const bounds = new Map<string, { slots: number[]; min: number[]; atMost: number[]; below: number[] }>()
    const spans = { slots: [] as number[], from: [] as number[], until: [] as number[] }
    docs.forEach((d, slot) => {
      for (const a of d.applicantTypes) post(`a:${a}`, slot)
      for (const n of d.admittedAs) post(`n:${n}`, slot)
      for (const z of d.territoryZones) post(`z:${z}`, slot)
      for (const r of d.territoryRegions) post(`r:${r}`, slot)
      for (const x of d.territoryDepartements) post(`d:${x}`, slot)
      for (const [key, b] of Object.entries(d.populationBounds)) {
        let c = bounds.get(key)
        if (!c) bounds.set(key, (c = { slots: [], min: [], atMost: [], below: [] }))
        c.slots.push(slot)
        c.min.push(b.min ?? Number.NEGATIVE_INFINITY)
        c.atMost.push(b.atMost ?? Number.POSITIVE_INFINITY)
        c.below.push(b.below ?? Number.POSITIVE_INFINITY)
      }
      for (const s of d.closedSpans) {
        spans.slots.push(slot)
        spans.from.push(s.from)
        spans.until.push(s.until)
      }
    })
    const words = (docs.length + 31) >>> 5
    const posting = (l: number[]): Int32Array | Uint32Array => {
      if (l.length <= words) return Int32Array.from(l)
      const bits = new Uint32Array(words)
      for (const slot of l) bits[slot >>> 5]! |= 1 << (slot & 31)
      return bits
    }
    return new HardIndex(
      docs.map((d) => d.id),
      new Map([...lists].map(([k, l]) => [k, posting(l)])),
      new Map([...bounds].map(([k, c]) => [k, { slots: Int32Array.from(c.slots), min: Float64Array.from(c.min), atMost: Float64Array.from(c.atMost), below: Float64Array.from(c.below) }])),
      { slots: Int32Array.from(spans.slots), from: Float64Array.from(spans.from), until: Float64Array.from(spans.until) },
    )
  }

  /** The ids of the documents the filter sets aside, as a bitset over this index's slots. */
  setAside(f: HardFilter): IdSet {
    const aside = new Uint32Array(this.words)
    if (f.applicant) this.requireAny(aside, [`a:${f.applicant}`, f.admittedAs !== undefined ? `n:${f.admittedAs}` : undefined])
    if (f.place) {
      this.requireAny(aside, [`z:${ANYWHERE}`, `z:${f.place.zone}`])
      this.requireAny(aside, [`r:${ANYWHERE}`, f.place.region !== undefined ? `r:${f.place.region}` : undefined])
      this.requireAny(aside, [`d:${ANYWHERE}`, f.place.departement !== undefined ? `d:${f.place.departement}` : undefined])
    }
    const c = f.population && this.bounds.get(f.population.key)
    if (c) {
      const pop = f.population!.value
      for (let i = 0; i < c.slots.length; i++) {
        if (pop < c.min[i]! || pop > c.atMost[i]! || pop >= c.below[i]!) aside[c.slots[i]! >>> 5]! |= 1 << (c.slots[i]! & 31)
      }
    }
    const { slots, from, until } = this.spans
    for (let i = 0; i < slots.length; i++) if (from[i]! <= f.day && f.day < until[i]!) aside[slots[i]! >>> 5]! |= 1 << (slots[i]! & 31)
    // The bits past the last document (set by requireAny) are no document's.
    const n = this.ids.length
    if (n & 31) aside[this.words - 1]! &= (1 << (n & 31)) - 1
    return new BitIdSet(aside, this.ids, this.slotOf)
  }

  /** Sets aside every document in none of these postings. */
  private requireAny(aside: Uint32Array, keys: (string | undefined)[]): void {
    const pass = this.pass
    pass.fill(0)
    for (const key of keys) {
      const slots = key === undefined ? undefined : this.postings.get(key)
      if (slots instanceof Uint32Array) for (let w = 0; w < this.words; w++) pass[w]! |= slots[w]!
      else if (slots) for (let i = 0; i < slots.length; i++) pass[slots[i]! >>> 5]! |= 1 << (slots[i]! & 31)
    }
    for (let w = 0; w < this.words; w++) aside[w]! |= ~pass[w]!
  }
}

/** The ids whose slot's bit is set. */
class BitIdSet implements IdSet {
  private count = -1
  constructor(
    private readonly bits: Uint32Array,
    private readonly ids: readonly string[],
    private readonly slotOf: ReadonlyMap<string, number>,
  ) {}

  has(id: string): boolean {
    const slot = this.slotOf.get(id)
    return slot !== undefined && (this.bits[slot >>> 5]! & (1 << (slot & 31))) !== 0
  }

  get size(): number {
    if (this.count < 0) {
      let count = 0
      for (const w of this.bits) {
        let x = w
        while (x !== 0) {
          x &= x - 1
          count++
        }
      }
      this.count = count
    }
    return this.count
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let w = 0; w < this.bits.length; w++) {
      let x = this.bits[w]!
      while (x !== 0) {
        const low = x & -x
        yield this.ids[(w << 5) + 31 - Math.clz32(low)]!
        x ^= low
      }
    }
  }
}
