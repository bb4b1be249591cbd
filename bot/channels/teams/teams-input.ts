// What a Teams activity says, in the dialogue's terms: which conversation (and what kind),
// the text without @mentions, a card submit as a choice with its step, and a typed choice
// label (a suggested action) as that choice.
import { z } from 'zod'
import { foldFrench } from '../../../core/french.ts'
import type { TurnInput } from '../../conversation/dialogue.ts'
import type { DialogueState } from '../../conversation/state.ts'
import type { ConversationReferenceInput, TeamsConversationKind } from './conversation-reference-store.ts'
import { conversationReferenceOf, type IncomingActivity } from './teams-activity.ts'

/** Any part of an activity (tests and the Bot Framework Emulator send less than Teams). */
type ActivityPart = { [K in keyof IncomingActivity]?: K extends 'conversation' ? Partial<IncomingActivity['conversation']> : IncomingActivity[K] }

/** Dialogue sessions of Teams live beside the web ones, under their own prefix. */
export function sessionKey(conversationId: string): string {
  return `teams:${conversationId}`
}

export function conversationKind(activity: ActivityPart): TeamsConversationKind {
  const type = activity.conversation?.conversationType
  return type === 'channel' || type === 'groupChat' ? type : 'personal'
}

export function tenantOf(activity: ActivityPart): string | null {
  const data = activity.channelData as { tenant?: { id?: unknown } } | undefined
  const id = typeof data?.tenant?.id === 'string' ? data.tenant.id : activity.conversation?.tenantId
  return id || null
}

/** The reference to store: the conversation, not the message (no activityId), so alerts start a new message. */
export function referenceInput(activity: IncomingActivity): ConversationReferenceInput {
  const kind = conversationKind(activity)
  const { activityId: _ignored, ...rest } = conversationReferenceOf(activity)
  return {
    conversationId: activity.conversation.id,
    reference: rest,
    tenantId: tenantOf(activity),
    kind,
    userAadId: kind === 'personal' ? (activity.from?.aadObjectId ?? null) : null,
  }
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" }

/**
 * The user's words: @mentions (`<at>Guichet</at>`, already removed for the bot by teams-ai,
 * and any left) gone, the few HTML entities Teams sends decoded, whitespace folded.
 */
export function incomingText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at\b[^>]*>[\s\S]*?<\/at>/gi, ' ')
    .replace(/&(nbsp|amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim()
}

const AnswerSubmitSchema = z
  .object({
    guichet: z.literal('answer'),
    step: z.coerce.number().int().nonnegative(),
    slot: z.string().max(40).optional(),
    choice: z.string().max(200).optional(),
  })
  .loose()

const ActionSubmitSchema = z.object({ guichet: z.literal('action'), value: z.string().min(1).max(40) }).loose()

/** A message carrying a Guichet card's Action.Submit data (`guichet: answer | action`), whatever else it holds. */
export function isCardSubmit(activity: { type?: string; value?: unknown }): boolean {
  const value = activity.value as { guichet?: unknown } | undefined
  return activity.type === 'message' && typeof value === 'object' && value !== null && (value.guichet === 'answer' || value.guichet === 'action')
}

export type CardSubmit = { kind: 'answer'; step: number; choice: string | undefined } | { kind: 'action'; value: string } | { kind: 'invalid' }

/** A card's Action.Submit data merged with its inputs (`choice`); `msteams` and other keys are ignored. */
export function parseCardSubmit(value: unknown): CardSubmit {
  const answer = AnswerSubmitSchema.safeParse(value)
  if (answer.success) return { kind: 'answer', step: answer.data.step, choice: answer.data.choice?.trim() || undefined }
  const action = ActionSubmitSchema.safeParse(value)
  if (action.success) return { kind: 'action', value: action.data.value }
  return { kind: 'invalid' }
}

/** An action button as a dialogue turn; "restart" is said in words, as a user would. */
export function actionInput(value: string): TurnInput {
  return value === 'restart' ? { text: 'recommencer' } : { choice: value }
}

/**
 * Free text that is exactly one of the pending question's choice labels (a tapped suggested
 * action, or the label typed) answers that question like the card would.
 */
export function textInput(state: DialogueState | undefined, text: string): TurnInput {
  const pending = state?.pending
  const folded = fold(text)
  const choice = pending?.choices?.find((c) => fold(c.label) === folded)
  return choice && pending ? { choice: choice.value, step: pending.step } : { text }
}

function fold(s: string): string {
  return foldFrench(s).replace(/\s+/g, ' ').trim()
}
