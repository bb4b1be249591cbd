// The SQL CrawlStore (runtime/sql/crawl-store.ts) on both SQL databases — a SQLite file through
// better-sqlite3 and D1 through Miniflare — with the Workers' TTL lease: the whole CrawlStore
// contract (test/crawler/crawl-store.contract.ts: upserts and diffs, failures and stale marking,
// gone rows, events, runs, the lock, the HTTP cache), then what only a SQL store has to prove: the
// lease guard refusing a whole batch once the lease moved, rows cut into several bound arrays,
// runs closed as interrupted by the lease's expiry, oversized bodies left out of the cache.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CrawlLeaseLostError, INTERRUPTED_RUN_ERROR, type CrawlRun } from '../../crawler/crawl-store.ts'
import { all, sql } from '../../runtime/sql/database.ts'
import { createTtlCrawlLease } from '../../runtime/sql/crawl-lease.ts'
import { createSqlCrawlStore, jsonChunks } from '../../runtime/sql/crawl-store.ts'
import { buildProgramme } from '../builders/programme.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'
import { crawlStoreContract } from './crawl-store.contract.ts'

const crawled = (id: string, sourceId = 'src') =>
  buildProgramme({ id, name: `Programme ${id} — « éco »`, provenance: { kind: 'crawled', sourceId, originUrl: `https://example.org/${id}`, fetchedAt: '2026-03-01T09:00:00+01:00' }, links: { official: `https://example.org/${id}` } })
