// The crawl on Workers (runtime/workers/crawl.ts) through the Worker's scheduled handler
// (runtime/workers/scheduled.ts, given the services of the Workers entry after its build step as
// the entry's scheduled() gives them) with env.DB a real D1 (Miniflare's workerd) and the crawler's
// network injected: the recorded responses of test/crawler/replay (what `npm run crawl -- --replay`
// serves). One source per invocation, in registry order the first night, each under the D1 crawl
// lease; a source without its secrets is never picked; the crawled programmes land in D1, the
// catalogue version (meta.catalogue_changed_at) moves and another isolate serves them; a source that
// fails keeps its programmes; an invocation that finds the lease held does nothing.
import { readFileSync } from 'node:fs'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CREDENTIAL_ENV_NAMES } from '../../crawler/crawl-options.ts'
import type { CrawlRun } from '../../crawler/crawl-store.ts'
import type { FetchLike } from '../../crawler/fetch/polite-fetch.ts'
import { SOURCES } from '../../crawler/sources/index.ts'
import { loadReplayFetch } from '../../runtime/node/crawl-replay.ts'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'
import type { D1Like } from '../../runtime/workers/d1-database.ts'
import { CRONS, runScheduled, type ScheduledServices } from '../../runtime/workers/scheduled.ts'

let mf: Miniflare
let DB: D1Like
let env: Record<string, string>
let services: ScheduledServices
type Entry = { default: { fetch(request: Request, env: object, ctx: unknown): Promise<Response> }; servicesFor(env: object): Promise<ScheduledServices & { freshness: { rebuild: ScheduledServices['catalogues']['rebuild'] } }> }
/** Another isolate of the Worker, composed before the crawls. */
let other: Entry
const replay = loadReplayFetch(new URL('../crawler/replay', import.meta.url).pathname)
/** The crawl lease's owner seen at each request the crawler made. */
let ownersSeen: string[] = []

const rows = async <T>(query: string, ...params: unknown[]) => ((await DB.prepare(query).bind(...params).all()).results ?? []) as T[]
const leaseOwner = async () => (await rows<{ owner: string }>("SELECT owner FROM job_leases WHERE name = 'crawl'"))[0]?.owner ?? null
const lastRun = async () => {
  const [r] = await rows<{ id: string; trigger: string; status: CrawlRun['status']; sources: string }>('SELECT * FROM crawl_runs ORDER BY seq DESC LIMIT 1')
  return r ? { ...r, sources: JSON.parse(r.sources) as CrawlRun['sources'] } : undefined
}
const runCount = async () => (await rows<{ n: number }>('SELECT COUNT(*) AS n FROM crawl_runs'))[0]!.n
const changedAt = async () => (await rows<{ value: string }>("SELECT value FROM meta WHERE key = 'catalogue_changed_at'"))[0]?.value ?? null
const programmesOf = (sourceId: string) => rows<{ id: string; last_seen: string; stale: number }>('SELECT id, last_seen, stale FROM crawl_programmes WHERE source_id = ? ORDER BY id', sourceId)

/** The recorded responses, except for the pages of the host told to fail (503; its robots.txt answers), noting who holds the lease at each request. */
function network(failingHost?: string): FetchLike {
  return async (url, init) => {
    ownersSeen.push((await leaseOwner()) ?? 'none')
    if (failingHost && new URL(url).host === failingHost && new URL(url).pathname !== '/robots.txt') return new Response('Service Unavailable', { status: 503 })
    return replay(url, init)
  }
}

/** One Cron Trigger invocation of the crawl at `at` (wall time). */
async function invoke(at: string, fetch = network()): Promise<void> {
  ownersSeen = []
  await runScheduled(services, { cron: CRONS.crawl, scheduledTime: Date.parse(at) }, { vars: env, fetch, now: () => new Date(at), clock: { now: () => new Date(at) }, fetchOptions: { sleep: async () => {} } })
}

const minutesAfter = (start: string, minutes: number) => new Date(Date.parse(start) + minutes * 60_000).toISOString()

