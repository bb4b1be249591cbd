// The back-office side of a data subject's request by e-mail address (./rights-store.ts): an admin
// or editor account of that address, its sessions, unlock links and login counter, and the changes
// it authored (the audit log's entries by it or about its account; the catalogue's attributions
// declared in core/privacy/declaration.ts: overrides, programmes, merges, page sources).
// Export: all of it, the password hash said to exist but never given. Erasure: an account cannot
// just vanish (its changes stay in force and the audit trail must still say that one and the same
// person made them), so it is disabled, its sessions, unlock links and login counter deleted, and
// its address replaced everywhere by a stable pseudonym, « compte supprimé #<8 hex> » (the prefix
// of the address's keyed hash: the same address gives the same pseudonym), in the erasure's batch.
import { sql, type SqlStatement } from './database.ts'
import type { BackOfficeExport } from '../../bot/admin/ports.ts'

/** The audit log's entries by this address or about its account, params: e ×4. */
const AUDIT_OF = `lower(actor) = ? OR lower(target) = 'account:' || ? OR instr(lower(before), ?) > 0 OR instr(lower(after), ?) > 0`
const ACCOUNT_IDS = 'SELECT id FROM admin_accounts WHERE lower(email) = ?'

/** Each attribution: table and its author columns (core/privacy/declaration.ts `attribution` entries). */
export const AUTHOR_COLUMNS: readonly { table: string; key: string; columns: readonly string[]; details: readonly string[] }[] = [
  { table: 'programme_overrides', key: 'programme_id', columns: ['verified_by', 'updated_by'], details: ['verified_at', 'updated_at'] },
  { table: 'admin_programmes', key: 'id', columns: ['created_by', 'updated_by'], details: ['created_at', 'updated_at'] },
  { table: 'programme_merges', key: 'loser_id', columns: ['merged_by'], details: ['winner_id', 'merged_at'] },
  { table: 'page_sources', key: 'id', columns: ['updated_by'], details: ['updated_at'] },
]

const authoredWhere = (columns: readonly string[]) => columns.map((c) => `lower(${c}) = ?`).join(' OR ')

/** The export's statements (one batch with the subscriptions'); read back by backOfficeExport. Params all `e`. */
export function backOfficeQueries(e: string): SqlStatement[] {
  return [
    sql('SELECT id, email, role, disabled, created_at FROM admin_accounts WHERE lower(email) = ?', e),
    sql(`SELECT (SELECT COUNT(*) FROM admin_sessions WHERE account_id IN (${ACCOUNT_IDS})) AS sessions,
      (SELECT COUNT(*) FROM admin_unlock_tokens WHERE account_id IN (${ACCOUNT_IDS})) AS unlock_links`, e, e),
    sql(`SELECT key, failures, last_at FROM admin_login_limits WHERE key = 'account:' || ?`, e),
    sql(`SELECT id, at, actor, action, target, before, after FROM admin_audit WHERE ${AUDIT_OF} ORDER BY id`, e, e, e, e),
    ...AUTHOR_COLUMNS.map(({ table, key, columns, details }) => sql(`SELECT ${[key, ...columns, ...details].join(', ')} FROM ${table} WHERE ${authoredWhere(columns)} ORDER BY ${key}`, ...columns.map(() => e))),
  ]
}

const parse = (text: unknown): unknown => {
  try {
    return typeof text === 'string' ? JSON.parse(text) : text
  } catch {
    return text
  }
}

type Rows = { rows: Record<string, unknown>[] }

export function backOfficeExport(results: readonly Rows[]): BackOfficeExport {
  const [account, counts, limits, audit, ...authored] = results
  const a = account!.rows[0]
  const c = counts!.rows[0] ?? {}
  return {
    account: a ? { ...a, disabled: a['disabled'] === 1, passwordHash: 'enregistré sous forme d’empreinte (scrypt), non communiqué' } : null,
    sessions: Number(c['sessions'] ?? 0),
    unlockLinks: Number(c['unlock_links'] ?? 0),
    loginLimits: limits!.rows,
    audit: audit!.rows.map((r) => ({ ...r, before: parse(r['before']), after: parse(r['after']) })),
    authored: Object.fromEntries(AUTHOR_COLUMNS.map(({ table }, i) => [table, authored[i]!.rows])),
  }
}

/** « compte supprimé #1a2b3c4d »: from the subject's keyed hash (`subject:<hex>`). */
export const pseudonymOf = (ref: string): string => `compte supprimé #${ref.replace(/^subject:/, '').slice(0, 8)}`

/** SQL counting, at the audit entry's insert, the account and the attributed rows about to change. Params: e, then e per author column. */
export function backOfficeCounts(e: string): { text: string; params: string[] } {
  const authored = AUTHOR_COLUMNS.map(({ table, columns }) => `(SELECT COUNT(*) FROM ${table} WHERE ${authoredWhere(columns)})`).join(' + ')
  return {
    text: `'adminAccounts', (SELECT COUNT(*) FROM admin_accounts WHERE lower(email) = ?), 'attributions', ${authored}`,
    params: [e, ...AUTHOR_COLUMNS.flatMap(({ columns }) => columns.map(() => e))],
  }
}

/**
 * The erasure's back-office statements, in order: sessions, unlock links and login counter deleted;
 * the audit's entries and the catalogue's attributions given the pseudonym; the account disabled,
 * its password hash emptied and its address replaced by the pseudonym (last: the others find it by address).
 * Returns the statements and which of their results count as the account and the attributions.
 */
export function backOfficeErasure(e: string, pseudonym: string): { statements: SqlStatement[]; account: number; attributions: number[] } {
  const authored = AUTHOR_COLUMNS.map(({ table, columns }) =>
    sql(`UPDATE ${table} SET ${columns.map((c) => `${c} = CASE WHEN lower(${c}) = ? THEN ? ELSE ${c} END`).join(', ')} WHERE ${authoredWhere(columns)}`, ...columns.flatMap(() => [e, pseudonym]), ...columns.map(() => e)),
  )
  const statements = [
    sql(`DELETE FROM admin_sessions WHERE account_id IN (${ACCOUNT_IDS})`, e),
    sql(`DELETE FROM admin_unlock_tokens WHERE account_id IN (${ACCOUNT_IDS})`, e),
    sql(`DELETE FROM admin_login_limits WHERE key = 'account:' || ?`, e),
    sql(`UPDATE admin_audit SET actor = CASE WHEN lower(actor) = ? THEN ? ELSE actor END,
      target = CASE WHEN lower(target) = 'account:' || ? THEN 'account:' || ? ELSE target END,
      before = replace(before, ?, ?), after = replace(after, ?, ?) WHERE ${AUDIT_OF}`, e, pseudonym, e, pseudonym, e, pseudonym, e, pseudonym, e, e, e, e),
    ...authored,
    sql(`UPDATE admin_accounts SET email = ?, password_hash = '', disabled = 1 WHERE lower(email) = ?`, pseudonym, e),
  ]
  return { statements, account: statements.length - 1, attributions: authored.map((_, i) => 4 + i) }
}
