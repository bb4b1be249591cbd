// The CrawlStore (crawler/crawl-store.ts) written once against the SQL port (./database.ts): the Node
// runtime runs it over its SQLite file (runtime/node/sqlite-crawl-store.ts), the Workers runtime over
// D1 (runtime/workers/crawl.ts). Each source's result is one batch; a failure only counts and marks
// stale, it never deletes. Every write of a run opens its batch with the lease guard: an insert
// into crawl_lease_guard of how many other runs hold the crawl lease, which the table's CHECK
// refuses unless 0 — the whole batch rolls back and the run gets CrawlLeaseLostError (a run that
// lost its lease writes nothing more); the batch ends by deleting that row. A source's rows travel
// as JSON arrays read by json_each (a few statements per source, not one per row: D1 counts its
// statements per invocation), cut so that no bound value nears D1's 2 MB.
import type { Programme } from '../../core/programme.ts'
import { CrawlLeaseLostError, INTERRUPTED_RUN_ERROR, type CrawlEvent, type CrawlEventKind, type CrawlRun, type CrawlStore, type CrawledRow, type SourceState, type SourceSuccess } from '../../crawler/crawl-store.ts'
import type { ConditionalCache } from '../../crawler/fetch/conditional-cache.ts'
import { all, first, sql, type SqlDatabase, type SqlResult, type SqlStatement } from './database.ts'
import { CRAWL_LEASE, type CrawlLease } from './crawl-lease.ts'

export interface SqlCrawlStoreOptions {
  /** The crawl lease: runtime/node/lease.ts on Node, createTtlCrawlLease on Workers. */
  lease: CrawlLease
  /** Bodies longer than this (UTF-8 bytes) are not cached (D1 refuses values over 2 MB); default: no limit. */
  maxCachedBodyBytes?: number
  /** Characters of JSON per bound array (default 400 000). */
  chunkChars?: number
  /**
   * A statement appended to the batch of each source's success: on Workers the catalogue version
   * bump (runtime/workers/catalogue-version.ts), so the rows and their announcement land together.
   */
  announce?: () => SqlStatement
}

interface RowRecord {
  id: string
  source_id: string
  json: string
  dedupe_key: string
  canonical_url: string
  first_seen: string
  last_seen: string
  last_changed: string
  stale: number
  gone_at: string | null
}

interface RunRecord {
  id: string
  seq: number
  trigger: string
  started_at: string
  ended_at: string | null
  duration_ms: number | null
  status: CrawlRun['status']
  sources: string
  errors: string
}

interface EventRecord {
  id: number
  programme_id: string
  source_id: string
  kind: CrawlEventKind
  before: string | null
  after: string | null
  at: string
  run_id: string
}

interface StateRecord {
  source_id: string
  consecutive_failures: number
  last_success_at: string | null
  last_failure_at: string | null
  last_error: string | null
}

const toRow = (r: RowRecord): CrawledRow => ({
  programme: JSON.parse(r.json) as Programme,
  sourceId: r.source_id,
  dedupeKey: r.dedupe_key,
  canonicalUrl: r.canonical_url,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  lastChanged: r.last_changed,
  stale: r.stale === 1,
  goneAt: r.gone_at,
})

const toRun = (r: RunRecord): CrawlRun => ({
  id: r.id,
  trigger: r.trigger,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  durationMs: r.duration_ms,
  status: r.status,
  sources: JSON.parse(r.sources),
  errors: JSON.parse(r.errors),
})

const toEvent = (r: EventRecord): CrawlEvent => ({
  id: r.id,
  programmeId: r.programme_id,
  sourceId: r.source_id,
  kind: r.kind,
  before: r.before === null ? null : JSON.parse(r.before),
  after: r.after === null ? null : JSON.parse(r.after),
  at: r.at,
  runId: r.run_id,
})

const toState = (r: StateRecord): SourceState => ({ sourceId: r.source_id, consecutiveFailures: r.consecutive_failures, lastSuccessAt: r.last_success_at, lastFailureAt: r.last_failure_at, lastError: r.last_error })

/** JSON arrays of the items, each under `maxChars` unless one item alone is longer. */
export function jsonChunks(items: readonly unknown[], maxChars: number): string[] {
  const out: string[] = []
  let parts: string[] = []
  let size = 2
  for (const item of items) {
    const text = JSON.stringify(item)
    if (parts.length && size + text.length + 1 > maxChars) {
      out.push(`[${parts.join(',')}]`)
      parts = []
      size = 2
    }
    parts.push(text)
    size += text.length + 1
  }
  if (parts.length) out.push(`[${parts.join(',')}]`)
  return out
}

