// The SQLite file of the Node runtime (GUICHET_DATA_DIR/guichet.sqlite): WAL mode, and
// numbered migrations applied once each inside a transaction.
//
// Erased means overwritten: `secure_delete` makes SQLite write zeros over what a DELETE or an
// UPDATE removes (cells, freed pages), and after an erasure scrubWal() checkpoints the WAL into the
// file and truncates it, so the page images that still held the erased rows are gone from disk.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MIGRATIONS } from '../sql/schema.ts'

export type Db = Database.Database

export { MIGRATIONS } from '../sql/schema.ts'

export function openDatabase(dataDir: string): Db {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const db = new Database(join(dir, 'guichet.sqlite'))
  db.pragma('journal_mode = WAL')
  // With WAL, NORMAL survives a process crash (only a power loss may lose the last commits) and spares an fsync per commit.
  db.pragma('synchronous = NORMAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma('secure_delete = ON')
  migrate(db)
  return db
}

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)')
  const done = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((r) => (r as { version: number }).version))
  MIGRATIONS.forEach((sql, i) => {
    const version = i + 1
    if (done.has(version)) return
    db.transaction(() => {
      db.exec(sql)
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, new Date().toISOString())
    })()
  })
}

/**
 * Copies the WAL into the file and truncates it to zero bytes (erased rows' old page images go with
 * it). False when a reader of another connection kept part of it (the next checkpoint finishes).
 */
export function scrubWal(db: Db): boolean {
  const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
  return r !== undefined && r.busy === 0
}
