// The crawl's lease as the SQL CrawlStore (./crawl-store.ts) takes it: injected, because liveness
// is a runtime matter (as for the digest, ./alerts-lease.ts). On Node the store gets the job lease
// of runtime/node/lease.ts ('crawl' in job_leases; a holder whose process is known dead is taken
// over at once). On Workers an invocation has no process anyone could check: the lease is a TTL
// only, in the same row (host 'workers', pid 0), taken by one upsert and pushed by the heartbeat.
// Either way the store's writes check the row in their own batch (crawl_lease_guard).
import { createTtlLease, type TtlLeaseOptions } from './alerts-lease.ts'
import { sql, type SqlDatabase } from './database.ts'

/** The row of job_leases the crawl takes (the store's write guard reads it). */
export const CRAWL_LEASE = 'crawl'

export interface CrawlLease {
  /** Takes the lease for `owner`, or pushes its expiry when `owner` holds it; false when a live holder has it. */
  acquire(owner: string, now: Date, ttlMs: number): Promise<boolean>
  /** Pushes the expiry of a lease `owner` holds; false when it is no longer theirs. */
  renew(owner: string, now: Date, ttlMs: number): Promise<boolean>
  release(owner: string): Promise<void>
  /**
   * The owner of a holder known dead before its expiry (Node: its process is gone), whose run
   * can be closed as interrupted at once; undefined when none is (always, with a TTL lease).
   */
  deadHolder(now: Date): Promise<string | undefined>
}

/** The Workers' crawl lease: a TTL in job_leases. */
export function createTtlCrawlLease(db: SqlDatabase, options: Omit<TtlLeaseOptions, 'name'> = {}): CrawlLease {
  const lease = createTtlLease(db, { ...options, name: CRAWL_LEASE })
  return {
    acquire: (owner, now, ttlMs) => lease.acquire(owner, now, ttlMs),
    async renew(owner, now, ttlMs) {
      const { changes } = await db.query(sql('UPDATE job_leases SET renewed_at = ?, expires_at = ? WHERE name = ? AND owner = ?', now.toISOString(), now.getTime() + ttlMs, CRAWL_LEASE, owner))
      return changes === 1
    },
    release: (owner) => lease.release(owner),
    deadHolder: async () => undefined,
  }
}
