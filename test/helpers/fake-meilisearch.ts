// A stand-in for a Meilisearch server that follows its documented HTTP protocol (response shapes
// in test/fixtures/meilisearch/README.md): indexes, settings, documents, swaps, deletions and
// their tasks, search, stats and documents fetched by filter. Tasks succeed at once unless a test
// makes one fail; searches answer what the test queues; `/documents/fetch` evaluates its filter
// over the documents the index holds (fake-meilisearch-filter.ts: the syntax the adapter sends)
// and pages them by offset and limit. Every request is recorded for the test to check.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { parseFilter } from './fake-meilisearch-filter.ts'

export interface Exchange { method: string; path: string; query: string; body: unknown; authorization: string | undefined }
interface TaskRecord { uid: number; indexUid: string | null; type: string; status: 'succeeded' | 'failed'; error: unknown; enqueuedAt: string }

export interface FakeMeilisearch {
  host: string
  exchanges: Exchange[]
  /** Exchanges without the task polling. */
  calls(): string[]
  /** The next task of this type fails with this documented error. */
  failNext(type: string, error: { message: string; code: string; type: string; link: string }): void
  /** The next search answers this (hits with _rankingScore, totalHits, facetDistribution). */
  answerSearch(response: { hits: { id: string; _rankingScore: number }[]; totalHits: number; facetDistribution?: Record<string, Record<string, number>> }): void
  close(): Promise<void>
}

const AT = '2026-03-01T09:00:00.000000Z'
const notFound = (uid: string) => ({ message: `Index \`${uid}\` not found.`, code: 'index_not_found', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_not_found' })

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? JSON.parse(text) : undefined
}

export async function startFakeMeilisearch(): Promise<FakeMeilisearch> {
  const exchanges: Exchange[] = []
  const tasks: TaskRecord[] = []
  const indexes = new Map<string, number>()
  /** The documents each index holds, by id, in the order first added. */
  const stored = new Map<string, Map<string, Record<string, unknown>>>()
  const failures = new Map<string, object>()
  const searches: Parameters<FakeMeilisearch['answerSearch']>[0][] = []

  const enqueue = (indexUid: string | null, type: string, apply: () => void) => {
    const error = failures.get(type)
    failures.delete(type)
    if (!error) apply()
    const task: TaskRecord = { uid: tasks.length, indexUid, type, status: error ? 'failed' : 'succeeded', error: error ?? null, enqueuedAt: AT }
    tasks.push(task)
    return [202, { taskUid: task.uid, indexUid, status: 'enqueued', type, enqueuedAt: AT }] as const
  }

  const route = (method: string, path: string, body: unknown): readonly [number, unknown] => {
    let m: RegExpExecArray | null
    if (method === 'GET' && path === '/health') return [200, { status: 'available' }]
    if (method === 'GET' && (m = /^\/tasks\/(\d+)$/.exec(path))) {
      const t = tasks[Number(m[1])]!
      return [200, { uid: t.uid, indexUid: t.indexUid, status: t.status, type: t.type, canceledBy: null, details: {}, error: t.error, duration: 'PT0.001S', enqueuedAt: t.enqueuedAt, startedAt: AT, finishedAt: AT }]
    }
    if (method === 'POST' && path === '/indexes') {
      const { uid } = body as { uid: string }
      return enqueue(uid, 'indexCreation', () => indexes.set(uid, 0))
    }
    if (method === 'POST' && path === '/swap-indexes') {
      const [a, b] = (body as { indexes: [string, string] }[])[0]!.indexes
      return enqueue(null, 'indexSwap', () => {
        const x = indexes.get(a!)!
        indexes.set(a!, indexes.get(b!)!)
        indexes.set(b!, x)
        const y = stored.get(a!) ?? new Map()
        stored.set(a!, stored.get(b!) ?? new Map())
        stored.set(b!, y)
      })
    }
    if ((m = /^\/indexes\/([^/]+)(\/.*)?$/.exec(path))) {
      const uid = decodeURIComponent(m[1]!)
      const rest = m[2] ?? ''
      if (!indexes.has(uid) && !(method === 'POST' && rest === '/documents')) return [404, notFound(uid)]
      if (method === 'GET' && rest === '') return [200, { uid, primaryKey: 'id', createdAt: AT, updatedAt: AT }]
      if (method === 'DELETE' && rest === '') return enqueue(uid, 'indexDeletion', () => indexes.delete(uid) && stored.delete(uid))
      if (method === 'PATCH' && rest === '/settings') return enqueue(uid, 'settingsUpdate', () => {})
      if (method === 'POST' && rest === '/documents') {
        return enqueue(uid, 'documentAdditionOrUpdate', () => {
          const docs = stored.get(uid) ?? new Map<string, Record<string, unknown>>()
          for (const d of body as Record<string, unknown>[]) docs.set(String(d.id), d)
          stored.set(uid, docs)
          indexes.set(uid, (indexes.get(uid) ?? 0) + (body as unknown[]).length)
        })
      }
      if (method === 'POST' && rest === '/documents/fetch') {
        const q = body as { filter: string; fields: string[]; limit: number; offset: number }
        const keep = parseFilter(q.filter)
        const all = [...(stored.get(uid)?.values() ?? [])].filter(keep)
        const results = all.slice(q.offset, q.offset + q.limit).map((d) => Object.fromEntries(q.fields.map((f) => [f, d[f]])))
        return [200, { results, offset: q.offset, limit: q.limit, total: all.length }]
      }
      if (method === 'GET' && rest === '/stats') return [200, { numberOfDocuments: indexes.get(uid), isIndexing: false, fieldDistribution: {} }]
      if (method === 'POST' && rest === '/search') {
        const q = body as { q: string; page: number; hitsPerPage: number }
        const r = searches.shift() ?? { hits: [], totalHits: 0 }
        return [200, { ...r, query: q.q, processingTimeMs: 1, hitsPerPage: q.hitsPerPage, page: q.page, totalPages: Math.ceil(r.totalHits / Math.max(1, q.hitsPerPage)) }]
      }
    }
    return [501, { message: `not in the fake: ${method} ${path}`, code: 'not_implemented', type: 'internal', link: '' }]
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://x')
    const body = await bodyOf(req)
    exchanges.push({ method: req.method!, path: url.pathname, query: url.search, body, authorization: req.headers.authorization })
    const [status, answer] = route(req.method!, url.pathname, body)
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    host: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    exchanges,
    calls: () => exchanges.filter((e) => !e.path.startsWith('/tasks/')).map((e) => `${e.method} ${e.path}${e.query}`),
    failNext: (type, error) => void failures.set(type, error),
    answerSearch: (r) => void searches.push(r),
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}
