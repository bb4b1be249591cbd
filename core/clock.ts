// The Clock port: all "today" in Guichet comes from here. GUICHET_NOW fixes it (runtime config).

export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

/** A clock stopped at one instant; a bare date (2026-03-01) means 09:00 in Paris that day. */
export function fixedClock(iso: string): Clock {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T09:00:00+01:00`) : new Date(iso)
  if (Number.isNaN(instant.getTime())) throw new Error(`invalid date for the clock: ${iso}`)
  return { now: () => new Date(instant) }
}

const parisDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' })

/** The calendar day (YYYY-MM-DD) in Europe/Paris at this instant. */
export function parisDay(instant: Date): string {
  return parisDate.format(instant)
}

const DAY_MS = 86_400_000

export function dayNumber(isoDay: string): number {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number]
  return Date.UTC(y, m - 1, d) / DAY_MS
}

export function dayFromNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

/** Whole days from `from` to `to` (both YYYY-MM-DD): 0 on the same day. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from)
}

/** The ISO day `days` after `isoDay` (negative: before). */
export function addDays(isoDay: string, days: number): string {
  return dayFromNumber(dayNumber(isoDay) + days)
}
