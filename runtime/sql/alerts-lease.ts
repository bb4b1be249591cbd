// The digest's lease as the SQL AlertsStore (./alerts-store.ts) takes it: injected, because
// liveness is a runtime matter. On Node the store gets the job lease of runtime/node/lease.ts
// (a dead process's lease is taken over at once). On Workers a Cron Trigger invocation has no
// process anyone could check, so the lease is a TTL only, in the same job_leases table (host
// 'workers', pid 0): one upsert that writes only when the lease is free, past its expiry, or
// already the owner's (which pushes the expiry: the heartbeat). One statement, so two
// invocations racing for it cannot both win.
import { sql, type SqlDatabase } from './database.ts'

export interface AlertsLease {
  /** Takes the lease for `owner`, or pushes its expiry when `owner` holds it; false when another holder has it. */
  acquire(owner: string, now: Date, ttlMs: number): Promise<boolean>
  /** Frees the lease if `owner` holds it. */
  release(owner: string): Promise<void>
}

export const DIGEST_LEASE = 'digest'

export interface TtlLeaseOptions {
  name?: string
  host?: string
  pid?: number
  /** Tells this isolate from another in the row (informative: liveness is the expiry alone). */
  bootId?: string
}

export function createTtlLease(db: SqlDatabase, { name = DIGEST_LEASE, host = 'workers', pid = 0, bootId = crypto.randomUUID() }: TtlLeaseOptions = {}): AlertsLease {
  return {
    async acquire(owner, now, ttlMs) {
      const at = now.toISOString()
      const { rows } = await db.query<{ owner: string }>(
        sql(
          `INSERT INTO job_leases (name, owner, host, pid, boot_id, acquired_at, renewed_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET
             acquired_at = CASE WHEN job_leases.owner = excluded.owner THEN job_leases.acquired_at ELSE excluded.acquired_at END,
             owner = excluded.owner, host = excluded.host, pid = excluded.pid, boot_id = excluded.boot_id,
             renewed_at = excluded.renewed_at, expires_at = excluded.expires_at
           WHERE job_leases.owner = excluded.owner OR job_leases.expires_at <= ?
           RETURNING owner`,
          name,
          owner,
          host,
          pid,
          bootId,
          at,
          at,
          now.getTime() + ttlMs,
          now.getTime(),
        ),
      )
      return rows.length === 1
    },
    async release(owner) {
      await db.query(sql('DELETE FROM job_leases WHERE name = ? AND owner = ?', name, owner))
    },
  }
}
