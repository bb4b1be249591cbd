// What the widget sends to and receives from POST /api/chat (see ../chat-routes.ts). The
// item shapes are the server's own types, imported as types only: nothing of the server is
// bundled into the widget.
import type { ExcludedItem, MatchItem } from '../../../../content/matching.ts'
import type { Action, Choice, SlotName } from '../../../conversation/reply.ts'
import type { PlanOffer } from '../../../conversation/reply.ts'

export type { Action, Choice, ExcludedItem, MatchItem }

export interface ChatRequest {
  sessionId?: string
  text?: string
  choice?: string
  step?: number
}

export interface ChatQuestion {
  slot: SlotName
  text: string
  step: number
  choices?: Choice[]
}

export interface ChatResponse {
  sessionId: string
  messages: { text: string }[]
  question?: ChatQuestion
  results?: MatchItem[]
  excluded?: ExcludedItem[]
  actions?: Action[]
  /** « Voir le plan de financement », once the budget is known. */
  plan?: PlanOffer
}

/** One line of the transcript, as kept in sessionStorage and drawn again after a page change. */
export type Turn = { who: 'user'; text: string } | { who: 'bot'; reply: Omit<ChatResponse, 'sessionId'> } | { who: 'notice'; text: string }
