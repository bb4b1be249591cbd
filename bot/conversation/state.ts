// The state of one conversation: the slots filled so far and what was asked. Plain JSON, so
// that any SessionStore (SQLite, D1) keeps it as it is.
import type { ApplicantType, SyndicatKind } from '../../core/applicants.ts'
import type { PrerequisiteId } from '../../core/prerequisites.ts'
import type { ClosedListId } from '../../core/closed-lists.ts'
import type { Stage } from '../../core/programme.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import type { ThemeId } from '../../core/themes.ts'
import type { Question, SlotName } from './reply.ts'

export interface DialogueState {
  version: 1
  /** Increases with every question asked. */
  step: number
  collectivite?: CollectiviteProfile
  /** Homonyms offered for the collectivité question, best first. */
  candidates?: CollectiviteProfile[]
  applicantType?: ApplicantType
  themes: ThemeId[]
  /** Project words kept for the search ("wifi", "LED"…). */
  terms: string[]
  stage?: Stage
  budget?: number
  timing?: { label: string; before?: string; year?: number }
  partnerCountry?: string
  closedLists: Partial<Record<ClosedListId, boolean>>
  /** Themes the project is known not to be about (a « non » to a scope question). */
  notThemes?: ThemeId[]
  /** Population of the applicant when it is not the collectivité (a syndicat). */
  applicantPopulation?: number
  /** The council calendar the collectivité gave (« premier mardi du mois », dates), for the back-planning of deadlines. */
  councilCalendar?: string
  syndicatKind?: SyndicatKind
  /** Density of the EPCI, inhabitants per km². */
  density?: number
  foreignPartners?: boolean
  partnerCountries?: string[]
  frenchPartners?: number
  prerequisites?: Partial<Record<PrerequisiteId, boolean>>
  /** Where the project is carried out, when said (« au Mali », « chez nous »). */
  location?: 'france' | 'abroad'
  /** Slots (or closedList:<id>) answered « je ne sais pas »: never asked again. */
  unknown: string[]
  /** Slots already asked, in order. */
  asked: string[]
  pending?: Question
  /** Questions asked before the first results were shown. */
  questionsBeforeResults: number
  resultsShown: boolean
  /** Ids of the last results shown, best first, for « pourquoi ? ». */
  lastResults: string[]
  /** The last list shown (ids and statuses): a turn that would show it again says « rien ne change ». */
  lastShownKey?: string
}

export function initialState(): DialogueState {
  return {
    version: 1,
    step: 0,
    themes: [],
    terms: [],
    closedLists: {},
    unknown: [],
    asked: [],
    questionsBeforeResults: 0,
    resultsShown: false,
    lastResults: [],
  }
}

/** What `asked` and `unknown` remember of a question: its slot, or the exact fact it settles. */
export function slotKey(slot: SlotName, detail?: string): string {
  if (slot === 'closedList' && detail) return detail.startsWith('closedList:') ? detail : `closedList:${detail}`
  if ((slot === 'scope' || slot === 'prerequisite') && detail) return detail
  return slot
}
