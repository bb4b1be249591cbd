// The CrawlStore port: where crawled programmes, per-source state, the HTTP validators cache,
// run records, change events and the run lease live. Declared here, beside the crawler;
// implemented in memory (crawler/memory-crawl-store.ts, tests and replays) and in SQLite
// (runtime/node/sqlite-crawl-store.ts); test/crawler/crawl-store.contract.ts runs on both.
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

/** `interrupted`: its process stopped before the end (kill -9, crash, restart) or it lost its lease. */
export type CrawlRunStatus = 'running' | 'ok' | 'partial' | 'failed' | 'interrupted'

/**
 * What a request for a run became (the back office's « Relancer »): the run's final status,
 * `running` when it outlasted the wait (the crawl page shows its end), `locked` when another run
 * held the lease (nothing was done). `errors`: the run's and its failed sources' first lines.
 */
export interface RunOutcome {
  status: CrawlRunStatus | 'locked'
  runId: string | null
  errors: string[]
}

/** The error line of a run closed as interrupted (shown in the back office). */
export const INTERRUPTED_RUN_ERROR = "collecte interrompue : le processus qui la menait s'est arrêté avant la fin (arrêt brutal ou redémarrage)"

/** A write of a run whose lease another run now holds: refused, the run stops. */
export class CrawlLeaseLostError extends Error {
  override readonly name = 'CrawlLeaseLostError'
  constructor(runId: string) {
    super(`la collecte ${runId} a perdu son bail (une autre collecte l'a repris) : elle s'arrête sans rien écrire de plus`)
  }
}

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
  /**
   * Takes the run lease (the owner is the run id) unless another run holds it alive: in SQLite
   * (runtime/node/lease.ts) a holder past its expiry, or whose process died, is taken over at once.
   * Returns whether it was taken.
   */
  acquireLock(owner: string, now: Date, ttlMs: number): Promise<boolean>
  /** The heartbeat: pushes the expiry of a lease we hold; false when it is no longer ours. */
  refreshLock(owner: string, now: Date, ttlMs: number): Promise<boolean>
  releaseLock(owner: string): Promise<void>

  startRun(run: CrawlRun): Promise<void>
  /** Throws CrawlLeaseLostError when another run holds the lease (so do recordSuccess and recordFailure, by their runId). */
  finishRun(run: CrawlRun): Promise<void>
  /**
   * Closes as `interrupted` (ended at `endedAt`, INTERRUPTED_RUN_ERROR added) every run still
   * `running` that no live lease holder runs: its process died or its lease expired (`now`:
   * wall time for the expiry). At start-up and before each run. Returns the runs closed.
   */
  closeInterruptedRuns(endedAt: string, now: Date): Promise<CrawlRun[]>
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
