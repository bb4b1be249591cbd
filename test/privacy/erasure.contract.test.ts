// Erasure is complete on both runtimes (the SQL stores on a SQLite file and on D1 through
// Miniflare): a subscription deleted by its manage link takes its delivery ledger (sent history
// included), progress, outbox e-mails and the Teams conversation reference it alerts with it; an
// admin's export by e-mail address returns all of that, and the erasure by address removes it in
// one transaction with an audit entry that names the subject by a keyed hash, never the address.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import { all, sql, type SqlDatabase } from '../../runtime/sql/database.ts'
import { createTtlLease } from '../../runtime/sql/alerts-lease.ts'
import { createSqlAlertsStore } from '../../runtime/sql/alerts-store.ts'
import { createSqlAuditLog } from '../../runtime/sql/admin-store.ts'
import { createSqlRightsStore } from '../../runtime/sql/rights-store.ts'
import { createSqlConversationReferenceStore } from '../../runtime/sql/teams-store.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'
import { keptSubscription } from '../alerts/subscription-fixture.ts'

const NOW = new Date('2026-03-01T08:00:00.000Z')

const subscription = keptSubscription

/** A sent and a pending ledger row and an outbox e-mail for the subscription. */
async function history(db: SqlDatabase, id: string, recipient: string): Promise<void> {
  const row = (state: string, lead: number) =>
    sql(
      `INSERT INTO alert_deliveries (subscription_id, channel, programme_id, kind, deadline, lead_days, state, expires_on, created_at, sent_at, item)
       VALUES (?, 'email', 'detr_yonne_2026', 'reminder', '2026-03-31', ?, ?, '2026-03-31', '2026-03-01T08:00:00Z', ?, '{"kind":"reminder"}')`,
      id, lead, state, state === 'sent' ? '2026-03-01T08:01:00Z' : null,
    )
  await db.batch([
    row('sent', 30),
    row('pending', 7),
    sql(`INSERT INTO alert_outbox (subscription_id, created_at, status, recipient, subject, headers, text, html) VALUES (?, '2026-03-01T08:01:00Z', 'queued', ?, 'Rappel DETR', '{}', ?, ?)`,
      id, recipient, `Bonjour ${recipient}`, `<p>Bonjour ${recipient}</p>`),
  ])
}

const rowsOf = async (db: SqlDatabase, id: string) => ({
  subscriptions: (await all(db, sql('SELECT id FROM alert_subscriptions WHERE id = ?', id))).length,
  progress: (await all(db, sql('SELECT subscription_id FROM alert_progress WHERE subscription_id = ?', id))).length,
  deliveries: (await all(db, sql('SELECT id FROM alert_deliveries WHERE subscription_id = ?', id))).length,
  outbox: (await all(db, sql('SELECT id FROM alert_outbox WHERE subscription_id = ?', id))).length,
})
const NONE = { subscriptions: 0, progress: 0, deliveries: 0, outbox: 0 }