const row = (id: string, changed = true) => ({ programme: crawled(id), dedupeKey: `key-${id}`, canonicalUrl: `example.org/${id}`, changed })
const run = (id: string, over: Partial<CrawlRun> = {}): CrawlRun => ({ id, trigger: 'test', startedAt: '2026-03-01T01:00:00.000Z', endedAt: null, durationMs: null, status: 'running', sources: [], errors: [], ...over })
const T0 = new Date('2026-03-01T01:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

describe.each(SQL_DATABASES)('the SQL crawl store on %s', (name, open) => {
  let opened: OpenedDatabase
  beforeEach(async () => {
    opened = await open()
  })
  afterEach(async () => opened.close())
  const make = (options: { chunkChars?: number; maxCachedBodyBytes?: number } = {}) => createSqlCrawlStore(opened.db, { lease: createTtlCrawlLease(opened.db), ...options })

  crawlStoreContract(name, () => ({ store: make() }))

  it('refuses every write of a run whose lease another run took, and writes none of it', async () => {
    const store = make()
    expect(await store.acquireLock('r1', T0, 60_000)).toBe(true)
    await store.recordSuccess({ sourceId: 'src', runId: 'r1', at: '2026-03-01T01:00:00.000Z', rows: [row('a')], goneIds: [], events: [] })
    // r1 froze past its expiry; r2 took the lease.
    expect(await store.acquireLock('r2', later(61_000), 60_000)).toBe(true)
    const success = { sourceId: 'src', runId: 'r1', at: '2026-03-02T01:00:00.000Z', rows: [row('a', true), row('b')], goneIds: [], events: [{ programmeId: 'b', sourceId: 'src', kind: 'new' as const, before: null, after: { name: 'B' }, at: '2026-03-02T01:00:00.000Z', runId: 'r1' }] }
    await expect(store.recordSuccess(success)).rejects.toBeInstanceOf(CrawlLeaseLostError)
    await expect(store.recordFailure({ sourceId: 'src', runId: 'r1', at: '2026-03-02T01:00:00.000Z', error: 'HTTP 503', staleAfter: 1 })).rejects.toBeInstanceOf(CrawlLeaseLostError)
    await expect(store.finishRun(run('r1', { status: 'ok', endedAt: '2026-03-02T01:00:00.000Z' }))).rejects.toThrow(/perdu son bail/)
    expect((await store.rowsOfSource('src')).map((r) => [r.programme.id, r.lastSeen, r.stale])).toEqual([['a', '2026-03-01T01:00:00.000Z', false]])
    expect(await store.events()).toEqual([])
    expect((await store.sourceStates()).map((s) => [s.sourceId, s.consecutiveFailures])).toEqual([['src', 0]])
    expect(await store.listRuns(5)).toEqual([])
    // The lease's holder writes; the guard table is left empty by every batch.
    await store.recordSuccess({ ...success, runId: 'r2', events: [{ ...success.events[0]!, runId: 'r2' }] })
    expect((await store.rowsOfSource('src')).map((r) => r.programme.id)).toEqual(['a', 'b'])
    expect(await all(opened.db, sql('SELECT * FROM crawl_lease_guard'))).toEqual([])
  })

  it('cuts a big source into several bound arrays, in one batch that stays all or nothing', async () => {
    expect(jsonChunks(['aaaa', 'bbbb', 'cccc'], 16)).toEqual(['["aaaa","bbbb"]', '["cccc"]'])
    const store = make({ chunkChars: 3_000 })
    const ids = Array.from({ length: 120 }, (_, i) => `p${String(i).padStart(3, '0')}`)
    const events = ids.map((id) => ({ programmeId: id, sourceId: 'src', kind: 'new' as const, before: null, after: { name: id }, at: '2026-03-01T01:00:00.000Z', runId: 'r1' }))
    await store.recordSuccess({ sourceId: 'src', runId: 'r1', at: '2026-03-01T01:00:00.000Z', rows: ids.map((id) => row(id)), goneIds: [], events })
    const rows = await store.rowsOfSource('src')
    expect(rows.map((r) => r.programme.id)).toEqual(ids)
    expect(rows[7]!.programme).toEqual(crawled('p007'))
    expect((await store.events()).map((e) => e.programmeId)).toEqual(ids)
    // The next run: half unchanged, half gone; then a refused batch of as many chunks changes nothing.
    await store.recordSuccess({ sourceId: 'src', runId: 'r2', at: '2026-03-02T01:00:00.000Z', rows: ids.slice(0, 60).map((id) => row(id, false)), goneIds: ids.slice(60), events: [] })
    expect((await store.rowsOfSource('src')).filter((r) => r.goneAt === '2026-03-02T01:00:00.000Z')).toHaveLength(60)
    expect((await store.rowsOfSource('src'))[0]).toMatchObject({ lastSeen: '2026-03-02T01:00:00.000Z', lastChanged: '2026-03-01T01:00:00.000Z' })
    expect(await store.acquireLock('r9', T0, 60_000)).toBe(true)
    await expect(store.recordSuccess({ sourceId: 'src', runId: 'r3', at: '2026-03-03T01:00:00.000Z', rows: ids.map((id) => row(id)), goneIds: [], events })).rejects.toBeInstanceOf(CrawlLeaseLostError)
    expect((await store.rowsOfSource('src')).filter((r) => r.goneAt !== null)).toHaveLength(60)
    expect(await store.events()).toHaveLength(120)
  })

  it('closes as interrupted the runs no live lease holder runs, keeping their errors', async () => {
    const store = make()
    await store.startRun(run('orphan', { errors: ['déjà là'] }))
    expect(await store.acquireLock('live', T0, 60_000)).toBe(true)
    await store.startRun(run('live'))
    const closed = await store.closeInterruptedRuns('2026-03-01T01:00:30.000Z', later(30_000))
    expect(closed.map((r) => [r.id, r.status, r.errors])).toEqual([['orphan', 'interrupted', ['déjà là', INTERRUPTED_RUN_ERROR]]])
    // Its lease expired (the invocation was cut short): the next one closes it.
    const after = await store.closeInterruptedRuns('2026-03-01T01:02:00.000Z', later(120_000))
    expect(after.map((r) => [r.id, r.endedAt])).toEqual([['live', '2026-03-01T01:02:00.000Z']])
    expect((await store.listRuns(5)).map((r) => r.status)).toEqual(['interrupted', 'interrupted'])
  })

  it('leaves out of the HTTP cache a body over the size it is given', async () => {
    const store = make({ maxCachedBodyBytes: 1_000 })
    await store.cache.put('https://x.fr/small', { etag: '"1"', body: 'é'.repeat(400), storedAt: '2026-03-01T01:00:00.000Z' })
    await store.cache.put('https://x.fr/big', { etag: '"2"', body: 'é'.repeat(600), storedAt: '2026-03-01T01:00:00.000Z' })
    expect((await store.cache.get('https://x.fr/small'))?.etag).toBe('"1"')
    expect(await store.cache.get('https://x.fr/big')).toBeUndefined()
  })
})
