// A webhook subscription is active only once its URL answered the signed confirmation challenge:
// Guichet POSTs {"type":"confirmation","subscriptionId","challenge","deliveryId"} signed like a
// delivery, and wants 2xx with {"challenge":"<the same>"}. Not answered, answered wrong, or
// redirected: pending, with the reason, and no digest ever goes there; POST
// /api/subscriptions/{id}/webhook/confirm?token=<manage token> sends the challenge again.
// Real node:http receivers on 127.0.0.1, the Node composition over a SQLite file.
import { createHmac } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { movableClock, nodeAlerts, pathOf, schoolCall } from './helpers.ts'

type Mode = 'echo' | 'wrong' | 'silent-200' | '404' | 'redirect' | 'text' | 'hang'
const CALL = schoolCall('test_confirmation_ecoles', ['2026-04-15'], { themes: ['tiers_lieux'] })
const clock = movableClock('2026-03-01')
let env: ReturnType<typeof nodeAlerts>
let server: Server
let base = ''
const modes = new Map<string, Mode>()
const hits: { path: string; headers: IncomingHttpHeaders; body: { type: string; challenge?: string; subscriptionId?: string } ; raw: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (c) => (raw += c))
    req.on('end', () => {
      const body = JSON.parse(raw) as { type: string; challenge?: string }
      const path = req.url ?? ''
      hits.push({ path, headers: req.headers, body, raw })
      const mode = modes.get(path) ?? 'echo'
      if (body.type !== 'confirmation') return void res.writeHead(204).end()
      if (mode === 'echo') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: body.challenge }))
      if (mode === 'wrong') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: 'autre-chose' }))
      if (mode === 'text') return void res.writeHead(200, { 'content-type': 'text/plain' }).end(body.challenge)
      if (mode === 'silent-200') return void res.writeHead(200).end()
      if (mode === '404') return void res.writeHead(404).end()
      if (mode === 'redirect') return void res.writeHead(307, { location: '/elsewhere' }).end()
      // 'hang': never answers (the challenge gives up after its timeout).
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  env = nodeAlerts({ programmes: [CALL], clock })
})
afterAll(async () => {
  env.dispose()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

interface Created {
  id: string
  status: string
  channels: { webhook: string }
  manageUrl: string
  webhookSecret: string
  webhookConfirmation: { status: string; reason: string | null; retryUrl: string }
}

async function subscribe(path: string, mode: Mode): Promise<Created> {
  modes.set(path, mode)
  const res = await env.app.request('/api/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ collectivite: '89446', themes: ['tiers_lieux'], channels: { webhookUrl: `${base}${path}` }, leadTimes: [30] }),
  })
  expect(res.status).toBe(201)
  return (await res.json()) as Created
}

const digestsTo = (path: string) => hits.filter((h) => h.path === path && h.body.type !== 'confirmation')

describe('the webhook confirmation challenge', () => {
  let active: Created
  const pending: Record<string, Created> = {}

  it('answered with the challenge echoed: active; the challenge is signed like a delivery', async () => {
    active = await subscribe('/ok', 'echo')
    expect(active).toMatchObject({ status: 'active', channels: { webhook: 'active' }, webhookConfirmation: { status: 'confirmed', reason: null } })
    const challenge = hits.find((h) => h.path === '/ok')!
    expect(challenge.body).toMatchObject({ type: 'confirmation', subscriptionId: active.id })
    const ts = String(challenge.headers['x-guichet-timestamp'])
    expect(challenge.headers['x-guichet-signature']).toBe(`sha256=${createHmac('sha256', active.webhookSecret).update(`${ts}.${challenge.raw}`).digest('hex')}`)
    expect(challenge.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it.each([
    ['/wrong', 'wrong', /réponse sans le défi/],
    ['/text', 'text', /réponse sans le défi/],
    ['/silent', 'silent-200', /réponse sans le défi/],
    ['/gone', '404', /HTTP 404/],
    ['/redirect', 'redirect', /redirection \(HTTP 307\)/],
  ] as const)('%s (%s): pending, with the reason', async (path, mode, reason) => {
    const created = await subscribe(path, mode)
    pending[path] = created
    expect(created).toMatchObject({ status: 'pending_confirmation', channels: { webhook: 'pending_confirmation' }, webhookConfirmation: { status: 'pending', reason: expect.stringMatching(reason) } })
    expect(created.webhookConfirmation.retryUrl).toBe(`https://guichet.test/api/subscriptions/${created.id}/webhook/confirm?token=${new URL(created.manageUrl).searchParams.get('token')}`)
    // The owner's view says the same.
    const view = (await (await env.app.request(pathOf(created.manageUrl))).json()) as { subscription: { status: string; channels: { webhook: { status: string; confirmationError: string } } } }
    expect(view.subscription).toMatchObject({ status: 'pending_confirmation', channels: { webhook: { status: 'pending_confirmation', confirmationError: expect.stringMatching(reason) } } })
  })

  it('a receiver that never answers: pending after the timeout', async () => {
    const created = await subscribe('/hang', 'hang')
    pending['/hang'] = created
    expect(created.webhookConfirmation).toMatchObject({ status: 'pending', reason: 'pas de réponse en 5 s' })
  }, 15_000)

  it('the digest goes to the confirmed webhook only', async () => {
    clock.set('2026-03-16')
    const report = await env.alerts.runDigest()
    expect(report.messages.sent.webhook).toBe(1)
    expect(digestsTo('/ok')).toHaveLength(1)
    for (const path of Object.keys(pending)) expect(digestsTo(path), path).toHaveLength(0)
    for (const c of Object.values(pending)) expect(await env.alerts.store.deliveries(c.id)).toEqual([])
  })

  it('the retry needs the manage token, and confirms once the receiver answers', async () => {
    const c = pending['/wrong']!
    const retry = pathOf(c.webhookConfirmation.retryUrl)
    const bad = await env.app.request(retry.replace(/token=[^&]+/, 'token=forged'), { method: 'POST' })
    expect(bad.status).toBe(403)
    expect(await env.app.request(`/api/subscriptions/${c.id}/webhook/confirm`, { method: 'POST' })).toHaveProperty('status', 403)

    // Still wrong: still pending.
    const again = (await (await env.app.request(retry, { method: 'POST' })).json()) as { webhookConfirmation: { status: string; reason: string } }
    expect(again.webhookConfirmation).toMatchObject({ status: 'pending', reason: expect.stringMatching(/réponse sans le défi/) })

    modes.set('/wrong', 'echo')
    const challengesBefore = hits.filter((h) => h.path === '/wrong').length
    const res = await env.app.request(retry, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toEqual({ webhookConfirmation: { status: 'confirmed', reason: null, retryUrl: c.webhookConfirmation.retryUrl } })
    expect(hits.filter((h) => h.path === '/wrong').length).toBe(challengesBefore + 1)
    // Confirmed: a second call sends nothing.
    await env.app.request(retry, { method: 'POST' })
    expect(hits.filter((h) => h.path === '/wrong').length).toBe(challengesBefore + 1)

    const view = (await (await env.app.request(pathOf(c.manageUrl))).json()) as { subscription: { status: string } }
    expect(view.subscription.status).toBe('active')
    // The next digest reaches it; the still-pending ones get nothing.
    clock.set('2026-03-17')
    await env.alerts.runDigest()
    expect(digestsTo('/wrong')).toHaveLength(1)
    for (const path of ['/text', '/silent', '/gone', '/redirect', '/hang']) expect(digestsTo(path), path).toHaveLength(0)
  })

  it('the retry of an erased subscription is a 404; of an e-mail-only one a 400 naming the field', async () => {
    const c = pending['/gone']!
    await env.app.request(pathOf(c.manageUrl), { method: 'DELETE' })
    expect((await env.app.request(pathOf(c.webhookConfirmation.retryUrl), { method: 'POST' })).status).toBe(404)
    const mail = (await (await env.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { email: 'mairie@vezelay.example' } }) })).json()) as { id: string; manageUrl: string }
    const res = await env.app.request(`/api/subscriptions/${mail.id}/webhook/confirm?token=${new URL(mail.manageUrl).searchParams.get('token')}`, { method: 'POST' })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('channels.webhookUrl')
  })

  it('the back office counts pending webhooks apart', async () => {
    const stats = await env.alerts.store.adminStats()
    expect(stats.channels.webhook.subscriptions).toEqual({ active: 2, paused: 0, pendingConfirmation: 4, disabled: 0 })
  })
})

describe('migration 11', () => {
  it('puts webhooks created before the challenge back to pending, with the reason', async () => {
    const local = nodeAlerts({ clock })
    try {
      const { db } = local
      const legacy = { id: 'legacy1', createdAt: '2026-01-01T00:00:00.000Z', channels: { webhook: { url: 'https://hooks.example.org/x', disabledAt: null, disabledReason: null } } }
      db.prepare('INSERT INTO alert_subscriptions (id, created_at, json) VALUES (?, ?, ?)').run(legacy.id, legacy.createdAt, JSON.stringify(legacy))
      const { MIGRATIONS } = await import('../../runtime/node/sqlite.ts')
      db.exec(MIGRATIONS[10]!)
      const json = JSON.parse((db.prepare('SELECT json FROM alert_subscriptions WHERE id = ?').get('legacy1') as { json: string }).json) as { channels: { webhook: Record<string, unknown> } }
      expect(json.channels.webhook).toMatchObject({ confirmedAt: null, challengeError: expect.stringContaining('relancez la confirmation') })
    } finally {
      local.dispose()
    }
  })
})
