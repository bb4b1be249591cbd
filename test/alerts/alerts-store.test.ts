// The AlertsStore contract on every implementation: in memory; the SQL store (runtime/sql/alerts-store.ts)
// on both dialects — a SQLite file through better-sqlite3 and D1 through Miniflare — with the TTL lease
// of the Workers runtime; and the Node runtime's store (the SQL store over its SQLite file, with the
// process lease of runtime/node/lease.ts). Then the TTL lease's own cases (a Cron Trigger has no
// process to check: expiry alone), the Workers factory, and the outbox only Node has.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import type { Delivery, NewDelivery } from '../../bot/alerts/delivery.ts'
import { createMemoryAlertsStore } from '../../bot/alerts/memory-alerts-store.ts'
import type { Subscription } from '../../bot/alerts/subscription.ts'
import { createOutboxMailSender } from '../../runtime/node/alerts-mailer.ts'
import { createSqliteAlertsStore } from '../../runtime/node/sqlite-alerts-store.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'
import { createTtlLease } from '../../runtime/sql/alerts-lease.ts'
import { createSqlAlertsStore } from '../../runtime/sql/alerts-store.ts'
import { all, sql, type SqlDatabase } from '../../runtime/sql/database.ts'
import { migrate } from '../../runtime/sql/migrations.ts'
import { createD1AlertsStore } from '../../runtime/workers/d1-alerts-store.ts'
import { d1Database, type D1Like } from '../../runtime/workers/d1-database.ts'
import { commune } from '../builders/programme.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'
import { runAlertsStoreContract } from './alerts-store.contract.ts'

const opened: { db: Db; dir: string }[] = []

function sqliteFile(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-alerts-store-'))
  const db = openDatabase(dir)
  opened.push({ db, dir })
  return db
}

