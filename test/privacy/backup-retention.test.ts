// Backups follow the declared retention, and a restore does not bring erased people back. On real
// files: backups taken at given dates into a real folder, pruned by the backup itself and by the
// server's hourly prune job; then a real server (HTTP) with three subscribers, a backup, one
// address erased by a rights request and one subscription deleted from its manage link, the server
// stopped and `npm run restore` run as a child process: the restored database holds neither address
// in any row nor in any byte of its file, the third subscriber is back, and the command says so.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { backupDatabase, backupFileName } from '../../runtime/node/backup.ts'
import { sessionPruneJob } from '../../runtime/node/cron.ts'
import { composeNode } from '../../runtime/node/compose.ts'
import { readJournal } from '../../runtime/node/erasure-journal.ts'
import { createSqliteRightsStore } from '../../runtime/node/sqlite-rights-store.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { serveOnFreePort } from '../helpers/node-services.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DAY = 86_400_000
const dirs: string[] = []
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'guichet-backup-retention-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

describe('backup retention (GUICHET_BACKUP_KEEP_DAYS)', () => {
  it('defaults to 7 days and refuses 0', () => {
    expect(parseConfig({}).GUICHET_BACKUP_KEEP_DAYS).toBe(7)
    expect(parseConfig({ GUICHET_BACKUP_KEEP_DAYS: '14' }).GUICHET_BACKUP_KEEP_DAYS).toBe(14)
    expect(() => parseConfig({ GUICHET_BACKUP_KEEP_DAYS: '0' })).toThrow(/GUICHET_BACKUP_KEEP_DAYS/)
  })

  it('a backup deletes the backups of its folder older than the age, keeps the younger ones and foreign files', async () => {
    const data = tempDir()
    openDatabase(data).close()
    const now = new Date('2026-12-07T03:00:00Z')
    const old = await backupDatabase(data, { now: new Date(now.getTime() - 8 * DAY) })
    const young = await backupDatabase(data, { now: new Date(now.getTime() - 6 * DAY) })
    const foreign = join(data, 'backups', 'notes.txt')
    writeFileSync(foreign, 'not a backup')
    const fresh = await backupDatabase(data, { now, keepDays: 7 })
    expect(fresh.pruned).toEqual([old.file])
    expect(existsSync(old.file)).toBe(false)
    expect(readdirSync(join(data, 'backups')).sort()).toEqual([backupFileName(new Date(now.getTime() - 6 * DAY)), backupFileName(now), 'notes.txt'].sort())
    expect(existsSync(young.file) && existsSync(foreign)).toBe(true)
  })

  it("the server's hourly prune deletes GUICHET_DATA_DIR/backups' old files and the erasure journal's old entries", async () => {
    const data = tempDir()
    const db = openDatabase(data)
    const now = new Date('2026-12-07T03:15:00Z')
    const old = await backupDatabase(data, { now: new Date(now.getTime() - 15 * DAY) })
    const young = await backupDatabase(data, { now: new Date(now.getTime() - 13 * DAY) })
    writeFileSync(join(data, 'erasures.jsonl'), [{ at: new Date(now.getTime() - 15 * DAY).toISOString(), ref: 'subscription:old' }, { at: new Date(now.getTime() - DAY).toISOString(), ref: 'subscription:new' }].map((e) => JSON.stringify(e) + '\n').join(''))
    const job = sessionPruneJob({ sessions: { purgeIdle: async () => 0 }, clock: { now: () => now }, logger: silentLogger, db, backups: { dataDir: data, keepDays: 14 } })
    await job.run()
    db.close()
    expect(existsSync(old.file)).toBe(false)
    expect(existsSync(young.file)).toBe(true)
    expect(readJournal(join(data, 'erasures.jsonl')).map((e) => e.ref)).toEqual(['subscription:new'])
  })
})

const bytesOf = (file: string, needle: string) => readFileSync(file).indexOf(Buffer.from(needle)) >= 0

describe('restore after erasures', () => {
  it('replays the erasures made since the backup: neither erased address comes back, the other subscriber does', async () => {
    const data = tempDir()
    const services = await composeNode(parseConfig({ GUICHET_DATA_DIR: data, GUICHET_NOW: '2026-03-01', RATE_LIMIT_PER_MINUTE: '0', GUICHET_PUBLIC_URL: 'https://guichet.test' }), { logger: silentLogger })
    const server = await serveOnFreePort(services.app.fetch)
    const subscribe = async (email: string) => {
      const r = await fetch(`http://127.0.0.1:${server.port}/api/subscriptions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ collectivite: '89446', themes: ['ecoles'], channels: { email } }),
      })
      expect(r.status).toBe(201)
      return (await r.json()) as { id: string; manageUrl: string }
    }
    let backupFile: string
    try {
      await subscribe('erased.by.request@vezelay.example')
      const byLink = await subscribe('left.by.link@vezelay.example')
      await subscribe('stays@vezelay.example')
      backupFile = (await backupDatabase(data)).file
      expect(bytesOf(backupFile, 'erased.by.request@vezelay.example')).toBe(true)
      const counts = await createSqliteRightsStore(services.db).erase('Erased.By.Request@vezelay.example', { at: new Date().toISOString(), actor: 'cli', via: 'cli' })
      expect(counts.subscriptions).toBe(1)
      const manage = new URL(byLink.manageUrl)
      expect((await fetch(`http://127.0.0.1:${server.port}${manage.pathname}${manage.search}`, { method: 'DELETE' })).status).toBe(200)
      expect(readJournal(join(data, 'erasures.jsonl')).map((e) => e.ref.split(':')[0])).toEqual(['subject', 'subscription'])
    } finally {
      await server.close()
      services.close()
    }

    const run = spawnSync(process.execPath, ['--import', 'tsx', 'runtime/node/backup-cli.ts', 'restore', backupFile], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GUICHET_DATA_DIR: data }, timeout: 60_000 })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('effacements refaits depuis la sauvegarde : 2 au journal, 1 adresse(s) et 1 abonnement(s) effacés à nouveau')

    const db = new Database(join(data, 'guichet.sqlite'), { readonly: true })
    const emails = db.prepare(`SELECT json ->> '$.channels.email.address' AS e FROM alert_subscriptions`).all().map((r) => (r as { e: string }).e)
    const recipients = db.prepare('SELECT recipient FROM alert_outbox').all().map((r) => (r as { recipient: string }).recipient)
    const erasures = db.prepare(`SELECT actor FROM admin_audit WHERE action = 'rights.erase'`).all()
    db.close()
    expect(emails).toEqual(['stays@vezelay.example'])
    expect(recipients.every((r) => r === 'stays@vezelay.example')).toBe(true)
    expect(erasures).toEqual([{ actor: 'restore' }])
    for (const gone of ['erased.by.request@vezelay.example', 'left.by.link@vezelay.example']) expect(bytesOf(join(data, 'guichet.sqlite'), gone), gone).toBe(false)
    expect(bytesOf(join(data, 'guichet.sqlite'), 'stays@vezelay.example')).toBe(true)
  }, 90_000)
})
