// The shapes of one dialogue turn — what comes in (free text, or a quick reply with the step of
// its question) and what goes out (the new state and the reply) — and the limits of a reply.
import type { Reply } from './reply.ts'
import type { DialogueState } from './state.ts'

export interface TurnInput {
  text?: string
  choice?: string
  /** The step of the question a card answers; an older step is a stale card. */
  step?: number
}

export interface TurnOutput {
  state: DialogueState
  reply: Reply
}

/** The most questions asked before the first results are shown. */
export const MAX_QUESTIONS_BEFORE_RESULTS = 3
/** How many results a reply carries. */
export const RESULTS_SHOWN = 10
