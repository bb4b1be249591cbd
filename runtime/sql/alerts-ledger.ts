// The alerts' delivery ledger over the SQL port (runtime/sql/database.ts), for the AlertsStore of
// ./alerts-store.ts: one row per (subscription, channel, programme, kind, deadline, lead time),
// recorded before sending. Every write that was one transaction is one batch, its reads-before-
// writes said in SQL: INSERT OR IGNORE … SELECT FROM json_each(?) RETURNING the rows it inserted,
// UPDATE … WHERE state IN (…). Rows go in as a JSON array bound to one parameter (D1 takes at
// most 100 parameters a statement), in chunks that stay well under D1's 2 MB a value.
//
// Message ids: a row gets the id of the message that carries it in the batch that makes it due,
// before any send. A new row is inserted with it — one id drawn per (subscription, channel,
// confirmation or digest) of the batch, as assignMessageIds groups them (bot/alerts/delivery.ts) —
// and a row that has one keeps it: a retry re-sends the same message under the same id.
import type { AlertsStore, DigestProgress, DigestRecord } from '../../bot/alerts/alerts-store.ts'
import type { Delivery, DeliveryKind, DeliveryState, DigestItem, NewDelivery } from '../../bot/alerts/delivery.ts'
import { CHANNELS, type ChannelKind } from '../../bot/alerts/subscription.ts'
import { sql, type SqlDatabase, type SqlStatement } from './database.ts'

export interface DeliveryRow {
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
  lost_on: string | null
}

export function toDelivery(r: DeliveryRow): Delivery {
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
    lostOn: r.lost_on ?? null,
    item: JSON.parse(r.item) as DigestItem,
  }
}

/** Due at `?`: pending, or failed with its next attempt reached. Written so that SQLite sees it implies the partial index of open rows. */
const DUE = `state IN ('pending', 'failed') AND (state = 'pending' OR next_attempt_at IS NULL OR next_attempt_at <= ?)`
/** The message a row belongs to, as assignMessageIds groups them. */
const groupOf = (r: Pick<NewDelivery, 'subscriptionId' | 'channel' | 'kind'>) => `${r.subscriptionId}\u0000${r.channel}\u0000${r.kind === 'confirm' ? 'confirm' : 'digest'}`
/** JSON text per INSERT statement: D1 takes at most 2 MB a value. */
const CHUNK_CHARS = 500_000

/** The rows not in the ledger yet go in as pending, with their message id; RETURNING gives back only the ones inserted. */
function insertStatements(rows: readonly NewDelivery[], now: string, messageIdOf: (r: NewDelivery) => string): SqlStatement[] {
  const out: SqlStatement[] = []
  let chunk: string[] = []
  let size = 0
  const flush = () => {
    if (!chunk.length) return
    out.push(
      sql(
        `INSERT OR IGNORE INTO alert_deliveries (subscription_id, channel, programme_id, kind, deadline, lead_days, state, attempts, expires_on, created_at, item, message_id)
         SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, 'pending', 0, j.value->>6, ?, j.value->>7, j.value->>8 FROM json_each(?) j
         RETURNING *`,
        now,
        `[${chunk.join(',')}]`,
      ),
    )
    chunk = []
    size = 0
  }
  for (const r of rows) {
    const text = JSON.stringify([r.subscriptionId, r.channel, r.programmeId, r.kind, r.deadline, r.leadDays, r.expiresOn, JSON.stringify(r.item), messageIdOf(r)])
    if (size + text.length > CHUNK_CHARS) flush()
    chunk.push(text)
    size += text.length + 1
  }
  flush()
  return out
}

function progressStatement(list: readonly DigestProgress[]): SqlStatement {
  return sql(
    `UPDATE alert_progress SET last_digest_day = j.value->>1, new_calls_since = j.value->>2 FROM json_each(?) j WHERE alert_progress.subscription_id = j.value->>0`,
    JSON.stringify(list.map((p) => [p.subscriptionId, p.lastDigestDay, p.newCallsSince])),
  )
}

