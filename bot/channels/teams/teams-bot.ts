// What Guichet does with each Teams activity, whichever SDK delivered it: free text and card
// buttons go to the same dialogue as the web chat (sessions keyed `teams:<conversation id>`),
// installs get one welcome, every conversation's reference is kept for proactive messages, and
// invoke activities get the response Teams expects. The SDK adapters (botbuilder-channel.ts,
// agents-channel.ts) route activities here and send what comes back; nothing here imports an SDK.
import { systemClock, type Clock } from '../../../core/clock.ts'
import { ValidationError } from '../../../core/errors.ts'
import type { TurnInput } from '../../conversation/dialogue.ts'
import { RESULT_ACTIONS, type Reply } from '../../conversation/reply.ts'
import { isExpired } from '../../conversation/session-store.ts'
import type { DialogueState } from '../../conversation/state.ts'
import { ADAPTIVE_CARD_CONTENT_TYPE, CARD_VERBS, answeredCard, type AdaptiveCard } from './cards.ts'
import type { TeamsConversationKind } from './conversation-reference-store.ts'
import { replyActivities } from './reply-activities.ts'
import type { IncomingActivity, InvokeResponse, OutgoingActivity } from './teams-activity.ts'
import type { TeamsChannelOptions } from './teams-options.ts'
import { actionInput, conversationKind, incomingText, parseCardSubmit, referenceInput, sessionKey, textInput, type CardSubmit } from './teams-input.ts'

/** One turn as the SDK adapters hand it over: the activity, and a way to answer in its conversation. */
export interface TeamsTurn {
  activity: IncomingActivity
  send(activities: OutgoingActivity[]): Promise<void>
}

export interface TeamsBot {
  /** conversationUpdate with membersAdded: the bot itself (whatever else is listed) → the welcome. */
  membersAdded(turn: TeamsTurn): Promise<void>
  /** conversationUpdate with membersRemoved: the bot itself → the conversation is disabled. */
  membersRemoved(turn: TeamsTurn): Promise<void>
  installationUpdate(turn: TeamsTurn): Promise<void>
  /** A card's Action.Submit (older clients, or the Action.Execute fallback): a message whose value is the data. */
  cardSubmit(turn: TeamsTurn, data: unknown): Promise<void>
  message(turn: TeamsTurn): Promise<void>
  /** Every invoke activity: `adaptiveCard/action` (Universal Actions) and the names Guichet does not use. */
  invoke(turn: TeamsTurn): Promise<InvokeResponse>
  /** A turn threw: logged, the user told in French; for an invoke, the response to give (never 501). */
  failed(turn: TeamsTurn, error: Error): Promise<InvokeResponse | undefined>
}

// Universal Actions: the invoke's value and its response, as Microsoft documents them
// (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#adaptivecardaction-invoke-activity
// and https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards#adaptivecardaction-invoke-activity):
// the HTTP status is 200 whenever the bot processed the invoke, and the body says how, with a
// `statusCode`: 200 + a card that replaces the clicked one, 200 + a message the client shows,
// 400 `application/vnd.microsoft.error` for a request the bot cannot process, 500 for a failure.
export const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action'
export const INVOKE_CARD_RESPONSE = ADAPTIVE_CARD_CONTENT_TYPE
export const INVOKE_MESSAGE_RESPONSE = 'application/vnd.microsoft.activity.message'
export const INVOKE_ERROR_RESPONSE = 'application/vnd.microsoft.error'

export type AdaptiveCardInvokeResponse =
  | { statusCode: 200; type: typeof INVOKE_CARD_RESPONSE; value: AdaptiveCard }
  | { statusCode: 200; type: typeof INVOKE_MESSAGE_RESPONSE; value: string }
  | { statusCode: 400 | 500; type: typeof INVOKE_ERROR_RESPONSE; value: { code: string; message: string } }

const cardActionResponse = (body: AdaptiveCardInvokeResponse): InvokeResponse => ({ status: 200, body })
const cardActionError = (statusCode: 400 | 500, code: string, message: string) => cardActionResponse({ statusCode, type: INVOKE_ERROR_RESPONSE, value: { code, message } })

const EXPIRED = 'Votre conversation précédente a expiré : reprenons.'
const NO_CHOICE = 'Choisissez une réponse dans la liste, ou répondez librement.'
const UNREADABLE = 'Je n\'ai pas pu lire cette réponse : répondez-moi librement, en quelques mots.'
export const FAILED = 'Désolé, une erreur est survenue de mon côté : réessayez dans un instant.'
/** The invoke-response message when a card button was taken into account (the replies follow in the conversation). */
export const ACTION_RECEIVED = 'C\'est noté : la suite arrive dans la conversation.'

