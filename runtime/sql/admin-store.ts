// The admin ports (bot/admin/ports.ts) written once against the SQL port: SQLite on Node, D1 on
// Workers. Accounts, sessions (ids stored hashed), audit log, programme overrides, settings, and the
// curation (created programmes, merges, and a batch of back-office changes with their audit
// entries). The login throttle and unlock links are in runtime/sql/admin-login-throttle.ts.
// Every multi-statement write is one batch (all or nothing).
import type { Account, AccountStore, AdminSessionStore, AuditEntry, AuditLog, CreatedProgramme, CurationBatch, CurationStore, OverrideStore, ProgrammeMerge, ProgrammeOverride, Role, SettingsStore } from '../../bot/admin/ports.ts'
import type { Programme } from '../../core/programme.ts'
import { all, first, sql, type SqlDatabase, type SqlStatement, type SqlValue } from './database.ts'
import { createSqlRightsStore } from './rights-store.ts'

interface AccountRow { id: string; email: string; role: Role; disabled: number; created_at: string; password_hash: string }
const toAccount = (r: AccountRow): Account => ({ id: r.id, email: r.email, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at })
const normalEmail = (email: string) => email.trim().toLowerCase()

const insertAccount = (a: { id: string; email: string; role: Role; passwordHash: string; createdAt: string }) =>
  sql('INSERT INTO admin_accounts (id, email, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)', a.id, normalEmail(a.email), a.role, a.passwordHash, a.createdAt)

function accountUpdates(id: string, patch: { role?: Role; disabled?: boolean; passwordHash?: string }): SqlStatement[] {
  const out: SqlStatement[] = []
  if (patch.role) out.push(sql('UPDATE admin_accounts SET role = ? WHERE id = ?', patch.role, id))
  if (patch.disabled !== undefined) out.push(sql('UPDATE admin_accounts SET disabled = ? WHERE id = ?', patch.disabled ? 1 : 0, id))
  if (patch.passwordHash) out.push(sql('UPDATE admin_accounts SET password_hash = ? WHERE id = ?', patch.passwordHash, id))
  return out
}

export function createSqlAccountStore(db: SqlDatabase): AccountStore {
  return {
    async create({ email, role, passwordHash, now }) {
      const account = { id: crypto.randomUUID(), email: normalEmail(email), role, passwordHash, createdAt: now.toISOString() }
      await db.query(insertAccount(account))
      return { id: account.id, email: account.email, role, disabled: false, createdAt: account.createdAt }
    },
    async findByEmail(email) {
      const r = await first<AccountRow>(db, sql('SELECT * FROM admin_accounts WHERE email = ?', normalEmail(email)))
      return r ? { ...toAccount(r), passwordHash: r.password_hash } : undefined
    },
    async get(id) {
      const r = await first<AccountRow>(db, sql('SELECT * FROM admin_accounts WHERE id = ?', id))
      return r ? toAccount(r) : undefined
    },
    async list() {
      return (await all<AccountRow>(db, sql('SELECT * FROM admin_accounts ORDER BY email'))).map(toAccount)
    },
    async update(id, patch) {
      await db.batch(accountUpdates(id, patch))
    },
  }
}

export function createSqlAdminSessionStore(db: SqlDatabase): AdminSessionStore {
  return {
    async create({ idHash, accountId, csrf, now, expiresAt }) {
      await db.batch([
        sql('DELETE FROM admin_sessions WHERE expires_at <= ?', now.toISOString()),
        sql('INSERT INTO admin_sessions (id_hash, account_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', idHash, accountId, csrf, now.toISOString(), expiresAt.toISOString()),
      ])
    },
    async get(idHash, now) {
      const r = await first<{ account_id: string; csrf: string; expires_at: string }>(db, sql('SELECT account_id, csrf, expires_at FROM admin_sessions WHERE id_hash = ? AND expires_at > ?', idHash, now.toISOString()))
      return r ? { accountId: r.account_id, csrf: r.csrf, expiresAt: r.expires_at } : undefined
    },
    async delete(idHash) {
      await db.query(sql('DELETE FROM admin_sessions WHERE id_hash = ?', idHash))
    },
    async deleteForAccount(accountId) {
      await db.query(sql('DELETE FROM admin_sessions WHERE account_id = ?', accountId))
    },
  }
}

const insertAudit = (e: Omit<AuditEntry, 'id'>) =>
  sql('INSERT INTO admin_audit (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)', e.at, e.actor, e.action, e.target, JSON.stringify(e.before ?? null), JSON.stringify(e.after ?? null))