describe.each(SQL_DATABASES)('erasure on %s', (_name, open) => {
  let opened: OpenedDatabase
  let db: SqlDatabase
  let store: AlertsStore
  const teams = () => createSqlConversationReferenceStore(db)
  const saveConversation = (conversationId: string) =>
    teams().save({ conversationId, reference: { conversation: { id: conversationId }, user: { name: 'Marie Dupont' } } as never, tenantId: 't1', kind: 'personal', userAadId: 'aad-marie' }, NOW)

  beforeEach(async () => {
    opened = await open()
    db = opened.db
    store = createSqlAlertsStore(db, { lease: createTtlLease(db) })
  })
  afterEach(() => opened.close())

  it('the manage link\'s erasure takes the ledger, progress, outbox and the Teams reference with it', async () => {
    await saveConversation('19:vezelay@thread')
    await saveConversation('19:shared@thread')
    await store.createSubscription(subscription('a', 'marie@vezelay.example', '19:vezelay@thread'))
    await store.createSubscription(subscription('b', 'paul@vezelay.example', '19:shared@thread'))
    await store.createSubscription(subscription('c', undefined, '19:shared@thread'))
    await history(db, 'a', 'marie@vezelay.example')
    await history(db, 'b', 'paul@vezelay.example')
    expect(await rowsOf(db, 'a')).toEqual({ subscriptions: 1, progress: 1, deliveries: 2, outbox: 1 })

    expect(await store.deleteSubscription('a')).toBe(true)
    expect(await rowsOf(db, 'a')).toEqual(NONE)
    expect(await teams().get('19:vezelay@thread')).toBeUndefined()
    // b's conversation is still alerted by c: its reference stays.
    expect(await store.deleteSubscription('b')).toBe(true)
    expect(await rowsOf(db, 'b')).toEqual(NONE)
    expect(await teams().get('19:shared@thread')).toBeDefined()
    expect(await store.deleteSubscription('b')).toBe(false)
  })

  it('an admin exports then erases all that concerns an address, audited under a keyed hash', async () => {
    const rights = createSqlRightsStore(db)
    await saveConversation('19:vezelay@thread')
    await store.createSubscription(subscription('a', 'Marie@Vezelay.example', '19:vezelay@thread'))
    await store.createSubscription(subscription('a2', 'marie@vezelay.example'))
    await store.createSubscription(subscription('other', 'paul@vezelay.example'))
    await history(db, 'a', 'Marie@Vezelay.example')
    await history(db, 'a2', 'marie@vezelay.example')
    await history(db, 'other', 'paul@vezelay.example')
    // An outbox e-mail to the address outside any subscription (an unlock link to an admin account of the same person).
    await db.query(sql(`INSERT INTO alert_outbox (subscription_id, created_at, status, recipient, subject, headers, text, html) VALUES ('admin-unlock', '2026-03-01T09:00:00Z', 'queued', 'marie@vezelay.example', 'Déblocage', '{}', 'lien', '<p>lien</p>')`))

    const exported = await rights.export(' MARIE@vezelay.example ')
    expect(exported.email).toBe('marie@vezelay.example')
    expect(exported.subscriptions.map((s) => s['id']).sort()).toEqual(['a', 'a2'])
    expect(exported.subscriptions[0]).toMatchObject({ channels: { email: { address: expect.stringMatching(/^marie@vezelay\.example$/i) } }, lastDigestDay: '2026-02-28', newCallsSince: '2026-02-15' })
    expect(exported.deliveries).toHaveLength(4)
    expect(exported.deliveries[0]).toMatchObject({ subscription_id: 'a', state: 'sent', item: { kind: 'reminder' } })
    expect(exported.outbox).toHaveLength(3)
    expect(exported.outbox.map((m) => m['subject'])).toContain('Déblocage')
    expect(exported.outbox[0]).toMatchObject({ text: 'Bonjour Marie@Vezelay.example', html: '<p>Bonjour Marie@Vezelay.example</p>', headers: {} })
    expect(exported.teamsConversations).toEqual([expect.objectContaining({ conversation_id: '19:vezelay@thread', reference: expect.objectContaining({ user: { name: 'Marie Dupont' } }) })])
    expect(JSON.stringify(exported)).not.toContain('paul@')

    const counts = await rights.erase('marie@vezelay.example', { at: NOW.toISOString(), actor: 'admin@guichet.example', via: 'back-office' })
    expect(counts).toEqual({ subscriptions: 2, deliveries: 4, outbox: 3, teamsConversations: 1, adminAccounts: 0, attributions: 0 })
    expect(await rowsOf(db, 'a')).toEqual(NONE)
    expect(await rowsOf(db, 'a2')).toEqual(NONE)
    expect(await rowsOf(db, 'other')).toEqual({ subscriptions: 1, progress: 1, deliveries: 2, outbox: 1 })
    expect(await all(db, sql(`SELECT id FROM alert_outbox WHERE lower(recipient) LIKE 'marie%'`))).toEqual([])
    expect(await teams().get('19:vezelay@thread')).toBeUndefined()
    expect(await rights.export('marie@vezelay.example')).toEqual({ email: 'marie@vezelay.example', subscriptions: [], deliveries: [], outbox: [], teamsConversations: [], backOffice: { account: null, sessions: 0, unlockLinks: 0, loginLimits: [], audit: [], authored: { programme_overrides: [], admin_programmes: [], programme_merges: [], page_sources: [] } } })

    const ref = await rights.subjectRef('Marie@vezelay.EXAMPLE')
    expect(ref).toMatch(/^subject:[0-9a-f]{32}$/)
    expect(ref).not.toBe(await rights.subjectRef('paul@vezelay.example'))
    const [entry] = await createSqlAuditLog(db).list({ target: ref })
    expect(entry).toMatchObject({ actor: 'admin@guichet.example', action: 'rights.erase', target: ref, before: null, after: { via: 'back-office', ...counts } })
    const audit = JSON.stringify(await all(db, sql('SELECT * FROM admin_audit')))
    expect(audit.toLowerCase()).not.toContain('marie')
    expect(audit).not.toContain('vezelay.example')
  })
})
