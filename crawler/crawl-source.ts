// One source in a crawl run, as three steps: fetch (crawler/fetch-source.ts: the plan through
// the polite fetch, parsed), the pure diff against what the store holds (diffSource in
// crawler/programme-diff.ts) and the store write (one transaction per source, the lease checked
// just before). A source that fails keeps every stored programme: its failure is counted (and
// its rows marked stale after `staleAfter` in a row), never a deletion. The source's counts and
// first error lines come back for the run record.
import { parisDay, type Clock } from '../core/clock.ts'
import { SourceUnavailableError } from '../core/errors.ts'
import type { Logger } from '../core/logger.ts'
import { missingCredentials, type Credentials } from './auth.ts'
import { CrawlLeaseLostError, type CrawlStore, type RecordErrorDetail, type SourceFailure, type SourceRunStats, type SourceSuccess } from './crawl-store.ts'
import { mergeDuplicates } from './dedupe.ts'
import { describeCrawlError, fetchSource } from './fetch-source.ts'
import type { PoliteFetch } from './fetch/polite-fetch.ts'
import { formatRecordError } from './format-error.ts'
import { diffSource } from './programme-diff.ts'
import type { CrawlSource, RecordError } from './types.ts'

/** What every source of one run shares. */
export interface SourceRunContext {
  runId: string
  store: CrawlStore
  fetch: PoliteFetch
  clock: Clock
  logger: Logger | undefined
  credentials: Credentials
  staleAfter: number
  planDelays: boolean
  maxPages: number
  maxErrors: number
  monotonicNow: () => number
  /** Throws CrawlLeaseLostError once the run lost its lease. */
  checkLease: () => void
  /** Hides the credentials' values in a line. */
  redact: (line: string) => string
}

type Note = (line: string) => void

const MAX_ERROR_DETAILS = 200

function emptyStats(sourceId: string): SourceRunStats {
  return { sourceId, status: 'ok', fetched: 0, notModified: 0, failed: 0, programmes: 0, new: 0, updated: 0, unchanged: 0, gone: 0, markedStale: 0, consecutiveFailures: 0, recordErrors: 0, errors: [], durationMs: 0 }
}

function rawText(raw: unknown): string {
  let text: string
  try {
    text = JSON.stringify(raw) ?? String(raw)
  } catch {
    text = String(raw)
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
}

/** Record errors as lines and, the first ones, as data beside their raw value. */
function noteRecordErrors(stats: SourceRunStats, recordErrors: readonly RecordError[], note: Note, redact: (line: string) => string): void {
  stats.recordErrors = recordErrors.length
  for (const e of recordErrors) note(formatRecordError(e))
  stats.recordErrorDetails = recordErrors.slice(0, MAX_ERROR_DETAILS).map(
    (e): RecordErrorDetail => ({
      ...(e.recordId !== undefined ? { recordId: e.recordId } : {}),
      ...(e.programmeId !== undefined ? { programmeId: e.programmeId } : {}),
      field: e.field,
      message: redact(e.message),
      raw: redact(rawText(e.raw)),
    }),
  )
}

/** The store write of a source that succeeded: one transaction, and only while the run holds its lease. */
export async function writeSourceSuccess(store: CrawlStore, success: SourceSuccess, checkLease: () => void): Promise<void> {
  checkLease()
  await store.recordSuccess(success)
}

/** The store write of a source that failed: counted, rows marked stale in time; a store that refuses it is noted. */
export async function writeSourceFailure(store: CrawlStore, failure: SourceFailure, stats: SourceRunStats): Promise<void> {
  try {
    const written = await store.recordFailure(failure)
    stats.consecutiveFailures = written.consecutiveFailures
    stats.markedStale = written.markedStale
  } catch (storeErr) {
    stats.errors.push(`échec non enregistré : ${(storeErr as Error).message}`)
  }
}

/** Fetch → dedupe → diff → write. Throws when the source fails (the caller records the failure). */
async function readAndWrite(source: CrawlSource, ctx: SourceRunContext, stats: SourceRunStats, note: Note): Promise<void> {
  const { runId, store, clock, logger } = ctx
  const read = await fetchSource(source, { ...ctx, stats, note })
  noteRecordErrors(stats, read.recordErrors, note, ctx.redact)
  const programmes = mergeDuplicates(read.records).map((m) => m.programme)
  const previous = await store.rowsOfSource(source.id)
  const listed = previous.filter((r) => !r.goneAt).length
  if (programmes.length === 0 && listed > 0) {
    throw new SourceUnavailableError(`${source.id} : aucune fiche lue alors que ${listed} étaient connues : réponse ignorée, fiches conservées`)
  }
  const at = clock.now().toISOString()
  const diff = diffSource(previous, programmes, { sourceId: source.id, runId, at, today: parisDay(clock.now()), complete: stats.failed === 0 && read.complete })
  stats.new = diff.new
  stats.updated = diff.updated
  stats.unchanged = diff.unchanged
  stats.gone = diff.goneIds.length
  stats.programmes = programmes.length
  await writeSourceSuccess(store, { sourceId: source.id, runId, at, rows: diff.rows, goneIds: diff.goneIds, events: diff.events }, ctx.checkLease)
  stats.status = 'ok'
  logger?.info('crawl source done', { source: source.id, fetched: stats.fetched, notModified: stats.notModified, new: stats.new, updated: stats.updated, unchanged: stats.unchanged, gone: stats.gone, recordErrors: stats.recordErrors })
}

/** A source that failed: the reason first in its lines, the failure written. */
async function failSource(source: CrawlSource, ctx: SourceRunContext, stats: SourceRunStats, err: unknown): Promise<void> {
  const message = ctx.redact(describeCrawlError(err))
  stats.status = 'failed'
  // The reason first, once (a failed page may have noted it already).
  stats.errors = [message, ...stats.errors.filter((line) => !line.endsWith(message))]
  if (stats.errors.length > ctx.maxErrors) stats.errors.length = ctx.maxErrors
  await writeSourceFailure(ctx.store, { sourceId: source.id, runId: ctx.runId, at: ctx.clock.now().toISOString(), error: message, staleAfter: ctx.staleAfter }, stats)
  ctx.logger?.warn('crawl source failed', { source: source.id, error: message, consecutiveFailures: stats.consecutiveFailures, markedStale: stats.markedStale })
}

/** One source's run. Throws only CrawlLeaseLostError (the whole run stops); any other failure is the source's. */
export async function crawlSource(source: CrawlSource, ctx: SourceRunContext): Promise<SourceRunStats> {
  const t0 = ctx.monotonicNow()
  const stats = emptyStats(source.id)
  const note: Note = (line) => {
    if (stats.errors.length < ctx.maxErrors) stats.errors.push(ctx.redact(line))
  }
  const missing = missingCredentials(source.plan.auth, ctx.credentials)
  if (missing.length) {
    stats.status = 'skipped'
    note(`identifiants manquants : ${missing.join(', ')}`)
    ctx.logger?.info('crawl source skipped', { source: source.id, missing })
  } else {
    try {
      await readAndWrite(source, ctx, stats, note)
    } catch (err) {
      // Not the source's fault: the whole run stops.
      if (err instanceof CrawlLeaseLostError) throw err
      await failSource(source, ctx, stats, err)
    }
  }
  stats.durationMs = ctx.monotonicNow() - t0
  return stats
}
