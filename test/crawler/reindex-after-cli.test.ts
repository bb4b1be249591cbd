// A crawl run by `npm run crawl` (another process, another connection to the same SQLite file)
// reaches the running server: its once-a-minute check reindexes when a run ended since the last
// reindex, and only then.
import { describe, expect, it } from 'vitest'
import { fixedClock } from '../../core/clock.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseCrawlOptions } from '../../crawler/crawl-options.ts'
import { createNodeCrawler } from '../../runtime/node/crawl-job.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { startServices } from '../helpers/node-services.ts'
import { REPLAY_DIR } from './replay-server.ts'

describe('the server picks up a crawl run elsewhere', () => {
  it('reindexes once after a CLI run, not before, not twice', async () => {
    const s = await startServices()
    try {
      const before = s.catalogue().size
      expect(await s.reindexIfCrawled()).toBe(false)
      // The CLI: its own connection to the same file.
      const db = openDatabase(s.config.GUICHET_DATA_DIR)
      try {
        const cli = createNodeCrawler({ db, settings: parseCrawlOptions({}), clock: fixedClock('2026-03-01T02:30:00+01:00'), logger: silentLogger })
        expect((await cli.run({ replayDir: REPLAY_DIR })).status).not.toBe('failed')
      } finally {
        db.close()
      }
      expect(s.catalogue().size).toBe(before)
      expect(await s.reindexIfCrawled()).toBe(true)
      expect(s.catalogue().size).toBeGreaterThan(before)
      expect(await s.reindexIfCrawled()).toBe(false)
      // A run of the server's own crawler reindexes by itself: the check finds nothing to do.
      await s.crawler.run({ replayDir: REPLAY_DIR, onlySource: 'idf' })
      expect(await s.reindexIfCrawled()).toBe(false)
    } finally {
      s.dispose()
    }
  })
})
