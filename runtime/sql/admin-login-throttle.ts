// The login throttle of the admin desk (LoginThrottle port, bot/admin/ports.ts) written once against
// the SQL port: counters `account:<email>` and `ip:<address>` in admin_login_limits, and the
// single-use unlock links (stored hashed) in admin_unlock_tokens.
//
// With no interactive transaction (D1), a read-decide-write is a compare-and-swap: `begin` reads
// both counters, decides (bot/admin/login-limits.ts, pure), and writes both new counters in ONE
// statement whose WHERE says both counters are still as read. If another process counted an
// attempt in between, nothing is written and the attempt is decided again from the new counters.
// The decision is a function of the two counters alone, so this is as strict as the IMMEDIATE
// transaction it replaces: two processes can never both pass a limit.
import type { LoginThrottle, UnlockStatus } from '../../bot/admin/ports.ts'
import { decide, liveFailures, lockedUntil, type Counter, type LoginDecision } from '../../bot/admin/login-limits.ts'
import { all, first, sql, type SqlDatabase, type SqlStatement, type SqlValue } from './database.ts'

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`
const addressKey = (address: string) => `ip:${address}`

/** Rounds of read-decide-swap before giving up: each lost round means another attempt was counted. */
const MAX_ROUNDS = 1000

/** `key` still holds `counter` (or still holds nothing). */
function unchanged(key: string, counter: Counter | undefined): { text: string; params: SqlValue[] } {
  return counter
    ? { text: 'EXISTS (SELECT 1 FROM admin_login_limits WHERE key = ? AND failures = ? AND last_at = ?)', params: [key, counter.failures, counter.lastAt] }
    : { text: 'NOT EXISTS (SELECT 1 FROM admin_login_limits WHERE key = ?)', params: [key] }
}

/** Deletes an account's counter and revokes its live unlock links. */
const resetStatements = (account: string, iso: string): SqlStatement[] => [
  sql('DELETE FROM admin_login_limits WHERE key = ?', accountKey(account)),
  sql('UPDATE admin_unlock_tokens SET used_at = ? WHERE used_at IS NULL AND account_id IN (SELECT id FROM admin_accounts WHERE email = ?)', iso, account.trim().toLowerCase()),
]

export function createSqlLoginThrottle(db: SqlDatabase): LoginThrottle {
  const counters = async (keys: string[]): Promise<(Counter | undefined)[]> => {
    const rows = await all<{ key: string; failures: number; last_at: string }>(db, sql(`SELECT key, failures, last_at FROM admin_login_limits WHERE key IN (${keys.map(() => '?').join(', ')})`, ...keys))
    return keys.map((k) => rows.find((r) => r.key === k)).map((r) => (r ? { failures: r.failures, lastAt: r.last_at } : undefined))
  }
  const status = (tokenHash: string, now: Date) => readUnlockStatus(db, tokenHash, now)
  return {
    async begin({ account, address, now }, limits): Promise<LoginDecision> {
      const keys = [accountKey(account), addressKey(address)]
      const iso = now.toISOString()
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const [a, ip] = await counters(keys)
        const decision = decide(a, ip, now, limits)
        if (!decision.ok) return decision
        const ifA = unchanged(keys[0]!, a)
        const ifIp = unchanged(keys[1]!, ip)
        const swapped = await db.query(sql(
          `INSERT INTO admin_login_limits (key, failures, last_at) SELECT column1, column2, column3 FROM (VALUES (?, ?, ?), (?, ?, ?))
           WHERE ${ifA.text} AND ${ifIp.text}
           ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at`,
          keys[0]!, decision.accountFailures, iso, keys[1]!, liveFailures(ip, now, limits) + 1, iso, ...ifA.params, ...ifIp.params,
        ))
        if (swapped.changes === 2) return decision
      }
      throw new Error(`login throttle: the counters of ${keys.join(' and ')} kept changing for ${MAX_ROUNDS} rounds`)
    },
    async succeeded({ account, address, now }) {
      await db.batch([...resetStatements(account, now.toISOString()), sql('UPDATE admin_login_limits SET failures = MAX(failures - 1, 0) WHERE key = ?', addressKey(address))])
    },
    async accountState(account, now, limits) {
      const [c] = await counters([accountKey(account)])
      const until = lockedUntil(c, limits.account, now, limits)
      return { failures: liveFailures(c, now, limits), ...(until ? { lockedUntil: until } : {}) }
    },
    async reset(account, now) {
      await db.batch(resetStatements(account, now.toISOString()))
    },
    async resetAddress(address) {
      await db.query(sql('DELETE FROM admin_login_limits WHERE key = ?', addressKey(address)))
    },
    async issueUnlock({ accountId, tokenHash, now, expiresAt }) {
      const iso = now.toISOString()
      const r = await db.query(sql(
        `INSERT INTO admin_unlock_tokens (token_hash, account_id, created_at, expires_at) SELECT ?, ?, ?, ?
         WHERE NOT EXISTS (SELECT 1 FROM admin_unlock_tokens WHERE account_id = ? AND used_at IS NULL AND expires_at > ?)`,
        tokenHash, accountId, iso, expiresAt.toISOString(), accountId, iso,
      ))
      return r.changes === 1
    },
    async unlockStatus(tokenHash, now) {
      return status(tokenHash, now)
    },
    async redeemUnlock(tokenHash, now) {
      const s = await status(tokenHash, now)
      if (s.status !== 'live') return s
      const iso = now.toISOString()
      // The link is used only if still live; the reset follows in the same batch only if this batch used it.
      const usedHere = 'EXISTS (SELECT 1 FROM admin_unlock_tokens WHERE token_hash = ? AND used_at = ?)'
      const [used] = await db.batch([
        sql('UPDATE admin_unlock_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?', iso, tokenHash, iso),
        sql(`DELETE FROM admin_login_limits WHERE key = ? AND ${usedHere}`, accountKey(s.email), tokenHash, iso),
        sql(`UPDATE admin_unlock_tokens SET used_at = ? WHERE used_at IS NULL AND account_id IN (SELECT id FROM admin_accounts WHERE email = ?) AND ${usedHere}`, iso, s.email, tokenHash, iso),
      ])
      return used!.changes === 1 ? { status: 'unlocked', email: s.email } : status(tokenHash, now)
    },
  }
}

async function readUnlockStatus(db: SqlDatabase, tokenHash: string, now: Date): Promise<UnlockStatus> {
  const r = await first<{ used_at: string | null; expires_at: string; email: string }>(
    db,
    sql('SELECT t.used_at, t.expires_at, a.email FROM admin_unlock_tokens t JOIN admin_accounts a ON a.id = t.account_id WHERE t.token_hash = ?', tokenHash),
  )
  if (!r) return { status: 'unknown' }
  if (r.used_at) return { status: 'used' }
  if (r.expires_at <= now.toISOString()) return { status: 'expired' }
  return { status: 'live', email: r.email }
}
