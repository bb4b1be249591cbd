// The AlertsStore (bot/alerts/alerts-store.ts) written once against the SQL port
// (runtime/sql/database.ts): the Node runtime runs it over its SQLite file
// (runtime/node/sqlite-alerts-store.ts), the Workers runtime over D1 (runtime/workers/d1-alerts-store.ts).
// Subscriptions as JSON (digest progress in columns so a run never rewrites them), the delivery
// ledger (./alerts-ledger.ts), programmes seen, meta, the outbox's counts (Node's outbox mailer,
// runtime/node/alerts-mailer.ts, writes it) and the digest's lease, injected (./alerts-lease.ts).
// Every method that is one transaction is one batch; a read that decides a write is in its SQL.
import type { AdminOutboxMail, AlertsAdminStats, AlertsStore, RetryOutcome } from '../../bot/alerts/alerts-store.ts'
import { newMessageId } from '../../bot/alerts/delivery.ts'
import { CHANNELS, type ChannelKind, type Subscription } from '../../bot/alerts/subscription.ts'
import { sql, type SqlDatabase } from './database.ts'
import { sqlLedgerMethods, toDelivery, type DeliveryRow } from './alerts-ledger.ts'
import type { AlertsLease } from './alerts-lease.ts'
import { readSubscriptionKept } from './rights-store.ts'

export interface SqlAlertsStoreOptions {
  /** The digest's lease: runtime/node/lease.ts on Node, createTtlLease on Workers. */
  lease: AlertsLease
  newId?: () => string
  /** Whether this runtime has the e-mail outbox (Node); without it adminStats says outbox: null and adminOutbox lists no mail. */
  outbox?: boolean
}

interface SubscriptionRow {
  id: string
  json: string
  last_digest_day: string | null
  new_calls_since: string
}

function toSubscription(r: SubscriptionRow): Subscription {
  const s = JSON.parse(r.json) as Subscription
  s.lastDigestDay = r.last_digest_day
  s.newCallsSince = r.new_calls_since
  return s
}

/** The address of a ledger row's channel, read from its subscription (`s`) for the back office. */
const TARGET = `s.json ->> ('$.channels.' || d.channel || CASE d.channel WHEN 'email' THEN '.address' WHEN 'webhook' THEN '.url' ELSE '.conversationId' END) AS target`
const SELECT_SUBSCRIPTIONS = 'SELECT s.id, s.json, p.last_digest_day, p.new_calls_since FROM alert_subscriptions s JOIN alert_progress p ON p.subscription_id = s.id'

function subscriptionMethods(db: SqlDatabase): Pick<AlertsStore, 'createSubscription' | 'getSubscription' | 'saveSubscription' | 'deleteSubscription' | 'subscriptionRecords' | 'purge' | 'listSubscriptions'> {
  return {
    async createSubscription(s) {
      await db.batch([
        sql('INSERT INTO alert_subscriptions (id, created_at, json) VALUES (?, ?, ?)', s.id, s.createdAt, JSON.stringify(s)),
        sql('INSERT INTO alert_progress (subscription_id, last_digest_day, new_calls_since) VALUES (?, ?, ?)', s.id, s.lastDigestDay, s.newCallsSince),
      ])
    },
    async getSubscription(id) {
      const [r] = (await db.query<SubscriptionRow>(sql(`${SELECT_SUBSCRIPTIONS} WHERE s.id = ?`, id))).rows
      return r ? toSubscription(r) : undefined
    },
    async saveSubscription(s) {
      await db.batch([
        sql('UPDATE alert_subscriptions SET json = ? WHERE id = ?', JSON.stringify(s), s.id),
        sql('UPDATE alert_progress SET last_digest_day = ?, new_calls_since = ? WHERE subscription_id = ?', s.lastDigestDay, s.newCallsSince, s.id),
      ])
    },
    async deleteSubscription(id) {
      // Everything about the subscriber goes in one batch: the Teams conversation reference it was
      // made from (unless another subscription still alerts that conversation), the whole delivery
      // ledger (sent history included: a scan, erasures are rare), progress, outbox e-mails, the row.
      const results = await db.batch([
        sql(`DELETE FROM conversation_references WHERE conversation_id = (SELECT json ->> '$.channels.teams.conversationId' FROM alert_subscriptions WHERE id = ?)
             AND NOT EXISTS (SELECT 1 FROM alert_subscriptions o WHERE o.id != ? AND o.json ->> '$.channels.teams.conversationId' = conversation_references.conversation_id)`, id, id),
        sql('DELETE FROM alert_deliveries WHERE subscription_id = ?', id),
        sql('DELETE FROM alert_progress WHERE subscription_id = ?', id),
        sql('DELETE FROM alert_outbox WHERE subscription_id = ?', id),
        sql('DELETE FROM alert_subscriptions WHERE id = ?', id),
      ])
      return results[4]!.changes > 0
    },
    // The rights store's reads (an admin's export by address), for this subscription alone.
    async subscriptionRecords(id) {
      const { outbox, teamsConversations } = await readSubscriptionKept(db, id)
      return { outbox, teamsConversations }
    },
    async purge(before) {
      const [orphans, old] = await db.batch([
        sql('DELETE FROM alert_deliveries WHERE subscription_id NOT IN (SELECT id FROM alert_subscriptions)'),
        sql(`DELETE FROM alert_deliveries WHERE state IN ('sent', 'expired') AND expires_on < ?`, before),
      ])
      return orphans!.changes + old!.changes
    },
    async listSubscriptions() {
      const out: Subscription[] = []
      for (const r of (await db.query<SubscriptionRow>(sql(SELECT_SUBSCRIPTIONS))).rows) {
        const s = toSubscription(r)
        if (!s.unsubscribedAt) out.push(s)
      }
      return out
    },
  }
}

