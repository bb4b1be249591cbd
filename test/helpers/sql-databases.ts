// The two SQL databases every store contract suite runs on: a SQLite file through better-sqlite3
// (the Node runtime) and D1 through Miniflare (the Workers runtime, workerd's own D1), both migrated
// with the one schema. Use: `describe.each(SQL_DATABASES)('… on %s', (name, open) => …)`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Miniflare } from 'miniflare'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { sqliteDatabase } from '../../runtime/node/sqlite-database.ts'
import { d1Database, type D1Like } from '../../runtime/workers/d1-database.ts'
import { migrate } from '../../runtime/sql/migrations.ts'
import type { SqlDatabase } from '../../runtime/sql/database.ts'

export interface OpenedDatabase {
  db: SqlDatabase
  close(): Promise<void>
}

export async function openSqlite(): Promise<OpenedDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-sql-'))
  const raw = openDatabase(dir)
  return {
    db: sqliteDatabase(raw),
    async close() {
      raw.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function openD1(): Promise<OpenedDatabase> {
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  const db = d1Database((await mf.getD1Database('DB')) as unknown as D1Like)
  await migrate(db)
  return { db, close: () => mf.dispose() }
}

export const SQL_DATABASES: [string, () => Promise<OpenedDatabase>][] = [
  ['SQLite (better-sqlite3)', openSqlite],
  ['D1 (Miniflare)', openD1],
]
