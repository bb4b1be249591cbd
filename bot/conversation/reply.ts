// The channel-agnostic reply model: what the dialogue says, and what the web widget and
// Teams render — text, at most one question (with up to three quick replies), programme
// cards (the same items as /api/match) and follow-up actions.
import type { ExcludedItem, MatchItem } from '../../content/matching.ts'
import type { PeerList } from '../../content/peers/peers.ts'

export type SlotName =
  | 'collectivite'
  | 'applicantType'
  | 'themes'
  | 'stage'
  | 'budget'
  | 'timing'
  | 'partnerCountry'
  | 'closedList'
  | 'population'
  | 'email'
  | 'scope'
  | 'foreignPartners'
  | 'partnerCountries'
  | 'frenchPartners'
  | 'prerequisite'
  | 'density'
  | 'syndicatKind'

export interface Choice {
  value: string
  label: string
}

export interface Question {
  slot: SlotName
  text: string
  /** Up to three quick replies; free text is always accepted too. */
  choices?: Choice[]
  /** Which closed list a closedList question is about. */
  closedList?: string
  /** The evaluator's missing fact a question settles (`scope:ecoles`, `prerequisite:pcaet`…). */
  fact?: string
  /** Dialogue step the question belongs to, so a stale card can be recognised. */
  step: number
}

export type ActionId = 'alerts' | 'refine' | 'excluded' | 'restart'

export interface Action {
  value: ActionId
  label: string
}

export interface Reply {
  messages: { text: string }[]
  question?: Question
  results?: MatchItem[]
  excluded?: ExcludedItem[]
  /** Fonds vert 2023 projects of comparable collectivités (« qu'ont financé des communes comme la mienne ? »). */
  peers?: PeerList
  /** Offered once the budget is known (« budget de 250 000 € »). */
  plan?: PlanOffer
  actions?: Action[]
}

/** « Voir le plan de financement » (bot/conversation/plan-offer.ts): the printable plan and its exports. */
export interface PlanOffer {
  label: string
  text: string
  page: string
  csv: string
  xlsx: string
}

export const RESULT_ACTIONS: Action[] = [
  { value: 'alerts', label: 'M\'alerter des échéances' },
  { value: 'refine', label: 'Affiner' },
  { value: 'excluded', label: 'Voir les programmes écartés' },
]
