// What matching reads of a catalogue, built once per catalogue (and per day for what the calendar
// decides) instead of on every request: each programme's slot, its rank by name, the programmes
// of each theme with the theme's position (a postings list), whether its first theme is
// cooperation, which ranking signals it can score and its class of equal features, and per day its next deadline. A catalogue is immutable: a new one gets new tables.
import type { Catalogue } from '../catalogue.ts'
import { factsRead } from '../../core/eligibility.ts'
import type { Programme } from '../../core/programme.ts'
import { COOPERATION_THEMES, signalFeatures, signalMask, type SignalFeatures } from '../../core/ranking.ts'
import type { ThemeId } from '../../core/themes.ts'

export interface CatalogueTables {
  readonly list: readonly Programme[]
  readonly slotOf: ReadonlyMap<string, number>
  /** Slot → rank of its name in French order (equal names, equal rank). */
  readonly nameRank: Int32Array
  /** Slots in name order (equal names in catalogue order): the « écartés » walk. */
  readonly byName: Int32Array
  /** Theme → [slot, position of the theme in the programme's list, …] flattened. */
  readonly postings: ReadonlyMap<ThemeId, Int32Array>
  /** Slot → 1 when the programme's first theme is a cooperation theme. */
  readonly cooperationFirst: Uint8Array
  /** Slot → the signals it can score at all (core/ranking.ts `signalMask`). */
  readonly signals: Uint8Array
  /**
   * Slot → its class of equal features (-1 when it can score no signal): programmes whose features
   * say the same score the same points, computed once per class and request. `classes[c]` is one of them.
   */
  readonly featureClass: Int32Array
  readonly classes: readonly SignalFeatures[]
  /** Slot → the project facts its eligibility may read (core/eligibility.ts `factsRead`). */
  readonly factsRead: Uint16Array
  /** Next known deadline on or after `today` per slot ("9999" when none), built as asked. */
  deadlines(today: string): (string | undefined)[]
  /**
   * Arrays of one cell per slot for a request's scores, zeroed: the same ones for every request on
   * this catalogue, so a request must be done with them before it awaits anything. `scored` is a
   * list of slots (as many cells as slots), filled from the start, not zeroed; `classPoints` has a
   * cell per feature class, NaN (not computed yet).
   */
  scratch(): { score: Float64Array; fromText: Uint8Array; scored: Int32Array; classPoints: Float64Array }
}

const collator = new Intl.Collator('fr')
const tables = new WeakMap<Catalogue, CatalogueTables>()

export function catalogueTables(cat: Catalogue): CatalogueTables {
  let t = tables.get(cat)
  if (!t) {
    t = buildTables(cat)
    tables.set(cat, t)
  }
  return t
}

function buildTables(cat: Catalogue): CatalogueTables {
  const list = cat.all()
  const n = list.length
  const slotOf = new Map<string, number>()
  const cooperationFirst = new Uint8Array(n)
  const lists = new Map<ThemeId, number[]>()
  for (let slot = 0; slot < n; slot++) {
    const p = list[slot]!
    slotOf.set(p.id, slot)
    if (COOPERATION_THEMES.has(p.themes[0]!)) cooperationFirst[slot] = 1
    p.themes.forEach((theme, i) => {
      let l = lists.get(theme)
      if (!l) lists.set(theme, (l = []))
      l.push(slot, i)
    })
  }
  // A stable sort of the catalogue (itself in id order) by name, as the « écartés » list always was.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => collator.compare(list[a]!.name, list[b]!.name) || a - b)
  const nameRank = new Int32Array(n)
  for (let i = 0, rank = 0; i < n; i++) {
    if (i > 0 && collator.compare(list[order[i - 1]!]!.name, list[order[i]!]!.name) !== 0) rank = i
    nameRank[order[i]!] = rank
  }
  const postings = new Map<ThemeId, Int32Array>([...lists].map(([theme, l]) => [theme, Int32Array.from(l)]))
  const features = list.map(signalFeatures)
  const signals = Uint8Array.from(features, signalMask)
  const { featureClass, classes } = featureClasses(features, signals)
  let day: { today: string; next: (string | undefined)[] } | undefined
  let scratch: ReturnType<CatalogueTables['scratch']> | undefined
  return {
    list,
    slotOf,
    nameRank,
    byName: Int32Array.from(order),
    postings,
    cooperationFirst,
    signals,
    factsRead: Uint16Array.from(list, factsRead),
    featureClass,
    classes,
    deadlines(today) {
      if (day?.today !== today) day = { today, next: new Array<string | undefined>(n) }
      return day.next
    },
    scratch() {
      if (!scratch) scratch = { score: new Float64Array(n), fromText: new Uint8Array(n), scored: new Int32Array(n), classPoints: new Float64Array(classes.length) }
      else {
        scratch.score.fill(0)
        scratch.fromText.fill(0)
      }
      scratch.classPoints.fill(NaN)
      return scratch
    },
  }
}

/** Programmes that can score a signal, grouped by what their features say (their values, not their arrays' identity). */
function featureClasses(features: readonly SignalFeatures[], signals: Uint8Array): { featureClass: Int32Array; classes: SignalFeatures[] } {
  const featureClass = new Int32Array(features.length).fill(-1)
  const classes: SignalFeatures[] = []
  const byKey = new Map<string, number>()
  for (let slot = 0; slot < features.length; slot++) {
    if (signals[slot] === 0) continue
    const f = features[slot]!
    // String() tells undefined from null: the budget signal does too.
    const key = `${JSON.stringify([f.scopeThemes, f.countries, f.foreignPartners, f.stages])}${String(f.amountMin)}|${String(f.amountMax)}`
    let c = byKey.get(key)
    if (c === undefined) {
      byKey.set(key, (c = classes.length))
      classes.push(f)
    }
    featureClass[slot] = c
  }
  return { featureClass, classes }
}

/** The next known deadline on or after today ("9999" when none), to order equal scores; memoised in `tables.deadlines(today)`. */
export function nextDeadline(t: CatalogueTables, slot: number, today: string): string {
  const memo = t.deadlines(today)
  let best = memo[slot]
  if (best === undefined) {
    best = '9999'
    for (const e of t.list[slot]!.calendar.editions) for (const d of e.deadlines) if (d >= today && d < best) best = d
    memo[slot] = best
  }
  return best
}
