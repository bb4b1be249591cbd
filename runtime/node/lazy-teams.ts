// The Teams channel, loaded on first use: botbuilder and teams-ai weigh about 95 MB of memory,
// the Microsoft 365 Agents SDK less but still some, which a deployment that never receives a
// Teams activity should not pay. Only the SDK chosen by TEAMS_SDK is ever loaded. The
// configuration is still checked at start-up (all three MicrosoftApp* variables, or none).
import { Hono } from 'hono'
import { loadTeamsChannelFactory, teamsCredentials, type TeamsChannel, type TeamsChannelOptions } from '../../bot/channels/teams/teams-channel.ts'

export function createLazyTeamsChannel(options: TeamsChannelOptions, env: Record<string, string | undefined> = process.env): TeamsChannel {
  const sdk = options.sdk ?? 'botbuilder'
  const credentials = teamsCredentials(options.config)
  // The Agents SDK refuses to start without a client id when NODE_ENV=production: said now, not at the first activity.
  if (sdk === 'agents' && !credentials && env.NODE_ENV?.toLowerCase() === 'production') {
    throw new Error('Teams : avec TEAMS_SDK=agents et NODE_ENV=production, MicrosoftAppId, MicrosoftAppPassword et MicrosoftAppTenantId sont obligatoires (le SDK Agents refuse de tourner sans authentification)')
  }
  let channel: Promise<TeamsChannel> | undefined
  const load = () => (channel ??= loadTeamsChannelFactory(sdk).then((create) => create(options)))
  const routes = new Hono()
  routes.all('/api/messages', async (c) => (await load()).routes.fetch(c.req.raw, c.env))
  return {
    routes,
    authEnabled: credentials !== undefined,
    sdk,
    sendProactive: async (reference, activity) => (await load()).sendProactive(reference, activity),
  }
}