/**
 * The welcome's last line: how to start, with an example question the dialogue understands in
 * one go (the collectivité and the project). Microsoft asks the install message for « a brief
 * description of the bot's features and how to use them »
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations#send-a-message-on-installation).
 */
export const WELCOME_EXAMPLE = 'Vézelay, on veut passer l\'éclairage public en LED'
export function welcomeExample(kind: TeamsConversationKind): string {
  return kind === 'personal' ? `Par exemple : « ${WELCOME_EXAMPLE} ».` : `Par exemple : « @Guichet ${WELCOME_EXAMPLE} ».`
}

/** How a card button was handled, for the Action.Execute response. */
type Handled = { answered?: { card: AdaptiveCard }; notice?: string }

/** What the steps of a turn use: the channel's options, the clock resolved. */
type BotContext = TeamsChannelOptions & { clock: Clock }

async function remember({ references, clock }: BotContext, turn: TeamsTurn): Promise<void> {
  await references.save(referenceInput(turn.activity), clock.now())
}

async function send(turn: TeamsTurn, reply: Reply, options: { preface?: string[]; postscript?: string[] } = {}): Promise<void> {
  const activities = replyActivities(reply, { kind: conversationKind(turn.activity), ...options })
  if (activities.length) await turn.send(activities)
}

/** One dialogue turn in this conversation's session; `input` returns a reply of its own to skip the dialogue. */
async function converse(bot: BotContext, turn: TeamsTurn, input: (state: DialogueState | undefined) => TurnInput | Reply | Promise<Reply>): Promise<void> {
  const { dialogue, sessions, clock } = bot
  await remember(bot, turn)
  const now = clock.now()
  const key = sessionKey(turn.activity.conversation.id)
  const stored = await sessions.load(key)
  const expired = stored !== undefined && isExpired(stored, now)
  const previous = stored && !expired ? stored.state : undefined
  const asked = await input(previous)
  if ('messages' in asked) return send(turn, asked)
  const { state, reply } = await dialogue.turn(previous, asked)
  await sessions.save(key, state, now)
  await send(turn, reply, expired ? { preface: [EXPIRED] } : {})
}

/** The dialogue's greeting and an example, once per install of this conversation (remembered in SQLite). */
async function welcome(bot: BotContext, turn: TeamsTurn): Promise<void> {
  const { dialogue, sessions, references, clock } = bot
  await remember(bot, turn)
  const conversationId = turn.activity.conversation.id
  if (!(await references.markWelcomed(conversationId, clock.now()))) return
  const { state, reply } = await dialogue.turn(undefined, {})
  await sessions.save(sessionKey(conversationId), state, clock.now())
  await send(turn, reply, { postscript: [...(bot.privacyUrl ? [`Vos données personnelles et vos droits : ${bot.privacyUrl}`] : []), welcomeExample(conversationKind(turn.activity))] })
}

async function subscribe(subscribeAlerts: NonNullable<TeamsChannelOptions['subscribeAlerts']>, conversationId: string, state: DialogueState): Promise<Reply> {
  try {
    return await subscribeAlerts({ conversationId, state })
  } catch (err) {
    if (err instanceof ValidationError) return { messages: [{ text: `Je n'ai pas pu enregistrer l'alerte : ${err.issues[0]?.message ?? 'demande invalide'}.` }], actions: RESULT_ACTIONS }
    throw err
  }
}

async function uninstalled({ references, logger, clock }: BotContext, turn: TeamsTurn): Promise<void> {
  await references.disable(turn.activity.conversation.id, 'uninstalled', clock.now())
  logger.info('teams app removed from a conversation', { kind: conversationKind(turn.activity) })
}

const isBot = (turn: TeamsTurn, members: { id: string }[] | undefined) => (members ?? []).some((m) => m.id === turn.activity.recipient.id)

/** A card button (Action.Submit or Action.Execute): the same dialogue turn either way. */
async function cardButton(bot: BotContext, turn: TeamsTurn, submit: CardSubmit): Promise<Handled> {
  const { subscribeAlerts } = bot
  const handled: Handled = {}
  await converse(bot, turn, (state) => {
    if (submit.kind === 'invalid') return { messages: [{ text: (handled.notice = UNREADABLE) }] }
    if (submit.kind === 'action' && submit.value === 'alerts' && subscribeAlerts && state?.collectivite) {
      handled.notice = ACTION_RECEIVED
      return subscribe(subscribeAlerts, turn.activity.conversation.id, state)
    }
    if (submit.kind === 'action') {
      handled.notice = ACTION_RECEIVED
      return actionInput(submit.value)
    }
    if (!submit.choice) return { messages: [{ text: (handled.notice = NO_CHOICE) }], ...(state?.pending ? { question: state.pending } : {}) }
    const pending = state?.pending
    if (pending && state.step === submit.step) {
      // The card's own question, answered: it becomes the answered card.
      const label = pending.choices?.find((c) => c.value === submit.choice)?.label ?? submit.choice
      handled.answered = { card: answeredCard(pending, label) }
    } else {
      handled.notice = 'Cette question n\'est plus d\'actualité : la conversation a avancé depuis.'
    }
    return { choice: submit.choice, step: submit.step }
  })
  return handled
}

