// The one schema on both runtimes: migrated through the port on D1 (Miniflare) it has the same
// tables, columns and indexes as the SQLite file the Node runtime migrates with better-sqlite3.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { all, sql, type SqlDatabase } from '../../runtime/sql/database.ts'
import { MIGRATIONS } from '../../runtime/sql/schema.ts'
import { splitStatements } from '../../runtime/sql/migrations.ts'
import { openD1, openSqlite, type OpenedDatabase } from '../helpers/sql-databases.ts'

async function shape(db: SqlDatabase) {
  const tables = await all<{ name: string; type: string }>(db, sql("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%' ORDER BY name"))
  const out: Record<string, unknown> = {}
  for (const t of tables) {
    out[t.name] = t.type === 'table' ? (await all<{ name: string; type: string; notnull: number; pk: number }>(db, sql(`SELECT name, type, "notnull", pk FROM pragma_table_info('${t.name}')`))) : 'index'
  }
  return out
}

describe('the schema on SQLite and on D1', () => {
  let sqlite: OpenedDatabase
  let d1: OpenedDatabase
  beforeAll(async () => {
    ;[sqlite, d1] = await Promise.all([openSqlite(), openD1()])
  })
  afterAll(async () => {
    await Promise.all([sqlite.close(), d1.close()])
  })

  it('records every migration on both', async () => {
    for (const { db } of [sqlite, d1]) {
      const versions = (await all<{ version: number }>(db, sql('SELECT version FROM schema_migrations ORDER BY version'))).map((r) => r.version)
      expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1))
    }
  })

  it('has the same tables, columns and indexes on both', async () => {
    const a = await shape(sqlite.db)
    expect(Object.keys(a)).toContain('alert_deliveries')
    expect(await shape(d1.db)).toEqual(a)
  })

  it('rolls a failed batch back whole on both', async () => {
    for (const { db } of [sqlite, d1]) {
      await expect(db.batch([sql("INSERT INTO meta (key, value, updated_at) VALUES ('k', 'v', 'now')"), sql('INSERT INTO no_such_table VALUES (1)')])).rejects.toThrow()
      expect(await all(db, sql("SELECT * FROM meta WHERE key = 'k'"))).toEqual([])
    }
  })

  it('splits statements on semicolons outside quotes and comments', () => {
    expect(splitStatements("CREATE TABLE a (x TEXT); -- a; comment\nUPDATE a SET x = 'p;q';")).toEqual(['CREATE TABLE a (x TEXT)', "UPDATE a SET x = 'p;q'"])
  })
})
