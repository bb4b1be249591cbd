// The SQLite file of the Node runtime (GUICHET_DATA_DIR/guichet.sqlite): WAL mode, and
// numbered migrations applied once each inside a transaction.
import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

export type Db = Database.Database

const MIGRATIONS: string[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE TABLE index_builds (id INTEGER PRIMARY KEY AUTOINCREMENT, built_at TEXT NOT NULL, engine TEXT NOT NULL, documents INTEGER NOT NULL, duration_ms REAL NOT NULL, day TEXT NOT NULL);`,
  `CREATE TABLE chat_sessions (id TEXT PRIMARY KEY, state TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE INDEX chat_sessions_updated ON chat_sessions (updated_at);`,
]

export function openDatabase(dataDir: string): Db {
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const db = new Database(join(dir, 'guichet.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
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
