// Whole-payload checks: a payload that is not JSON/XML/HTML of the expected shape throws a
// ParseError with a one-line message (never retried); everything finer is a RecordError.
import { ParseError } from '../../core/errors.ts'

function preview(payload: string): string {
  const flat = payload.replace(/\s+/g, ' ').trim()
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat
}

export function parseJsonPayload(source: string, payload: string): unknown {
  const text = payload.replace(/^\uFEFF/, '').trim()
  if (!text) throw new ParseError(`${source}: réponse vide`, undefined, payload)
  try {
    return JSON.parse(text)
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0]
    throw new ParseError(`${source}: JSON illisible (${reason}) : « ${preview(text)} »`, undefined, preview(text))
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The list of records under one of `keys` (or the payload itself when it is an array). */
export function listIn(source: string, payload: unknown, keys: readonly string[], shape: string): unknown[] {
  if (Array.isArray(payload)) {
    if (keys.length === 0 || keys.includes('')) return payload
  }
  if (isRecord(payload)) {
    for (const key of keys) {
      const value = payload[key]
      if (Array.isArray(value)) return value
    }
  }
  const got = Array.isArray(payload) ? 'un tableau' : isRecord(payload) ? `un objet (${Object.keys(payload).slice(0, 5).join(', ') || 'vide'})` : typeof payload
  throw new ParseError(`${source}: forme inattendue, ${shape} attendu, reçu ${got}`)
}

/** HTML or text page: rejects empty payloads and JSON/XML sent where a page was expected. */
export function checkPagePayload(source: string, payload: string): string {
  const text = payload.replace(/^\uFEFF/, '').trim()
  if (!text) throw new ParseError(`${source}: page vide`)
  if (/^[[{]/.test(text)) throw new ParseError(`${source}: page HTML attendue, reçu du JSON : « ${preview(text)} »`)
  if (/^<\?xml|^<rss\b|^<feed\b/i.test(text)) throw new ParseError(`${source}: page HTML attendue, reçu du XML : « ${preview(text)} »`)
  return text
}

/** A record's id for error lines: its id field, else its position. */
export function recordIdOf(item: unknown, keys: readonly string[], index: number): string {
  if (isRecord(item)) {
    for (const key of keys) {
      const v = item[key]
      if ((typeof v === 'string' && v.trim()) || typeof v === 'number') return String(v).trim()
      if (Array.isArray(v) && typeof v[0] === 'string') return v[0]
    }
  }
  return `#${index + 1}`
}
