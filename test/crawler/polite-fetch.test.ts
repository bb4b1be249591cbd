// The polite fetcher against a real HTTP server on 127.0.0.1: robots.txt (our group, a
// Disallow, a Crawl-delay), ETag and Last-Modified 304s, 429 with Retry-After, 503 then 200, a
// 404 never retried, timeouts, one request at a time per host. Backoff waits are recorded and
// cut short, so the suite stays fast.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { SourceUnavailableError } from '../../core/errors.ts'
import { createMemoryConditionalCache } from '../../crawler/fetch/conditional-cache.ts'
import { HttpStatusError, RobotsDisallowedError } from '../../crawler/fetch/fetch-errors.ts'
import { createPoliteFetch, retryAfterMs, type PoliteFetchOptions } from '../../crawler/fetch/polite-fetch.ts'

const UA = 'GuichetBot/0.1 (+https://example.org/guichet)'

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void

interface TestServer {
  base: string
  hits: Map<string, number>
  log: { path: string; start: number; end: number; headers: IncomingMessage['headers'] }[]
  routes: Map<string, Handler>
  close(): Promise<void>
}

async function startServer(routes: Record<string, Handler>): Promise<TestServer> {
  const hits = new Map<string, number>()
  const log: TestServer['log'] = []
  const table = new Map(Object.entries(routes))
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    const hit = (hits.get(path) ?? 0) + 1
    hits.set(path, hit)
    const entry = { path, start: performance.now(), end: 0, headers: req.headers }
    log.push(entry)
    res.on('finish', () => (entry.end = performance.now()))
    const handler = table.get(path)
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('absent')
      return
    }
    handler(req, res, hit)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    base: `http://127.0.0.1:${port}`,
    hits,
    log,
    routes: table,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

const ROBOTS = ['User-agent: *', 'Disallow: /', '', 'User-agent: GuichetBot', 'Disallow: /private/', 'Allow: /private/open', 'Crawl-delay: 0.05', ''].join('\n')

let server: TestServer
let waits: number[]

/** Records every wait and sleeps at most 60 ms: Crawl-delay (50 ms) is real, backoffs are cut short. */
const recordingSleep = (ms: number) => {
  waits.push(ms)
  return new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 60)))
}

function polite(over: Partial<PoliteFetchOptions> = {}) {
  return createPoliteFetch({ userAgent: UA, perHostDelayMs: 0, timeoutMs: 2_000, maxRetries: 3, backoffBaseMs: 100, sleep: recordingSleep, random: () => 0.5, cache: createMemoryConditionalCache(), ...over })
}