export function createSqlAuditLog(db: SqlDatabase): AuditLog {
  const rights = createSqlRightsStore(db)
  return {
    subjectRef: (email) => rights.subjectRef(email),
    async record(e) {
      await db.query(insertAudit(e))
    },
    async list({ target, actor, action, beforeId, limit = 200 } = {}) {
      const where: string[] = []
      const args: SqlValue[] = []
      if (target) { where.push('target = ?'); args.push(target) }
      if (actor) { where.push('actor = ?'); args.push(actor) }
      if (action) { where.push("action LIKE ? ESCAPE '\\'"); args.push(`${action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`) }
      if (beforeId !== undefined) { where.push('id < ?'); args.push(beforeId) }
      const text = `SELECT * FROM admin_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
      const rows = await all<{ id: number; at: string; actor: string; action: string; target: string; before: string; after: string }>(db, sql(text, ...args, limit))
      return rows.map((r): AuditEntry => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, before: JSON.parse(r.before), after: JSON.parse(r.after) }))
    },
  }
}

interface OverrideRow { programme_id: string; patch: string; hidden: number; verified_by: string | null; verified_at: string | null; updated_by: string; updated_at: string }
const toOverride = (r: OverrideRow): ProgrammeOverride => ({
  programmeId: r.programme_id, patch: JSON.parse(r.patch), hidden: r.hidden === 1, verifiedBy: r.verified_by, verifiedAt: r.verified_at, updatedBy: r.updated_by, updatedAt: r.updated_at,
})
const putOverride = (o: ProgrammeOverride) =>
  sql(
    `INSERT INTO programme_overrides (programme_id, patch, hidden, verified_by, verified_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (programme_id) DO UPDATE SET patch = excluded.patch, hidden = excluded.hidden, verified_by = excluded.verified_by, verified_at = excluded.verified_at, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    o.programmeId, JSON.stringify(o.patch), o.hidden ? 1 : 0, o.verifiedBy ?? null, o.verifiedAt ?? null, o.updatedBy, o.updatedAt,
  )

export function createSqlOverrideStore(db: SqlDatabase): OverrideStore {
  return {
    async all() {
      return (await all<OverrideRow>(db, sql('SELECT * FROM programme_overrides ORDER BY programme_id'))).map(toOverride)
    },
    async get(id) {
      const r = await first<OverrideRow>(db, sql('SELECT * FROM programme_overrides WHERE programme_id = ?', id))
      return r ? toOverride(r) : undefined
    },
    async put(o) {
      await db.query(putOverride(o))
    },
  }
}

const putSetting = (key: string, value: string, at: string) =>
  sql('INSERT INTO admin_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', key, value, at)

export function createSqlSettingsStore(db: SqlDatabase): SettingsStore {
  return {
    async get(key) {
      return (await first<{ value: string }>(db, sql('SELECT value FROM admin_settings WHERE key = ?', key)))?.value
    },
    async set(key, value, now) {
      await db.query(putSetting(key, value, now.toISOString()))
    },
  }
}

/** The statements of one curation batch, in the order the Node store always applied them. */
function curationStatements(b: CurationBatch): SqlStatement[] {
  return [
    ...(b.accountCreates ?? []).map(insertAccount),
    ...(b.accountUpdates ?? []).flatMap((u) => accountUpdates(u.id, u.patch)),
    ...(b.settings ?? []).map((s) => putSetting(s.key, s.value, s.at)),
    ...(b.created ?? []).map((c) =>
      sql(
        `INSERT INTO admin_programmes (id, json, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        c.programme.id, JSON.stringify(c.programme), c.createdBy, c.createdAt, c.updatedBy, c.updatedAt,
      ),
    ),
    ...(b.overrides ?? []).map(putOverride),
    ...(b.merges ?? []).map((m) =>
      sql(
        `INSERT INTO programme_merges (loser_id, winner_id, merged_by, merged_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (loser_id) DO UPDATE SET winner_id = excluded.winner_id, merged_by = excluded.merged_by, merged_at = excluded.merged_at`,
        m.loserId, m.winnerId, m.mergedBy, m.mergedAt,
      ),
    ),
    ...(b.unmerges ?? []).map((id) => sql('DELETE FROM programme_merges WHERE loser_id = ?', id)),
    ...b.audit.map(insertAudit),
  ]
}

/** Back-office programmes, merges, and batches of changes with their audit entries, each batch in one transaction. */
export function createSqlCurationStore(db: SqlDatabase): CurationStore {
  return {
    async createdProgrammes() {
      const rows = await all<{ id: string; json: string; created_by: string; created_at: string; updated_by: string; updated_at: string }>(db, sql('SELECT * FROM admin_programmes ORDER BY id'))
      return rows.map((r): CreatedProgramme => ({ programme: JSON.parse(r.json) as Programme, createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at }))
    },
    async merges() {
      const rows = await all<{ loser_id: string; winner_id: string; merged_by: string; merged_at: string }>(db, sql('SELECT * FROM programme_merges ORDER BY loser_id'))
      return rows.map((r): ProgrammeMerge => ({ loserId: r.loser_id, winnerId: r.winner_id, mergedBy: r.merged_by, mergedAt: r.merged_at }))
    },
    async commit(batch) {
      await db.batch(curationStatements(batch))
    },
  }
}
