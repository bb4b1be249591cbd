// The AlertsStore on Workers: the SQL store (runtime/sql/alerts-store.ts) over the D1 binding, with
// the TTL lease in job_leases (a Cron Trigger invocation has no process to check) and no e-mail
// outbox (Node's). The binding must hold the migrated schema (runtime/sql/migrations.ts).
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import { createTtlLease } from '../sql/alerts-lease.ts'
import { createSqlAlertsStore } from '../sql/alerts-store.ts'
import { d1Database, type D1Like } from './d1-database.ts'

export function createD1AlertsStore(d1: D1Like, { newId }: { newId?: () => string } = {}): AlertsStore {
  const db = d1Database(d1)
  return createSqlAlertsStore(db, { lease: createTtlLease(db), outbox: false, ...(newId ? { newId } : {}) })
}