afterAll(() => {
  for (const { db, dir } of opened.splice(0)) {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

/** Vézelay's subscription, webhook confirmed. */
function subscriptionOf(id: string): Subscription {
  return {
    id,
    createdAt: '2026-02-15T10:00:00.000Z',
    source: 'api',
    profile: commune(420, { name: 'Vézelay', code: '89446', departement: { code: '89', name: 'Yonne' } }),
    facts: {},
    themes: ['ecoles'],
    programmes: [],
    leadTimes: [30, 7, 1],
    newCalls: 'weekly',
    channels: {
      email: { address: 'mairie@vezelay.fr', confirmedAt: '2026-02-15T10:05:00.000Z', disabledAt: null, disabledReason: null },
      webhook: { url: 'https://crm.vezelay.fr/hooks/guichet', confirmedAt: '2026-02-15T10:06:00.000Z', disabledAt: null, disabledReason: null },
    },
    lastDigestDay: null,
    newCallsSince: '2026-02-15',
    unsubscribedAt: null,
  }
}
const ids = (rows: readonly Pick<Delivery, 'id'>[]) => rows.map((r) => r.id).sort((a, b) => a - b)

/** A fresh store on a database opened once: what the alerts wrote is deleted first. */
async function emptied(db: SqlDatabase): Promise<SqlDatabase> {
  const tables = ['alert_deliveries', 'alert_progress', 'alert_subscriptions', 'alert_seen_programmes', 'alert_outbox', 'job_leases', 'meta']
  await db.batch(tables.map((t) => sql(`DELETE FROM ${t}`)))
  return db
}

runAlertsStoreContract('memory', async () => createMemoryAlertsStore())

describe.each(SQL_DATABASES)('the SQL store on %s', (name, open) => {
  let database: OpenedDatabase
  beforeAll(async () => {
    database = await open()
  }, 30_000)
  afterAll(() => database?.close())
  runAlertsStoreContract(`SQL on ${name}, TTL lease`, async () => {
    const db = await emptied(database.db)
    return createSqlAlertsStore(db, { lease: createTtlLease(db) })
  })

  describe('recordDigests is one batch', () => {
    const NOW = '2026-03-01T08:00:00.000Z'
    const row = (subscriptionId: string, channel: 'email' | 'webhook', leadDays: number): NewDelivery => ({
      subscriptionId,
      channel,
      programmeId: 'detr_yonne_2026',
      kind: 'reminder',
      deadline: '2026-03-31',
      leadDays,
      expiresOn: '2026-03-31',
      item: { kind: 'reminder', programme: { id: 'detr_yonne_2026', name: 'DETR Yonne 2026', funder: "Préfecture de l'Yonne", url: 'https://www.yonne.gouv.fr/detr' }, deadline: '2026-03-31', leadDays },
    })
    let store: AlertsStore
    beforeEach(async () => {
      const db = await emptied(database.db)
      store = createSqlAlertsStore(db, { lease: createTtlLease(db) })
      for (const id of ['sub-vezelay', 'sub-avallon']) await store.createSubscription(subscriptionOf(id))
    })

    it('all or nothing: a statement that fails after the inserts (a progress the table refuses) leaves no row and no progress of the batch', async () => {
      const batch = [
        { subscriptionId: 'sub-vezelay', rows: [row('sub-vezelay', 'email', 30)], progress: { subscriptionId: 'sub-vezelay', lastDigestDay: '2026-03-01', newCallsSince: '2026-03-01' } },
        { subscriptionId: 'sub-avallon', rows: [row('sub-avallon', 'email', 30)], progress: { subscriptionId: 'sub-avallon', lastDigestDay: '2026-03-01', newCallsSince: null as unknown as string } },
      ]
      await expect(store.recordDigests(batch, NOW)).rejects.toThrow(/NOT NULL/)
      expect(await all(database.db, sql('SELECT id FROM alert_deliveries'))).toEqual([])
      expect(await store.getSubscription('sub-vezelay')).toMatchObject({ lastDigestDay: null, newCallsSince: '2026-02-15' })
      // The same batch, mended, goes in whole.
      batch[1]!.progress.newCallsSince = '2026-02-22'
      expect([...(await store.recordDigests(batch, NOW)).values()].map((o) => o.inserted)).toEqual([1, 1])
      expect(await store.getSubscription('sub-avallon')).toMatchObject({ lastDigestDay: '2026-03-01', newCallsSince: '2026-02-22' })
    })

    it('a batch too big for one statement’s JSON (D1 takes 2 MB a value) goes in several inserts of the one batch, every row returned', async () => {
      const subs = Array.from({ length: 60 }, (_, i) => `sub-${String(i).padStart(2, '0')}`)
      for (const id of subs) await store.createSubscription(subscriptionOf(id))
      const long = (r: NewDelivery, i: number): NewDelivery => ({ ...r, programmeId: `prog_${i}`, item: { kind: 'reminder', programme: { id: `prog_${i}`, name: `Appel ${i} ${'é'.repeat(2_000)}`, funder: 'Région', url: `https://example.org/${i}` }, deadline: r.deadline, leadDays: r.leadDays } })
      // 60 × 10 rows of about 2 kB: 1.2 MB of JSON, more than one insert takes.
      const batch = subs.map((id) => ({ subscriptionId: id, rows: Array.from({ length: 10 }, (_, i) => long(row(id, 'email', 30), i)), progress: { subscriptionId: id, lastDigestDay: '2026-03-01', newCallsSince: '2026-03-01' } }))
      const calls: string[][] = []
      const watched: SqlDatabase = { ...database.db, query: (s) => (calls.push([s.sql]), database.db.query(s)), batch: (list) => (calls.push(list.map((s) => s.sql)), database.db.batch(list)) }
      const out = await createSqlAlertsStore(watched, { lease: createTtlLease(watched) }).recordDigests(batch, NOW)
      // One call to the database: three inserts and the progress.
      expect(calls.map((c) => c.map((text) => text.trim().split(/\s+/)[0]))).toEqual([['INSERT', 'INSERT', 'INSERT', 'UPDATE']])
      expect([...out.values()].map((o) => [o.inserted, o.due.length])).toEqual(subs.map(() => [10, 10]))
      const due = out.get('sub-42')!.due
      expect(due.map((d) => d.programmeId)).toEqual(Array.from({ length: 10 }, (_, i) => `prog_${i}`))
      expect(new Set(due.map((d) => d.messageId)).size).toBe(1)
      expect((due[3]!.item as { programme: { name: string } }).programme.name).toBe(`Appel 3 ${'é'.repeat(2_000)}`)
      expect(await all(database.db, sql('SELECT COUNT(*) AS n FROM alert_deliveries'))).toEqual([{ n: 600 }])
      expect(await store.getSubscription('sub-59')).toMatchObject({ lastDigestDay: '2026-03-01' })
    })

    it('a due row recorded before message ids existed gets the id of its message, shared with a new row of that message, and keeps it', async () => {
      const old = (await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows: [row('sub-vezelay', 'webhook', 30), row('sub-vezelay', 'email', 30)] }], NOW)).get('sub-vezelay')!.due
      // As migration 13 left the rows of an earlier version: no message id.
      await database.db.query(sql('UPDATE alert_deliveries SET message_id = NULL'))
      const first = (await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows: [row('sub-vezelay', 'webhook', 7)], leftovers: true }], NOW)).get('sub-vezelay')!
      expect(first.inserted).toBe(1)
      const byChannel = (list: Delivery[], channel: string) => [...new Set(list.filter((d) => d.channel === channel).map((d) => d.messageId))]
      expect(first.due).toHaveLength(3)
      expect(byChannel(first.due, 'webhook')).toHaveLength(1)
      expect(byChannel(first.due, 'email')).toHaveLength(1)
      expect(byChannel(first.due, 'webhook')[0]).not.toBe(byChannel(first.due, 'email')[0])
      expect(first.due.every((d) => d.messageId)).toBe(true)
      // Written with the rows, and the same on the next run's left-overs.
      const again = (await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows: [], leftovers: true }], NOW)).get('sub-vezelay')!.due
      expect(again.map((d) => [d.id, d.messageId])).toEqual(first.due.map((d) => [d.id, d.messageId]))
      expect(ids(again)).toEqual(ids([...old, ...first.due.filter((d) => d.leadDays === 7)]))
    })
  })

  describe('the TTL lease (Workers: a Cron Trigger has no process to check)', () => {
    const at = (iso: string) => new Date(iso)
    const TTL = 60_000
    type LeaseRow = { owner: string; host: string; pid: number; acquired_at: string; renewed_at: string; expires_at: number }
    const row = async () => (await all<LeaseRow>(database.db, sql("SELECT owner, host, pid, acquired_at, renewed_at, expires_at FROM job_leases WHERE name = 'digest'")))[0]
    beforeEach(async () => {
      await emptied(database.db)
    })

    it('taken when free: a row in job_leases naming the run, host workers, pid 0, expiring after the TTL', async () => {
      expect(await createTtlLease(database.db).acquire('cron-0800', at('2026-03-01T08:00:00Z'), TTL)).toBe(true)
      expect(await row()).toEqual({ owner: 'cron-0800', host: 'workers', pid: 0, acquired_at: '2026-03-01T08:00:00.000Z', renewed_at: '2026-03-01T08:00:00.000Z', expires_at: Date.parse('2026-03-01T08:01:00Z') })
    })

    it('refused to another invocation while held, up to the last millisecond; the holder’s row untouched', async () => {
      const first = createTtlLease(database.db)
      const second = createTtlLease(database.db)
      expect(await first.acquire('cron-0800', at('2026-03-01T08:00:00Z'), TTL)).toBe(true)
      expect(await second.acquire('cron-0800b', at('2026-03-01T08:00:59.999Z'), TTL)).toBe(false)
      expect(await row()).toMatchObject({ owner: 'cron-0800', expires_at: Date.parse('2026-03-01T08:01:00Z') })
      // Another owner cannot release it either.
      await second.release('cron-0800b')
      expect((await row())?.owner).toBe('cron-0800')
    })

    it('taken by another invocation once expired (a run cut short holds nobody up past its TTL)', async () => {
      const first = createTtlLease(database.db)
      const second = createTtlLease(database.db)
      expect(await first.acquire('cron-0800', at('2026-03-01T08:00:00Z'), TTL)).toBe(true)
      expect(await second.acquire('cron-0801', at('2026-03-01T08:01:00Z'), TTL)).toBe(true)
      expect(await row()).toMatchObject({ owner: 'cron-0801', acquired_at: '2026-03-01T08:01:00.000Z', expires_at: Date.parse('2026-03-01T08:02:00Z') })
      // The first run has lost it: its heartbeat is refused, its release frees nothing.
      expect(await first.acquire('cron-0800', at('2026-03-01T08:01:10Z'), TTL)).toBe(false)
      await first.release('cron-0800')
      expect((await row())?.owner).toBe('cron-0801')
    })

    it('pushed by its owner (the heartbeat): the expiry moves, the acquisition time stays', async () => {
      const lease = createTtlLease(database.db)
      expect(await lease.acquire('cron-0800', at('2026-03-01T08:00:00Z'), TTL)).toBe(true)
      expect(await lease.acquire('cron-0800', at('2026-03-01T08:00:45Z'), TTL)).toBe(true)
      expect(await row()).toMatchObject({ owner: 'cron-0800', acquired_at: '2026-03-01T08:00:00.000Z', renewed_at: '2026-03-01T08:00:45.000Z', expires_at: Date.parse('2026-03-01T08:01:45Z') })
      expect(await createTtlLease(database.db).acquire('cron-0801', at('2026-03-01T08:01:30Z'), TTL)).toBe(false)
      await lease.release('cron-0800')
      expect(await row()).toBeUndefined()
    })

    it('two invocations racing for a free or an expired lease: exactly one wins', async () => {
      const racers = ['a', 'b', 'c', 'd'].map((id) => [id, createTtlLease(database.db)] as const)
      const free = await Promise.all(racers.map(([id, l]) => l.acquire(`cron-${id}`, at('2026-03-01T08:00:00Z'), TTL)))
      expect(free.filter(Boolean)).toHaveLength(1)
      expect((await row())?.owner).toBe(`cron-${racers[free.indexOf(true)]![0]}`)
      const expired = await Promise.all(racers.map(([id, l]) => l.acquire(`cron-${id}-late`, at('2026-03-01T08:05:00Z'), TTL)))
      expect(expired.filter(Boolean)).toHaveLength(1)
      expect((await row())?.owner).toBe(`cron-${racers[expired.indexOf(true)]![0]}-late`)
    })
  })
})

