// Calendar: where a programme stands on a given day — permanent, open (closes on …, J-n),
// forthcoming (opens on …), closed, or recurring with no dated edition — and, for a
// recurring call that is not open, its next expected window, always marked as an estimate.
import { calendarAvailability } from './availability.ts'
import { daysBetween } from './clock.ts'
import { observedPeriodYears, shiftYears, validDay } from './edition-cycle.ts'
import { formatDay, formatMonth } from './french.ts'
import type { Calendar, Edition } from './programme.ts'

export const CALENDAR_STATUSES = ['permanent', 'open', 'forthcoming', 'closed', 'recurring'] as const
export type CalendarStatus = (typeof CALENDAR_STATUSES)[number]

export const CALENDAR_STATUS_LABELS: Record<CalendarStatus, string> = {
  permanent: 'Permanent',
  open: 'Ouvert',
  forthcoming: 'À venir',
  closed: 'Clos',
  recurring: 'Récurrent',
}

export interface NextWindow {
  opensAt: string
  closesAt: string
  /** Always true: a window computed from past editions or the usual window is a guess. */
  estimated: true
  basis: string
}

export interface CalendarView {
  status: CalendarStatus
  opensAt?: string
  closesAt?: string
  daysLeft?: number
  /** Remaining deadlines of the current or coming edition, soonest first. */
  deadlines?: string[]
  /** true when opensAt/closesAt come from an edition marked as estimated. */
  estimated: boolean
  nextWindow?: NextWindow
  /** The calendar in one French sentence, ready to show. */
  label: string
}

/** "J-12", "J-0" on the day itself. */
export function jMinus(days: number): string {
  return `J-${days}`
}

export function evaluateCalendar(calendar: Calendar, today: string): CalendarView {
  if (calendar.kind === 'permanent') {
    return { status: 'permanent', estimated: false, label: 'Guichet permanent, sans date limite' }
  }
  // Editions with no date at all say nothing about when to apply.
  const editions = calendar.editions.filter((e) => e.opensAt || e.deadlines.length > 0).sort((a, b) => editionStart(a).localeCompare(editionStart(b)))

  for (const e of editions) {
    const view = editionView(e, calendar, editions, today)
    if (view) return view
  }
  return afterEditions(calendar, editions, today)
}

/** The calendar as edition `e` makes it (open or forthcoming), or undefined when `e` is over. */
function editionView(e: Edition, calendar: Calendar, editions: Edition[], today: string): CalendarView | undefined {
  const remaining = e.deadlines.filter((d) => d >= today)
  const opened = !e.opensAt || e.opensAt <= today
  if (opened && remaining.length > 0) {
    const closesAt = remaining[0]!
    const daysLeft = daysBetween(today, closesAt)
    const guess = e.estimated ? ' (date estimée, à confirmer)' : ''
    return {
      status: 'open',
      ...(e.opensAt ? { opensAt: e.opensAt } : {}),
      closesAt,
      daysLeft,
      deadlines: remaining,
      estimated: e.estimated,
      label: `Ouvert jusqu'au ${formatDay(closesAt)} (${jMinus(daysLeft)})${guess}`,
    }
  }
  if (!opened) {
    const guess = e.estimated ? ' (date estimée, à confirmer)' : ''
    return {
      status: 'forthcoming',
      opensAt: e.opensAt!,
      ...(remaining[0] ? { closesAt: remaining[0], deadlines: remaining } : {}),
      estimated: e.estimated,
      label: `Ouverture le ${formatDay(e.opensAt!)}${remaining[0] ? `, clôture le ${formatDay(remaining[0])}` : ''}${guess}`,
    }
  }
  if (opened && e.opensAt && e.deadlines.length === 0 && e === editions.at(-1) && calendar.kind !== 'ended' && daysBetween(e.opensAt, today) <= 365) {
    // An edition opened within the year whose closing date nobody published: open, but say we do not know until when.
    // Older undated editions are history, not an open call.
    return {
      status: 'open',
      ...(e.opensAt ? { opensAt: e.opensAt } : {}),
      estimated: false,
      label: 'Ouvert, date limite non communiquée (à vérifier auprès du financeur)',
    }
  }
  return undefined
}