beforeAll(async () => {
  await buildWorkersAssets()
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  DB = (await mf.getD1Database('DB')) as unknown as D1Like
  // The Worker's secrets, under the Node names; Welcome Europe's key is not set.
  const secrets = Object.fromEntries(CREDENTIAL_ENV_NAMES.filter((name) => name !== 'WELCOME_EUROPE_API_KEY').map((name) => [name, `secret-${name.toLowerCase()}`]))
  env = { GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true', WORKERS_CATALOGUE_CHECK_SECONDS: '0', ...secrets }
  const entry = (await import('../../runtime/workers/index.ts')) as unknown as Entry
  const s = await entry.servicesFor({ ...env, DB })
  // As the entry's scheduled() passes them: the rebuild that records the catalogue version it read.
  services = { ...s, catalogues: { rebuild: s.freshness.rebuild } }
  vi.resetModules()
  other = (await import('../../runtime/workers/index.ts')) as unknown as Entry
  expect((await other.default.fetch(new Request('https://guichet.example.workers.dev/'), { ...env, DB }, {})).status).toBe(200)
}, 90_000)
afterAll(async () => mf?.dispose())

describe('the crawl on Workers, one source per Cron Trigger invocation', () => {
  const night = '2026-03-01T00:00:00.000Z'
  const crawlable = SOURCES.map((s) => s.id).filter((id) => id !== 'welcome-europe')

  it('crawls the next source at each invocation under the lease, lands its programmes in D1, moves the meta key; then is done for the night', async () => {
    expect(crawlable).toHaveLength(SOURCES.length - 1)
    const versions = [await changedAt()]
    for (const [i, sourceId] of crawlable.entries()) {
      const at = minutesAfter(night, 10 * i)
      await invoke(at)
      const run = (await lastRun())!
      expect(run.sources.map((s) => [s.sourceId, s.status])).toEqual([[sourceId, 'ok']])
      expect(run).toMatchObject({ trigger: 'cron', status: 'ok' })
      // Every request of the run was made while the run held the crawl lease; it was released after.
      expect(ownersSeen.length).toBeGreaterThan(0)
      expect(new Set(ownersSeen)).toEqual(new Set([run.id]))
      expect(await leaseOwner()).toBeNull()
      const stored = await programmesOf(sourceId)
      expect(stored.length).toBe(run.sources[0]!.programmes)
      expect(stored.length).toBeGreaterThan(0)
      expect(stored.every((p) => p.last_seen === at)).toBe(true)
      expect(await changedAt()).not.toBe(versions.at(-1))
      versions.push(await changedAt())
    }
    expect(await runCount()).toBe(crawlable.length)
    // Every source with its secrets was crawled tonight: the next invocations do nothing.
    const lastChange = await changedAt()
    await invoke(minutesAfter(night, 10 * crawlable.length))
    expect(await runCount()).toBe(crawlable.length)
    expect(ownersSeen).toEqual([])
    expect(await changedAt()).toBe(lastChange)
    expect(await programmesOf('welcome-europe')).toEqual([])
    // The isolate composed before the crawls serves a crawled programme the bundled catalogue lacks.
    const bundled = new Set((JSON.parse(readFileSync(new URL('../../runtime/workers/catalogue.generated.json', import.meta.url), 'utf8')) as { id: string }[]).map((p) => p.id))
    const [fresh] = (await rows<{ id: string; json: string }>("SELECT id, json FROM crawl_programmes WHERE source_id = 'eu-sedia' ORDER BY id")).filter((r) => !bundled.has(r.id))
    const res = await other.default.fetch(new Request(`https://guichet.example.workers.dev/api/programmes/${encodeURIComponent(fresh!.id)}`), { ...env, DB }, {})
    expect(res.status).toBe(200)
    expect(((await res.json()) as { programme: { name: string } }).programme.name).toBe((JSON.parse(fresh!.json) as { name: string }).name)
  })

  it('the next night, a source that fails keeps its programmes and leaves the meta key; the next source moves it again', async () => {
    const next = '2026-03-02T00:00:00.000Z'
    const before = await programmesOf('aides-territoires')
    const lastChange = await changedAt()
    await invoke(next, network('aides-territoires.beta.gouv.fr'))
    const failed = (await lastRun())!
    expect(failed.sources.map((s) => [s.sourceId, s.status])).toEqual([['aides-territoires', 'failed']])
    expect(failed.sources[0]!.errors[0]).toMatch(/503/)
    expect(await programmesOf('aides-territoires')).toEqual(before)
    expect(await rows("SELECT source_id, consecutive_failures FROM crawl_sources WHERE source_id = 'aides-territoires'")).toEqual([{ source_id: 'aides-territoires', consecutive_failures: 1 }])
    expect(await changedAt()).toBe(lastChange)
    await invoke(minutesAfter(next, 10))
    expect((await lastRun())!.sources.map((s) => [s.sourceId, s.status])).toEqual([['eu-sedia', 'ok']])
    expect(await changedAt()).not.toBe(lastChange)
  })

  it('does nothing while another run holds the crawl lease, and goes on once it is free', async () => {
    const at = '2026-03-02T00:20:00.000Z'
    await DB.prepare("INSERT INTO job_leases (name, owner, host, pid, boot_id, acquired_at, renewed_at, expires_at) VALUES ('crawl', 'another-run', 'workers', 0, 'x', ?, ?, ?)").bind(at, at, Date.parse(at) + 3_600_000).all()
    const runs = await runCount()
    await invoke(at)
    expect(await runCount()).toBe(runs)
    expect(ownersSeen).toEqual([])
    expect(await leaseOwner()).toBe('another-run')
    expect(await rows("SELECT source_id FROM crawl_cursor WHERE picked_at >= '2026-03-02'")).toHaveLength(2)
    await DB.prepare("DELETE FROM job_leases WHERE name = 'crawl'").all()
    await invoke(minutesAfter(at, 10))
    expect((await lastRun())!.sources.map((s) => [s.sourceId, s.status])).toEqual([['ademe-agir', 'ok']])
  })
  it('leaves out a source an admin switched off in the back office, as the Node crawler does', async () => {
    const night3 = '2026-03-03T00:00:00.000Z'
    await DB.prepare("INSERT INTO admin_settings (key, value, updated_at) VALUES ('source:eu-sedia:enabled', '0', ?)").bind(night3).all()
    const picked: string[] = []
    for (let i = 0; i <= crawlable.length; i++) {
      const runs = await runCount()
      await invoke(minutesAfter(night3, 10 * i))
      if ((await runCount()) > runs) picked.push((await lastRun())!.sources[0]!.sourceId)
    }
    expect([...picked].sort()).toEqual(crawlable.filter((id) => id !== 'eu-sedia').sort())
    await DB.prepare("DELETE FROM admin_settings WHERE key = 'source:eu-sedia:enabled'").all()
  })
})
