// SQLite implementations of the admin ports (bot/admin/ports.ts): accounts, sessions (ids
// stored hashed), login limits and unlock links, audit log, programme overrides, settings.
import { randomUUID } from 'node:crypto'
import type { Account, AccountStore, AdminSessionStore, AuditEntry, AuditLog, CreatedProgramme, CurationStore, LoginThrottle, OverrideStore, ProgrammeMerge, ProgrammeOverride, Role, SettingsStore, UnlockStatus } from '../../bot/admin/ports.ts'
import type { Programme } from '../../core/programme.ts'
import { decide, liveFailures, lockedUntil, type Counter, type LoginDecision, type LoginLimits } from '../../bot/admin/login-limits.ts'
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

/**
 * Login counters (`account:<email>`, `ip:<address>`) and unlock links. `begin` is one IMMEDIATE
 * transaction (read both counters, decide, count the attempt): two processes on the same file
 * take turns, so neither can pass a limit the other has just reached.
 */
export function createSqliteLoginThrottle(db: Db): LoginThrottle {
  const q = prepareLoginThrottle(db)
  const counter = (key: string) => readCounter(q, key)
  const status = (tokenHash: string, now: Date) => readUnlockStatus(q, tokenHash, now)
  const begin = db.transaction((account: string, address: string, now: Date, limits: LoginLimits): LoginDecision => {
    const a = counter(accountKey(account))
    const ip = counter(addressKey(address))
    const decision = decide(a, ip, now, limits)
    if (decision.ok) {
      q.put.run(accountKey(account), decision.accountFailures, now.toISOString())
      q.put.run(addressKey(address), liveFailures(ip, now, limits) + 1, now.toISOString())
    }
    return decision
  })
  const reset = db.transaction((account: string, now: Date) => {
    q.del.run(accountKey(account))
    q.revoke.run(now.toISOString(), account.trim().toLowerCase())
  })
  const redeem = db.transaction((tokenHash: string, now: Date): UnlockStatus => {
    const s = status(tokenHash, now)
    if (s.status !== 'live') return s
    q.useToken.run(now.toISOString(), tokenHash)
    reset(s.email, now)
    return { status: 'unlocked', email: s.email }
  })
  const issue = db.transaction((accountId: string, tokenHash: string, now: Date, expiresAt: Date): boolean => {
    if (q.live.get(accountId, now.toISOString())) return false
    q.insertToken.run(tokenHash, accountId, now.toISOString(), expiresAt.toISOString())
    return true
  })
  return {
    async begin({ account, address, now }, limits) {
      return begin.immediate(account, address, now, limits)
    },
    async succeeded({ account, address, now }) {
      db.transaction(() => {
        reset(account, now)
        q.refund.run(addressKey(address))
      }).immediate()
    },
    async accountState(account, now, limits) {
      const c = counter(accountKey(account))
      const until = lockedUntil(c, limits.account, now, limits)
      return { failures: liveFailures(c, now, limits), ...(until ? { lockedUntil: until } : {}) }
    },
    async reset(account, now) {
      reset.immediate(account, now)
    },
    async resetAddress(address) {
      q.del.run(addressKey(address))
    },
    async issueUnlock({ accountId, tokenHash, now, expiresAt }) {
      return issue.immediate(accountId, tokenHash, now, expiresAt)
    },
    async unlockStatus(tokenHash, now) {
      return status(tokenHash, now)
    },
    async redeemUnlock(tokenHash, now) {
      return redeem.immediate(tokenHash, now)
    },
  }
}

type LoginThrottleStatements = ReturnType<typeof prepareLoginThrottle>

/** The login throttle's statements, prepared once per store. */
function prepareLoginThrottle(db: Db) {
  return {
    get: db.prepare('SELECT failures, last_at FROM admin_login_limits WHERE key = ?'),
    put: db.prepare('INSERT INTO admin_login_limits (key, failures, last_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at'),
    del: db.prepare('DELETE FROM admin_login_limits WHERE key = ?'),
    refund: db.prepare('UPDATE admin_login_limits SET failures = MAX(failures - 1, 0) WHERE key = ?'),
    revoke: db.prepare('UPDATE admin_unlock_tokens SET used_at = ? WHERE used_at IS NULL AND account_id IN (SELECT id FROM admin_accounts WHERE email = ?)'),
    live: db.prepare('SELECT 1 FROM admin_unlock_tokens WHERE account_id = ? AND used_at IS NULL AND expires_at > ?'),
    insertToken: db.prepare('INSERT INTO admin_unlock_tokens (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
    token: db.prepare('SELECT t.used_at, t.expires_at, a.email FROM admin_unlock_tokens t JOIN admin_accounts a ON a.id = t.account_id WHERE t.token_hash = ?'),
    useToken: db.prepare('UPDATE admin_unlock_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL'),
  }
}

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`
const addressKey = (address: string) => `ip:${address}`

function readCounter(q: LoginThrottleStatements, key: string): Counter | undefined {
  const r = q.get.get(key) as { failures: number; last_at: string } | undefined
  return r ? { failures: r.failures, lastAt: r.last_at } : undefined
}

function readUnlockStatus(q: LoginThrottleStatements, tokenHash: string, now: Date): UnlockStatus {
  const r = q.token.get(tokenHash) as { used_at: string | null; expires_at: string; email: string } | undefined
  if (!r) return { status: 'unknown' }
  if (r.used_at) return { status: 'used' }
  if (r.expires_at <= now.toISOString()) return { status: 'expired' }
  return { status: 'live', email: r.email }
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
