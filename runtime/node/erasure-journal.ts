// The erasure journal of the Node runtime (GUICHET_DATA_DIR/erasures.jsonl): one line per erasure,
// { at, ref }, where ref is `subject:<keyed hash>` (a rights request by e-mail address: the same
// reference the audit keeps, an HMAC under meta.rights_subject_key, never the address) or
// `subscription:<id>` (a subscription deleted from its manage or unsubscribe link). A backup holds
// what was erased after it was taken; restoring it replays the journal's entries made since (the
// backup records when it was taken: meta.backup_taken_at), so nothing erased comes back. The
// journal lives beside the database, not in it, so it survives the database a restore replaces.
// Pruned with the backups (runtime/node/backup.ts): an entry older than every backup kept has no
// backup left to replay into. Declared in core/privacy/declaration.ts (offTableStores).
import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ErasureAudit } from '../../bot/admin/ports.ts'
import { first, sql } from '../sql/database.ts'
import { createSqlRightsStore } from '../sql/rights-store.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import type { Db } from './sqlite.ts'

export const JOURNAL_FILE = 'erasures.jsonl'
/** The meta key a backup copy carries: when it was taken (ISO). */
export const BACKUP_TAKEN_AT = 'backup_taken_at'

export interface JournalEntry {
  at: string
  ref: string
}

export const journalPath = (dataDir: string): string => join(dataDir, JOURNAL_FILE)

/** The journal beside a database file; undefined for an in-memory database (tests), which has no backup. */
export function journalOf(db: Db): string | undefined {
  return db.memory || !db.name ? undefined : join(dirname(db.name), JOURNAL_FILE)
}

/** Appends one entry (synchronously: it is on disk before the erasure is answered). */
export function recordErasure(db: Db, entry: JournalEntry): void {
  const file = journalOf(db)
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`, { mode: 0o600 })
}

export function readJournal(file: string): JournalEntry[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const e = JSON.parse(line) as Partial<JournalEntry>
        return typeof e.at === 'string' && typeof e.ref === 'string' ? [{ at: e.at, ref: e.ref }] : []
      } catch {
        return []
      }
    })
}

/** Drops the entries older than `keepDays` (rewritten beside, then renamed); how many were dropped. */
export function pruneJournal(file: string, now: Date, keepDays: number): number {
  const entries = readJournal(file)
  const cutoff = new Date(now.getTime() - keepDays * 86_400_000).toISOString()
  const kept = entries.filter((e) => e.at >= cutoff)
  if (kept.length === entries.length) return 0
  writeFileSync(`${file}.tmp`, kept.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 })
  renameSync(`${file}.tmp`, file)
  return entries.length - kept.length
}

export interface Replayed {
  /** Journal entries made since the backup was taken (all of them when the backup does not say when). */
  entries: number
  /** Addresses found again in the restored database and erased. */
  subjects: number
  /** Subscriptions found again and deleted. */
  subscriptions: number
}

/**
 * Re-applies to a restored database the erasures the journal holds since the backup was taken: each
 * address of the restored database whose keyed hash is in the journal is erased again (the same
 * erasure as a rights request, audited `rights.erase` as `restore`), each journalled subscription
 * still there deleted with all that hangs on it.
 */
export async function replayErasures(db: Db, file: string, deleteSubscription: (id: string) => Promise<boolean>): Promise<Replayed> {
  const sqlDb = sqliteDatabase(db)
  const taken = (await first<{ value: string }>(sqlDb, sql('SELECT value FROM meta WHERE key = ?', BACKUP_TAKEN_AT)))?.value ?? ''
  const entries = readJournal(file).filter((e) => e.at >= taken)
  const refs = new Set(entries.map((e) => e.ref))
  const rights = createSqlRightsStore(sqlDb)
  const addresses = (await sqlDb.query(sql(`SELECT lower(json ->> '$.channels.email.address') AS email FROM alert_subscriptions WHERE email IS NOT NULL
    UNION SELECT lower(recipient) FROM alert_outbox UNION SELECT lower(email) FROM admin_accounts`))).rows.map((r) => String(r['email']))
  const audit: ErasureAudit = { at: new Date().toISOString(), actor: 'restore', via: 'cli' }
  let subjects = 0
  for (const email of addresses) {
    if (!refs.has(await rights.subjectRef(email))) continue
    await rights.erase(email, audit)
    subjects++
  }
  let subscriptions = 0
  for (const ref of refs) if (ref.startsWith('subscription:') && (await deleteSubscription(ref.slice('subscription:'.length)))) subscriptions++
  return { entries: entries.length, subjects, subscriptions }
}