beforeAll(async () => {
  server = await startServer({
    '/robots.txt': (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(ROBOTS),
    '/ua': (req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(req.headers['user-agent']),
    '/private/open': (_req, res) => res.writeHead(200).end('ouvert'),
    '/etag': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304, { etag: '"v1"' }).end()
      res.writeHead(200, { etag: '"v1"', 'content-type': 'application/json' }).end('{"version":1}')
    },
    '/lastmod': (req, res) => {
      const lm = 'Sat, 28 Feb 2026 08:00:00 GMT'
      if (req.headers['if-modified-since'] === lm) return void res.writeHead(304).end()
      res.writeHead(200, { 'last-modified': lm }).end('daté')
    },
    '/429': (_req, res, hit) => (hit === 1 ? res.writeHead(429, { 'retry-after': '2' }).end('trop vite') : res.writeHead(200).end('enfin')),
    '/503': (_req, res, hit) => (hit <= 2 ? res.writeHead(503).end('indisponible') : res.writeHead(200).end('rétabli')),
    '/500': (_req, res) => res.writeHead(500).end('panne'),
    '/410': (_req, res) => res.writeHead(410).end('parti'),
    '/retry-after-long': (_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end(),
    '/slow': (_req, res, hit) => {
      if (hit <= 1) setTimeout(() => res.writeHead(200).end('trop tard'), 1_500)
      else res.writeHead(200).end('à temps')
    },
    '/always-slow': (_req, res) => void setTimeout(() => res.writeHead(200).end('jamais à temps'), 1_500),
    '/latin1': (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=iso-8859-1' }).end(Buffer.from('<p>Région Île-de-France</p>', 'latin1')),
    '/serial': (_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 30),
  })
})

afterAll(() => server.close())

beforeEach(() => {
  waits = []
  server.hits.clear()
  server.log.length = 0
})

describe('polite fetch over real HTTP', () => {
  it('identifies itself and reads robots.txt once per host, honouring our group', async () => {
    const fetch = polite()
    expect((await fetch({ url: `${server.base}/ua` })).body).toBe(UA)
    expect((await fetch({ url: `${server.base}/private/open` })).body).toBe('ouvert')
    await expect(fetch({ url: `${server.base}/private/secret` })).rejects.toBeInstanceOf(RobotsDisallowedError)
    expect(server.hits.get('/robots.txt')).toBe(1)
    expect(server.hits.get('/private/secret')).toBeUndefined()
  })

  it('waits at least robots.txt Crawl-delay (50 ms) between two requests to the host', async () => {
    const fetch = polite()
    await fetch({ url: `${server.base}/ua` })
    await fetch({ url: `${server.base}/private/open` })
    const [, first, second] = server.log
    expect(second!.start - first!.end).toBeGreaterThanOrEqual(40)
  })

  it('sends one request at a time per host, in order, with the configured delay between them', async () => {
    const fetch = polite({ robots: false, perHostDelayMs: 20, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) })
    await Promise.all([1, 2, 3].map((n) => fetch({ url: `${server.base}/serial?n=${n}` })))
    const calls = server.log.filter((l) => l.path === '/serial')
    expect(calls).toHaveLength(3)
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.start - calls[i - 1]!.end).toBeGreaterThanOrEqual(15)
  })

  it('turns an unchanged page into a 304 with ETag, and with Last-Modified', async () => {
    const fetch = polite()
    const first = await fetch({ url: `${server.base}/etag` })
    expect(first).toMatchObject({ status: 200, notModified: false, body: '{"version":1}' })
    const second = await fetch({ url: `${server.base}/etag` })
    expect(second).toMatchObject({ status: 304, notModified: true, body: '{"version":1}', contentType: 'application/json' })
    expect(server.log.filter((l) => l.path === '/etag')[1]!.headers['if-none-match']).toBe('"v1"')

    await fetch({ url: `${server.base}/lastmod` })
    expect(await fetch({ url: `${server.base}/lastmod` })).toMatchObject({ status: 304, notModified: true, body: 'daté' })
  })

  it('waits as long as Retry-After asks on a 429, then gets the page', async () => {
    const res = await polite()({ url: `${server.base}/429` })
    expect(res).toMatchObject({ status: 200, body: 'enfin', attempts: 2 })
    expect(waits).toContain(2_000)
  })

  it('retries 503 with exponential backoff and jitter, then succeeds', async () => {
    const res = await polite()({ url: `${server.base}/503` })
    expect(res).toMatchObject({ body: 'rétabli', attempts: 3 })
    // base 100 ms: 100 then 200 ms, each between half and all of it (random = 0.5 → three quarters).
    expect(waits.filter((w) => w >= 50)).toEqual([75, 150])
  })

  it('gives up with SourceUnavailableError after the retries on a lasting 5xx', async () => {
    await expect(polite({ maxRetries: 2 })({ url: `${server.base}/500` })).rejects.toThrow(SourceUnavailableError)
    expect(server.hits.get('/500')).toBe(3)
  })

  it('never retries a 404 or a 410', async () => {
    const fetch = polite()
    await expect(fetch({ url: `${server.base}/absent` })).rejects.toMatchObject({ name: 'HttpStatusError', status: 404 })
    await expect(fetch({ url: `${server.base}/410` })).rejects.toBeInstanceOf(HttpStatusError)
    expect(server.hits.get('/absent')).toBe(1)
    expect(server.hits.get('/410')).toBe(1)
  })

  it('stops at once when Retry-After is longer than the run can wait', async () => {
    await expect(polite()({ url: `${server.base}/retry-after-long` })).rejects.toThrow(/Retry-After 3600 s/)
    expect(server.hits.get('/retry-after-long')).toBe(1)
  })

  it('times out a slow answer and retries it', async () => {
    const res = await polite({ timeoutMs: 500 })({ url: `${server.base}/slow` })
    expect(res).toMatchObject({ body: 'à temps', attempts: 2 })
    await expect(polite({ timeoutMs: 200, maxRetries: 1 })({ url: `${server.base}/always-slow` })).rejects.toThrow(/délai dépassé \(200 ms\) après 2 tentative/)
  })

  it('decodes the charset the server names', async () => {
    expect((await polite()({ url: `${server.base}/latin1` })).body).toBe('<p>Région Île-de-France</p>')
  })

  it('treats a robots.txt that answers 5xx as "disallow all" until the next run, and a 404 as "allow all"', async () => {
    const down = await startServer({ '/robots.txt': (_req, res) => res.writeHead(503).end(), '/page': (_req, res) => res.writeHead(200).end('x') })
    try {
      await expect(polite({ maxRetries: 1 })({ url: `${down.base}/page` })).rejects.toThrow(/robots\.txt .* injoignable/)
      expect(down.hits.get('/page')).toBeUndefined()
      down.routes.set('/robots.txt', (_req, res) => res.writeHead(404).end())
      expect((await polite()({ url: `${down.base}/page` })).body).toBe('x')
    } finally {
      await down.close()
    }
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-01T08:00:00Z')
    expect(retryAfterMs('120', now)).toBe(120_000)
    expect(retryAfterMs('Sun, 01 Mar 2026 08:00:30 GMT', now)).toBe(30_000)
    expect(retryAfterMs('bientôt', now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
  })
})
