// The crawl on Workers, one source per invocation (a crawl of every source outlasts one): on its
// Cron Trigger (runtime/workers/scheduled.ts, every 10 minutes from 00:00 to 05:59 UTC) an
// invocation takes the D1 crawl lease (a TTL in job_leases, runtime/sql/crawl-lease.ts), picks the
// source crawled least recently among those with their credentials that were not yet picked since
// tonight's window opened (00:00 UTC; the cursor is D1's crawl_cursor, claimed before the crawl,
// so a source whose invocation is cut short waits for the next night rather than blocking the
// others), runs it with the crawler's own code (crawler/run-crawl.ts with that one source, the
// polite fetcher, the SQL crawl store over D1) and records the run. A source's rows carry the
// catalogue version bump (D1's meta key catalogue_changed_at, runtime/workers/catalogue-version.ts)
// in their own batch, as do rows marked stale after it: every isolate rebuilds its catalogue with
// them, the crawled layer read from D1 (createWorkersCrawlStore). Credentials are the Worker's secrets, under the
// Node names (crawler/crawl-options.ts). Coded sources only: page sources are Node's (the back
// office, and the SSRF guard of runtime/node/outbound-guard.ts; a Worker's fetch reaches no
// private network anyway).
import { fixedClock, systemClock, type Clock } from '../../core/clock.ts'
import { LEASE_TTL_MS } from '../../core/heartbeat.ts'
import type { Logger } from '../../core/logger.ts'
import { missingCredentials } from '../../crawler/auth.ts'
import { parseCrawlOptions, type CrawlSettings } from '../../crawler/crawl-options.ts'
import type { CrawlRun, CrawlStore } from '../../crawler/crawl-store.ts'
import { createPoliteFetch, type FetchLike, type PoliteFetchOptions } from '../../crawler/fetch/polite-fetch.ts'
import { CrawlLockedError, runCrawl, selectSources } from '../../crawler/run-crawl.ts'
import { SOURCES } from '../../crawler/sources/index.ts'
import type { CrawlSource } from '../../crawler/types.ts'
import { createTtlCrawlLease } from '../sql/crawl-lease.ts'
import { createSqlCrawlStore } from '../sql/crawl-store.ts'
import { all, sql, type SqlDatabase } from '../sql/database.ts'
import { catalogueVersionBump, readCatalogueVersion } from './catalogue-version.ts'
import { d1Database, type D1Like } from './d1-database.ts'
/** D1 refuses a value over 2 MB: a page body over this many bytes is fetched whole at the next run instead of cached. */
const MAX_CACHED_BODY_BYTES = 1_500_000

/** The crawl store on D1 (what the catalogue reads its crawled layer from). */
export function createD1CrawlStore(d1: D1Like): CrawlStore {
  return createWorkersCrawlStore(d1Database(d1))
}

/** The same over the SQL port: each source's success bumps the catalogue version in its batch. */
export function createWorkersCrawlStore(db: SqlDatabase): CrawlStore {
  return createSqlCrawlStore(db, { lease: createTtlCrawlLease(db), maxCachedBodyBytes: MAX_CACHED_BODY_BYTES, announce: catalogueVersionBump })
}

export interface WorkersCrawlDeps {
  db: SqlDatabase
  /** The Worker's string bindings: CRAWL_* settings and the sources' credentials (secrets). */
  vars: Record<string, string | undefined>
  logger: Logger
  /** The network (default: the Worker's fetch). */
  fetch?: FetchLike
  sources?: readonly CrawlSource[]
  /** The domain clock (default: GUICHET_NOW's when set, as the app's); the lease and the window run on `now`, the wall time. */
  clock?: Clock
  now?: () => Date
  /** Honour each plan's politenessMs (default true). */
  planDelays?: boolean
  fetchOptions?: Partial<Omit<PoliteFetchOptions, 'fetch' | 'userAgent' | 'cache'>>
}

export interface WorkersCrawlReport {
  /** `locked`: another invocation holds the lease; `done`: every source was picked tonight. */
  outcome: 'crawled' | 'locked' | 'done'
  sourceId?: string
  run?: CrawlRun
  /** The catalogue version (meta.catalogue_changed_at) after a run that changed what the catalogue shows. */
  catalogueChangedAt?: string
}

/** Tonight's window opened at 00:00 UTC of the invocation's day. */
export function windowStart(now: Date): string {
  return `${now.toISOString().slice(0, 10)}T00:00:00.000Z`
}

