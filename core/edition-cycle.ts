// The cycle of a recurring call, read from its past editions: the years between them, and dates
// moved forward by whole years. Shared by the calendar view (next expected window) and the
// availability (has an expected edition been missed?).
import { dayFromNumber, dayNumber } from './clock.ts'
import type { Edition } from './programme.ts'

/** One year, or the smallest gap in years between past editions (dated by their last deadline, else their opening). */
export function observedPeriodYears(editions: readonly Edition[]): number {
  const years = [...new Set(editions.map((e) => Number((e.deadlines.at(-1) ?? e.opensAt ?? '').slice(0, 4))).filter((y) => y > 0))].sort((a, b) => a - b)
  const gaps = years.slice(1).map((y, i) => y - years[i]!).filter((g) => g > 0)
  return gaps.length ? Math.max(1, Math.min(...gaps)) : 1
}

export function shiftYears(isoDay: string, years: number): string {
  const y = Number(isoDay.slice(0, 4)) + years
  return validDay(`${y}${isoDay.slice(4)}`)
}

/** 2027-02-29 → 2027-02-28: keeps estimated dates real calendar days. */
export function validDay(isoDay: string): string {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number]
  const lastOfMonth = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return dayFromNumber(dayNumber(`${y}-${String(m).padStart(2, '0')}-01`) + Math.min(d, lastOfMonth) - 1)
}
