// The catalogue's budget on Workers (runtime/workers/catalogue-budget.ts) through the Workers entry,
// after its build step, with env.DB a real D1 (Miniflare's workerd) whose crawl store holds more
// crawled rows than WORKERS_MAX_PROGRAMMES leaves room for: the isolate keeps every curated
// programme and the crawled rows changed most recently, leaves out the others, logs one error
// naming the figure and the setting, /api/ready says it (checks.catalogue) and the chat still
// answers. A bad value of the setting names it; an isolate with room for all serves them all.
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Programme } from '../../core/programme.ts'
import { canonicalUrl, dedupeKey } from '../../crawler/dedupe.ts'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'
import { createD1CrawlStore } from '../../runtime/workers/crawl.ts'
import type { D1Like } from '../../runtime/workers/d1-database.ts'
import { buildProgramme } from '../builders/programme.ts'

type Worker = { fetch(request: Request, env: object, ctx: unknown): Promise<Response> }
type Entry = { default: Worker; servicesFor(env: object): Promise<unknown> }
type ReadyBody = { ready: boolean; checks: { catalogue?: { ok: boolean; programmes: number; limit: number; leftOut: number; problem?: string }; index: { documents: number } } }

let mf: Miniflare
let DB: D1Like
let curated: number
let limit: number
const json = { 'content-type': 'application/json', 'cf-connecting-ip': '203.0.113.9' }
/** A fresh module instance: a new isolate of the Worker (nothing in memory, the same D1). */
const newIsolate = async () => {
  vi.resetModules()
  return (await import('../../runtime/workers/index.ts')) as unknown as Entry
}
const envOf = (vars: Record<string, string>) => ({ DB, GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true', ...vars })
const call = (entry: Entry, env: object, path: string, init?: RequestInit) => entry.default.fetch(new Request(`https://guichet.example.workers.dev${path}`, init), env, {})

function crawledProgramme(sourceId: string, id: string, name: string): Programme {
  const official = `https://crawl.example.org/${sourceId}/${id}/`
  return buildProgramme({ id, name, summary: `${name} : un appel collecté pour le test du budget.`, themes: ['eclairage_public'], links: { official }, provenance: { kind: 'crawled', sourceId, originUrl: official, fetchedAt: '2026-02-01T03:00:00.000Z' } })
}

/** One successful run of a source into the D1 crawl store at `at` (the rows `changed` says changed then, all by default; the others only seen). */
async function crawl(sourceId: string, at: string, programmes: Programme[], changed = (_: Programme) => true): Promise<void> {
  const rows = programmes.map((programme) => ({ programme, dedupeKey: dedupeKey(programme), canonicalUrl: canonicalUrl(programme.links.official), changed: changed(programme) }))
  await createD1CrawlStore(DB).recordSuccess({ sourceId, runId: `run-${sourceId}`, at, rows, goneIds: [], events: [] })
}

const older = Array.from({ length: 6 }, (_, i) => crawledProgramme('aides-territoires', `at-ancien-${i}`, `Ancien appel à projets d'éclairage ${i}`))
const recent = Array.from({ length: 4 }, (_, i) => crawledProgramme('eu-sedia', `sedia-recent-${i}`, `Appel récent pour l'éclairage public ${i}`))

beforeAll(async () => {
  curated = (await buildWorkersAssets()).programmes
  // Room for the curated programmes and four crawled rows; ten crawled rows in D1.
  limit = curated + 4
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  DB = (await mf.getD1Database('DB')) as unknown as D1Like
  // The schema first (a first isolate migrates D1), then the crawl's rows: the older source changed first.
  await (await newIsolate()).servicesFor(envOf({}))
  await crawl('aides-territoires', '2026-02-01T03:00:00.000Z', older)
  await crawl('eu-sedia', '2026-02-20T03:00:00.000Z', recent)
}, 90_000)
afterAll(async () => mf?.dispose())

describe('the catalogue over the isolate budget (WORKERS_MAX_PROGRAMMES)', () => {
  it('keeps the curated programmes and the crawled rows changed most recently, logs one error, says it in /api/ready, and the chat still answers', async () => {
    const logged: string[] = []
    const spy = vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line))
    const entry = await newIsolate()
    const env = envOf({ WORKERS_MAX_PROGRAMMES: String(limit) })
    let ready: Response
    try {
      ready = await call(entry, env, '/api/ready')
    } finally {
      spy.mockRestore()
    }
    // One error, naming the figure and the setting.
    const errors = logged.map((l) => JSON.parse(l) as { level: string; msg: string; programmes?: number; limit?: number }).filter((l) => l.level === 'error' && l.msg.includes('budget'))
    expect(errors).toHaveLength(1)
    expect(errors[0]!.msg).toContain(`${curated + 10} programmes for WORKERS_MAX_PROGRAMMES=${limit}`)
    expect(errors[0]).toMatchObject({ programmes: curated + 10, limit })

    // Served (the isolate answers), and the check says what is left out and why.
    expect(ready.status).toBe(200)
    const body = (await ready.json()) as ReadyBody
    expect(body.ready).toBe(true)
    expect(body.checks.catalogue).toMatchObject({ ok: false, programmes: curated + 10, limit, leftOut: 6 })
    expect(body.checks.catalogue!.problem).toContain(`WORKERS_MAX_PROGRAMMES=${limit}`)
    expect(body.checks.catalogue!.problem).toContain('les 6 programmes collectés modifiés le moins récemment sont laissés de côté')
    expect(body.checks.index.documents).toBe(limit)

    // The served catalogue: every curated programme, the recent crawled rows, not the older ones.
    const listed = ((await (await call(entry, env, '/api/programmes')).json()) as { programmes: { id: string }[] }).programmes.map((p) => p.id)
    expect(listed).toHaveLength(limit)
    expect(listed).toEqual(expect.arrayContaining(['detr', ...recent.map((p) => p.id)]))
    for (const p of older) expect(listed).not.toContain(p.id)
    expect((await call(entry, env, `/api/programmes/${older[0]!.id}`)).status).toBe(404)

    // The chat still answers, with a crawled programme that fits.
    const first = (await (await call(entry, env, '/api/chat', { method: 'POST', headers: json, body: JSON.stringify({ text: 'Je suis la mairie de Saint-Amand-Montrond' }) })).json()) as { sessionId: string }
    const res = await call(entry, env, '/api/chat', { method: 'POST', headers: json, body: JSON.stringify({ sessionId: first.sessionId, text: "rénover l'éclairage public" }) })
    expect(res.status).toBe(200)
    const turn = (await res.json()) as { messages: { text: string }[]; results?: { id: string }[] }
    expect(turn.messages[0]!.text).toMatch(/^Pour Saint-Amand-Montrond \(18\)/)
    const ids = (turn.results ?? []).map((r) => r.id)
    expect(ids.length).toBeGreaterThan(0)
    for (const p of older) expect(ids).not.toContain(p.id)
  })

  it('lets in an older row that a later crawl changes, leaving out the row that is now the least recently changed of those kept', async () => {
    const renewed = { ...older[0]!, summary: `${older[0]!.summary} Nouvelle édition.` }
    await crawl('aides-territoires', '2026-02-25T03:00:00.000Z', [renewed, ...older.slice(1)], (p) => p.id === renewed.id)
    const entry = await newIsolate()
    const env = envOf({ WORKERS_MAX_PROGRAMMES: String(limit) })
    const body = (await (await call(entry, env, '/api/ready')).json()) as ReadyBody
    expect(body.checks.catalogue).toMatchObject({ ok: false, programmes: curated + 10, limit, leftOut: 6 })
    const listed = ((await (await call(entry, env, '/api/programmes')).json()) as { programmes: { id: string }[] }).programmes.map((p) => p.id)
    const crawledIds = listed.filter((id) => id.startsWith('at-') || id.startsWith('sedia-')).sort()
    // The renewed row, and three of the four changed on 20 February (the same day: by id); the five only seen again stay out.
    expect(crawledIds).toEqual([renewed.id, 'sedia-recent-0', 'sedia-recent-1', 'sedia-recent-2'])
    const served = (await (await call(entry, env, `/api/programmes/${renewed.id}`)).json()) as { programme: { summary: string } }
    expect(served.programme.summary).toContain('Nouvelle édition.')
  })

  it('serves every row, ok, when the budget leaves room for them (the default)', async () => {
    const entry = await newIsolate()
    const env = envOf({})
    const body = (await (await call(entry, env, '/api/ready')).json()) as ReadyBody
    expect(body.checks.catalogue).toEqual({ ok: true, programmes: curated + 10, limit: 6_500, leftOut: 0 })
    const listed = ((await (await call(entry, env, '/api/programmes')).json()) as { programmes: { id: string }[] }).programmes.map((p) => p.id)
    expect(listed).toHaveLength(curated + 10)
  })

  it('refuses a bad WORKERS_MAX_PROGRAMMES, naming the variable', async () => {
    for (const bad of ['beaucoup', '0', '-5', '6.5']) {
      await expect((await newIsolate()).servicesFor(envOf({ WORKERS_MAX_PROGRAMMES: bad }))).rejects.toThrow(`WORKERS_MAX_PROGRAMMES attend un nombre entier de programmes, au moins 1 (reçu « ${bad} »)`)
    }
  })
})
