// A failed back-office login with an address no account has (typed by anyone, or an erased admin's)
// leaves no byte of that address in the SQLite file: the audit log keeps, beside the time and the
// reason, only the address's keyed reference (the rights requests' one), so that the attempts on
// one address can still be counted. The login throttle's counter (admin_login_limits, declared for
// 24 hours, deleted within 2 days) is then the only row holding the address; once the hourly job
// (runtime/node/cron.ts, as runtime/node/main.ts schedules it) has pruned it and checkpointed the
// WAL, no byte of the address is left, while the audit entries (kept a year) are still there. A
// failure on a real account stays under the account's address. Through real HTTP on a served port,
// the JSON login and the HTML form.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionPruneJob } from '../../runtime/node/cron.ts'
import { PASSWORD, startAdmin, type AdminHarness } from '../admin/harness.ts'
import { serveOnFreePort } from '../helpers/node-services.ts'
import { SQL_DATABASES } from '../helpers/sql-databases.ts'
import { createSqlAuditLog } from '../../runtime/sql/admin-store.ts'
import { createSqlRightsStore } from '../../runtime/sql/rights-store.ts'

const INTRUDER = 'Intrus.Inconnu@attaque-exemple.example'
const FORMER = 'ancienne.admin@guichet.example'

let h: AdminHarness
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let base: string

beforeAll(async () => {
  h = await startAdmin()
  server = await serveOnFreePort(h.app.fetch)
  base = `http://127.0.0.1:${server.port}`
  await h.createUser('dpo@guichet.example', 'admin')
  await h.createUser(FORMER, 'editor')
}, 60_000)
afterAll(async () => {
  await server.close()
  h.dispose()
})

const jsonLogin = (email: string, password: string, ip = '10.0.0.7') =>
  fetch(`${base}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ email, password }) })

/** The login form as a browser posts it: the CSRF token of the page, with its cookie. */
async function formLogin(email: string, password: string): Promise<Response> {
  const page = await fetch(`${base}/admin/login`, { headers: { 'x-test-ip': '10.0.0.8' } })
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0]!
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!
  return fetch(`${base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { cookie, 'x-test-ip': '10.0.0.8', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, email, password }) })
}

const db = () => h.services.db
const failures = () => db().prepare(`SELECT at, actor, action FROM admin_audit WHERE action LIKE 'login.%' ORDER BY id`).all() as { at: string; actor: string; action: string }[]
/** The files of the database holding the address (as typed or lower-cased) or its local part. */
function filesHolding(address: string): string[] {
  const files = ['guichet.sqlite', 'guichet.sqlite-wal', 'guichet.sqlite-shm'].map((f) => join(h.services.config.GUICHET_DATA_DIR, f)).filter(existsSync)
  expect(files.length).toBeGreaterThan(0)
  const needles = [address, address.toLowerCase(), address.toLowerCase().split('@')[0]!].map((n) => Buffer.from(n))
  return files.filter((f) => {
    const bytes = readFileSync(f)
    return needles.some((n) => bytes.includes(n))
  })
}
/** Every row of every table naming the address (case ignored). */
function rowsNaming(address: string): string[] {
  const tables = (db().prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[]).map((t) => t.name)
  return tables.flatMap((t) => (db().prepare(`SELECT * FROM "${t}"`).all() as object[]).filter((r) => JSON.stringify(r).toLowerCase().includes(address.toLowerCase())).map(() => t))
}
/** The hourly prune job, run `days` after the harness's clock. */
async function hourlyJobAfter(days: number): Promise<void> {
  const later = new Date(h.clock.now().getTime() + days * 86_400_000)
  await sessionPruneJob({ ...h.services, clock: { now: () => later } }).run()
}

describe('a failed back-office login', () => {
  it('with an address no account has: counted under its keyed reference; no byte of the address once the hourly job has run', async () => {
    for (let i = 0; i < 3; i++) expect((await jsonLogin(INTRUDER, `devine-${i}`)).status).toBe(401)
    const form = await formLogin(INTRUDER.toLowerCase(), 'encore-une')
    expect(form.status).toBe(303)
    expect(form.headers.get('location')).toBe('/admin/login?erreur=invalide')

    const rows = failures()
    expect(rows).toHaveLength(4)
    // One reference for the four attempts (whatever the case typed), the rights requests' one.
    expect(new Set(rows.map((r) => r.actor))).toEqual(new Set([await h.services.admin.audit.subjectRef(INTRUDER)]))
    expect(rows[0]!.actor).toMatch(/^subject:[0-9a-f]{32}$/)
    expect(rows.map((r) => r.action)).toEqual(['login.invalid', 'login.invalid', 'login.invalid', 'login.invalid'])
    expect(rows.every((r) => r.at === h.clock.now().toISOString())).toBe(true)
    // Only the throttle's counter names it, for its declared day.
    expect(rowsNaming(INTRUDER)).toEqual(['admin_login_limits'])

    await hourlyJobAfter(3)
    expect(rowsNaming(INTRUDER)).toEqual([])
    expect(failures()).toEqual(rows)
    expect(filesHolding(INTRUDER)).toEqual([])
  })

  it('with an erased admin\'s address: the attempt does not write the address back into the audit', async () => {
    const admin = await jsonLogin('dpo@guichet.example', PASSWORD)
    expect(admin.status).toBe(200)
    const session = { cookie: (admin.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: ((await admin.json()) as { csrf: string }).csrf }
    const erased = await fetch(`${base}/admin/privacy/rights`, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: session.csrf, email: FORMER, action: 'erase', confirm: '1' }) })
    expect(erased.status).toBe(200)
    expect(filesHolding(FORMER)).toEqual([])

    expect((await jsonLogin(FORMER, PASSWORD)).status).toBe(401)
    expect(failures().at(-1)).toMatchObject({ actor: await h.services.admin.audit.subjectRef(FORMER), action: 'login.invalid' })
    expect(rowsNaming(FORMER)).toEqual(['admin_login_limits'])
    await hourlyJobAfter(3)
    expect(filesHolding(FORMER)).toEqual([])
  })

  it('on a real account: recorded under the account\'s address, as stored', async () => {
    expect((await jsonLogin('DPO@Guichet.example', 'pas-le-bon', '10.0.0.9')).status).toBe(401)
    expect(failures().at(-1)).toMatchObject({ actor: 'dpo@guichet.example', action: 'login.invalid' })
  })
})

// The Workers runtime records failed logins through the same SQL audit log, on D1.
describe.each(SQL_DATABASES)('the audit log\'s reference for an address on %s', (_, open) => {
  it('is the rights store\'s, whatever the case, and holds nothing of the address', async () => {
    const { db: sqlDb, close } = await open()
    try {
      const ref = await createSqlAuditLog(sqlDb).subjectRef(INTRUDER)
      expect(ref).toMatch(/^subject:[0-9a-f]{32}$/)
      expect(await createSqlRightsStore(sqlDb).subjectRef(INTRUDER.toLowerCase())).toBe(ref)
      expect(await createSqlAuditLog(sqlDb).subjectRef('autre@attaque-exemple.example')).not.toBe(ref)
    } finally {
      await close()
    }
  })
})
