// Privacy on Workers, through the Worker's own fetch and scheduled handlers with env.DB a real D1
// (Miniflare): an admin answers a person's request in « Données personnelles » (JSON export, then
// erasure: nothing of the address left in D1), turns the anonymised understanding log on (a chat
// turn is kept without its e-mail or names), and the nightly purge Cron Trigger prunes what the
// data declaration says is too old.
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'
import { buildWorkersAssets } from '../../runtime/workers/build.ts'
import { CRONS } from '../../runtime/workers/scheduled.ts'
import type { D1Like } from '../../runtime/workers/d1-database.ts'

type Worker = {
  fetch(request: Request, env: object, ctx: unknown): Promise<Response>
  scheduled(controller: { cron: string; scheduledTime?: number }, env: object): Promise<void>
}

const PASSWORD = 'un mot de passe assez long'
const MARIE = 'marie.curie@vezelay.example'
let mf: Miniflare
let DB: D1Like
let env: Record<string, unknown>
let worker: Worker
let session: { cookie: string; csrf: string }

const at = (path: string, init?: RequestInit) => worker.fetch(new Request(`https://guichet.example.workers.dev${path}`, init), env, {})
const rows = async (query: string) => ((await DB.prepare(query).all()) as unknown as { results: Record<string, unknown>[] }).results
const form = (path: string, values: Record<string, string>) =>
  at(path, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded', 'cf-connecting-ip': '198.51.100.20' }, body: new URLSearchParams({ _csrf: session.csrf, ...values }) })

beforeAll(async () => {
  await buildWorkersAssets()
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  DB = (await mf.getD1Database('DB')) as unknown as D1Like
  env = { DB, GUICHET_NOW: '2026-03-01', LOG_LEVEL: 'error', WORKERS_EMBEDDED_INDEX: 'true', GUICHET_PUBLIC_URL: 'https://guichet.example.workers.dev' }
  vi.resetModules()
  worker = ((await import('../../runtime/workers/index.ts')) as unknown as { default: Worker }).default
  expect((await at('/api/health')).status).toBe(200)
  const hash = await createScryptHasher({ N: 1024 }).hash(PASSWORD)
  await DB.prepare(`INSERT INTO admin_accounts (id, email, role, password_hash, created_at) VALUES ('dpo', 'dpo@guichet.example', 'admin', ?, '2026-01-01T00:00:00Z')`).bind(hash).all()
  const res = await at('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.20' }, body: JSON.stringify({ email: 'dpo@guichet.example', password: PASSWORD }) })
  expect(res.status).toBe(200)
  session = { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: ((await res.json()) as { csrf: string }).csrf }
}, 120_000)
afterAll(async () => mf?.dispose())

describe('privacy on Workers, over D1', () => {
  it('exports then erases all that concerns an address from the back office', async () => {
    // Workers take no e-mail subscription (no mail transport there); a row moved from a Node instance still may hold one.
    const json = JSON.stringify({ id: 'sub-marie', createdAt: '2026-02-01T00:00:00Z', source: 'api', profile: { type: 'commune', code: '89446', name: 'Vézelay' }, facts: {}, themes: [], programmes: [], leadTimes: [30], newCalls: 'off', channels: { email: { address: MARIE, confirmedAt: null, disabledAt: null, disabledReason: null } }, lastDigestDay: null, newCallsSince: '2026-02-01', unsubscribedAt: null })
    await DB.prepare(`INSERT INTO alert_subscriptions (id, created_at, json) VALUES ('sub-marie', '2026-02-01T00:00:00Z', ?)`).bind(json).all()
    await DB.prepare(`INSERT INTO alert_progress (subscription_id, new_calls_since) VALUES ('sub-marie', '2026-02-01')`).all()
    expect((await at('/admin/privacy', { headers: { cookie: session.cookie } })).status).toBe(200)
    const exported = await form('/admin/privacy/rights', { email: MARIE, action: 'export' })
    expect(exported.status).toBe(200)
    const data = (await exported.json()) as { subscriptions: unknown[] }
    expect(data.subscriptions).toHaveLength(1)
    const erased = await form('/admin/privacy/rights', { email: MARIE, action: 'erase', confirm: '1' })
    expect(erased.status).toBe(200)
    expect(await erased.text()).toContain('Effacé pour cette adresse : 1 abonnement')
    const everything = JSON.stringify(await Promise.all(['alert_subscriptions', 'alert_deliveries', 'alert_progress', 'admin_audit'].map((t) => rows(`SELECT * FROM ${t}`))))
    expect(everything).not.toContain('marie')
    expect(await rows(`SELECT action FROM admin_audit WHERE action LIKE 'rights.%' ORDER BY id`)).toEqual([{ action: 'rights.export' }, { action: 'rights.erase' }])
  })

  it('keeps an anonymised chat turn only once the log is turned on', async () => {
    const chat = () => at('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.22' }, body: JSON.stringify({ text: 'Je suis Paul Durand, maire de Vézelay (paul@vezelay.example), nous voulons rénover l’école' }) })
    expect((await chat()).status).toBe(200)
    expect(await rows('SELECT * FROM chat_understanding_log')).toEqual([])
    expect((await form('/admin/privacy/understanding-log', { enabled: '1' })).status).toBe(200)
    expect((await chat()).status).toBe(200)
    const log = await rows('SELECT collectivite_type, text FROM chat_understanding_log')
    expect(log).toEqual([{ collectivite_type: 'commune', text: 'Je suis [nom], maire de [collectivité] ([e-mail]), nous voulons rénover l’école' }])
  })

  it('prunes at the declared ages on the nightly purge Cron Trigger', async () => {
    await DB.prepare(`INSERT INTO chat_sessions (id, state, created_at, updated_at) VALUES ('old', '{"terms":["vieux-texte"]}', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), ('recent', '{}', '2026-02-25T00:00:00Z', '2026-02-25T00:00:00Z')`).all()
    await worker.scheduled({ cron: CRONS.purge, scheduledTime: Date.parse('2026-03-01T02:40:00Z') }, env)
    expect((await rows(`SELECT id FROM chat_sessions WHERE id IN ('old', 'recent')`)).map((r) => r['id'])).toEqual(['recent'])
  })
})