export function sqlConditionalCache(db: SqlDatabase, { maxBodyBytes = Infinity }: { maxBodyBytes?: number } = {}): ConditionalCache {
  return {
    async get(url) {
      const r = await first<{ etag: string | null; last_modified: string | null; body: string; content_type: string | null; stored_at: string }>(db, sql('SELECT etag, last_modified, body, content_type, stored_at FROM crawl_http_cache WHERE url = ?', url))
      if (!r) return undefined
      return { ...(r.etag ? { etag: r.etag } : {}), ...(r.last_modified ? { lastModified: r.last_modified } : {}), body: r.body, ...(r.content_type ? { contentType: r.content_type } : {}), storedAt: r.stored_at }
    },
    async put(url, e) {
      // Too big to keep: the next run fetches it whole (no validators sent), nothing else changes.
      if (maxBodyBytes !== Infinity && new TextEncoder().encode(e.body).length > maxBodyBytes) return
      await db.query(
        sql(
          `INSERT INTO crawl_http_cache (url, etag, last_modified, body, content_type, stored_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, body = excluded.body, content_type = excluded.content_type, stored_at = excluded.stored_at`,
          url,
          e.etag ?? null,
          e.lastModified ?? null,
          e.body,
          e.contentType ?? null,
          e.storedAt,
        ),
      )
    },
  }
}

/** Runs `statements` as one batch between the lease guard and its removal; their results only. */
async function fenced(db: SqlDatabase, runId: string, statements: SqlStatement[]): Promise<SqlResult[]> {
  try {
    const results = await db.batch([
      sql('INSERT INTO crawl_lease_guard (other_holders) SELECT COUNT(*) FROM job_leases WHERE name = ? AND owner <> ?', CRAWL_LEASE, runId),
      ...statements,
      sql('DELETE FROM crawl_lease_guard'),
    ])
    return results.slice(1, -1)
  } catch (err) {
    const text = `${(err as Error)?.message ?? err} ${String((err as { cause?: unknown })?.cause ?? '')}`
    if (text.includes('crawl_lease_held')) throw new CrawlLeaseLostError(runId)
    throw err
  }
}

const UPSERT = `INSERT INTO crawl_programmes (id, source_id, json, dedupe_key, canonical_url, first_seen, last_seen, last_changed, stale, gone_at)
  SELECT j.value ->> '$.id', ?, j.value ->> '$.json', j.value ->> '$.dedupeKey', j.value ->> '$.canonicalUrl', ?, ?, ?, 0, NULL FROM json_each(?) AS j WHERE true
  ON CONFLICT(id) DO UPDATE SET source_id = excluded.source_id, json = excluded.json, dedupe_key = excluded.dedupe_key, canonical_url = excluded.canonical_url,
    last_seen = excluded.last_seen, stale = 0, gone_at = NULL,`

/** The statements of a source's success, in the order of one transaction. */
function successStatements(s: SourceSuccess, chunkChars: number): SqlStatement[] {
  const item = (r: SourceSuccess['rows'][number]) => ({ id: r.programme.id, json: JSON.stringify(r.programme), dedupeKey: r.dedupeKey, canonicalUrl: r.canonicalUrl })
  const upserts = (changed: boolean) =>
    jsonChunks(s.rows.filter((r) => r.changed === changed).map(item), chunkChars).map((rows) =>
      sql(
        // An unchanged row keeps its last change, unless it comes back from gone.
        `${UPSERT} last_changed = ${changed ? 'excluded.last_changed' : 'CASE WHEN crawl_programmes.gone_at IS NOT NULL THEN excluded.last_changed ELSE crawl_programmes.last_changed END'}`,
        s.sourceId, s.at, s.at, s.at, rows,
      ),
    )
  const events = s.events.map((e) => ({ programmeId: e.programmeId, sourceId: e.sourceId, kind: e.kind, before: JSON.stringify(e.before ?? null), after: JSON.stringify(e.after ?? null), at: e.at, runId: e.runId }))
  return [
    ...upserts(true),
    ...upserts(false),
    ...jsonChunks(s.goneIds, chunkChars).map((ids) => sql('UPDATE crawl_programmes SET gone_at = ? WHERE source_id = ? AND gone_at IS NULL AND id IN (SELECT value FROM json_each(?))', s.at, s.sourceId, ids)),
    sql('UPDATE crawl_programmes SET stale = 0 WHERE source_id = ?', s.sourceId),
    ...jsonChunks(events, chunkChars).map((list) =>
      sql(
        `INSERT INTO crawl_events (programme_id, source_id, kind, before, after, at, run_id)
         SELECT j.value ->> '$.programmeId', j.value ->> '$.sourceId', j.value ->> '$.kind', j.value ->> '$.before', j.value ->> '$.after', j.value ->> '$.at', j.value ->> '$.runId'
         FROM json_each(?) AS j ORDER BY j.key`,
        list,
      ),
    ),
    sql(
      `INSERT INTO crawl_sources (source_id, consecutive_failures, last_success_at) VALUES (?, 0, ?)
       ON CONFLICT(source_id) DO UPDATE SET consecutive_failures = 0, last_success_at = excluded.last_success_at`,
      s.sourceId,
      s.at,
    ),
  ]
}

