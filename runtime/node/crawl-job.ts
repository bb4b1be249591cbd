// The crawler in the Node runtime: the SQLite store, a polite fetcher per run (robots.txt read
// afresh each run, the conditional-GET cache in SQLite), the registry's sources (or a list read
// at each run: compose.ts adds the declarative page sources, so an edit needs no restart), and the
// scheduled job (node-cron, CRAWL_SCHEDULE). After a run, `afterRun` refreshes the catalogue
// and the index (compose.ts wires it to reindex). Runs never overlap: runCrawl takes the crawl
// lease in SQLite (runtime/node/lease.ts), which also keeps a CLI run and the server's scheduled
// run apart, and is taken over at once from a killed process. At start-up (server and CLI),
// `closeInterrupted` closes the runs a dead process left « en cours ». `rerun` is the back
// office's « Relancer »: it waits for the run (up to `waitMs`) and says how it really ended.
import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import type { CrawlSettings } from '../../crawler/crawl-options.ts'
import type { CrawlRun, CrawlStore, RunOutcome } from '../../crawler/crawl-store.ts'
import { createPoliteFetch, type FetchLike, type PoliteFetch, type PoliteFetchOptions } from '../../crawler/fetch/polite-fetch.ts'
import { CrawlLockedError, runCrawl } from '../../crawler/run-crawl.ts'
import { credentialNames, type Credentials } from '../../crawler/auth.ts'
import { SOURCES } from '../../crawler/sources/index.ts'
import type { CrawlSource } from '../../crawler/types.ts'
import { loadReplayFetch } from './crawl-replay.ts'
import { createOutboundGuard } from './outbound-guard.ts'
import { createSqliteCrawlStore } from './sqlite-crawl-store.ts'
import type { ScheduledJob } from './cron.ts'
import type { Db } from './sqlite.ts'

export interface NodeCrawlerOptions {
  db: Db
  /** Sources an admin disabled are skipped by scheduled and full runs (an explicit --source still runs). */
  isEnabled?: (sourceId: string) => Promise<boolean>
  settings: CrawlSettings
  clock: Clock
  logger: Logger
  /** The sources, or a function read at each run (declarative page sources edited in the back office). */
  sources?: readonly CrawlSource[] | (() => readonly CrawlSource[] | Promise<readonly CrawlSource[]>)
  /** The network (default: fetch through the outbound guard, runtime/node/outbound-guard.ts). */
  fetch?: FetchLike
  /** After every run that wrote anything (a source succeeded): refresh catalogue and index. */
  afterRun?: (run: CrawlRun) => Promise<void>
  /** Overrides of the polite fetcher (tests inject sleep and random so backoffs do not wait). */
  fetchOptions?: Partial<Omit<PoliteFetchOptions, 'fetch' | 'userAgent' | 'cache'>>
  /** Honour each plan's politenessMs (default true; replays never do). */
  planDelays?: boolean
  /** Every run reads this recorded-responses folder instead of the network (tests, demos). */
  replayDir?: string
}

export interface CrawlRequest {
  onlySource?: string
  /** A recorded-responses folder (manifest.json) served instead of the network. */
  replayDir?: string
  trigger?: string
  /** The run's id (default: a random UUID), known before it starts. */
  runId?: string
}

export interface NodeCrawler {
  store: CrawlStore
  run(request?: CrawlRequest): Promise<CrawlRun>
  /** Closes as interrupted the runs left « en cours » by a dead process (start-up). */
  closeInterrupted(): Promise<CrawlRun[]>
  /** One source now, for the back office: the run's real outcome, or `running` after `waitMs`. */
  rerun(sourceId: string, options?: { waitMs?: number; trigger?: string }): Promise<RunOutcome>
  /** The scheduled crawl, or undefined when CRAWL_SCHEDULE is "off". */
  job(): ScheduledJob | undefined
}

/**
 * The network of one run: recorded responses (no delay between requests, placeholder
 * credentials) or the real one through the outbound guard, behind the polite fetcher.
 */
