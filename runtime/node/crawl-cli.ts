// Entry of `npm run crawl -- …`: the Node shell around crawler/cli-core.ts (node:fs, process,
// the SQLite store, replay folders); the runtime modules load only for `run`, so `parse` starts
// fast. GUICHET_NOW fixes the clock.
import { readFileSync } from 'node:fs'
import process from 'node:process'
import { fixedClock, systemClock } from '../../core/clock.ts'
import { runCli } from '../../crawler/cli-core.ts'

const clock = process.env.GUICHET_NOW ? fixedClock(process.env.GUICHET_NOW) : systemClock

process.exitCode = await runCli(process.argv.slice(2), {
  readFile: (path) => readFileSync(path, 'utf8'),
  now: () => clock.now(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  async crawl({ source, replay }) {
    const [{ parseConfig }, { createLogger }, { parseCrawlOptions }, { openDatabase }, { createNodeCrawler }, { createNodePageSources }, { SOURCES }] = await Promise.all([
      import('../../core/config.ts'),
      import('../../core/logger.ts'),
      import('../../crawler/crawl-options.ts'),
      import('./sqlite.ts'),
      import('./crawl-job.ts'),
      import('./page-sources.ts'),
      import('../../crawler/sources/index.ts'),
    ])
    const config = parseConfig(process.env)
    const settings = parseCrawlOptions(process.env)
    // Logs go to stderr: stdout keeps the one-line-per-source summary.
    const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, write: (line) => process.stderr.write(`${line}\n`) })
    const db = openDatabase(config.GUICHET_DATA_DIR)
    try {
      // The declarative page sources too (content/sources, and the versions saved in the back office).
      const pageSources = createNodePageSources({ db })
      const crawler = createNodeCrawler({ db, settings, clock, logger, sources: async () => [...SOURCES, ...(await pageSources.crawlSources())] })
      // Runs a killed process left « en cours » are closed as interrupted (even when this one is turned away).
      await crawler.closeInterrupted()
      return await crawler.run({ ...(source ? { onlySource: source } : {}), ...(replay ? { replayDir: replay } : {}), trigger: replay ? 'cli-replay' : 'cli' })
    } finally {
      db.close()
    }
  },
})
