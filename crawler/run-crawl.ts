// One crawl run: take the lease (kept by a heartbeat; a run that loses it stops), then for each source plan → fetch (polite, paging and following
// detail links) → parse → dedupe within the source → diff with what the store holds → events →
// one write per source. A source that fails (unreachable, a list page not of the expected shape,
// an empty answer where programmes were known) keeps every stored programme, counts one more
// failure, and has its programmes marked stale after `staleAfter` failures in a row: a failure
// never deletes anything. Dirty records never stop a source (parsers report them). The run is
// recorded (start, end, per-source counts and errors) and returned; runs left 'running' by a
// dead process are closed as interrupted first.
import { ParseError, SourceUnavailableError } from '../core/errors.ts'
import { parisDay, type Clock } from '../core/clock.ts'
import { LEASE_HEARTBEAT_MS, LEASE_TTL_MS, startHeartbeat } from '../core/heartbeat.ts'
import type { Logger } from '../core/logger.ts'
import type { Programme } from '../core/programme.ts'
import { authHeaders, missingCredentials, type Credentials } from './auth.ts'
import { CrawlLeaseLostError, type CrawlEvent, type CrawlRun, type CrawlStore, type SourceRunStats, type SourceSuccess } from './crawl-store.ts'
import { canonicalUrl, dedupeKey, mergeDuplicates } from './dedupe.ts'
import { HttpStatusError, RobotsDisallowedError } from './fetch/fetch-errors.ts'
import type { PoliteFetch, PoliteRequest } from './fetch/polite-fetch.ts'
import { formatRecordError } from './format-error.ts'
import { diffProgramme, vanishedEvent } from './programme-diff.ts'
import type { CrawlSource, PlannedBody, PlannedRequest, RecordError } from './types.ts'

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
  staleAfter?: number
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


function toBody(body: PlannedBody): { body: string | FormData; contentType?: string } {
  if (body.kind === 'json') return { body: JSON.stringify(body.value), contentType: 'application/json' }
  const form = new FormData()
  for (const part of body.parts) form.append(part.name, new Blob([part.value], { type: part.contentType }))
  return { body: form }
}

function emptyStats(sourceId: string): SourceRunStats {
  return { sourceId, status: 'ok', fetched: 0, notModified: 0, failed: 0, programmes: 0, new: 0, updated: 0, unchanged: 0, gone: 0, markedStale: 0, consecutiveFailures: 0, recordErrors: 0, errors: [], durationMs: 0 }
}

