// The AlertsStore in the SQLite file: subscriptions as JSON (digest progress in columns so a
// run never rewrites them), the delivery ledger with its unique key, programmes seen, the
// outbox (runtime/node/alerts-mailer.ts) and the run lock. Every method is one transaction:
// rows recorded before a send are committed before it starts.
import type { AdminOutboxMail, AlertsAdminStats, AlertsStore, DigestProgress, DigestRecord, RetryOutcome } from '../../bot/alerts/alerts-store.ts'
import { assignMessageIds, newMessageId, type Delivery, type DeliveryKind, type DeliveryState, type DigestItem, type NewDelivery } from '../../bot/alerts/delivery.ts'
import { CHANNELS, type ChannelKind, type Subscription } from '../../bot/alerts/subscription.ts'
import { createLeases, type Leases } from './lease.ts'
import type { Db } from './sqlite.ts'

interface SubscriptionRow {
  id: string
  json: string
  last_digest_day: string | null
  new_calls_since: string
}

interface DeliveryRow {
  id: number
  subscription_id: string
  channel: ChannelKind
  programme_id: string
  kind: DeliveryKind
  deadline: string
  lead_days: number
  state: DeliveryState
  attempts: number
  last_error: string | null
  next_attempt_at: string | null
  expires_on: string
  created_at: string
  sent_at: string | null
  item: string
  message_id: string | null
}

function toSubscription(r: SubscriptionRow): Subscription {
  const s = JSON.parse(r.json) as Subscription
  s.lastDigestDay = r.last_digest_day
  s.newCallsSince = r.new_calls_since
  return s
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    messageId: r.message_id,
    subscriptionId: r.subscription_id,
    channel: r.channel,
    programmeId: r.programme_id,
    kind: r.kind,
    deadline: r.deadline,
    leadDays: r.lead_days,
    state: r.state,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at,
    expiresOn: r.expires_on,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    item: JSON.parse(r.item) as DigestItem,
  }
}

const LOCK = 'digest'
/** The address of a ledger row's channel, read from its subscription (`s`) for the back office. */
const TARGET = `s.json ->> ('$.channels.' || d.channel || CASE d.channel WHEN 'email' THEN '.address' WHEN 'webhook' THEN '.url' ELSE '.conversationId' END) AS target`
const SELECT_SUBSCRIPTIONS = 'SELECT s.id, s.json, p.last_digest_day, p.new_calls_since FROM alert_subscriptions s JOIN alert_progress p ON p.subscription_id = s.id'

