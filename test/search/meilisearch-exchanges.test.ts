// The Meilisearch adapter's exact HTTP exchanges, against a stand-in that answers as the
// Meilisearch API reference documents (test/helpers/fake-meilisearch.ts): what replaceAll sends
// and in which order (live index created and configured once, a temporary index filled in
// batches, swapped in, deleted), what a search sends and how the documented answer is read, a
// failed task, the count, the API key. The full contract suite runs against a real server when
// MEILI_HOST is set (test/search/meilisearch.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toSearchDocument } from '../../search/document.ts'
import { createMeilisearchSearchIndex, meilisearchSettings } from '../../search/meilisearch/meilisearch-search-index.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { startFakeMeilisearch, type FakeMeilisearch } from '../helpers/fake-meilisearch.ts'

const docs = loadCuratedProgrammes().slice(0, 3).map((p) => toSearchDocument(p, '2026-03-01'))
let meili: FakeMeilisearch
beforeEach(async () => {
  meili = await startFakeMeilisearch()
})
afterEach(() => meili.close())

describe('Meilisearch exchanges', () => {
  it('replaceAll: the live index created and configured once, a temporary one filled in batches, swapped in and deleted', async () => {
    const index = createMeilisearchSearchIndex({ host: meili.host, apiKey: 'cle-de-recherche', batchSize: 2 })
    await index.replaceAll(docs)
    const calls = meili.calls()
    const tmp = (meili.exchanges.filter((e) => e.method === 'POST' && e.path === '/indexes')[1]?.body as { uid: string } | undefined)?.uid ?? ''
    expect(tmp).toMatch(/^programmes_tmp_[0-9a-z]+$/)
    expect(calls).toEqual([
      'GET /indexes/programmes',
      'POST /indexes',
      'PATCH /indexes/programmes/settings',
      'POST /indexes',
      `PATCH /indexes/${tmp}/settings`,
      `POST /indexes/${tmp}/documents?primaryKey=id`,
      `POST /indexes/${tmp}/documents?primaryKey=id`,
      'POST /swap-indexes',
      `DELETE /indexes/${tmp}`,
    ])
    const sent = (path: string, method = 'POST') => meili.exchanges.filter((e) => e.method === method && e.path === path).map((e) => e.body)
    expect(sent('/indexes')).toEqual([{ uid: 'programmes', primaryKey: 'id' }, { uid: tmp, primaryKey: 'id' }])
    expect(sent('/indexes/programmes/settings', 'PATCH')).toEqual([meilisearchSettings()])
    expect((sent(`/indexes/${tmp}/documents`) as { id: string }[][]).map((batch) => batch.map((d) => d.id))).toEqual([[docs[0]!.id, docs[1]!.id], [docs[2]!.id]])
    expect(sent('/swap-indexes')).toEqual([[{ indexes: ['programmes', tmp], rename: false }]])
    // Every request carries the key as a bearer token; every task was waited for before the next
    // step (tasks 0-6), but the temporary index's deletion (task 7), which nothing waits on.
    expect(new Set(meili.exchanges.map((e) => e.authorization))).toEqual(new Set(['Bearer cle-de-recherche']))
    expect([...new Set(meili.exchanges.filter((e) => e.path.startsWith('/tasks/')).map((e) => e.path))]).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => `/tasks/${n}`))
    expect(await index.count()).toBe(3)

    // A second replaceAll: the live index is not looked up nor created again.
    const before = meili.calls().length
    await index.replaceAll(docs.slice(0, 1))
    expect(meili.calls().slice(before, before + 2)).toEqual(['POST /indexes', expect.stringMatching(/^PATCH \/indexes\/programmes_tmp_/)])
    expect(await index.count()).toBe(1)
  })

  it('search: sends the page, filters, facets and sort; reads hits, scores, the exact total and the facets', async () => {
    const index = createMeilisearchSearchIndex({ host: meili.host })
    await index.replaceAll(docs)
    meili.answerSearch({ hits: [{ id: 'detr', _rankingScore: 0.93 }, { id: 'dsil', _rankingScore: 0.71 }], totalHits: 27, facetDistribution: { level: { national: 20, regional: 7 } } })
    const result = await index.search({ q: 'rénovation de l\'école', filters: { level: ['national', 'regional'], themes: ['ecoles'] }, facets: ['level'], sort: 'deadline', limit: 10, offset: 10 })
    expect(meili.exchanges.at(-1)).toMatchObject({
      method: 'POST',
      path: '/indexes/programmes/search',
      body: { q: 'rénovation de l\'école', page: 2, hitsPerPage: 10, attributesToRetrieve: ['id'], showRankingScore: true, filter: ['level IN ["national", "regional"]', 'themes IN ["ecoles"]'], facets: ['level'], sort: ['nextDeadline:asc'] },
    })
    expect(result).toEqual({ hits: [{ id: 'detr', score: 0.93 }, { id: 'dsil', score: 0.71 }], total: 27, facets: { level: { national: 20, regional: 7 } } })
  })

  it('search before anything is indexed: the documented index_not_found reads as no result', async () => {
    const index = createMeilisearchSearchIndex({ host: meili.host })
    expect(await index.search({ q: 'fibre', facets: ['level'] })).toEqual({ hits: [], total: 0, facets: { level: {} } })
    expect(await index.count()).toBe(0)
  })

  it('a failed task stops replaceAll with its documented error, and the temporary index is deleted', async () => {
    const index = createMeilisearchSearchIndex({ host: meili.host })
    await index.replaceAll(docs)
    meili.failNext('documentAdditionOrUpdate', { message: 'The primary key inference failed.', code: 'index_primary_key_no_candidate_found', type: 'invalid_request', link: 'https://docs.meilisearch.com/errors#index_primary_key_no_candidate_found' })
    await expect(index.replaceAll(docs)).rejects.toThrow(/^Meilisearch task \d+ \(documentAdditionOrUpdate\) failed: The primary key inference failed\.$/)
    const calls = meili.calls()
    expect(calls.at(-1)).toMatch(/^DELETE \/indexes\/programmes_tmp_/)
    expect(calls.filter((c) => c === 'POST /swap-indexes')).toHaveLength(1) // the first run's only
    // The live index still holds the first run's documents.
    expect(await index.count()).toBe(3)
  })
})
