// The Meilisearch adapter's exact HTTP exchanges, against a stand-in that answers as the
// Meilisearch API reference documents (test/helpers/fake-meilisearch.ts): what replaceAll sends
// and in which order (live index created and configured once, a temporary index filled in
// batches, swapped in, deleted), what a search sends and how the documented answer is read, a
// failed task, the count, the API key, and the hard rules' filter: its expression, read by the
// stand-in over the documents it holds, paged through `/documents/fetch`, sets aside exactly what
// the embedded index does (test/search/hard-filter.test.ts holds that one to the evaluator). The full contract suite runs against a real server when
// MEILI_HOST is set (test/search/meilisearch.test.ts).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { toSearchDocument } from '../../search/document.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { hardFilter, setAsideBy } from '../../search/hard-filter.ts'
import { createMeilisearchSearchIndex, hardFilterExpression, meilisearchSettings, SET_ASIDE_PAGE } from '../../search/meilisearch/meilisearch-search-index.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { generateVariants } from '../bench/variants.ts'
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

  it('setAside: the hard rules as one filter, paged through /documents/fetch, set aside what the embedded index does', async () => {
    const programmes = generateVariants(loadCuratedProgrammes(), 2300, 11).map((p, i) => (i % 7 === 0 ? { ...p, suspension: { from: '2026-02-01', ...(i % 2 ? { until: '2026-04-01' } : {}), note: 'suspendu' } } : p))
    const many = programmes.map((p) => toSearchDocument(p, '2026-03-01'))
    const index = createMeilisearchSearchIndex({ host: meili.host })
    const embedded = createEmbeddedSearchIndex()
    await Promise.all([index.replaceAll(many), embedded.replaceAll(many)])
    const bourges: CollectiviteProfile = { type: 'commune', name: 'Bourges', code: '18033', population: 64_000, zone: 'metro', departement: { code: '18', name: 'Cher' }, region: { code: '24', name: 'Centre-Val de Loire' } }
    const filter = hardFilter(bourges, {}, '2026-03-01')
    const before = meili.exchanges.length
    const aside = await index.setAside(filter)
    const fetches = meili.exchanges.slice(before).filter((e) => e.path !== '/tasks')
    const expression = hardFilterExpression(filter)
    expect(expression).toBe(
      '(NOT applicantTypes = "commune" AND NOT admittedAs = "commune:18033")' +
        ' OR territoryZones NOT IN ["*", "metro"] OR territoryRegions NOT IN ["*", "24"] OR territoryDepartements NOT IN ["*", "18"]' +
        ' OR populationBounds.commune_metro.min > 64000 OR populationBounds.commune_metro.atMost < 64000 OR populationBounds.commune_metro.below <= 64000' +
        [0, 1, 2].map((i) => ` OR (closed${i}.from <= 20513 AND closed${i}.until > 20513)`).join(''),
    )
    // One page of 1,000 after another until the total is read.
    const total = many.filter((d) => setAsideBy(d, filter)).length
    expect(total).toBeGreaterThan(SET_ASIDE_PAGE)
    expect(fetches.map((e) => [e.method, e.path, e.body])).toEqual(
      Array.from({ length: Math.ceil(total / SET_ASIDE_PAGE) }, (_, i) => ['POST', '/indexes/programmes/documents/fetch', { filter: expression, fields: ['id'], limit: SET_ASIDE_PAGE, offset: i * SET_ASIDE_PAGE }]),
    )
    expect(aside).toEqual(new Set(await embedded.setAside(filter)))
    // Other applicants, places, populations and days: the same sets.
    const filters = [
      hardFilter(undefined, {}, '2026-03-15'),
      hardFilter(undefined, { applicantType: 'association' }, '2025-06-01'),
      hardFilter({ ...bourges, population: 900, zone: 'drom', region: { code: '04', name: 'La Réunion' }, departement: { code: '974', name: 'La Réunion' } }, {}, '2027-01-10'),
      hardFilter(bourges, { applicantType: 'syndicat', applicantPopulation: 12_000 }, '2026-02-01'),
      hardFilter({ type: 'region', name: 'Centre-Val de Loire', code: '24', zone: 'metro', region: { code: '24', name: 'Centre-Val de Loire' } }, {}, '2026-03-01'),
    ]
    for (const f of filters) {
      const expected = new Set(await embedded.setAside(f))
      expect(expected).toEqual(new Set(many.filter((d) => setAsideBy(d, f)).map((d) => d.id)))
      expect(await index.setAside(f)).toEqual(expected)
    }
  })

  it('setAside before anything is indexed: nothing set aside', async () => {
    const index = createMeilisearchSearchIndex({ host: meili.host })
    expect(await index.setAside(hardFilter(undefined, { applicantType: 'commune' }, '2026-03-01'))).toEqual(new Set())
  })
})