/** Subscriptions, their progress and the ledger: what the digest and the API read and write. */
function coreStatements(db: Db) {
  return {
    insertSub: db.prepare('INSERT INTO alert_subscriptions (id, created_at, json) VALUES (?, ?, ?)'),
    insertProgress: db.prepare('INSERT INTO alert_progress (subscription_id, last_digest_day, new_calls_since) VALUES (?, ?, ?)'),
    getSub: db.prepare<[string], SubscriptionRow>(`${SELECT_SUBSCRIPTIONS} WHERE s.id = ?`),
    saveSub: db.prepare('UPDATE alert_subscriptions SET json = ? WHERE id = ?'),
    deleteSub: db.prepare('DELETE FROM alert_subscriptions WHERE id = ?'),
    deleteProgress: db.prepare('DELETE FROM alert_progress WHERE subscription_id = ?'),
    // Through the partial index of open rows; the sent history goes with the next purge.
    deleteRows: db.prepare(`DELETE FROM alert_deliveries WHERE subscription_id = ? AND state IN ('pending', 'failed')`),
    purgeOrphans: db.prepare('DELETE FROM alert_deliveries WHERE subscription_id NOT IN (SELECT id FROM alert_subscriptions)'),
    purgeOld: db.prepare(`DELETE FROM alert_deliveries WHERE state IN ('sent', 'expired') AND expires_on < ?`),
    deleteOutbox: db.prepare('DELETE FROM alert_outbox WHERE subscription_id = ?'),
    listSubs: db.prepare<[], SubscriptionRow>(SELECT_SUBSCRIPTIONS),
    progress: db.prepare('UPDATE alert_progress SET last_digest_day = ?, new_calls_since = ? WHERE subscription_id = ?'),
    progressMany: db.prepare(
      `UPDATE alert_progress SET last_digest_day = j.value->>1, new_calls_since = j.value->>2 FROM json_each(?) j WHERE alert_progress.subscription_id = j.value->>0`,
    ),
    insertRow: db.prepare(
      `INSERT OR IGNORE INTO alert_deliveries (subscription_id, channel, programme_id, kind, deadline, lead_days, state, attempts, expires_on, created_at, item)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    ),
    dueOf: db.prepare<[string, string], DeliveryRow>(
      `SELECT * FROM alert_deliveries WHERE subscription_id = ? AND state IN ('pending', 'failed') AND (state = 'pending' OR next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id`,
    ),
    dueSubs: db.prepare<[string], { subscription_id: string }>(
      // Written so that SQLite sees it implies the partial index of open rows (no table scan).
      `SELECT DISTINCT subscription_id FROM alert_deliveries WHERE state IN ('pending', 'failed') AND (state = 'pending' OR next_attempt_at IS NULL OR next_attempt_at <= ?)`,
    ),
    // Only a row without a message gets one: a message id, once written, is never replaced.
    setMessages: db.prepare(
      `UPDATE alert_deliveries SET message_id = j.value->>1 FROM json_each(?) j WHERE alert_deliveries.id = j.value->>0 AND alert_deliveries.message_id IS NULL`,
    ),
    sent: db.prepare(`UPDATE alert_deliveries SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
      WHERE id IN (SELECT value FROM json_each(?)) AND state != 'sent'`),
    failed: db.prepare(`UPDATE alert_deliveries SET state = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ? AND state != 'sent'`),
    expire: db.prepare(`UPDATE alert_deliveries SET state = 'expired' WHERE state IN ('pending', 'failed') AND expires_on < ?`),
    cancel: db.prepare(`UPDATE alert_deliveries SET state = 'expired', last_error = ? WHERE id = ? AND state IN ('pending', 'failed')`),
    cancelChannel: db.prepare(`UPDATE alert_deliveries SET state = 'expired', last_error = ? WHERE subscription_id = ? AND channel = ? AND state IN ('pending', 'failed')`),
    cancelAll: db.prepare(`UPDATE alert_deliveries SET state = 'expired', last_error = ? WHERE subscription_id = ? AND state IN ('pending', 'failed')`),
    // Tests and admin only: a table scan (the ledger keeps no full index on subscription_id, see deleteSubscription).
    rowsOf: db.prepare<[string], DeliveryRow>('SELECT * FROM alert_deliveries WHERE subscription_id = ? ORDER BY id'),
    getRow: db.prepare<[number], DeliveryRow>('SELECT * FROM alert_deliveries WHERE id = ?'),
  }
}

/** The back office's views of the ledger and the outbox, and its retries. */
function adminStatements(db: Db) {
  return {
    // Back office. Channel status as channelStatus() says it: disabled wins; e-mail and webhook are pending until confirmed.
    subStats: db.prepare<[], { channel: ChannelKind; active: number; pending: number; disabled: number }>(
      `SELECT c.channel,
         SUM(s.json ->> ('$.channels.' || c.channel || '.disabledAt') IS NULL AND (c.channel = 'teams' OR s.json ->> ('$.channels.' || c.channel || '.confirmedAt') IS NOT NULL)) AS active,
         SUM(s.json ->> ('$.channels.' || c.channel || '.disabledAt') IS NULL AND c.channel != 'teams' AND s.json ->> ('$.channels.' || c.channel || '.confirmedAt') IS NULL) AS pending,
         SUM(s.json ->> ('$.channels.' || c.channel || '.disabledAt') IS NOT NULL) AS disabled
       FROM (SELECT 'email' AS channel UNION ALL SELECT 'teams' UNION ALL SELECT 'webhook') c
       JOIN alert_subscriptions s ON json_type(s.json, '$.channels.' || c.channel) = 'object' AND s.json ->> '$.unsubscribedAt' IS NULL
       GROUP BY c.channel`,
    ),
    // A scan of the ledger (purged after a month): fine for an admin page.
    rowStats: db.prepare<[], { channel: ChannelKind; state: DeliveryState; n: number }>('SELECT channel, state, COUNT(*) AS n FROM alert_deliveries GROUP BY channel, state'),
    outboxStats: db.prepare<[], { status: 'queued' | 'failed'; n: number }>('SELECT status, COUNT(*) AS n FROM alert_outbox GROUP BY status'),
    adminRow: db.prepare<[number], DeliveryRow & { target: string | null }>(`SELECT d.*, ${TARGET} FROM alert_deliveries d LEFT JOIN alert_subscriptions s ON s.id = d.subscription_id WHERE d.id = ?`),
    // Through the partial index of open rows (few), then sorted.
    openRows: db.prepare<[string, number], DeliveryRow & { target: string | null }>(
      `SELECT d.*, ${TARGET} FROM alert_deliveries d LEFT JOIN alert_subscriptions s ON s.id = d.subscription_id
       WHERE d.state IN ('pending', 'failed') AND (d.state = 'failed' OR d.created_at < ?)
       ORDER BY +d.id DESC LIMIT ?`,
    ),
    outboxRows: db.prepare<[number], { id: number; subscription_id: string; created_at: string; status: 'queued' | 'failed'; error: string | null; recipient: string }>(
      'SELECT id, subscription_id, created_at, status, error, recipient FROM alert_outbox ORDER BY id DESC LIMIT ?',
    ),
    // Only a failed row not yet due moves: a sent row can never become due again.
    retry: db.prepare(`UPDATE alert_deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'failed' AND next_attempt_at > ?`),
    retryAll: db.prepare(`UPDATE alert_deliveries SET next_attempt_at = ? WHERE state IN ('pending', 'failed') AND state = 'failed' AND next_attempt_at > ?`),
  }
}

function seenAndMetaStatements(db: Db) {
  return {
    seen: db.prepare<[], { programme_id: string; first_seen: string }>('SELECT programme_id, first_seen FROM alert_seen_programmes'),
    markSeen: db.prepare('INSERT OR IGNORE INTO alert_seen_programmes (programme_id, first_seen) VALUES (?, ?)'),
    getMeta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
    setMeta: db.prepare('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
  }
}

type Statements = ReturnType<typeof coreStatements> & ReturnType<typeof adminStatements> & ReturnType<typeof seenAndMetaStatements>

/** The ledger's writes, each one transaction (rows recorded before a send are committed before it starts). */
function ledgerTransactions(db: Db, q: Statements, newId: () => string) {
  /** Inserts the rows not in the ledger yet, as pending; returns them as deliveries (a key already there is skipped). */
  const insertRows = (rows: readonly NewDelivery[], now: string): Delivery[] => {
    const out: Delivery[] = []
    for (const r of rows) {
      const res = q.insertRow.run(r.subscriptionId, r.channel, r.programmeId, r.kind, r.deadline, r.leadDays, r.expiresOn, now, JSON.stringify(r.item))
      if (res.changes === 1) out.push({ ...r, id: Number(res.lastInsertRowid), messageId: null, state: 'pending', attempts: 0, lastError: null, nextAttemptAt: null, createdAt: now, sentAt: null })
    }
    return out
  }
  /** Rows about to be sent get their message id, in the caller's transaction (before any send). */
  const giveMessageIds = (rows: readonly Delivery[]) => {
    const ids = assignMessageIds(rows, newId)
    if (ids.size === 0) return
    q.setMessages.run(JSON.stringify([...ids]))
    for (const r of rows) if (!r.messageId) r.messageId = ids.get(r.id) ?? null
  }
  const saveProgressRows = (list: readonly DigestProgress[]) => {
    if (list.length) q.progressMany.run(JSON.stringify(list.map((p) => [p.subscriptionId, p.lastDigestDay, p.newCallsSince])))
  }

  const recordDigestsTx = db.transaction((batch: readonly DigestRecord[], now: string) => {
    const inserted = insertRows(batch.flatMap((b) => b.rows), now)
    saveProgressRows(batch.flatMap((b) => (b.progress ? [b.progress] : [])))
    const bySubscription = new Map<string, Delivery[]>()
    for (const d of inserted) bySubscription.set(d.subscriptionId, [...(bySubscription.get(d.subscriptionId) ?? []), d])
    const out = new Map<string, { inserted: number; due: Delivery[] }>()
    for (const b of batch) {
      const mine = bySubscription.get(b.subscriptionId) ?? []
      // Without left-overs, what is due is exactly what was just inserted: no need to read it back.
      out.set(b.subscriptionId, { inserted: mine.length, due: b.leftovers ? q.dueOf.all(b.subscriptionId, now).map(toDelivery) : mine })
    }
    giveMessageIds([...out.values()].flatMap((o) => o.due))
    return out
  })
  const recordTx = db.transaction((rows: NewDelivery[], now: string) => {
    const inserted = insertRows(rows, now)
    giveMessageIds(inserted)
    return inserted
  })
  const progressTx = saveProgressRows
  const sentTx = (ids: readonly number[], at: string) => void q.sent.run(at, JSON.stringify(ids))
  const failedTx = db.transaction((ids: readonly number[], error: string, next: string) => {
    for (const id of ids) q.failed.run(error, next, id)
  })
  const cancelTx = db.transaction((ids: readonly number[], reason: string) => {
    for (const id of ids) q.cancel.run(reason, id)
  })
  return { recordDigestsTx, recordTx, progressTx, sentTx, failedTx, cancelTx }
}

function subscriptionMethods(db: Db, q: Statements): Pick<AlertsStore, 'createSubscription' | 'getSubscription' | 'saveSubscription' | 'deleteSubscription' | 'purge' | 'listSubscriptions'> {
  const createTx = db.transaction((s: Subscription) => {
    q.insertSub.run(s.id, s.createdAt, JSON.stringify(s))
    q.insertProgress.run(s.id, s.lastDigestDay, s.newCallsSince)
  })
  const deleteTx = db.transaction((id: string) => {
    q.deleteRows.run(id)
    q.deleteProgress.run(id)
    q.deleteOutbox.run(id)
    return q.deleteSub.run(id).changes > 0
  })

  return {
    async createSubscription(s) {
      createTx(s)
    },
    async getSubscription(id) {
      const r = q.getSub.get(id)
      return r ? toSubscription(r) : undefined
    },
    async saveSubscription(s) {
      db.transaction(() => {
        q.saveSub.run(JSON.stringify(s), s.id)
        q.progress.run(s.lastDigestDay, s.newCallsSince, s.id)
      })()
    },
    async deleteSubscription(id) {
      return deleteTx(id)
    },
    async purge(before) {
      return db.transaction(() => q.purgeOrphans.run().changes + q.purgeOld.run(before).changes)()
    },
    async listSubscriptions() {
      const out: Subscription[] = []
      for (const r of q.listSubs.iterate()) {
        const s = toSubscription(r)
        if (!s.unsubscribedAt) out.push(s)
      }
      return out
    },
  }
}

function ledgerMethods(db: Db, q: Statements, newId: () => string): Pick<AlertsStore, 'recordDigests' | 'record' | 'saveProgress' | 'dueSubscriptionIds' | 'dueDeliveries' | 'markSent' | 'markFailed' | 'expire' | 'cancelDeliveries' | 'cancelChannel' | 'deliveries'> {
  const { recordDigestsTx, recordTx, progressTx, sentTx, failedTx, cancelTx } = ledgerTransactions(db, q, newId)
  return {
    async recordDigests(batch, now) {
      return recordDigestsTx(batch, now)
    },
    async record(rows, now) {
      return recordTx(rows, now)
    },
    async saveProgress(list) {
      progressTx(list)
    },
    async dueSubscriptionIds(now) {
      return new Set(q.dueSubs.all(now).map((r) => r.subscription_id))
    },
    async dueDeliveries(subscriptionId, now) {
      return q.dueOf.all(subscriptionId, now).map(toDelivery)
    },
    async markSent(ids, at) {
      sentTx(ids, at)
    },
    async markFailed(ids, { error, nextAttemptAt }) {
      failedTx(ids, error, nextAttemptAt)
    },
    async expire(today) {
      return q.expire.run(today).changes
    },
    async cancelDeliveries(ids, reason) {
      cancelTx(ids, reason)
    },
    async cancelChannel(subscriptionId, channel, reason) {
      return (channel === 'all' ? q.cancelAll.run(reason, subscriptionId) : q.cancelChannel.run(reason, subscriptionId, channel)).changes
    },
    async deliveries(subscriptionId) {
      return q.rowsOf.all(subscriptionId).map(toDelivery)
    },
  }
}

function adminMethods(db: Db, q: Statements): Pick<AlertsStore, 'adminDelivery' | 'adminStats' | 'adminOutbox' | 'retry' | 'retryAll'> {
  const retryTx = db.transaction((id: number, now: string): { outcome: RetryOutcome; delivery?: Delivery } => {
    const moved = q.retry.run(now, id, now).changes > 0
    const row = q.getRow.get(id)
    if (!row) return { outcome: 'not_found' }
    const delivery = toDelivery(row)
    if (moved) return { outcome: 'scheduled', delivery }
    return { outcome: row.state === 'sent' ? 'already_sent' : row.state === 'expired' ? 'expired' : 'already_due', delivery }
  })

  return {
    async adminDelivery(id) {
      const r = q.adminRow.get(id)
      return r ? { ...toDelivery(r), target: r.target } : undefined
    },
    async adminStats() {
      const channels = Object.fromEntries(
        CHANNELS.map((c) => [c, { subscriptions: { active: 0, pendingConfirmation: 0, disabled: 0 }, deliveries: { pending: 0, sent: 0, failed: 0, expired: 0 } }]),
      ) as AlertsAdminStats['channels']
      for (const r of q.subStats.all()) channels[r.channel].subscriptions = { active: r.active, pendingConfirmation: r.pending, disabled: r.disabled }
      for (const r of q.rowStats.all()) channels[r.channel].deliveries[r.state] = r.n
      const outbox = { queued: 0, failed: 0 }
      for (const r of q.outboxStats.all()) outbox[r.status] = r.n
      return { channels, outbox }
    },
    async adminOutbox({ limit, pendingBefore }) {
      const deliveries = q.openRows.all(pendingBefore, limit).map((r) => ({ ...toDelivery(r), target: r.target }))
      const mails: AdminOutboxMail[] = q.outboxRows.all(limit).map((r) => ({ id: r.id, subscriptionId: r.subscription_id, createdAt: r.created_at, status: r.status, error: r.error, recipient: r.recipient }))
      return { deliveries, mails }
    },
    async retry(id, now) {
      return retryTx(id, now)
    },
    async retryAll(now) {
      return q.retryAll.run(now, now).changes
    },
  }
}

function bookkeepingMethods(db: Db, q: Statements, leases: Leases): Pick<AlertsStore, 'seenProgrammes' | 'markSeen' | 'getMeta' | 'setMeta' | 'acquireLock' | 'releaseLock'> {
  const seenTx = db.transaction((ids: readonly string[], day: string) => {
    for (const id of ids) q.markSeen.run(id, day)
  })

  return {
    async seenProgrammes() {
      return new Map(q.seen.all().map((r) => [r.programme_id, r.first_seen]))
    },
    async markSeen(ids, day) {
      seenTx(ids, day)
    },

    async getMeta(key) {
      return q.getMeta.get(key)?.value
    },
    async setMeta(key, value, at) {
      q.setMeta.run(key, value, at)
    },

    // The digest's lease (runtime/node/lease.ts): taken over at once from a dead process.
    async acquireLock(owner, now, ttlMs) {
      return leases.acquire(LOCK, owner, now, ttlMs)
    },
    async releaseLock(owner) {
      leases.release(LOCK, owner)
    },
  }
}

export function createSqliteAlertsStore(db: Db, { newId = newMessageId, leases = createLeases(db) }: { newId?: () => string; leases?: Leases } = {}): AlertsStore {
  const q: Statements = { ...coreStatements(db), ...adminStatements(db), ...seenAndMetaStatements(db) }
  return { ...subscriptionMethods(db, q), ...ledgerMethods(db, q, newId), ...adminMethods(db, q), ...bookkeepingMethods(db, q, leases) }
}
