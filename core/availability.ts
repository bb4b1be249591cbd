// Availability: can a collectivité apply to this programme as of today? Derived only from dated
// facts of the programme file — its editions, its calendar's cycle, a dated suspension,
// `adopted: false` — never from free text. Only `open`, `upcoming` and `expected` are
// obtainable; the evaluator excludes the others with the reason and the date, and the alerts
// keep watching them (a new edition makes them available again).
//
// - open: an edition takes applications today, or a permanent window.
// - upcoming: an edition with announced dates opens later.
// - expected: a call that comes back every cycle, whose next edition is not published yet.
// - closed: the last edition is past and none is known to follow (an irregular call, a one-off
//   call, an edition announced as the last one, or a cycle that has already missed an edition).
// - suspended: a dated suspension covers today (possibly only part of the programme).
// - proposed: a measure that is only proposed (a finance-bill article), not adopted.
// - ended: the programme is over.
import { addDays, dayNumber } from './clock.ts'
import { observedPeriodYears, shiftYears } from './edition-cycle.ts'
import { formatDay } from './french.ts'
import type { Calendar, Programme } from './programme.ts'
import type { ThemeId } from './themes.ts'

export const AVAILABILITIES = ['open', 'upcoming', 'expected', 'closed', 'suspended', 'proposed', 'ended'] as const
export type AvailabilityStatus = (typeof AVAILABILITIES)[number]
export const OBTAINABLE: ReadonlySet<AvailabilityStatus> = new Set(['open', 'upcoming', 'expected'])

export const AVAILABILITY_LABELS: Record<AvailabilityStatus, string> = {
  open: 'Ouvert',
  upcoming: 'Annoncé',
  expected: 'Prochaine édition attendue',
  closed: 'Clos, aucun appel annoncé',
  suspended: 'Suspendu',
  proposed: 'Proposé, non adopté',
  ended: 'Terminé',
}

export interface Availability {
  status: AvailabilityStatus
  /** One French sentence with the date that decides it. */
  text: string
  /** When the suspension covers only some themes: the themes concerned. */
  onlyFor?: readonly ThemeId[]
  /** The availability for projects outside `onlyFor`. */
  otherwise?: Availability
}

/**
 * How long after a cycle's expected deadline an unpublished edition still counts as late rather
 * than missed: editions slip by a season (a finance law voted late), not by a year.
 */
export const MISSED_EDITION_GRACE_DAYS = 90

const cache = new WeakMap<Programme, { today: string; value: Availability }>()

/** Availability of a programme on `today` (YYYY-MM-DD); memoised per programme and day. */
export function availability(p: Programme, today: string): Availability {
  const hit = cache.get(p)
  if (hit && hit.today === today) return hit.value
  const value = compute(p, today)
  cache.set(p, { today, value })
  return value
}

function compute(p: Programme, today: string): Availability {
  if (p.calendar.kind === 'ended') {
    const last = p.calendar.editions.at(-1)
    // The last edition's own date (an undated last edition gives none: an older date would mislead).
    const when = last?.deadlines.length ? ` : dernier appel clos le ${formatDay(last.deadlines.at(-1)!)}` : last?.opensAt ? ` : dernier appel ouvert le ${formatDay(last.opensAt)}` : ' : il n\'accepte plus de candidatures'
    return { status: 'ended', text: `Programme terminé${when}` }
  }
  if (!p.adopted) {
    return { status: 'proposed', text: 'Mesure seulement proposée, pas adoptée : elle ne peut pas encore être demandée' }
  }
  const calendar = calendarAvailability(p.calendar, today)
  const s = p.suspension
  if (s && s.from <= today && (!s.until || today < s.until)) {
    const resume = s.until ? `, reprise annoncée le ${formatDay(s.until)}` : ', sans date de reprise annoncée'
    const suspended: Availability = { status: 'suspended', text: `Suspendu depuis le ${formatDay(s.from)}${resume} : ${s.note}` }
    return s.themes ? { ...suspended, onlyFor: s.themes, otherwise: calendar } : suspended
  }
  return calendar
}