/** The sources an admin switched off in the back office (setting `source:<id>:enabled` = '0', as Node's isSourceEnabled reads it). */
async function sourcesSwitchedOff(db: SqlDatabase): Promise<Set<string>> {
  const rows = await all<{ key: string }>(db, sql("SELECT key FROM admin_settings WHERE key LIKE 'source:%:enabled' AND value = '0'"))
  return new Set(rows.map((r) => r.key.slice('source:'.length, -':enabled'.length)))
}

/** The sources this Worker may crawl: CRAWL_SOURCES (all when empty), their credentials set. */
export function crawlableSources(sources: readonly CrawlSource[], settings: CrawlSettings): CrawlSource[] {
  return selectSources(sources, { enabled: settings.sources }).filter((s) => missingCredentials(s.plan.auth, settings.credentials).length === 0)
}

/**
 * Claims the next source for `runId`: least recently picked first (never picked before all),
 * registry order between equals; a source picked since `since` is done for tonight. The claim is
 * one conditional upsert, so a source is never claimed twice in a window.
 */
export async function claimNextSource(db: SqlDatabase, sources: readonly CrawlSource[], runId: string, now: Date): Promise<CrawlSource | undefined> {
  const since = windowStart(now)
  const picked = new Map((await all<{ source_id: string; picked_at: string }>(db, sql('SELECT source_id, picked_at FROM crawl_cursor'))).map((r) => [r.source_id, r.picked_at]))
  const order = sources.map((s, i) => ({ s, i, at: picked.get(s.id) ?? '' })).filter((c) => c.at < since)
  order.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i))
  for (const { s } of order) {
    const { rows } = await db.query(
      sql(
        `INSERT INTO crawl_cursor (source_id, picked_at, run_id) VALUES (?, ?, ?)
         ON CONFLICT(source_id) DO UPDATE SET picked_at = excluded.picked_at, run_id = excluded.run_id WHERE crawl_cursor.picked_at < ?
         RETURNING source_id`,
        s.id,
        now.toISOString(),
        runId,
        since,
      ),
    )
    if (rows.length === 1) return s
  }
  return undefined
}


/** One invocation of the crawl's Cron Trigger: at most one source, under the lease. */
export async function crawlNextSource(deps: WorkersCrawlDeps): Promise<WorkersCrawlReport> {
  const { db, logger, now = () => new Date() } = deps
  const clock = deps.clock ?? (deps.vars['GUICHET_NOW'] ? fixedClock(deps.vars['GUICHET_NOW']) : systemClock)
  const settings = parseCrawlOptions(deps.vars)
  const store = createWorkersCrawlStore(db)
  const runId = crypto.randomUUID()
  if (!(await store.acquireLock(runId, now(), LEASE_TTL_MS))) {
    logger.info('workers crawl skipped: another invocation holds the lease')
    return { outcome: 'locked' }
  }
  let source: CrawlSource | undefined
  try {
    const switchedOff = await sourcesSwitchedOff(db)
    source = await claimNextSource(db, crawlableSources(deps.sources ?? SOURCES, settings).filter((s) => !switchedOff.has(s.id)), runId, now())
  } finally {
    if (!source) await store.releaseLock(runId)
  }
  if (!source) {
    logger.info('workers crawl: every source was crawled tonight')
    return { outcome: 'done' }
  }
  const network = deps.fetch ?? ((input: string, init?: RequestInit) => fetch(input, init))
  const politeFetch = createPoliteFetch({ fetch: network, userAgent: settings.userAgent, perHostDelayMs: settings.delayMs, timeoutMs: settings.timeoutMs, maxRetries: settings.maxRetries, cache: store.cache, logger, ...deps.fetchOptions })
  let run: CrawlRun
  try {
    // runCrawl takes the lease again (the same owner: its expiry pushed), keeps it, releases it.
    run = await runCrawl({ sources: [source], onlySource: source.id, fetch: politeFetch, store, clock, logger, credentials: settings.credentials, staleAfter: settings.staleAfter, planDelays: deps.planDelays ?? true, trigger: 'cron', newId: () => runId, wallNow: now, concurrency: 1 })
  } catch (err) {
    if (!(err instanceof CrawlLockedError)) throw err
    return { outcome: 'locked', sourceId: source.id }
  }
  const report: WorkersCrawlReport = { outcome: 'crawled', sourceId: source.id, run }
  // A success bumped the version with its rows; rows marked stale by a failure are announced now
  // (a bump lost with the invocation is made by the source's next success).
  const stale = run.sources.some((s) => s.markedStale > 0)
  if (stale) await db.query(catalogueVersionBump())
  const version = stale || run.sources.some((s) => s.status === 'ok') ? await readCatalogueVersion(db) : null
  if (version) report.catalogueChangedAt = version
  return report
}
