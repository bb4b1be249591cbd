// The polite fetcher every crawl request goes through: one request at a time per host with a
// delay between two (the larger of the configured delay, the source's own and robots.txt's
// Crawl-delay), robots.txt read once per host, an identifying User-Agent, a timeout, retries with
// exponential backoff and jitter on network errors, 429 (Retry-After honoured) and 5xx, none on
// other 4xx, and conditional GETs (ETag / Last-Modified) so that an unchanged page costs a 304.
// fetch, sleep, time and randomness are injected: tests run it against a local server in
// milliseconds, replays run it over recorded responses.
import { SourceUnavailableError } from '../../core/errors.ts'
import { isBlockedDestination } from '../../core/outbound.ts'
import type { Logger } from '../../core/logger.ts'
import type { CachedResponse, ConditionalCache } from './conditional-cache.ts'
import { HttpStatusError, RobotsDisallowedError } from './fetch-errors.ts'
import { ALLOW_ALL, parseRobots, type Robots } from './robots.ts'

/** The part of the Fetch API the crawler needs (globalThis.fetch, a replay, a test double). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>

export interface PoliteRequest {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string | FormData
  /** The source's own minimum delay between two requests to this host (its plan's politenessMs). */
  minDelayMs?: number
  /** Send If-None-Match / If-Modified-Since from the cache (GET only; default true). */
  conditional?: boolean
}

export interface PoliteResponse {
  /** The URL asked for (redirects are followed by fetch). */
  url: string
  /** 200-299, or 304 when the cached body was confirmed. */
  status: number
  body: string
  /** The server answered 304: `body` is the one kept from an earlier run. */
  notModified: boolean
  contentType: string | undefined
  /** Requests sent for this answer (1 when no retry was needed). */
  attempts: number
}

export type PoliteFetch = (request: PoliteRequest) => Promise<PoliteResponse>

export interface PoliteFetchOptions {
  fetch?: FetchLike
  /** Identifying User-Agent with a contact URL; its first token is matched against robots.txt groups. */
  userAgent: string
  // The next three come from the crawler's settings (crawler/crawl-options.ts declares their defaults, once).
  /** Minimum delay between two requests to the same host, in ms. */
  perHostDelayMs: number
  /** Per attempt, headers and body included. */
  timeoutMs: number
  /** Retries after the first attempt (network errors, 429, 5xx). */
  maxRetries: number
  backoffBaseMs?: number
  backoffMaxMs?: number
  /** A Retry-After longer than this ends the retries at once (the source is tried again at the next run). */
  maxRetryAfterMs?: number
  cache?: ConditionalCache
  /** Honour robots.txt (default true). */
  robots?: boolean
  sleep?: (ms: number) => Promise<void>
  /** Monotonic milliseconds, for the delays between requests. */
  now?: () => number
  /** Wall-clock milliseconds since the epoch, for Retry-After dates and cache timestamps. */
  wallNow?: () => number
  random?: () => number
  logger?: Logger
}

interface HostState {
  /** The tail of this host's queue: each request starts when the previous one has settled. */
  tail: Promise<void>
  /** Monotonic time the last request to this host ended (-Infinity before the first). */
  lastAt: number
  robots?: Robots | 'unreachable'
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** "120" (seconds) or an HTTP date → milliseconds to wait from `wallNow`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, wallNow: number): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - wallNow)
}

function decode(buffer: ArrayBuffer, contentType: string | undefined): string {
  const charset = contentType && /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType)?.[1]
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(charset || 'utf-8')
  } catch {
    decoder = new TextDecoder('utf-8')
  }
  return decoder.decode(buffer)
}

/** The options with their defaults applied: what the steps below read. */
interface Settings {
  fetch: FetchLike
  userAgent: string
  perHostDelayMs: number
  timeoutMs: number
  maxRetries: number
  backoffBaseMs: number
  backoffMaxMs: number
  maxRetryAfterMs: number
  cache: ConditionalCache | undefined
  honourRobots: boolean
  sleep: (ms: number) => Promise<void>
  now: () => number
  wallNow: () => number
  random: () => number
  logger: Logger | undefined
}

