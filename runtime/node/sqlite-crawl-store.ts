// The CrawlStore in SQLite (tables of the crawler migration in runtime/node/sqlite.ts). Each
// source's result is written in one transaction; a failure only counts and marks stale, it never
// deletes. The run lock is the 'crawl' job lease (runtime/node/lease.ts, owner = the run id): a
// killed run's lease is taken over at once by the next run on the same host, and a run left
// 'running' by a dead process is closed as interrupted. Every write of a run checks, in its
// transaction, that no other run holds the lease: a run that lost it writes nothing more.
import type { ConditionalCache } from '../../crawler/fetch/conditional-cache.ts'
import { CrawlLeaseLostError, INTERRUPTED_RUN_ERROR, type CrawlEvent, type CrawlEventKind, type CrawlRun, type CrawlStore, type CrawledRow, type SourceState } from '../../crawler/crawl-store.ts'
import type { Programme } from '../../core/programme.ts'
import { createLeases, type Leases } from './lease.ts'
import type { Db } from './sqlite.ts'

const LOCK = 'crawl'

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

function toRow(r: RowRecord): CrawledRow {
  return {
    programme: JSON.parse(r.json) as Programme,
    sourceId: r.source_id,
    dedupeKey: r.dedupe_key,
    canonicalUrl: r.canonical_url,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    lastChanged: r.last_changed,
    stale: r.stale === 1,
    goneAt: r.gone_at,
  }
}

function toRun(r: RunRecord): CrawlRun {
  return {
    id: r.id,
    trigger: r.trigger,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationMs: r.duration_ms,
    status: r.status,
    sources: JSON.parse(r.sources),
    errors: JSON.parse(r.errors),
  }
}

function toEvent(r: EventRecord): CrawlEvent {
  return {
    id: r.id,
    programmeId: r.programme_id,
    sourceId: r.source_id,
    kind: r.kind,
    before: r.before === null ? null : JSON.parse(r.before),
    after: r.after === null ? null : JSON.parse(r.after),
    at: r.at,
    runId: r.run_id,
  }
}

export function createSqliteConditionalCache(db: Db): ConditionalCache {
  const get = db.prepare('SELECT etag, last_modified, body, content_type, stored_at FROM crawl_http_cache WHERE url = ?')
  const put = db.prepare(
    `INSERT INTO crawl_http_cache (url, etag, last_modified, body, content_type, stored_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, body = excluded.body, content_type = excluded.content_type, stored_at = excluded.stored_at`,
  )
  return {
    async get(url) {
      const r = get.get(url) as { etag: string | null; last_modified: string | null; body: string; content_type: string | null; stored_at: string } | undefined
      if (!r) return undefined
      return { ...(r.etag ? { etag: r.etag } : {}), ...(r.last_modified ? { lastModified: r.last_modified } : {}), body: r.body, ...(r.content_type ? { contentType: r.content_type } : {}), storedAt: r.stored_at }
    },
    async put(url, e) {
      put.run(url, e.etag ?? null, e.lastModified ?? null, e.body, e.contentType ?? null, e.storedAt)
    },
  }
}

