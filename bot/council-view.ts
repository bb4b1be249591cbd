// Where a match item is presented (GET /api/match, the dialogue's results and deadlines), its
// council back-planning is added: `council` on each item whose call has a deadline to come, for
// the collectivité of the answer (core/council-view.ts). The council calendar is the
// collectivité's when it gave one, the server's (GUICHET_COUNCIL_CALENDAR) otherwise.
import type { Catalogue } from '../content/catalogue.ts'
import type { MatchItem, MatchResponse } from '../content/matching.ts'
import type { ApplicantType } from '../core/applicants.ts'
import { parseCouncilCalendar, type CouncilCalendar } from '../core/council-calendar.ts'
import { DEFAULT_COUNCIL_CALENDAR, DEFAULT_EXECUTORY_MARGIN_DAYS } from '../core/council.ts'
import { councilFacts, councilView, type CouncilSettings } from '../core/council-view.ts'
import type { Config } from '../core/config.ts'
import { formatDay } from '../core/french.ts'

/** The built-in settings (GUICHET_COUNCIL_* unset), for callers given no configuration. */
export const DEFAULT_COUNCIL_SETTINGS: CouncilSettings = {
  calendar: parseCouncilCalendar(DEFAULT_COUNCIL_CALENDAR) as CouncilCalendar,
  marginDays: DEFAULT_EXECUTORY_MARGIN_DAYS,
  source: 'default',
}

/** The settings in force: the collectivité's calendar or margin when given, the server's otherwise. */
export function councilSettings(config: Pick<Config, 'GUICHET_COUNCIL_CALENDAR' | 'GUICHET_COUNCIL_MARGIN_DAYS'>, given: { calendar?: CouncilCalendar; marginDays?: number } = {}): CouncilSettings {
  return {
    calendar: given.calendar ?? config.GUICHET_COUNCIL_CALENDAR,
    marginDays: given.marginDays ?? config.GUICHET_COUNCIL_MARGIN_DAYS,
    source: given.calendar ? 'collectivite' : 'default',
  }
}

export interface CouncilContext {
  catalogue: Catalogue
  settings: CouncilSettings
  /** Who applies when it is not the collectivité itself (a syndicat), and its population. */
  applicant?: ApplicantType
  applicantPopulation?: number
}

/** One item with its `council`, when it has a deadline from today and the answer a collectivité. */
export function withCouncilItem(item: MatchItem, response: Pick<MatchResponse, 'profile' | 'today'>, ctx: CouncilContext): MatchItem {
  const deadline = item.calendar.closesAt
  const profile = response.profile
  const programme = ctx.catalogue.get(item.id)
  if (!deadline || deadline < response.today || !profile || !programme) return item
  const council = councilView({
    programme,
    deadline,
    deadlineEstimated: item.calendar.estimated,
    ...councilFacts(profile, ctx.applicant, ctx.applicantPopulation),
    today: response.today,
    settings: ctx.settings,
  })
  return { ...item, council }
}

/** The answer with `council` on each of its dated results. */
export function withCouncil(response: MatchResponse, ctx: CouncilContext): MatchResponse {
  return { ...response, results: response.results.map((r) => withCouncilItem(r, response, ctx)) }
}

/**
 * The chat's message on the councils, in one paragraph (each programme's dates travel on its card,
 * `council`): the soonest deadline's last useful council or its flag, the other deadlines that fall
 * before the next council, and the calendar assumed; undefined when no shown item has a deadline.
 */
export function councilMessage(items: readonly MatchItem[]): string | undefined {
  const dated = items.filter((i) => i.council).sort((a, b) => a.council!.deadline.localeCompare(b.council!.deadline))
  if (dated.length === 0) return undefined
  const soonest = dated[0]!
  const c = soonest.council!
  const name = soonest.shortName ?? soonest.name
  const need = c.deliberation.status === 'stated' ? 'délibération exigée par le programme' : 'délibération généralement demandée — à vérifier'
  const first = c.beforeNextCouncil
    ? `${name} (date limite le ${formatDay(c.deadline)}${c.deadlineEstimated ? ', estimée' : ''}) : ${lowerFirst(c.label)} (${need}).`
    : `${name} (date limite le ${formatDay(c.deadline)}${c.deadlineEstimated ? ', estimée' : ''}) : ${lowerFirst(c.label)} ; délibération à prendre avant le ${formatDay(c.deliberateBy)} inclus (${need}).`
  const alsoLate = dated.slice(1).filter((i) => i.council!.beforeNextCouncil).map((i) => i.shortName ?? i.name)
  const late = alsoLate.length ? ` La date limite de ${alsoLate.join(', ')} tombe aussi avant votre prochain conseil.` : ''
  const assumed = c.calendar.source === 'default' ? `calendrier supposé : ${c.calendar.text} ; dites-moi le vôtre, ex. « notre conseil se réunit le premier mardi du mois »` : `votre calendrier : ${c.calendar.text}`
  return `Votre conseil doit-il délibérer à temps ? ${first}${late} Les dates de chaque programme sont sur sa fiche (${assumed}).`
}

function lowerFirst(s: string): string {
  return s.replace(/^./, (ch) => ch.toLowerCase())
}