function withDefaults({
  fetch = (input, init) => globalThis.fetch(input, init),
  userAgent,
  perHostDelayMs,
  timeoutMs,
  maxRetries,
  backoffBaseMs = 1_000,
  backoffMaxMs = 60_000,
  maxRetryAfterMs = 120_000,
  cache,
  robots: honourRobots = true,
  sleep = realSleep,
  now = () => performance.now(),
  wallNow = () => Date.now(),
  random = Math.random,
  logger,
}: PoliteFetchOptions): Settings {
  return { fetch, userAgent, perHostDelayMs, timeoutMs, maxRetries, backoffBaseMs, backoffMaxMs, maxRetryAfterMs, cache, honourRobots, sleep, now, wallNow, random, logger }
}

function hostState(hosts: Map<string, HostState>, host: string): HostState {
  let state = hosts.get(host)
  if (!state) {
    state = { tail: Promise.resolve(), lastAt: Number.NEGATIVE_INFINITY }
    hosts.set(host, state)
  }
  return state
}

/** Runs `task` when every earlier request to this host has settled. */
function enqueue<T>(state: HostState, task: () => Promise<T>): Promise<T> {
  const run = state.tail.then(task)
  state.tail = run.then(
    () => undefined,
    () => undefined,
  )
  return run
}

