// The SearchIndex contract on the embedded index, plus what only the embedded index promises.
import { describe, expect, it } from 'vitest'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { planQuery } from '../../search/embedded/query-plan.ts'
import { analyseFrench, frenchWords } from '../../search/french.ts'
import { runSearchIndexContract } from './search-index.contract.ts'
import { searchFixture } from './search-fixture.ts'

runSearchIndexContract('embedded', async () => createEmbeddedSearchIndex())

describe('French analysis', () => {
  it('folds case and accents, drops elisions and stop words, stems', () => {
    expect(frenchWords("L'École d’Aujourd'hui, jusqu'au lycée")).toEqual(['ecole', 'aujourd', 'hui', 'au', 'lycee'])
    expect(analyseFrench('Je cherche des aides pour la rénovation énergétique de l’école').map((t) => t.stem)).toEqual(['aid', 'renov', 'energet', 'ecol'])
    expect(analyseFrench('écoles')[0]!.stem).toBe(analyseFrench('ecole')[0]!.stem)
    expect(analyseFrench('Cœur de ville')[0]!.word).toBe('coeur')
  })

  it('keeps « est » and « eu », which name places and the EU', () => {
    expect(analyseFrench('Grand Est').map((t) => t.word)).toEqual(['grand', 'est'])
  })

  it('plans synonyms as groups, multi-word ones as phrases, and the last word as a prefix', () => {
    const [thd] = planQuery('très haut débit')
    expect(thd!.length).toBeGreaterThan(2)
    expect(thd![0]!.tokens.map((t) => t.word)).toEqual(['tres', 'haut', 'debit'])
    expect(thd!.some((alt) => alt.tokens.length === 1 && alt.tokens[0]!.word === 'fibre')).toBe(true)
    expect(planQuery('renov')[0]![0]!.tokens[0]!.prefix).toBe(true)
    expect(planQuery('renov ')[0]![0]!.tokens[0]!.prefix).toBe(false)
  })
})

describe('embedded index', () => {
  it('at 5,000 documents, facet counts add up to the filtered total (speed: npm run bench, search/embedded/ENGINE.md)', async () => {
    const docs = searchFixture()
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...docs[i % docs.length]!, id: `p${i}` }))
    const index = createEmbeddedSearchIndex()
    await index.replaceAll(many)
    expect(await index.count()).toBe(5000)
    const all = await index.search({ q: '', filters: { level: ['national', 'regional'] }, facets: ['level'] })
    const perLevel = Object.values(all.facets.level ?? {}).reduce((a, b) => a + b, 0)
    expect(perLevel).toBe(all.total)
    expect(all.total).toBe(many.filter((d) => d.level === 'national' || d.level === 'regional').length)
  })

  it('stays correct after many upserts (the index compacts itself)', async () => {
    const docs = searchFixture()
    const index = createEmbeddedSearchIndex({ compactRatio: 0.1 })
    await index.replaceAll(docs)
    for (let round = 0; round < 30; round++) await index.upsert(docs.map((d) => ({ ...d, name: `${d.name} (${round})` })))
    expect(await index.count()).toBe(docs.length)
    const r = await index.search({ q: 'éclairage', limit: 100 })
    expect(new Set(r.hits.map((h) => h.id)).size).toBe(r.hits.length)
    expect(r.hits.map((h) => h.id)).toContain('fixture_eclairage_led')
  })
})
