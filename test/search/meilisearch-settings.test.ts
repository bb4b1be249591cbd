// What the Meilisearch adapter sends, checked without a server (the contract run needs one:
// test/search/meilisearch.test.ts).
import { describe, expect, it } from 'vitest'
import { createMeilisearchSearchIndex, meilisearchSettings, quoteFilterValue, toMeilisearchFilter } from '../../search/meilisearch/meilisearch-search-index.ts'

describe('Meilisearch settings and filters', () => {
  it('quotes filter values, quotes and backslashes included', () => {
    expect(quoteFilterValue('État (préfecture)')).toBe('"État (préfecture)"')
    expect(quoteFilterValue('a "b" \\ c')).toBe('"a \\"b\\" \\\\ c"')
    expect(toMeilisearchFilter({ level: ['eu', 'national'], ids: ['detr'] })).toEqual(['level IN ["eu", "national"]', 'id IN ["detr"]'])
  })

  it('ranks by sort first, searches fields in boost order', () => {
    const s = meilisearchSettings()
    expect(s.rankingRules![0]).toBe('sort')
    expect(s.searchableAttributes).toEqual(['name', 'shortName', 'themeLabels', 'keywords', 'summary', 'funders'])
    expect(s.synonyms!['thd']).toContain('fibre')
  })

  it('filters on the hard rules: who may apply, where, the population bounds and the closed spans', () => {
    expect(meilisearchSettings().filterableAttributes).toEqual(['id', 'level', 'themes', 'applicantTypes', 'status', 'funders', 'admittedAs', 'territoryZones', 'territoryRegions', 'territoryDepartements', 'populationBounds', 'closed0', 'closed1', 'closed2'])
  })
})

describe('Meilisearch index without a server', () => {
  it('answers an empty filter list without asking the server', async () => {
    const index = createMeilisearchSearchIndex({ host: 'http://127.0.0.1:9', requestTimeoutMs: 200 })
    expect(index.kind).toBe('meilisearch')
    expect(await index.search({ q: 'école', filters: { themes: [] }, facets: ['level'] })).toEqual({ hits: [], total: 0, facets: { level: {} } })
  })

  it('refuses a bad document before reaching the server', async () => {
    const index = createMeilisearchSearchIndex({ host: 'http://127.0.0.1:9', requestTimeoutMs: 200 })
    await expect(index.upsert([{ id: 'pas un id !' } as never])).rejects.toThrow(/docs\.0/)
  })
})
