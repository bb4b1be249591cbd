// The Teams channel: POST /api/messages served by Hono through botbuilder's CloudAdapter (the
// teams-ai TeamsAdapter) and a teams-ai Application with no AI planner. Free text and card
// submits go to the same dialogue as the web chat (sessions keyed `teams:<conversation id>`);
// installs get one welcome; every conversation's reference is kept for proactive messages.
// This folder is the only code that imports botbuilder or @microsoft/teams-ai.
import { Application, TeamsAdapter } from '@microsoft/teams-ai'
import {
  ActivityTypes,
  TurnContext,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationReference,
  type InvokeResponse,
  type ResourceResponse,
} from 'botbuilder'
import { Hono } from 'hono'
import { z } from 'zod'
import { systemClock, type Clock } from '../../../core/clock.ts'
import { ValidationError } from '../../../core/errors.ts'
import type { Logger } from '../../../core/logger.ts'
import type { Dialogue, TurnInput } from '../../conversation/dialogue.ts'
import { RESULT_ACTIONS, type Reply } from '../../conversation/reply.ts'
import { isExpired, type SessionStore } from '../../conversation/session-store.ts'
import type { DialogueState } from '../../conversation/state.ts'
import { errorResponse } from '../../http-errors.ts'
import { ConversationGoneError } from './conversation-gone-error.ts'
import type { ConversationReferenceStore } from './conversation-reference-store.ts'
import { replyActivities } from './reply-activities.ts'
import { actionInput, conversationKind, incomingText, parseCardSubmit, referenceInput, sessionKey, textInput } from './teams-input.ts'
import { readJsonBody } from '../../read-json-body.ts'

/** Bot Framework credentials; all three set = auth on (single-tenant bot), none = local use. */
export interface TeamsConfig {
  /** MicrosoftAppId: the bot's Entra ID app (client) id. */
  appId?: string | undefined
  /** MicrosoftAppPassword: its client secret. */
  appPassword?: string | undefined
  /** MicrosoftAppTenantId: the tenant the app registration lives in. */
  tenantId?: string | undefined
}

export interface TeamsChannelOptions {
  dialogue: Dialogue
  sessions: SessionStore
  references: ConversationReferenceStore
  config: TeamsConfig
  logger: Logger
  clock?: Clock
  /**
   * « M'alerter des échéances » pressed in Teams: subscribes this conversation to deadline
   * alerts (bot/alerts). Without it, the dialogue lists the deadlines, as on the web.
   */
  subscribeAlerts?: (request: { conversationId: string; state: DialogueState }) => Promise<Reply>
}

export interface TeamsChannel {
  /** POST /api/messages. */
  routes: Hono
  authEnabled: boolean
  /**
   * Writes into a stored conversation (deadline alerts). Throws ConversationGoneError on a
   * 403/404 from the connector: the caller disables that conversation.
   */
  sendProactive(reference: Partial<ConversationReference>, activity: Partial<Activity> | string): Promise<ResourceResponse | undefined>
}

/** Activities are small; a body beyond this is not Teams talking. */
export const MAX_ACTIVITY_BODY_BYTES = 256 * 1024

/** The fields the channel relies on; everything else passes through to botbuilder. */
export const IncomingActivitySchema = z
  .object({
    type: z.string({ error: 'type d\'activité attendu (texte)' }).min(1).max(64),
    id: z.string({ error: 'identifiant d\'activité : texte attendu' }).max(256).optional(),
    channelId: z.string({ error: 'canal attendu (msteams)' }).min(1).max(64),
    serviceUrl: z.url({ protocol: /^https?$/, error: 'URL http(s) attendue' }),
    conversation: z.object({ id: z.string({ error: 'identifiant de conversation attendu' }).min(1).max(1024) }, { error: 'objet conversation attendu' }).loose(),
    from: z.object({ id: z.string({ error: 'identifiant d\'expéditeur attendu' }).min(1).max(256) }, { error: 'objet from attendu' }).loose(),
    recipient: z.object({ id: z.string({ error: 'identifiant du bot attendu' }).min(1).max(256) }, { error: 'objet recipient attendu' }).loose(),
    text: z.string({ error: 'texte attendu' }).max(28_000, '28 000 caractères au plus').optional(),
  })
  .loose()

