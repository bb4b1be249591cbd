// One crawl run: take the lease (kept by a heartbeat; a run that loses it stops), then for each
// source plan → fetch (polite, paging and following detail links) → parse → dedupe within the
// source → diff with what the store holds → events → one write per source (the steps:
// crawler/crawl-source.ts, fetch-source.ts, programme-diff.ts). A source that fails (unreachable, a list page not of the expected shape,
// an empty answer where programmes were known) keeps every stored programme, counts one more
// failure, and has its programmes marked stale after `staleAfter` failures in a row: a failure
// never deletes anything. Dirty records never stop a source (parsers report them). The run is
// recorded (start, end, per-source counts and errors) and returned; runs left 'running' by a
// dead process are closed as interrupted first.
import type { Clock } from '../core/clock.ts'
import { LEASE_HEARTBEAT_MS, LEASE_TTL_MS, startHeartbeat } from '../core/heartbeat.ts'
import type { Logger } from '../core/logger.ts'
import type { Credentials } from './auth.ts'
import { crawlSource, type SourceRunContext } from './crawl-source.ts'
import { CrawlLeaseLostError, type CrawlRun, type CrawlStore } from './crawl-store.ts'
import { describeCrawlError } from './fetch-source.ts'
import type { PoliteFetch } from './fetch/polite-fetch.ts'
import type { CrawlSource } from './types.ts'

/** Another run holds the lock: this one did nothing. */
export class CrawlLockedError extends Error {
  override readonly name = 'CrawlLockedError'
  constructor() {
    super('une collecte est déjà en cours : cette demande est ignorée')
  }
}

export interface RunCrawlOptions {
  sources: readonly CrawlSource[]
  fetch: PoliteFetch
  store: CrawlStore
  clock: Clock
  logger?: Logger
  /** Env var name → value for the plans' credentials; a source missing any is skipped. */
  credentials?: Credentials
  /** CRAWL_SOURCES: the ids to crawl; empty or absent = all. */
  enabled?: readonly string[]
  /** Only this source (`crawl --source <id>`), enabled or not. */
  onlySource?: string
  /** From the crawler's settings (CRAWL_STALE_AFTER, declared once in crawler/crawl-options.ts). */
  staleAfter: number
  /** Pass each plan's politenessMs to the fetcher (off for replays: no remote host to spare). */
  planDelays?: boolean
  trigger?: string
  newId?: () => string
  /** Monotonic ms, for durations. */
  monotonicNow?: () => number
  /** Real time for the lease expiry (the domain clock may be fixed by GUICHET_NOW). */
  wallNow?: () => Date
  lockTtlMs?: number
  /** Period of the lease's heartbeat. */
  heartbeatMs?: number
  /** Sources crawled at the same time (requests to one host stay serial in the fetcher). */
  concurrency?: number
  /** Pages per source per run, a guard against a `next` that never ends. */
  maxPages?: number
  /** Error lines kept per source in the run record. */
  maxErrors?: number
}


async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await task(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}

/** A source asked for by id that no registry knows (coded sources and page sources). */
export class UnknownSourceError extends Error {
  override readonly name = 'UnknownSourceError'
}

export function selectSources(sources: readonly CrawlSource[], { enabled = [], onlySource }: { enabled?: readonly string[]; onlySource?: string }): CrawlSource[] {
  if (onlySource) {
    const one = sources.find((s) => s.id === onlySource)
    if (!one) throw new UnknownSourceError(`source inconnue « ${onlySource} » (sources : ${sources.map((s) => s.id).join(', ')})`)
    return [one]
  }
  return enabled.length ? sources.filter((s) => enabled.includes(s.id)) : [...sources]
}

/**
 * The heartbeat that keeps the run's lease. Another run took it (this process froze past its
 * expiry): `checkLease` throws from then on, the run stops and writes nothing more (the store
 * refuses the writes too).
 */
function keepLease(store: CrawlStore, runId: string, { wallNow, lockTtlMs, heartbeatMs, logger }: { wallNow: () => Date; lockTtlMs: number; heartbeatMs: number; logger: Logger | undefined }): { checkLease: () => void; stopHeartbeat: () => void } {
  let leaseLost = false
  const stopHeartbeat = startHeartbeat(() => store.refreshLock(runId, wallNow(), lockTtlMs), heartbeatMs, () => {
    leaseLost = true
    logger?.warn('crawl lease lost', { runId })
  })
  const checkLease = () => {
    if (leaseLost) throw new CrawlLeaseLostError(runId)
  }
  return { checkLease, stopHeartbeat }
}

