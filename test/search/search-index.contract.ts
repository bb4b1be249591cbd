// The SearchIndex contract: what every implementation (embedded, Meilisearch) must do, in the
// words of the mayors who search. Run by test/search/embedded.test.ts always and by
// test/search/meilisearch.test.ts when MEILI_HOST is set.
import { beforeAll, describe, expect, it } from 'vitest'
import type { ThemeId } from '../../core/themes.ts'
import type { FacetName, SearchDocument, SearchFilters, SearchIndex, SearchQuery, SearchResult } from '../../search/search-index.ts'
import { FACETS } from '../../search/search-index.ts'
import { hardFilter, setAsideBy } from '../../search/hard-filter.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { countFacets, HAND_BUILT, matchesFilters, searchFixture } from './search-fixture.ts'

export function runSearchIndexContract(name: string, makeIndex: () => Promise<SearchIndex>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    const docs = searchFixture()
    const byId = new Map(docs.map((d) => [d.id, d]))
    const withTheme = (theme: ThemeId) => docs.filter((d) => d.themes.includes(theme)).map((d) => d.id)
    const ids = (r: SearchResult) => r.hits.map((h) => h.id)
    const themesOf = (id: string) => byId.get(id)?.themes ?? []
    let index: SearchIndex
    const search = (q: SearchQuery) => index.search({ limit: 200, ...q })

    beforeAll(async () => {
      index = await makeIndex()
      await index.replaceAll(docs)
    })

    it('runs on real curated programmes as well as hand-built ones', async () => {
      expect(docs.length - HAND_BUILT.length).toBeGreaterThanOrEqual(3)
      expect(await index.count()).toBe(docs.length)
    })

    describe('French text', () => {
      it('« éclairage LED » finds the public lighting programmes, lighting first', async () => {
        const r = await search({ q: 'éclairage LED' })
        expect(themesOf(r.hits[0]!.id)).toContain('eclairage_public')
        expect(ids(r)).toEqual(expect.arrayContaining(withTheme('eclairage_public')))
        expect(ids(r)).toContain('fixture_eclairage_led')
      })

      it('« fibre » finds the très haut débit programmes, even one that never says fibre', async () => {
        const r = await search({ q: 'fibre' })
        expect(ids(r)).toContain('fixture_zones_activite')
        expect(ids(r)).toEqual(expect.arrayContaining(withTheme('tres_haut_debit')))
      })

      it.each(['ecole', 'école', 'écoles', 'Ecoles'])('« %s » finds the school programmes, accents and plural aside', async (q) => {
        const r = await search({ q })
        expect(themesOf(r.hits[0]!.id)).toContain('ecoles')
        expect(ids(r)).toEqual(expect.arrayContaining(withTheme('ecoles')))
      })

      it('a typo is forgiven: « renovation energetiqe »', async () => {
        const r = await search({ q: 'renovation energetiqe' })
        expect(r.total).toBeGreaterThan(0)
        expect(themesOf(r.hits[0]!.id)).toContain('renovation_energetique')
        expect(ids(r)).toContain('fixture_ecoles_rurales')
      })

      it('the last word is a prefix while it is being typed: « rénov »', async () => {
        const r = await search({ q: 'rénov' })
        expect(ids(r)).toContain('fixture_ecoles_rurales')
      })

      it('stop words do not matter', async () => {
        const withStopWords = await search({ q: 'rénovation énergétique des écoles' })
        const without = await search({ q: 'rénovation énergétique écoles' })
        expect(withStopWords.total).toBe(without.total)
        expect(ids(withStopWords).sort()).toEqual(ids(without).sort())
        // Nothing but stop words: like an empty query.
        expect((await search({ q: 'de la' })).total).toBe(docs.length)
      })

      it.each([
        ['tiers-lieu', 'fixture_coworking'],
        ['vidéoprotection', 'fixture_videoprotection'],
        ['com com', 'fixture_ingenierie_epci'],
        ['intercommunalité', 'fixture_ingenierie_epci'],
        ['lampadaires', 'fixture_eclairage_led'],
      ])('synonyms: « %s » finds %s', async (q, id) => {
        expect(ids(await search({ q }))).toContain(id)
      })

      it('scores: 0 without a query, decreasing down a relevance list', async () => {
        const all = await search({})
        expect(all.hits.every((h) => h.score === 0)).toBe(true)
        const r = await search({ q: 'rénovation énergétique' })
        expect(r.hits[0]!.score).toBeGreaterThan(0)
        r.hits.slice(1).forEach((h, i) => expect(h.score).toBeLessThanOrEqual(r.hits[i]!.score))
      })
    })

    describe('filters and facets', () => {
      it.each<[string, SearchFilters]>([
        ['level', { level: ['departemental'] }],
        ['themes, any of', { themes: ['eclairage_public', 'securite'] }],
        ['applicant types', { applicantTypes: ['epci'] }],
        ['status', { status: ['open', 'forthcoming'] }],
        ['funders', { funders: ['Conseil départemental du Cantal'] }],
        ['ids', { ids: ['fixture_cantines', 'fixture_coworking', 'no_such_programme'] }],
        ['level and applicant types together', { level: ['regional', 'departemental'], applicantTypes: ['commune'] }],
        ['themes and status together', { themes: ['ecoles'], status: ['open'] }],
      ])('an empty query with a filter on %s returns every document it keeps', async (_label, filters) => {
        const expected = docs.filter((d) => matchesFilters(d, filters)).map((d) => d.id)
        expect(expected.length).toBeGreaterThan(0)
        const r = await search({ filters })
        expect(r.total).toBe(expected.length)
        expect(ids(r).sort()).toEqual(expected.sort())
      })

      it('an empty list in a filter keeps nothing', async () => {
        expect((await search({ filters: { level: [] } })).total).toBe(0)
        expect((await search({ filters: { ids: [] } })).total).toBe(0)
      })

      it('filters apply to text queries too', async () => {
        const filters: SearchFilters = { level: ['departemental'], applicantTypes: ['commune'] }
        const r = await search({ q: 'rénovation', filters })
        expect(r.total).toBeGreaterThan(0)
        for (const id of ids(r)) expect(matchesFilters(byId.get(id)!, filters)).toBe(true)
      })

      it('facet counts are those of the filtered documents', async () => {
        const filters: SearchFilters = { status: ['open', 'permanent', 'recurring'] }
        const facets: FacetName[] = [...FACETS]
        const r = await search({ filters, facets })
        expect(r.facets).toEqual(countFacets(docs.filter((d) => matchesFilters(d, filters)), facets))
      })

      it('facet counts follow the text query', async () => {
        const facets: FacetName[] = ['themes', 'level', 'status']
        const r = await search({ q: 'école', facets })
        expect(r.total).toBe(r.hits.length)
        expect(r.facets).toEqual(countFacets(ids(r).map((id) => byId.get(id)!), facets))
      })

      it('no facets asked, none given', async () => {
        expect((await search({ q: 'école' })).facets).toEqual({})
      })
    })

    describe('sorting and paging', () => {
      const expectDeadlineOrder = (r: SearchResult) => {
        const deadlines = ids(r).map((id) => byId.get(id)!.nextDeadline)
        const known = deadlines.filter((d): d is number => d !== null)
        // Known deadlines first, soonest first; then the documents without one.
        expect(deadlines.slice(0, known.length)).toEqual([...known].sort((a, b) => a - b))
        expect(deadlines.slice(known.length).every((d) => d === null)).toBe(true)
        return known
      }

      it('sort by deadline: soonest first, documents without a deadline last', async () => {
        const r = await search({ sort: 'deadline' })
        const known = expectDeadlineOrder(r)
        expect(known.length).toBe(docs.filter((d) => d.nextDeadline !== null).length)
        const soonest = docs.filter((d) => d.nextDeadline !== null).sort((a, b) => a.nextDeadline! - b.nextDeadline!)[0]!
        expect(r.hits[0]!.id).toBe(soonest.id)
      })

      it('sort by deadline within a text query', async () => {
        const r = await search({ q: 'rénovation', sort: 'deadline' })
        expect(r.total).toBeGreaterThan(1)
        expect(expectDeadlineOrder(r).length).toBeGreaterThan(0)
      })

      it('limit and offset page through the same order', async () => {
        const six = await search({ limit: 6 })
        const first = await search({ limit: 3 })
        const second = await search({ limit: 3, offset: 3 })
        expect([...ids(first), ...ids(second)]).toEqual(ids(six))
        for (const r of [six, first, second]) expect(r.total).toBe(docs.length)
        const past = await search({ limit: 5, offset: docs.length + 10 })
        expect(past.hits).toEqual([])
        expect(past.total).toBe(docs.length)
      })

      it('limit 0 still counts and facets', async () => {
        const r = await search({ limit: 0, facets: ['level'] })
        expect(r.hits).toEqual([])
        expect(r.total).toBe(docs.length)
        expect(r.facets.level).toEqual(countFacets(docs, ['level']).level)
      })
    })

    describe('hard rules', () => {
      const nevers: CollectiviteProfile = { type: 'commune', name: 'Nevers', code: '58194', population: 33_000, zone: 'metro', departement: { code: '58', name: 'Nièvre' }, region: { code: '27', name: 'Bourgogne-Franche-Comté' } }
      const cases = [
        hardFilter(undefined, {}, '2026-03-01'),
        hardFilter(undefined, { applicantType: 'epci' }, '2026-03-01'),
        hardFilter(nevers, {}, '2026-03-01'),
        hardFilter({ ...nevers, code: '58001', population: 1_500 }, {}, '2026-07-01'),
        hardFilter(nevers, { applicantType: 'syndicat', applicantPopulation: 5_000 }, '2027-01-15'),
        hardFilter({ type: 'region', name: 'La Réunion', code: '04', zone: 'drom', region: { code: '04', name: 'La Réunion' } }, {}, '2025-01-01'),
      ]

      it('setAside gives the documents the filter sets aside, whatever their text', async () => {
        for (const f of cases) expect([...(await index.setAside(f))].sort()).toEqual(docs.filter((d) => setAsideBy(d, f)).map((d) => d.id).sort())
      })

      it('a commune admitted by name, a population bound and a closed span each decide', async () => {
        // fixture_eclairage_led: communes only, the Nièvre, under 2,000 inhabitants, closed from June to August 2026.
        const led = 'fixture_eclairage_led'
        expect((await index.setAside(cases[3]!)).has(led)).toBe(true) // closed in July
        expect((await index.setAside(hardFilter({ ...nevers, code: '58001', population: 1_500 }, {}, '2026-03-01'))).has(led)).toBe(false)
        expect((await index.setAside(cases[2]!)).has(led)).toBe(true) // 33,000 inhabitants
        expect((await index.setAside(cases[1]!)).has(led)).toBe(true) // an EPCI
        expect((await index.setAside(hardFilter({ type: 'epci', name: 'Nevers Agglomération', code: '200090579', zone: 'metro', departement: { code: '58', name: 'Nièvre' } }, {}, '2026-03-01'))).has(led)).toBe(false) // named
      })
    })

    describe('writes', () => {
      const fresh = async () => {
        const own = await makeIndex()
        await own.replaceAll(docs)
        return own
      }
      const pool = (n: number): SearchDocument[] =>
        Array.from({ length: n }, (_, i) => {
          const base = docs[i % docs.length]!
          return { ...base, id: `${base.id}_v${i}` }
        })

      it('upsert adds or replaces, remove removes, count follows', async () => {
        const own = await fresh()
        const piscine = { ...HAND_BUILT[0]!, id: 'fixture_piscine', name: 'Mise aux normes des piscines intercommunales', summary: 'Travaux sur les bassins de natation.', themes: ['sport'] as ThemeId[], themeLabels: ['Équipements sportifs'], nextDeadline: null }
        await own.upsert([piscine])
        expect(await own.count()).toBe(docs.length + 1)
        expect(ids(await own.search({ q: 'piscines' }))).toContain('fixture_piscine')

        await own.upsert([{ ...piscine, name: 'Mise aux normes des gymnases', summary: 'Travaux dans les salles de sport.' }])
        expect(await own.count()).toBe(docs.length + 1)
        expect(ids(await own.search({ q: 'bassins natation' }))).not.toContain('fixture_piscine')
        expect(ids(await own.search({ q: 'gymnases' }))).toContain('fixture_piscine')

        await own.remove(['fixture_piscine', 'never_indexed'])
        expect(await own.count()).toBe(docs.length)
        expect(ids(await own.search({ q: 'gymnases' }))).not.toContain('fixture_piscine')
      })

      it('replaceAll swaps the whole set', async () => {
        const own = await fresh()
        const kept = docs.slice(0, 3)
        await own.replaceAll(kept)
        expect(await own.count()).toBe(3)
        expect(ids(await own.search({ limit: 50 })).sort()).toEqual(kept.map((d) => d.id).sort())
      })

      it('a failed replaceAll leaves the old documents in place', async () => {
        const own = await fresh()
        const broken = [{ ...docs[0]!, name: 'Nouveau nom' }, { ...docs[1]!, id: 'pas un identifiant !' }]
        await expect(own.replaceAll(broken)).rejects.toThrow()
        expect(await own.count()).toBe(docs.length)
        const r = await own.search({ filters: { ids: [docs[0]!.id] } })
        expect(ids(r)).toEqual([docs[0]!.id])
        expect(ids(await own.search({ q: 'rénovation énergétique' }))).toContain('fixture_ecoles_rurales')
      })

      it('searches during replaceAll see the old set or the new one, never half of it', async () => {
        const own = await fresh()
        const next = pool(1500)
        let settled = false
        const pending = own.replaceAll(next).finally(() => {
          settled = true
        })
        const seen: number[] = []
        do {
          seen.push((await own.search({ limit: 0 })).total)
          // Let timers run between searches, as between two requests to a server.
          await new Promise((resolve) => setTimeout(resolve, 1))
        } while (!settled)
        await pending
        expect(seen[0]).toBe(docs.length)
        for (const total of seen) expect([docs.length, next.length]).toContain(total)
        expect((await own.search({ limit: 0 })).total).toBe(next.length)
        expect(await own.count()).toBe(next.length)
      })
    })
  })
}