function describe(err: unknown): string {
  if (err instanceof SourceUnavailableError || err instanceof ParseError || err instanceof HttpStatusError || err instanceof RobotsDisallowedError) return err.message
  return `erreur inattendue : ${err instanceof Error ? err.message : String(err)}`
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

const MAX_ERROR_DETAILS = 200

function rawText(raw: unknown): string {
  let text: string
  try {
    text = JSON.stringify(raw) ?? String(raw)
  } catch {
    text = String(raw)
  }
  return text.length > 500 ? `${text.slice(0, 500)}…` : text
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
  staleAfter = 3,
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
  // Another run took the lease (this process froze past its expiry): stop, write nothing more
  // (the store refuses the writes too).
  let leaseLost = false
  const stopHeartbeat = startHeartbeat(() => store.refreshLock(runId, wallNow(), lockTtlMs), heartbeatMs, () => {
    leaseLost = true
    logger?.warn('crawl lease lost', { runId })
  })
  const checkLease = () => {
    if (leaseLost) throw new CrawlLeaseLostError(runId)
  }
  const secrets = Object.values(credentials).filter((v): v is string => typeof v === 'string' && v.length >= 4)
  const redact = (line: string) => secrets.reduce((text, secret) => text.split(secret).join('***'), line)

  async function crawlSource(source: CrawlSource): Promise<SourceRunStats> {
    const t0 = monotonicNow()
    const stats = emptyStats(source.id)
    const note = (line: string) => {
      if (stats.errors.length < maxErrors) stats.errors.push(redact(line))
    }
    const { plan } = source
    const missing = missingCredentials(plan.auth, credentials)
    if (missing.length) {
      stats.status = 'skipped'
      note(`identifiants manquants : ${missing.join(', ')}`)
      logger?.info('crawl source skipped', { source: source.id, missing })
      stats.durationMs = monotonicNow() - t0
      return stats
    }

    const records: Programme[] = []
    const recordErrors: RecordError[] = []
    try {
      const headers = await authHeaders(plan.auth, credentials, fetch)
      const queue: PlannedRequest[] = [...plan.start]
      const seen = new Set<string>()
      let firstFailure: unknown
      let complete = true
      while (queue.length) {
        checkLease()
        const request = queue.shift()!
        const key = `${request.method} ${request.url}`
        if (seen.has(key)) continue
        seen.add(key)
        if (seen.size > maxPages) {
          note(`limite de ${maxPages} pages atteinte : pages suivantes ignorées`)
          complete = false
          break
        }
        const body = request.body ? toBody(request.body()) : undefined
        const politeRequest: PoliteRequest = {
          url: request.url,
          method: request.method,
          headers: { ...request.headers, ...(body?.contentType ? { 'content-type': body.contentType } : {}), ...headers },
          ...(body ? { body: body.body } : {}),
          minDelayMs: planDelays ? plan.politenessMs : 0,
        }
        let page
        try {
          page = await fetch(politeRequest)
        } catch (err) {
          if (request.kind === 'list') throw err
          stats.failed++
          firstFailure ??= err
          note(`${request.url} : ${describe(err)}`)
          continue
        }
        stats.fetched++
        if (page.notModified) stats.notModified++
        let parsed
        try {
          parsed = source.parse(page.body, { fetchedAt: clock.now().toISOString(), url: request.url })
        } catch (err) {
          if (request.kind === 'list' || !(err instanceof ParseError)) throw err
          stats.failed++
          firstFailure ??= err
          note(`${request.url} : ${describe(err)}`)
          continue
        }
        records.push(...parsed.records)
        recordErrors.push(...parsed.errors)
        if (request.kind === 'list') {
          const next = plan.next?.(page.body, request)
          if (next) queue.push(next)
          queue.push(...(plan.follow?.(page.body, request) ?? []))
        }
      }
      // Every page failed: nothing was read, the source is down (or the plan is wrong).
      if (stats.fetched === 0 && firstFailure) throw firstFailure

      stats.recordErrors = recordErrors.length
      for (const e of recordErrors) note(formatRecordError(e))
      stats.recordErrorDetails = recordErrors.slice(0, MAX_ERROR_DETAILS).map((e) => ({
        ...(e.recordId !== undefined ? { recordId: e.recordId } : {}),
        ...(e.programmeId !== undefined ? { programmeId: e.programmeId } : {}),
        field: e.field,
        message: redact(e.message),
        raw: redact(rawText(e.raw)),
      }))
      const programmes = mergeDuplicates(records).map((m) => m.programme)
      const previous = await store.rowsOfSource(source.id)
      const listed = previous.filter((r) => !r.goneAt)
      if (programmes.length === 0 && listed.length > 0) {
        throw new SourceUnavailableError(`${source.id} : aucune fiche lue alors que ${listed.length} étaient connues : réponse ignorée, fiches conservées`)
      }

      const at = clock.now().toISOString()
      const today = parisDay(clock.now())
      const byId = new Map(previous.map((r) => [r.programme.id, r]))
      const events: CrawlEvent[] = []
      const rows: SourceSuccess['rows'] = []
      for (const p of programmes) {
        const before = byId.get(p.id)
        const change = diffProgramme(before && !before.goneAt ? before.programme : undefined, p, today)
        if (!before || before.goneAt) stats.new++
        else if (change.changed) stats.updated++
        else stats.unchanged++
        rows.push({ programme: p, dedupeKey: dedupeKey(p), canonicalUrl: canonicalUrl(p.links.official), changed: change.changed })
        for (const e of change.events) events.push({ ...e, programmeId: p.id, sourceId: source.id, at, runId })
      }
      // A programme no longer listed is "gone" only when every page of this run was read:
      // a page that failed (or was not reached) may be the one that lists it.
      const goneIds: string[] = []
      if (stats.failed === 0 && complete) {
        const present = new Set(programmes.map((p) => p.id))
        for (const row of listed) {
          if (present.has(row.programme.id)) continue
          goneIds.push(row.programme.id)
          const e = vanishedEvent(row.programme, today)
          if (e) events.push({ ...e, programmeId: row.programme.id, sourceId: source.id, at, runId })
        }
      }
      stats.gone = goneIds.length
      stats.programmes = programmes.length
      checkLease()
      await store.recordSuccess({ sourceId: source.id, runId, at, rows, goneIds, events })
      stats.status = 'ok'
      logger?.info('crawl source done', { source: source.id, fetched: stats.fetched, notModified: stats.notModified, new: stats.new, updated: stats.updated, unchanged: stats.unchanged, gone: stats.gone, recordErrors: stats.recordErrors })
    } catch (err) {
      // Not the source's fault: the whole run stops.
      if (err instanceof CrawlLeaseLostError) throw err
      const message = redact(describe(err))
      stats.status = 'failed'
      // The reason first, once (a failed page may have noted it already).
      stats.errors = [message, ...stats.errors.filter((line) => !line.endsWith(message))]
      if (stats.errors.length > maxErrors) stats.errors.length = maxErrors
      try {
        const failure = await store.recordFailure({ sourceId: source.id, runId, at: clock.now().toISOString(), error: message, staleAfter })
        stats.consecutiveFailures = failure.consecutiveFailures
        stats.markedStale = failure.markedStale
      } catch (storeErr) {
        stats.errors.push(`échec non enregistré : ${(storeErr as Error).message}`)
      }
      logger?.warn('crawl source failed', { source: source.id, error: message, consecutiveFailures: stats.consecutiveFailures, markedStale: stats.markedStale })
    }
    stats.durationMs = monotonicNow() - t0
    return stats
  }

  try {
    // We hold the lease: a run still "running" was cut short (process killed, crash).
    for (const closed of await store.closeInterruptedRuns(clock.now().toISOString(), wallNow())) logger?.warn('crawl run closed as interrupted', { runId: closed.id, startedAt: closed.startedAt })
    await store.startRun(run)
    run.sources = await mapLimit(selected, concurrency, crawlSource)
    const ran = run.sources.filter((s) => s.status !== 'skipped')
    const failed = ran.filter((s) => s.status === 'failed')
    run.status = failed.length === 0 ? 'ok' : failed.length === ran.length ? 'failed' : 'partial'
  } catch (err) {
    run.status = err instanceof CrawlLeaseLostError ? 'interrupted' : 'failed'
    run.errors.push(err instanceof CrawlLeaseLostError ? err.message : redact(describe(err)))
    logger?.error('crawl run failed', { runId, error: (err as Error).message })
  } finally {
    stopHeartbeat()
    run.endedAt = clock.now().toISOString()
    run.durationMs = monotonicNow() - started
    try {
      await store.finishRun(run)
    } catch (err) {
      // The run that took the lease closes this one's record as interrupted.
      if (!(err instanceof CrawlLeaseLostError)) throw err
      run.status = 'interrupted'
      logger?.warn('crawl run not recorded: lease lost', { runId })
    } finally {
      await store.releaseLock(runId)
    }
  }
  logger?.info('crawl run done', { runId, status: run.status, ms: Math.round(run.durationMs ?? 0) })
  return run
}
