// The search index of the Worker. Meilisearch when MEILI_HOST is set (MEILI_API_KEY a secret): one
// index shared by every isolate, filled (the adapter's replaceAll: a temporary index, then an atomic
// swap) only when the documents differ from those last sent — their SHA-256 is kept in D1's meta
// table, so a cold start does not refill it, and a new catalogue or a calendar status that moved
// (documents carry the day's statuses) does. WORKERS_EMBEDDED_INDEX=true (local development, `npm run
// workers:dev`): the in-process index, built from the bundled catalogue in each isolate. Neither: no
// search here — the routes that search answer 503 (searchUnavailable), the others still serve.
import { z } from 'zod'
import type { Config } from '../../core/config.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { createMeilisearchSearchIndex } from '../../search/meilisearch/meilisearch-search-index.ts'
import type { SearchDocument, SearchIndex } from '../../search/search-index.ts'
import { first, sql, type SqlDatabase } from '../sql/database.ts'

export const EMBEDDED_INDEX_VAR = 'WORKERS_EMBEDDED_INDEX'
const Flag = z.enum(['true', 'false', '1', '0', '']).optional().transform((v) => v === 'true' || v === '1')

/** Whether WORKERS_EMBEDDED_INDEX asks for the in-process index (a bad value names the variable). */
export function embeddedIndexAllowed(env: Record<string, unknown>): boolean {
  const parsed = Flag.safeParse(env[EMBEDDED_INDEX_VAR])
  if (!parsed.success) throw new Error(`Configuration invalide : ${EMBEDDED_INDEX_VAR} attend true ou false`)
  return parsed.data
}

export type WorkersSearch = { kind: 'meilisearch' | 'embedded'; index: SearchIndex } | { kind: 'none'; index: SearchIndex }

export function workersSearch(config: Pick<Config, 'MEILI_HOST' | 'MEILI_API_KEY' | 'MEILI_INDEX'>, embedded: boolean, db: SqlDatabase): WorkersSearch {
  if (config.MEILI_HOST) {
    const meili = createMeilisearchSearchIndex({ host: config.MEILI_HOST, indexUid: config.MEILI_INDEX, ...(config.MEILI_API_KEY ? { apiKey: config.MEILI_API_KEY } : {}) })
    return { kind: 'meilisearch', index: fillWhenChanged(meili, db, `meili.documents_sha256:${config.MEILI_HOST}:${config.MEILI_INDEX}`) }
  }
  if (embedded) return { kind: 'embedded', index: createEmbeddedSearchIndex() }
  return { kind: 'none', index: noIndex() }
}

/** The routes that search (the match, the chat, the home page's results): 503 when the Worker has no index. */
export function searchesAt(request: Request): boolean {
  const url = new URL(request.url)
  return url.pathname === '/api/match' || url.pathname === '/api/chat' || (url.pathname === '/' && url.search.length > 1)
}

export function searchUnavailable(request: Request): Response {
  const message =
    "Recherche indisponible : ce Worker n'a pas d'index — configurez MEILI_HOST (et le secret MEILI_API_KEY), ou WORKERS_EMBEDDED_INDEX=true en développement local. / Search unavailable: set MEILI_HOST (and the MEILI_API_KEY secret), or WORKERS_EMBEDDED_INDEX=true for local development."
  const headers = { 'cache-control': 'no-store', 'retry-after': '3600' }
  if (new URL(request.url).pathname === '/') return new Response(`<!doctype html><html lang="fr"><meta charset="utf-8"><title>Guichet</title><p>${message}</p></html>`, { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } })
  return Response.json({ error: { code: 'search_unavailable', message } }, { status: 503, headers })
}

async function sha256(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The index, whose replaceAll is skipped when the documents' hash is the one recorded under `key`. */
export function fillWhenChanged(index: SearchIndex, db: SqlDatabase, key: string): SearchIndex {
  return {
    kind: index.kind,
    async replaceAll(docs: SearchDocument[]) {
      const hash = await sha256(JSON.stringify(docs))
      const recorded = await first<{ value: string }>(db, sql('SELECT value FROM meta WHERE key = ?', key))
      if (recorded?.value === hash) return
      await index.replaceAll(docs)
      await db.query(sql('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at', key, hash, new Date().toISOString()))
    },
    upsert: (docs) => index.upsert(docs),
    remove: (ids) => index.remove(ids),
    search: (query) => index.search(query),
    setAside: (filter) => index.setAside(filter),
    count: () => index.count(),
  }
}

/** No index: holds nothing; a search throws (the Worker answers 503 before any route that searches). */
function noIndex(): SearchIndex {
  const none = async (): Promise<never> => {
    throw new Error('no search index on this Worker (MEILI_HOST unset)')
  }
  return { kind: 'embedded', replaceAll: async () => undefined, upsert: async () => undefined, remove: async () => undefined, search: none, setAside: none, count: async () => 0 }
}