function backoff({ backoffBaseMs, backoffMaxMs, random }: Settings, attempt: number): number {
  const ceiling = Math.min(backoffMaxMs, backoffBaseMs * 2 ** attempt)
  // "Equal jitter": at least half the step, so retries spread out without collapsing to zero.
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

async function waitTurn({ perHostDelayMs, now, sleep }: Settings, state: HostState, minDelayMs: number): Promise<void> {
  const robotsDelay = state.robots && state.robots !== 'unreachable' ? (state.robots.crawlDelayMs ?? 0) : 0
  const delay = Math.max(perHostDelayMs, minDelayMs, robotsDelay)
  const wait = state.lastAt + delay - now()
  if (wait > 0) await sleep(wait)
}

interface Raw {
  status: number
  headers: Headers
  body: string
  attempts: number
}

/** One request with its retries; the caller holds the host's turn. */
async function send(settings: Settings, state: HostState, url: string, init: RequestInit, minDelayMs: number): Promise<Raw> {
  const { fetch, timeoutMs, maxRetries, maxRetryAfterMs, sleep, now, wallNow, logger } = settings
  let lastProblem = ''
  for (let attempt = 0; ; attempt++) {
    await waitTurn(settings, state, minDelayMs)
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    let response: Response
    let body: string
    try {
      response = await fetch(url, { ...init, signal: controller.signal, redirect: 'follow' })
      body = response.status === 304 ? '' : decode(await response.arrayBuffer(), response.headers.get('content-type') ?? undefined)
    } catch (err) {
      // The outbound guard refused the destination (private, loopback or metadata address): nothing was sent, nothing to retry.
      if (isBlockedDestination(err)) throw new SourceUnavailableError(`${url} : ${err.message}`, { cause: err })
      lastProblem = controller.signal.aborted ? `délai dépassé (${timeoutMs} ms)` : `erreur réseau (${(err as Error).message}${(err as { cause?: Error }).cause ? ` : ${(err as { cause: Error }).cause.message}` : ''})`
      state.lastAt = now()
      if (attempt >= maxRetries) throw new SourceUnavailableError(`${url} : ${lastProblem} après ${attempt + 1} tentative(s)`)
      const wait = backoff(settings, attempt)
      logger?.debug('crawl retry', { url, attempt: attempt + 1, waitMs: wait, reason: lastProblem })
      await sleep(wait)
      continue
    } finally {
      clearTimeout(timer)
    }
    state.lastAt = now()
    const { status } = response
    if (status === 429 || status >= 500) {
      lastProblem = `HTTP ${status}`
      const asked = status === 429 || status === 503 ? retryAfterMs(response.headers.get('retry-after'), wallNow()) : undefined
      if (asked !== undefined && asked > maxRetryAfterMs) throw new SourceUnavailableError(`${url} : HTTP ${status}, Retry-After ${Math.round(asked / 1000)} s : réessai à la prochaine collecte`)
      if (attempt >= maxRetries) throw new SourceUnavailableError(`${url} : ${lastProblem} après ${attempt + 1} tentative(s)`)
      const wait = asked ?? backoff(settings, attempt)
      logger?.debug('crawl retry', { url, attempt: attempt + 1, waitMs: wait, reason: lastProblem })
      await sleep(wait)
      continue
    }
    return { status, headers: response.headers, body, attempts: attempt + 1 }
  }
}

async function robotsFor(settings: Settings, state: HostState, origin: string): Promise<Robots | 'unreachable'> {
  if (state.robots) return state.robots
  const { userAgent, logger } = settings
  const url = `${origin}/robots.txt`
  try {
    const raw = await send(settings, state, url, { method: 'GET', headers: { 'user-agent': userAgent, accept: 'text/plain' } }, 0)
    // RFC 9309: a 4xx means no rules; only a 2xx file restricts anything.
    state.robots = raw.status >= 200 && raw.status < 300 ? parseRobots(raw.body, userAgent) : ALLOW_ALL
  } catch (err) {
    // A refused destination is reported as such, not as an unreachable robots.txt.
    if (isBlockedDestination((err as Error).cause)) throw err
    // 5xx or no answer: RFC 9309 says assume everything is disallowed; we try again at the next run.
    logger?.warn('robots.txt unreachable', { url, error: (err as Error).message })
    state.robots = 'unreachable'
  }
  return state.robots
}

/** The cache entry for a fresh answer: its body with the validators (ETag, Last-Modified); undefined when the server sent none. */
function cacheEntry(raw: Raw, contentType: string | undefined, wallNow: () => number): CachedResponse | undefined {
  const etag = raw.headers.get('etag') ?? undefined
  const lastModified = raw.headers.get('last-modified') ?? undefined
  if (!etag && !lastModified) return undefined
  return {
    ...(etag ? { etag } : {}),
    ...(lastModified ? { lastModified } : {}),
    body: raw.body,
    ...(contentType ? { contentType } : {}),
    storedAt: new Date(wallNow()).toISOString(),
  }
}

/** One request, its turn held: robots.txt, the conditional GET, the answer (a 304 served from the cache). */
async function politeRequest(settings: Settings, state: HostState, url: URL, method: 'GET' | 'POST', request: PoliteRequest): Promise<PoliteResponse> {
  const { cache, userAgent, wallNow } = settings
  if (settings.honourRobots) {
    const robots = await robotsFor(settings, state, url.origin)
    if (robots === 'unreachable') throw new SourceUnavailableError(`robots.txt de ${url.host} injoignable : rien n'est demandé à ce site avant la prochaine collecte`)
    if (!robots.isAllowed(`${url.pathname}${url.search}`)) throw new RobotsDisallowedError(request.url)
  }
  const conditional = method === 'GET' && request.conditional !== false && cache !== undefined
  const cached = conditional ? await cache!.get(request.url) : undefined
  const headers: Record<string, string> = { ...request.headers, 'user-agent': userAgent }
  if (cached?.etag) headers['if-none-match'] = cached.etag
  if (cached?.lastModified) headers['if-modified-since'] = cached.lastModified
  const raw = await send(settings, state, request.url, { method, headers, ...(request.body !== undefined ? { body: request.body } : {}) }, request.minDelayMs ?? 0)
  const contentType = raw.headers.get('content-type') ?? undefined

  if (raw.status === 304) {
    if (!cached) throw new HttpStatusError(304, request.url)
    return { url: request.url, status: 304, body: cached.body, notModified: true, contentType: cached.contentType ?? contentType, attempts: raw.attempts }
  }
  if (raw.status < 200 || raw.status >= 300) throw new HttpStatusError(raw.status, request.url)
  if (conditional) {
    const entry = cacheEntry(raw, contentType, wallNow)
    if (entry) await cache!.put(request.url, entry)
  }
  return { url: request.url, status: raw.status, body: raw.body, notModified: false, contentType, attempts: raw.attempts }
}

export function createPoliteFetch(options: PoliteFetchOptions): PoliteFetch {
  const settings = withDefaults(options)
  const hosts = new Map<string, HostState>()
  return async function politeFetch(request) {
    const url = new URL(request.url)
    const method = request.method ?? 'GET'
    const state = hostState(hosts, url.host)
    return enqueue(state, () => politeRequest(settings, state, url, method, request))
  }
}