/** No edition open or coming: ended, recurring (with its next window), unknown or closed. */
function afterEditions(calendar: Calendar, editions: Edition[], today: string): CalendarView {
  const last = editions.at(-1)
  const lastDeadline = editions.flatMap((e) => e.deadlines).sort().at(-1)
  if (calendar.kind === 'ended') {
    return {
      status: 'closed',
      estimated: false,
      label: lastDeadline ? `Programme terminé (dernière clôture le ${formatDay(lastDeadline)})` : 'Programme terminé',
    }
  }
  if (calendar.kind === 'recurring') return recurringView(calendar, editions, lastDeadline, today)
  if (!last) {
    return { status: 'open', estimated: false, label: 'Calendrier non communiqué (à vérifier auprès du financeur)' }
  }
  return {
    status: 'closed',
    estimated: false,
    label: lastDeadline ? `Clos le ${formatDay(lastDeadline)}` : 'Clos',
  }
}

function recurringView(calendar: Calendar, editions: Edition[], lastDeadline: string | undefined, today: string): CalendarView {
  // A call that missed an edition, ended with its last one or comes irregularly is not expected: no window is guessed.
  const closed = calendarAvailability(calendar, today)
  if (closed.status === 'closed') return { status: 'closed', estimated: false, label: closed.text }
  const nextWindow = estimateNextWindow(calendar, editions, today)
  const status: CalendarStatus = lastDeadline ? 'closed' : 'recurring'
  const past = lastDeadline ? `Clos le ${formatDay(lastDeadline)}. ` : ''
  if (!nextWindow) return { status, estimated: false, label: `${past}Appel récurrent : prochaines dates non connues` }
  const within = nextWindow.opensAt <= today
  const window = nextWindow.opensAt.slice(0, 7) === nextWindow.closesAt.slice(0, 7) ? formatMonth(nextWindow.closesAt) : `${formatMonth(nextWindow.opensAt)} – ${formatMonth(nextWindow.closesAt)}`
  return {
    status,
    estimated: false,
    nextWindow,
    label: within
      ? `${past}Appel récurrent : la fenêtre habituelle (${window}) est en cours, dates exactes à vérifier (estimation)`
      : `${past}Prochaine fenêtre attendue : ${window} (estimation)`,
  }
}

function editionStart(e: Edition): string {
  return e.opensAt ?? e.deadlines[0] ?? ''
}

/**
 * The next window of a recurring call: its usual window if known, else the last edition's
 * dates moved forward by the observed period (one year, or the gap between past editions).
 * Returns the first such window that has not closed yet on `today`.
 */
export function estimateNextWindow(calendar: Calendar, editions: Edition[], today: string): NextWindow | undefined {
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number]
  void tm
  void td
  if (calendar.typicalWindow) {
    const { opens, closes } = calendar.typicalWindow
    for (let y = ty - 1; y <= ty + 1; y++) {
      const opensAt = `${y}-${opens}`
      const closesAt = `${closes < opens ? y + 1 : y}-${closes}`
      if (validDay(closesAt) >= today) {
        return { opensAt: validDay(opensAt), closesAt: validDay(closesAt), estimated: true, basis: 'fenêtre habituelle de l\'appel' }
      }
    }
    return undefined
  }
  const dated = editions.filter((e) => e.deadlines.length > 0)
  const last = dated.at(-1)
  if (!last) return undefined
  const lastClose = last.deadlines.at(-1)!
  const lastOpen = last.opensAt ?? lastClose
  const period = observedPeriodYears(dated)
  // Beyond three missed editions the call has probably changed or stopped: no guess.
  for (let k = 1; k <= 3; k++) {
    const shift = period * k
    const closesAt = shiftYears(lastClose, shift)
    if (closesAt >= today) {
      return {
        opensAt: shiftYears(lastOpen, shift),
        closesAt,
        estimated: true,
        basis: `calendrier de l'édition ${last.label ?? lastClose.slice(0, 4)}`,
      }
    }
  }
  return undefined
}
