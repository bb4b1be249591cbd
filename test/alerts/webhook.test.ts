// Webhook alerts over real HTTP: a node:http receiver verifies X-Guichet-Signature
// (HMAC-SHA256 of timestamp + "." + body under the secret returned once at creation), answers
// 500 first to exercise the retry with backoff, and 410 later to switch the channel off. It
// answers the signed confirmation challenge first (the webhook is pending until then).
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { movableClock, nodeAlerts, pathOf, schoolCall } from './helpers.ts'

const CALL = schoolCall('test_ecoles_avril', ['2026-04-15'], { themes: ['tiers_lieux'] })
const clock = movableClock('2026-03-01')
const hits: { headers: IncomingHttpHeaders; body: string; verified: boolean }[] = []
const challenges: { headers: IncomingHttpHeaders; body: string }[] = []
let answers: number[] = []
let secret = ''
let server: Server
let url = ''
const sleeps: number[] = []
let env: ReturnType<typeof nodeAlerts>

function verify(headers: IncomingHttpHeaders, body: string): boolean {
  const ts = String(headers['x-guichet-timestamp'] ?? '')
  const sig = String(headers['x-guichet-signature'] ?? '')
  const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected))
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      const parsed = JSON.parse(body) as { type: string; challenge?: string }
      if (parsed.type === 'confirmation') {
        challenges.push({ headers: req.headers, body })
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: parsed.challenge }))
        return
      }
      hits.push({ headers: req.headers, body, verified: verify(req.headers, body) })
      res.writeHead(answers.shift() ?? 204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/guichet`
  env = nodeAlerts({ programmes: [CALL], clock, sleep: async (ms) => void sleeps.push(ms) })
})

afterAll(async () => {
  env.dispose()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('webhook alerts', () => {
  let id = ''

  it('is active once its URL echoed the signed challenge, and returns its secret once', async () => {
    const res = await env.app.request('/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ collectivite: '89446', themes: ['tiers_lieux'], channels: { webhookUrl: url }, leadTimes: [30, 7, 1] }),
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { id: string; status: string; webhookSecret: string; manageUrl: string; webhookConfirmation: { status: string; reason: string | null } }
    expect(body.status).toBe('active')
    expect(body.webhookConfirmation).toMatchObject({ status: 'confirmed', reason: null })
    expect(body.webhookSecret).toMatch(/^whsec_[\w-]{40,}$/)
    secret = body.webhookSecret
    // The challenge was signed like a delivery, under the same secret.
    expect(challenges).toHaveLength(1)
    expect(verify(challenges[0]!.headers, challenges[0]!.body)).toBe(true)
    expect(JSON.parse(challenges[0]!.body)).toMatchObject({ type: 'confirmation', subscriptionId: body.id, challenge: expect.stringMatching(/^[\w-]{20,}$/) })
    id = body.id
    const view = await (await env.app.request(pathOf(body.manageUrl))).text()
    expect(view).not.toContain(secret)
  })

  it('posts a signed JSON digest, retrying a 500 with backoff', async () => {
    clock.set('2026-03-16')
    answers = [500, 200]
    const report = await env.alerts.runDigest()
    expect(report.messages.sent.webhook).toBe(1)
    expect(hits).toHaveLength(2)
    expect(sleeps).toEqual([1000])
    for (const h of hits) expect(h.verified).toBe(true)
    const last = hits[1]!
    expect(last.headers['content-type']).toBe('application/json')
    expect(last.headers['x-guichet-delivery']).toBe(hits[0]!.headers['x-guichet-delivery'])
    // The retry within the run carries the same Idempotency-Key: the ledger's message id, also in the signed body.
    const key = String(last.headers['idempotency-key'])
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(hits[0]!.headers['idempotency-key']).toBe(key)
    expect(last.headers['x-guichet-delivery']).toBe(key)
    expect((JSON.parse(last.body) as { deliveryId: string }).deliveryId).toBe(key)
    expect(new Set((await env.alerts.store.deliveries(id)).filter((d) => d.state === 'sent').map((d) => d.messageId))).toEqual(new Set([key]))
    const payload = JSON.parse(last.body) as { type: string; subscriptionId: string; items: { kind: string; deadline: string; leadDays: number; daysLeft: number; programme: { id: string } }[] }
    expect(payload.type).toBe('guichet.alerts.digest')
    expect(payload.subscriptionId).toBe(id)
    expect(payload.items.filter((i) => i.programme.id === CALL.id).map((i) => [i.kind, i.deadline, i.leadDays, i.daysLeft])).toEqual([['reminder', '2026-04-15', 30, 30]])
    // A tampered body or another secret does not verify.
    expect(verify(last.headers, last.body.replace('reminder', 'remindex'))).toBe(false)
  })

  it('sends nothing twice', async () => {
    await env.alerts.runDigest()
    expect(hits).toHaveLength(2)
  })

  it('keeps a failed delivery for the next runs when every attempt fails', async () => {
    clock.set('2026-04-08')
    answers = [503, 503, 503]
    const report = await env.alerts.runDigest()
    expect(report.messages.failed.webhook).toBe(1)
    expect(hits).toHaveLength(5)
    const rows = (await env.alerts.store.deliveries(id)).filter((d) => d.programmeId === CALL.id && d.leadDays === 7)
    expect(rows.map((d) => [d.state, d.lastError])).toEqual([['failed', 'DeliveryFailedError: webhook answered 503']])
    clock.set('2026-04-08T11:00:00+02:00')
    answers = [200]
    await env.alerts.runDigest({ retriesOnly: true })
    expect(hits).toHaveLength(6)
    expect(hits[5]!.verified).toBe(true)
    // A failed message may have been processed all the same: its retry on a later run keeps its key.
    expect(hits[5]!.headers['idempotency-key']).toBe(hits[2]!.headers['idempotency-key'])
    expect(hits[2]!.headers['idempotency-key']).not.toBe(hits[0]!.headers['idempotency-key'])
    expect((await env.alerts.store.deliveries(id)).filter((d) => d.programmeId === CALL.id && d.leadDays === 7).map((d) => d.state)).toEqual(['sent'])
  })

  it('switches the channel off on 410 Gone, with the reason', async () => {
    clock.set('2026-04-14')
    answers = [410]
    const report = await env.alerts.runDigest()
    expect(report.channelsDisabled).toBe(1)
    const s = await env.alerts.store.getSubscription(id)
    expect(s!.channels.webhook!.disabledReason).toBe('webhook answered 410 Gone')
    clock.set('2026-04-14T12:00:00+02:00')
    await env.alerts.runDigest()
    expect(hits).toHaveLength(7)
  })

  it('refuses private or plain-http URLs unless allowed', async () => {
    // hooks.example.org resolves (as the test says) to a public address; its receiver (faked) answers 503 to the challenge.
    const strict = nodeAlerts({ env: { ALERTS_WEBHOOK_ALLOW_PRIVATE: 'false' }, clock, resolve: async () => [{ address: '93.184.215.14', family: 4 }], fetch: async () => new Response(null, { status: 503 }) })
    try {
      for (const bad of [url, 'https://127.0.0.1/x', 'https://localhost/x', 'https://10.1.2.3/x', 'https://[::1]/x', 'ftp://example.org/x']) {
        const res = await strict.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { webhookUrl: bad } }) })
        expect(res.status, bad).toBe(400)
        expect(((await res.json()) as { error: { field: string } }).error.field).toBe('channels.webhookUrl')
      }
      const ok = await strict.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { webhookUrl: 'https://hooks.example.org/guichet' } }) })
      expect(ok.status).toBe(201)
      expect(await ok.json()).toMatchObject({ status: 'pending_confirmation', channels: { webhook: 'pending_confirmation' }, webhookConfirmation: { status: 'pending', reason: 'le récepteur a répondu HTTP 503 au défi de confirmation' } })
    } finally {
      strict.dispose()
    }
  })
})