/** What the calendar alone says (no suspension, no adoption): also what the calendar view shows. */
export function calendarAvailability(c: Calendar, today: string): Availability {
  if (c.kind === 'permanent') return { status: 'open', text: 'Guichet permanent' }
  const editions = c.editions.filter((e) => e.opensAt || e.deadlines.length > 0)
  for (const e of editions) {
    const remaining = e.deadlines.filter((d) => d >= today)
    const opened = !e.opensAt || e.opensAt <= today
    if (!opened) return { status: 'upcoming', text: `Prochaine édition annoncée : ouverture le ${formatDay(e.opensAt!)}` }
    if (remaining.length > 0) return { status: 'open', text: `Ouvert jusqu'au ${formatDay(remaining[0]!)}` }
    // An edition opened within the year whose closing date nobody published: still taking applications.
    if (e.opensAt && e.deadlines.length === 0 && e === editions.at(-1) && dayNumber(today) - dayNumber(e.opensAt) <= 365) {
      return { status: 'open', text: `Ouvert depuis le ${formatDay(e.opensAt)}, date limite non communiquée` }
    }
  }
  const last = editions.at(-1)
  // The latest date an edition is known by: its last deadline, or its opening when no deadline was published.
  const ends = editions.map((e) => ({ day: e.deadlines.at(-1) ?? e.opensAt!, closed: e.deadlines.length > 0 })).sort((a, b) => a.day.localeCompare(b.day))
  const lastEnd = ends.at(-1)
  const lastDate = lastEnd?.day
  const closedSince = !lastEnd ? 'Aucun appel daté connu' : lastEnd.closed ? `Dernier appel clos le ${formatDay(lastEnd.day)}` : `Dernier appel ouvert le ${formatDay(lastEnd.day)} (clôture non communiquée)`
  if (c.kind === 'oneOff') {
    // A one-off call with no date at all is a crawled call whose dates were not published: open until told otherwise.
    if (!last) return { status: 'open', text: 'Appel ouvert, dates non communiquées' }
    return { status: 'closed', text: `${closedSince}, aucun nouvel appel annoncé` }
  }
  // recurring. The last edition known, dated or not, may have been announced as the last one.
  const lastKnown = c.editions.at(-1)
  if (lastKnown?.final && lastKnown !== last) {
    return { status: 'closed', text: `${lastKnown.label ? `L'appel « ${lastKnown.label} »` : 'Le dernier appel connu'} était annoncé comme le dernier ; aucun appel annoncé depuis` }
  }
  if (last?.final) return { status: 'closed', text: `${closedSince} ; cet appel était annoncé comme le dernier` }
  if (c.cycle === 'irregular') return { status: 'closed', text: `${closedSince}, aucun appel annoncé` }
  if (!lastDate) return { status: 'expected', text: 'Appel récurrent : la prochaine édition n\'est pas encore publiée' }
  const period = observedPeriodYears(editions)
  const expectedClose = shiftYears(lastDate, period)
  if (addDays(expectedClose, MISSED_EDITION_GRACE_DAYS) < today) {
    return { status: 'closed', text: `${closedSince}, aucun appel annoncé depuis (l'édition attendue vers le ${formatDay(expectedClose)} n'a pas été publiée)` }
  }
  return { status: 'expected', text: `Appel récurrent : la prochaine édition n'est pas encore publiée (la précédente a clos le ${formatDay(lastDate)})` }
}


/** The availability that applies to a project about `themes` (a partial suspension concerns only its themes). */
export function availabilityFor(a: Availability, themes: readonly ThemeId[] | undefined): Availability | 'depends' {
  if (!a.onlyFor) return a
  if (!themes || themes.length === 0) return 'depends'
  return themes.some((t) => a.onlyFor!.includes(t)) ? a : a.otherwise!
}
