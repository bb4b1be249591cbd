// Text hygiene for crawled content: HTML to plain text (tags gone, entities decoded, whitespace
// collapsed: Guichet never stores a source's HTML), folding for matching, slugs for ids.
import { load } from 'cheerio/slim'
import { foldFrench } from '../../core/french.ts'

const BLOCK_BOUNDARY = /<\s*(br|\/p|\/div|\/li|\/h[1-6]|\/tr|\/td|\/th|\/ul|\/ol|\/section|\/article|\/blockquote|\/dt|\/dd|hr)\b[^>]*>/gi
const LIST_ITEM = /<\s*li\b[^>]*>/gi
const TAG_LIKE = /<\/?[a-zA-Z][^<>]*>/

/**
 * HTML (or text with entities) → one line of plain text. Block ends become spaces so words do not
 * glue together; script/style/comments are dropped; entities decoded (twice when the source
 * escaped its HTML, e.g. `&lt;p&gt;`); nbsp, CR/LF and zero-width characters collapse into spaces.
 */
export function htmlToText(html: unknown): string {
  if (html === null || html === undefined) return ''
  let current = String(html)
  // No tag and no entity: nothing for the HTML parser to do (most labels and titles).
  if (!current.includes('<') && !current.includes('&')) return collapse(current)
  for (let pass = 0; pass < 2; pass++) {
    const prepared = current.replace(/<!--[\s\S]*?-->/g, ' ').replace(BLOCK_BOUNDARY, ' $& ').replace(LIST_ITEM, ' $&')
    const $ = load(prepared, null, false)
    $('script, style, noscript, template').remove()
    current = $.root().text()
    if (!TAG_LIKE.test(current)) break
  }
  return collapse(current)
}

/** Whitespace (incl. nbsp, narrow nbsp, CR, zero-width) collapsed to single spaces, trimmed. */
export function collapse(text: string): string {
  return text
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .trim()
}

/** Lowercase, accents and ligatures folded, typographic apostrophes made plain: for matching only. */
export function fold(text: string): string {
  return foldFrench(text.replace(/[’‘`´]/g, "'"))
}

/** A stable id fragment: folded, [a-z0-9-] only, at most `max` characters, cut at a dash. */
export function slugify(text: string, max = 80): string {
  const slug = fold(text).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
  if (slug.length <= max) return slug
  const cut = slug.slice(0, max)
  const lastDash = cut.lastIndexOf('-')
  return (lastDash > max / 2 ? cut.slice(0, lastDash) : cut).replace(/-+$/, '')
}

/** Cuts at a sentence end when one falls late enough, else at a word, and says so with "…". */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  const cut = text.slice(0, max)
  const sentenceEnd = Math.max(cut.lastIndexOf('. '), cut.lastIndexOf('! '), cut.lastIndexOf('? '))
  if (sentenceEnd > max * 0.6) return cut.slice(0, sentenceEnd + 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:–-]+$/, '')}…`
}

/** Plain non-empty string or undefined; numbers are accepted as their decimal text. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value !== 'string') return undefined
  const text = htmlToText(value)
  return text === '' ? undefined : text
}

/** A list of labels from an array, a `;`/`,`-separated string or nothing; entities decoded, blanks dropped. */
export function asLabels(value: unknown, separator: RegExp = /;/): string[] {
  // Entities are decoded before splitting: "Citoyenneté &amp; Droits;Coopération" has a `;` inside `&amp;`.
  const items = Array.isArray(value) ? value : typeof value === 'string' ? htmlToText(value).split(separator) : []
  const out: string[] = []
  for (const item of items) {
    const label = typeof item === 'string' ? htmlToText(item) : item && typeof item === 'object' && 'title' in item ? htmlToText((item as { title: unknown }).title) : ''
    if (label && !out.includes(label)) out.push(label)
  }
  return out
}

/**
 * A page's text with one line per block (headings, paragraphs, list items), for prose extraction
 * that needs to know where a sentence or a field ends. Plain text passes through line by line.
 */
export function pageLines(html: string): string[] {
  const withBreaks = html.replace(/<!--[\s\S]*?-->/g, ' ').replace(BLOCK_BOUNDARY, '\n$&').replace(/<\s*(p|div|li|h[1-6]|tr|section|article|dt|dd)\b[^>]*>/gi, '\n$&')
  const $ = load(withBreaks, null, false)
  $('script, style, noscript, template, nav, header, footer, form, aside').remove()
  return $.root()
    .text()
    .split(/\r?\n/)
    .map((line) => collapse(line))
    .filter((line) => line !== '')
}
