// Per-client rate limits over real HTTP: a Node server on a free loopback port, clients told apart by
// their real TCP source address (127.0.0.2, 127.0.0.3… are all loopback on Linux), or by
// X-Forwarded-For when the loopback proxy is trusted.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { parseConfig } from '../../core/config.ts'
import { clientKey } from '../../bot/rate-limit.ts'
import { sendFrom, serveOnFreePort, startServices } from '../helpers/node-services.ts'

type Services = Awaited<ReturnType<typeof startServices>>
const send = sendFrom

async function boot(env: Record<string, string>): Promise<{ services: Services; port: number; stop(): Promise<void> }> {
  const services = await startServices(env)
  const server = await serveOnFreePort(services.app.fetch)
  return { services, port: server.port, stop: async () => { await server.close(); services.dispose() } }
}

const chatBody = (text: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })

describe('rate limits, clients told apart by their TCP address', () => {
  let s: Awaited<ReturnType<typeof boot>>
  beforeAll(async () => {
    s = await boot({ RATE_LIMIT_PER_MINUTE: '30', RATE_LIMIT_CHAT_PER_MINUTE: '5', RATE_LIMIT_WRITE_PER_MINUTE: '3', RATE_LIMIT_TEAMS_PER_MINUTE: '4' })
  })
  afterAll(() => s.stop())
  afterEach(() => vi.useRealTimers())

  it('a flood from one address gets 429 with Retry-After, RateLimit headers and a French message; another address is still served', async () => {
    for (let i = 1; i <= 30; i++) {
      const r = await send(s.port, '127.0.0.2', '/api/themes')
      expect(r.status, `request ${i}`).toBe(200)
      expect(r.headers['ratelimit-limit']).toBe('30')
      expect(r.headers['ratelimit-remaining']).toBe(String(30 - i))
    }
    const over = await send(s.port, '127.0.0.2', '/api/themes')
    expect(over.status).toBe(429)
    const retryAfter = Number(over.headers['retry-after'])
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(over.headers['ratelimit-remaining']).toBe('0')
    expect(over.headers['ratelimit-policy']).toBe('30;w=60')
    expect(over.headers['content-type']).toMatch(/application\/json/)
    const body = over.json()
    expect(body.error.code).toBe('rate_limited')
    expect(body.error.message).toMatch(/^Trop de requêtes .*réessayez dans \d+ s/)
    expect(body.error.retryAfter).toBe(retryAfter)
    // Every kind of route is behind the same count: pages, widget assets, the API.
    for (const path of ['/', '/widget.js', '/api/match?commune=89446', '/api/health', '/admin/login']) expect((await send(s.port, '127.0.0.2', path)).status, path).toBe(429)
    // Another client is not affected.
    const other = await send(s.port, '127.0.0.3', '/api/themes')
    expect(other.status).toBe(200)
    expect(other.headers['ratelimit-remaining']).toBe('29')
  })

  it('a forged X-Forwarded-For does not escape the limit when no proxy is trusted', async () => {
    for (let i = 0; i < 30; i++) await send(s.port, '127.0.0.4', '/api/themes', { headers: { 'x-forwarded-for': `198.51.100.${i}` } })
    const forged = await send(s.port, '127.0.0.4', '/api/themes', { headers: { 'x-forwarded-for': '203.0.113.99' } })
    expect(forged.status).toBe(429)
  })

  it('a flood from many addresses: each one is limited on its own', async () => {
    const addresses = Array.from({ length: 20 }, (_, i) => `127.0.1.${i + 1}`)
    const statuses = await Promise.all(addresses.map(async (from) => {
      const seen: number[] = []
      for (let i = 0; i < 32; i++) seen.push((await send(s.port, from, '/api/themes')).status)
      return seen
    }))
    for (const seen of statuses) {
      expect(seen.slice(0, 30).every((x) => x === 200)).toBe(true)
      expect(seen.slice(30)).toEqual([429, 429])
    }
  })

  it('chat turns have a tighter bucket inside the general one; its 429 is readable cross-origin (the widget retries it)', async () => {
    for (let i = 0; i < 5; i++) expect((await send(s.port, '127.0.0.5', '/api/chat', chatBody('bonjour'))).status).toBe(200)
    const over = await send(s.port, '127.0.0.5', '/api/chat', chatBody('bonjour'))
    expect(over.status).toBe(429)
    expect(over.headers['access-control-allow-origin']).toBe('*')
    expect(over.headers['ratelimit-limit']).toBe('5')
    expect(over.json().error.message).toMatch(/^Trop de requêtes \(messages : 5 par minute au plus\)/)
    // The same client still reads the API: the general bucket (30) is not spent.
    const read = await send(s.port, '127.0.0.5', '/api/themes')
    expect(read.status).toBe(200)
    expect(read.headers['ratelimit-remaining']).toBe(String(30 - 7))
  })

  it('subscription writes have their own tighter bucket', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await send(s.port, '127.0.0.6', '/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status)
    expect(statuses.slice(0, 3).every((x) => x === 400)).toBe(true)
    expect(statuses[3]).toBe(429)
    expect((await send(s.port, '127.0.0.6', '/alerts/unsubscribe?token=x')).status).toBe(429)
    expect((await send(s.port, '127.0.0.6', '/api/themes')).status).toBe(200)
  })

  it('the Teams endpoint has its own bucket: a client that spent the general one still reaches it, and a flood of activities meets its own limit', async () => {
    for (let i = 0; i < 31; i++) await send(s.port, '127.0.0.7', '/api/themes')
    expect((await send(s.port, '127.0.0.7', '/api/themes')).status).toBe(429)
    const activity = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }
    const statuses: number[] = []
    for (let i = 0; i < 5; i++) statuses.push((await send(s.port, '127.0.0.7', '/api/messages', activity)).status)
    expect(statuses.slice(0, 4)).not.toContain(429)
    expect(statuses[4]).toBe(429)
  })

  it('after the window, the client is served again (the clock moved past Retry-After)', async () => {
    for (let i = 0; i < 31; i++) await send(s.port, '127.0.0.8', '/api/themes')
    const over = await send(s.port, '127.0.0.8', '/api/themes')
    expect(over.status).toBe(429)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + Number(over.headers['retry-after']) * 1000 + 1000)
    const again = await send(s.port, '127.0.0.8', '/api/themes')
    expect(again.status).toBe(200)
    expect(again.headers['ratelimit-remaining']).toBe('29')
  })

  it('in-process requests (no TCP peer: tests, tools) are not counted', async () => {
    for (let i = 0; i < 40; i++) expect((await s.services.app.request('/api/themes')).status).toBe(200)
  })
})