const runValues = (run: CrawlRun) => [run.id, run.trigger, run.startedAt, run.endedAt, run.durationMs, run.status, JSON.stringify(run.sources), JSON.stringify(run.errors)] as const
const RUN_INSERT = `INSERT INTO crawl_runs (id, seq, trigger, started_at, ended_at, duration_ms, status, sources, errors)
  VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM crawl_runs), ?, ?, ?, ?, ?, ?, ?)`

function runMethods(db: SqlDatabase, lease: CrawlLease): Pick<CrawlStore, 'startRun' | 'finishRun' | 'closeInterruptedRuns' | 'listRuns'> {
  return {
    async startRun(run) {
      await db.query(sql(RUN_INSERT, ...runValues(run)))
    },
    async finishRun(run) {
      await fenced(db, run.id, [
        sql(`${RUN_INSERT} ON CONFLICT(id) DO UPDATE SET ended_at = excluded.ended_at, duration_ms = excluded.duration_ms, status = excluded.status, sources = excluded.sources, errors = excluded.errors`, ...runValues(run)),
      ])
    },
    // A run is alive while it holds an unexpired lease whose process is not known dead; the
    // condition is in the UPDATE, so a run that takes the lease meanwhile is never closed.
    async closeInterruptedRuns(endedAt, now) {
      const dead = (await lease.deadHolder(now)) ?? null
      const rows = await all<RunRecord>(
        db,
        sql(
          `UPDATE crawl_runs SET status = 'interrupted', ended_at = ?, errors = json_insert(errors, '$[#]', ?)
           WHERE status = 'running' AND (id = ? OR id NOT IN (SELECT owner FROM job_leases WHERE name = ? AND expires_at > ?))
           RETURNING *`,
          endedAt,
          INTERRUPTED_RUN_ERROR,
          dead,
          CRAWL_LEASE,
          now.getTime(),
        ),
      )
      return rows.sort((a, b) => a.seq - b.seq).map(toRun)
    },
    async listRuns(limit) {
      return (await all<RunRecord>(db, sql('SELECT * FROM crawl_runs ORDER BY started_at DESC, seq DESC LIMIT ?', limit))).map(toRun)
    },
  }
}

export function createSqlCrawlStore(db: SqlDatabase, { lease, maxCachedBodyBytes, chunkChars = 400_000, announce }: SqlCrawlStoreOptions): CrawlStore {
  return {
    cache: sqlConditionalCache(db, maxCachedBodyBytes === undefined ? {} : { maxBodyBytes: maxCachedBodyBytes }),
    acquireLock: (owner, now, ttlMs) => lease.acquire(owner, now, ttlMs),
    refreshLock: (owner, now, ttlMs) => lease.renew(owner, now, ttlMs),
    releaseLock: (owner) => lease.release(owner),
    ...runMethods(db, lease),

    async rowsOfSource(sourceId) {
      return (await all<RowRecord>(db, sql('SELECT * FROM crawl_programmes WHERE source_id = ? ORDER BY id', sourceId))).map(toRow)
    },
    async allRows() {
      return (await all<RowRecord>(db, sql('SELECT * FROM crawl_programmes ORDER BY id'))).map(toRow)
    },
    async recordSuccess(s) {
      await fenced(db, s.runId, [...successStatements(s, chunkChars), ...(announce ? [announce()] : [])])
    },
    async recordFailure(f) {
      const [counted, stale] = await fenced(db, f.runId, [
        sql(
          `INSERT INTO crawl_sources (source_id, consecutive_failures, last_failure_at, last_error) VALUES (?, 1, ?, ?)
           ON CONFLICT(source_id) DO UPDATE SET consecutive_failures = crawl_sources.consecutive_failures + 1, last_failure_at = excluded.last_failure_at, last_error = excluded.last_error
           RETURNING consecutive_failures`,
          f.sourceId,
          f.at,
          f.error,
        ),
        // Marked stale once the failures reach the threshold: the count just written decides, in SQL.
        sql(
          `UPDATE crawl_programmes SET stale = 1 WHERE source_id = ? AND stale = 0 AND gone_at IS NULL
             AND (SELECT consecutive_failures FROM crawl_sources WHERE source_id = ?) >= ?`,
          f.sourceId,
          f.sourceId,
          f.staleAfter,
        ),
      ])
      return { consecutiveFailures: (counted!.rows[0] as { consecutive_failures: number }).consecutive_failures, markedStale: stale!.changes }
    },
    async sourceStates() {
      return (await all<StateRecord>(db, sql('SELECT * FROM crawl_sources ORDER BY source_id'))).map(toState)
    },
    async events({ since, afterId, limit = 1000 } = {}) {
      const s = since ?? null
      const a = afterId ?? null
      return (await all<EventRecord>(db, sql('SELECT * FROM crawl_events WHERE (? IS NULL OR at > ?) AND (? IS NULL OR id > ?) ORDER BY id LIMIT ?', s, s, a, a, limit))).map(toEvent)
    },
  }
}
