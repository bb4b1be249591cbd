// What a subscriber's own export adds to the subscription and its ledger (the management page's
// « Télécharger mes données (JSON) »): its outbox e-mails and the Teams conversation reference it
// alerts, read by the rights store's reads for one subscription, on a SQLite file and on D1
// (Miniflare). Only this subscription's: nothing of another subscriber, nor an e-mail to the same
// address that no subscription sent.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import { createMemoryAlertsStore } from '../../bot/alerts/memory-alerts-store.ts'
import { sql, type SqlDatabase } from '../../runtime/sql/database.ts'
import { createTtlLease } from '../../runtime/sql/alerts-lease.ts'
import { createSqlAlertsStore } from '../../runtime/sql/alerts-store.ts'
import { createSqlConversationReferenceStore } from '../../runtime/sql/teams-store.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'
import { keptSubscription } from './subscription-fixture.ts'

const subscription = keptSubscription

/** An outbox e-mail as Node's outbox mailer writes it. */
const mail = (subscriptionId: string, recipient: string, subject: string) =>
  sql(`INSERT INTO alert_outbox (subscription_id, created_at, status, recipient, subject, headers, text, html) VALUES (?, '2026-03-01T08:01:00Z', 'queued', ?, ?, '{"List-Unsubscribe-Post":"List-Unsubscribe=One-Click"}', ?, ?)`,
    subscriptionId, recipient, subject, `Bonjour, ${subject}`, `<p>Bonjour, ${subject}</p>`)

describe.each(SQL_DATABASES)('AlertsStore.subscriptionRecords on %s', (_name, open) => {
  let opened: OpenedDatabase
  let db: SqlDatabase
  let store: AlertsStore
  beforeEach(async () => {
    opened = await open()
    db = opened.db
    store = createSqlAlertsStore(db, { lease: createTtlLease(db) })
    await store.createSubscription(subscription('sub-a', 'dgs@vezelay.example', '19:vezelay@thread.tacv2'))
    await store.createSubscription(subscription('sub-b', 'mairie@asquins.example', '19:asquins@thread.tacv2'))
    const teams = createSqlConversationReferenceStore(db)
    for (const id of ['19:vezelay@thread.tacv2', '19:asquins@thread.tacv2']) {
      await teams.save({ conversationId: id, reference: { conversation: { id }, serviceUrl: 'https://smba.trafficmanager.net/fr/' } as never, tenantId: 'tenant-1', kind: 'channel', userAadId: null }, new Date('2026-02-15T10:00:00.000Z'))
    }
    await db.batch([
      mail('sub-a', 'dgs@vezelay.example', 'Confirmez votre abonnement aux alertes Guichet'),
      mail('sub-a', 'dgs@vezelay.example', 'Guichet : 1 échéance'),
      mail('sub-b', 'mairie@asquins.example', 'Guichet : 2 échéances'),
      mail('admin-unlock', 'dgs@vezelay.example', 'Déblocage de votre compte'),
    ])
  })
  afterEach(() => opened.close())

  it('gives the subscription\'s outbox e-mails as written and the Teams reference it alerts, nothing else', async () => {
    const a = await store.subscriptionRecords('sub-a')
    expect(a.outbox.map((m) => [m['subscription_id'], m['recipient'], m['subject'], m['text'], m['html'], m['status']])).toEqual([
      ['sub-a', 'dgs@vezelay.example', 'Confirmez votre abonnement aux alertes Guichet', 'Bonjour, Confirmez votre abonnement aux alertes Guichet', '<p>Bonjour, Confirmez votre abonnement aux alertes Guichet</p>', 'queued'],
      ['sub-a', 'dgs@vezelay.example', 'Guichet : 1 échéance', 'Bonjour, Guichet : 1 échéance', '<p>Bonjour, Guichet : 1 échéance</p>', 'queued'],
    ])
    expect(a.outbox[0]!['headers']).toEqual({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' })
    expect(a.teamsConversations).toHaveLength(1)
    expect(a.teamsConversations[0]).toMatchObject({ conversation_id: '19:vezelay@thread.tacv2', tenant_id: 'tenant-1', channel_kind: 'channel', reference: { conversation: { id: '19:vezelay@thread.tacv2' } } })
    expect(JSON.stringify(a)).not.toContain('asquins')
    expect(JSON.stringify(a)).not.toContain('Déblocage')
  })

  it('is empty for a subscription erased or unknown', async () => {
    await store.deleteSubscription('sub-a')
    expect(await store.subscriptionRecords('sub-a')).toEqual({ outbox: [], teamsConversations: [] })
    expect(await store.subscriptionRecords('nope')).toEqual({ outbox: [], teamsConversations: [] })
    expect((await store.subscriptionRecords('sub-b')).outbox).toHaveLength(1)
  })
})

describe('AlertsStore.subscriptionRecords in memory', () => {
  it('keeps no outbox nor Teams reference: empty', async () => {
    const store = createMemoryAlertsStore()
    await store.createSubscription(subscription('sub-a', 'dgs@vezelay.example', '19:vezelay@thread.tacv2'))
    expect(await store.subscriptionRecords('sub-a')).toEqual({ outbox: [], teamsConversations: [] })
  })
})
