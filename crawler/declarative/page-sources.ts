// The declarative page sources as the crawler and the admin desk see them: the files
// (content/sources/<id>.yaml, read by the runtime) merged with the versions edited in the back
// office (a PageSourceStore; a stored version wins over its file). Validation lives here once:
// the schema, the file name, and ids that must not take a coded source's id. Pure: the runtime
// passes the files, the store and the recorded pages in.
import { ContentError } from '../../core/errors.ts'
import type { CrawlSource } from '../types.ts'
import { createDeclarativeSource, parseDeclarativeSource } from './parse.ts'
import type { DeclarativeSource } from './schema.ts'

/** A version edited in the back office. */
export interface StoredPageSource {
  id: string
  yaml: string
  updatedBy: string
  updatedAt: string
}

/** Where back-office versions live (SQLite in Node: runtime/node/page-sources.ts). */
export interface PageSourceStore {
  list(): Promise<StoredPageSource[]>
  get(id: string): Promise<StoredPageSource | undefined>
  put(row: StoredPageSource): Promise<void>
}

/** One file of content/sources: `name` is the file name (`<id>.yaml`). */
export interface PageSourceFile {
  name: string
  text: string
}

export interface PageSourceEntry {
  id: string
  /** The YAML in force: the stored version when there is one, else the file's. */
  yaml: string
  /** The config in force; the file's when the stored version no longer validates; absent = none valid. */
  config?: DeclarativeSource
  origin: 'file' | 'admin'
  /** The file in content/sources (absent for a source created in the back office). */
  file?: string
  updatedBy?: string
  updatedAt?: string
  /** Why the stored version is not in force (the schema or the coded sources changed since). */
  error?: string
}

export interface SaveInput {
  yaml: string
  /** An edit: the YAML must keep this id. */
  expectedId?: string
  /** A creation: the id must be new. */
  create?: boolean
  by: string
  at: Date
}

export interface PageSourceCatalogue {
  list(): Promise<PageSourceEntry[]>
  get(id: string): Promise<PageSourceEntry | undefined>
  /** Validates, then stores the back-office version. Throws a ContentError naming the field; stores nothing then. */
  save(input: SaveInput): Promise<{ before: PageSourceEntry | undefined; after: PageSourceEntry }>
  /** The page recorded beside the file (content/sources/<id>.recorded.html), for the test fetch. */
  recordedPage(id: string): Promise<string | undefined>
  /** The enabled sources in force, built afresh on each call: an edit is used by the next crawl. */
  crawlSources(): Promise<CrawlSource[]>
}

/** YAML → config; also checks the id (the file name or the edited source's) and that no coded source has it. */
export function validatePageSource(label: string, yaml: string, { reservedIds = [], expectedId }: { reservedIds?: readonly string[]; expectedId?: string } = {}): DeclarativeSource {
  const config = parseDeclarativeSource(label, yaml)
  if (expectedId !== undefined && config.id !== expectedId) {
    throw new ContentError(label, [{ field: 'id', message: `l'identifiant « ${config.id} » doit rester « ${expectedId} » (pour une autre source, créez-en une nouvelle)` }])
  }
  if (reservedIds.includes(config.id)) {
    throw new ContentError(label, [{ field: 'id', message: `« ${config.id} » est déjà l'identifiant d'une source programmée : choisissez-en un autre` }])
  }
  return config
}

/** Every file at once: broken files are all reported, each naming the file and the field. */
export function parsePageSourceFiles(files: readonly PageSourceFile[], reservedIds: readonly string[]): { file: string; yaml: string; config: DeclarativeSource }[] {
  const errors: ContentError[] = []
  const parsed: { file: string; yaml: string; config: DeclarativeSource }[] = []
  for (const f of files) {
    try {
      const expectedId = f.name.replace(/^.*\//, '').replace(/\.ya?ml$/, '')
      parsed.push({ file: f.name, yaml: f.text, config: validatePageSource(f.name, f.text, { reservedIds, expectedId }) })
    } catch (err) {
      if (err instanceof ContentError) errors.push(err)
      else throw err
    }
  }
  if (errors.length === 1) throw errors[0]
  if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'))
  return parsed.sort((a, b) => a.config.id.localeCompare(b.config.id))
}

export function createPageSourceCatalogue({
  files,
  store,
  reservedIds,
  recordedPage = async () => undefined,
  checkUrl,
}: {
  files: readonly PageSourceFile[]
  store: PageSourceStore
  /** The coded sources' ids (crawler/sources): a page source may not take one. */
  reservedIds: readonly string[]
  recordedPage?: (id: string) => Promise<string | undefined>
  /**
   * Why the page's URL may not be crawled once its host is resolved (a private, loopback or
   * metadata address), or undefined: checked on save. The runtime's outbound guard; the crawl
   * itself goes through the guard again.
   */
  checkUrl?: (url: string) => Promise<string | undefined>
}): PageSourceCatalogue {
  // Files are validated once, at start-up: a broken file stops the server, as content/programmes do.
  const fromFiles = parsePageSourceFiles(files, reservedIds)

  async function list(): Promise<PageSourceEntry[]> {
    const stored = new Map((await store.list()).map((s) => [s.id, s]))
    const entries: PageSourceEntry[] = fromFiles.map((f) => ({ id: f.config.id, yaml: f.yaml, config: f.config, origin: 'file', file: f.file }))
    const byId = new Map(entries.map((e) => [e.id, e]))
    for (const s of stored.values()) {
      const file = byId.get(s.id)
      const entry: PageSourceEntry = { ...(file ?? {}), id: s.id, yaml: s.yaml, origin: 'admin', updatedBy: s.updatedBy, updatedAt: s.updatedAt }
      try {
        entry.config = validatePageSource(`page-source:${s.id}`, s.yaml, { reservedIds, expectedId: s.id })
      } catch (err) {
        if (!(err instanceof ContentError)) throw err
        entry.error = err.message
      }
      if (file) entries[entries.indexOf(file)] = entry
      else entries.push(entry)
    }
    return entries.sort((a, b) => a.id.localeCompare(b.id))
  }

  async function get(id: string) {
    return (await list()).find((e) => e.id === id)
  }

  return {
    list,
    get,
    recordedPage,
    async save({ yaml, expectedId, create = false, by, at }) {
      const label = expectedId ? `page-source:${expectedId}` : 'page-source'
      const config = validatePageSource(label, yaml, { reservedIds, ...(expectedId ? { expectedId } : {}) })
      const problem = checkUrl ? await checkUrl(config.url) : undefined
      if (problem) throw new ContentError(label, [{ field: 'url', message: problem }])
      const before = await get(config.id)
      if (create && before) throw new ContentError('page-source', [{ field: 'id', message: `la source « ${config.id} » existe déjà : modifiez-la depuis sa page` }])
      await store.put({ id: config.id, yaml, updatedBy: by, updatedAt: at.toISOString() })
      return { before, after: (await get(config.id))! }
    },
    async crawlSources() {
      return (await list()).flatMap((e) => (e.config?.enabled ? [createDeclarativeSource(e.config)] : []))
    },
  }
}
