// The CrawlStore in the Node runtime's SQLite file: the SQL store (runtime/sql/crawl-store.ts)
// over better-sqlite3 (runtime/node/sqlite-database.ts), one batch per source's result. The run
// lock is the 'crawl' job lease (runtime/node/lease.ts, owner = the run id): a killed run's lease
// is taken over at once by the next run on the same host, and a run left 'running' by a dead
// process is closed as interrupted. Every write of a run checks, in its batch, that no other run
// holds the lease: a run that lost it writes nothing more.
import type { ConditionalCache } from '../../crawler/fetch/conditional-cache.ts'
import type { CrawlStore } from '../../crawler/crawl-store.ts'
import { CRAWL_LEASE, type CrawlLease } from '../sql/crawl-lease.ts'
import { createSqlCrawlStore, sqlConditionalCache } from '../sql/crawl-store.ts'
import { createLeases, type Leases } from './lease.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import type { Db } from './sqlite.ts'

export function createSqliteConditionalCache(db: Db): ConditionalCache {
  return sqlConditionalCache(sqliteDatabase(db))
}

/** The job lease of runtime/node/lease.ts as the SQL store takes it. */
export function nodeCrawlLease(leases: Leases): CrawlLease {
  return {
    acquire: async (owner, now, ttlMs) => leases.acquire(CRAWL_LEASE, owner, now, ttlMs),
    renew: async (owner, now, ttlMs) => leases.renew(CRAWL_LEASE, owner, now, ttlMs),
    release: async (owner) => leases.release(CRAWL_LEASE, owner),
    async deadHolder(now) {
      const holder = leases.holder(CRAWL_LEASE)
      return holder && leases.isDead(holder, now) ? holder.owner : undefined
    },
  }
}

export function createSqliteCrawlStore(db: Db, { leases = createLeases(db) }: { leases?: Leases } = {}): CrawlStore {
  return createSqlCrawlStore(sqliteDatabase(db), { lease: nodeCrawlLease(leases) })
}
