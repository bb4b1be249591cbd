// Relevance of programmes to a project, as the sum of the ranking signals (core/ranking.ts): text
// and themes make a programme relevant; scope, country, stage and budget reorder the relevant
// ones. Only the programmes the search found or that share a theme are scored (the themes read
// from the catalogue's postings, not by walking it), into arrays indexed by catalogue slot.
import type { SearchHit, SearchIndex } from '../../search/search-index.ts'
import type { Programme } from '../../core/programme.ts'
import type { ProjectFacts } from '../../core/profile.ts'
import { activeSignals, COOPERATION_MISMATCH, COOPERATION_THEMES, projectSignals, signalPointsFor, RANKING_SIGNALS, type RankingSignal, type SignalContribution } from '../../core/ranking.ts'
import { BROADER_THEMES, type ThemeId } from '../../core/themes.ts'
import type { CatalogueTables } from './tables.ts'

export interface Relevance {
  /** Slots with a relevance above 0, in no particular order: the first `count` cells. */
  scored: Int32Array
  count: number
  /** Slot → relevance (0 for the others). */
  score: Float64Array
  /** The text signal (the slots the search found and their points) and the themes signal by slot: what `contributions` splits. */
  text: TextSignal | null
  themed: Float64Array | null
  /** The best relevance: the floor is a share of it. */
  best: number
  facts: ProjectFacts
}

/** The text signal of the programmes a search found, in the order of its hits. */
export interface TextSignal {
  slots: Int32Array
  points: Float64Array
}

export interface RelevanceInput {
  q?: string
  themes?: ThemeId[]
  facts?: ProjectFacts
}

/** The search's hits for the project's words (none without words). */
export async function textHits(search: (q: string) => Promise<readonly SearchHit[]>, input: RelevanceInput): Promise<readonly SearchHit[] | null> {
  const q = input.q?.trim()
  return q ? search(q) : null
}

/**
 * Null when neither text nor themes were given: every programme is then as relevant as another.
 * The arrays are the catalogue's scratch ones (`t.scratch()`): read them before the next await.
 */
export function relevance(t: CatalogueTables, hits: readonly SearchHit[] | null, input: RelevanceInput): Relevance | null {
  const themes = input.themes?.length ? input.themes : undefined
  if (!hits && !themes) return null
  const scratch = t.scratch()
  const text = hits ? textSignal(t, hits) : null
  const byTheme = themes ? themeRelevance(themes, t) : null
  const themed = byTheme ? byTheme.score : null
  const facts: ProjectFacts = input.facts?.themes || !themes ? (input.facts ?? {}) : { ...input.facts, themes }
  const cooperation = (facts.themes ?? []).some((th) => COOPERATION_THEMES.has(th)) || !!facts.partnerCountry
  const { score, scored } = scratch
  let count = 0
  let best = 0
  const points = signalPointsFor(facts)
  // The other signals are 0 for a programme that shares none of those the facts can make non-zero.
  const active = activeSignals(facts)
  const { signals, featureClass, classes, cooperationFirst } = t
  const classPoints = scratch.classPoints
  const add = (slot: number, base: number) => {
    let s = base
    if ((signals[slot]! & active) !== 0) {
      const c = featureClass[slot]!
      let v = classPoints[c]!
      if (v !== v) classPoints[c] = v = points(classes[c]!)
      s = base + v
    }
    // A programme made for cooperation abroad only fits a project that is about cooperation.
    if (!cooperation && cooperationFirst[slot]) s *= COOPERATION_MISMATCH
    // A programme scored 0 is as unrelated as one never scored.
    if (s > 0) scored[count++] = slot
    score[slot] = s
    if (s > best) best = s
  }
  const fromText = themed ? scratch.fromText : null
  if (text) {
    for (let i = 0; i < text.slots.length; i++) {
      const slot = text.slots[i]!
      add(slot, text.points[i]! + (themed ? themed[slot]! : 0))
      if (fromText) fromText[slot] = 1
    }
  }
  if (byTheme) {
    const themedSlots = byTheme.slots
    for (let i = 0; i < themedSlots.length; i++) {
      const slot = themedSlots[i]!
      if (!fromText![slot]) add(slot, byTheme.score[slot]!)
    }
  }
  return { scored, count, score, text, themed, best, facts }
}

const textSignals = new WeakMap<readonly SearchHit[], { t: CatalogueTables; signal: TextSignal }>()

/**
 * The text signal of each programme found, relative to the best hit: read once per list of hits
 * (the cached search gives the same list to every turn that searches the same words).
 */
function textSignal(t: CatalogueTables, hits: readonly SearchHit[]): TextSignal {
  const known = textSignals.get(hits)
  if (known?.t === t) return known.signal
  const top = hits[0]?.score || 1
  const byId = new Map<string, number>()
  // Squared, so that documents matching only a common word fall well behind those made for the project.
  for (const h of hits) byId.set(h.id, RANKING_SIGNALS.text.weight * (h.score / top) ** 2)
  const slots: number[] = []
  const points: number[] = []
  for (const [id, v] of byId) {
    const slot = t.slotOf.get(id)
    if (slot === undefined) continue
    slots.push(slot)
    points.push(v)
  }
  const signal = { slots: Int32Array.from(slots), points: Float64Array.from(points) }
  textSignals.set(hits, { t, signal })
  return signal
}

