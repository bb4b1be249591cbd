// The back office on Workers (runtime/workers/admin.ts), through the Worker's own fetch with env.DB
// a real D1 (Miniflare): the first admin account created from the SQL `npm run admin -- create-user
// … --sql` prints, executed on that D1, logs in; an override and a hide written by one isolate are
// served by another isolate already running (it reads the catalogue version in D1 and rebuilds) and
// by a freshly composed one, and so is a merge (its redirect); the desk's pages and JSON answer over
// D1; an account locks after the throttle's failures; what is not offered on
// Workers answers in French. And the catalogue version check: one primary-key read, at most once per
// interval, a rebuild only when the version moved.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'
import { bumpingCatalogueVersion, catalogueFreshness, catalogueVersionBump, CATALOGUE_VERSION_KEY, readCatalogueVersion } from '../../runtime/workers/catalogue-version.ts'
import { sql } from '../../runtime/sql/database.ts'
import { d1Database, type D1Like } from '../../runtime/workers/d1-database.ts'
import { migrate } from '../../runtime/sql/migrations.ts'

type Worker = { fetch(request: Request, env: object, ctx: unknown): Promise<Response> }
type Isolate = (path: string, init?: RequestInit) => Promise<Response>
type Session = { cookie: string; csrf: string }

const ROOT = new URL('../../', import.meta.url).pathname
const PASSWORD = 'un mot de passe assez long'
const ADMIN = 'Premiere.Admin@mairie-exemple.fr'
const PROGRAMME = 'bdt_edurenov'
const MATCH = '/api/match?commune=18197&applicant=commune&q=' + encodeURIComponent('rénover l\'école')
let mf: Miniflare
let DB: D1Like
let env: Record<string, unknown>

/** A new isolate of the Worker (a fresh module instance: nothing in memory, the same D1). */
async function newIsolate(vars: Record<string, unknown> = {}): Promise<Isolate> {
  vi.resetModules()
  const worker = ((await import('../../runtime/workers/index.ts')) as unknown as { default: Worker }).default
  return (path, init) => worker.fetch(new Request(`https://guichet.example.workers.dev${path}`, init), { ...env, ...vars }, {})
}
const headers = (ip: string, session?: Session) => ({ 'content-type': 'application/json', 'cf-connecting-ip': ip, ...(session ? { cookie: session.cookie, 'x-csrf-token': session.csrf } : {}) })
async function login(at: Isolate, email: string, password: string, ip = '198.51.100.10') {
  const res = await at('/api/admin/login', { method: 'POST', headers: headers(ip), body: JSON.stringify({ email, password }) })
  const body = (await res.json()) as { csrf?: string; account?: { email: string; role: string }; error?: { code: string; message: string } }
  return { res, body, session: { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: body.csrf ?? '' } }
}
const programme = async (at: Isolate, id = PROGRAMME) => at(`/api/programmes/${id}`)
const matchIds = async (at: Isolate) => ((await (await at(MATCH)).json()) as { results: { id: string; name: string }[] }).results

