// The AlertsStore contract on both implementations: in memory, and in SQLite over a real file in
// a temp dir (the store production runs). Plus what only the SQLite store has: the outbox.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryAlertsStore } from '../../bot/alerts/memory-alerts-store.ts'
import type { Subscription } from '../../bot/alerts/subscription.ts'
import { createOutboxMailSender } from '../../runtime/node/alerts-mailer.ts'
import { createSqliteAlertsStore } from '../../runtime/node/sqlite-alerts-store.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'
import { commune } from '../builders/programme.ts'
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

runAlertsStoreContract('memory', async () => createMemoryAlertsStore())
runAlertsStoreContract('SQLite', async () => createSqliteAlertsStore(sqliteFile()))

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
