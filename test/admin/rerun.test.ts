// The back office's « Relancer maintenant » over HTTP, with the real Node composition: the real
// crawler reads recorded responses (a replay manifest over test/fixtures/sources), the crawl runs
// and leases live in the real SQLite file. The re-run reports how its run really ended — ok for
// a source that answers, « erreur » for one that answers 500 or was never recorded, « en cours »
// then its end when it outlasts the wait, « déjà en cours » while another run holds the lease —
// and a run left « en cours » by a dead process shows « interrompu » after a restart.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { INTERRUPTED_RUN_ERROR, type CrawlRun } from '../../crawler/crawl-store.ts'
import { parseCrawlOptions } from '../../crawler/crawl-options.ts'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'
import { createLeases, THIS_PROCESS } from '../../runtime/node/lease.ts'
import { startServices } from '../helpers/node-services.ts'
import { PASSWORD, login } from './harness.ts'

const FIXTURES = resolve(import.meta.dirname, '../fixtures/sources')
const IDF_URL = 'https://mesdemarches.iledefrance.fr/guide-des-aides/api/public/tenants/cridfprd/aides?top=2500'
const CULTURE_URL = 'https://www.culture.gouv.fr/api/online-procedures?limit=20&offset=0'

let data = ''
let replay = ''
type Services = Awaited<ReturnType<typeof startServices>>
let s: Services
let session: { cookie: string; csrf: string }

async function start(options: { rerunWaitMs?: number } = {}): Promise<Services> {
  const services = await startServices({ GUICHET_DATA_DIR: data }, {
    hasher: createScryptHasher({ N: 1024 }),
    admin: { clientIp: () => '10.0.0.1' },
    // No retry: the recorded 500 fails the source at once.
    crawl: parseCrawlOptions({ CRAWL_MAX_RETRIES: '0' }),
    crawlReplayDir: replay,
    ...options,
  })
  return services
}

async function signIn(services: Services) {
  if (!(await services.admin.accounts.findByEmail('relance@guichet.test'))) {
    await services.admin.accounts.create({ email: 'relance@guichet.test', role: 'admin', passwordHash: await services.admin.hasher.hash(PASSWORD), now: new Date() })
  }
  const l = await login(services.app, 'relance@guichet.test')
  expect(l.status).toBe(200)
  return { cookie: l.cookie, csrf: l.csrf }
}

const post = (path: string) => s.app.request(path, { method: 'POST', headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' } })
const postForm = (path: string) =>
  s.app.request(path, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrf }) })
const page = async (path: string) => (await s.app.request(path, { headers: { cookie: session.cookie } })).text()
const runs = async () => ((await (await s.app.request('/api/admin/crawl/runs', { headers: { cookie: session.cookie } })).json()) as { runs: CrawlRun[] }).runs

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'guichet-rerun-'))
  replay = mkdtempSync(join(tmpdir(), 'guichet-rerun-replay-'))
  writeFileSync(
    join(replay, 'manifest.json'),
    JSON.stringify({
      entries: [
        { source: 'idf', url: IDF_URL, headers: { 'content-type': 'application/json' }, file: join(FIXTURES, 'fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json') },
        { source: 'culture', url: CULTURE_URL, status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' },
      ],
    }),
  )
  s = await start()
  session = await signIn(s)
}, 60_000)

afterAll(() => {
  s?.dispose()
  rmSync(data, { recursive: true, force: true })
  rmSync(replay, { recursive: true, force: true })
})

