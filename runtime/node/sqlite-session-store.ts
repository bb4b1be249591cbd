// Chat sessions in the SQLite file: the store written once against the SQL port
// (runtime/sql/session-store.ts), over better-sqlite3. The Workers runtime runs the same store on D1.
import type { SessionStore } from '../../bot/conversation/session-store.ts'
import { createSqlSessionStore } from '../sql/session-store.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import type { Db } from './sqlite.ts'

export function createSqliteSessionStore(db: Db): SessionStore {
  return createSqlSessionStore(sqliteDatabase(db))
}
