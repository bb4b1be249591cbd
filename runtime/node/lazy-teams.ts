// The Teams channel, loaded on first use: botbuilder and teams-ai weigh about 95 MB of memory,
// the Microsoft 365 Agents SDK less but still some, which a deployment that never receives a
// Teams activity should not pay. Only the SDK chosen by TEAMS_SDK is ever loaded. The
// configuration is still checked at start-up (all three MicrosoftApp* variables, or none).
//
// Safe by default: with no credentials the route refuses every activity (503, said at start-up),
// unless TEAMS_DEV_UNAUTHENTICATED=true (local development). Either way replies only go to a
// serviceUrl on the allow-list — the Bot Framework's hosts, plus loopback in development — so an
// activity can never make the server post to a host of the sender's choosing.
import { Hono } from 'hono'
import { DEFAULT_TEAMS_SDK, MAX_ACTIVITY_BODY_BYTES, loadTeamsChannelFactory, teamsCredentials, type TeamsChannel, type TeamsChannelOptions } from '../../bot/channels/teams/teams-channel.ts'
import { readLimited } from '../../bot/read-json-body.ts'

/**
 * Hosts the Bot Framework connector answers on (Teams' serviceUrl): smba.trafficmanager.net for the
 * commercial cloud, *.botframework.com (Web Chat, Direct Line, the emulator's channel), and the
 * government clouds' *.teams.microsoft.us / *.infra.gcc.teams.microsoft.com. HTTPS only.
 */
export function allowedServiceUrl(url: string, devLoopback: boolean): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  const host = u.hostname.toLowerCase()
  if (devLoopback && (host === '127.0.0.1' || host === 'localhost' || host === '[::1]') && (u.protocol === 'http:' || u.protocol === 'https:')) return true
  if (u.protocol !== 'https:' || u.username || u.password) return false
  return host === 'smba.trafficmanager.net' || host.endsWith('.botframework.com') || host.endsWith('.teams.microsoft.us') || host.endsWith('.gcc.teams.microsoft.com') || host === 'smba.infra.gcc.teams.microsoft.com'
}

export function createLazyTeamsChannel(options: TeamsChannelOptions, env: Record<string, string | undefined> = process.env): TeamsChannel {
  const sdk = options.sdk ?? DEFAULT_TEAMS_SDK
  const credentials = teamsCredentials(options.config)
  // The Agents SDK refuses to start without a client id when NODE_ENV=production: said now, not at the first activity.
  if (sdk === 'agents' && !credentials && env.NODE_ENV?.toLowerCase() === 'production') {
    throw new Error('Teams : avec TEAMS_SDK=agents et NODE_ENV=production, MicrosoftAppId, MicrosoftAppPassword et MicrosoftAppTenantId sont obligatoires (le SDK Agents refuse de tourner sans authentification)')
  }
  const dev = options.devUnauthenticated === true
  const enabled = credentials !== undefined || dev
  if (!enabled) options.logger.warn('Teams désactivé : aucun identifiant Bot Framework (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId) ; /api/messages refuse toute activité. TEAMS_DEV_UNAUTHENTICATED=true pour un essai local.')
  else if (!credentials) options.logger.warn('Teams SANS authentification (TEAMS_DEV_UNAUTHENTICATED=true) : développement local seulement ; réponses limitées aux serviceUrl de loopback et du Bot Framework.')
  let channel: Promise<TeamsChannel> | undefined
  const load = () => (channel ??= loadTeamsChannelFactory(sdk).then((create) => create(options)))
  const routes = new Hono()
  routes.all('/api/messages', async (c) => {
    if (!enabled) return c.json({ error: { code: 'teams_disabled', message: 'Teams n\'est pas configuré sur ce service (identifiants Bot Framework absents) / Teams is not configured' } }, 503)
    // The serviceUrl is read from a copy of the body (the SDK reads the original): refused before any SDK loads.
    if (c.req.method === 'POST') {
      const text = await readLimited(c.req.raw.clone(), MAX_ACTIVITY_BODY_BYTES, () => new Error('too big')).catch(() => undefined)
      let serviceUrl: unknown
      try {
        serviceUrl = text ? (JSON.parse(text) as { serviceUrl?: unknown }).serviceUrl : undefined
      } catch {
        serviceUrl = undefined // malformed: the route's own validation answers it
      }
      if (typeof serviceUrl === 'string' && !allowedServiceUrl(serviceUrl, dev)) {
        options.logger.warn('teams activity refused: serviceUrl not allowed', { host: (() => { try { return new URL(serviceUrl).host } catch { return '?' } })() })
        return c.json({ error: { code: 'invalid_request', message: 'serviceUrl : hôte non autorisé (seuls ceux du Bot Framework) / serviceUrl host not allowed', field: 'serviceUrl' } }, 400)
      }
    }
    return (await load()).routes.fetch(c.req.raw, c.env)
  })
  return {
    routes,
    authEnabled: credentials !== undefined,
    sdk,
    sendProactive: async (reference, activity) => (await load()).sendProactive(reference, activity),
  }
}
