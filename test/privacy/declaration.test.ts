// The declaration of personal data (core/privacy/declaration.ts) against the real schema: a SQLite
// file migrated as the Node runtime does, read with PRAGMA table_info. A table or column that is
// neither declared personal nor declared harmless fails, naming it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { undeclared, type TableShape } from '../../core/privacy/coverage.ts'
import { DATA_DECLARATION, NON_PERSONAL_TABLES, retentionRules } from '../../core/privacy/declaration.ts'
import { SESSION_TTL_DAYS } from '../../bot/conversation/session-store.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function migrated(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-privacy-'))
  dirs.push(dir)
  return openDatabase(dir)
}

function schemaOf(db: Db): TableShape[] {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
  return tables.map(({ name }) => ({ table: name, columns: (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).map((c) => c.name) }))
}

describe('the declaration of personal data', () => {
  it('accounts for every table and column of the migrated schema', () => {
    const db = migrated()
    const schema = schemaOf(db)
    db.close()
    expect(schema.length).toBeGreaterThan(20)
    expect(undeclared(schema)).toEqual([])
  })

  it('fails on a column added without a declaration, naming table and column', () => {
    const db = migrated()
    db.exec('ALTER TABLE alert_subscriptions ADD COLUMN phone TEXT')
    const gaps = undeclared(schemaOf(db))
    db.close()
    expect(gaps).toEqual([expect.stringContaining('alert_subscriptions.phone')])
  })

  it('fails on a table created without a declaration', () => {
    const db = migrated()
    db.exec('CREATE TABLE callers (id TEXT PRIMARY KEY, name TEXT)')
    const gaps = undeclared(schemaOf(db))
    db.close()
    expect(gaps).toEqual([expect.stringContaining('table callers')])
  })

  it('fails on a declared column the schema does not have', () => {
    const db = migrated()
    const schema = schemaOf(db).map((t) => (t.table === 'chat_sessions' ? { ...t, columns: t.columns.filter((c) => c !== 'client_hash') } : t))
    db.close()
    expect(undeclared(schema)).toEqual([expect.stringContaining('chat_sessions.client_hash')])
  })

  it('declares each table once, with ids unique and retention counted from a declared column', () => {
    const tables = [...DATA_DECLARATION.map((d) => d.table), ...NON_PERSONAL_TABLES.map((t) => t.table)]
    expect(new Set(tables).size).toBe(tables.length)
    expect(new Set(DATA_DECLARATION.map((d) => d.id)).size).toBe(DATA_DECLARATION.length)
    for (const d of DATA_DECLARATION) {
      expect(d.columns.length, d.id).toBeGreaterThan(0)
      expect([...d.columns, ...d.nonPersonalColumns], d.id).toContain(d.retention.from)
    }
  })

  it('keeps chat sessions as long as the session store does, and gives the prune its rules', () => {
    expect(DATA_DECLARATION.find((d) => d.table === 'chat_sessions')!.retention.days).toBe(SESSION_TTL_DAYS)
    expect(retentionRules().map((r) => r.table)).toEqual(expect.arrayContaining(['chat_sessions', 'alert_deliveries', 'alert_outbox', 'admin_audit', 'admin_login_limits', 'admin_unlock_tokens', 'crawl_events']))
  })
})
