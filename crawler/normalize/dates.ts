// Dates from every source format to an ISO day (YYYY-MM-DD) in Europe/Paris: ISO with offset,
// `+0000` offsets, `YYYYMMDD`, RFC-822 with a 2-digit year, dd/mm/yyyy, French words
// ("1er mars 2024"). Broken captures such as "2022-07-28T11: 40: 47+02: 00" are repaired (spaces
// removed) and say so, so the caller can report the raw value.
import { parisDay } from '../../core/clock.ts'
import { fold } from './text.ts'

export type DayResult = { ok: true; day: string; repaired: boolean } | { ok: false; reason: string }

const MONTH_WORDS: Record<string, number> = {
  janvier: 1, janv: 1, fevrier: 2, fevr: 2, fev: 2, mars: 3, avril: 4, avr: 4, mai: 5, juin: 6,
  juillet: 7, juil: 7, aout: 8, septembre: 9, sept: 9, octobre: 10, oct: 10, novembre: 11, nov: 11,
  decembre: 12, dec: 12,
}
const RFC822_MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 }

/** Folded French month name or abbreviation → 1..12. */
export function frenchMonth(word: string): number | undefined {
  return MONTH_WORDS[fold(word).replace(/\.$/, '')]
}

export function isoDay(y: number, m: number, d: number): string | undefined {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return undefined
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1) return undefined
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate()
  if (d > daysInMonth) return undefined
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** Two-digit years: 00–69 are 20xx, 70–99 are 19xx (RFC-822 feeds and dd/mm/yy templates). */
function fullYear(y: string): number {
  const n = Number(y)
  if (y.length === 4) return n
  return n < 70 ? 2000 + n : 1900 + n
}

const ISO_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/
const RFC822 = /^(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2}|\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(Z|GMT|UTC|UT|[+-]\d{4})?$/

/** Any date string a source sends → its day in Europe/Paris. */
export function toParisDay(raw: unknown): DayResult {
  if (raw === null || raw === undefined || raw === '') return { ok: false, reason: 'date absente' }
  if (typeof raw !== 'string') return { ok: false, reason: `date attendue, reçu ${typeof raw}` }
  const trimmed = raw.trim()
  let text = trimmed
  let repaired = false
  // "2022-07-28T11: 40: 47+02: 00": a formatter put spaces after the colons.
  if (/^\d{4}-\d{2}-\d{2}T/.test(text) && /\s/.test(text)) {
    text = text.replace(/\s+/g, '')
    repaired = true
  }

  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (m) return checked(isoDay(+m[1]!, +m[2]!, +m[3]!), repaired, trimmed)

  m = ISO_DATETIME.exec(text)
  if (m) {
    const [, y, mo, d, h, mi, s, offset] = m
    if (!isoDay(+y!, +mo!, +d!)) return { ok: false, reason: `date impossible: ${trimmed}` }
    // No offset: the source speaks local (Paris) time, the calendar day is the one written.
    if (!offset) return { ok: true, day: `${y}-${mo}-${d}`, repaired }
    const zone = offset === 'Z' ? 'Z' : offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`
    const instant = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${zone}`)
    if (Number.isNaN(instant.getTime())) return { ok: false, reason: `date illisible: ${trimmed}` }
    return { ok: true, day: parisDay(instant), repaired }
  }

  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text)
  if (m) return checked(isoDay(+m[1]!, +m[2]!, +m[3]!), repaired, trimmed)

  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text)
  if (m) return checked(isoDay(fullYear(m[3]!), +m[2]!, +m[1]!), repaired, trimmed)

  m = RFC822.exec(text)
  if (m) {
    const [, d, mon, y, h, mi, s, zone] = m
    const month = RFC822_MONTHS[mon!.toLowerCase()]
    const year = fullYear(y!)
    if (!month || !isoDay(year, month, +d!)) return { ok: false, reason: `date impossible: ${trimmed}` }
    const offset = !zone || /^(Z|GMT|UTC|UT)$/.test(zone) ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(3)}`
    const instant = new Date(`${isoDay(year, month, +d!)}T${h}:${mi}:${s ?? '00'}${offset}`)
    return { ok: true, day: parisDay(instant), repaired }
  }

  m = /^(\d{1,2})(?:er)?\s+([a-zA-ZÀ-ÿ.]+)\s+(\d{4})$/.exec(text)
  if (m) {
    const month = frenchMonth(m[2]!)
    if (month) return checked(isoDay(+m[3]!, month, +m[1]!), repaired, trimmed)
  }
  return { ok: false, reason: `format de date inconnu: ${trimmed}` }
}

function checked(day: string | undefined, repaired: boolean, raw: string): DayResult {
  return day ? { ok: true, day, repaired } : { ok: false, reason: `date impossible: ${raw}` }
}

export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/**
 * The year of a day written without one ("jusqu'au 13 septembre"), seen from a reference day:
 * the one occurrence that falls between 3 months before and 9 months after the reference. A page
 * read in October that says "13 septembre" speaks of the deadline just passed; read in January,
 * of the coming one.
 */
export function inferYear(month: number, day: number, referenceDay: string): number {
  const refYear = Number(referenceDay.slice(0, 4))
  const from = addDays(referenceDay, -92)
  const to = addDays(referenceDay, 273)
  for (const year of [refYear, refYear + 1, refYear - 1]) {
    const candidate = isoDay(year, month, day)
    if (candidate && candidate >= from && candidate < to) return year
  }
  return refYear
}
