// The RightsStore (bot/admin/ports.ts) in the SQLite file: the SQL store (runtime/sql/rights-store.ts)
// over better-sqlite3, the WAL scrubbed after an erasure that removed anything (the file itself
// deletes securely: runtime/node/sqlite.ts), so no byte of the erased rows stays on disk.
import type { RightsStore } from '../../bot/admin/ports.ts'
import { createSqlRightsStore } from '../sql/rights-store.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import { scrubWal, type Db } from './sqlite.ts'

export function createSqliteRightsStore(db: Db): RightsStore {
  const store = createSqlRightsStore(sqliteDatabase(db))
  return {
    ...store,
    async erase(email, audit) {
      const counts = await store.erase(email, audit)
      if (Object.values(counts).some((n) => n > 0)) scrubWal(db)
      return counts
    },
  }
}
