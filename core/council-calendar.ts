// A council calendar, as a collectivité says it: a monthly rule in French (« deuxième jeudi du
// mois », « 1er mardi », « dernier lundi du mois sauf août ») or its explicit dates
// (« 2026-03-12, 2026-04-09 »). Parsed once with zod (the error names what is wrong), then asked
// for its meetings between two days.
import { z } from 'zod'
import { addDays, dayFromNumber, dayNumber } from './clock.ts'
import { foldFrench } from './french.ts'
import { WEEKDAY_NAMES, weekday } from './council.ts'

export type CouncilCalendar =
  | { kind: 'monthly'; /** 1–4, or -1 for the last. */ ordinal: number; weekday: number; /** Months (1–12) without a meeting. */ except: number[]; text: string }
  | { kind: 'dates'; dates: string[]; text: string }

const ORDINALS: Record<string, number> = {
  premier: 1, '1er': 1, '1e': 1, '1re': 1, '1': 1,
  deuxieme: 2, second: 2, '2e': 2, '2eme': 2, '2': 2,
  troisieme: 3, '3e': 3, '3eme': 3, '3': 3,
  quatrieme: 4, '4e': 4, '4eme': 4, '4': 4,
  dernier: -1,
}
const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre']
const FOLDED_WEEKDAYS = WEEKDAY_NAMES.map((w) => foldFrench(w))
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/

/** The calendar a text describes, or the French reason it cannot be read. */
export function parseCouncilCalendar(text: string): CouncilCalendar | { error: string } {
  const raw = text.trim()
  const parts = raw.split(/[,;\s]+/).filter(Boolean)
  if (parts.length > 0 && parts.every((p) => ISO_DAY.test(p))) {
    const bad = parts.find((p) => dayFromNumber(dayNumber(p)) !== p)
    if (bad) return { error: `date invalide : ${bad}` }
    if (parts.length > 60) return { error: '60 dates au plus' }
    return { kind: 'dates', dates: [...new Set(parts)].sort(), text: raw }
  }
  const folded = foldFrench(raw).replace(/\s+/g, ' ')
  const [rule, exceptText] = folded.split(/\bsauf\b/)
  const words = rule!.replace(/\b(le|la|du|de|mois|chaque|tous|les)\b/g, ' ').split(/\s+/).filter(Boolean)
  if (words.length !== 2) return { error: 'règle attendue comme « deuxième jeudi du mois », « dernier lundi » ou une liste de dates AAAA-MM-JJ' }
  const ordinal = ORDINALS[words[0]!]
  const day = FOLDED_WEEKDAYS.indexOf(words[1]!)
  if (ordinal === undefined) return { error: `rang inconnu : « ${words[0]} » (premier, deuxième, troisième, quatrième ou dernier)` }
  if (day < 0) return { error: `jour de la semaine inconnu : « ${words[1]} »` }
  const except: number[] = []
  for (const m of (exceptText ?? '').split(/[\s,;]+|\bet\b/).filter(Boolean)) {
    const i = MONTHS.indexOf(m)
    if (i < 0) return { error: `mois inconnu après « sauf » : « ${m} »` }
    except.push(i + 1)
  }
  return { kind: 'monthly', ordinal, weekday: day, except, text: raw }
}

/** The zod reader of a calendar text, for API inputs and settings: the error says what to write. */
export const CouncilCalendarText = z
  .string()
  .trim()
  .min(1, 'calendrier du conseil vide')
  .max(1000)
  .transform((s, ctx) => {
    const c = parseCouncilCalendar(s)
    if ('error' in c) {
      ctx.addIssue({ code: 'custom', message: c.error })
      return z.NEVER
    }
    return c
  })

/** The meeting of the monthly rule in the month of `isoDay` (YYYY-MM-…). */
function monthlyMeeting(c: Extract<CouncilCalendar, { kind: 'monthly' }>, year: number, month: number): string {
  const first = `${year}-${String(month).padStart(2, '0')}-01`
  if (c.ordinal > 0) return addDays(first, ((c.weekday - weekday(first) + 7) % 7) + 7 * (c.ordinal - 1))
  const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`
  const last = addDays(next, -1)
  return addDays(last, -((weekday(last) - c.weekday + 7) % 7))
}

/** The meetings from `from` to `to`, both included, in order. */
export function meetingsBetween(c: CouncilCalendar, from: string, to: string): string[] {
  if (c.kind === 'dates') return c.dates.filter((d) => d >= from && d <= to)
  const out: string[] = []
  let [y, m] = from.split('-').map(Number) as [number, number]
  for (;;) {
    const d = monthlyMeeting(c, y, m)
    if (d > to) return out
    if (d >= from && !c.except.includes(m)) out.push(d)
    m = m === 12 ? 1 : m + 1
    if (m === 1) y++
  }
}
