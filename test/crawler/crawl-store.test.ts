// The CrawlStore contract on both implementations: in memory, and in SQLite with the real
// migrations (a temporary file per test).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMemoryCrawlStore } from '../../crawler/memory-crawl-store.ts'
import { createSqliteCrawlStore } from '../../runtime/node/sqlite-crawl-store.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import { crawlStoreContract } from './crawl-store.contract.ts'

crawlStoreContract('memory', () => ({ store: createMemoryCrawlStore() }))

crawlStoreContract('SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-crawl-store-'))
  const db = openDatabase(dir)
  return {
    store: createSqliteCrawlStore(db),
    dispose() {
      db.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
})
