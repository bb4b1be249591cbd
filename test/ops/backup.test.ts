// `npm run backup` / `npm run restore`, run as an operator would (the real commands, child
// processes) on a real SQLite database: a round trip brings back exactly what was saved, a backup
// taken while another connection writes is consistent, and a corrupt or foreign file is refused
// without touching the database in place.
import Database from 'better-sqlite3'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../runtime/node/sqlite.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'guichet-backup-'))
  dirs.push(d)
  return d
}
function run(dataDir: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'runtime/node/backup-cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GUICHET_DATA_DIR: dataDir }, timeout: 60_000 })
}
function metaValue(dataDir: string, key: string): string | undefined {
  const db = openDatabase(dataDir)
  try {
    return (db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value
  } finally {
    db.close()
  }
}
function setMeta(dataDir: string, key: string, value: string): void {
  const db = openDatabase(dataDir)
  db.prepare('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value, '2026-03-01T00:00:00Z')
  db.close()
}

describe('backup and restore', () => {
  it('round trip: what the backup saw comes back, what came after is gone', () => {
    const data = tempDir()
    setMeta(data, 'probe', 'avant la sauvegarde')
    const b = run(data, 'backup')
    expect(b.status, b.stderr).toBe(0)
    const file = /sauvegarde : (\S+)/.exec(b.stdout)![1]!
    expect(file).toMatch(/backups\/guichet-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z\.sqlite$/)
    setMeta(data, 'probe', 'après la sauvegarde')
    // Restored on a new machine: an empty data folder.
    const fresh = tempDir()
    const r = run(fresh, 'restore', file)
    expect(r.status, r.stderr).toBe(0)
    expect(metaValue(fresh, 'probe')).toBe('avant la sauvegarde')
    // And over the live folder: the later write is undone.
    expect(run(data, 'restore', file).status).toBe(0)
    expect(metaValue(data, 'probe')).toBe('avant la sauvegarde')
  })

  it('is consistent while another connection keeps writing (online backup)', () => {
    const data = tempDir()
    const writer = openDatabase(data)
    writer.exec('CREATE TABLE IF NOT EXISTS probe_rows (n INTEGER PRIMARY KEY)')
    const insert = writer.prepare('INSERT INTO probe_rows (n) VALUES (?)')
    for (let i = 1; i <= 5000; i++) insert.run(i)
    const b = run(data, 'backup', '--out', join(data, 'elsewhere'))
    for (let i = 5001; i <= 6000; i++) insert.run(i)
    writer.close()
    expect(b.status, b.stderr).toBe(0)
    const [name] = readdirSync(join(data, 'elsewhere'))
    const copy = new Database(join(data, 'elsewhere', name!), { readonly: true })
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((copy.prepare('SELECT COUNT(*) AS n FROM probe_rows').get() as { n: number }).n).toBe(5000)
    copy.close()
  })

  it('refuses a corrupt file, a file that is not SQLite and a foreign database, leaving the database untouched', () => {
    const data = tempDir()
    setMeta(data, 'probe', 'intacte')
    const b = run(data, 'backup')
    const file = /sauvegarde : (\S+)/.exec(b.stdout)![1]!
    // Corrupt: the middle of the file overwritten.
    const bytes = readFileSync(file)
    bytes.fill(0x5a, 4096, Math.min(bytes.length, 4096 * 3))
    const corrupt = join(data, 'corrupt.sqlite')
    writeFileSync(corrupt, bytes)
    const notSqlite = join(data, 'notes.sqlite')
    writeFileSync(notSqlite, 'ceci n\'est pas une base '.repeat(40))
    const foreign = join(data, 'foreign.sqlite')
    const f = new Database(foreign)
    f.exec('CREATE TABLE t (x)')
    f.close()
    for (const bad of [corrupt, notSqlite, foreign, join(data, 'absent.sqlite')]) {
      const r = run(data, 'restore', bad)
      expect(r.status, bad).toBe(1)
      expect(r.stderr, bad).toMatch(/restauration refusée/)
    }
    expect(metaValue(data, 'probe')).toBe('intacte')
  })

  it('answers --help with its usage, and a missing file with a usage error', () => {
    const data = tempDir()
    const h = run(data, 'backup', '--help')
    expect(h.status).toBe(0)
    expect(h.stdout).toMatch(/npm run restore/)
    expect(run(data, 'restore').status).toBe(2)
  })
})
