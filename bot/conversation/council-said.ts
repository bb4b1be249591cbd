// « Notre conseil se réunit le premier mardi du mois » / « conseil municipal les 12 mars et
// 9 avril » in a chat turn: the council calendar the collectivité gives (core/council-calendar.ts),
// kept in the dialogue state for the back-planning of its deadlines (bot/council-view.ts).
import { parseCouncilCalendar, type CouncilCalendar } from '../../core/council-calendar.ts'
import { foldFrench } from '../../core/french.ts'
import type { CouncilSettings } from '../../core/council-view.ts'

const RULE = /\b(premier|1er|1re|deuxieme|second|2e|2eme|troisieme|3e|3eme|quatrieme|4e|4eme|dernier)\s+(lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)(\s+(de\s+)?chaque\s+mois|\s+du\s+mois)?(\s+sauf\s+(en\s+)?[a-z]+(\s*(,|et)\s*[a-z]+)*)?/
const ISO_DATES = /\b\d{4}-\d{2}-\d{2}\b/g

/** The council calendar a message gives, as the text to keep; undefined when it speaks of no council rule. */
export function councilCalendarIn(text: string): string | undefined {
  const folded = foldFrench(text)
  if (!/\b(conseil|conseils|seance|seances|assemblee)\b/.test(folded)) return undefined
  const dates = folded.match(ISO_DATES)
  const candidate = dates?.length ? dates.join(', ') : folded.match(RULE)?.[0]?.replace(/\ben\s+/, '').replace(/de\s+chaque\s+mois|chaque\s+mois/, 'du mois')
  if (!candidate) return undefined
  return 'error' in parseCouncilCalendar(candidate) ? undefined : candidate
}

/** The settings for a dialogue: the collectivité's calendar when it gave one, the server's otherwise. */
export function dialogueCouncil(server: CouncilSettings, said: string | undefined): CouncilSettings {
  const c: CouncilCalendar | { error: string } | undefined = said ? parseCouncilCalendar(said) : undefined
  return c && !('error' in c) ? { ...server, calendar: c, source: 'collectivite' } : server
}