runAlertsStoreContract('SQLite on Node (process lease)', async () => createSqliteAlertsStore(sqliteFile()))

describe('the Workers factory over a D1 binding (Miniflare)', () => {
  let mf: Miniflare
  let d1: D1Like
  beforeAll(async () => {
    mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
    d1 = (await mf.getD1Database('DB')) as unknown as D1Like
  }, 30_000)
  afterAll(() => mf?.dispose())

  it('stores in D1 (what one store wrote another reads), takes the TTL lease, and has no outbox', async () => {
    await migrate(d1Database(d1))
    const store = createD1AlertsStore(d1)
    const s = subscriptionOf('sub-vezelay')
    await store.createSubscription(s)
    expect(await createD1AlertsStore(d1).getSubscription('sub-vezelay')).toEqual(s)
    expect(await store.acquireLock('cron-0800', new Date('2026-03-01T08:00:00Z'), 60_000)).toBe(true)
    expect(await createD1AlertsStore(d1).acquireLock('cron-0801', new Date('2026-03-01T08:00:30Z'), 60_000)).toBe(false)
    expect(await all(d1Database(d1), sql("SELECT owner, host, pid FROM job_leases WHERE name = 'digest'"))).toEqual([{ owner: 'cron-0800', host: 'workers', pid: 0 }])
    expect((await store.adminStats()).outbox).toBeNull()
    expect((await store.adminOutbox({ limit: 10, pendingBefore: '2026-03-02T00:00:00Z' })).mails).toEqual([])
  })
})

