// The hard rules of the embedded index (search/hard-filter.ts): postings of the documents by
// applicant type, name admitted, zone, région and département, and columns of their population
// bounds and closed spans, built with the index. A filter ORs the postings of what it accepts
// into a bitset per rule and collects the documents some rule sets aside.
import { ANYWHERE } from '../hard-filter.ts'
import type { HardFilter, SearchDocument } from '../search-index.ts'

interface BoundsColumn {
  slots: Int32Array
  min: Float64Array
  atMost: Float64Array
  below: Float64Array
}

export class HardIndex {
  private readonly words: number
  private readonly pass: Uint32Array
  private constructor(
    private readonly ids: readonly string[],
    /** `a:<type>`, `n:<type:code>`, `z:<zone>`, `r:<région>`, `d:<département>` → slots. */
    private readonly postings: ReadonlyMap<string, Int32Array>,
    private readonly bounds: ReadonlyMap<string, BoundsColumn>,
    private readonly spans: { slots: Int32Array; from: Float64Array; until: Float64Array },
  ) {
    this.words = (ids.length + 31) >>> 5
    this.pass = new Uint32Array(this.words)
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
    return new HardIndex(
      docs.map((d) => d.id),
      new Map([...lists].map(([k, l]) => [k, Int32Array.from(l)])),
      new Map([...bounds].map(([k, c]) => [k, { slots: Int32Array.from(c.slots), min: Float64Array.from(c.min), atMost: Float64Array.from(c.atMost), below: Float64Array.from(c.below) }])),
      { slots: Int32Array.from(spans.slots), from: Float64Array.from(spans.from), until: Float64Array.from(spans.until) },
    )
  }

  /** The ids of the documents the filter sets aside. */
  setAside(f: HardFilter): Set<string> {
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
    const out = new Set<string>()
    const n = this.ids.length
    for (let w = 0; w < this.words; w++) {
      let bits = aside[w]!
      while (bits !== 0) {
        const low = bits & -bits
        const slot = (w << 5) + 31 - Math.clz32(low)
        if (slot < n) out.add(this.ids[slot]!)
        bits ^= low
      }
    }
    return out
  }

  /** Sets aside every document in none of these postings. */
  private requireAny(aside: Uint32Array, keys: (string | undefined)[]): void {
    const pass = this.pass
    pass.fill(0)
    for (const key of keys) {
      const slots = key === undefined ? undefined : this.postings.get(key)
      if (slots) for (let i = 0; i < slots.length; i++) pass[slots[i]! >>> 5]! |= 1 << (slots[i]! & 31)
    }
    for (let w = 0; w < this.words; w++) aside[w]! |= ~pass[w]!
  }
}
