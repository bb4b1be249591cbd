// The RightsStore (bot/admin/ports.ts) in the SQLite file: the SQL store (runtime/sql/rights-store.ts)
// over better-sqlite3, the WAL scrubbed after an erasure that removed anything (the file itself
// deletes securely: runtime/node/sqlite.ts), so no byte of the erased rows stays on disk; each
// erasure is written to the erasure journal (./erasure-journal.ts) a restore replays.
import type { RightsStore } from '../../bot/admin/ports.ts'
import { createSqlRightsStore } from '../sql/rights-store.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import { recordErasure } from './erasure-journal.ts'
import { scrubWal, type Db } from './sqlite.ts'

export function createSqliteRightsStore(db: Db): RightsStore {
  const store = createSqlRightsStore(sqliteDatabase(db))
  return {
    ...store,
    async erase(email, audit) {
      const counts = await store.erase(email, audit)
      // Even when nothing is left here: a backup taken earlier may still hold the address. Wall-clock
      // time, as backups record theirs (audit.at follows the service's clock, which GUICHET_NOW fixes).
      recordErasure(db, { at: new Date().toISOString(), ref: await store.subjectRef(email) })
      if (Object.values(counts).some((n) => n > 0)) scrubWal(db)
      return counts
    },
  }
}