/** Hides the credentials' values (four characters or more) in an error line. */
function redactor(credentials: Credentials): (line: string) => string {
  const secrets = Object.values(credentials).filter((v): v is string => typeof v === 'string' && v.length >= 4)
  return (line: string) => secrets.reduce((text, secret) => text.split(secret).join('***'), line)
}

/** Writes the run's record and releases the lease (always). A run that lost its lease is left to its taker to close. */
async function closeRun(store: CrawlStore, run: CrawlRun, logger: Logger | undefined): Promise<void> {
  try {
    await store.finishRun(run)
  } catch (err) {
    // The run that took the lease closes this one's record as interrupted.
    if (!(err instanceof CrawlLeaseLostError)) throw err
    run.status = 'interrupted'
    logger?.warn('crawl run not recorded: lease lost', { runId: run.id })
  } finally {
    await store.releaseLock(run.id)
  }
}

export async function runCrawl({
  sources,
  fetch,
  store,
  clock,
  logger,
  credentials = {},
  enabled,
  onlySource,
  staleAfter,
  planDelays = true,
  trigger = 'manual',
  newId = () => crypto.randomUUID(),
  monotonicNow = () => performance.now(),
  wallNow = () => new Date(),
  lockTtlMs = LEASE_TTL_MS,
  heartbeatMs = LEASE_HEARTBEAT_MS,
  concurrency = 4,
  maxPages = 1_000,
  maxErrors = 20,
}: RunCrawlOptions): Promise<CrawlRun> {
  const selected = selectSources(sources, { ...(enabled ? { enabled } : {}), ...(onlySource ? { onlySource } : {}) })
  const runId = newId()
  if (!(await store.acquireLock(runId, wallNow(), lockTtlMs))) throw new CrawlLockedError()
  const started = monotonicNow()
  const run: CrawlRun = { id: runId, trigger, startedAt: clock.now().toISOString(), endedAt: null, durationMs: null, status: 'running', sources: [], errors: [] }
  // CRAWL_SOURCES may name page sources (known only now): an id that matches nothing is said, not ignored.
  for (const id of onlySource ? [] : (enabled ?? []).filter((x) => !sources.some((src) => src.id === x))) run.errors.push(`CRAWL_SOURCES : source inconnue « ${id} »`)
  const { checkLease, stopHeartbeat } = keepLease(store, runId, { wallNow, lockTtlMs, heartbeatMs, logger })
  const redact = redactor(credentials)
  const context: SourceRunContext = { runId, store, fetch, clock, logger, credentials, staleAfter, planDelays, maxPages, maxErrors, monotonicNow, checkLease, redact }

  try {
    // We hold the lease: a run still "running" was cut short (process killed, crash).
    for (const closed of await store.closeInterruptedRuns(clock.now().toISOString(), wallNow())) logger?.warn('crawl run closed as interrupted', { runId: closed.id, startedAt: closed.startedAt })
    await store.startRun(run)
    run.sources = await mapLimit(selected, concurrency, (source) => crawlSource(source, context))
    const ran = run.sources.filter((s) => s.status !== 'skipped')
    const failed = ran.filter((s) => s.status === 'failed')
    run.status = failed.length === 0 ? 'ok' : failed.length === ran.length ? 'failed' : 'partial'
  } catch (err) {
    run.status = err instanceof CrawlLeaseLostError ? 'interrupted' : 'failed'
    run.errors.push(err instanceof CrawlLeaseLostError ? err.message : redact(describeCrawlError(err)))
    logger?.error('crawl run failed', { runId, error: (err as Error).message })
  } finally {
    stopHeartbeat()
    run.endedAt = clock.now().toISOString()
    run.durationMs = monotonicNow() - started
    await closeRun(store, run, logger)
  }
  logger?.info('crawl run done', { runId, status: run.status, ms: Math.round(run.durationMs ?? 0) })
  return run
}