function crawlStatements(db: Db) {
  return {
    runsRunning: db.prepare<[], RunRecord>("SELECT * FROM crawl_runs WHERE status = 'running' ORDER BY seq"),
    runInterrupt: db.prepare("UPDATE crawl_runs SET status = 'interrupted', ended_at = ?, errors = ? WHERE id = ? AND status = 'running'"),
    runInsert: db.prepare(
      `INSERT INTO crawl_runs (id, seq, trigger, started_at, ended_at, duration_ms, status, sources, errors)
       VALUES (@id, (SELECT COALESCE(MAX(seq), 0) + 1 FROM crawl_runs), @trigger, @startedAt, @endedAt, @durationMs, @status, @sources, @errors)`,
    ),
    runUpdate: db.prepare('UPDATE crawl_runs SET ended_at = @endedAt, duration_ms = @durationMs, status = @status, sources = @sources, errors = @errors WHERE id = @id'),
    runList: db.prepare('SELECT * FROM crawl_runs ORDER BY started_at DESC, seq DESC LIMIT ?'),
    rowsOfSource: db.prepare('SELECT * FROM crawl_programmes WHERE source_id = ? ORDER BY id'),
    allRows: db.prepare('SELECT * FROM crawl_programmes ORDER BY id'),
    rowUpsert: db.prepare(
      `INSERT INTO crawl_programmes (id, source_id, json, dedupe_key, canonical_url, first_seen, last_seen, last_changed, stale, gone_at)
       VALUES (@id, @sourceId, @json, @dedupeKey, @canonicalUrl, @at, @at, @at, 0, NULL)
       ON CONFLICT(id) DO UPDATE SET source_id = excluded.source_id, json = excluded.json, dedupe_key = excluded.dedupe_key, canonical_url = excluded.canonical_url,
         last_seen = excluded.last_seen, stale = 0, gone_at = NULL,
         last_changed = CASE WHEN @changed = 1 OR crawl_programmes.gone_at IS NOT NULL THEN excluded.last_changed ELSE crawl_programmes.last_changed END`,
    ),
    rowGone: db.prepare('UPDATE crawl_programmes SET gone_at = ? WHERE id = ? AND source_id = ? AND gone_at IS NULL'),
    sourceFresh: db.prepare('UPDATE crawl_programmes SET stale = 0 WHERE source_id = ?'),
    sourceStale: db.prepare('UPDATE crawl_programmes SET stale = 1 WHERE source_id = ? AND stale = 0 AND gone_at IS NULL'),
    eventInsert: db.prepare('INSERT INTO crawl_events (programme_id, source_id, kind, before, after, at, run_id) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    stateSuccess: db.prepare(
      `INSERT INTO crawl_sources (source_id, consecutive_failures, last_success_at) VALUES (?, 0, ?)
       ON CONFLICT(source_id) DO UPDATE SET consecutive_failures = 0, last_success_at = excluded.last_success_at`,
    ),
    stateFailure: db.prepare(
      `INSERT INTO crawl_sources (source_id, consecutive_failures, last_failure_at, last_error) VALUES (?, 1, ?, ?)
       ON CONFLICT(source_id) DO UPDATE SET consecutive_failures = crawl_sources.consecutive_failures + 1, last_failure_at = excluded.last_failure_at, last_error = excluded.last_error
       RETURNING consecutive_failures`,
    ),
    states: db.prepare('SELECT * FROM crawl_sources ORDER BY source_id'),
    events: db.prepare('SELECT * FROM crawl_events WHERE (@since IS NULL OR at > @since) AND (@afterId IS NULL OR id > @afterId) ORDER BY id LIMIT @limit'),
  }
}

type Statements = ReturnType<typeof crawlStatements>

function runParams(run: CrawlRun) {
  return {
    id: run.id,
    trigger: run.trigger,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs: run.durationMs,
    status: run.status,
    sources: JSON.stringify(run.sources),
    errors: JSON.stringify(run.errors),
  }
}

