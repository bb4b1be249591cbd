// Name normalisation for French place names: what a mayor types ("St Amand Montrond",
// "saint-amand montrond", "ST-AMAND-MONTROND") and what Etalab spells ("Saint-Amand-Montrond")
// must meet on one key. Keys only ever contain [a-z0-9 ] (the fuzzy index relies on it).
import { foldFrenchChar } from '../french.ts'

/** Abbreviations expanded token by token, after punctuation became spaces. */
const TOKEN_EXPANSIONS: Record<string, string> = {
  st: 'saint',
  ste: 'sainte',
  sts: 'saints',
  stes: 'saintes',
}
const HAS_ABBREVIATION = /(^| )st(e?s?)( |$)/

/** Leading articles that users drop or add ("Havre" for "Le Havre", "Réunion" for "La Réunion"). */
const ARTICLES = new Set(['le', 'la', 'les', 'l'])

/**
 * Non-ASCII characters as a key holds them, decided once and remembered: the French fold of
 * core/french.ts ("é" → "e", "œ" → "oe", a combining accent → "", dropped), and anything that does
 * not fold to letters or digits (dashes, quotes, symbols) → " " (a separator).
 */
const KEY_CHARS = new Map<string, string>()
function foldChar(ch: string): string {
  let folded = KEY_CHARS.get(ch)
  if (folded === undefined) {
    const base = foldFrenchChar(ch)
    folded = base === '' ? '' : /^[a-z0-9]+$/.test(base) ? base : ' '
    KEY_CHARS.set(ch, folded)
  }
  return folded
}

/**
 * Lowercase, accents folded, ligatures spelled out, every run of anything that is not a letter or
 * a digit (hyphen, apostrophe, comma, dot…) turned into one space, "st"/"ste" expanded to
 * "saint"/"sainte", "s/" read as "sur". "Saint-Amand-Montrond", "St Amand  Montrond" and
 * "ST-AMAND-MONTROND" all give "saint amand montrond"; "L'Haÿ-les-Roses" gives "l hay les roses".
 */
export function normalizeName(input: string): string {
  let s = input.toLowerCase()
  if (s.includes('/')) s = s.replace(/\bs\/\s*/g, ' sur ')
  let out = ''
  let gap = false
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i)
    let piece: string
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) piece = s[i]!
    else if (code < 128) piece = ' '
    else piece = foldChar(s[i]!)
    if (piece === ' ') gap = out !== ''
    else if (piece !== '') {
      if (gap) out += ' '
      out += piece
      gap = false
    }
  }
  if (!HAS_ABBREVIATION.test(out)) return out
  return out
    .split(' ')
    .map((t) => TOKEN_EXPANSIONS[t] ?? t)
    .join(' ')
}

/**
 * A normalised key without its leading article: "le havre" → "havre", "l ile d yeu" → "ile d yeu".
 * Used only as a second, lower-ranked matching variant: exact keys always win. A name that is
 * nothing but an article is left alone.
 */
export function stripLeadingArticle(key: string): string {
  const space = key.indexOf(' ')
  if (space < 0) return key
  return ARTICLES.has(key.slice(0, space)) ? key.slice(space + 1) : key
}

/** "Château-Chinon (Ville)" → "Château-Chinon": the name without its trailing parenthesised part. */
export function withoutParenthesis(input: string): string {
  return input.replace(/\s*\([^)]*\)\s*$/, '').trim()
}

/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions
 * and adjacent transpositions each cost 1), bounded: returns `max + 1` as soon as the distance is
 * known to exceed `max`, so a miss costs little.
 */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)]

export function boundedDistance(a: string, b: string, max: number): number {
  const la = a.length
  const lb = b.length
  if (Math.abs(la - lb) > max) return max + 1
  if (la === 0 || lb === 0) return Math.max(la, lb)
  // Three rows: two back (for transpositions), previous, current; reused between calls.
  if (rows[0].length <= lb) rows = [new Int32Array(lb + 1), new Int32Array(lb + 1), new Int32Array(lb + 1)]
  let [prev2, prev, cur] = rows
  for (let j = 0; j <= lb; j++) prev[j] = j
  for (let i = 1; i <= la; i++) {
    cur[0] = i
    let rowMin = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1)
      const cost = ca === cb ? 0 : 1
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost)
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        v = Math.min(v, prev2[j - 2]! + 1)
      }
      cur[j] = v
      if (v < rowMin) rowMin = v
    }
    if (rowMin > max) return max + 1
    const t = prev2
    prev2 = prev
    prev = cur
    cur = t
  }
  const d = prev[lb]!
  return d > max ? max + 1 : d
}

/**
 * How many edits a fuzzy match may cost, from the length of the normalised query: none up to 3
 * characters ("Eu", "Y" must be typed right), 1 up to 5, 2 up to 10, 3 beyond.
 */
export function maxTypos(key: string): number {
  const n = key.length
  if (n <= 3) return 0
  if (n <= 5) return 1
  if (n <= 10) return 2
  return 3
}
