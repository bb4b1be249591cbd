// Over the rate limit on the alerts' pages, through real HTTP (the Node composition on a free
// loopback port, clients told apart by their TCP address): a browser — its Accept names text/html —
// gets a short French page in the alerts' frame, 429 with Retry-After and the RateLimit headers,
// and nothing is done; a mail client's one-click POST or a script gets the JSON 429 as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sendFrom, serveOnFreePort, startServices, type PlainAnswer } from '../helpers/node-services.ts'

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const form = (fields: Record<string, string>, accept = BROWSER) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
  body: new URLSearchParams(fields).toString(),
})
/** The text of a page without its tags, spaces collapsed: what a person reads. */
const readable = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, '\'').replace(/\s+/g, ' ')

let services: Awaited<ReturnType<typeof startServices>>
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let sub: { id: string; managePageUrl: string }
let confirmPath = ''

beforeAll(async () => {
  services = await startServices({ RATE_LIMIT_PER_MINUTE: '100', RATE_LIMIT_WRITE_PER_MINUTE: '2', ALERTS_SECRET: 'rate-limit-pages-secret-0123456789abcdef' })
  server = await serveOnFreePort(services.app.fetch)
  const created = await sendFrom(server.port, '127.0.0.20', '/api/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ collectivite: '89446', channels: { email: 'secretariat@vezelay.example' } }),
  })
  expect(created.status).toBe(201)
  sub = created.json()
  const confirmation = services.db.prepare('SELECT text FROM alert_outbox WHERE subscription_id = ?').get(sub.id) as { text: string }
  const link = new URL(confirmation.text.match(/https?:\/\/\S+\/alerts\/confirm\?token=\S+/)![0])
  confirmPath = link.pathname + link.search
}, 60_000)
afterAll(async () => {
  await server?.close()
  services?.dispose()
})

function expectPage(r: PlainAnswer): void {
  expect(r.status).toBe(429)
  expect(r.headers['content-type']).toMatch(/^text\/html/)
  const retryAfter = Number(r.headers['retry-after'])
  expect(retryAfter).toBeGreaterThanOrEqual(1)
  expect(retryAfter).toBeLessThanOrEqual(60)
  expect(r.headers['ratelimit-policy']).toBe('2;w=60')
  expect(r.headers['ratelimit-remaining']).toBe('0')
  expect(r.body).toMatch(/^<!doctype html><html lang="fr">/)
  expect(r.body).toContain('<title>Trop de demandes — Guichet</title>')
  const text = readable(r.body)
  expect(text).toContain('Trop de demandes')
  expect(text).toContain(`Réessayez dans ${retryAfter} seconde`)
  expect(text).toContain('rien n\'a été confirmé ni modifié')
  // The alerts' frame: the footer's legal links.
  expect(r.body).toContain('href="/confidentialite"')
}

describe('a browser over the limit on the alerts pages', () => {
  it('the management page\'s forms: a French page, 429 with Retry-After, and the third form changed nothing', async () => {
    const token = new URL(sub.managePageUrl).searchParams.get('token')!
    const path = `/alerts/${sub.id}/manage`
    expect((await sendFrom(server.port, '127.0.0.21', path, form({ token, action: 'pause' }))).status).toBe(200)
    expect((await sendFrom(server.port, '127.0.0.21', path, form({ token, action: 'resume' }))).status).toBe(200)
    const over = await sendFrom(server.port, '127.0.0.21', path, form({ token, action: 'pause' }))
    expectPage(over)
    expect((await services.alerts.store.getSubscription(sub.id))!.pausedAt ?? null).toBeNull()
  })

  it('the confirmation link\'s page and its button, and the unsubscribe page', async () => {
    const from = '127.0.0.22'
    const accept = { headers: { accept: BROWSER } }
    expect((await sendFrom(server.port, from, confirmPath, accept)).status).toBe(200)
    expect((await sendFrom(server.port, from, confirmPath, accept)).status).toBe(200)
    expectPage(await sendFrom(server.port, from, confirmPath, accept))
    const token = new URL(`http://x${confirmPath}`).searchParams.get('token')!
    expectPage(await sendFrom(server.port, from, '/alerts/confirm', form({ token })))
    expect((await services.alerts.store.getSubscription(sub.id))!.channels.email!.confirmedAt).toBeNull()
    expectPage(await sendFrom(server.port, from, '/alerts/unsubscribe?token=x', accept))
  })

  it('a mail client\'s one-click POST and a script still get the JSON answer', async () => {
    const from = '127.0.0.23'
    for (let i = 0; i < 2; i++) await sendFrom(server.port, from, '/alerts/unsubscribe?token=x', form({ 'List-Unsubscribe': 'One-Click' }, '*/*'))
    const oneClick = await sendFrom(server.port, from, '/alerts/unsubscribe?token=x', form({ 'List-Unsubscribe': 'One-Click' }, '*/*'))
    expect(oneClick.status).toBe(429)
    expect(oneClick.headers['content-type']).toMatch(/^application\/json/)
    expect(oneClick.json().error).toMatchObject({ code: 'rate_limited', retryAfter: Number(oneClick.headers['retry-after']) })
    const script = await sendFrom(server.port, from, `/alerts/${sub.id}/manage`, form({ token: 'x', action: 'pause' }, 'application/json'))
    expect(script.status).toBe(429)
    expect(script.headers['content-type']).toMatch(/^application\/json/)
  })
})
