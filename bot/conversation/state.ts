// The state of one conversation: the slots filled so far and what was asked. Plain JSON, so
// that any SessionStore (SQLite, D1) keeps it as it is.
import type { ApplicantType } from '../../core/applicants.ts'
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

export function slotKey(slot: SlotName, closedList?: string): string {
  return slot === 'closedList' && closedList ? `closedList:${closedList}` : slot
}
