// A process that takes a job lease in the SQLite file in LEASE_DATA_DIR (job LEASE_NAME, owner
// LEASE_OWNER, TTL LEASE_TTL_MS), prints « held » or « refused », then (when held) keeps it with
// a heartbeat until it is killed. Used by test/ops/lease.test.ts.
import { startHeartbeat } from '../../core/heartbeat.ts'
import { createLeases } from '../../runtime/node/lease.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'

const dir = process.env.LEASE_DATA_DIR!
const name = process.env.LEASE_NAME ?? 'crawl'
const owner = process.env.LEASE_OWNER ?? `child-${process.pid}`
const ttlMs = Number(process.env.LEASE_TTL_MS ?? 60_000)
const db = openDatabase(dir)
const leases = createLeases(db)
if (!leases.acquire(name, owner, new Date(), ttlMs)) {
  process.stdout.write('refused\n')
  process.exit(3)
}
process.stdout.write('held\n')
startHeartbeat(() => leases.renew(name, owner, new Date(), ttlMs), 200, () => process.exit(4))
// Kept alive until killed.
setInterval(() => {}, 1_000)
