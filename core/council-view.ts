// The council back-planning of one programme's deadline as users see it (a match item's
// `council`, the chat, the widget and Teams cards, the reminders): whether the programme states a
// deliberation, « délibération à prendre avant le … », the last useful council and its latest
// convocation, or the flag when the deadline falls before the next council.
import type { ApplicantType } from './applicants.ts'
import type { CouncilCalendar } from './council-calendar.ts'
import { planCouncil, deliberationNeed, type DeliberationNeed } from './council-plan.ts'
import { formatWeekday, type ConvocationRule, type CouncilBody } from './council.ts'
import { formatDay } from './french.ts'
import type { CollectiviteProfile, CollectiviteType } from './profile.ts'
import type { Programme } from './programme.ts'

export interface CouncilSettings {
  calendar: CouncilCalendar
  /** Days from the vote to the deliberation being executory. */
  marginDays: number
  /** 'collectivite' when the collectivité gave its calendar, 'default' for the server's assumption. */
  source: 'collectivite' | 'default'
}

export interface CouncilView {
  deadline: string
  /** true when the deadline itself is an estimate. */
  deadlineEstimated: boolean
  deliberation: DeliberationNeed
  deliberateBy: string
  lastUsefulCouncil: string | null
  convocationBy: string | null
  nextCouncil: string | null
  beforeNextCouncil: boolean
  convocation: ConvocationRule
  marginDays: number
  /** The calendar assumed, as written, and whether the collectivité gave it. */
  calendar: { text: string; source: CouncilSettings['source'] }
  /** One line for a card: the last useful council, or the flag. */
  label: string
  /** One line for a card: « à prendre avant le … inclus — exigée par le programme | généralement demandée, à vérifier ». */
  deliberationLabel: string
  /** Every line, in order, ready to show. */
  lines: string[]
}

/** The body that votes: a syndicat applying for itself votes in its own committee. */
export function councilBody(type: CollectiviteType, applicant?: ApplicantType): CouncilBody {
  return applicant === 'syndicat' ? 'syndicat' : type
}

/** Who votes and what decides its delay, from the collectivité's profile (a syndicat applying: its own population). */
export function councilFacts(profile: Pick<CollectiviteProfile, 'type' | 'population' | 'centre'>, applicant?: ApplicantType, applicantPopulation?: number): Pick<CouncilViewInput, 'body' | 'population' | 'largestMember'> {
  const body = councilBody(profile.type, applicant)
  if (body === 'syndicat') return { body, ...(applicantPopulation !== undefined ? { population: applicantPopulation } : {}) }
  return {
    body,
    ...(profile.population !== undefined ? { population: profile.population } : {}),
    ...(body === 'epci' && profile.centre ? { largestMember: profile.centre.population } : {}),
  }
}

export interface CouncilViewInput {
  /** The programme whose file may state a deliberation; absent: « généralement demandée — à vérifier ». */
  programme?: Pick<Programme, 'eligibility' | 'aid' | 'summary'>
  deadline: string
  deadlineEstimated: boolean
  body: CouncilBody
  population?: number
  /** For an EPCI: its most populous member commune's population (the profile's `centre`). */
  largestMember?: number
  today: string
  settings: CouncilSettings
}

export function councilView(input: CouncilViewInput): CouncilView {
  const { settings } = input
  const plan = planCouncil({
    deadline: input.deadline,
    today: input.today,
    body: input.body,
    calendar: settings.calendar,
    marginDays: settings.marginDays,
    ...(input.population !== undefined ? { population: input.population } : {}),
    ...(input.largestMember !== undefined ? { largestMember: input.largestMember } : {}),
  })
  const deliberation = deliberationNeed(input.programme)
  const u = plan.lastUseful
  const label = u
    ? `Dernier conseil utile le ${formatWeekday(u.meeting)} (${u.convocationPassed ? `sa convocation devait partir au plus tard le ${formatDay(u.convocationBy)} : le point doit déjà être à l'ordre du jour` : `convocation au plus tard le ${formatDay(u.convocationBy)}`})`
    : plan.lines.at(-1)!.replace(/^Attention : /, '').replace(/\.$/, '').replace(/^./, (c) => c.toUpperCase())
  const assumed = settings.source === 'default' ? ' (supposé — donnez le vôtre pour un calcul exact)' : ''
  const lines = [
    `${deliberation.text}.`,
    ...(input.deadlineEstimated ? ['Date limite estimée : ces dates sont à revoir quand elle sera publiée.'] : []),
    ...plan.lines,
    `Calendrier du conseil : ${settings.calendar.text}${assumed}.`,
  ]
  return {
    deadline: input.deadline,
    deadlineEstimated: input.deadlineEstimated,
    deliberation,
    deliberateBy: plan.deliberateBy,
    lastUsefulCouncil: u?.meeting ?? null,
    convocationBy: u?.convocationBy ?? null,
    nextCouncil: plan.nextMeeting ?? null,
    beforeNextCouncil: plan.beforeNextCouncil,
    convocation: plan.convocation,
    marginDays: plan.marginDays,
    calendar: { text: settings.calendar.text, source: settings.source },
    label,
    deliberationLabel: `à prendre avant le ${formatDay(plan.deliberateBy)} inclus — ${deliberation.status === 'stated' ? 'exigée par le programme' : 'généralement demandée, à vérifier'}`,
    lines,
  }
}
