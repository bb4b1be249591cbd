// The Teams channel on the Microsoft 365 Agents SDK (@microsoft/agents-hosting), Microsoft's
// successor to botbuilder (archived 2025-12-31): POST /api/messages served by Hono through the
// SDK's CloudAdapter and an AgentApplication whose routes hand each activity to the same
// SDK-neutral bot as the botbuilder adapter (teams-bot.ts). Selected by TEAMS_SDK=agents.
// This file and nothing else imports @microsoft/agents-hosting.
import { AgentApplication, CloudAdapter, TurnState, type AuthConfiguration, type Request, type TurnContext, type WebResponse } from '@microsoft/agents-hosting'
import { ValidationError, zodIssues } from '../../../core/errors.ts'
import type { ConversationReference, IncomingActivity, InvokeResponse, OutgoingActivity } from './teams-activity.ts'
import { createTeamsBot, type TeamsBot, type TeamsTurn } from './teams-bot.ts'
import { teamsCredentials, type TeamsChannel, type TeamsChannelOptions, type TeamsCredentials } from './teams-options.ts'
import { TeamsUnauthorizedError, teamsHttpRoutes, throwSendFailure } from './teams-http.ts'
import { isCardSubmit } from './teams-input.ts'

/** The SDK's activity and conversation reference types, named through the APIs that take them. */
type AgentsActivity = Parameters<TurnContext['sendActivities']>[0][number]
type AgentsReference = Parameters<CloudAdapter['continueConversation']>[1]

/**
 * The SDK's connection settings from Guichet's MicrosoftApp* settings (a single-tenant app with a
 * client secret), or none at all (auth off, local use). Explicit fields win over the SDK's own
 * environment variables (`clientId`, `MicrosoftAppId`…), which Guichet does not document.
 */
export function agentsAuthConfiguration(credentials: TeamsCredentials | undefined): AuthConfiguration {
  if (!credentials) return { clientId: undefined, clientSecret: undefined, tenantId: undefined }
  return { clientId: credentials.appId, clientSecret: credentials.appPassword, tenantId: credentials.tenantId }
}

function turnOf(context: TurnContext): TeamsTurn {
  return {
    activity: context.activity as unknown as IncomingActivity,
    send: async (activities) => {
      await context.sendActivities(activities as unknown as AgentsActivity[])
    },
  }
}

/** An invoke's response goes through the adapter as an `invokeResponse` activity, as with botbuilder. */
async function respond(context: TurnContext, response: InvokeResponse): Promise<void> {
  await context.sendActivity({ type: 'invokeResponse', value: response } as unknown as AgentsActivity)
}

/** The SDK writes its HTTP answer to an Express-like response: this one keeps it for Hono. */
function capturedResponse() {
  const captured = {
    statusCode: 200,
    body: undefined as unknown,
    headersSent: false,
    writableEnded: false,
    status(code: number) {
      captured.statusCode = code
      return captured
    },
    setHeader() {
      return captured
    },
    send(body?: unknown) {
      captured.body = body
      return captured
    },
    end() {
      captured.writableEnded = true
      return captured
    },
  }
  return captured satisfies WebResponse
}

/** Each kind of activity to the SDK-neutral bot. */
function routeToBot(app: AgentApplication<TurnState>, teamsBot: TeamsBot): void {
  app.onConversationUpdate('membersAdded', (context) => teamsBot.membersAdded(turnOf(context)))
  app.onConversationUpdate('membersRemoved', (context) => teamsBot.membersRemoved(turnOf(context)))
  app.onActivity('installationUpdate', (context) => teamsBot.installationUpdate(turnOf(context)))
  // Not app.adaptiveCards.actionSubmit(): in 1.8.1 it parses the value as an Action.Execute
  // (type, verb, data) and throws on a plain Action.Submit value. Same selection as teams-ai's.
  app.onActivity(async (context) => isCardSubmit(context.activity), (context) => teamsBot.cardSubmit(turnOf(context), context.activity.value))
  app.onActivity('message', (context) => teamsBot.message(turnOf(context)))
  // Every invoke gets a response of ours: the CloudAdapter would answer an unrouted one 501.
  app.onActivity('invoke', async (context) => respond(context, await teamsBot.invoke(turnOf(context))))
}

