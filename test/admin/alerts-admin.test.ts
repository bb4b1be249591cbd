// The « Alertes » area of the back office, on the real Node composition: a Teams conversation
// installs the bot (through /api/messages, a local Bot Connector at its serviceUrl), subscribes,
// and its digest fails while the connector answers 429; an e-mail subscription waits in the
// outbox. The admin sees the counts and the outbox with masked addresses, retries (the row goes
// out once when the connector is back, never twice), and every retry is audited. The webhook
// masking and « Tout réessayer » run on the in-memory store, mounted alone.
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { alertsAdminModule, maskEmail, maskTeams, maskText, maskUrl } from '../../bot/admin/alerts-admin.tsx'
import type { AdminEnv, AdminKit } from '../../bot/admin/kit.ts'
import { runDigest } from '../../bot/alerts/digest.ts'
import { DeliveryFailedError } from '../../bot/alerts/senders.ts'
import { errorResponse } from '../../bot/http-errors.ts'
import { silentLogger } from '../../core/logger.ts'
import { alertsEnv, commune, schoolCall } from '../alerts/helpers.ts'
import { startFakeBotConnector, type FakeBotConnector } from '../teams/fake-bot-connector.ts'
import { installationUpdate, personalConversation } from '../teams/teams-activities.ts'
import { login, startAdmin, type AdminHarness } from './harness.ts'

/** The one curated programme with a firm deadline (2026-06-15): 90 days before is 2026-03-17. */
const FOLLOWED = 'eui_innovative_actions'
const EMAIL = 'marie.dupont@mairie-vezelay.fr'
const CONVERSATION = 'a:1Gq7xZ-mairie-vezelay-secretariat-2b9f'

let h: AdminHarness
let connector: FakeBotConnector
let admin: { cookie: string; csrf: string }
let editor: { cookie: string; csrf: string }
let failedId = 0

const api = (s: { cookie: string; csrf: string }, method = 'GET') => ({ method, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' } })
const form = (s: { cookie: string; csrf: string }) => ({ method: 'POST', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: s.csrf }) })
const subscribe = async (body: unknown) => {
  const res = await h.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(201)
  return (await res.json()) as { id: string; status: string }
}
/** What reached the conversation after the install's welcome. */
let mark = 0
const posts = () => connector.since(mark, CONVERSATION)

interface Overview {
  stats: { channels: Record<'email' | 'teams' | 'webhook', { subscriptions: Record<string, number>; deliveries: Record<string, number> }>; outbox: { queued: number; failed: number } | null }
  deliveries: { id: number; subscriptionId: string; channel: string; to: string; programme: { id: string } | null; state: string; attempts: number; lastError: string | null; retryable: boolean }[]
  mails: { to: string; status: string }[]
}

beforeAll(async () => {
  connector = await startFakeBotConnector()
  // Digests need the public base of their links (GUICHET_PUBLIC_URL).
  h = await startAdmin({ publicUrl: 'https://guichet.test' })
  h.clock.advance(19 * 86_400_000) // 2026-03-20: the followed deadline is 87 days away
  await h.createUser('admin@ville.fr', 'admin')
  await h.createUser('editor@ville.fr', 'editor')
  admin = await login(h.app, 'admin@ville.fr')
  editor = await login(h.app, 'editor@ville.fr')

  // Teams installs the bot in a personal chat: Guichet keeps the conversation reference.
  const where = { serviceUrl: connector.serviceUrl, conversationId: CONVERSATION }
  const installed = await h.app.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(installationUpdate(where, 'add', personalConversation())) })
  expect(installed.status).toBe(200)
  mark = connector.captured.length
  await subscribe({ collectivite: '89446', programmes: [FOLLOWED], leadTimes: [90], newCalls: 'off', channels: { teamsConversationId: CONVERSATION } })
  await subscribe({ collectivite: '89446', programmes: [FOLLOWED], channels: { email: EMAIL } })

  // The connector throttles: the digest records the reminder and its send fails.
  connector.refuse(CONVERSATION, 429)
  const report = await h.services.alerts.runDigest()
  expect(report.messages.failed.teams).toBe(1)
}, 30_000)

