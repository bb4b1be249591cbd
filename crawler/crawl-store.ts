// The CrawlStore port: where crawled programmes, per-source state, the HTTP validators cache,
// run records, change events and the run lock live. Declared here, beside the crawler;
// implemented in memory (crawler/memory-crawl-store.ts, tests and replays) and in SQLite
// (runtime/node/crawl-store.ts); test/crawler/crawl-store.contract.ts runs on both.
// Async so that a D1 implementation (Workers) fits the same contract.
import type { Programme } from '../core/programme.ts'
import type { ConditionalCache } from './fetch/conditional-cache.ts'

/** One programme as one source said it, kept across runs. Rows are never deleted by a crawl. */
export interface CrawledRow {
  programme: Programme
  sourceId: string
  dedupeKey: string
  canonicalUrl: string
  firstSeen: string
  lastSeen: string
  /** Last run that changed the record (or created it). */
  lastChanged: string
  /** The source failed CRAWL_STALE_AFTER runs in a row since this row was last confirmed. */
  stale: boolean
  /** A successful run of the source no longer listed it (kept, left out of the catalogue). */
  goneAt: string | null
}

export const CRAWL_EVENT_KINDS = ['new', 'deadline_moved', 'closed_early', 'new_edition', 'updated'] as const
export type CrawlEventKind = (typeof CRAWL_EVENT_KINDS)[number]

/** What changed in a programme between two runs, for the alerts. `before`/`after` are small JSON summaries. */
export interface CrawlEvent {
  id?: number
  programmeId: string
  sourceId: string
  kind: CrawlEventKind
  before: unknown
  after: unknown
  at: string
  runId: string
}

export interface RecordErrorDetail {
  recordId?: string
  programmeId?: string
  field: string
  message: string
  /** The raw value as JSON text, cut at 500 characters. */
  raw: string
}

export type SourceRunStatus = 'ok' | 'failed' | 'skipped'

export interface SourceRunStats {
  sourceId: string
  status: SourceRunStatus
  /** Pages answered (200 or 304), robots.txt and token exchanges excluded. */
  fetched: number
  /** Of which 304 Not Modified (read from the cache). */
  notModified: number
  /** Pages that could not be fetched or parsed (a detail page; a list page fails the source). */
  failed: number
  /** Programmes read after dedupe within the source. */
  programmes: number
  new: number
  updated: number
  unchanged: number
  /** Listed before, not any more (kept, left out of the catalogue). */
  gone: number
  /** Rows marked stale by this failure (0 when the source did not fail). */
  markedStale: number
  /** Consecutive failed runs after this one (0 after a success). */
  consecutiveFailures: number
  recordErrors: number
  /** The first errors, one line each (record errors, failed pages, the failure itself). */
  errors: string[]
  /** The first record errors as data: the raw value beside its error, and the programme it concerns. */
  recordErrorDetails?: RecordErrorDetail[]
  durationMs: number
}

export type CrawlRunStatus = 'running' | 'ok' | 'partial' | 'failed'

export interface CrawlRun {
  id: string
  trigger: string
  startedAt: string
  endedAt: string | null
  durationMs: number | null
  status: CrawlRunStatus
  sources: SourceRunStats[]
  /** Run-level errors (not tied to a source). */
  errors: string[]
}

export interface SourceState {
  sourceId: string
  consecutiveFailures: number
  lastSuccessAt: string | null
  lastFailureAt: string | null
  lastError: string | null
}

/** Everything one successful source run writes, in one transaction. */
export interface SourceSuccess {
  sourceId: string
  runId: string
  at: string
  /** Every programme the source gave this run; `changed` is false for unchanged ones (last_seen moves). */
  rows: { programme: Programme; dedupeKey: string; canonicalUrl: string; changed: boolean }[]
  /** Ids listed before and not any more. */
  goneIds: string[]
  events: CrawlEvent[]
}

export interface SourceFailure {
  sourceId: string
  runId: string
  at: string
  error: string
  /** Rows are marked stale once the consecutive failures reach this number. */
  staleAfter: number
}

export interface CrawlStore {
  readonly cache: ConditionalCache
  /** Takes the run lock unless another owner holds it unexpired. Returns whether it was taken. */
  acquireLock(owner: string, now: Date, ttlMs: number): Promise<boolean>
  /** Pushes the expiry of a lock we hold (long runs); false when it is no longer ours. */
  refreshLock(owner: string, now: Date, ttlMs: number): Promise<boolean>
  releaseLock(owner: string): Promise<void>

  startRun(run: CrawlRun): Promise<void>
  finishRun(run: CrawlRun): Promise<void>
  /** Latest first. */
  listRuns(limit: number): Promise<CrawlRun[]>

  rowsOfSource(sourceId: string): Promise<CrawledRow[]>
  allRows(): Promise<CrawledRow[]>
  recordSuccess(success: SourceSuccess): Promise<void>
  recordFailure(failure: SourceFailure): Promise<{ consecutiveFailures: number; markedStale: number }>
  sourceStates(): Promise<SourceState[]>
  /** Oldest first; `since` is exclusive (an ISO instant), `afterId` too. */
  events(query?: { since?: string; afterId?: number; limit?: number }): Promise<CrawlEvent[]>
}
