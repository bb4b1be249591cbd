// Teams alerts through the Bot Connector protocol: a local connector (node:http) receives
// POST /v3/conversations/:id/activities with an Adaptive Card; when it answers 403 (the app
// was uninstalled) the channel is switched off with that reason and nothing more is tried.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBotConnectorNotifier } from '../../bot/alerts/bot-connector-notifier.ts'
import { subscribeFromDialogue } from '../../bot/alerts/dialogue-subscription.ts'
import { ChannelGoneError, type TeamsActivity } from '../../bot/alerts/senders.ts'
import { initialState } from '../../bot/conversation/state.ts'
import { createTeamsChannelNotifier } from '../../runtime/node/alerts-teams.ts'
import { commune, movableClock, nodeAlerts, schoolCall } from './helpers.ts'

const CALL = schoolCall('test_ecoles_avril', ['2026-04-15'], { themes: ['tiers_lieux'] })
const CONVERSATION = 'a:1xYz-teams-conversation'
const clock = movableClock('2026-03-01')
const posts: { path: string; activity: TeamsActivity }[] = []
let status = 201
let server: Server
let serviceUrl = ''
const disabled: string[] = []
let env: ReturnType<typeof nodeAlerts>

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      posts.push({ path: req.url ?? '', activity: JSON.parse(body) as TeamsActivity })
      res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{"id":"1"}' : '{"error":{"code":"BotNotInConversationRoster"}}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  const teams = createBotConnectorNotifier({
    conversations: {
      serviceUrl: async (id) => (id === CONVERSATION && !disabled.includes(id) ? serviceUrl : undefined),
      disable: async (id) => void disabled.push(id),
    },
  })
  env = nodeAlerts({ programmes: [CALL], clock, teams })
})

afterAll(async () => {
  env.dispose()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('Teams alerts', () => {
  let id = ''

  it('subscribe from the conversation (the results button): active at once', async () => {
    const state = { ...initialState(), collectivite: commune(), themes: ['tiers_lieux' as const], lastResults: [CALL.id], resultsShown: true }
    const { subscription, reply } = await subscribeFromDialogue(env.alerts.service, state, { teamsConversationId: CONVERSATION })
    expect(subscription.status).toBe('active')
    expect(reply.messages[0]!.text).toContain('je vous préviendrai ici J-30, J-7 et J-1 avant chaque date limite')
    expect(reply.actions?.map((a) => a.value)).not.toContain('alerts')
    id = subscription.id
    expect((await env.alerts.store.getSubscription(id))!.programmes).toEqual([CALL.id])
  })

  it('refuses, through the API, a conversation Guichet does not know', async () => {
    const res = await env.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { teamsConversationId: 'a:unknown' } }) })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('channels.teamsConversationId')
  })

  it('sends an Adaptive Card to the conversation on J-30', async () => {
    clock.set('2026-03-16')
    await env.alerts.runDigest()
    expect(posts).toHaveLength(1)
    const { path, activity } = posts[0]!
    expect(path).toBe(`/v3/conversations/${encodeURIComponent(CONVERSATION)}/activities`)
    expect(activity.type).toBe('message')
    expect(activity.text).toBe(`Rappel : ${CALL.shortName} clôture dans 30 jours (J-30), le 15 avril 2026`)
    const card = activity.attachments[0]!
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(JSON.stringify(card.content)).toContain('clôture le 15 avril 2026')
    expect((card.content.actions as { title: string; url: string }[]).map((a) => a.title)).toEqual(['Ajouter à mon agenda', 'Gérer l\'abonnement', 'Se désabonner'])
    await env.alerts.runDigest()
    expect(posts).toHaveLength(1)
  })

  it('switches the channel off when the connector answers 403 (app uninstalled)', async () => {
    status = 403
    clock.set('2026-04-08')
    const report = await env.alerts.runDigest()
    expect(report.channelsDisabled).toBe(1)
    const s = await env.alerts.store.getSubscription(id)
    expect(s!.channels.teams!.disabledAt).not.toBeNull()
    expect(s!.channels.teams!.disabledReason).toBe('Teams 403 (application désinstallée ou bloquée)')
    expect(disabled).toEqual([CONVERSATION])
    const rows = (await env.alerts.store.deliveries(id)).filter((d) => d.programmeId === CALL.id && d.leadDays === 7)
    expect(rows.map((d) => [d.state, d.lastError])).toEqual([['expired', 'channel disabled: Teams 403 (application désinstallée ou bloquée)']])
    clock.set('2026-04-14')
    await env.alerts.runDigest()
    expect(posts).toHaveLength(2)
  })
})

describe('the Teams channel adapter', () => {
  it('turns a ConversationGoneError into a disabled reference and a ChannelGoneError', async () => {
    const calls: string[] = []
    const references = {
      get: async (conversationId: string) => ({ conversationId, reference: { serviceUrl: 'https://smba.example/' }, tenantId: null, kind: 'personal' as const, userAadId: null, welcomedAt: null, updatedAt: new Date(), disabledReason: null }),
      disable: async (conversationId: string, reason: string) => void calls.push(`${conversationId}:${reason}`),
    }
    const gone = Object.assign(new Error('gone'), { name: 'ConversationGoneError', status: 404, reason: 'notFound' })
    const notifier = createTeamsChannelNotifier({
      references,
      sendProactive: async () => {
        throw gone
      },
    })
    expect(await notifier.knows('c1')).toBe(true)
    const err = await notifier.send('c1', { type: 'message', text: 'x', attachments: [] }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ChannelGoneError)
    expect((err as ChannelGoneError).status).toBe(404)
    expect(calls).toEqual(['c1:notFound'])
  })
})
