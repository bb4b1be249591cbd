// Backup and restore of the SQLite database (GUICHET_DATA_DIR/guichet.sqlite).
// - backup: SQLite's online backup API (better-sqlite3 `db.backup`), consistent while the server
//   runs and writes; the copy is checked (integrity_check) before it is kept, into a dated file.
// - restore: refuses a file that is not a Guichet database in good health (integrity_check,
//   schema_migrations known to this version), then replaces the database atomically (copy beside
//   it, WAL and SHM files removed, rename). The server must be stopped: a running one keeps the old file open.
//   Then the erasures made since the backup was taken are replayed (./erasure-journal.ts).
// - retention: backups are kept GUICHET_BACKUP_KEEP_DAYS days (core/privacy/declaration.ts says so
//   in the privacy notice): each backup deletes the older ones of the folder it writes to, and the
//   server's hourly prune (./cron.ts) those of GUICHET_DATA_DIR/backups/, with the journal's old entries.
import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createSqlRightsStore } from '../sql/rights-store.ts'
import { BACKUP_TAKEN_AT, journalPath, pruneJournal, replayErasures, type Replayed } from './erasure-journal.ts'
import { createSqliteAlertsStore } from './sqlite-alerts-store.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import { MIGRATIONS, openDatabase } from './sqlite.ts'

export class BackupError extends Error {}

/** `guichet-2026-12-06T07-15-02Z.sqlite` */
export function backupFileName(now: Date): string {
  return `guichet-${now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}.sqlite`
}

const BACKUP_NAME = /^guichet-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z\.sqlite$/

/** When a backup file was taken, from its name; undefined for a file that is not one of ours. */
export function backupTakenAt(name: string): Date | undefined {
  const m = BACKUP_NAME.exec(name)
  return m ? new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : undefined
}

export const backupDir = (dataDir: string): string => resolve(join(dataDir, 'backups'))

/**
 * Deletes the backup files of `dir` (named as backupFileName makes them) taken more than `keepDays`
 * ago, and what a backup interrupted that long ago left (`.partial`); other files are left alone.
 * Returns the files deleted.
 */
export function pruneBackups(dir: string, now: Date, keepDays: number): string[] {
  if (!existsSync(dir)) return []
  const cutoff = now.getTime() - keepDays * 86_400_000
  const deleted: string[] = []
  for (const name of readdirSync(dir)) {
    const taken = backupTakenAt(name.replace(/\.partial$/, ''))
    if (!taken || taken.getTime() >= cutoff) continue
    rmSync(join(dir, name), { force: true })
    deleted.push(join(dir, name))
  }
  return deleted
}

/** The scheduled prune's part (./cron.ts): old backups of GUICHET_DATA_DIR/backups/ and old journal entries. */
export function pruneBackupRetention(dataDir: string, now: Date, keepDays: number): { backups: string[]; journalEntries: number } {
  return { backups: pruneBackups(backupDir(dataDir), now, keepDays), journalEntries: pruneJournal(journalPath(resolve(dataDir)), now, keepDays) }
}

/** Why a file is not a restorable Guichet database, or undefined when it is. */
export function checkBackupFile(file: string): string | undefined {
  if (!existsSync(file)) return `fichier introuvable : ${file}`
  if (statSync(file).size < 100) return `fichier trop court pour être une base SQLite : ${file}`
  let db: Database.Database | undefined
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
    const integrity = db.pragma('integrity_check', { simple: true })
    if (integrity !== 'ok') return `base corrompue (integrity_check : ${String(integrity)})`
    const hasMigrations = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()
    if (!hasMigrations) return 'ce n\'est pas une base Guichet (table schema_migrations absente)'
    const version = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0
    if (version > MIGRATIONS.length) return `base d'une version plus récente de Guichet (schéma ${version}, celle-ci connaît ${MIGRATIONS.length})`
    return undefined
  } catch (err) {
    return `fichier illisible comme base SQLite : ${(err as Error).message}`
  } finally {
    db?.close()
  }
}

/**
 * Backs the database up into `outDir` (default GUICHET_DATA_DIR/backups); returns the file written
 * and, given `keepDays`, the older backups of that folder it deleted. The copy records when it was
 * taken (meta.backup_taken_at) and carries the rights' hash key, so a restore can replay the erasures since.
 */
export async function backupDatabase(dataDir: string, opts: { outDir?: string; now?: Date; keepDays?: number } = {}): Promise<{ file: string; bytes: number; pruned: string[] }> {
  const outDir = resolve(opts.outDir ?? backupDir(dataDir))
  mkdirSync(outDir, { recursive: true })
  const now = opts.now ?? new Date()
  const file = join(outDir, backupFileName(now))
  const partial = `${file}.partial`
  const db = openDatabase(dataDir)
  try {
    await createSqlRightsStore(sqliteDatabase(db)).subjectRef('key@check') // makes meta.rights_subject_key if it is not yet there
    await db.backup(partial)
  } finally {
    db.close()
  }
  markTaken(partial, now)
  const problem = checkBackupFile(partial)
  if (problem) {
    rmSync(partial, { force: true })
    throw new BackupError(`sauvegarde invalide, supprimée : ${problem}`)
  }
  renameSync(partial, file)
  const pruned = opts.keepDays === undefined ? [] : pruneBackups(outDir, now, opts.keepDays)
  return { file, bytes: statSync(file).size, pruned }
}

function markTaken(file: string, now: Date): void {
  const copy = new Database(file)
  try {
    copy.pragma('journal_mode = DELETE')
    copy.prepare('INSERT OR REPLACE INTO meta (key, value, updated_at) VALUES (?, ?, ?)').run(BACKUP_TAKEN_AT, now.toISOString(), now.toISOString())
  } finally {
    copy.close()
  }
}

/**
 * Replaces the database with a checked backup file, then replays the erasures journalled since the
 * backup was taken. Refuses (BackupError) before touching anything when the file is not restorable.
 */
export async function restoreDatabase(dataDir: string, file: string): Promise<{ file: string; replaced: boolean; replayed: Replayed }> {
  const source = resolve(file)
  const problem = checkBackupFile(source)
  if (problem) throw new BackupError(`restauration refusée : ${problem}`)
  const dir = resolve(dataDir)
  mkdirSync(dir, { recursive: true })
  const target = join(dir, 'guichet.sqlite')
  const replaced = existsSync(target)
  const staged = `${target}.restoring`
  copyFileSync(source, staged)
  for (const extra of [`${target}-wal`, `${target}-shm`]) rmSync(extra, { force: true })
  renameSync(staged, target)
  // Opening migrates an older backup up to this version's schema.
  const db = openDatabase(dir)
  try {
    const replayed = await replayErasures(db, journalPath(dir), (id) => createSqliteAlertsStore(db).deleteSubscription(id))
    db.prepare('DELETE FROM meta WHERE key = ?').run(BACKUP_TAKEN_AT)
    return { file: target, replaced, replayed }
  } finally {
    db.close()
  }
}