afterAll(async () => {
  h?.dispose()
  await connector?.close()
})

describe('the alerts area', () => {
  it('counts per channel and lists the failed delivery and the outbox e-mail, masked', async () => {
    const res = await h.app.request('/api/admin/alerts', api(admin))
    expect(res.status).toBe(200)
    const text = await res.text()
    const body = JSON.parse(text) as Overview
    expect(body.stats.channels.teams.subscriptions).toEqual({ active: 1, paused: 0, pendingConfirmation: 0, disabled: 0 })
    expect(body.stats.channels.email.subscriptions).toEqual({ active: 0, paused: 0, pendingConfirmation: 1, disabled: 0 })
    expect(body.stats.channels.webhook.subscriptions).toEqual({ active: 0, paused: 0, pendingConfirmation: 0, disabled: 0 })
    expect(body.stats.channels.teams.deliveries.failed).toBeGreaterThanOrEqual(1)
    expect(body.stats.channels.teams.deliveries.sent).toBe(0)
    expect(body.stats.channels.email.deliveries).toMatchObject({ sent: 1, failed: 0 }) // the confirmation, into the outbox
    expect(body.stats.outbox).toEqual({ queued: 1, failed: 0 })

    const row = body.deliveries.find((d) => d.programme?.id === FOLLOWED)!
    expect(row).toMatchObject({ channel: 'teams', state: 'failed', attempts: 1, retryable: true, to: maskTeams(CONVERSATION) })
    expect(row.to).toBe('conversation Teams …2b9f')
    expect(row.lastError).toBeTruthy()
    failedId = row.id
    expect(body.mails).toEqual([expect.objectContaining({ to: 'm•••@mairie-vezelay.fr', status: 'queued' })])
    expect(text).not.toContain(EMAIL)
    expect(text).not.toContain('marie.dupont')
    expect(text).not.toContain(CONVERSATION)
    expect(text).not.toContain(connector.serviceUrl)
  })

  it('the page: headed tables, masked addresses, a labelled « Réessayer » per failed row', async () => {
    const res = await h.app.request('/admin/alerts', { headers: { cookie: admin.cookie } })
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<title>Alertes — Guichet administration</title>')
    expect(html).toContain('<th scope="col">Abonnements actifs</th>')
    expect(html).toContain('<th scope="row">Teams</th>')
    expect(html).toContain('m•••@mairie-vezelay.fr')
    expect(html).toContain('conversation Teams …2b9f')
    expect(html).toContain(`action="/admin/alerts/deliveries/${failedId}/retry"`)
    expect(html).toMatch(new RegExp(`<button type="submit" class="secondary" aria-label="Réessayer l&#39;envoi ${failedId} \\([^"]+\\)">Réessayer</button>`))
    expect(html).toContain('Tout réessayer')
    expect(html).not.toContain(EMAIL)
    expect(html).not.toContain(CONVERSATION)
  })

  it('is for admins only', async () => {
    expect((await h.app.request('/admin/alerts', { headers: { cookie: editor.cookie } })).status).toBe(403)
    expect((await h.app.request('/api/admin/alerts', api(editor))).status).toBe(403)
    expect((await h.app.request(`/api/admin/alerts/deliveries/${failedId}/retry`, api(editor, 'POST'))).status).toBe(403)
    expect((await h.app.request(`/admin/alerts/deliveries/${failedId}/retry`, form(editor))).status).toBe(403)
    expect((await h.stores.audit.list({ target: `delivery:${failedId}` }))).toEqual([])
  })

  it('the form retries while the connector still refuses: 303, a status message, one more failed attempt', async () => {
    const res = await h.app.request(`/admin/alerts/deliveries/${failedId}/retry`, form(admin))
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toBe(`/admin/alerts?resultat=failed&envoi=${failedId}`)
    const html = await (await h.app.request(location, { headers: { cookie: admin.cookie } })).text()
    expect(html).toContain(`<p role="status" class="alert">L&#39;envoi ${failedId} a de nouveau échoué`)
    expect((await h.services.alerts.store.adminDelivery(failedId))).toMatchObject({ state: 'failed', attempts: 2 })
    expect(posts()).toHaveLength(0)
  })

  it('the API retries once the connector is back: the reminder goes out exactly once', async () => {
    connector.refuse(CONVERSATION, 0) // 0 = accept again
    const res = await h.app.request(`/api/admin/alerts/deliveries/${failedId}/retry`, api(admin, 'POST'))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { delivery: { state: string; attempts: number; to: string }; run: { locked: boolean; sent: number } }
    expect(body.delivery).toMatchObject({ state: 'sent', attempts: 3, to: 'conversation Teams …2b9f' })
    expect(body.run).toMatchObject({ locked: false, sent: 1 })
    expect(posts()).toHaveLength(1)
    expect(String(posts()[0]!.activity.text)).toMatch(/^Rappel : EUI-IA/)
  })

  it('never sends a sent delivery again: 409, and nothing reaches the connector', async () => {
    const res = await h.app.request(`/api/admin/alerts/deliveries/${failedId}/retry`, api(admin, 'POST'))
    expect(res.status).toBe(409)
    expect(((await res.json()) as { error: { code: string; field: string } }).error).toMatchObject({ code: 'already_sent', field: 'id' })
    const viaForm = await h.app.request(`/admin/alerts/deliveries/${failedId}/retry`, form(admin))
    expect(viaForm.headers.get('location')).toBe(`/admin/alerts?resultat=already_sent&envoi=${failedId}`)
    await h.services.alerts.runDigest({ retriesOnly: true })
    expect(posts()).toHaveLength(1)
    expect((await h.services.alerts.store.adminDelivery(failedId))).toMatchObject({ state: 'sent', attempts: 3 })
  })

  it('answers 404 naming an unknown delivery', async () => {
    for (const id of ['999999', 'abc']) {
      const res = await h.app.request(`/api/admin/alerts/deliveries/${id}/retry`, api(admin, 'POST'))
      expect(res.status).toBe(404)
      const error = ((await res.json()) as { error: { field: string; message: string } }).error
      expect(error.field).toBe('id')
      expect(error.message).toContain(`« ${id} »`)
    }
  })

  it('audits each retry that ran (who, before, after), without addresses', async () => {
    const entries = await h.stores.audit.list({ target: `delivery:${failedId}` })
    expect(entries.map((e) => e.action)).toEqual(['alert.retry', 'alert.retry'])
    expect(entries.every((e) => e.actor === 'admin@ville.fr')).toBe(true)
    const [last, first] = entries
    expect(first).toMatchObject({ before: { state: 'failed', attempts: 1 }, after: { state: 'failed', attempts: 2 } })
    expect(last).toMatchObject({ before: { state: 'failed', attempts: 2 }, after: { state: 'sent', attempts: 3, run: { sent: 1 } } })
    expect(JSON.stringify(entries)).not.toContain(CONVERSATION)
  })
})

