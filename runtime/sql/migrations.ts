// Applying the numbered migrations (runtime/sql/schema.ts) through the SQL port: each one and its
// record in schema_migrations in one batch, so a migration is applied whole or not at all. The Node
// runtime applies the same list with better-sqlite3's exec (runtime/node/sqlite.ts); Workers applies
// it on D1 at its first request, or the operator does with `wrangler d1 migrations apply` from the
// files under migrations/ (generated from the same list, and recording the same versions).
import { sql, type SqlDatabase, type SqlStatement } from './database.ts'
import { MIGRATIONS } from './schema.ts'

export const SCHEMA_MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)'

/**
 * Where `wrangler d1 migrations apply` records the files it applied (wrangler's own DDL). On D1,
 * migrate() records each version's file there too, so wrangler later finds them applied and does
 * not create the tables again: the Worker's migrator and wrangler's agree whichever runs first.
 */
export const D1_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`

/** The file name of migration `version` under migrations/: zero-padded number, then the first table it touches. */
export function migrationFileName(version: number, text = MIGRATIONS[version - 1] ?? ''): string {
  const table = /\b(?:CREATE TABLE|ALTER TABLE|DROP TABLE|UPDATE|CREATE INDEX \w+ ON)\s+(\w+)/i.exec(text)?.[1] ?? 'schema'
  return `${String(version).padStart(4, '0')}_${table.toLowerCase()}.sql`
}

/** Splits a migration into its statements: on `;` outside quotes and comments. */
export function splitStatements(text: string): string[] {
  const out: string[] = []
  let current = ''
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote) {
      current += c
      if (c === quote) quote = undefined
    } else if (c === "'" || c === '"') {
      quote = c
      current += c
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++
    } else if (c === ';') {
      if (current.trim()) out.push(current.trim())
      current = ''
    } else current += c
  }
  if (current.trim()) out.push(current.trim())
  return out
}

/** The statements of migration `version` (1-based), followed by its record. */
export function migrationStatements(version: number, appliedAt: string): SqlStatement[] {
  const text = MIGRATIONS[version - 1]
  if (text === undefined) throw new Error(`no migration ${version}`)
  return [...splitStatements(text).map((s) => sql(s)), sql('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', version, appliedAt)]
}

/** Applies the migrations not yet recorded, in order; returns the versions applied. */
export async function migrate(db: SqlDatabase, now: () => Date = () => new Date()): Promise<number[]> {
  await db.query(sql(SCHEMA_MIGRATIONS_TABLE))
  const d1 = db.dialect === 'd1'
  if (d1) await db.query(sql(D1_MIGRATIONS_TABLE))
  const done = new Set((await db.query<{ version: number }>(sql('SELECT version FROM schema_migrations'))).rows.map((r) => r.version))
  const recordFile = (version: number) => sql('INSERT OR IGNORE INTO d1_migrations (name) VALUES (?)', migrationFileName(version))
  const applied: number[] = []
  for (let version = 1; version <= MIGRATIONS.length; version++) {
    if (done.has(version)) continue
    await db.batch([...migrationStatements(version, now().toISOString()), ...(d1 ? [recordFile(version)] : [])])
    applied.push(version)
  }
  if (d1) {
    // A database migrated before its files were recorded (or by an older Guichet): record them now.
    const files = new Set((await db.query<{ name: string }>(sql('SELECT name FROM d1_migrations'))).rows.map((r) => r.name))
    const missing = [...done].filter((v) => v <= MIGRATIONS.length && !files.has(migrationFileName(v)))
    if (missing.length) await db.batch(missing.map(recordFile))
  }
  return applied
}
