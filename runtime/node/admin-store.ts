// SQLite implementations of the admin ports (bot/admin/ports.ts): accounts, sessions (ids
// stored hashed), login throttle, audit log, programme overrides, settings.
import { randomUUID } from 'node:crypto'
import type { Account, AccountStore, AdminSessionStore, AuditEntry, AuditLog, CreatedProgramme, CurationStore, LoginThrottle, OverrideStore, ProgrammeMerge, ProgrammeOverride, Role, SettingsStore } from '../../bot/admin/ports.ts'
import type { Programme } from '../../core/programme.ts'
import type { Db } from './sqlite.ts'

interface AccountRow { id: string; email: string; role: Role; disabled: number; created_at: string; password_hash: string }
const toAccount = (r: AccountRow): Account => ({ id: r.id, email: r.email, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at })

export function createSqliteAccountStore(db: Db): AccountStore {
  return {
    async create({ email, role, passwordHash, now }) {
      const id = randomUUID()
      db.prepare('INSERT INTO admin_accounts (id, email, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)').run(id, email.trim().toLowerCase(), role, passwordHash, now.toISOString())
      return { id, email: email.trim().toLowerCase(), role, disabled: false, createdAt: now.toISOString() }
    },
    async findByEmail(email) {
      const r = db.prepare('SELECT * FROM admin_accounts WHERE email = ?').get(email.trim().toLowerCase()) as AccountRow | undefined
      return r ? { ...toAccount(r), passwordHash: r.password_hash } : undefined
    },
    async get(id) {
      const r = db.prepare('SELECT * FROM admin_accounts WHERE id = ?').get(id) as AccountRow | undefined
      return r ? toAccount(r) : undefined
    },
    async list() {
      return (db.prepare('SELECT * FROM admin_accounts ORDER BY email').all() as AccountRow[]).map(toAccount)
    },
    async update(id, patch) {
      db.transaction(() => updateAccountRow(db, id, patch))()
    },
  }
}

function updateAccountRow(db: Db, id: string, patch: { role?: Role; disabled?: boolean; passwordHash?: string }): void {
  if (patch.role) db.prepare('UPDATE admin_accounts SET role = ? WHERE id = ?').run(patch.role, id)
  if (patch.disabled !== undefined) db.prepare('UPDATE admin_accounts SET disabled = ? WHERE id = ?').run(patch.disabled ? 1 : 0, id)
  if (patch.passwordHash) db.prepare('UPDATE admin_accounts SET password_hash = ? WHERE id = ?').run(patch.passwordHash, id)
}

