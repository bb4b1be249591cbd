// The CrawlStore contract, run on every implementation (memory, SQLite): rows kept across runs
// and never deleted, stale after N failures, gone rows, events in order, runs latest first, the
// lock with its expiry, and the conditional-GET cache.
import { describe, expect, it } from 'vitest'
import type { CrawlRun, CrawlStore } from '../../crawler/crawl-store.ts'
import { buildProgramme } from '../builders/programme.ts'

const crawled = (id: string, sourceId = 'src', over: Parameters<typeof buildProgramme>[0] = {}) =>
  buildProgramme({ id, name: `Programme ${id}`, provenance: { kind: 'crawled', sourceId, originUrl: `https://example.org/${id}`, fetchedAt: '2026-03-01T09:00:00+01:00' }, links: { official: `https://example.org/${id}` }, ...over })

const row = (id: string, changed = true, sourceId = 'src') => ({ programme: crawled(id, sourceId), dedupeKey: `key-${id}`, canonicalUrl: `example.org/${id}`, changed })

function run(id: string, startedAt: string, over: Partial<CrawlRun> = {}): CrawlRun {
  return { id, trigger: 'test', startedAt, endedAt: null, durationMs: null, status: 'running', sources: [], errors: [], ...over }
}

export function crawlStoreContract(name: string, make: () => { store: CrawlStore; dispose?: () => void }) {
  describe(`CrawlStore contract: ${name}`, () => {
    it('keeps rows across runs: first seen stays, last seen moves, last changed moves only on change', async () => {
      const { store, dispose } = make()
      await store.recordSuccess({ sourceId: 'src', runId: 'r1', at: '2026-03-01T01:00:00.000Z', rows: [row('a'), row('b')], goneIds: [], events: [] })
      await store.recordSuccess({ sourceId: 'src', runId: 'r2', at: '2026-03-02T01:00:00.000Z', rows: [row('a', false), row('b', true)], goneIds: [], events: [] })
      const rows = await store.rowsOfSource('src')
      expect(rows.map((r) => [r.programme.id, r.firstSeen, r.lastSeen, r.lastChanged])).toEqual([
        ['a', '2026-03-01T01:00:00.000Z', '2026-03-02T01:00:00.000Z', '2026-03-01T01:00:00.000Z'],
        ['b', '2026-03-01T01:00:00.000Z', '2026-03-02T01:00:00.000Z', '2026-03-02T01:00:00.000Z'],
      ])
      expect(rows[0]).toMatchObject({ sourceId: 'src', dedupeKey: 'key-a', canonicalUrl: 'example.org/a', stale: false, goneAt: null })
      expect(rows[0]!.programme).toEqual(crawled('a'))
      expect(await store.rowsOfSource('other')).toEqual([])
      dispose?.()
    })

    it('counts failures, marks the source\'s rows stale at the threshold, and a success clears both', async () => {
      const { store, dispose } = make()
      await store.recordSuccess({ sourceId: 'src', runId: 'r1', at: '2026-03-01T01:00:00.000Z', rows: [row('a'), row('b')], goneIds: [], events: [] })
      await store.recordSuccess({ sourceId: 'other', runId: 'r1', at: '2026-03-01T01:00:00.000Z', rows: [row('z', true, 'other')], goneIds: [], events: [] })
      const failure = { sourceId: 'src', runId: 'r2', at: '2026-03-02T01:00:00.000Z', error: 'HTTP 503', staleAfter: 2 }
      expect(await store.recordFailure(failure)).toEqual({ consecutiveFailures: 1, markedStale: 0 })
      expect(await store.recordFailure({ ...failure, runId: 'r3' })).toEqual({ consecutiveFailures: 2, markedStale: 2 })
      expect(await store.recordFailure({ ...failure, runId: 'r4' })).toEqual({ consecutiveFailures: 3, markedStale: 0 })
      expect((await store.allRows()).map((r) => [r.programme.id, r.stale])).toEqual([['a', true], ['b', true], ['z', false]])
      expect((await store.sourceStates()).find((s) => s.sourceId === 'src')).toMatchObject({ consecutiveFailures: 3, lastError: 'HTTP 503', lastSuccessAt: '2026-03-01T01:00:00.000Z' })
      await store.recordSuccess({ sourceId: 'src', runId: 'r5', at: '2026-03-05T01:00:00.000Z', rows: [row('a', false)], goneIds: [], events: [] })
      expect((await store.rowsOfSource('src')).map((r) => r.stale)).toEqual([false, false])
      expect((await store.sourceStates()).find((s) => s.sourceId === 'src')!.consecutiveFailures).toBe(0)
      dispose?.()
    })

    it('marks rows gone without deleting them, and brings them back when listed again', async () => {
      const { store, dispose } = make()
      await store.recordSuccess({ sourceId: 'src', runId: 'r1', at: '2026-03-01T01:00:00.000Z', rows: [row('a'), row('b')], goneIds: [], events: [] })
      await store.recordSuccess({ sourceId: 'src', runId: 'r2', at: '2026-03-02T01:00:00.000Z', rows: [row('a', false)], goneIds: ['b'], events: [] })
      expect((await store.rowsOfSource('src')).map((r) => [r.programme.id, r.goneAt])).toEqual([['a', null], ['b', '2026-03-02T01:00:00.000Z']])
      await store.recordSuccess({ sourceId: 'src', runId: 'r3', at: '2026-03-03T01:00:00.000Z', rows: [row('a', false), row('b', false)], goneIds: [], events: [] })
      expect((await store.rowsOfSource('src')).find((r) => r.programme.id === 'b')).toMatchObject({ goneAt: null, lastChanged: '2026-03-03T01:00:00.000Z' })
      dispose?.()
    })

    it('keeps events in order with their before/after JSON, filtered by time or id', async () => {
      const { store, dispose } = make()
      const base = { sourceId: 'src', runId: 'r1' }
      await store.recordSuccess({ ...base, at: '2026-03-01T01:00:00.000Z', rows: [row('a')], goneIds: [], events: [{ ...base, programmeId: 'a', kind: 'new', before: null, after: { name: 'A' }, at: '2026-03-01T01:00:00.000Z' }] })
      await store.recordSuccess({ ...base, runId: 'r2', at: '2026-03-02T01:00:00.000Z', rows: [row('a')], goneIds: [], events: [{ ...base, runId: 'r2', programmeId: 'a', kind: 'deadline_moved', before: { deadline: '2026-04-01' }, after: { deadline: '2026-05-01' }, at: '2026-03-02T01:00:00.000Z' }] })
      const all = await store.events()
      expect(all.map((e) => e.kind)).toEqual(['new', 'deadline_moved'])
      expect(all[1]).toMatchObject({ programmeId: 'a', before: { deadline: '2026-04-01' }, after: { deadline: '2026-05-01' }, runId: 'r2' })
      expect((await store.events({ since: '2026-03-01T01:00:00.000Z' })).map((e) => e.kind)).toEqual(['deadline_moved'])
      expect((await store.events({ afterId: all[0]!.id! })).map((e) => e.kind)).toEqual(['deadline_moved'])
      expect(await store.events({ limit: 1 })).toHaveLength(1)
      dispose?.()
    })

    it('lists runs latest first, updated in place when they finish', async () => {
      const { store, dispose } = make()
      await store.startRun(run('r1', '2026-03-01T01:00:00.000Z'))
      await store.finishRun(run('r1', '2026-03-01T01:00:00.000Z', { status: 'ok', endedAt: '2026-03-01T01:05:00.000Z', durationMs: 300_000 }))
      await store.startRun(run('r2', '2026-03-02T01:00:00.000Z'))
      await store.startRun(run('r3', '2026-03-02T01:00:00.000Z'))
      const runs = await store.listRuns(10)
      expect(runs.map((r) => [r.id, r.status])).toEqual([['r3', 'running'], ['r2', 'running'], ['r1', 'ok']])
      expect(runs[2]).toMatchObject({ endedAt: '2026-03-01T01:05:00.000Z', durationMs: 300_000 })
      expect(await store.listRuns(1)).toHaveLength(1)
      dispose?.()
    })

    it('holds one run lock at a time; a lock past its expiry is taken over', async () => {
      const { store, dispose } = make()
      const t0 = new Date('2026-03-01T01:00:00Z')
      expect(await store.acquireLock('a', t0, 60_000)).toBe(true)
      expect(await store.acquireLock('b', new Date(t0.getTime() + 30_000), 60_000)).toBe(false)
      expect(await store.refreshLock('a', new Date(t0.getTime() + 50_000), 60_000)).toBe(true)
      expect(await store.acquireLock('b', new Date(t0.getTime() + 70_000), 60_000)).toBe(false)
      // Crashed owner: after the expiry, another run takes it; the old owner can no longer refresh it.
      expect(await store.acquireLock('b', new Date(t0.getTime() + 111_000), 60_000)).toBe(true)
      expect(await store.refreshLock('a', new Date(t0.getTime() + 112_000), 60_000)).toBe(false)
      await store.releaseLock('a')
      expect(await store.acquireLock('c', new Date(t0.getTime() + 113_000), 60_000)).toBe(false)
      await store.releaseLock('b')
      expect(await store.acquireLock('c', new Date(t0.getTime() + 114_000), 60_000)).toBe(true)
      dispose?.()
    })

    it('keeps the validators and body of each URL for conditional GETs', async () => {
      const { store, dispose } = make()
      expect(await store.cache.get('https://x.fr/a')).toBeUndefined()
      await store.cache.put('https://x.fr/a', { etag: '"1"', body: '{}', contentType: 'application/json', storedAt: '2026-03-01T01:00:00.000Z' })
      await store.cache.put('https://x.fr/a', { lastModified: 'Sat, 28 Feb 2026 08:00:00 GMT', body: '[]', storedAt: '2026-03-02T01:00:00.000Z' })
      expect(await store.cache.get('https://x.fr/a')).toEqual({ lastModified: 'Sat, 28 Feb 2026 08:00:00 GMT', body: '[]', storedAt: '2026-03-02T01:00:00.000Z' })
      dispose?.()
    })
  })
}