const EXPIRED = 'Votre conversation précédente a expiré : reprenons.'
const NO_CHOICE = 'Choisissez une réponse dans la liste, ou répondez librement.'
const UNREADABLE = 'Je n\'ai pas pu lire cette réponse : répondez-moi librement, en quelques mots.'
const FAILED = 'Désolé, une erreur est survenue de mon côté : réessayez dans un instant.'

export function authSettings(config: TeamsConfig): ConfigurationBotFrameworkAuthenticationOptions | undefined {
  const { appId, appPassword, tenantId } = config
  const given = [appId, appPassword, tenantId].filter((v) => v !== undefined && v !== '').length
  if (given === 0) return undefined
  if (given < 3) throw new Error('Teams : MicrosoftAppId, MicrosoftAppPassword et MicrosoftAppTenantId vont ensemble (les trois pour Teams, aucun pour un usage local)')
  return { MicrosoftAppId: appId, MicrosoftAppPassword: appPassword, MicrosoftAppTenantId: tenantId, MicrosoftAppType: 'SingleTenant' }
}

/** The adapter, with its activity processing reachable from a Hono handler (no Node req/res). */
class HonoTeamsAdapter extends TeamsAdapter {
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic)
  }
}

export function createTeamsChannel({ dialogue, sessions, references, config, logger, clock = systemClock, subscribeAlerts }: TeamsChannelOptions): TeamsChannel {
  const auth = authSettings(config)
  const appId = auth ? config.appId! : ''
  const adapter = new HonoTeamsAdapter(auth)
  adapter.onTurnError = async (context, error) => {
    logger.error('teams turn failed', { activityType: context.activity.type, error: `${error.name}: ${error.message}` })
    try {
      await context.sendActivity(FAILED)
    } catch {
      // The connector itself may be what failed: the error is logged above.
    }
  }

  const bot = new Application({
    adapter,
    ...(auth ? { botAppId: appId } : {}),
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionSubmitFilter: 'guichet' },
  })

  async function remember(context: TurnContext): Promise<void> {
    const activity = context.activity
    await references.save(referenceInput(activity, TurnContext.getConversationReference(activity)), clock.now())
  }

  async function send(context: TurnContext, reply: Reply, preface: string[] = []): Promise<void> {
    const activities = replyActivities(reply, { kind: conversationKind(context.activity), preface })
    if (activities.length) await context.sendActivities(activities)
  }

  /** One dialogue turn in this conversation's session. */
  async function converse(context: TurnContext, input: (state: DialogueState | undefined) => TurnInput | Reply | Promise<Reply>): Promise<void> {
    await remember(context)
    const now = clock.now()
    const key = sessionKey(context.activity.conversation.id)
    const stored = await sessions.load(key)
    const expired = stored !== undefined && isExpired(stored, now)
    const previous = stored && !expired ? stored.state : undefined
    const asked = await input(previous)
    if ('messages' in asked) return send(context, asked)
    const { state, reply } = await dialogue.turn(previous, asked)
    await sessions.save(key, state, now)
    await send(context, reply, expired ? [EXPIRED] : [])
  }

  /** The dialogue's greeting, once per install of this conversation. */
  async function welcome(context: TurnContext): Promise<void> {
    await remember(context)
    const conversationId = context.activity.conversation.id
    if (!(await references.markWelcomed(conversationId, clock.now()))) return
    const { state, reply } = await dialogue.turn(undefined, {})
    await sessions.save(sessionKey(conversationId), state, clock.now())
    await send(context, reply)
  }

  async function subscribe(conversationId: string, state: DialogueState): Promise<Reply> {
    try {
      return await subscribeAlerts!({ conversationId, state })
    } catch (err) {
      if (err instanceof ValidationError) return { messages: [{ text: `Je n'ai pas pu enregistrer l'alerte : ${err.issues[0]?.message ?? 'demande invalide'}.` }], actions: RESULT_ACTIONS }
      throw err
    }
  }

  async function uninstalled(context: TurnContext): Promise<void> {
    await references.disable(context.activity.conversation.id, 'uninstalled', clock.now())
    logger.info('teams app removed from a conversation', { kind: conversationKind(context.activity) })
  }

  const isBot = (context: TurnContext, members: { id: string }[] | undefined) => (members ?? []).some((m) => m.id === context.activity.recipient.id)

  bot.conversationUpdate('membersAdded', async (context) => {
    if (isBot(context, context.activity.membersAdded)) await welcome(context)
    else await remember(context)
  })
  bot.conversationUpdate('membersRemoved', async (context) => {
    if (isBot(context, context.activity.membersRemoved)) await uninstalled(context)
  })
  bot.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? '')
    if (action.startsWith('add')) await welcome(context)
    else if (action.startsWith('remove')) await uninstalled(context)
  })

  bot.adaptiveCards.actionSubmit(['answer', 'action'], async (context, _state, data) => {
    const submit = parseCardSubmit(data)
    await converse(context, (state) => {
      if (submit.kind === 'invalid') return { messages: [{ text: UNREADABLE }] }
      if (submit.kind === 'action' && submit.value === 'alerts' && subscribeAlerts && state?.collectivite) return subscribe(context.activity.conversation.id, state)
      if (submit.kind === 'action') return actionInput(submit.value)
      if (!submit.choice) return { messages: [{ text: NO_CHOICE }], ...(state?.pending ? { question: state.pending } : {}) }
      return { choice: submit.choice, step: submit.step }
    })
  })

  bot.activity(ActivityTypes.Message, async (context) => {
    const text = incomingText(context.activity.text)
    await converse(context, (state) => {
      if (text) return textInput(state, text)
      if (!state) return {}
      // "@Guichet" alone: the pending question again, or the follow-ups after results.
      if (state.pending) return { messages: [{ text: 'Je vous écoute.' }], question: state.pending }
      return { messages: [{ text: 'Je vous écoute : décrivez un autre projet, ou choisissez une suite.' }], ...(state.resultsShown ? { actions: RESULT_ACTIONS } : {}) }
    })
  })

  const routes = new Hono()
  routes.onError((err, c) => errorResponse(c, err, logger))
  routes.post('/api/messages', async (c) => {
    const incoming = await readJsonBody(c, IncomingActivitySchema, { maxBytes: MAX_ACTIVITY_BODY_BYTES })
    const activity = incoming as unknown as Activity
    try {
      const invoke = await adapter.handle(c.req.header('authorization') ?? '', activity, async (context) => {
        await bot.run(context)
      })
      if (invoke?.body !== undefined) return c.json(invoke.body as object, (invoke.status ?? 200) as 200)
      return c.body(null, (invoke?.status ?? 200) as 200)
    } catch (err) {
      // botbuilder's AuthenticationError (not exported by botbuilder) carries the status to answer.
      const status = httpStatus(err)
      if (status === 401 || status === 403) {
        logger.warn('teams request refused', { status, reason: err instanceof Error ? err.message : String(err) })
        return c.json({ error: { code: 'unauthorized', message: 'Jeton Bot Framework absent ou invalide / Missing or invalid Bot Framework token' } }, status)
      }
      throw err
    }
  })

  async function sendProactive(reference: Partial<ConversationReference>, activity: Partial<Activity> | string): Promise<ResourceResponse | undefined> {
    let sent: ResourceResponse | undefined
    let failure: unknown
    // Caught inside the turn: the adapter's onTurnError would otherwise swallow it (and answer the user).
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      try {
        sent = await context.sendActivity(activity)
      } catch (err) {
        failure = err ?? new Error('proactive send failed')
      }
    })
    if (failure !== undefined) {
      const status = httpStatus(failure)
      if (status === 403 || status === 404) throw new ConversationGoneError(reference.conversation?.id ?? '', status)
      throw failure
    }
    return sent
  }

  if (!auth) logger.info('teams: authentication off (no MicrosoftAppId): /api/messages is for local use only')
  return { routes, authEnabled: auth !== undefined, sendProactive }
}

/** POST /api/messages as a Hono sub-app (see createTeamsChannel for proactive messages). */
export function teamsRoutes(options: TeamsChannelOptions): Hono {
  return createTeamsChannel(options).routes
}

function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } }
  const status = e.statusCode ?? e.status ?? e.response?.status
  return typeof status === 'number' ? status : undefined
}
