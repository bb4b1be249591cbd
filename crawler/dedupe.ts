// Finding the same programme across sources: canonical URL (lowercase host, no tracking
// parameters, no trailing slash, no fragment), normalised title, funder and deadline make a
// dedupe key. Merging keeps one winner and the provenance of every other copy, so nothing a
// source said is lost from the record of where a programme was seen.
import type { Programme } from '../core/programme.ts'
import { UNSPECIFIED_APPLICANTS_CONDITION } from './normalize/applicants.ts'
import { fold } from './normalize/text.ts'

const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|xtor|at_.*|_ga|_gl|pk_.*|mtm_.*)$/i

export function canonicalUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.trim().replace(/^(https?)\s*:\s*\/\s*\//i, '$1://'))
  } catch {
    return raw.trim().toLowerCase()
  }
  url.hash = ''
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, '')
  for (const key of [...url.searchParams.keys()]) if (TRACKING.test(key)) url.searchParams.delete(key)
  url.searchParams.sort()
  const path = url.pathname.replace(/\/+$/, '') || ''
  const query = url.searchParams.toString()
  // http and https name the same page for our purpose.
  return `${url.hostname}${url.port ? `:${url.port}` : ''}${path}${query ? `?${query}` : ''}`
}

const TITLE_STOP = new Set(['le', 'la', 'les', 'l', 'de', 'du', 'des', 'd', 'et', 'a', 'au', 'aux', 'en', 'pour', 'un', 'une'])

/** Folded, punctuation gone, articles and small words dropped: "L'Appel à projets « Vélo » 2024" → "appel projets velo 2024". */
export function normalizeTitle(title: string): string {
  return fold(title)
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w && !TITLE_STOP.has(w))
    .join(' ')
}

/** "Agence française de développement (AFD)" and "AFD" meet on "afd". */
export function normalizeFunder(funder: string): string {
  const acronym = /\(([A-Za-z][A-Za-z0-9&-]{1,12})\)/.exec(funder)
  if (acronym) return acronym[1]!.toLowerCase()
  const words = normalizeTitle(funder).split(' ')
  return words.length === 1 ? words[0]! : words.join(' ')
}

/** The latest deadline a programme states, or "" (permanent schemes). */
export function lastDeadline(p: Programme): string {
  return p.calendar.editions.flatMap((e) => e.deadlines).sort().at(-1) ?? ''
}

export function dedupeKey(p: Programme): string {
  return [normalizeTitle(p.name), normalizeFunder(p.funders[0] ?? ''), lastDeadline(p)].join('|')
}

export interface SeenAt {
  sourceId: string
  originUrl: string
}

export interface Merged {
  programme: Programme
  duplicates: SeenAt[]
}

export function seenAt(p: Programme): SeenAt {
  return p.provenance.kind === 'crawled'
    ? { sourceId: p.provenance.sourceId, originUrl: p.provenance.originUrl }
    : { sourceId: 'curated', originUrl: p.provenance.sources[0]! }
}

/** How much a record tells: curated first, then dates, figures and explicit applicants. */
export function richness(p: Programme): number {
  let score = p.provenance.kind === 'curated' ? 1000 : 0
  score += p.calendar.editions.reduce((n, e) => n + e.deadlines.length + (e.opensAt ? 1 : 0), 0) * 5
  score += Object.keys(p.aid).length * 3
  score += p.eligibility.conditions.includes(UNSPECIFIED_APPLICANTS_CONDITION) ? 0 : 5
  score += p.links.apply ? 1 : 0
  score -= p.uncertain.length
  score += Math.min(p.summary.length, 600) / 200
  return score
}

/**
 * Groups programmes that share an id, a canonical official URL or a dedupe key (transitively).
 * Each group lists indexes into `programmes`, richest first; groups follow first appearance.
 */
export function duplicateGroups(programmes: readonly Programme[], rank: (p: Programme) => number = richness): number[][] {
  const parent = programmes.map((_, i) => i)
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)))
  const union = (a: number, b: number) => {
    const ra = find(a)
    const rb = find(b)
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }
  const byKey = new Map<string, number>()
  programmes.forEach((p, i) => {
    // The same id twice (a feed item and its fiche page) is the same programme too.
    for (const key of [`id:${p.id}`, `url:${canonicalUrl(p.links.official)}`, `key:${dedupeKey(p)}`]) {
      const seen = byKey.get(key)
      if (seen === undefined) byKey.set(key, i)
      else union(seen, i)
    }
  })
  const groups = new Map<number, number[]>()
  programmes.forEach((_, i) => groups.set(find(i), [...(groups.get(find(i)) ?? []), i]))
  const scores = programmes.map(rank)
  return [...groups.values()].map((members) => [...members].sort((a, b) => scores[b]! - scores[a]! || a - b))
}

/** Keeps the richest of each group of duplicates and lists where the others were seen. Order follows first appearance. */
export function mergeDuplicates(programmes: readonly Programme[], rank: (p: Programme) => number = richness): Merged[] {
  return duplicateGroups(programmes, rank).map((sorted) => ({
    programme: programmes[sorted[0]!]!,
    duplicates: sorted.slice(1).map((i) => seenAt(programmes[i]!)),
  }))
}
