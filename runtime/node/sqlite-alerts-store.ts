// The AlertsStore in the SQLite file: the SQL store (runtime/sql/alerts-store.ts) over the
// better-sqlite3 adapter of the SQL port, with the digest's lease as a job lease of this process
// (runtime/node/lease.ts): a lease held by a process that died is taken over at once. An erased
// subscription leaves no bytes behind: the file deletes securely and the WAL is scrubbed after it;
// it is written to the erasure journal a restore replays (./erasure-journal.ts).
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import { createSqlAlertsStore } from '../sql/alerts-store.ts'
import { DIGEST_LEASE, type AlertsLease } from '../sql/alerts-lease.ts'
import { recordErasure } from './erasure-journal.ts'
import { createLeases, type Leases } from './lease.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import { scrubWal, type Db } from './sqlite.ts'

/** The digest's lease among this process's job leases. */
export function nodeDigestLease(leases: Leases): AlertsLease {
  return {
    acquire: async (owner, now, ttlMs) => leases.acquire(DIGEST_LEASE, owner, now, ttlMs),
    release: async (owner) => leases.release(DIGEST_LEASE, owner),
  }
}

export function createSqliteAlertsStore(db: Db, { newId, leases = createLeases(db) }: { newId?: () => string; leases?: Leases } = {}): AlertsStore {
  const store = createSqlAlertsStore(sqliteDatabase(db), { lease: nodeDigestLease(leases), ...(newId ? { newId } : {}) })
  return {
    ...store,
    async deleteSubscription(id) {
      const existed = await store.deleteSubscription(id)
      if (existed) {
        recordErasure(db, { at: new Date().toISOString(), ref: `subscription:${id}` })
        scrubWal(db)
      }
      return existed
    },
  }
}
