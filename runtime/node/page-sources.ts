// The declarative page sources in the Node runtime: content/sources/<id>.yaml read from disk
// (a broken file stops the start, naming file and field), the back-office versions in SQLite
// (they win over the files), and the recorded page beside each file for the admin's test fetch.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createPageSourceCatalogue, type PageSourceCatalogue, type PageSourceFile, type PageSourceStore, type StoredPageSource } from '../../crawler/declarative/page-sources.ts'
import { SOURCE_IDS } from '../../crawler/sources/index.ts'
import { isBlockedDestination } from '../../core/outbound.ts'
import { createOutboundGuard, type Resolver } from './outbound-guard.ts'
import type { Db } from './sqlite.ts'

export const PAGE_SOURCES_DIR = fileURLToPath(new URL('../../content/sources/', import.meta.url))

// The schema's id pattern: also keeps a request's id from naming a path outside the folder.
const SAFE_ID = /^[a-z0-9][a-z0-9-]*$/

export function readPageSourceFiles(dir = PAGE_SOURCES_DIR): PageSourceFile[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }))
}

export function createSqlitePageSourceStore(db: Db): PageSourceStore {
  const all = db.prepare('SELECT id, yaml, updated_by AS updatedBy, updated_at AS updatedAt FROM page_sources ORDER BY id')
  const one = db.prepare('SELECT id, yaml, updated_by AS updatedBy, updated_at AS updatedAt FROM page_sources WHERE id = ?')
  const upsert = db.prepare(
    'INSERT INTO page_sources (id, yaml, updated_by, updated_at) VALUES (@id, @yaml, @updatedBy, @updatedAt) ON CONFLICT (id) DO UPDATE SET yaml = excluded.yaml, updated_by = excluded.updated_by, updated_at = excluded.updated_at',
  )
  return {
    list: async () => all.all() as StoredPageSource[],
    get: async (id) => one.get(id) as StoredPageSource | undefined,
    put: async (row) => {
      upsert.run(row)
    },
  }
}

/**
 * The save-time check of a page's URL: refused when its host resolves to any non-public address.
 * A name that does not resolve (yet) is accepted: the crawl resolves it again and refuses it then.
 */
export function pageUrlCheck(resolve?: Resolver): (url: string) => Promise<string | undefined> {
  const guard = createOutboundGuard(resolve ? { resolve } : {})
  return async (url) => {
    try {
      await guard.check(url)
      return undefined
    } catch (err) {
      if (isBlockedDestination(err) && err.code === 'blocked') return err.message
      if (isBlockedDestination(err)) return undefined
      throw err
    }
  }
}

export function createNodePageSources({ db, dir = PAGE_SOURCES_DIR, reservedIds = SOURCE_IDS, resolve }: { db: Db; dir?: string; reservedIds?: readonly string[]; resolve?: Resolver }): PageSourceCatalogue {
  return createPageSourceCatalogue({
    checkUrl: pageUrlCheck(resolve),
    files: readPageSourceFiles(dir),
    store: createSqlitePageSourceStore(db),
    reservedIds,
    recordedPage: async (id) => {
      if (!SAFE_ID.test(id)) return undefined
      const path = join(dir, `${id}.recorded.html`)
      return existsSync(path) ? readFileSync(path, 'utf8') : undefined
    },
  })
}
