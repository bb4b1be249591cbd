// The crawl's Cron Trigger in workerd itself: the Worker as wrangler bundles it (`wrangler deploy
// --dry-run`, the build step first), run by Miniflare with a D1 and its secrets, every outbound
// fetch of the Worker answered from the recorded responses of test/crawler/replay (Miniflare's
// outboundService, the Worker's code unchanged). Two invocations crawl two sources — the first
// through Aides-territoires' token exchange (a POST with the secret) — their programmes land in
// D1 with the run records, the catalogue version moves, and the Worker serves a crawled programme.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Miniflare, Response as MiniflareResponse, type Request as MiniflareRequest } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CREDENTIAL_ENV_NAMES } from '../../crawler/crawl-options.ts'
import { loadReplayFetch } from '../../runtime/node/crawl-replay.ts'
import { CRONS } from '../../runtime/workers/scheduled.ts'

const replay = loadReplayFetch(new URL('../crawler/replay', import.meta.url).pathname)
const outbound: { method: string; url: string; auth: string | null }[] = []
let mf: Miniflare
let out: string

type D1 = { prepare(q: string): { all(): Promise<{ results?: unknown[] }> } }
const rows = async <T>(query: string) => ((await ((await mf.getD1Database('DB')) as unknown as D1).prepare(query).all()).results ?? []) as T[]

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'guichet-workerd-crawl-'))
  await promisify(execFile)('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', out], { cwd: new URL('../..', import.meta.url).pathname, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, timeout: 180_000 })
  const secrets = Object.fromEntries(CREDENTIAL_ENV_NAMES.map((name) => [name, `secret-${name.toLowerCase()}`]))
  mf = new Miniflare({
    // Declared, not walked: the bundle keeps a dynamic import (the widget's esbuild, never reached on Workers).
    modules: [{ type: 'ESModule', path: join(out, 'index.js') }],
    modulesRoot: out,
    compatibilityDate: '2025-09-01',
    compatibilityFlags: ['nodejs_compat'],
    d1Databases: ['DB'],
    bindings: { LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true', WORKERS_CATALOGUE_CHECK_SECONDS: '0', ...secrets },
    outboundService: async (request: MiniflareRequest) => {
      outbound.push({ method: request.method, url: request.url, auth: request.headers.get('x-auth-token') })
      const headers: Record<string, string> = {}
      request.headers.forEach((value, name) => (headers[name] = value))
      const body = request.method === 'GET' ? undefined : await request.text()
      const res = await replay(request.url, { method: request.method, headers, ...(body === undefined ? {} : { body }) })
      const answer: Record<string, string> = {}
      res.headers.forEach((value, name) => (answer[name] = value))
      return new MiniflareResponse(await res.text(), { status: res.status, headers: answer })
    },
  })
}, 240_000)
afterAll(async () => {
  await mf?.dispose()
  if (out) rmSync(out, { recursive: true, force: true })
})

describe('the crawl Cron Trigger in workerd (the bundled Worker)', () => {
  it('crawls one source per invocation from the recorded responses, into D1, and serves what it crawled', async () => {
    const worker = (await mf.getWorker()) as unknown as { scheduled(options: { cron: string; scheduledTime?: Date }): Promise<unknown> }
    await worker.scheduled({ cron: CRONS.crawl, scheduledTime: new Date() })
    const exchange = outbound.find((r) => r.method === 'POST')
    expect(exchange).toMatchObject({ url: 'https://aides-territoires.beta.gouv.fr/api/connexion/', auth: 'secret-at_api_token' })
    await worker.scheduled({ cron: CRONS.crawl, scheduledTime: new Date() })
    const runs = await rows<{ status: string; trigger: string; sources: string }>('SELECT status, trigger, sources FROM crawl_runs ORDER BY seq')
    expect(runs.map((r) => [r.trigger, r.status, (JSON.parse(r.sources) as { sourceId: string }[]).map((s) => s.sourceId)])).toEqual([
      ['cron', 'ok', ['aides-territoires']],
      ['cron', 'ok', ['eu-sedia']],
    ])
    const counts = await rows<{ source_id: string; n: number }>('SELECT source_id, COUNT(*) AS n FROM crawl_programmes GROUP BY source_id ORDER BY source_id')
    expect(counts.map((c) => c.source_id)).toEqual(['aides-territoires', 'eu-sedia'])
    expect(counts.every((c) => c.n > 0)).toBe(true)
    expect(await rows("SELECT name FROM job_leases WHERE name = 'crawl'")).toEqual([])
    expect(await rows("SELECT value FROM meta WHERE key = 'catalogue_changed_at'")).toHaveLength(1)
    const bundled = new Set((JSON.parse(readFileSync(new URL('../../runtime/workers/catalogue.generated.json', import.meta.url), 'utf8')) as { id: string }[]).map((p) => p.id))
    const [fresh] = (await rows<{ id: string; json: string }>("SELECT id, json FROM crawl_programmes WHERE source_id = 'eu-sedia' ORDER BY id")).filter((r) => !bundled.has(r.id))
    const res = await mf.dispatchFetch(`https://guichet.example.workers.dev/api/programmes/${encodeURIComponent(fresh!.id)}`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { programme: { name: string } }).programme.name).toBe((JSON.parse(fresh!.json) as { name: string }).name)
  }, 120_000)
})