async function adaptiveCardAction(bot: BotContext, turn: TeamsTurn): Promise<InvokeResponse> {
  const value = turn.activity.value as { action?: { type?: unknown; verb?: unknown; data?: unknown } } | undefined
  const action = value?.action
  if (!action || typeof action !== 'object') return cardActionError(400, 'BadRequest', 'Missing value.action')
  if (action.type !== 'Action.Execute') return cardActionError(400, 'NotSupported', `The action '${String(action.type)}' is not supported.`)
  const verb = typeof action.verb === 'string' ? action.verb : ''
  if (!(CARD_VERBS as readonly string[]).includes(verb)) return cardActionError(400, 'NotSupported', `The verb '${verb}' is not supported.`)
  // The verb is the data's `guichet` word; Teams merges the card's inputs (`choice`) into data.
  const data = typeof action.data === 'object' && action.data !== null ? action.data : {}
  const handled = await cardButton(bot, turn, parseCardSubmit({ ...data, guichet: verb }))
  if (handled.answered) return cardActionResponse({ statusCode: 200, type: INVOKE_CARD_RESPONSE, value: handled.answered.card })
  return cardActionResponse({ statusCode: 200, type: INVOKE_MESSAGE_RESPONSE, value: handled.notice ?? ACTION_RECEIVED })
}

export function createTeamsBot(options: TeamsChannelOptions): TeamsBot {
  const bot: BotContext = { ...options, clock: options.clock ?? systemClock }
  const { logger } = bot
  return {
    async membersAdded(turn) {
      if (isBot(turn, turn.activity.membersAdded)) await welcome(bot, turn)
      else await remember(bot, turn)
    },
    async membersRemoved(turn) {
      if (isBot(turn, turn.activity.membersRemoved)) await uninstalled(bot, turn)
    },
    async installationUpdate(turn) {
      const action = String(turn.activity.action ?? '')
      if (action.startsWith('add')) await welcome(bot, turn)
      else if (action.startsWith('remove')) await uninstalled(bot, turn)
    },
    async cardSubmit(turn, data) {
      await cardButton(bot, turn, parseCardSubmit(data))
    },
    async message(turn) {
      const text = incomingText(turn.activity.text)
      await converse(bot, turn, (state) => {
        if (text) return textInput(state, text)
        if (!state) return {}
        // "@Guichet" alone: the pending question again, or the follow-ups after results.
        if (state.pending) return { messages: [{ text: 'Je vous écoute.' }], question: state.pending }
        return { messages: [{ text: 'Je vous écoute : décrivez un autre projet, ou choisissez une suite.' }], ...(state.resultsShown ? { actions: RESULT_ACTIONS } : {}) }
      })
    },
    async invoke(turn) {
      if (turn.activity.name === ADAPTIVE_CARD_ACTION) return adaptiveCardAction(bot, turn)
      // An invoke name Guichet does not use (task modules, message extensions, sign-in…: none is
      // declared in its manifest). The Activity protocol says receivers MUST ignore invoke names
      // they do not understand (A5402, https://github.com/microsoft/Agents/blob/main/specs/activity/protocol-activity.md#invoke-activity):
      // acknowledged with 200 and no body, not botbuilder's default 501 Not Implemented.
      logger.info('teams invoke ignored', { name: String(turn.activity.name ?? '') })
      return { status: 200 }
    },
    async failed(turn, error) {
      logger.error('teams turn failed', { activityType: turn.activity.type, error: `${error.name}: ${error.message}` })
      try {
        await turn.send([{ type: 'message', text: FAILED }])
      } catch {
        // The connector itself may be what failed: the error is logged above.
      }
      if (turn.activity.type !== 'invoke') return undefined
      // « An unexpected error occurred »: 500 in the body of a card action, the HTTP status otherwise.
      if (turn.activity.name === ADAPTIVE_CARD_ACTION) return cardActionError(500, 'InternalError', FAILED)
      return { status: 500 }
    },
  }
}