describe('re-run from the back office', () => {
  it('a source that answers: 200, ok, and the crawl page says « ok » for the run it started', async () => {
    const res = await post('/api/admin/sources/idf/run')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { ok: boolean; status: string; runId: string; errors: string[] }
    expect(body).toMatchObject({ ok: true, status: 'ok', errors: [] })
    expect((await runs()).find((r) => r.id === body.runId)).toMatchObject({ status: 'ok', trigger: 'admin' })
    const form = await postForm('/admin/sources/idf/run')
    expect(form.status).toBe(303)
    const html = await page(form.headers.get('location')!)
    expect(html).toContain('Relance de idf : ok.')
  })

  it('a source that answers 500: never « ok » — 200 with ok false, status failed, the reason, and « erreur » on the page', async () => {
    const res = await post('/api/admin/sources/culture/run')
    expect(res.status).toBe(200)
    const body = (await res.json()) as { ok: boolean; status: string; runId: string; errors: string[] }
    expect(body.ok).toBe(false)
    expect(body.status).toBe('failed')
    expect(body.errors.join('\n')).toContain('500')
    expect((await runs()).find((r) => r.id === body.runId)).toMatchObject({ status: 'failed' })
    const form = await postForm('/admin/sources/culture/run')
    const location = form.headers.get('location')!
    expect(location).toMatch(/^\/admin\/crawl\?relance=[0-9a-f-]{36}&source=culture/)
    const html = await page(location)
    expect(html).toContain('Relance de culture : erreur.')
    expect(html).toContain('500')
    expect(html).not.toContain('Relance de culture : ok')
  })

  it('a source with no recorded response (404) fails too', async () => {
    const body = (await (await post('/api/admin/sources/ademe-agir/run')).json()) as { ok: boolean; status: string }
    expect(body).toMatchObject({ ok: false, status: 'failed' })
  })

  it('while another live run holds the crawl lease: 409 « déjà en cours », nothing run', async () => {
    const leases = createLeases(s.db)
    expect(leases.acquire('crawl', 'cron-run-in-progress', new Date(), 45_000)).toBe(true)
    try {
      const before = (await runs()).length
      const res = await post('/api/admin/sources/idf/run')
      expect(res.status).toBe(409)
      expect(await res.json()).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('déjà en cours') } })
      const form = await postForm('/admin/sources/idf/run')
      expect(form.headers.get('location')).toBe('/admin/crawl?relance=occupee&source=idf')
      expect(await page(form.headers.get('location')!)).toContain('une collecte est déjà en cours')
      expect((await runs()).length).toBe(before)
    } finally {
      leases.release('crawl', 'cron-run-in-progress')
    }
  })

  it('a run that outlasts the wait answers 202 « en cours »; the page then shows its real end', async () => {
    s.dispose()
    s = await start({ rerunWaitMs: 0 })
    session = await signIn(s)
    // idf succeeds, then reindexes the whole catalogue: well past a wait of 0 ms.
    const res = await post('/api/admin/sources/idf/run')
    expect(res.status).toBe(202)
    const body = (await res.json()) as { status: string; runId: string }
    expect(body.status).toBe('running')
    // The page shows it starting or running, or already ended: never an outcome it did not have.
    expect(await page(`/admin/crawl?relance=${body.runId}&source=idf`)).toMatch(/Relance de idf : (en cours de démarrage|en cours|ok)/)
    let run: CrawlRun | undefined
    for (let i = 0; i < 400 && run?.status !== 'ok'; i++) {
      await new Promise((ok) => setTimeout(ok, 25))
      run = (await runs()).find((r) => r.id === body.runId)
    }
    expect(run?.status).toBe('ok')
    expect(await page(`/admin/crawl?relance=${body.runId}&source=idf`)).toContain('Relance de idf : ok.')
  })

  it('a run left « en cours » by a killed process is closed as « interrompu » when the server starts', async () => {
    s.dispose()
    // A real process that held the lease and died (its pid is gone).
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' })
    const deadPid = Number(dead.stdout)
    const { openDatabase } = await import('../../runtime/node/sqlite.ts')
    const { createSqliteCrawlStore } = await import('../../runtime/node/sqlite-crawl-store.ts')
    const db = openDatabase(data)
    const store = createSqliteCrawlStore(db, { leases: createLeases(db, { self: { host: THIS_PROCESS.host, pid: deadPid, bootId: 'killed' } }) })
    expect(await store.acquireLock('killed-run', new Date(), 45_000)).toBe(true)
    await store.startRun({ id: 'killed-run', trigger: 'cron', startedAt: '2026-03-01T01:00:00.000Z', endedAt: null, durationMs: null, status: 'running', sources: [], errors: [] })
    db.close()

    s = await start()
    session = await signIn(s)
    const run = (await runs()).find((r) => r.id === 'killed-run')!
    expect(run).toMatchObject({ status: 'interrupted', errors: [INTERRUPTED_RUN_ERROR] })
    expect(run.endedAt).not.toBeNull()
    expect(await page('/admin/crawl')).toContain('— interrompu (cron)')
    // And the lease the dead process held does not block the next run.
    expect((await post('/api/admin/sources/idf/run')).status).toBe(200)
  })
})
