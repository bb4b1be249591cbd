// French formatting shared by reasons, chat replies and pages.

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']

/** The French thousands separator: a narrow no-break space (U+202F), as Intl.NumberFormat('fr-FR') writes it, so that « 9 899 habitants » never wraps inside the number. */
export const THOUSANDS = '\u202f'
/** A no-break space (U+00A0), between a number and its unit (« 200 000 € »). */
export const NBSP = '\u00a0'

/** 9899 → "9 899" with a narrow no-break space (Intl.NumberFormat('fr-FR') grouping, built by hand: this is a hot path). */
export function formatInt(n: number): string {
  const digits = Math.round(Math.abs(n)).toString()
  let out = ''
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += THOUSANDS
    out += digits[i]
  }
  return n < 0 ? `-${out}` : out
}

// One formatter, built once: toLocaleString builds a new one at every call (a hot path of the results).
const MILLIONS = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2 })

/** 1500000 → "1,5 M€", 200000 → "200 000 €" (narrow no-break spaces in the number, a no-break space before the unit). */
export function formatEuros(n: number): string {
  if (n >= 1_000_000) return `${MILLIONS.format(n / 1_000_000)}${NBSP}M€`
  return `${formatInt(n)}${NBSP}€`
}

/** "2026-09-13" → "13 septembre 2026"; the 1st is "1er". */
export function formatDay(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number]
  return `${d === 1 ? '1er' : d} ${MONTHS[m - 1]} ${y}`
}

/** "2026-12" style month: "décembre 2026". */
export function formatMonth(isoDay: string): string {
  const [y, m] = isoDay.split('-').map(Number) as [number, number]
  return `${MONTHS[m - 1]} ${y}`
}

export function plural(n: number, one: string, many: string): string {
  return `${formatInt(n)} ${n > 1 ? many : one}`
}

const LIGATURES: Readonly<Record<string, string>> = { œ: 'oe', Œ: 'oe', æ: 'ae', Æ: 'ae', ß: 'ss' }
const FOLDED_CHARS = new Map<string, string>()

/**
 * One character folded for matching: lowercase, accents dropped, ligatures spelled out
 * (« É » → « e », « œ » → « oe », a lone combining accent → « »). Memoised: String.normalize is
 * slow on hot paths (the geography's build folds every name character by character).
 */
export function foldFrenchChar(ch: string): string {
  let folded = FOLDED_CHARS.get(ch)
  if (folded === undefined) {
    const lower = ch.toLowerCase()
    folded = LIGATURES[lower] ?? lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
    FOLDED_CHARS.set(ch, folded)
  }
  return folded
}

/**
 * French text folded for matching — the one fold of the code base: lowercase, accents dropped,
 * ligatures spelled out (« Œuvre d'Été » → « oeuvre d'ete »). Nothing else changes: spaces and
 * punctuation stay, so callers that need offsets or their own separators keep them.
 */
export function foldFrench(s: string): string {
  // Fast path: plain ASCII only needs lowercasing.
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase()
  return s
    .toLowerCase()
    .replace(/[œæß]/g, (c) => LIGATURES[c]!)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
}
