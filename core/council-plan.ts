// The back-planning of one deadline: the last useful council (the last meeting from today whose
// deliberation is executory by the deadline), « délibération à prendre avant le … », the latest
// convocation of that meeting, and the flag when the deadline falls before the next council.
// Also whether a programme needs a deliberation, from what its file says — never asserted when
// it says nothing. The law behind each date is in ./council.ts.
import { addDays, dayNumber } from './clock.ts'
import { meetingsBetween, type CouncilCalendar } from './council-calendar.ts'
import { convocationRule, DEFAULT_EXECUTORY_MARGIN_DAYS, formatWeekday, latestConvocation, publicHoliday, workdayOnOrBefore, type ConvocationRule, type CouncilBody } from './council.ts'
import { formatDay } from './french.ts'
import type { Programme } from './programme.ts'

export interface CouncilPlanInput {
  /** The programme's deadline, YYYY-MM-DD (applications accepted that whole day). */
  deadline: string
  today: string
  body: CouncilBody
  population?: number
  /** For an EPCI or a syndicat: the population of its most populous member commune, when known (L5211-1). */
  largestMember?: number
  calendar: CouncilCalendar
  /** Days between the vote and the deliberation being executory (default DEFAULT_EXECUTORY_MARGIN_DAYS). */
  marginDays?: number
}

export interface UsefulCouncil {
  meeting: string
  /** The last day the convocation can leave (legal limit). */
  convocationBy: string
  /** The working day before when the legal limit falls on a weekend or a public holiday; the same day otherwise. */
  convocationWorkday: string
  /** true when that day is already behind today: the meeting is useful only if its agenda already holds the matter. */
  convocationPassed: boolean
}

export interface CouncilPlan {
  deadline: string
  /** The last day the deliberation can be voted for it to be executory by the deadline. */
  deliberateBy: string
  marginDays: number
  convocation: ConvocationRule
  /** The first meeting from today on, if the calendar has one before the deadline + a year. */
  nextMeeting?: string
  lastUseful?: UsefulCouncil
  /** true when no meeting of the calendar falls between today and deliberateBy. */
  beforeNextCouncil: boolean
  /** The plan in French lines, ready to show. */
  lines: string[]
}

const DELEGATION: Record<CouncilBody, string> = {
  commune: 'réunion extraordinaire (CGCT L2121-9) ou délégation au maire (CGCT L2122-22, 26°)',
  epci: 'réunion extraordinaire ou délégation au président ou au bureau (CGCT L5211-10)',
  syndicat: 'réunion extraordinaire ou délégation au président ou au bureau (CGCT L5211-10)',
  departement: 'réunion extraordinaire ou délégation à la commission permanente (CGCT L3211-2)',
  region: 'réunion extraordinaire ou délégation à la commission permanente (CGCT L4221-5)',
}

/** The back-planning of one deadline (see the header). */
export function planCouncil(input: CouncilPlanInput): CouncilPlan {
  const marginDays = input.marginDays ?? DEFAULT_EXECUTORY_MARGIN_DAYS
  const convocation = convocationRule(input.body, input.population, input.largestMember)
  const deliberateBy = addDays(input.deadline, -marginDays)
  const meetings = meetingsBetween(input.calendar, input.today, addDays(input.deadline, 366))
  const nextMeeting = meetings[0]
  const useful = meetings.filter((m) => m <= deliberateBy).at(-1)
  const plan: CouncilPlan = { deadline: input.deadline, deliberateBy, marginDays, convocation, beforeNextCouncil: useful === undefined, lines: [], ...(nextMeeting ? { nextMeeting } : {}) }
  if (useful) {
    const convocationBy = latestConvocation(useful, convocation.clearDays)
    plan.lastUseful = { meeting: useful, convocationBy, convocationWorkday: workdayOnOrBefore(convocationBy), convocationPassed: convocationBy < input.today }
  }
  plan.lines = planLines(plan, input.body)
  return plan
}

function planLines(plan: CouncilPlan, body: CouncilBody): string[] {
  const lines = [`Délibération à prendre avant le ${formatDay(plan.deliberateBy)} inclus (exécutoire à la date limite du ${formatDay(plan.deadline)} : transmission en préfecture et publication, CGCT L2131-1, ${plan.marginDays} jour${plan.marginDays > 1 ? 's' : ''} de marge).`]
  const u = plan.lastUseful
  if (u) {
    lines.push(`Dernier conseil utile le ${formatWeekday(u.meeting)}.`)
    const closed = publicHoliday(u.convocationBy) ? 'un jour férié' : `un ${formatWeekday(u.convocationBy).split(' ')[0]}`
    const weekend = u.convocationWorkday !== u.convocationBy ? ` (${closed} : le ${formatWeekday(u.convocationWorkday)} si vos services sont fermés ce jour-là)` : ''
    const passed = u.convocationPassed ? ' — date passée : ce conseil n\'est utile que si le point est déjà à l\'ordre du jour' : ''
    lines.push(`Convocation du conseil au plus tard le ${formatWeekday(u.convocationBy)}${weekend}${passed} : ${plan.convocation.text} (${plan.convocation.article}).`)
  } else {
    const next = plan.nextMeeting
    const when = next && dayNumber(next) <= dayNumber(plan.deadline) ? `trop près de la date limite, votre prochain conseil (le ${formatDay(next)}) ne laisse pas la délibération devenir exécutoire à temps` : `la date limite tombe avant votre prochain conseil${next ? ` (le ${formatDay(next)})` : ''}`
    lines.push(`Attention : ${when} : ${DELEGATION[body]} à envisager.`)
  }
  return lines
}

export type DeliberationNeed = { status: 'stated'; text: string } | { status: 'usual'; text: string }

const DELIBERATION = /d[ée]lib[ée]ration/i

/** Whether the programme's file asks for a deliberation: its own sentence when it does, « généralement demandée — à vérifier » otherwise. */
export function deliberationNeed(p: Pick<Programme, 'eligibility' | 'aid' | 'summary'> | undefined): DeliberationNeed {
  const said = !p ? undefined : [...p.eligibility.conditions, p.aid.notes ?? '', p.summary].map((s) => s.split(/(?<=[.;])\s+/).find((x) => DELIBERATION.test(x))).find(Boolean)
  if (said) return { status: 'stated', text: `Délibération exigée par le programme : « ${said.trim()} »` }
  return { status: 'usual', text: 'Délibération généralement demandée — à vérifier auprès du financeur' }
}
