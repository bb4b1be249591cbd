// The anonymised understanding log in the SQLite file: the SQL store (runtime/sql/understanding-log.ts) over better-sqlite3.
import type { UnderstandingLog } from '../../bot/admin/ports.ts'
import { createSqlUnderstandingLog } from '../sql/understanding-log.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import type { Db } from './sqlite.ts'

export const createSqliteUnderstandingLog = (db: Db): UnderstandingLog => createSqlUnderstandingLog(sqliteDatabase(db))
