// Turns free French text into what the embedded index evaluates: a list of groups, one per
// query word or synonym expression. A group matches when one of its alternatives matches (the
// words as typed, or one of their synonyms); an alternative matches when all its tokens do.
// Documents are ranked first by how many groups they match, as Meilisearch's "words" rule does.
import { analyseFrench, type AnalysedToken } from '../french.ts'
import { synonymMap } from '../synonyms.ts'

export interface PlanToken extends AnalysedToken {
  /** The last word typed: also matches the words it begins ("renov" → "rénovation"). */
  prefix: boolean
  /** Edits tolerated on the word: 1 from 5 letters, 2 from 9 (Meilisearch's defaults). */
  typos: number
}

export interface PlanAlternative {
  /** All must match. For a multi-word synonym these are its adjacent pairs (see phrasePair). */
  tokens: PlanToken[]
  /** 1 for the words as typed, less for a synonym, so exact wording ranks first. */
  weight: number
}

export type PlanGroup = PlanAlternative[]

const SYNONYM_WEIGHT = 0.8
/** Like Meilisearch, only the first ten words of a query count. */
export const MAX_QUERY_WORDS = 10

export function typoBudget(word: string): number {
  if (/\d/.test(word)) return 0
  return word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0
}

/**
 * The index term for two adjacent stems. Multi-word synonyms are phrases (as in Meilisearch):
 * the index stores the adjacent pairs that occur in them, so "communauté de communes" matches
 * that phrase and not a text that says "communautés" here and "communes" there.
 */
export function phrasePair(a: string, b: string): string {
  return `${a} ${b}`
}

interface SynonymEntry {
  key: string[]
  alternatives: AnalysedToken[][]
}

/** Synonym expressions indexed by the stem of their first word, longest expression first. */
export interface SynonymLookup {
  entries: Map<string, SynonymEntry[]>
  /** Every adjacent stem pair of a multi-word synonym: what the index must store as phrase pairs. */
  phrasePairs: Set<string>
}

export function buildSynonymLookup(map: Map<string, string[]> = synonymMap()): SynonymLookup {
  const entries = new Map<string, SynonymEntry[]>()
  const phrasePairs = new Set<string>()
  for (const [expression, equivalents] of map) {
    const key = analyseFrench(expression).map((t) => t.stem)
    if (key.length === 0) continue
    const alternatives = equivalents.map((e) => analyseFrench(e)).filter((a) => a.length > 0)
    for (const alt of alternatives) for (let i = 1; i < alt.length; i++) phrasePairs.add(phrasePair(alt[i - 1]!.stem, alt[i]!.stem))
    const list = entries.get(key[0]!) ?? []
    const existing = list.find((e) => e.key.join(' ') === key.join(' '))
    // "école" and "écoles" analyse alike: merge their lists instead of keeping two entries.
    if (existing) existing.alternatives.push(...alternatives)
    else list.push({ key, alternatives })
    entries.set(key[0]!, list)
  }
  for (const list of entries.values()) list.sort((a, b) => b.key.length - a.key.length)
  return { entries, phrasePairs }
}

let defaultLookup: SynonymLookup | undefined

/**
 * Groups of a query, stop words dropped. Synonym expressions are found greedily, longest
 * first, on stems: "très haut débit" becomes one group whose alternatives are the three words
 * themselves, "thd" and "fibre"; "écoles" meets the synonyms of "école". The last word is a
 * prefix unless the query ends with a space or punctuation (the user finished typing it).
 */
export function planQuery(q: string, lookup: SynonymLookup = (defaultLookup ??= buildSynonymLookup())): PlanGroup[] {
  const tokens = analyseFrench(q).slice(0, MAX_QUERY_WORDS)
  const groups: PlanGroup[] = []
  const last = /[\p{L}\p{N}]$/u.test(q) ? tokens.length - 1 : -1
  for (let i = 0; i < tokens.length; ) {
    const entry = lookup.entries.get(tokens[i]!.stem)?.find((e) => e.key.every((stem, j) => tokens[i + j]?.stem === stem))
    const span = entry ? entry.key.length : 1
    const own: PlanAlternative = {
      tokens: tokens.slice(i, i + span).map((t, j) => ({ ...t, prefix: i + j === last, typos: typoBudget(t.word) })),
      weight: 1,
    }
    const seen = new Set([own.tokens.map((t) => t.stem).join(' ')])
    const synonyms: PlanAlternative[] = []
    for (const alternative of entry?.alternatives ?? []) {
      const signature = alternative.map((t) => t.stem).join(' ')
      if (seen.has(signature)) continue
      seen.add(signature)
      synonyms.push({ tokens: synonymTokens(alternative), weight: SYNONYM_WEIGHT })
    }
    groups.push([own, ...synonyms])
    i += span
  }
  return groups
}

// Synonyms are matched as written (the user did not type them: no typo to forgive, no prefix);
// a multi-word one as the chain of its adjacent pairs.
function synonymTokens(words: AnalysedToken[]): PlanToken[] {
  if (words.length === 1) return [{ ...words[0]!, prefix: false, typos: 0 }]
  const pairs: PlanToken[] = []
  for (let i = 1; i < words.length; i++) {
    const pair = phrasePair(words[i - 1]!.stem, words[i]!.stem)
    pairs.push({ word: pair, stem: pair, prefix: false, typos: 0 })
  }
  return pairs
}