describe('SQLite AlertsStore: the outbox', () => {
  const subscription = (id: string, address: string): Subscription => ({
    id,
    createdAt: '2026-02-15T10:00:00.000Z',
    source: 'widget',
    profile: commune(420, { name: 'Vézelay', code: '89446', departement: { code: '89', name: 'Yonne' } }),
    facts: {},
    themes: ['ecoles'],
    programmes: [],
    leadTimes: [30, 7, 1],
    newCalls: 'weekly',
    channels: { email: { address, confirmedAt: null, disabledAt: null, disabledReason: null } },
    lastDigestDay: null,
    newCallsSince: '2026-02-15',
    unsubscribedAt: null,
  })

  it('deleteSubscription erases its outbox messages, not the others', async () => {
    const db = sqliteFile()
    const store = createSqliteAlertsStore(db)
    const mailer = createOutboxMailSender({ db, now: () => new Date('2026-03-01T08:00:00Z') })
    await store.createSubscription(subscription('sub-vezelay', 'mairie@vezelay.fr'))
    await store.createSubscription(subscription('sub-avallon', 'mairie@avallon.fr'))
    const mail = (subscriptionId: string, to: string) => ({ to, subject: 'Confirmez votre alerte Guichet', text: 'Confirmez', html: '<p>Confirmez</p>', headers: {}, subscriptionId })
    await mailer.send(mail('sub-vezelay', 'mairie@vezelay.fr'))
    await mailer.send(mail('sub-avallon', 'mairie@avallon.fr'))
    expect((await store.adminStats()).outbox).toEqual({ queued: 2, failed: 0 })

    expect(await store.deleteSubscription('sub-vezelay')).toBe(true)
    const { mails } = await store.adminOutbox({ limit: 10, pendingBefore: '2026-03-02T00:00:00Z' })
    expect(mails.map((m) => [m.subscriptionId, m.recipient])).toEqual([['sub-avallon', 'mairie@avallon.fr']])
    expect((await store.adminStats()).outbox).toEqual({ queued: 1, failed: 0 })
  })
})
