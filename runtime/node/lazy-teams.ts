// The Teams channel, loaded on first use: botbuilder and teams-ai weigh about 95 MB of memory,
// which a deployment that never receives a Teams activity should not pay. The configuration is
// still checked at start-up (all three MicrosoftApp* variables, or none).
import { Hono } from 'hono'
import type { TeamsChannel, TeamsChannelOptions } from '../../bot/channels/teams/teams-channel.ts'

export function createLazyTeamsChannel(options: TeamsChannelOptions): TeamsChannel {
  const { appId, appPassword, tenantId } = options.config
  const given = [appId, appPassword, tenantId].filter((v) => v !== undefined && v !== '').length
  if (given > 0 && given < 3) {
    throw new Error('Teams : MicrosoftAppId, MicrosoftAppPassword et MicrosoftAppTenantId vont ensemble (les trois pour Teams, aucun pour un usage local)')
  }
  let channel: Promise<TeamsChannel> | undefined
  const load = () => (channel ??= import('../../bot/channels/teams/teams-channel.ts').then((m) => m.createTeamsChannel(options)))
  const routes = new Hono()
  routes.all('/api/messages', async (c) => (await load()).routes.fetch(c.req.raw, c.env))
  return {
    routes,
    authEnabled: given === 3,
    sendProactive: async (reference, activity) => (await load()).sendProactive(reference, activity),
  }
}
