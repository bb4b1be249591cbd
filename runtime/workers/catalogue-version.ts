// Every isolate of the Worker serves the same catalogue. Each builds its own (the catalogue service
// of content/catalogue-service.ts, in memory), so a change written in D1 by one isolate — a back
// office edit, crawled rows — must reach the others. The writer records a new catalogue version in
// D1's meta table (key `catalogue_changed_at`) in the same batch as its change (catalogueVersionBump:
// one statement to append); each isolate reads that one row (a primary-key lookup) at most once
// every WORKERS_CATALOGUE_CHECK_SECONDS (default 5; 0 = at every request) and rebuilds when the
// version moved since its catalogue was built. With Meilisearch, a rebuild refills the shared index
// only when the documents' hash in meta differs (runtime/workers/search.ts): the first isolate to
// rebuild after a change refills it, the others find the hash already recorded.
import { z } from 'zod'
import type { CatalogueService, RebuildReport } from '../../content/catalogue-service.ts'
import type { Logger } from '../../core/logger.ts'
import { first, sql, type SqlDatabase, type SqlStatement } from '../sql/database.ts'

export const CATALOGUE_VERSION_KEY = 'catalogue_changed_at'
export const CATALOGUE_CHECK_VAR = 'WORKERS_CATALOGUE_CHECK_SECONDS'
const DEFAULT_CHECK_SECONDS = 5

/**
 * The statement that moves the catalogue version: append it to the batch that writes the change
 * (back-office curation, crawled rows), so that the change and its announcement land together.
 * The value is the time of the write and a random suffix (two writes in one millisecond differ).
 */
export function catalogueVersionBump(): SqlStatement {
  return sql(
    `INSERT INTO meta (key, value, updated_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') || ' ' || lower(hex(randomblob(6))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    CATALOGUE_VERSION_KEY,
  )
}

export async function readCatalogueVersion(db: SqlDatabase): Promise<string | null> {
  return (await first<{ value: string }>(db, sql('SELECT value FROM meta WHERE key = ?', CATALOGUE_VERSION_KEY)))?.value ?? null
}

/** WORKERS_CATALOGUE_CHECK_SECONDS as milliseconds (a bad value names the variable). */
export function catalogueCheckMs(env: Record<string, unknown>): number {
  const parsed = z.coerce.number().int().min(0).max(3600).optional().safeParse(env[CATALOGUE_CHECK_VAR] === '' ? undefined : env[CATALOGUE_CHECK_VAR])
  if (!parsed.success) throw new Error(`Configuration invalide : ${CATALOGUE_CHECK_VAR} attend un nombre entier de secondes (0 à 3600)`)
  return (parsed.data ?? DEFAULT_CHECK_SECONDS) * 1000
}

export interface CatalogueFreshness {
  /** Rebuilds now (after this isolate's own change, a Cron Trigger), remembering the version it includes. */
  rebuild(): Promise<RebuildReport>
  /**
   * Reads the version (at most once per interval) and rebuilds when another writer moved it. A failed
   * read or rebuild is logged and the isolate goes on serving the catalogue it has (retried after the interval).
   */
  ensureFresh(): Promise<void>
  /** The version the served catalogue includes (null: none recorded yet). */
  seen(): string | null | undefined
}

export function catalogueFreshness({ db, catalogues, everyMs, logger, now = () => Date.now() }: { db: SqlDatabase; catalogues: Pick<CatalogueService, 'rebuild'>; everyMs: number; logger: Pick<Logger, 'warn'>; now?: () => number }): CatalogueFreshness {
  let seen: string | null | undefined
  let checkedAt = Number.NEGATIVE_INFINITY
  let checking: Promise<void> | undefined
  // The version is read before the rebuild reads the layers: a change landing in between is in the
  // catalogue, and its version, newer than the one remembered, brings one more rebuild (never one fewer).
  async function rebuild(): Promise<RebuildReport> {
    const version = await readCatalogueVersion(db)
    const report = await catalogues.rebuild()
    seen = version
    return report
  }
  async function check(): Promise<void> {
    checkedAt = now()
    try {
      if ((await readCatalogueVersion(db)) !== seen) await rebuild()
    } catch (err) {
      logger.warn('catalogue version check failed: serving the catalogue this isolate has', { error: (err as Error).message })
    }
  }
  return {
    rebuild,
    seen: () => seen,
    async ensureFresh() {
      if (now() - checkedAt < everyMs) return
      // One check at a time per isolate: the requests that arrive meanwhile wait for it.
      checking ??= check().finally(() => (checking = undefined))
      await checking
    },
  }
}

/**
 * The database as the back office's curation and override stores see it: a write to a table the
 * catalogue reads (overrides, created programmes, merges) carries the version bump in its own batch.
 */
export function bumpingCatalogueVersion(db: SqlDatabase): SqlDatabase {
  const curates = (s: SqlStatement) => /^\s*(INSERT\s+INTO|DELETE\s+FROM|UPDATE)\s+(programme_overrides|admin_programmes|programme_merges)\b/i.test(s.sql)
  return {
    dialect: db.dialect,
    async query(statement) {
      if (!curates(statement)) return db.query(statement)
      const [result] = await db.batch([statement, catalogueVersionBump()])
      return result as never
    },
    async batch(statements) {
      if (!statements.some(curates)) return db.batch(statements)
      return (await db.batch([...statements, catalogueVersionBump()])).slice(0, statements.length)
    },
  }
}
