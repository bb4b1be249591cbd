// The RightsStore (bot/admin/ports.ts) written once against the SQL port: a data subject's export
// and erasure by e-mail address, on SQLite (Node; runtime/node/sqlite-rights-store.ts scrubs the WAL
// after an erasure) and on D1. The subscriptions of an address are found in SQL (the address inside
// the subscription's JSON, compared in lower case): an erasure is one batch whose every statement
// names them by that same subquery, so nothing is read in between and nothing is half erased.
// What hangs on a subscription is erased as AlertsStore.deleteSubscription does (./alerts-store.ts):
// the Teams conversation reference it alerts (unless another subscription still does), the delivery
// ledger, the digest progress, the outbox e-mails; besides, every outbox e-mail to the address.
// A back-office account of that address and the changes it authored: ./rights-back-office.ts
// (exported; on erasure the account is disabled and its address replaced by a pseudonym).
import type { ErasureAudit, ErasureCounts, RightsStore, SubjectExport } from '../../bot/admin/ports.ts'
import { sql, type SqlDatabase, type SqlValue } from './database.ts'
import { keyedHasher } from './keyed-hash.ts'
import { backOfficeCounts, backOfficeErasure, backOfficeExport, backOfficeQueries, pseudonymOf } from './rights-back-office.ts'

/** The meta key of the audit's subject hash. */
export const SUBJECT_KEY = 'rights_subject_key'

const SUBS = `SELECT id FROM alert_subscriptions WHERE lower(json ->> '$.channels.email.address') = ?`
const CONVERSATIONS = `SELECT json ->> '$.channels.teams.conversationId' FROM alert_subscriptions WHERE id IN (${SUBS})`

export const normaliseEmail = (email: string): string => email.trim().toLowerCase()

const parse = (text: unknown): unknown => {
  try {
    return typeof text === 'string' ? JSON.parse(text) : text
  } catch {
    return text
  }
}

/** Everything kept about the subscriptions whose ids `subs` selects (params `subsParams`) and, with `recipient`, every outbox e-mail to that address. */
async function readKept(db: SqlDatabase, subs: string, subsParams: SqlValue[], recipient?: string): Promise<Omit<SubjectExport, 'email' | 'backOffice'>> {
  const conversations = `SELECT json ->> '$.channels.teams.conversationId' FROM alert_subscriptions WHERE id IN (${subs})`
  const toAddress = recipient === undefined ? '' : ' OR lower(recipient) = ?'
  const [subscriptions, deliveries, outbox, teams] = await db.batch([
    sql(`SELECT s.json, p.last_digest_day, p.new_calls_since FROM alert_subscriptions s LEFT JOIN alert_progress p ON p.subscription_id = s.id WHERE s.id IN (${subs}) ORDER BY s.created_at`, ...subsParams),
    sql(`SELECT * FROM alert_deliveries WHERE subscription_id IN (${subs}) ORDER BY id`, ...subsParams),
    sql(`SELECT id, subscription_id, created_at, status, error, recipient, subject, headers, text, html FROM alert_outbox WHERE subscription_id IN (${subs})${toAddress} ORDER BY id`, ...subsParams, ...(recipient === undefined ? [] : [recipient])),
    sql(`SELECT conversation_id, reference, tenant_id, channel_kind, user_aad_id, created_at, updated_at FROM conversation_references WHERE conversation_id IN (${conversations})`, ...subsParams),
  ])
  type SubRow = { json: string; last_digest_day: string | null; new_calls_since: string | null }
  return {
    subscriptions: (subscriptions!.rows as unknown as SubRow[]).map((r) => ({ ...(JSON.parse(r.json) as Record<string, unknown>), lastDigestDay: r.last_digest_day, newCallsSince: r.new_calls_since })),
    deliveries: deliveries!.rows.map((r) => ({ ...r, item: parse(r['item']) })),
    outbox: outbox!.rows.map((r) => ({ ...r, headers: parse(r['headers']) })),
    teamsConversations: teams!.rows.map((r) => ({ ...r, reference: parse(r['reference']) })),
  }
}