function runNetwork(
  sources: readonly CrawlSource[],
  replayDir: string | undefined,
  { store, settings, logger, fetch, fetchOptions }: Pick<NodeCrawlerOptions, 'settings' | 'logger' | 'fetch'> & { store: CrawlStore; fetchOptions: NonNullable<NodeCrawlerOptions['fetchOptions']> },
): { politeFetch: PoliteFetch; credentials: Credentials } {
  const replay = replayDir !== undefined
  const politeFetch = createPoliteFetch({
    // The network goes through the outbound guard: public addresses only, checked after DNS at each request and each redirect.
    ...(replay ? { fetch: loadReplayFetch(replayDir) } : { fetch: fetch ?? createOutboundGuard().fetch }),
    userAgent: settings.userAgent,
    // A replay has no remote host to spare: no delay between requests.
    perHostDelayMs: replay ? 0 : settings.delayMs,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    cache: store.cache,
    logger,
    ...fetchOptions,
  })
  // Recorded responses need no credentials: placeholders let every source replay.
  const credentials = replay
    ? Object.fromEntries(sources.flatMap((s) => credentialNames(s.plan.auth)).map((name) => [name, settings.credentials[name] ?? 'replay']))
    : settings.credentials
  return { politeFetch, credentials }
}

export function createNodeCrawler({ db, settings, clock, logger, sources: sourcesOption = SOURCES, fetch, afterRun, fetchOptions = {}, planDelays = true, isEnabled, replayDir: defaultReplayDir }: NodeCrawlerOptions): NodeCrawler {
  const store = createSqliteCrawlStore(db)

  async function run({ onlySource, replayDir = defaultReplayDir, trigger = replayDir ? 'replay' : 'manual', runId }: CrawlRequest = {}): Promise<CrawlRun> {
    const allSources = typeof sourcesOption === 'function' ? await sourcesOption() : sourcesOption
    const enabled = isEnabled && !onlySource ? await Promise.all(allSources.map((s) => isEnabled(s.id))) : undefined
    const sources = enabled ? allSources.filter((_, i) => enabled[i]) : allSources
    const replay = replayDir !== undefined
    const { politeFetch, credentials } = runNetwork(sources, replayDir, { store, settings, logger, fetch, fetchOptions })
    const result = await runCrawl({
      sources,
      fetch: politeFetch,
      store,
      clock,
      logger,
      credentials,
      enabled: settings.sources,
      ...(onlySource ? { onlySource } : {}),
      staleAfter: settings.staleAfter,
      planDelays: planDelays && !replay,
      trigger,
      ...(runId ? { newId: () => runId } : {}),
    })
    if (afterRun && result.sources.some((s) => s.status === 'ok')) await afterRun(result)
    return result
  }

  async function closeInterrupted(): Promise<CrawlRun[]> {
    const closed = await store.closeInterruptedRuns(clock.now().toISOString(), new Date())
    for (const r of closed) logger.warn('crawl run left running by a dead process closed as interrupted', { runId: r.id, startedAt: r.startedAt, trigger: r.trigger })
    return closed
  }

  async function rerun(sourceId: string, { waitMs = 20_000, trigger = 'admin' }: { waitMs?: number; trigger?: string } = {}): Promise<RunOutcome> {
    const runId = crypto.randomUUID()
    const done: Promise<RunOutcome> = run({ onlySource: sourceId, trigger, runId }).then(
      (r) => ({ status: r.status, runId: r.id, errors: [...r.errors, ...r.sources.flatMap((s) => (s.status === 'failed' ? s.errors.slice(0, 3).map((e) => `${s.sourceId} : ${e}`) : []))] }),
      (err: unknown): RunOutcome => {
        if (err instanceof CrawlLockedError) return { status: 'locked', runId: null, errors: [err.message] }
        logger.error('admin re-run failed', { source: sourceId, runId, error: String(err) })
        return { status: 'failed', runId, errors: [(err as Error)?.message ?? String(err)] }
      },
    )
    let timer: ReturnType<typeof setTimeout> | undefined
    const running: RunOutcome = { status: 'running', runId, errors: [] }
    // waitMs 0: answer at once (the run goes on; the crawl page shows its end).
    const waited = waitMs <= 0 ? Promise.resolve(running) : new Promise<RunOutcome>((ok) => (timer = setTimeout(() => ok(running), waitMs)))
    try {
      return await Promise.race([done, waited])
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    store,
    run,
    closeInterrupted,
    rerun,
    job() {
      if (!settings.schedule) return undefined
      return {
        name: 'crawl',
        expression: settings.schedule,
        run: async () => {
          try {
            await run({ trigger: 'cron' })
          } catch (err) {
            if (err instanceof CrawlLockedError) logger.warn('scheduled crawl skipped: another run holds the lock')
            else throw err
          }
        },
      }
    },
  }
}
