// A subscriber's erasure leaves nothing readable on disk: after the manage link's DELETE answers
// 200, the e-mail address appears in none of the bytes of the SQLite file, its WAL or its shared
// memory (secure_delete overwrites what was deleted; the WAL is checkpointed and truncated), and no
// row of the subscription, its progress, its delivery ledger or its outbox e-mails is left.
// Everything goes through real HTTP on a real server over a real data directory.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { schoolCall } from '../alerts/helpers.ts'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

const ADDRESS = 'secretaire.mairie-erasure@vezelay.example'
const CALL = schoolCall('test_erasure_call', ['2026-03-20', '2026-06-30'])

let services: Awaited<ReturnType<typeof startServices>>
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let base: string

beforeAll(async () => {
  services = await startServices({ GUICHET_PUBLIC_URL: 'https://guichet.test' }, { programmes: [CALL] })
  server = await serveOnFreePort(services.app.fetch)
  base = `http://127.0.0.1:${server.port}`
}, 60_000)
afterAll(async () => {
  await server.close()
  services.dispose()
})

/** How many times `needle` appears in the raw bytes of each of the database's files. */
function occurrences(dir: string, needle: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const name of ['guichet.sqlite', 'guichet.sqlite-wal', 'guichet.sqlite-shm']) {
    const path = join(dir, name)
    if (!existsSync(path)) continue
    const bytes = readFileSync(path)
    const pattern = Buffer.from(needle, 'utf8')
    let n = 0
    for (let i = bytes.indexOf(pattern); i >= 0; i = bytes.indexOf(pattern, i + 1)) n++
    out[name] = n
  }
  return out
}

const count = (table: string) => (services.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n

describe('erasure through the manage link', () => {
  it('leaves the address in no byte of the database files and no row behind', async () => {
    const created = await fetch(`${base}/api/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ collectivite: '89446', themes: ['ecoles'], programmes: [CALL.id], leadTimes: [30, 7], channels: { email: ADDRESS } }),
    })
    expect(created.status).toBe(201)
    const sub = (await created.json()) as { id: string; manageUrl: string }
    // The confirmation e-mail waits in the outbox (no SMTP): its link confirms the address.
    const mail = services.db.prepare('SELECT text FROM alert_outbox WHERE subscription_id = ?').get(sub.id) as { text: string }
    const token = new URL(/https?:\/\/\S+\/alerts\/confirm\?token=[^\s)>\]]+/.exec(mail.text)![0]).searchParams.get('token')!
    const confirmed = await fetch(`${base}/alerts/confirm`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) })
    expect(confirmed.status).toBe(200)
    // Digests record the ledger rows and queue the reminder e-mails (the J-7 reminder on 14 March).
    await services.alerts.runDigest()
    await services.alerts.runDigest({ now: new Date('2026-03-14T08:00:00Z') })
    expect(count('alert_deliveries')).toBeGreaterThan(0)
    expect((services.db.prepare('SELECT COUNT(*) AS n FROM alert_outbox WHERE recipient = ?').get(ADDRESS) as { n: number }).n).toBeGreaterThan(1)
    const dir = services.config.GUICHET_DATA_DIR
    const before = occurrences(dir, ADDRESS)
    expect(Object.values(before).reduce((a, b) => a + b, 0)).toBeGreaterThan(0)

    const manage = new URL(sub.manageUrl)
    const erased = await fetch(`${base}${manage.pathname}${manage.search}`, { method: 'DELETE' })
    expect(erased.status).toBe(200)
    expect(await erased.json()).toEqual({ deleted: true })

    for (const table of ['alert_subscriptions', 'alert_progress', 'alert_deliveries', 'alert_outbox']) expect(count(table), table).toBe(0)
    const after = occurrences(dir, ADDRESS)
    expect(after).toEqual({ 'guichet.sqlite': 0, ...(after['guichet.sqlite-wal'] !== undefined ? { 'guichet.sqlite-wal': 0 } : {}), ...(after['guichet.sqlite-shm'] !== undefined ? { 'guichet.sqlite-shm': 0 } : {}) })
    // The local part alone (a shorter needle, in case of a split) is gone too.
    expect(Object.values(occurrences(dir, 'secretaire.mairie-erasure')).every((n) => n === 0)).toBe(true)
  }, 60_000)
})