async function exportSubject(db: SqlDatabase, email: string): Promise<SubjectExport> {
  const e = normaliseEmail(email)
  const [kept, backOffice] = await Promise.all([readKept(db, SUBS, [e], e), db.batch(backOfficeQueries(e))])
  return { email: e, ...kept, backOffice: backOfficeExport(backOffice) }
}

/**
 * The same reads for one subscription (its owner's export from the management page, through
 * AlertsStore.subscriptionRecords): its rows, its outbox e-mails, the Teams reference it alerts.
 */
export function readSubscriptionKept(db: SqlDatabase, subscriptionId: string): Promise<Omit<SubjectExport, 'email' | 'backOffice'>> {
  return readKept(db, 'SELECT id FROM alert_subscriptions WHERE id = ?', [subscriptionId])
}

/** The Teams references an erasure removes: those its subscriptions alert and no other address's subscription does. Params: e, e. */
const TEAMS_TO_ERASE = `conversation_id IN (${CONVERSATIONS}) AND NOT EXISTS (SELECT 1 FROM alert_subscriptions o
  WHERE o.json ->> '$.channels.teams.conversationId' = conversation_references.conversation_id AND lower(coalesce(o.json ->> '$.channels.email.address', '')) != ?)`

/**
 * One batch: the audit entry first (what is about to go, counted in SQL), then every row. The entry
 * names the subject by its keyed hash only.
 */
async function eraseSubject(db: SqlDatabase, email: string, audit: ErasureAudit, ref: string): Promise<ErasureCounts> {
  const e = normaliseEmail(email)
  const counts = backOfficeCounts(e)
  const after = `json_object('via', ?, 'subscriptions', (SELECT COUNT(*) FROM alert_subscriptions WHERE id IN (${SUBS})),
    'deliveries', (SELECT COUNT(*) FROM alert_deliveries WHERE subscription_id IN (${SUBS})),
    'outbox', (SELECT COUNT(*) FROM alert_outbox WHERE subscription_id IN (${SUBS}) OR lower(recipient) = ?),
    'teamsConversations', (SELECT COUNT(*) FROM conversation_references WHERE ${TEAMS_TO_ERASE}), ${counts.text})`
  const backOffice = backOfficeErasure(e, pseudonymOf(ref))
  const results = await db.batch([
    sql(`INSERT INTO admin_audit (at, actor, action, target, before, after) SELECT ?, ?, 'rights.erase', ?, 'null', ${after}`, audit.at, audit.actor, ref, audit.via, e, e, e, e, e, e, ...counts.params),
    sql(`DELETE FROM conversation_references WHERE ${TEAMS_TO_ERASE}`, e, e),
    sql(`DELETE FROM alert_deliveries WHERE subscription_id IN (${SUBS})`, e),
    sql(`DELETE FROM alert_progress WHERE subscription_id IN (${SUBS})`, e),
    sql(`DELETE FROM alert_outbox WHERE subscription_id IN (${SUBS}) OR lower(recipient) = ?`, e, e),
    sql(`DELETE FROM alert_subscriptions WHERE id IN (${SUBS})`, e),
    ...backOffice.statements,
  ])
  const [, teams, deliveries, , outbox, subscriptions, ...rest] = results
  return {
    subscriptions: subscriptions!.changes,
    deliveries: deliveries!.changes,
    outbox: outbox!.changes,
    teamsConversations: teams!.changes,
    adminAccounts: rest[backOffice.account]!.changes,
    attributions: backOffice.attributions.reduce((n, i) => n + rest[i]!.changes, 0),
  }
}

export function createSqlRightsStore(db: SqlDatabase): RightsStore {
  const hash = keyedHasher(db, SUBJECT_KEY)
  const subjectRef = async (email: string) => `subject:${await hash(normaliseEmail(email))}`
  return {
    export: (email) => exportSubject(db, email),
    subjectRef,
    erase: async (email, audit) => eraseSubject(db, email, audit, await subjectRef(email)),
  }
}