/** One message id per group of the rows, drawn once; `extra` groups get one too. */
function messageIds(rows: readonly NewDelivery[], newId: () => string, extra: readonly string[] = []): Map<string, string> {
  const ids = new Map<string, string>()
  for (const key of [...rows.map(groupOf), ...extra]) if (!ids.has(key)) ids.set(key, newId())
  return ids
}

/** Rows of a result, grouped by subscription, in ledger order. */
function bySubscription(rows: readonly DeliveryRow[], into = new Map<string, Delivery[]>()): Map<string, Delivery[]> {
  for (const r of [...rows].sort((a, b) => a.id - b.id)) {
    const list = into.get(r.subscription_id)
    if (list) list.push(toDelivery(r))
    else into.set(r.subscription_id, [toDelivery(r)])
  }
  return into
}

/**
 * recordDigests as one batch: the inserts (with their message ids), the progress, then for the
 * subscriptions with left-overs the due rows still without a message id get their group's id (only
 * rows recorded before message ids existed, migration 13), and those subscriptions' due rows are read back.
 */
async function recordDigests(db: SqlDatabase, newId: () => string, batch: readonly DigestRecord[], now: string): Promise<Map<string, { inserted: number; due: Delivery[] }>> {
  const rows = batch.flatMap((b) => b.rows)
  const leftovers = batch.filter((b) => b.leftovers).map((b) => b.subscriptionId)
  const legacyGroups = leftovers.flatMap((id) => CHANNELS.flatMap((channel) => [groupOf({ subscriptionId: id, channel, kind: 'confirm' }), groupOf({ subscriptionId: id, channel, kind: 'reminder' })]))
  const ids = messageIds(rows, newId, legacyGroups)
  const inserts = insertStatements(rows, now, (r) => ids.get(groupOf(r))!)
  const progress = batch.flatMap((b) => (b.progress ? [b.progress] : []))
  const statements = [...inserts, ...(progress.length ? [progressStatement(progress)] : [])]
  if (leftovers.length) {
    const groups = JSON.stringify(legacyGroups.map((g) => [...g.split('\u0000'), ids.get(g)!]))
    statements.push(
      sql(
        `UPDATE alert_deliveries SET message_id = g.value->>3 FROM json_each(?) g
         WHERE alert_deliveries.subscription_id = g.value->>0 AND alert_deliveries.channel = g.value->>1
           AND (CASE alert_deliveries.kind WHEN 'confirm' THEN 'confirm' ELSE 'digest' END) = g.value->>2
           AND alert_deliveries.message_id IS NULL AND ${DUE}`,
        groups,
        now,
      ),
      sql(`SELECT * FROM alert_deliveries WHERE subscription_id IN (SELECT value FROM json_each(?)) AND ${DUE}`, JSON.stringify(leftovers), now),
    )
  }
  const results = await db.batch(statements)
  const inserted = bySubscription(results.slice(0, inserts.length).flatMap((r) => r.rows as unknown as DeliveryRow[]))
  const due = leftovers.length ? bySubscription(results.at(-1)!.rows as unknown as DeliveryRow[]) : new Map<string, Delivery[]>()
  const out = new Map<string, { inserted: number; due: Delivery[] }>()
  for (const b of batch) {
    const mine = inserted.get(b.subscriptionId) ?? []
    // Without left-overs, what is due is exactly what was just inserted.
    out.set(b.subscriptionId, { inserted: mine.length, due: b.leftovers ? (due.get(b.subscriptionId) ?? []) : mine })
  }
  return out
}

type LedgerMethods = Pick<AlertsStore, 'recordDigests' | 'record' | 'saveProgress' | 'dueSubscriptionIds' | 'dueDeliveries' | 'markSent' | 'markFailed' | 'expire' | 'cancelDeliveries' | 'cancelChannel' | 'deliveries' | 'deliveryHealth'>

/** The address of a ledger row's channel, read from its subscription (`s`), for the back office. */
const TARGET = `s.json ->> ('$.channels.' || d.channel || CASE d.channel WHEN 'email' THEN '.address' WHEN 'webhook' THEN '.url' ELSE '.conversationId' END) AS target`

