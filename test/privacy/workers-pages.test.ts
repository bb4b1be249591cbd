// The Workers entry serves the same information pages, worded for its runtime: the privacy notice
// names Cloudflare and Meilisearch as sub-processors and lists no e-mail outbox (no e-mail on
// Workers); the record says so too; the controller comes from the Worker's vars. Real D1 (Miniflare).
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'
import type { D1Like } from '../../runtime/workers/d1-database.ts'

type Worker = { fetch(request: Request, env: object, ctx: unknown): Promise<Response> }
let mf: Miniflare
let env: Record<string, unknown>
let worker: Worker
const call = (path: string) => worker.fetch(new Request(`https://guichet.example.workers.dev${path}`), env, {})
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ')

beforeAll(async () => {
  await buildWorkersAssets()
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  env = { DB: (await mf.getD1Database('DB')) as unknown as D1Like, GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true', GUICHET_CONTROLLER_NAME: 'Région Exemple' }
  worker = ((await import('../../runtime/workers/index.ts')) as unknown as { default: Worker }).default
}, 60_000)
afterAll(async () => mf?.dispose())

describe('the information pages on Workers', () => {
  it('the privacy notice names the Workers sub-processors and the controller from the vars', async () => {
    const res = await call('/confidentialite')
    expect(res.status).toBe(200)
    const page = text(await res.text())
    expect(page).toContain('Responsable du traitement : Région Exemple')
    expect(page).toContain('Cloudflare (Workers et D1)')
    expect(page).toContain('juridiction « UE »')
    expect(page).not.toContain("E-mails d'alerte en file d'envoi")
    expect(page).not.toContain("Aucun transfert hors de l'Union européenne")
  })

  it('the record lists the same kinds of data, without the outbox', async () => {
    const csv = await (await call('/confidentialite/registre.csv')).text()
    expect(csv).toContain('chat-sessions;')
    expect(csv).not.toContain('alert-outbox;')
    expect(csv).toContain('Cloudflare (Workers et D1)')
  })

  it('the accessibility statement is there too', async () => {
    const page = text(await (await call('/accessibilite')).text())
    expect(page).toContain('Guichet est non conforme')
    expect(page).toContain('https://guichet.example.workers.dev')
  })
})