async function adminStats(db: SqlDatabase, outbox: boolean): Promise<AlertsAdminStats> {
  const [subs, rows, mails] = await db.batch([
    // Channel status as channelStatus() says it: disabled wins; e-mail and webhook are pending until
    // confirmed; a usable channel is paused while its subscription is (pausedAt absent or null: not paused).
    sql(`SELECT c.channel,
         SUM(s.json ->> ('$.channels.' || c.channel || '.disabledAt') IS NULL AND (c.channel = 'teams' OR s.json ->> ('$.channels.' || c.channel || '.confirmedAt') IS NOT NULL) AND s.json ->> '$.pausedAt' IS NULL) AS active,
         SUM(s.json ->> ('$.channels.' || c.channel || '.disabledAt') IS NULL AND (c.channel = 'teams' OR s.json ->> ('$.channels.' || c.channel || '.confirmedAt') IS NOT NULL) AND s.json ->> '$.pausedAt' IS NOT NULL) AS paused,
         SUM(s.json ->> ('$.channels.' || c.channel || '.disabledAt') IS NULL AND c.channel != 'teams' AND s.json ->> ('$.channels.' || c.channel || '.confirmedAt') IS NULL) AS pending,
         SUM(s.json ->> ('$.channels.' || c.channel || '.disabledAt') IS NOT NULL) AS disabled
       FROM (SELECT 'email' AS channel UNION ALL SELECT 'teams' UNION ALL SELECT 'webhook') c
       JOIN alert_subscriptions s ON json_type(s.json, '$.channels.' || c.channel) = 'object' AND s.json ->> '$.unsubscribedAt' IS NULL
       GROUP BY c.channel`),
    // A scan of the ledger (purged after a month): fine for an admin page.
    sql('SELECT channel, state, COUNT(*) AS n FROM alert_deliveries GROUP BY channel, state'),
    sql('SELECT status, COUNT(*) AS n FROM alert_outbox GROUP BY status'),
  ])
  const channels = Object.fromEntries(
    CHANNELS.map((c) => [c, { subscriptions: { active: 0, paused: 0, pendingConfirmation: 0, disabled: 0 }, deliveries: { pending: 0, sent: 0, failed: 0, expired: 0 } }]),
  ) as AlertsAdminStats['channels']
  for (const r of subs!.rows as { channel: ChannelKind; active: number; paused: number; pending: number; disabled: number }[]) {
    channels[r.channel].subscriptions = { active: r.active, paused: r.paused, pendingConfirmation: r.pending, disabled: r.disabled }
  }
  for (const r of rows!.rows as { channel: ChannelKind; state: keyof AlertsAdminStats['channels']['email']['deliveries']; n: number }[]) channels[r.channel].deliveries[r.state] = r.n
  const counts = { queued: 0, failed: 0 }
  for (const r of mails!.rows as { status: 'queued' | 'failed'; n: number }[]) counts[r.status] = r.n
  return { channels, outbox: outbox ? counts : null }
}