/** The themes signal by slot (0 for the programmes sharing no theme with the project) and the slots it is above 0 for. */
interface ThemesSignal {
  score: Float64Array
  slots: Int32Array
}

/** How many themes signals are kept per catalogue (a cell per programme each): the project's themes change seldom in a conversation. */
export const THEMES_CACHE_ENTRIES = 16
const themesSignals = new WeakMap<CatalogueTables, Map<string, ThemesSignal>>()

/** The themes signal for these themes, computed once per catalogue while among the THEMES_CACHE_ENTRIES most recent. */
function themeRelevance(themes: ThemeId[], t: CatalogueTables): ThemesSignal {
  let lru = themesSignals.get(t)
  if (!lru) themesSignals.set(t, (lru = new Map()))
  const key = themes.join(',')
  let signal = lru.get(key)
  if (signal) lru.delete(key)
  else {
    signal = themesSignal(themes, t)
    if (lru.size >= THEMES_CACHE_ENTRIES) lru.delete(lru.keys().next().value!)
  }
  lru.set(key, signal)
  return signal
}

function themesSignal(themes: ThemeId[], t: CatalogueTables): ThemesSignal {
  // Weight of each theme for this project: 1 for the project's own, 0.5 for a broader one.
  const wanted = new Map<ThemeId, number>()
  for (const th of themes) for (const b of BROADER_THEMES[th] ?? []) wanted.set(b, 0.5)
  for (const th of themes) wanted.set(th, 1)
  const best = new Float64Array(t.list.length)
  const touched: number[] = []
  for (const [theme, w] of wanted) {
    const post = t.postings.get(theme)
    if (!post) continue
    // A programme whose first themes are the project's counts more than one that merely lists it.
    for (let k = 0; k < post.length; k += 2) {
      const slot = post[k]!
      const v = w * (1 - Math.min(post[k + 1]!, 5) * 0.1)
      const was = best[slot]!
      if (v > was) {
        if (was === 0) touched.push(slot)
        best[slot] = v
      }
    }
  }
  for (const slot of touched) best[slot] = RANKING_SIGNALS.themes.weight * best[slot]!
  return { score: best, slots: Int32Array.from(touched) }
}

/** The text signal of a slot (0 when the search did not find it). */
function textPoints(text: TextSignal | null, slot: number): number {
  if (!text) return 0
  const i = text.slots.indexOf(slot)
  return i < 0 ? 0 : text.points[i]!
}

/** What placed a programme: each signal's share of its score (after the cooperation penalty, if any), largest first. */
export function contributions(p: Programme, slot: number, rel: Relevance, score: number): SignalContribution[] {
  const raw: Partial<Record<RankingSignal, number>> = { text: textPoints(rel.text, slot), themes: rel.themed?.[slot] ?? 0 }
  for (const [signal, value] of Object.entries(projectSignals(p, rel.facts)) as [RankingSignal, number][]) raw[signal] = RANKING_SIGNALS[signal].weight * value
  const total = Object.values(raw).reduce((a, b) => a + (b ?? 0), 0) || 1
  return (Object.entries(raw) as [RankingSignal, number][])
    .filter(([, v]) => v > 0)
    .map(([signal, v]) => ({ signal, label: RANKING_SIGNALS[signal].label, points: Math.round(((v * score) / total) * 1000) / 1000 }))
    .sort((a, b) => b.points - a.points)
}

/** How many searches are kept per catalogue (the index is filled with each new catalogue). */
export const SEARCH_CACHE_ENTRIES = 64
const searches = new WeakMap<object, Map<string, Promise<readonly SearchHit[]>>>()

/**
 * The index's first 1,000 hits for `q`, kept for the catalogue the index was filled with: the
 * turns of a conversation search the same words while the answers change the facts.
 */
export function cachedSearch(index: SearchIndex, catalogue: object): (q: string) => Promise<readonly SearchHit[]> {
  return (q) => {
    const lru = searches.get(catalogue) ?? new Map<string, Promise<readonly SearchHit[]>>()
    searches.set(catalogue, lru)
    let hits = lru.get(q)
    if (hits) lru.delete(q)
    else {
      const asked = index.search({ q, limit: 1000 }).then((r) => r.hits)
      // A failed search is not kept: the next request asks the index again.
      asked.catch(() => lru.get(q) === asked && lru.delete(q))
      hits = asked
      if (lru.size >= SEARCH_CACHE_ENTRIES) lru.delete(lru.keys().next().value!)
    }
    lru.set(q, hits)
    return hits
  }
}

export function uncachedSearch(index: SearchIndex): (q: string) => Promise<readonly SearchHit[]> {
  return async (q) => (await index.search({ q, limit: 1000 })).hits
}
