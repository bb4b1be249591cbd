// The collectivité reader's lookups (collectivite.ts): names sent to the geography and its matches
// ranked into an outcome — found, ambiguous, or notFound with suggestions — with the typo rule
// (one clear candidate within one edit, two from twelve letters, is found and marked `corrected`).
import type { Geography, NameMatch } from '../../../core/geography/geography.ts'
import { profileLabel } from '../../../core/geography/geography.ts'
import { boundedDistance, normalizeName } from '../../../core/geography/normalize.ts'
import type { CollectiviteProfile } from '../../../core/profile.ts'
import type { TerritoryHint } from './territory.ts'
import { rawSpan, type Text } from './text.ts'
import type { CollectiviteUnderstanding } from './types.ts'

const TYPO_QUERY_MIN = 5

/** Edits a typo may cost: one, two from twelve letters. */
function typoBudget(key: string): number {
  return key.length >= 12 ? 2 : 1
}

function suggestionsOf(profiles: CollectiviteProfile[]): { label: string; code: string }[] {
  const out: { label: string; code: string }[] = []
  for (const p of profiles) if (!out.some((s) => s.code === p.code)) out.push({ label: profileLabel(p), code: p.code })
  return out.slice(0, 5)
}

export type Outcome = CollectiviteUnderstanding | undefined

/** Ranks name matches into an outcome (see the header). `strict`: exact answers only. */
export function fromMatches(query: string, hits: NameMatch[], strict: boolean): Outcome {
  const exact = hits.filter((h) => h.match === 'exact')
  const sure = exact.length ? exact : hits.filter((h) => h.match === 'variant')
  if (sure.length === 1) return { kind: 'found', profile: sure[0]!.profile }
  if (sure.length > 1) return { kind: 'ambiguous', query, candidates: sure.map((h) => h.profile) }
  if (strict) return undefined
  const partial = hits.filter((h) => h.match === 'partial')
  if (partial.length) {
    if (partial.length === 1 || partial[0]!.distance < partial[1]!.distance) return { kind: 'found', profile: partial[0]!.profile }
    return { kind: 'ambiguous', query, candidates: partial.filter((h) => h.distance === partial[0]!.distance).map((h) => h.profile) }
  }
  const fuzzy = hits.filter((h) => h.match === 'fuzzy')
  const key = normalizeName(query)
  if (fuzzy.length && key.length >= TYPO_QUERY_MIN && fuzzy[0]!.distance <= typoBudget(key)) {
    const best = fuzzy.filter((h) => h.distance === fuzzy[0]!.distance)
    if (best.length === 1) return { kind: 'found', profile: best[0]!.profile, corrected: query }
    const names = new Set(best.map((h) => normalizeName(h.profile.name)))
    if (names.size === 1) return { kind: 'ambiguous', query, candidates: best.map((h) => h.profile) }
  }
  return { kind: 'notFound', query, suggestions: suggestionsOf(hits.map((h) => h.profile)) }
}

function filterByHint(hits: NameMatch[], hint: TerritoryHint | undefined): NameMatch[] {
  if (!hint) return hits
  return hits.filter(
    (h) =>
      (!hint.region || h.profile.region?.code === hint.region.code) &&
      (!hint.postalCode || h.profile.postalCodes?.includes(hint.postalCode) === true),
  )
}

export function lookupCommune(geo: Geography, query: string, hint: TerritoryHint | undefined, strict: boolean): Outcome {
  const opts = hint?.departement ? { departement: hint.departement.code, limit: 6 } : { limit: 6 }
  const hits = filterByHint(geo.findCommunes(query, opts), hint && { ...hint, departement: undefined })
  const outcome = fromMatches(query, hits, strict)
  if (hint && (!outcome || outcome.kind === 'notFound')) {
    // Nothing of that name there: say what exists elsewhere.
    const anywhere = geo.findCommunes(query, { limit: 6 })
    const suggestions = suggestionsOf([...hits, ...anywhere].map((h) => h.profile))
    return strict ? undefined : { kind: 'notFound', query, suggestions }
  }
  return outcome
}

const pop = (p: CollectiviteProfile): number => p.population ?? 0

/**
 * One name, several kinds: "Paris" (commune and département of one size) is the commune; "La
 * Réunion" or "Bretagne" (a département or région, and villages of that name) is the big one.
 */
function pickAcrossKinds(candidates: CollectiviteProfile[]): CollectiviteProfile | undefined {
  const communes = candidates.filter((c) => c.type === 'commune')
  const others = candidates.filter((c) => c.type !== 'commune')
  if (others.length === 0) return undefined
  if (communes.length === 1 && others.every((o) => normalizeName(o.name) === normalizeName(communes[0]!.name) && pop(communes[0]!) * 2 >= pop(o))) return communes[0]
  if (others.length === 1 && communes.every((c) => pop(others[0]!) >= 10 * pop(c))) return others[0]
  return undefined
}

/** resolve() for a whole answer, with the typo rule above (resolve itself never corrects). */
export function resolveWhole(geo: Geography, query: string, strict: boolean): Outcome {
  const r = geo.resolve(query)
  if (r.kind === 'found') return { kind: 'found', profile: r.profile }
  if (r.kind === 'ambiguous') {
    const picked = pickAcrossKinds(r.candidates)
    return picked ? { kind: 'found', profile: picked } : { kind: 'ambiguous', query, candidates: r.candidates }
  }
  if (strict) return undefined
  const key = normalizeName(query.replace(/\s*\([^)]*\)\s*$/, ''))
  const scored = r.suggestions.map((s) => ({ s, d: boundedDistance(key, normalizeName(s.label.replace(/\s*\([^)]*\)\s*$/, '')), 3) }))
  const best = scored.filter((x) => x.d === Math.min(...scored.map((y) => y.d)))
  if (key.length >= TYPO_QUERY_MIN && best.length === 1 && best[0]!.d > 0 && best[0]!.d <= typoBudget(key)) {
    const profile = geo.byCode(best[0]!.s.code, best[0]!.s.type)
    if (profile) return { kind: 'found', profile, corrected: query }
  }
  return { kind: 'notFound', query, suggestions: r.suggestions.map((s) => ({ label: s.label, code: s.code })) }
}

/** A typo counts at the head of a message only when one place is clearly meant. */
export function fromTypo(outcome: Outcome): Outcome {
  return outcome?.kind === 'found' ? outcome : undefined
}

/** The longest run from an EPCI cue that names an EPCI exactly, across commas, spaced dashes, digits and quotes. */
export function longestExactEpci(text: Text, geo: Geography, cueStart: number, nameStart: number): { outcome: CollectiviteUnderstanding; end: number } | undefined {
  const { tokens } = text
  if (nameStart >= tokens.length || text.consumed[nameStart]) return undefined
  let far = nameStart
  for (let parts = 0, k = nameStart; k < tokens.length && k - nameStart < 14; k++) {
    const t = tokens[k]!
    if (text.consumed[k]) break
    if (k > nameStart && t.breakBefore) {
      const sep = t.before.replace(/"/g, '')
      if (!(sep === ',' || sep === '-' || sep === '') || ++parts > 2) break
    }
    far = k + 1
  }
  for (let end = far; end > nameStart; end--) {
    const query = rawSpan(text, cueStart, end).replace(/"/g, '')
    const hits = geo.findEpci(query, { limit: 6 }).filter((h) => h.match === 'exact' || h.match === 'variant')
    const outcome = fromMatches(query, hits, true)
    if (outcome && outcome.kind === 'found') return { outcome, end }
  }
  return undefined
}