function adminMethods(db: SqlDatabase, outbox: boolean): Pick<AlertsStore, 'adminDelivery' | 'adminStats' | 'adminOutbox' | 'retry' | 'retryAll'> {
  type AdminRow = DeliveryRow & { target: string | null }
  return {
    async adminDelivery(id) {
      const [r] = (await db.query<AdminRow>(sql(`SELECT d.*, ${TARGET} FROM alert_deliveries d LEFT JOIN alert_subscriptions s ON s.id = d.subscription_id WHERE d.id = ?`, id))).rows
      return r ? { ...toDelivery(r), target: r.target } : undefined
    },
    adminStats: () => adminStats(db, outbox),
    async adminOutbox({ limit, pendingBefore }) {
      const [open, mails] = await db.batch([
        // Through the partial index of open rows (few), then sorted.
        sql(
          `SELECT d.*, ${TARGET} FROM alert_deliveries d LEFT JOIN alert_subscriptions s ON s.id = d.subscription_id
           WHERE d.state IN ('pending', 'failed') AND (d.state = 'failed' OR d.created_at < ?)
           ORDER BY +d.id DESC LIMIT ?`,
          pendingBefore,
          limit,
        ),
        sql('SELECT id, subscription_id, created_at, status, error, recipient FROM alert_outbox ORDER BY id DESC LIMIT ?', outbox ? limit : 0),
      ])
      type MailRow = { id: number; subscription_id: string; created_at: string; status: 'queued' | 'failed'; error: string | null; recipient: string }
      return {
        deliveries: (open!.rows as unknown as AdminRow[]).map((r) => ({ ...toDelivery(r), target: r.target })),
        mails: (mails!.rows as unknown as MailRow[]).map((r): AdminOutboxMail => ({ id: r.id, subscriptionId: r.subscription_id, createdAt: r.created_at, status: r.status, error: r.error, recipient: r.recipient })),
      }
    },
    async retry(id, now) {
      const [moved, read] = await db.batch([
        // Only a failed row not yet due moves: a sent row can never become due again.
        sql(`UPDATE alert_deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'failed' AND next_attempt_at > ?`, now, id, now),
        sql('SELECT * FROM alert_deliveries WHERE id = ?', id),
      ])
      const row = read!.rows[0] as unknown as DeliveryRow | undefined
      if (!row) return { outcome: 'not_found' }
      const delivery = toDelivery(row)
      if (moved!.changes > 0) return { outcome: 'scheduled', delivery }
      const outcome: RetryOutcome = row.state === 'sent' ? 'already_sent' : row.state === 'expired' ? 'expired' : 'already_due'
      return { outcome, delivery }
    },
    async retryAll(now) {
      return (await db.query(sql(`UPDATE alert_deliveries SET next_attempt_at = ? WHERE state IN ('pending', 'failed') AND state = 'failed' AND next_attempt_at > ?`, now, now))).changes
    },
  }
}

function bookkeepingMethods(db: SqlDatabase, lease: AlertsLease): Pick<AlertsStore, 'seenProgrammes' | 'markSeen' | 'getMeta' | 'setMeta' | 'acquireLock' | 'releaseLock'> {
  return {
    async seenProgrammes() {
      return new Map((await db.query<{ programme_id: string; first_seen: string }>(sql('SELECT programme_id, first_seen FROM alert_seen_programmes'))).rows.map((r) => [r.programme_id, r.first_seen]))
    },
    async markSeen(ids, day) {
      // A programme keeps the day it was first seen.
      if (ids.length) await db.query(sql('INSERT OR IGNORE INTO alert_seen_programmes (programme_id, first_seen) SELECT value, ? FROM json_each(?)', day, JSON.stringify(ids)))
    },
    async getMeta(key) {
      return (await db.query<{ value: string }>(sql('SELECT value FROM meta WHERE key = ?', key))).rows[0]?.value
    },
    async setMeta(key, value, at) {
      await db.query(sql('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', key, value, at))
    },
    acquireLock: (owner, now, ttlMs) => lease.acquire(owner, now, ttlMs),
    releaseLock: (owner) => lease.release(owner),
  }
}

export function createSqlAlertsStore(db: SqlDatabase, { lease, newId = newMessageId, outbox = true }: SqlAlertsStoreOptions): AlertsStore {
  return { ...subscriptionMethods(db), ...sqlLedgerMethods(db, newId), ...adminMethods(db, outbox), ...bookkeepingMethods(db, lease) }
}
