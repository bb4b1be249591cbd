// What the catalogue says about the coming days, computed once per digest run: each
// programme's calendar through the one calendar evaluator, its firm deadlines by days left,
// and its estimated ones (an estimated edition, or a recurring call's next window) kept apart
// so that they are only ever announced as estimates.
import { evaluateCalendar, type CalendarView } from '../../core/calendar.ts'
import { daysBetween } from '../../core/clock.ts'
import type { Programme } from '../../core/programme.ts'
import type { ProgrammeRef } from './delivery.ts'
import { MAX_LEAD_DAYS } from './subscription.ts'

export interface ScheduledDeadline {
  programme: Programme
  deadline: string
  /** Days from today to the deadline (1..horizon). */
  daysLeft: number
}

export interface EstimatedDeadline extends ScheduledDeadline {
  window?: { opensAt: string; closesAt: string }
  basis: string
}

export interface Schedule {
  today: string
  /** byOffset[k]: firm deadlines k days from today (1..MAX_LEAD_DAYS). */
  firm: ScheduledDeadline[][]
  estimated: EstimatedDeadline[][]
  view(p: Programme): CalendarView
}

export function buildSchedule(programmes: readonly Programme[], today: string, horizon = MAX_LEAD_DAYS): Schedule {
  const firm: ScheduledDeadline[][] = Array.from({ length: horizon + 1 }, () => [])
  const estimated: EstimatedDeadline[][] = Array.from({ length: horizon + 1 }, () => [])
  const views = new Map<Programme, CalendarView>()
  for (const p of programmes) {
    if (p.calendar.kind === 'permanent' || p.calendar.kind === 'ended') continue
    const v = evaluateCalendar(p.calendar, today)
    views.set(p, v)
    for (const d of v.deadlines ?? []) {
      const k = daysBetween(today, d)
      if (k < 1 || k > horizon) continue
      if (v.estimated) estimated[k]!.push({ programme: p, deadline: d, daysLeft: k, basis: 'dates estimées de l\'édition' })
      else firm[k]!.push({ programme: p, deadline: d, daysLeft: k })
    }
    const w = v.nextWindow
    if (w) {
      const k = daysBetween(today, w.closesAt)
      if (k >= 1 && k <= horizon) estimated[k]!.push({ programme: p, deadline: w.closesAt, daysLeft: k, window: { opensAt: w.opensAt, closesAt: w.closesAt }, basis: w.basis })
    }
  }
  return {
    today,
    firm,
    estimated,
    view(p) {
      let v = views.get(p)
      if (!v) {
        v = evaluateCalendar(p.calendar, today)
        views.set(p, v)
      }
      return v
    },
  }
}

/**
 * Offsets (days left) whose deadlines are due for a subscription today: a deadline k days away
 * fires at its closest lead time L ≥ k — once, on the first run on or after D − L. With `gap`
 * days since the subscription's last digest (Infinity for its first), that is L − k < gap.
 * When several lead times are due at once (a late subscription), only the closest is sent.
 */
export function dueOffsets(leadTimes: readonly number[], gap: number): { k: number; lead: number }[] {
  const ascending = [...leadTimes].sort((a, b) => a - b)
  const out: { k: number; lead: number }[] = []
  const max = ascending.at(-1) ?? 0
  for (let k = 1; k <= max; k++) {
    const lead = ascending.find((l) => l >= k)!
    if (lead - k < gap) out.push({ k, lead })
  }
  return out
}

/** Estimates are announced once, at the largest lead time. */
export function dueEstimateOffsets(leadTimes: readonly number[], gap: number): { k: number; lead: number }[] {
  const max = Math.max(0, ...leadTimes)
  const out: { k: number; lead: number }[] = []
  for (let k = 1; k <= max; k++) if (max - k < gap) out.push({ k, lead: max })
  return out
}

export function programmeRef(p: Programme): ProgrammeRef {
  return {
    id: p.id,
    name: p.name,
    ...(p.shortName ? { shortName: p.shortName } : {}),
    funder: p.funders[0]!,
    url: p.links.official,
    ...(p.links.apply ? { applyUrl: p.links.apply } : {}),
  }
}
