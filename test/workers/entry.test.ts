// The Workers entry (runtime/workers/index.ts) as Cloudflare calls it — its default export's
// fetch(request, env, ctx) — after the build step wrangler runs (runtime/workers/build.ts): the
// widget is served from the script built at build time (no esbuild at request time), and the
// home page, a match and a chat conversation over two requests answer.
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'

type Worker = { fetch(request: Request, env: Record<string, string>, ctx: unknown): Promise<Response> }
const ENV = { GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error' }
let worker: Worker
const call = (path: string, init?: RequestInit) => worker.fetch(new Request(`https://guichet.example.workers.dev${path}`, init), ENV, {})

beforeAll(async () => {
  const built = await buildWorkersAssets()
  expect(built.programmes).toBeGreaterThan(50)
  worker = (await import('../../runtime/workers/index.ts')).default as Worker
}, 60_000)

describe('the Workers entry, after its build step', () => {
  it('serves /widget.js from the script built at build time', async () => {
    const res = await call('/widget.js', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/javascript/)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const plain = await call('/widget.js')
    const text = await plain.text()
    expect(text.startsWith('/* Guichet widget */')).toBe(true)
    expect(text.length).toBeGreaterThan(10_000)
    // Exactly the build step's script: nothing was bundled at request time.
    expect(text).toBe((JSON.parse(readFileSync(new URL('../../runtime/workers/widget.generated.json', import.meta.url), 'utf8')) as { script: string }).script)
  })

  it('answers the home page, a match, and a chat conversation carried over two requests', async () => {
    expect((await call('/')).status).toBe(200)
    const match = (await (await call('/api/match?commune=18197&applicant=commune&q=' + encodeURIComponent('rénovation énergétique de l\'école'))).json()) as { results: { id: string }[] }
    expect(match.results.length).toBeGreaterThan(0)
    const first = (await (await call('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7' }, body: JSON.stringify({ text: 'Rénover l\'école de Saint-Amand-Montrond' }) })).json()) as { sessionId: string; question?: { slot: string } }
    expect(first.sessionId).toBeTruthy()
    const second = await call('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7' }, body: JSON.stringify({ sessionId: first.sessionId, text: 'la commune' }) })
    expect(second.status).toBe(200)
    const body = (await second.json()) as { sessionId: string; messages: { text: string }[] }
    expect(body.sessionId).toBe(first.sessionId)
    expect(body.messages.length).toBeGreaterThan(0)
  })

  it('serves an OpenAPI document of the routes it has: no back office, alerts, crawl or Teams', async () => {
    const doc = (await (await call('/api/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(doc.paths)).toContain('/api/match')
    expect(Object.keys(doc.paths)).toContain('/widget.js')
    for (const gone of ['/api/admin/login', '/api/subscriptions', '/api/crawl/runs', '/api/messages']) expect(Object.keys(doc.paths)).not.toContain(gone)
    expect((await call('/api/admin/login', { method: 'POST' })).status).toBe(404)
  })
})