/** The writes of a run, each one transaction that first checks (fence) that no other run holds the lease. */
function crawlTransactions(db: Db, q: Statements, leases: Leases) {
  const fence = (runId: string) => {
    if (leases.heldByOther(LOCK, runId)) throw new CrawlLeaseLostError(runId)
  }

  const recordSuccess = db.transaction((s: Parameters<CrawlStore['recordSuccess']>[0]) => {
    fence(s.runId)
    for (const r of s.rows) {
      q.rowUpsert.run({ id: r.programme.id, sourceId: s.sourceId, json: JSON.stringify(r.programme), dedupeKey: r.dedupeKey, canonicalUrl: r.canonicalUrl, at: s.at, changed: r.changed ? 1 : 0 })
    }
    for (const id of s.goneIds) q.rowGone.run(s.at, id, s.sourceId)
    q.sourceFresh.run(s.sourceId)
    for (const e of s.events) q.eventInsert.run(e.programmeId, e.sourceId, e.kind, JSON.stringify(e.before ?? null), JSON.stringify(e.after ?? null), e.at, e.runId)
    q.stateSuccess.run(s.sourceId, s.at)
  })

  const recordFailure = db.transaction((f: Parameters<CrawlStore['recordFailure']>[0]) => {
    fence(f.runId)
    const { consecutive_failures: consecutiveFailures } = q.stateFailure.get(f.sourceId, f.at, f.error) as { consecutive_failures: number }
    const markedStale = consecutiveFailures >= f.staleAfter ? q.sourceStale.run(f.sourceId).changes : 0
    return { consecutiveFailures, markedStale }
  })

  const finishRun = db.transaction((run: CrawlRun) => {
    fence(run.id)
    if (q.runUpdate.run(runParams(run)).changes === 0) q.runInsert.run(runParams(run))
  })

  // A run is alive while its lease is held by a live process; every other 'running' run was cut short.
  const closeInterrupted = db.transaction((endedAt: string, now: Date): CrawlRun[] => {
    const holder = leases.holder(LOCK)
    const alive = holder && !leases.isDead(holder, now) ? holder.owner : undefined
    const closed: CrawlRun[] = []
    for (const r of q.runsRunning.all()) {
      if (r.id === alive) continue
      const errors = [...(JSON.parse(r.errors) as string[]), INTERRUPTED_RUN_ERROR]
      q.runInterrupt.run(endedAt, JSON.stringify(errors), r.id)
      closed.push(toRun({ ...r, status: 'interrupted', ended_at: endedAt, errors: JSON.stringify(errors) }))
    }
    return closed
  })

  return { recordSuccess, recordFailure, finishRun, closeInterrupted }
}

export function createSqliteCrawlStore(db: Db, { leases = createLeases(db) }: { leases?: Leases } = {}): CrawlStore {
  const q = crawlStatements(db)
  const { recordSuccess, recordFailure, finishRun, closeInterrupted } = crawlTransactions(db, q, leases)
  return {
    cache: createSqliteConditionalCache(db),

    async acquireLock(owner, now, ttlMs) {
      return leases.acquire(LOCK, owner, now, ttlMs)
    },
    async refreshLock(owner, now, ttlMs) {
      return leases.renew(LOCK, owner, now, ttlMs)
    },
    async releaseLock(owner) {
      leases.release(LOCK, owner)
    },

    async startRun(run) {
      q.runInsert.run(runParams(run))
    },
    async finishRun(run) {
      finishRun(run)
    },
    async closeInterruptedRuns(endedAt, now) {
      return closeInterrupted.immediate(endedAt, now)
    },
    async listRuns(limit) {
      return (q.runList.all(limit) as RunRecord[]).map(toRun)
    },

    async rowsOfSource(sourceId) {
      return (q.rowsOfSource.all(sourceId) as RowRecord[]).map(toRow)
    },
    async allRows() {
      return (q.allRows.all() as RowRecord[]).map(toRow)
    },
    async recordSuccess(s) {
      recordSuccess(s)
    },
    async recordFailure(f) {
      return recordFailure(f)
    },
    async sourceStates() {
      return (q.states.all() as { source_id: string; consecutive_failures: number; last_success_at: string | null; last_failure_at: string | null; last_error: string | null }[]).map(
        (r): SourceState => ({ sourceId: r.source_id, consecutiveFailures: r.consecutive_failures, lastSuccessAt: r.last_success_at, lastFailureAt: r.last_failure_at, lastError: r.last_error }),
      )
    },
    async events({ since, afterId, limit = 1000 } = {}) {
      return (q.events.all({ since: since ?? null, afterId: afterId ?? null, limit }) as EventRecord[]).map(toEvent)
    },
  }
}
