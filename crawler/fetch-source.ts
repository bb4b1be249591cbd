// The fetch step of a crawl run: one source's plan run through the polite fetch (list pages,
// their `next` pages and the detail links they follow, each page once, up to `maxPages`), every
// page answered parsed into records. A list page that fails fails the source; a detail page
// that fails is counted and noted, and the run goes on. Writes nothing: the runner
// (crawler/crawl-source.ts) diffs and stores what this returns.
import type { Clock } from '../core/clock.ts'
import { ParseError, SourceUnavailableError } from '../core/errors.ts'
import type { Programme } from '../core/programme.ts'
import { authHeaders, type Credentials } from './auth.ts'
import type { SourceRunStats } from './crawl-store.ts'
import { HttpStatusError, RobotsDisallowedError } from './fetch/fetch-errors.ts'
import type { PoliteFetch, PoliteRequest } from './fetch/polite-fetch.ts'
import type { CrawlSource, PlannedBody, PlannedRequest, RecordError } from './types.ts'

export interface FetchSourceContext {
  fetch: PoliteFetch
  clock: Clock
  credentials: Credentials
  /** Pass the plan's politenessMs to the fetcher (off for replays). */
  planDelays: boolean
  maxPages: number
  /** Throws CrawlLeaseLostError once the run lost its lease: checked before each page. */
  checkLease: () => void
  /** Counts pages fetched, answered 304, failed. */
  stats: SourceRunStats
  /** Keeps an error line for the run record. */
  note: (line: string) => void
}

export interface FetchedSource {
  records: Programme[]
  recordErrors: RecordError[]
  /** Every page of the plan was reached (the page limit did not cut it short). */
  complete: boolean
}

/** The line a run record keeps for a failure: our own errors say it in French, anything else is unexpected. */
export function describeCrawlError(err: unknown): string {
  if (err instanceof SourceUnavailableError || err instanceof ParseError || err instanceof HttpStatusError || err instanceof RobotsDisallowedError) return err.message
  return `erreur inattendue : ${err instanceof Error ? err.message : String(err)}`
}

function toBody(body: PlannedBody): { body: string | FormData; contentType?: string } {
  if (body.kind === 'json') return { body: JSON.stringify(body.value), contentType: 'application/json' }
  const form = new FormData()
  for (const part of body.parts) form.append(part.name, new Blob([part.value], { type: part.contentType }))
  return { body: form }
}

function politeRequest(request: PlannedRequest, headers: Record<string, string>, minDelayMs: number): PoliteRequest {
  const body = request.body ? toBody(request.body()) : undefined
  return {
    url: request.url,
    method: request.method,
    headers: { ...request.headers, ...(body?.contentType ? { 'content-type': body.contentType } : {}), ...headers },
    ...(body ? { body: body.body } : {}),
    minDelayMs,
  }
}

/** Throws when a list page fails, when every page failed, or when the lease is lost. */
export async function fetchSource(source: CrawlSource, { fetch, clock, credentials, planDelays, maxPages, checkLease, stats, note }: FetchSourceContext): Promise<FetchedSource> {
  const { plan } = source
  const records: Programme[] = []
  const recordErrors: RecordError[] = []
  const headers = await authHeaders(plan.auth, credentials, fetch)
  const queue: PlannedRequest[] = [...plan.start]
  const seen = new Set<string>()
  let firstFailure: unknown
  let complete = true
  // A detail page that failed: counted, noted, and the run goes on.
  const pageFailed = (request: PlannedRequest, err: unknown) => {
    stats.failed++
    firstFailure ??= err
    note(`${request.url} : ${describeCrawlError(err)}`)
  }
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
    const polite = politeRequest(request, headers, planDelays ? plan.politenessMs : 0)
    let page
    try {
      page = await fetch(polite)
    } catch (err) {
      if (request.kind === 'list') throw err
      pageFailed(request, err)
      continue
    }
    stats.fetched++
    if (page.notModified) stats.notModified++
    let parsed
    try {
      parsed = source.parse(page.body, { fetchedAt: clock.now().toISOString(), url: request.url })
    } catch (err) {
      if (request.kind === 'list' || !(err instanceof ParseError)) throw err
      pageFailed(request, err)
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
  return { records, recordErrors, complete }
}