export function sqlLedgerMethods(db: SqlDatabase, newId: () => string): LedgerMethods {
  const changes = async (statement: SqlStatement) => (await db.query(statement)).changes
  const deliveries = async (statement: SqlStatement) => (await db.query<DeliveryRow>(statement)).rows.map(toDelivery)
  return {
    recordDigests: (batch, now) => recordDigests(db, newId, batch, now),
    async record(rows, now) {
      const ids = messageIds(rows, newId)
      const results = await db.batch(insertStatements(rows, now, (r) => ids.get(groupOf(r))!))
      return (results.flatMap((r) => r.rows) as unknown as DeliveryRow[]).sort((a, b) => a.id - b.id).map(toDelivery)
    },
    async saveProgress(list) {
      if (list.length) await db.query(progressStatement(list))
    },
    async dueSubscriptionIds(now) {
      return new Set((await db.query<{ subscription_id: string }>(sql(`SELECT DISTINCT subscription_id FROM alert_deliveries WHERE ${DUE}`, now))).rows.map((r) => r.subscription_id))
    },
    dueDeliveries: (subscriptionId, now) => deliveries(sql(`SELECT * FROM alert_deliveries WHERE subscription_id = ? AND ${DUE} ORDER BY id`, subscriptionId, now)),
    async markSent(ids, at) {
      if (!ids.length) return
      await db.query(
        sql(
          `UPDATE alert_deliveries SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL
           WHERE id IN (SELECT value FROM json_each(?)) AND state != 'sent'`,
          at,
          JSON.stringify(ids),
        ),
      )
    },
    async markFailed(ids, { error, nextAttemptAt }) {
      if (!ids.length) return
      await db.query(
        sql(
          `UPDATE alert_deliveries SET state = 'failed', attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND state != 'sent'`,
          error,
          nextAttemptAt,
          JSON.stringify(ids),
        ),
      )
    },
    // Still unsent when its last day is over: lost (a cancellation leaves lost_on NULL).
    expire: (today) => changes(sql(`UPDATE alert_deliveries SET state = 'expired', lost_on = ? WHERE state IN ('pending', 'failed') AND expires_on < ?`, today, today)),
    async cancelDeliveries(ids, reason) {
      if (ids.length) await db.query(sql(`UPDATE alert_deliveries SET state = 'expired', last_error = ? WHERE id IN (SELECT value FROM json_each(?)) AND state IN ('pending', 'failed')`, reason, JSON.stringify(ids)))
    },
    cancelChannel: (subscriptionId, channel, reason) =>
      changes(
        channel === 'all'
          ? sql(`UPDATE alert_deliveries SET state = 'expired', last_error = ? WHERE subscription_id = ? AND state IN ('pending', 'failed')`, reason, subscriptionId)
          : sql(`UPDATE alert_deliveries SET state = 'expired', last_error = ? WHERE subscription_id = ? AND channel = ? AND state IN ('pending', 'failed')`, reason, subscriptionId, channel),
      ),
    async deliveryHealth({ limit }) {
      const [counts, lost] = await db.batch([
        sql(`SELECT (SELECT COUNT(*) FROM alert_deliveries WHERE state = 'failed') AS failing, (SELECT COUNT(*) FROM alert_deliveries WHERE lost_on IS NOT NULL) AS lost`),
        sql(`SELECT d.*, ${TARGET} FROM alert_deliveries d LEFT JOIN alert_subscriptions s ON s.id = d.subscription_id WHERE d.lost_on IS NOT NULL ORDER BY d.lost_on DESC, d.id DESC LIMIT ?`, limit),
      ])
      const c = counts!.rows[0] as { failing: number; lost: number }
      return { failing: c.failing, lost: c.lost, lostRows: (lost!.rows as unknown as (DeliveryRow & { target: string | null })[]).map((r) => ({ ...toDelivery(r), target: r.target })) }
    },
    // Tests and admin only: a table scan (the ledger keeps no full index on subscription_id).
    deliveries: (subscriptionId) => deliveries(sql('SELECT * FROM alert_deliveries WHERE subscription_id = ? ORDER BY id', subscriptionId)),
  }
}