export function createSqliteAdminSessionStore(db: Db): AdminSessionStore {
  return {
    async create({ idHash, accountId, csrf, now, expiresAt }) {
      db.prepare('DELETE FROM admin_sessions WHERE expires_at <= ?').run(now.toISOString())
      db.prepare('INSERT INTO admin_sessions (id_hash, account_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(idHash, accountId, csrf, now.toISOString(), expiresAt.toISOString())
    },
    async get(idHash, now) {
      const r = db.prepare('SELECT account_id, csrf, expires_at FROM admin_sessions WHERE id_hash = ? AND expires_at > ?').get(idHash, now.toISOString()) as { account_id: string; csrf: string; expires_at: string } | undefined
      return r ? { accountId: r.account_id, csrf: r.csrf, expiresAt: r.expires_at } : undefined
    },
    async delete(idHash) {
      db.prepare('DELETE FROM admin_sessions WHERE id_hash = ?').run(idHash)
    },
    async deleteForAccount(accountId) {
      db.prepare('DELETE FROM admin_sessions WHERE account_id = ?').run(accountId)
    },
  }
}

export function createSqliteLoginThrottle(db: Db): LoginThrottle {
  return {
    async lockedUntil(key, now) {
      const r = db.prepare('SELECT locked_until FROM admin_login_failures WHERE key = ?').get(key) as { locked_until: string | null } | undefined
      return r?.locked_until && r.locked_until > now.toISOString() ? new Date(r.locked_until) : undefined
    },
    async fail(key, now, { maxFailures, windowMs, lockMs }) {
      const r = db.prepare('SELECT failures, first_at FROM admin_login_failures WHERE key = ?').get(key) as { failures: number; first_at: string } | undefined
      const fresh = !r || now.getTime() - Date.parse(r.first_at) > windowMs
      const failures = fresh ? 1 : r.failures + 1
      const firstAt = fresh ? now.toISOString() : r.first_at
      const locked = failures >= maxFailures ? new Date(now.getTime() + lockMs).toISOString() : null
      db.prepare('INSERT INTO admin_login_failures (key, failures, first_at, locked_until) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, first_at = excluded.first_at, locked_until = excluded.locked_until')
        .run(key, locked ? 0 : failures, locked ? now.toISOString() : firstAt, locked)
    },
    async reset(key) {
      db.prepare('DELETE FROM admin_login_failures WHERE key = ?').run(key)
    },
  }
}

export function createSqliteAuditLog(db: Db): AuditLog {
  return {
    async record(e) {
      db.prepare('INSERT INTO admin_audit (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)').run(e.at, e.actor, e.action, e.target, JSON.stringify(e.before ?? null), JSON.stringify(e.after ?? null))
    },
    async list({ target, actor, action, beforeId, limit = 200 } = {}) {
      const where: string[] = []
      const args: (string | number)[] = []
      if (target) { where.push('target = ?'); args.push(target) }
      if (actor) { where.push('actor = ?'); args.push(actor) }
      if (action) { where.push("action LIKE ? ESCAPE '\\'"); args.push(`${action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`) }
      if (beforeId !== undefined) { where.push('id < ?'); args.push(beforeId) }
      const sql = `SELECT * FROM admin_audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
      const rows = db.prepare(sql).all(...args, limit) as { id: number; at: string; actor: string; action: string; target: string; before: string; after: string }[]
      return rows.map((r): AuditEntry => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, before: JSON.parse(r.before), after: JSON.parse(r.after) }))
    },
  }
}

interface OverrideRow { programme_id: string; patch: string; hidden: number; verified_by: string | null; verified_at: string | null; updated_by: string; updated_at: string }
const toOverride = (r: OverrideRow): ProgrammeOverride => ({
  programmeId: r.programme_id, patch: JSON.parse(r.patch), hidden: r.hidden === 1, verifiedBy: r.verified_by, verifiedAt: r.verified_at, updatedBy: r.updated_by, updatedAt: r.updated_at,
})

export function createSqliteOverrideStore(db: Db): OverrideStore {
  return {
    async all() {
      return (db.prepare('SELECT * FROM programme_overrides ORDER BY programme_id').all() as OverrideRow[]).map(toOverride)
    },
    async get(id) {
      const r = db.prepare('SELECT * FROM programme_overrides WHERE programme_id = ?').get(id) as OverrideRow | undefined
      return r ? toOverride(r) : undefined
    },
    async put(o) {
      db.prepare(`INSERT INTO programme_overrides (programme_id, patch, hidden, verified_by, verified_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (programme_id) DO UPDATE SET patch = excluded.patch, hidden = excluded.hidden, verified_by = excluded.verified_by, verified_at = excluded.verified_at, updated_by = excluded.updated_by, updated_at = excluded.updated_at`)
        .run(o.programmeId, JSON.stringify(o.patch), o.hidden ? 1 : 0, o.verifiedBy, o.verifiedAt, o.updatedBy, o.updatedAt)
    },
  }
}

export function createSqliteSettingsStore(db: Db): SettingsStore {
  return {
    async get(key) {
      return (db.prepare('SELECT value FROM admin_settings WHERE key = ?').get(key) as { value: string } | undefined)?.value
    },
    async set(key, value, now) {
      db.prepare('INSERT INTO admin_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at').run(key, value, now.toISOString())
    },
  }
}

/** Back-office programmes, merges, and batches of overrides with their audit entries, each batch in one transaction. */
export function createSqliteCurationStore(db: Db): CurationStore {
  const q = {
    created: db.prepare('SELECT * FROM admin_programmes ORDER BY id'),
    merges: db.prepare('SELECT * FROM programme_merges ORDER BY loser_id'),
    putCreated: db.prepare(`INSERT INTO admin_programmes (id, json, created_by, created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET json = excluded.json, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
    putMerge: db.prepare(`INSERT INTO programme_merges (loser_id, winner_id, merged_by, merged_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (loser_id) DO UPDATE SET winner_id = excluded.winner_id, merged_by = excluded.merged_by, merged_at = excluded.merged_at`),
    unmerge: db.prepare('DELETE FROM programme_merges WHERE loser_id = ?'),
    putOverride: db.prepare(`INSERT INTO programme_overrides (programme_id, patch, hidden, verified_by, verified_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (programme_id) DO UPDATE SET patch = excluded.patch, hidden = excluded.hidden, verified_by = excluded.verified_by, verified_at = excluded.verified_at, updated_by = excluded.updated_by, updated_at = excluded.updated_at`),
    audit: db.prepare('INSERT INTO admin_audit (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?, ?)'),
    setting: db.prepare('INSERT INTO admin_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
  }
  const commit = db.transaction((b: Parameters<CurationStore['commit']>[0]) => {
    for (const a of b.accountCreates ?? []) db.prepare('INSERT INTO admin_accounts (id, email, role, password_hash, disabled, created_at) VALUES (?, ?, ?, ?, 0, ?)').run(a.id, a.email.trim().toLowerCase(), a.role, a.passwordHash, a.createdAt)
    for (const u of b.accountUpdates ?? []) updateAccountRow(db, u.id, u.patch)
    for (const st of b.settings ?? []) q.setting.run(st.key, st.value, st.at)
    for (const c of b.created ?? []) q.putCreated.run(c.programme.id, JSON.stringify(c.programme), c.createdBy, c.createdAt, c.updatedBy, c.updatedAt)
    for (const o of b.overrides ?? []) q.putOverride.run(o.programmeId, JSON.stringify(o.patch), o.hidden ? 1 : 0, o.verifiedBy, o.verifiedAt, o.updatedBy, o.updatedAt)
    for (const m of b.merges ?? []) q.putMerge.run(m.loserId, m.winnerId, m.mergedBy, m.mergedAt)
    for (const id of b.unmerges ?? []) q.unmerge.run(id)
    for (const e of b.audit) q.audit.run(e.at, e.actor, e.action, e.target, JSON.stringify(e.before ?? null), JSON.stringify(e.after ?? null))
  })
  return {
    async createdProgrammes() {
      return (q.created.all() as { id: string; json: string; created_by: string; created_at: string; updated_by: string; updated_at: string }[]).map(
        (r): CreatedProgramme => ({ programme: JSON.parse(r.json) as Programme, createdBy: r.created_by, createdAt: r.created_at, updatedBy: r.updated_by, updatedAt: r.updated_at }),
      )
    },
    async merges() {
      return (q.merges.all() as { loser_id: string; winner_id: string; merged_by: string; merged_at: string }[]).map(
        (r): ProgrammeMerge => ({ loserId: r.loser_id, winnerId: r.winner_id, mergedBy: r.merged_by, mergedAt: r.merged_at }),
      )
    },
    async commit(batch) {
      commit(batch)
    },
  }
}