beforeAll(async () => {
  await buildWorkersAssets()
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  DB = (await mf.getD1Database('DB')) as unknown as D1Like
  // Every request checks the catalogue version (the default interval is 5 s).
  env = { DB, GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true', WORKERS_CATALOGUE_CHECK_SECONDS: '0' }
}, 60_000)
afterAll(async () => mf?.dispose())

describe('the back office on Workers, over D1', () => {
  let a: Isolate
  let b: Isolate
  let admin: Session

  it('creates the first admin from the SQL of `npm run admin -- create-user … --sql`, which the Worker\'s login accepts', async () => {
    const { stdout } = await promisify(execFile)('node_modules/.bin/tsx', ['runtime/node/admin-cli.ts', 'create-user', ADMIN, '--role', 'admin', '--sql'], { cwd: ROOT, env: { ...process.env, ADMIN_PASSWORD: PASSWORD } })
    expect(stdout).not.toContain(PASSWORD)
    expect(stdout).toMatch(/'scrypt\$32768\$8\$1\$/)
    a = await newIsolate()
    // The schema first (the Worker migrates at its first request), then the printed statements, as wrangler d1 execute runs them.
    expect((await a('/api/health')).status).toBe(200)
    for (const statement of stdout.split(';\n').filter((s) => s.trim())) await DB.prepare(statement).all()
    const wrong = await login(a, ADMIN, 'pas le bon mot de passe')
    expect(wrong.res.status).toBe(401)
    const ok = await login(a, ADMIN.toUpperCase(), PASSWORD)
    expect(ok.res.status).toBe(200)
    expect(ok.body.account).toMatchObject({ email: ADMIN.toLowerCase(), role: 'admin' })
    expect(ok.res.headers.get('set-cookie')).toMatch(/HttpOnly/i)
    admin = ok.session
    // Behind the guard as on Node: no session 401, no CSRF token 403.
    expect((await a('/api/admin/me')).status).toBe(401)
    expect((await a(`/api/admin/programmes/${PROGRAMME}/verify`, { method: 'POST', headers: { ...headers('198.51.100.10', admin), 'x-csrf-token': '' } })).status).toBe(403)
    expect((await a('/api/admin/me', { headers: headers('198.51.100.10', admin) })).status).toBe(200)
  }, 60_000)

  it('serves an override saved on one isolate from another isolate already running, and from a fresh one', async () => {
    b = await newIsolate()
    const before = (await (await programme(b)).json()) as { programme: { name: string } }
    expect((await matchIds(b)).map((r) => r.id)).toContain(PROGRAMME)
    const name = 'EduRénov — nom corrigé au back office'
    expect(before.programme.name).not.toBe(name)
    const versionBefore = await readCatalogueVersion(d1Database(DB))
    const res = await a(`/api/admin/programmes/${PROGRAMME}/override`, { method: 'PUT', headers: headers('198.51.100.10', admin), body: JSON.stringify({ patch: { name } }) })
    expect(res.status).toBe(200)
    // The override and the catalogue version were written together.
    expect(await readCatalogueVersion(d1Database(DB))).not.toBe(versionBefore)
    for (const at of [a, b, await newIsolate()]) {
      expect(((await (await programme(at)).json()) as { programme: { name: string } }).programme.name).toBe(name)
      expect((await matchIds(at)).find((r) => r.id === PROGRAMME)?.name).toBe(name)
    }
  }, 60_000)

  it('hides a programme: gone from /api/programmes/:id, the match and the list on every isolate; audited', async () => {
    const res = await a(`/api/admin/programmes/${PROGRAMME}/hide`, { method: 'POST', headers: headers('198.51.100.10', admin), body: JSON.stringify({ hidden: true }) })
    expect(res.status).toBe(200)
    for (const at of [b, await newIsolate()]) {
      expect((await programme(at)).status).toBe(404)
      expect((await matchIds(at)).map((r) => r.id)).not.toContain(PROGRAMME)
      const list = (await (await at('/api/programmes')).json()) as { programmes: { id: string }[] }
      expect(list.programmes.length).toBeGreaterThan(50)
      expect(list.programmes.map((p) => p.id)).not.toContain(PROGRAMME)
    }
    const audit = (await (await b(`/api/admin/audit?target=programme:${PROGRAMME}`, { headers: headers('198.51.100.10', admin) })).json()) as { entries: { action: string; actor: string }[] }
    expect(audit.entries.map((e) => e.action)).toEqual(['programme.hide', 'programme.override'])
    expect(audit.entries[0]!.actor).toBe(ADMIN.toLowerCase())
  }, 60_000)

  it('merges a duplicate: its address redirects to the programme kept, on another isolate; undone, it is back', async () => {
    const res = await a('/api/admin/programmes/actee_fnccr/merge', { method: 'POST', headers: headers('198.51.100.10', admin), body: JSON.stringify({ into: 'action_coeur_de_ville' }) })
    expect(res.status).toBe(200)
    const moved = await b('/api/programmes/actee_fnccr')
    expect(moved.status).toBe(301)
    expect(moved.headers.get('location')).toBe('/api/programmes/action_coeur_de_ville')
    expect((await a('/api/admin/programmes/actee_fnccr/merge', { method: 'DELETE', headers: headers('198.51.100.10', admin) })).status).toBe(200)
    expect((await b('/api/programmes/actee_fnccr')).status).toBe(200)
  })

  it('locks an account after 5 wrong passwords: the right one is refused (429, Retry-After) until an admin unlocks it', async () => {
    const editor = 'editrice@mairie-exemple.fr'
    const created = await a('/api/admin/accounts', { method: 'POST', headers: headers('198.51.100.10', admin), body: JSON.stringify({ email: editor, role: 'editor', password: PASSWORD }) })
    expect(created.status).toBe(201)
    const { id } = ((await created.json()) as { account: { id: string } }).account
    for (let i = 0; i < 5; i++) expect((await login(b, editor, `mauvais ${i}`, '203.0.113.50')).res.status).toBe(401)
    const locked = await login(a, editor, PASSWORD, '203.0.113.51')
    expect(locked.res.status).toBe(429)
    expect(Number(locked.res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(locked.body.error?.message).toMatch(/Trop d'échecs/)
    // The lock is in D1: a fresh isolate refuses it too.
    expect((await login(await newIsolate(), editor, PASSWORD, '203.0.113.52')).res.status).toBe(429)
    expect((await a(`/api/admin/accounts/${id}/unlock`, { method: 'POST', headers: headers('198.51.100.10', admin) })).status).toBe(200)
    const after = await login(b, editor, PASSWORD, '203.0.113.53')
    expect(after.res.status).toBe(200)
    // An editor does not reach the accounts (admins only), as on Node.
    expect((await b('/api/admin/accounts', { headers: headers('203.0.113.53', after.session) })).status).toBe(403)
  }, 60_000)

  it('serves the desk\'s pages and JSON over D1: programmes, audit, accounts, alerts, crawl, import, export', async () => {
    const page = (path: string) => a(path, { headers: { cookie: admin.cookie, 'cf-connecting-ip': '198.51.100.10' } })
    for (const path of ['/admin', `/admin/programmes/${PROGRAMME}`, '/admin/audit', '/admin/accounts', '/admin/alerts', '/admin/crawl', '/admin/import', '/admin/compte']) {
      const res = await page(path)
      expect(res.status, path).toBe(200)
      expect(await res.text(), path).toMatch(/<html lang="fr">/)
    }
    const detail = (await (await a(`/api/admin/programmes/${PROGRAMME}`, { headers: headers('198.51.100.10', admin) })).json()) as { override: { hidden: boolean; patch: { name: string } } }
    expect(detail.override).toMatchObject({ hidden: true, patch: { name: 'EduRénov — nom corrigé au back office' } })
    // The crawl page reads the D1 crawl store: no run yet, every coded source listed with its switch.
    const crawl = (await (await a('/api/admin/crawl/runs', { headers: headers('198.51.100.10', admin) })).json()) as { runs: unknown[]; sources: { sourceId: string; enabled: boolean }[] }
    expect(crawl.runs).toEqual([])
    expect(crawl.sources).toContainEqual({ sourceId: 'aides-territoires', enabled: true, state: null })
    const alerts = await a('/api/admin/alerts', { headers: headers('198.51.100.10', admin) })
    expect(alerts.status).toBe(200)
    const exported = await a(`/api/admin/export/programmes/${PROGRAMME}.yaml`, { headers: headers('198.51.100.10', admin) })
    expect(exported.status).toBe(200)
    expect(await exported.text()).toMatch(/^name: EduRénov — nom corrigé au back office$/m)
  })

  it('says in French what the Workers back office does not offer', async () => {
    const page = await a('/admin/sources/pages', { headers: { cookie: admin.cookie, 'cf-connecting-ip': '198.51.100.10' } })
    expect(page.status).toBe(501)
    expect(await page.text()).toMatch(/serveur Node/)
    expect((await a('/api/admin/sources/pages', { headers: headers('198.51.100.10', admin) })).status).toBe(404)
    const rerun = await a('/api/admin/sources/aides-territoires/run', { method: 'POST', headers: headers('198.51.100.10', admin) })
    expect(rerun.status).toBe(404)
    expect(((await rerun.json()) as { error: { message: string } }).error.message).toMatch(/Relance indisponible/)
    // No e-mail leaves a Worker: the login page does not promise an unlock link.
    const locked = await (await a('/admin/login?erreur=bloque&minutes=2')).text()
    expect(locked).toMatch(/réessayez dans 2 minutes\. Un administrateur peut aussi lever le blocage/)
    expect(locked).not.toMatch(/a été envoyé/)
    // The crawl page has no « Relancer maintenant » button here.
    expect(await (await a('/admin/crawl', { headers: { cookie: admin.cookie } })).text()).not.toMatch(/Relancer maintenant/)
  })
})

describe('the catalogue version an isolate follows', () => {
  it('reads one row at most once per interval, and rebuilds only when another writer moved the version', async () => {
    const db = d1Database(DB)
    await migrate(db)
    let rebuilds = 0
    let clock = 0
    const warnings: string[] = []
    let failing = false
    const rebuild = async () => {
      if (failing) throw new Error('D1 indisponible')
      rebuilds++
      return { documents: 0, ms: 0, day: '2026-03-01', engine: 'embedded' as const }
    }
    const freshness = catalogueFreshness({ db, catalogues: { rebuild }, everyMs: 5000, now: () => clock, logger: { warn: (m) => void warnings.push(m) } })
    await freshness.rebuild()
    expect(freshness.seen()).toBe(await readCatalogueVersion(db))
    await freshness.ensureFresh()
    expect(rebuilds).toBe(1)
    await db.query(catalogueVersionBump())
    clock = 4999
    await freshness.ensureFresh()
    expect(rebuilds).toBe(1) // within the interval: not even read
    clock = 10_000
    await Promise.all([freshness.ensureFresh(), freshness.ensureFresh(), freshness.ensureFresh()])
    expect(rebuilds).toBe(2) // moved: one rebuild for the three requests waiting on the same check
    clock = 20_000
    await freshness.ensureFresh()
    expect(rebuilds).toBe(2) // read, unchanged
    const row = await DB.prepare('SELECT value FROM meta WHERE key = ?').bind(CATALOGUE_VERSION_KEY).all()
    expect((row.results as { value: string }[])[0]!.value).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z [0-9a-f]{12}$/)
    // A rebuild that fails is logged; the isolate serves what it has and tries again after the interval.
    await db.query(catalogueVersionBump())
    failing = true
    clock = 30_000
    await freshness.ensureFresh()
    expect(warnings).toHaveLength(1)
    failing = false
    clock = 40_000
    await freshness.ensureFresh()
    expect(rebuilds).toBe(3)
  })

  it('is bumped in the batch of a curation write, not by other admin writes, and not at all when the batch fails', async () => {
    const db = d1Database(DB)
    await migrate(db)
    const curating = bumpingCatalogueVersion(db)
    const at = '2026-03-01T10:00:00.000Z'
    let version = await readCatalogueVersion(db)
    await curating.query(sql('INSERT INTO admin_settings (key, value, updated_at) VALUES (?, ?, ?)', 'source:x:enabled', '0', at))
    expect(await readCatalogueVersion(db)).toBe(version)
    await curating.batch([sql("INSERT INTO programme_merges (loser_id, winner_id, merged_by, merged_at) VALUES ('a', 'b', 'x', ?)", at)])
    expect(await readCatalogueVersion(db)).not.toBe(version)
    version = await readCatalogueVersion(db)
    // The second statement breaks a NOT NULL: nothing of the batch is written, the version stays.
    await expect(curating.batch([sql("DELETE FROM programme_merges WHERE loser_id = 'a'"), sql("INSERT INTO programme_merges (loser_id, winner_id, merged_by, merged_at) VALUES ('c', NULL, 'x', ?)", at)])).rejects.toThrow()
    expect(await readCatalogueVersion(db)).toBe(version)
    expect((await DB.prepare("SELECT COUNT(*) AS n FROM programme_merges WHERE loser_id = 'a'").all()).results).toEqual([{ n: 1 }])
  })
})
