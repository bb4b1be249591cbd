// The D1 migration files (migrations/, for `wrangler d1 migrations apply`) are what
// runtime/workers/migrations-files.ts generates from runtime/sql/schema.ts, and a D1 database
// migrated with them is one the app's own migrate() finds up to date.
import { readdirSync, readFileSync } from 'node:fs'
import { Miniflare } from 'miniflare'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from '../../runtime/sql/database.ts'
import { migrate, splitStatements } from '../../runtime/sql/migrations.ts'
import { MIGRATIONS } from '../../runtime/sql/schema.ts'
import { d1Database, type D1Like } from '../../runtime/workers/d1-database.ts'
import { migrationFiles } from '../../runtime/workers/migrations-files.ts'

const dir = new URL('../../migrations/', import.meta.url)
const committed = () => new Map(readdirSync(dir).filter((n) => n.endsWith('.sql')).sort().map((n) => [n, readFileSync(new URL(n, dir), 'utf8')]))
const mfs: Miniflare[] = []
afterAll(async () => Promise.all(mfs.map((m) => m.dispose())))

async function freshD1() {
  const mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  mfs.push(mf)
  return d1Database((await mf.getD1Database('DB')) as unknown as D1Like)
}

describe('migrations/ (D1, wrangler d1 migrations apply)', () => {
  it('holds exactly the files generated from runtime/sql/schema.ts (run `npm run workers:migrations` after adding a migration)', () => {
    const generated = migrationFiles()
    expect(generated.size).toBe(MIGRATIONS.length)
    expect([...committed().keys()]).toEqual([...generated.keys()].sort())
    for (const [name, text] of generated) expect(committed().get(name), name).toBe(text)
  })

  it('applied in order, leaves the app\'s migrate() nothing to do and the same tables as migrate() makes', async () => {
    const byFiles = await freshD1()
    for (const [name, text] of committed()) {
      // Each file as one transaction, as wrangler applies it.
      await byFiles.batch(splitStatements(text).map((s) => sql(s))).catch((err: Error) => {
        throw new Error(`${name}: ${err.message}`)
      })
    }
    expect(await migrate(byFiles)).toEqual([])
    const versions = (await byFiles.query<{ version: number }>(sql('SELECT version FROM schema_migrations ORDER BY version'))).rows.map((r) => r.version)
    expect(versions).toEqual(MIGRATIONS.map((_, i) => i + 1))

    const byApp = await freshD1()
    expect(await migrate(byApp)).toHaveLength(MIGRATIONS.length)
    const schema = async (db: typeof byApp) => (await db.query<{ type: string; name: string; sql: string | null }>(sql("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations' ORDER BY type, name"))).rows
    expect(await schema(byFiles)).toEqual(await schema(byApp))
  })
  it("records every file it applies in wrangler's d1_migrations, so that `wrangler d1 migrations apply` then finds nothing to apply", async () => {
    const names = async (db: Awaited<ReturnType<typeof freshD1>>) => (await db.query<{ name: string }>(sql('SELECT name FROM d1_migrations ORDER BY name'))).rows.map((r) => r.name)
    const byApp = await freshD1()
    await migrate(byApp)
    // wrangler applies the files of migrations/ whose name its table lacks: none.
    expect(await names(byApp)).toEqual([...committed().keys()])
    // A database the Worker migrated before it recorded the files gets them recorded at its next start.
    await byApp.query(sql("DELETE FROM d1_migrations WHERE name > '0010'"))
    expect(await migrate(byApp)).toEqual([])
    expect(await names(byApp)).toEqual([...committed().keys()])
  })
})
