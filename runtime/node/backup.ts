// Backup and restore of the SQLite database (GUICHET_DATA_DIR/guichet.sqlite).
// - backup: SQLite's online backup API (better-sqlite3 `db.backup`), consistent while the server
//   runs and writes; the copy is checked (integrity_check) before it is kept, into a dated file.
// - restore: refuses a file that is not a Guichet database in good health (integrity_check,
//   schema_migrations known to this version), then replaces the database atomically (copy beside
//   it, WAL and SHM files removed, rename). The server must be stopped: a running one keeps the old file open.
import Database from 'better-sqlite3'
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { MIGRATIONS, openDatabase } from './sqlite.ts'

export class BackupError extends Error {}

/** `guichet-2026-12-06T07-15-02Z.sqlite` */
export function backupFileName(now: Date): string {
  return `guichet-${now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}.sqlite`
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

/** Backs the database up into `outDir` (default GUICHET_DATA_DIR/backups); returns the file written. */
export async function backupDatabase(dataDir: string, opts: { outDir?: string; now?: Date } = {}): Promise<{ file: string; bytes: number }> {
  const outDir = resolve(opts.outDir ?? join(dataDir, 'backups'))
  mkdirSync(outDir, { recursive: true })
  const file = join(outDir, backupFileName(opts.now ?? new Date()))
  const partial = `${file}.partial`
  const db = openDatabase(dataDir)
  try {
    await db.backup(partial)
  } finally {
    db.close()
  }
  const problem = checkBackupFile(partial)
  if (problem) {
    rmSync(partial, { force: true })
    throw new BackupError(`sauvegarde invalide, supprimée : ${problem}`)
  }
  renameSync(partial, file)
  return { file, bytes: statSync(file).size }
}

/** Replaces the database with a checked backup file. Refuses (BackupError) before touching anything when the file is not restorable. */
export function restoreDatabase(dataDir: string, file: string): { file: string; replaced: boolean } {
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
  openDatabase(dir).close()
  return { file: target, replaced }
}
