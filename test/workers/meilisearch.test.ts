// The Worker on Meilisearch (MEILI_HOST, MEILI_API_KEY), against the stand-in that answers as
// Meilisearch's API reference documents (test/helpers/fake-meilisearch.ts), with a real D1
// (Miniflare): the index is filled (temporary index, swap) at the first request of the first
// isolate, not again by a cold start while the documents are those recorded in D1's meta table,
// and again once they differ; searches go to Meilisearch with the API key. A back-office change made
// on one isolate refills it once: the other isolates rebuild (the catalogue version moved in D1) and
// find the documents' hash already recorded.
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { startFakeMeilisearch, type FakeMeilisearch } from '../helpers/fake-meilisearch.ts'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'
import type { D1Like } from '../../runtime/workers/d1-database.ts'
import { createAccountSql } from '../../runtime/workers/admin-account-sql.ts'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'

type Worker = { fetch(request: Request, env: object, ctx: unknown): Promise<Response> }
let mf: Miniflare
let meili: FakeMeilisearch
let env: Record<string, unknown>
const KEY = 'a-search-key-for-the-worker'

/** A new isolate of the Worker (a fresh module: nothing in memory), sending one request. */
async function coldStart(path: string): Promise<Response> {
  vi.resetModules()
  const worker = ((await import('../../runtime/workers/index.ts')) as unknown as { default: Worker }).default
  return worker.fetch(new Request(`https://guichet.example.workers.dev${path}`), env, {})
}
const fills = () => meili.calls().filter((c) => c === 'POST /swap-indexes').length

beforeAll(async () => {
  await buildWorkersAssets()
  meili = await startFakeMeilisearch()
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  env = { DB: (await mf.getD1Database('DB')) as unknown as D1Like, GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', MEILI_HOST: meili.host, MEILI_API_KEY: KEY }
}, 60_000)
afterAll(async () => {
  await mf?.dispose()
  await meili?.close()
})

describe('the Worker on Meilisearch', () => {
  it('fills the index at its first request (a temporary index swapped in), with the API key, and records the documents\' hash in D1', async () => {
    expect((await coldStart('/api/health')).status).toBe(200)
    expect(fills()).toBe(1)
    const added = meili.exchanges.filter((e) => e.method === 'POST' && /^\/indexes\/programmes_tmp_[^/]+\/documents$/.test(e.path))
    expect(added.flatMap((e) => e.body as { id: string }[]).length).toBeGreaterThan(50)
    expect(meili.exchanges.every((e) => e.authorization === `Bearer ${KEY}`)).toBe(true)
    const meta = await (env['DB'] as D1Like).prepare("SELECT value FROM meta WHERE key LIKE 'meili.documents_sha256:%'").all()
    expect((meta.results as { value: string }[])[0]!.value).toMatch(/^[0-9a-f]{64}$/)
  })

  it('does not fill it again on a cold start while the documents are the same', async () => {
    const before = meili.exchanges.length
    expect((await coldStart('/api/health')).status).toBe(200)
    expect(fills()).toBe(1)
    expect(meili.exchanges.slice(before).filter((e) => e.method !== 'GET')).toEqual([])
  })

  it('fills it again once the documents differ from those recorded (another day\'s statuses, another catalogue)', async () => {
    await (env['DB'] as D1Like).prepare("UPDATE meta SET value = 'an older catalogue' WHERE key LIKE 'meili.documents_sha256:%'").all()
    expect((await coldStart('/api/health')).status).toBe(200)
    expect(fills()).toBe(2)
  })

  it('searches through Meilisearch: a match answers the programmes Meilisearch found', async () => {
    for (let i = 0; i < 4; i++) meili.answerSearch({ hits: [{ id: 'bdt_edurenov', _rankingScore: 0.9 }], totalHits: 1 })
    const before = meili.exchanges.length
    const res = await coldStart('/api/match?commune=18197&applicant=commune&q=' + encodeURIComponent('rénover l\'école'))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { results: { id: string }[] }
    expect(body.results.map((r) => r.id)).toContain('bdt_edurenov')
    const searches = meili.exchanges.slice(before).filter((e) => e.path === '/indexes/programmes/search')
    expect(searches.length).toBeGreaterThan(0)
    expect(searches[0]!.authorization).toBe(`Bearer ${KEY}`)
  })

  it('refills it once after a back-office change, not once per isolate: the second isolate finds the hash recorded', async () => {
    const vars = { ...env, WORKERS_CATALOGUE_CHECK_SECONDS: '0' }
    const isolate = async () => {
      vi.resetModules()
      const worker = ((await import('../../runtime/workers/index.ts')) as unknown as { default: Worker }).default
      return (path: string, init?: RequestInit) => worker.fetch(new Request(`https://guichet.example.workers.dev${path}`, init), vars, {})
    }
    const a = await isolate()
    const b = await isolate()
    expect((await b('/api/health')).status).toBe(200)
    expect((await a('/api/health')).status).toBe(200)
    const filled = fills()
    const DB = env['DB'] as D1Like
    const sqlText = await createAccountSql({ email: 'admin@mairie-exemple.fr', role: 'admin', passwordHash: await createScryptHasher({ N: 1024 }).hash('un mot de passe assez long'), now: new Date() })
    for (const statement of sqlText.split(';\n').filter((x) => x.trim())) await DB.prepare(statement).all()
    const headers = { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.20' }
    const login = await a('/api/admin/login', { method: 'POST', headers, body: JSON.stringify({ email: 'admin@mairie-exemple.fr', password: 'un mot de passe assez long' }) })
    expect(login.status).toBe(200)
    const session = { cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrf: string }).csrf }
    const name = 'EduRénov — nom corrigé au back office'
    expect((await a('/api/admin/programmes/bdt_edurenov/override', { method: 'PUT', headers: { ...headers, ...session }, body: JSON.stringify({ patch: { name } }) })).status).toBe(200)
    expect(fills()).toBe(filled + 1)
    const onB = (await (await b('/api/programmes/bdt_edurenov')).json()) as { programme: { name: string } }
    expect(onB.programme.name).toBe(name)
    expect(fills()).toBe(filled + 1)
  })
})