describe('the alerts area over the in-memory store', () => {
  const CALL = schoolCall('test_ecoles_avril', ['2026-04-15'])
  const HOOK = 'https://hooks.mairie-vezelay.fr/guichet/7f3a9c-secret-token'

  it('masks a webhook to its host and any address in an error; « Tout réessayer » sends each failed row once', async () => {
    const received: string[] = []
    let up = false
    const webhook = {
      async send({ url }: { url: string }) {
        if (!up) throw new DeliveryFailedError(`webhook answered 503 at ${url} for ${EMAIL}`)
        received.push(url)
        return { status: 204, attempts: 1 }
      },
    }
    // The receiver is faked here (its host is not local): it answers the confirmation challenge.
    const env = alertsEnv({ programmes: [CALL], senders: { webhook }, confirmWebhook: async () => ({ confirmed: true }) })
    const audits: { action: string; target: string }[] = []
    const kit: AdminKit = {
      now: () => env.clock.now(),
      audit: async (_c, action, target) => void audits.push({ action, target }),
      reindex: async () => {},
      requireAdmin: async (_c, next) => next(),
    }
    const app = new Hono<AdminEnv>()
    app.onError((err, c) => errorResponse(c, err, silentLogger))
    app.use('*', async (c, next) => {
      c.set('account', { id: 'a1', email: 'admin@ville.fr', role: 'admin', disabled: false, createdAt: '2026-01-01T00:00:00Z' })
      c.set('csrf', 'token')
      await next()
    })
    const digest = () => runDigest({ now: env.clock.now(), store: env.store, catalogue: env.catalogue.current, senders: env.senders, links: env.links, retriesOnly: true })
    alertsAdminModule({ store: env.store, sendDue: digest })(app, kit)
    try {
      const created = await env.service.create({ profile: commune(), programmes: [CALL.id], leadTimes: [30], newCalls: 'off', channels: { webhookUrl: HOOK }, source: 'api' })
      env.clock.set('2026-03-16')
      await env.digest()
      // An error stored raw (an older version, another sender) still shows no address.
      const row = (await env.store.deliveries(created.id)).find((d) => d.programmeId === CALL.id)!
      await env.store.markFailed([row.id], { at: env.clock.now().toISOString(), error: `SMTP 550: <${EMAIL}> refused by ${HOOK}`, nextAttemptAt: '2026-03-16T12:00:00.000Z' })

      const text = await (await app.request('/api/admin/alerts')).text()
      const html = await (await app.request('/admin/alerts')).text()
      for (const out of [text, html]) {
        expect(out).toContain('hooks.mairie-vezelay.fr')
        expect(out).not.toContain('7f3a9c-secret-token')
        expect(out).not.toContain(EMAIL)
      }
      const body = JSON.parse(text) as Overview
      expect(body.stats.outbox).toBeNull()
      expect(body.stats.channels.webhook.subscriptions.active).toBe(1)
      const shown = body.deliveries.find((d) => d.id === row.id)!
      expect([shown.to, shown.lastError]).toEqual(['hooks.mairie-vezelay.fr', 'SMTP 550: <m•••@mairie-vezelay.fr> refused by hooks.mairie-vezelay.fr'])
      // Every row of that message failed with it (the real catalogue may add one).
      const failed = body.deliveries.filter((d) => d.state === 'failed').length
      expect(body.deliveries.every((d) => d.to === 'hooks.mairie-vezelay.fr' && d.retryable)).toBe(true)

      up = true
      const res = await app.request('/admin/alerts/retry', { method: 'POST' })
      expect(res.status).toBe(303)
      const location = `/admin/alerts?resultat=tout&relances=${failed}&envoyes=${failed}&echecs=0`
      expect(res.headers.get('location')).toBe(location)
      expect(received).toEqual([HOOK])
      expect(await (await app.request(location)).text()).toContain(`<p role="status" class="ok">${failed} envoi(s) relancé(s) : ${failed} parti(s), 0 en échec.</p>`)
      expect((await (await app.request('/api/admin/alerts/retry', { method: 'POST' })).json())).toMatchObject({ scheduled: 0, run: { sent: 0 } })
      expect((await app.request(`/api/admin/alerts/deliveries/${row.id}/retry`, { method: 'POST' })).status).toBe(409)
      expect(received).toEqual([HOOK])
      expect(audits).toEqual([{ action: 'alert.retry_all', target: 'deliveries' }, { action: 'alert.retry_all', target: 'deliveries' }])
    } finally {
      env.dispose()
    }
  })

  it('masks by the chosen rules', () => {
    expect(maskEmail('marie.dupont@mairie-vezelay.fr')).toBe('m•••@mairie-vezelay.fr')
    expect(maskEmail('pas-une-adresse')).toBe('•••')
    expect(maskUrl('https://user:pw@hooks.example.org:8443/x?token=1')).toBe('hooks.example.org:8443')
    expect(maskTeams('19:abc@thread.tacv2')).toBe('conversation Teams …acv2')
    expect(maskText('550 5.1.1 <jean@ville.fr>: unknown; see https://mx.ville.fr/bounce?u=jean@ville.fr')).toBe('550 5.1.1 <j•••@ville.fr>: unknown; see mx.ville.fr')
  })
})
