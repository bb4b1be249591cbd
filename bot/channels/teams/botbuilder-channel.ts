// The Teams channel on botbuilder: POST /api/messages served by Hono through botbuilder's
// CloudAdapter (the teams-ai TeamsAdapter) and a teams-ai Application with no AI planner, whose
// routes hand each activity to the SDK-neutral bot (teams-bot.ts). botbuilder was archived by
// Microsoft on 2025-12-31 (its successor is the Microsoft 365 Agents SDK: agents-channel.ts);
// it stays the default (TEAMS_SDK=botbuilder) until the Agents SDK has run in production.
// This file and nothing else imports botbuilder or @microsoft/teams-ai.
import { Application, TeamsAdapter } from '@microsoft/teams-ai'
import {
  ActivityTypes,
  type Activity,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type ConversationReference as BotbuilderConversationReference,
  type InvokeResponse as BotbuilderInvokeResponse,
  type TurnContext,
} from 'botbuilder'
import type { IncomingActivity, InvokeResponse } from './teams-activity.ts'
import { createTeamsBot, type TeamsTurn } from './teams-bot.ts'
import { teamsCredentials, type TeamsChannel, type TeamsChannelOptions, type TeamsCredentials } from './teams-options.ts'
import { TeamsUnauthorizedError, httpStatus, teamsHttpRoutes, throwSendFailure } from './teams-http.ts'

/** botbuilder's settings for a single-tenant bot (auth on), or undefined (auth off, local use). */
export function authSettings(credentials: TeamsCredentials | undefined): ConfigurationBotFrameworkAuthenticationOptions | undefined {
  if (!credentials) return undefined
  return { MicrosoftAppId: credentials.appId, MicrosoftAppPassword: credentials.appPassword, MicrosoftAppTenantId: credentials.tenantId, MicrosoftAppType: 'SingleTenant' }
}

/** The adapter, with its activity processing reachable from a Hono handler (no Node req/res). */
class HonoTeamsAdapter extends TeamsAdapter {
  handle(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<BotbuilderInvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic)
  }
}

function turnOf(context: TurnContext): TeamsTurn {
  return {
    activity: context.activity as unknown as IncomingActivity,
    send: async (activities) => {
      await context.sendActivities(activities as Partial<Activity>[])
    },
  }
}

/** An invoke's response goes through the adapter as an `invokeResponse` activity (botbuilder's convention). */
async function respond(context: TurnContext, response: InvokeResponse): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: response })
}

export function createBotbuilderTeamsChannel(options: TeamsChannelOptions): TeamsChannel {
  const { logger } = options
  const credentials = teamsCredentials(options.config)
  const appId = credentials?.appId ?? ''
  const adapter = new HonoTeamsAdapter(authSettings(credentials))
  const teamsBot = createTeamsBot(options)
  adapter.onTurnError = async (context, error) => {
    const response = await teamsBot.failed(turnOf(context), error)
    if (response) await respond(context, response)
  }

  const app = new Application({
    adapter,
    ...(credentials ? { botAppId: appId } : {}),
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionSubmitFilter: 'guichet' },
  })
  app.conversationUpdate('membersAdded', (context) => teamsBot.membersAdded(turnOf(context)))
  app.conversationUpdate('membersRemoved', (context) => teamsBot.membersRemoved(turnOf(context)))
  app.activity(ActivityTypes.InstallationUpdate, (context) => teamsBot.installationUpdate(turnOf(context)))
  app.adaptiveCards.actionSubmit(['answer', 'action'], async (context, _state, data) => teamsBot.cardSubmit(turnOf(context), data))
  app.activity(ActivityTypes.Message, (context) => teamsBot.message(turnOf(context)))
  // Every invoke gets a response of ours: botbuilder would answer an unrouted one 501.
  app.activity(ActivityTypes.Invoke, async (context) => respond(context, await teamsBot.invoke(turnOf(context))))

  const routes = teamsHttpRoutes({
    logger,
    process: async (authorization, activity) => {
      try {
        const invoke = await adapter.handle(authorization, activity as unknown as Activity, async (context) => {
          await app.run(context)
        })
        return { status: invoke?.status ?? 200, ...(invoke?.body !== undefined ? { body: invoke.body } : {}) }
      } catch (err) {
        // botbuilder's AuthenticationError (not exported by botbuilder) carries the status to answer.
        const status = httpStatus(err)
        if (status === 401 || status === 403) throw new TeamsUnauthorizedError(err instanceof Error ? err.message : String(err), status)
        throw err
      }
    },
  })

  if (!credentials) logger.info('teams (botbuilder): authentication off (no MicrosoftAppId): /api/messages is for local use only')
  return {
    routes,
    authEnabled: credentials !== undefined,
    sdk: 'botbuilder',
    async sendProactive(reference, activity) {
      let sent: { id?: string } | undefined
      let failure: unknown
      // Caught inside the turn: the adapter's onTurnError would otherwise swallow it (and answer the user).
      await adapter.continueConversationAsync(appId, reference as Partial<BotbuilderConversationReference>, async (context) => {
        try {
          sent = await context.sendActivity(activity as Partial<Activity> | string)
        } catch (err) {
          failure = err ?? new Error('proactive send failed')
        }
      })
      if (failure !== undefined) throwSendFailure(failure, reference.conversation?.id)
      return sent
    },
  }
}
