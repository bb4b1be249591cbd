// better-sqlite3 behind the SQL port (runtime/sql/database.ts): statements prepared once and kept,
// a batch is one better-sqlite3 transaction (all or nothing). Calls are synchronous underneath,
// so a batch is never interleaved with another statement of this process.
import type { SqlDatabase, SqlResult, SqlStatement, SqlValue } from '../sql/database.ts'
import type { Statement } from 'better-sqlite3'
import type { Db } from './sqlite.ts'

export function sqliteDatabase(db: Db): SqlDatabase {
  const prepared = new Map<string, Statement<SqlValue[]>>()
  const prepare = (text: string) => {
    let statement = prepared.get(text)
    if (!statement) {
      statement = db.prepare<SqlValue[]>(text)
      prepared.set(text, statement)
    }
    return statement
  }
  const one = (s: SqlStatement): SqlResult => {
    const statement = prepare(s.sql)
    if (statement.reader) return { rows: statement.all(...(s.params as SqlValue[])) as Record<string, unknown>[], changes: 0, lastRowId: 0 }
    const info = statement.run(...(s.params as SqlValue[]))
    return { rows: [], changes: info.changes, lastRowId: Number(info.lastInsertRowid) }
  }
  const batch = db.transaction((statements: readonly SqlStatement[]) => statements.map(one))
  return {
    dialect: 'sqlite',
    async query<T>(s: SqlStatement) {
      return one(s) as SqlResult<T>
    },
    async batch(statements) {
      return batch(statements)
    },
  }
}
