// Départements and régions named in passing: "dans l'Yonne", "en Dordogne", "dans le 89", "en
// Occitanie", "dans les Hauts-de-France", "un village du Cher", and right after a commune's name:
// "(89)", "(Cher)", ", La Réunion", " 974". They qualify a homonym ("Saint-Denis (974)") or, with no
// name at all, make a partial profile ("commune de 400 hab. dans l'Yonne"). Lookups are the
// geography's own maps (no scan): a few windows of up to five words are tried, longest first.
import type { Geography } from '../../../core/geography/geography.ts'
import type { CollectiviteProfile } from '../../../core/profile.ts'
import { consume, type Text } from './text.ts'

export interface TerritoryHint {
  departement?: CollectiviteProfile
  region?: CollectiviteProfile
  /** A postal code qualifying a commune ("Saint-Denis 93200"). */
  postalCode?: string
  /** Token range [start, end) of the words that said it. */
  start: number
  end: number
}

/** Lowercase words that are département names and ordinary words too: after "en" they are not places. */
const ORDINARY = new Set(['somme', 'lot', 'centre', 'manche', 'nord', 'cher', 'aube', 'var', 'ain', 'orne', 'gard', 'indre', 'eure', 'tarn', 'oise', 'vienne', 'marne', 'loire', 'creuse', 'sud'])
const ARTICLES = new Set(['le', 'la', 'les', 'l'])
/** "du/de la/des" names a place after these: "un village du Cher", "400 habitants de la Nièvre". */
const AFTER_OF = new Set(['habitants', 'habitant', 'hab', 'habs', 'ames', 'commune', 'communes', 'village', 'villages', 'ville', 'bourg', 'collectivite'])

/** A département or région named by tokens starting at `from` (longest window first). */
export function territoryAt(text: Text, geo: Geography, from: number, opts: { codes?: boolean; region?: boolean; departement?: boolean; qualifier?: boolean } = {}): TerritoryHint | undefined {
  const { tokens } = text
  const wantDept = opts.departement !== false
  const wantRegion = opts.region !== false
  const first = tokens[from]
  if (!first || text.consumed[from]) return undefined
  if (/^\d/.test(first.word)) {
    if (!opts.codes || !wantDept || !/^(\d{2,3}|2a|2b)$/.test(first.word)) return undefined
    const d = geo.departement(first.word)
    return d && { departement: d, start: from, end: from + 1 }
  }
  let max = from
  while (max < tokens.length && max - from < 5 && (max === from || !tokens[max]!.breakBefore) && !text.consumed[max] && !/^\d/.test(tokens[max]!.word)) max++
  for (let end = max; end > from; end--) {
    const words = tokens.slice(from, end)
    const core = words.filter((t) => !ARTICLES.has(t.word))
    if (core.length === 0) continue
    // Outside a qualifier ("(creuse)", ", cher"), a lowercase common word is a word, not a place.
    if (!opts.qualifier && core.length === 1 && !core[0]!.capitalized && ORDINARY.has(core[0]!.word) && !ARTICLES.has(words[0]!.word)) continue
    if (core.length === 1 && core[0]!.word === 'centre') continue
    const name = words.map((t) => t.word).join(' ')
    const d = wantDept ? geo.departement(name) : undefined
    if (d) return { departement: d, start: from, end }
    const r = wantRegion ? geo.region(name) : undefined
    if (r) return { region: r, start: from, end }
  }
  return undefined
}

/**
 * Places said anywhere with "dans (le|la|l'|les) …" or "en …", and "dans le 89". Returns the first
 * département and the first région (a département's région is filled in when none was said).
 */
export function findTerritoryHints(text: Text, geo: Geography): TerritoryHint | undefined {
  const { tokens } = text
  let found: TerritoryHint | undefined
  for (let i = 0; i < tokens.length - 1; i++) {
    const w = tokens[i]!.word
    let at = -1
    let codes = false
    if (w === 'dans' || w === 'vers') {
      at = i + 1
      codes = ARTICLES.has(tokens[i + 1]!.word)
    } else if (w === 'en' && !tokens[i + 1]!.breakBefore) at = i + 1
    else if (/^(du|de|des|d)$/.test(w) && i > 0 && AFTER_OF.has(tokens[i - 1]!.word) && !tokens[i + 1]!.breakBefore) at = i + 1 // "un village du Cher"
    if (at < 0 || text.consumed[i]) continue
    if (codes && /^\d/.test(tokens[at + 1]?.word ?? '')) at++ // "dans le 89"
    const hint = territoryAt(text, geo, at, { codes })
    if (!hint) continue
    consume(text, i, hint.end)
    if (!found) found = { ...hint, start: i }
    else {
      found.departement ??= hint.departement
      found.region ??= hint.region
      found.end = Math.max(found.end, hint.end)
    }
    i = hint.end - 1
  }
  return found
}

/** The région profile of a département's région, when the hint names only the département. */
export function withRegion(hint: TerritoryHint, geo: Geography): TerritoryHint {
  if (hint.region || !hint.departement?.region) return hint
  const region = geo.region(hint.departement.region.code)
  return region ? { ...hint, region } : hint
}