describe('behind a trusted proxy', () => {
  let s: Awaited<ReturnType<typeof boot>>
  beforeAll(async () => {
    s = await boot({ RATE_LIMIT_PER_MINUTE: '10', TRUSTED_PROXIES: 'loopback' })
  })
  afterAll(() => s.stop())

  const via = (xff: string) => send(s.port, '127.0.0.1', '/api/themes', { headers: { 'x-forwarded-for': xff } })

  it('counts per X-Forwarded-For client, right to left: a forged left part does not help', async () => {
    for (let i = 0; i < 10; i++) expect((await via('198.51.100.1')).status).toBe(200)
    expect((await via('198.51.100.1')).status).toBe(429)
    expect((await via('203.0.113.5, 198.51.100.1')).status).toBe(429)
    expect((await via('198.51.100.2')).status).toBe(200)
  })

  it('counts an IPv6 client by its /64', async () => {
    for (let i = 0; i < 10; i++) expect((await via(`2001:db8:0:1::${i + 1}`)).status).toBe(200)
    expect((await via('2001:db8:0:1:ffff::77')).status).toBe(429)
    expect((await via('2001:db8:0:2::1')).status).toBe(200)
    expect(clientKey('2001:db8:0:1:ffff::77')).toBe('2001:db8:0:1::/64')
    expect(clientKey('198.51.100.1')).toBe('198.51.100.1')
  })
})

describe('RATE_LIMIT_PER_MINUTE=0', () => {
  it('turns every limit off, the chat one included', async () => {
    const s = await boot({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_CHAT_PER_MINUTE: '1' })
    try {
      for (let i = 0; i < 150; i++) {
        const r = await send(s.port, '127.0.0.9', '/api/themes')
        expect(r.status).toBe(200)
        expect(r.headers['ratelimit-limit']).toBeUndefined()
      }
      for (let i = 0; i < 5; i++) expect((await send(s.port, '127.0.0.9', '/api/chat', chatBody('bonjour'))).status).toBe(200)
    } finally {
      await s.stop()
    }
  })

  it('the variables are checked at start-up, naming the one at fault; empty means the default', () => {
    expect(() => parseConfig({ RATE_LIMIT_PER_MINUTE: '-1' })).toThrow(/RATE_LIMIT_PER_MINUTE/)
    expect(() => parseConfig({ RATE_LIMIT_CHAT_PER_MINUTE: 'beaucoup' })).toThrow(/RATE_LIMIT_CHAT_PER_MINUTE/)
    expect(() => parseConfig({ SESSION_MAX_PER_CLIENT: '0' })).toThrow(/SESSION_MAX_PER_CLIENT/)
    const defaults = parseConfig({ RATE_LIMIT_PER_MINUTE: '' })
    expect(defaults).toMatchObject({ RATE_LIMIT_PER_MINUTE: 120, RATE_LIMIT_CHAT_PER_MINUTE: 20, RATE_LIMIT_WRITE_PER_MINUTE: 10, RATE_LIMIT_TEAMS_PER_MINUTE: 600, SESSION_MAX_PER_CLIENT: 50 })
  })
})
