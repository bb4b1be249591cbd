// GET /api/projects on the Workers entry (runtime/workers/index.ts) as Cloudflare calls it, over a
// Miniflare D1: the Fonds vert 2023 data travel in the Worker's bundle (content/peers/data.cjs), the
// route answers as on Node, the Worker's OpenAPI document lists it, and the match results carry peers.
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'

type Worker = { fetch(request: Request, env: object, ctx: unknown): Promise<Response> }
let mf: Miniflare
let env: Record<string, unknown>
let worker: Worker
const call = (path: string) => worker.fetch(new Request(`https://guichet.example.workers.dev${path}`, { headers: { 'cf-connecting-ip': '203.0.113.9' } }), env, {})

beforeAll(async () => {
  await buildWorkersAssets()
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  env = { DB: await mf.getD1Database('DB'), GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true' }
  worker = ((await import('../../runtime/workers/index.ts')) as unknown as { default: Worker }).default
}, 60_000)
afterAll(async () => mf?.dispose())

describe('peer projects on Workers', () => {
  it('answers GET /api/projects like the Node server, lists it in its OpenAPI document, and a match’s Fonds vert carries peers', async () => {
    const res = await call('/api/projects?departement=89&measure=69071&limit=200')
    expect(res.status).toBe(200)
    const body = await res.json() as any
    expect(body.source).toBe('Fonds vert 2023, données publiques de l’État')
    expect(body.total).toBe(18)
    expect(body.stats).toHaveLength(1)
    expect(body.stats[0]).toMatchObject({ departement: '89', count: 18 })
    const bad = await call('/api/projects?theme=piscines')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as any).error.field).toBe('theme')
    const doc = await (await call('/api/openapi.json')).json() as any
    expect(doc.paths['/api/projects'].get.operationId).toBe('listFundedProjects')
    const match = await (await call('/api/match?commune=89446&themes=eclairage_public')).json() as any
    const fv = match.results.find((r: any) => r.id === 'fonds_vert')
    expect(fv.peers.projects[0].departement).toBe('89')
  })
})
