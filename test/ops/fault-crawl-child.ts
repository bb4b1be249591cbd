// The child process of the crawl fault-injection suite (test/ops/fault-crawl.test.ts): the real
// Node crawler (createNodeCrawler: SQLite store and lease, polite fetch, every registered source)
// replays the recorded responses in FAULT_REPLAY_DIR into the SQLite file in FAULT_DATA_DIR, then
// rebuilds the catalogue and the embedded index as the server does after a crawl (and records
// the build in index_builds). It first closes the runs a dead process left « en cours », as the
// server and the CLI do at start-up. FAULT_RUNS crawls in a row (0 = until killed). The parent
// SIGKILLs it at chosen instants. Stdout, one line each: « ready closed=<n> », « run:start »,
// « source:<id> », « index:start », « indexed:<documents> », « run:end <status> ». Exit codes: 0 done, 3 a run was
// turned away by the lease (a dead process's lease must never block), 1 an error.
import { fixedClock } from '../../core/clock.ts'
import { silentLogger, type Logger } from '../../core/logger.ts'
import { parseCrawlOptions } from '../../crawler/crawl-options.ts'
import { CrawlLockedError } from '../../crawler/run-crawl.ts'
import { createCatalogueService } from '../../content/catalogue-service.ts'
import { createNodeCrawler } from '../../runtime/node/crawl-job.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'

const dir = process.env.FAULT_DATA_DIR
const replayDir = process.env.FAULT_REPLAY_DIR
if (!dir || !replayDir) {
  console.error('FAULT_DATA_DIR and FAULT_REPLAY_DIR are required')
  process.exit(2)
}
const runs = Number(process.env.FAULT_RUNS ?? 1)
const today = '2026-03-01'
const clock = fixedClock(process.env.GUICHET_NOW ?? `${today}T02:30:00+01:00`)
const say = (line: string) => process.stdout.write(`${line}\n`)
// The crawler's log lines mark the instants worth killing at: a source's write just committed.
const logger: Logger = {
  ...silentLogger,
  info(message: string, fields?: Record<string, unknown>) {
    if (message === 'crawl source done') say(`source:${String(fields?.['source'])}`)
  },
}

const db = openDatabase(dir)
// Read at the first rebuild (the server reads it at start-up): spares the lives killed before it.
let curated: ReturnType<typeof loadCuratedProgrammes> | undefined
const index = createEmbeddedSearchIndex()
const crawler = createNodeCrawler({
  db,
  settings: parseCrawlOptions({ CRAWL_MAX_RETRIES: '0' }),
  clock,
  logger,
  replayDir,
  afterRun: async () => {
    say('index:start')
    curated ??= loadCuratedProgrammes()
    const built = await createCatalogueService({ curated, crawled: crawler.store, index, today: () => today }).rebuild()
    db.prepare('INSERT INTO index_builds (built_at, engine, documents, duration_ms, day) VALUES (?, ?, ?, ?, ?)').run(new Date().toISOString(), index.kind, built.documents, built.ms, today)
    say(`indexed:${built.documents}`)
  },
})
const closed = await crawler.closeInterrupted()
say(`ready closed=${closed.length}`)
let code = 0
try {
  for (let i = 0; runs === 0 || i < runs; i++) {
    say('run:start')
    const run = await crawler.run({ trigger: 'fault' })
    say(`run:end ${run.status}`)
  }
} catch (err) {
  if (err instanceof CrawlLockedError) {
    say('run:locked')
    code = 3
  } else {
    console.error(`crawl failed: ${(err as Error).stack ?? err}`)
    code = 1
  }
} finally {
  db.close()
}
process.exit(code)
