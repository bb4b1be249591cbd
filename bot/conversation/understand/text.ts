// The user's message, read once: accents folded (case kept, so "CA" the agglomeration and
// "ça" stay apart), cut into word tokens that remember where they sit in the message, which
// ones follow punctuation, which ones a negation covers and which ones a detector has already
// taken (a commune's name is not also a project word). Every detector reads this one view.
import { foldFrenchChar } from '../../../core/french.ts'
import { markNegations } from './negation.ts'
import type { Text, Token } from './token.ts'

export type { Text, Token } from './token.ts'

const SAME: Record<string, string> = {
  '\u2019': "'", '\u2018': "'", '`': "'", '\u00b4': "'", '\u02bc': "'",
  '\u00a0': ' ', '\u202f': ' ', '\u2009': ' ', '\t': ' ',
  '\u2013': '-', '\u2014': '-', '\u2011': '-', '\u2010': '-',
  '\u00ab': '"', '\u00bb': '"', '\u201c': '"', '\u201d': '"',
  '\u2026': '...',
}
const BREAK = /[,;.!?:()[\]{}\n\r"/|…]/

function foldChar(ch: string): string {
  const same = SAME[ch]
  if (same !== undefined) return same
  if (ch.charCodeAt(0) < 128) return ch
  const folded = foldFrenchChar(ch)
  // foldFrenchChar lowercases; here case is kept (« É » → « E », « Œ » → « OE »).
  return ch === ch.toLowerCase() ? folded : folded.toUpperCase()
}

/** Plural-insensitive form: "lieux" → "lieu", "eaux" → "eau", "locaux" → "local", "led"/"leds" → "led". */
export function stem(word: string): string {
  if (word.length > 4 && word.endsWith('aux') && !/[aeiouy]aux$/.test(word)) return `${word.slice(0, -3)}al`
  if (word.length > 3 && (word.endsWith('s') || word.endsWith('x')) && !/\d/.test(word)) return word.slice(0, -1)
  return word
}

/** Reads a message into tokens (see Text). Pure and cheap: one pass over the characters. */
export function analyse(raw: string): Text {
  let folded = ''
  const rawOffset: number[] = []
  for (let i = 0; i < raw.length; i++) {
    const piece = foldChar(raw[i]!)
    for (const ch of piece) {
      folded += ch
      rawOffset.push(i)
    }
  }
  rawOffset.push(raw.length)
  let lower = ''
  for (const ch of folded) {
    const l = ch.toLowerCase()
    lower += l.length === ch.length ? l : ch
  }
  const tokens: Token[] = []
  const re = /[a-z0-9]+/g
  let prevEnd = 0
  for (let m = re.exec(lower); m; m = re.exec(lower)) {
    const start = m.index
    const end = start + m[0].length
    const between = lower.slice(prevEnd, start)
    const typed = folded.slice(start, end)
    const letters = typed.replace(/[^A-Za-z]/g, '')
    tokens.push({
      index: tokens.length,
      word: m[0],
      stem: stem(m[0]),
      start,
      end,
      capitalized: /^[A-Z]/.test(typed),
      upper: letters.length >= 2 && letters === letters.toUpperCase(),
      // A dash between spaces is punctuation ("Avallon - voirie"); inside a word it joins ("Saint-Denis").
      breakBefore: tokens.length > 0 && (BREAK.test(between) || /\s-|-\s/.test(between)),
      before: between.replace(/\s+/g, ''),
      negated: false,
    })
    prevEnd = end
  }
  let norm = ' '
  const normStart: number[] = []
  for (const t of tokens) {
    normStart.push(norm.length)
    norm += `${t.word} `
  }
  const text: Text = { raw, folded, lower, tokens, norm, normStart, rawOffset, consumed: new Uint8Array(tokens.length) }
  markNegations(tokens, (t) => rawSpan(text, t.index, t.index + 1))
  return text
}

export function asText(input: string | Text): Text {
  return typeof input === 'string' ? analyse(input) : input
}

/** The user's own characters for tokens [from, to) (accents and case as typed). */
export function rawSpan(text: Text, from: number, to: number): string {
  if (to <= from) return ''
  const a = text.rawOffset[text.tokens[from]!.start]!
  const b = text.rawOffset[text.tokens[to - 1]!.end - 1]! + 1
  return text.raw.slice(a, b)
}

/** The token whose word starts at or covers offset `at` of Text.norm. */
export function tokenAtNorm(text: Text, at: number): number {
  let lo = 0
  let hi = text.normStart.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (text.normStart[mid]! <= at) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** Token index range [from, to) covered by a match of `length` chars at `at` in Text.norm (spaces trimmed). */
export function normRange(text: Text, at: number, length: number): [number, number] {
  let a = at
  let b = at + length
  while (a < b && text.norm[a] === ' ') a++
  while (b > a && text.norm[b - 1] === ' ') b--
  return [tokenAtNorm(text, a), tokenAtNorm(text, Math.max(a, b - 1)) + 1]
}

/** Token index whose characters cover offset `at` of Text.folded, or the first one after it. */
export function tokenAtOffset(text: Text, at: number): number {
  for (const t of text.tokens) if (t.end > at) return t.index
  return text.tokens.length
}

export function consume(text: Text, from: number, to: number): void {
  for (let i = Math.max(0, from); i < Math.min(to, text.tokens.length); i++) text.consumed[i] = 1
}

/** Whether any token overlapping folded offsets [start, end) is consumed. */
export function isConsumedAt(text: Text, start: number, end: number): boolean {
  for (const t of text.tokens) if (t.end > start && t.start < end && text.consumed[t.index]) return true
  return false
}

/** The punctuation character that closes the clause after token `i` ("?" for a question), or "" at the end. */
export function clauseEnd(text: Text, i: number): string {
  const t = text.tokens[i]
  if (!t) return ''
  const m = /[,;.!?:]/.exec(text.lower.slice(t.end))
  return m ? m[0] : ''
}
