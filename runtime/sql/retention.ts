// Retention the code enforces: one prune, driven by the data declaration (core/privacy/declaration.ts,
// retentionRules(): every table with a declared age, personal or not), written once against the SQL
// port so it runs on the Node SQLite file (runtime/node/cron.ts, every hour with the idle chat
// sessions, the WAL scrubbed after) and on D1 (runtime/workers/scheduled.ts, the nightly purge
// Cron Trigger). For each rule: DELETE the rows whose `from` column is older than the declared age
// (and that match its `where`), all rules in one batch. A `from` value may be an ISO timestamp or an
// ISO day; a day is compared with the cutoff's day (a row dated the cutoff's day stays until the next).
// The table and column names come from the declaration in the code, never from input; they are
// checked as plain identifiers all the same.
import { retentionRules, type Retention } from '../../core/privacy/declaration.ts'
import { sql, type SqlDatabase, type SqlStatement } from './database.ts'

export interface RetentionRule {
  table: string
  retention: Retention
}

export interface PrunedTable {
  table: string
  /** Rows older than this (ISO) were deleted. */
  cutoff: string
  deleted: number
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/

/** The DELETE of one rule at `now`; undefined for a rule kept without an age. */
export function pruneStatement(rule: RetentionRule, now: Date): (SqlStatement & { cutoff: string }) | undefined {
  const { table, retention } = rule
  if (retention.days === null) return undefined
  if (!IDENTIFIER.test(table) || !IDENTIFIER.test(retention.from)) throw new Error(`retention rule with a bad identifier: ${table}.${retention.from}`)
  if (!Number.isFinite(retention.days) || retention.days < 0) throw new Error(`retention rule with a bad age: ${table} (${retention.days} days)`)
  const cutoff = new Date(now.getTime() - retention.days * 86_400_000).toISOString()
  const from = retention.from
  const where = retention.where ? ` AND (${retention.where})` : ''
  return { ...sql(`DELETE FROM ${table} WHERE ${from} < CASE WHEN length(${from}) = 10 THEN substr(?, 1, 10) ELSE ? END${where}`, cutoff, cutoff), cutoff }
}

/** Deletes what every declared rule says is too old at `now`, in one transaction; what each removed. */
export async function pruneRetention(db: SqlDatabase, now: Date, rules: readonly RetentionRule[] = retentionRules()): Promise<PrunedTable[]> {
  const statements = rules.flatMap((rule) => {
    const s = pruneStatement(rule, now)
    return s ? [{ table: rule.table, s }] : []
  })
  if (!statements.length) return []
  const results = await db.batch(statements.map(({ s }) => s))
  return statements.map(({ table, s }, i) => ({ table, cutoff: s.cutoff, deleted: results[i]!.changes }))
}
