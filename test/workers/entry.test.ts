// The Workers entry (runtime/workers/index.ts) as Cloudflare calls it — its default export's
// fetch(request, env, ctx) and scheduled(controller, env) — after the build step wrangler runs
// (runtime/workers/build.ts), with env.DB a real D1 (Miniflare's workerd): the widget built at
// build time, the home page, a match, a conversation kept in D1 (carried over to a new isolate),
// the alerts' routes (webhook only: e-mail refused naming its field), the crawl runs and events read
// from the D1 crawl store (and the last run in /api/ready), and an OpenAPI document listing exactly
// the routes the Worker answers (the back office's API included: test/workers/admin.test.ts), each
// operation saying where it runs in the same words as the Node server's document.
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import type { Hono } from 'hono'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openApiDocument } from '../../bot/openapi.ts'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'
import type { D1Like } from '../../runtime/workers/d1-database.ts'
import { createD1CrawlStore } from '../../runtime/workers/crawl.ts'
import { CRONS } from '../../runtime/workers/scheduled.ts'

type Worker = { fetch(request: Request, env: object, ctx: unknown): Promise<Response>; scheduled(controller: { cron: string }, env: object): Promise<void> }
type Entry = { default: Worker; servicesFor(env: object): Promise<{ app: Hono }> }
let mf: Miniflare
let env: Record<string, unknown>
let entry: Entry
const call = (path: string, init?: RequestInit, e: object = env) => entry.default.fetch(new Request(`https://guichet.example.workers.dev${path}`, init), e, {})
const json = { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.7' }
/** A fresh module instance: what a new isolate of the same Worker starts from (nothing in memory, the same D1). */
const newIsolate = async () => {
  vi.resetModules()
  return (await import('../../runtime/workers/index.ts')) as unknown as Entry
}

beforeAll(async () => {
  const built = await buildWorkersAssets()
  expect(built.programmes).toBeGreaterThan(50)
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  env = { DB: (await mf.getD1Database('DB')) as unknown as D1Like, GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true' }
  entry = await newIsolate()
}, 60_000)
afterAll(async () => mf?.dispose())

describe('the Workers entry, after its build step, on D1', () => {
  it('serves /widget.js from the script built at build time, uncompressed (the Workers runtime compresses it once)', async () => {
    const res = await call('/widget.js', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/javascript/)
    expect(res.headers.get('content-encoding')).toBeNull()
    const text = await res.text()
    expect(text.startsWith('/* Guichet widget */')).toBe(true)
    // Exactly the build step's script: nothing was bundled at request time.
    expect(text).toBe((JSON.parse(readFileSync(new URL('../../runtime/workers/widget.generated.json', import.meta.url), 'utf8')) as { script: string }).script)
  })

  it('migrates D1 at its first request, and answers the home page and a match', async () => {
    const home = await call('/')
    expect(home.status).toBe(200)
    expect(await home.text()).toMatch(/financement/i)
    const DB = env['DB'] as D1Like
    const versions = ((await DB.prepare('SELECT version FROM schema_migrations').all()).results ?? []) as { version: number }[]
    expect(versions.length).toBeGreaterThanOrEqual(13)
    const match = (await (await call('/api/match?commune=18197&applicant=commune&q=' + encodeURIComponent('rénovation énergétique de l\'école'))).json()) as { results: { id: string }[] }
    expect(match.results.length).toBeGreaterThan(0)
  })

  it('keeps a conversation in D1: its second turn, sent to a new isolate, goes on from the first', async () => {
    const first = (await (await call('/api/chat', { method: 'POST', headers: json, body: JSON.stringify({ text: 'Je suis la mairie de Saint-Amand-Montrond' }) })).json()) as { sessionId: string; question?: { slot: string } }
    expect(first.sessionId).toBeTruthy()
    expect(first.question?.slot).toBe('themes')
    const stored = await (env['DB'] as D1Like).prepare('SELECT state FROM chat_sessions WHERE id = ?').bind(first.sessionId).all()
    expect(JSON.stringify(stored.results)).toContain('18197')
    const other = await newIsolate()
    const res = await other.default.fetch(new Request('https://guichet.example.workers.dev/api/chat', { method: 'POST', headers: json, body: JSON.stringify({ sessionId: first.sessionId, text: 'rénover l\'école' }) }), env, {})
    expect(res.status).toBe(200)
    const second = (await res.json()) as { sessionId: string; messages: { text: string }[]; results?: { id: string }[] }
    expect(second.sessionId).toBe(first.sessionId)
    // The answer is for the collectivité said in the first turn, read back from D1 by another isolate.
    expect(second.messages[0]!.text).toMatch(/^Pour Saint-Amand-Montrond \(18\)/)
    expect(second.results?.length).toBeGreaterThan(0)
  })

  it('refuses an e-mail subscription with a 400 naming channels.email (no e-mail on Workers), and serves the Atom feed', async () => {
    const res = await call('/api/subscriptions', { method: 'POST', headers: json, body: JSON.stringify({ collectivite: '18197', channels: { email: 'mairie@example.fr' } }) })
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { field: string; message: string } }
    expect(body.error.field).toBe('channels.email')
    expect(body.error.message).toMatch(/e-mail/)
    const rows = await (env['DB'] as D1Like).prepare('SELECT COUNT(*) AS n FROM alert_subscriptions').all()
    expect((rows.results as { n: number }[])[0]!.n).toBe(0)
    const feed = await call('/feeds/new.atom?themes=ecoles')
    expect(feed.status).toBe(200)
    expect(feed.headers.get('content-type')).toMatch(/atom\+xml/)
  })

  it('answers 503 on the routes that search when it has neither MEILI_HOST nor WORKERS_EMBEDDED_INDEX, and serves the others', async () => {
    const bare = await newIsolate()
    const noIndex = { ...env, WORKERS_EMBEDDED_INDEX: undefined }
    const at = (path: string, init?: RequestInit) => bare.default.fetch(new Request(`https://guichet.example.workers.dev${path}`, init), noIndex, {})
    const match = await at('/api/match?commune=18197')
    expect(match.status).toBe(503)
    expect(((await match.json()) as { error: { message: string } }).error.message).toMatch(/MEILI_HOST/)
    expect((await at('/api/chat', { method: 'POST', headers: json, body: '{"text":"bonjour"}' })).status).toBe(503)
    expect((await at('/?commune=18197')).status).toBe(503)
    expect((await at('/')).status).toBe(200)
    expect((await at('/api/programmes')).status).toBe(200)
  })
})

describe('the Workers OpenAPI document', () => {
  type Doc = { paths: Record<string, Record<string, { operationId: string; description?: string; 'x-node-only'?: boolean }>> }
  const toOpenApi = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')
  const keysOf = (doc: Doc) => new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)))
  const operation = (doc: Doc, key: string) => {
    const [method, path] = key.split(' ') as [string, string]
    return doc.paths[path]?.[method.toLowerCase()]
  }
  /** The Node server's document: every operation (test/bot/openapi-lint.test.ts checks that the Node app serves them all). */
  const nodeDoc = () => openApiDocument() as Doc

  it('lists exactly the operations the Worker answers: the routes it registers, less the crawl re-run it registers but answers 404', async () => {
    const doc = (await (await call('/api/openapi.json')).json()) as Doc
    const documented = keysOf(doc)
    const { app } = await entry.servicesFor(env)
    // The back office's French pages (/admin/…) are not part of the API; its JSON operations are.
    const routes = new Set(app.routes.filter((r) => !(r.method === 'ALL' && r.path.includes('*')) && !/^\/admin(\/|$)/.test(r.path)).map((r) => `${r.method} ${toOpenApi(r.path)}`))
    const undocumented = ['GET /', 'GET /demo', 'GET /favicon.svg', 'GET /favicon.ico', 'OPTIONS /api/chat', 'ALL /api/chat']
    expect([...documented].filter((k) => !routes.has(k)), 'operations the Worker does not register').toEqual([])
    // The one route left out is Node-only in the Node document (test/workers/admin.test.ts: it answers 404 « Relance indisponible » here).
    const left = [...routes].filter((k) => !documented.has(k) && !undocumented.includes(k))
    expect(left, 'routes missing from the document').toEqual(['POST /api/admin/sources/{id}/run'])
    expect(operation(nodeDoc(), left[0]!)?.['x-node-only']).toBe(true)
    for (const op of ['POST /api/subscriptions', 'GET /feeds/new.atom', 'GET /alerts/{id}/calendar.ics', 'GET /api/programmes/{id}/calendar.ics', 'GET /api/crawl/runs', 'GET /api/crawl/runs/{id}', 'GET /api/crawl/events']) expect(documented).toContain(op)
    for (const gone of ['/api/messages', '/api/admin/sources/pages', '/api/admin/sources/pages/{id}', '/api/admin/sources/pages/test', '/api/admin/sources/{id}/run']) expect(Object.keys(doc.paths)).not.toContain(gone)
    for (const op of ['POST /api/admin/login', 'PUT /api/admin/programmes/{id}/override', 'POST /api/admin/programmes/{id}/merge', 'GET /api/admin/audit', 'GET /api/admin/alerts', 'POST /api/admin/import', 'PUT /api/admin/sources/{id}']) expect(documented).toContain(op)
    // The back office answers behind its guard: no session, 401.
    expect((await call('/api/admin/programmes')).status).toBe(401)
  })

  it('says where each operation runs, alike in both documents: Node-only exactly where the Worker does not list it, the difference where it has one', async () => {
    const onWorkers = (await (await call('/api/openapi.json')).json()) as Doc
    const node = nodeDoc()
    const listed = keysOf(onWorkers)
    const nodeOnly: string[] = []
    for (const key of keysOf(node)) {
      const op = operation(node, key)!
      const said = op.description ?? ''
      if (listed.has(key)) {
        expect(op['x-node-only'], `${key} is served by the Worker`).toBeUndefined()
        expect(said, `${key} is served by the Worker`).not.toMatch(/Node server only/)
        // The same words in both documents, the difference on Workers included.
        expect(operation(onWorkers, key)!.description, key).toBe(op.description)
      } else {
        expect(said, `${key} is not served by the Worker`).toMatch(/Node server only: the Workers deployment does not serve it\./)
        expect(op['x-node-only'], key).toBe(true)
        nodeOnly.push(op.operationId)
      }
    }
    expect(nodeOnly.sort()).toEqual(['getPageSource', 'listPageSources', 'postTeamsActivity', 'runSource', 'savePageSource', 'testPageSource'])
    expect(operation(node, 'POST /api/subscriptions')!.description).toMatch(/On Cloudflare Workers: no e-mail nor Teams channel — a subscription asking for one is refused \(400 naming channels\.email or channels\.teamsConversationId\)/)
    expect(operation(node, 'POST /api/admin/login')!.description).toMatch(/On Cloudflare Workers: no unlock e-mail/)
    expect(operation(node, 'GET /api/crawl/runs')!.description).toMatch(/On Cloudflare Workers: the runs of its nightly Cron Trigger/)
    // A difference is said once: one note on Workers per operation at most.
    for (const key of listed) expect((operation(onWorkers, key)!.description ?? '').split('On Cloudflare Workers').length, key).toBeLessThanOrEqual(2)
  })

  it('passes Redocly\'s recommended ruleset without an error', async () => {
    const source = await (await call('/api/openapi.json')).text()
    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off' } })
    const problems = await lintFromString({ source, absoluteRef: 'https://guichet.example.workers.dev/api/openapi.json', config })
    expect(problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`)).toEqual([])
  })
})

describe('the crawl on Workers: its runs and events read from the D1 crawl store, the last run in the readiness', () => {
  it('reports no crawl before a run, then the run the D1 store recorded: GET /api/crawl/* and /api/ready', async () => {
    const before = (await (await call('/api/ready')).json()) as { checks: { crawl: unknown } }
    expect(before.checks.crawl).toEqual({ lastEndedAt: null, status: null, ageHours: null })
    const store = createD1CrawlStore(env['DB'] as D1Like)
    const run = { id: 'run-workers-entry', trigger: 'cron', startedAt: '2026-02-28T02:00:00.000Z', endedAt: null, durationMs: null, status: 'running' as const, sources: [], errors: [] }
    await store.startRun(run)
    // A run still going is not the last crawl.
    expect(((await (await call('/api/ready')).json()) as { checks: { crawl: unknown } }).checks.crawl).toEqual({ lastEndedAt: null, status: null, ageHours: null })
    await store.finishRun({ ...run, endedAt: '2026-02-28T02:10:00.000Z', durationMs: 600_000, status: 'partial' })

    const runs = await call('/api/crawl/runs?limit=5')
    expect(runs.status).toBe(200)
    expect(((await runs.json()) as { runs: { id: string; status: string }[] }).runs.map((r) => [r.id, r.status])).toEqual([['run-workers-entry', 'partial']])
    const one = await call('/api/crawl/runs/run-workers-entry')
    expect(one.status).toBe(200)
    expect(((await one.json()) as { run: { endedAt: string } }).run.endedAt).toBe('2026-02-28T02:10:00.000Z')
    expect((await call('/api/crawl/runs/nope')).status).toBe(404)
    const events = await call('/api/crawl/events?since=2026-02-01T00:00:00Z')
    expect(events.status).toBe(200)
    expect(((await events.json()) as { events: unknown[] }).events).toEqual([])
    const bad = await call('/api/crawl/events?since=hier')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('since')

    const ready = await call('/api/ready')
    expect(ready.status).toBe(200)
    // GUICHET_NOW=2026-03-01 is 2026-03-01T08:00Z: 29 h 50 after the run ended, rounded.
    expect(((await ready.json()) as { checks: { crawl: unknown } }).checks.crawl).toEqual({ lastEndedAt: '2026-02-28T02:10:00.000Z', status: 'partial', ageHours: 30 })
  })
})

describe('the alerts on Workers: a webhook and the digest\'s Cron Trigger, under the D1 lease', () => {
  let receiver: Server
  const received: { type: string; subscriptionId: string }[] = []
  let hook: string
  let alertsEnv: Record<string, unknown>
  beforeAll(async () => {
    receiver = createServer(async (req, res) => {
      let text = ''
      for await (const chunk of req) text += chunk
      const body = JSON.parse(text) as { type: string; subscriptionId: string; challenge?: string }
      received.push(body)
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body.type === 'confirmation' ? { challenge: body.challenge } : {}))
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
    hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
    alertsEnv = { ...env, ALERTS_WEBHOOK_ALLOW_PRIVATE: 'true', GUICHET_PUBLIC_URL: 'https://guichet.example.fr' }
  })
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())))

  it('confirms the webhook at subscription, skips the digest while another run holds the lease, then delivers it once', async () => {
    const isolate = await newIsolate()
    const res = await isolate.default.fetch(new Request('https://guichet.example.workers.dev/api/subscriptions', { method: 'POST', headers: json, body: JSON.stringify({ collectivite: '18197', applicantType: 'commune', leadTimes: [90], channels: { webhookUrl: hook } }) }), alertsEnv, {})
    expect(res.status).toBe(201)
    const created = (await res.json()) as { id: string; icsUrl: string; webhookConfirmation: { status: string } }
    expect(created.webhookConfirmation.status).toBe('confirmed')
    expect(created.icsUrl.startsWith('https://guichet.example.fr/alerts/')).toBe(true)
    const ics = await isolate.default.fetch(new Request(created.icsUrl), alertsEnv, {})
    expect(ics.status).toBe(200)
    expect(ics.headers.get('content-type')).toMatch(/text\/calendar/)
    expect(await ics.text()).toMatch(/^BEGIN:VCALENDAR/)
    const DB = alertsEnv['DB'] as D1Like
    const now = new Date().toISOString()
    await DB.prepare("INSERT INTO job_leases (name, owner, host, pid, boot_id, acquired_at, renewed_at, expires_at) VALUES ('digest', 'another-run', 'workers', 0, 'x', ?, ?, ?)").bind(now, now, Date.now() + 3_600_000).all()
    await isolate.default.scheduled({ cron: CRONS.digest }, alertsEnv)
    expect(received.filter((r) => r.subscriptionId === created.id).map((r) => r.type)).toEqual(['confirmation'])
    await DB.prepare("DELETE FROM job_leases WHERE name = 'digest'").all()
    await isolate.default.scheduled({ cron: CRONS.digest }, alertsEnv)
    await isolate.default.scheduled({ cron: CRONS.digest }, alertsEnv)
    expect(received.filter((r) => r.subscriptionId === created.id).map((r) => r.type)).toEqual(['confirmation', 'guichet.alerts.digest'])
  })
})

describe('the Cron Triggers', () => {
  it('wrangler.toml declares exactly the crons the scheduled handler runs', () => {
    const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8')
    const crons = JSON.parse(/^crons\s*=\s*(\[.*\])$/m.exec(toml)![1]!) as string[]
    expect(crons.sort()).toEqual(Object.values(CRONS).sort())
  })

  it('refuses a cron it does not know rather than doing nothing', async () => {
    await expect(entry.default.scheduled({ cron: '* * * * *' }, env)).rejects.toThrow(/Cron Trigger inconnu/)
    await entry.default.scheduled({ cron: CRONS.purge }, env)
  })
})