/**
 * The SDK's JWT check (authorizeJWT): the Bot Framework token's signature, issuer and audience
 * (the app id); on failure it answers 401 itself and does not call next().
 */
async function authorize(adapter: CloudAdapter, request: Request): Promise<void> {
  const refused = capturedResponse()
  let authorized = false
  await adapter.authorizeRequest(request, refused, () => {
    authorized = true
  })
  if (!authorized) throw new TeamsUnauthorizedError(JSON.stringify(refused.body ?? 'refused'), refused.statusCode === 403 ? 403 : 401)
}

/** One POST /api/messages through the SDK: authorized when credentials are set, then run by the app. */
async function processActivity(adapter: CloudAdapter, app: AgentApplication<TurnState>, credentials: TeamsCredentials | undefined, authorization: string, activity: IncomingActivity): Promise<InvokeResponse> {
  const request: Request = { body: activity as unknown as Record<string, unknown>, headers: authorization ? { authorization } : {}, method: 'POST' }
  if (credentials) await authorize(adapter, request)
  // Without credentials, no identity: the SDK then talks to the connector anonymously, as botbuilder does.
  const response = capturedResponse()
  try {
    await adapter.process(request, response, async (context) => {
      await app.run(context)
    })
  } catch (err) {
    // The SDK reads the activity with its own (zod 3) schema: a field it refuses is the sender's error.
    const issues = (err as { name?: unknown; issues?: unknown }).issues
    if ((err as { name?: unknown }).name === 'ZodError' && Array.isArray(issues)) throw new ValidationError(zodIssues(issues.map((i: { path?: PropertyKey[]; message?: string }) => ({ path: i.path ?? [], message: `valeur refusée (${i.message ?? 'invalide'})` }))))
    throw err
  }
  return { status: response.statusCode, ...(response.body !== undefined ? { body: response.body } : {}) }
}

/** A message into a stored conversation, outside any turn (deadline alerts). */
async function sendProactive(adapter: CloudAdapter, credentials: TeamsCredentials | undefined, reference: Partial<ConversationReference>, activity: OutgoingActivity | string): Promise<{ id?: string } | undefined> {
  let sent: { id?: string } | undefined
  let failure: unknown
  // The bot's app id, or (auth off) an identity without audience: an anonymous connector client.
  const identity = credentials ? credentials.appId : {}
  // Caught inside the turn: the adapter's onTurnError would otherwise swallow it (and answer the user).
  // The Agents SDK calls the bot `agent` where the Bot Framework (and the stored references) say `bot`.
  const agentsReference = { ...reference, agent: reference.bot } as unknown as AgentsReference
  await adapter.continueConversation(identity, agentsReference, async (context) => {
    try {
      sent = await context.sendActivity((typeof activity === 'string' ? activity : (activity as unknown as AgentsActivity)))
    } catch (err) {
      failure = err ?? new Error('proactive send failed')
    }
  })
  if (failure !== undefined) throwSendFailure(failure, reference.conversation?.id)
  return sent
}

export function createAgentsTeamsChannel(options: TeamsChannelOptions): TeamsChannel {
  const { logger } = options
  const credentials = teamsCredentials(options.config)
  const adapter = new CloudAdapter(agentsAuthConfiguration(credentials))
  const teamsBot = createTeamsBot(options)
  adapter.onTurnError = async (context, error) => {
    const response = await teamsBot.failed(turnOf(context), error)
    if (response) await respond(context, response)
  }

  const app = new AgentApplication<TurnState>({
    adapter,
    ...(credentials ? { agentAppId: credentials.appId } : {}),
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  })
  routeToBot(app, teamsBot)
  const routes = teamsHttpRoutes({ logger, process: (authorization, activity) => processActivity(adapter, app, credentials, authorization, activity) })

  if (!credentials) logger.info('teams (agents): authentication off (no MicrosoftAppId): /api/messages is for local use only')
  return {
    routes,
    authEnabled: credentials !== undefined,
    sdk: 'agents',
    sendProactive: (reference, activity) => sendProactive(adapter, credentials, reference, activity),
  }
}
