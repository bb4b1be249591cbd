// Likely duplicates of a programme, for the editor who merges them: the crawler already joins
// copies that share a URL, a key or an edition; what is left are relays with other titles and
// URLs. Scored on the words of the titles that tell one call from another (years and generic
// words left out), the official page, the level and the funders. A hint for a human, never merged
// automatically.
import type { Programme } from '../core/programme.ts'
import { canonicalUrl, normalizeFunder, normalizeTitle } from '../crawler/dedupe.ts'

const GENERIC = new Set(['appel', 'appels', 'projet', 'projets', 'programme', 'programmes', 'aide', 'aides', 'fonds', 'soutien', 'financement', 'subvention', 'subventions', 'call', 'calls', 'proposals', 'dispositif', 'manifestation', 'interet', 'edition', 'collectivites', 'territoriales', 'territoires', 'communes', 'relais'])

function words(p: Programme): Set<string> {
  return new Set(normalizeTitle(`${p.name} ${p.shortName ?? ''}`).split(' ').filter((w) => w.length >= 3 && !/^\d+$/.test(w) && !GENERIC.has(w)))
}

interface TitleIndex {
  wordsOf: Map<string, Set<string>>
  fundersOf: Map<string, string[]>
  idf: (w: string) => number
  urlOf: Map<string, string>
  urlCount: Map<string, number>
}

/** Built once per catalogue (the list is replaced, never changed, at each reindex). */
const indexes = new WeakMap<readonly Programme[], TitleIndex>()

function indexOf(all: readonly Programme[]): TitleIndex {
  const cached = indexes.get(all)
  if (cached) return cached
  // Words many titles share ("coopération", "décentralisée") say little: weighted by rarity (idf).
  const wordsOf = new Map(all.map((p) => [p.id, words(p)]))
  const df = new Map<string, number>()
  for (const ws of wordsOf.values()) for (const w of ws) df.set(w, (df.get(w) ?? 0) + 1)
  const idf = (w: string) => Math.log((all.length + 1) / (df.get(w) ?? 1))
  // A page several programmes point to (a ministry's landing page) does not make them one.
  const urlOf = new Map(all.map((p) => [p.id, canonicalUrl(p.links.official)]))
  const urlCount = new Map<string, number>()
  for (const u of urlOf.values()) urlCount.set(u, (urlCount.get(u) ?? 0) + 1)
  const fundersOf = new Map(all.map((p) => [p.id, p.funders.map(normalizeFunder)]))
  const index = { wordsOf, fundersOf, idf, urlOf, urlCount }
  indexes.set(all, index)
  return index
}

export interface DuplicateCandidate {
  id: string
  name: string
  score: number
  why: string[]
}

export function likelyDuplicates(target: Programme, all: readonly Programme[], options: { limit?: number; minScore?: number; exclude?: ReadonlySet<string> } = {}): DuplicateCandidate[] {
  const { limit = 5, minScore = 0.6, exclude = new Set() } = options
  const { wordsOf, fundersOf, idf, urlOf, urlCount } = indexOf(all)
  const tw = wordsOf.get(target.id) ?? words(target)
  const turl = urlOf.get(target.id) ?? canonicalUrl(target.links.official)
  const tfunders = new Set(target.funders.map(normalizeFunder))
  const out: DuplicateCandidate[] = []
  for (const p of all) {
    if (p.id === target.id || exclude.has(p.id)) continue
    const pw = wordsOf.get(p.id)!
    const common = [...tw].filter((w) => pw.has(w))
    const sameUrl = urlOf.get(p.id) === turl && (urlCount.get(turl) ?? 0) <= 2
    // A funder in common alone is no hint: most programmes get skipped here.
    if (!common.length && !sameUrl) continue
    const why: string[] = []
    let score = 0
    if (common.length) {
      const union = new Set([...tw, ...pw])
      const weighted = common.reduce((n, w) => n + idf(w), 0) / [...union].reduce((n, w) => n + idf(w), 0)
      score += weighted
      if (weighted >= 0.3) why.push(`titres proches (${common.join(', ')})`)
    }
    if (sameUrl) {
      score += 0.5
      why.push('même page officielle')
    }
    if ((fundersOf.get(p.id) ?? []).some((f) => tfunders.has(f))) {
      score += 0.1
      why.push('même financeur')
    }
    if (score >= minScore && why.some((w) => w !== 'même financeur')) out.push({ id: p.id, name: p.name, score: Math.round(score * 100) / 100, why })
  }
  return out.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit)
}
