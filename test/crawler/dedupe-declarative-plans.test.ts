// Dedupe helpers, the declarative page sources and the fetch plans' pagination (pure functions
// of a payload: nothing here touches the network).
import { describe, expect, it } from 'vitest'
import { ContentError } from '../../core/errors.ts'
import { canonicalUrl, dedupeKey, mergeDuplicates, normalizeFunder, normalizeTitle } from '../../crawler/dedupe.ts'
import { createDeclarativeSource, parseDeclarativeSource } from '../../crawler/declarative/parse.ts'
import { parse as parseFicol } from '../../crawler/sources/afd-ficol/parse.ts'
import { SOURCES, findSource } from '../../crawler/sources/index.ts'
import { buildProgramme } from '../builders/programme.ts'
import { ctx, handWritten, recorded, examplePage } from './helpers.ts'

describe('dedupe', () => {
  it('canonicalises URLs: host case, tracking parameters, trailing slash, fragment, scheme', () => {
    expect(canonicalUrl('https://WWW.AFD.fr/fr/ficol/?utm_source=x&b=2&a=1#haut')).toBe('afd.fr/fr/ficol?a=1&b=2')
    expect(canonicalUrl('http://www.afd.fr/fr/ficol')).toBe(canonicalUrl('https://afd.fr/fr/ficol/'))
    expect(canonicalUrl('https: //www.afd.fr/fr/ficol?fbclid=abc')).toBe('afd.fr/fr/ficol')
  })

  it('normalises titles and funders into a key with the deadline', () => {
    expect(normalizeTitle('L’Appel à projets « Vélo » 2024 !')).toBe('appel projets velo 2024')
    expect(normalizeFunder('Agence française de développement (AFD)')).toBe('afd')
    expect(normalizeFunder('AFD')).toBe('afd')
    const p = buildProgramme({ name: 'FICOL 2024', funders: ['AFD'], calendar: { kind: 'oneOff', editions: [{ deadlines: ['2024-09-13'] }] } })
    expect(dedupeKey(p)).toBe('ficol 2024|afd|2024-09-13')
  })

  it('merges the same call seen by two sources, keeps the richest and every provenance', () => {
    const oc = parseFicol(handWritten('ficol-2024-page.html'), ctx('https://www.oc-cooperation.org/appel-projet/ficol-2024/')).records[0]!
    const relay = { ...oc, id: 'aides-territoires-ficol-2024', aid: {}, funders: ['AFD'], links: { official: 'https://www.oc-cooperation.org/appel-projet/ficol-2024/?utm_campaign=relais' }, provenance: { kind: 'crawled' as const, sourceId: 'aides-territoires', originUrl: 'https://aides-territoires.beta.gouv.fr/aides/ficol-2024/', fetchedAt: oc.provenance.kind === 'crawled' ? oc.provenance.fetchedAt : '' } }
    const other = buildProgramme({ id: 'autre', name: 'Autre chose' })
    const merged = mergeDuplicates([relay, other, oc])
    expect(merged).toHaveLength(2)
    expect(merged[0]!.programme.id).toBe('afd-ficol-2024')
    expect(merged[0]!.duplicates).toEqual([{ sourceId: 'aides-territoires', originUrl: 'https://aides-territoires.beta.gouv.fr/aides/ficol-2024/' }])
    expect(merged[1]).toEqual({ programme: other, duplicates: [] })
  })
})

describe('declarative page sources', () => {
  const config = parseDeclarativeSource('example-page.yaml', handWritten('example-page.yaml'))
  const source = createDeclarativeSource(config)

  it('validates the YAML and builds a plan with no code', () => {
    expect(config).toMatchObject({ id: 'example-page', level: 'departemental', item: 'article.aide', politenessMs: 5000 })
    expect(source.plan.start).toEqual([{ url: 'https://www.departement-exemple.fr/aides/', method: 'GET', headers: { accept: 'text/html' }, kind: 'list' }])
  })

  it('reads each item with the selectors, reports the broken ones', () => {
    const { records, errors } = source.parse(examplePage(), ctx('https://www.departement-exemple.fr/aides/'))
    expect(records.map((r) => r.id)).toEqual(['example-page-renovation-ecoles', 'example-page-voirie-rurale'])
    const ecoles = records[0]!
    expect(ecoles).toMatchObject({
      name: 'Rénovation énergétique des écoles',
      funders: ['Département exemple'],
      themes: ['renovation_energetique', 'ecoles'],
      aid: { rateMax: 50, amountMax: 100_000 },
      calendar: { kind: 'oneOff', editions: [{ deadlines: ['2026-10-15'], estimated: false }] },
      eligibility: { applicants: ['commune', 'epci', 'petr'], territory: { label: 'Drôme', departements: ['26'] } },
    })
    expect(ecoles.links.official).toBe('https://www.departement-exemple.fr/aides/renovation-ecoles/?utm_source=newsletter')
    expect(errors).toEqual([
      { source: 'example-page', recordId: '/aides/voirie-rurale/', programmeId: 'example-page-voirie-rurale', field: 'deadline', message: 'date impossible: 31/13/2026', raw: '31/13/2026' },
      { source: 'example-page', recordId: '#3', field: 'name', message: expect.stringContaining('nom absent'), raw: null },
    ])
  })

  it('refuses a config that breaks the schema, naming the field', () => {
    expect(() => parseDeclarativeSource('bad.yaml', 'id: Bad Id\nlabel: x\nurl: ftp://x\nfunders: []\nlevel: regional\nfields: {}\n')).toThrow(ContentError)
    try {
      parseDeclarativeSource('bad.yaml', 'id: ok\nlabel: x\nurl: https://x.fr\nfunders: [X]\nlevel: regional\nfields: { name: h2, colour: red }\n')
    } catch (err) {
      expect((err as ContentError).issues).toEqual([{ field: 'fields.colour', message: expect.stringContaining('champ inconnu') }])
    }
  })
})

describe('fetch plans', () => {
  it('every source has a plan named after it, env var names for credentials, never values', () => {
    for (const s of SOURCES) {
      expect(s.plan.sourceId).toBe(s.id)
      expect(s.plan.start.length).toBeGreaterThan(0)
      if (s.plan.auth.kind === 'headers') for (const v of Object.values(s.plan.auth.headers)) expect(v).toMatch(/^[A-Z][A-Z0-9_]+$/)
    }
    expect(findSource('aides-territoires')!.plan.auth).toMatchObject({ kind: 'token-exchange', keyHeader: 'X-AUTH-TOKEN', keyEnv: 'AT_API_TOKEN' })
  })

  it('Aides-territoires follows `next` until null', () => {
    const { plan } = findSource('aides-territoires')!
    const first = plan.start[0]!
    const next = plan.next!(JSON.stringify({ count: 250, next: 'https://aides-territoires.beta.gouv.fr/api/aids/?page=2', previous: null, results: [] }), first)
    expect(next).toMatchObject({ url: 'https://aides-territoires.beta.gouv.fr/api/aids/?page=2', method: 'GET' })
    expect(plan.next!(recorded('fr-regional-and-national-feeds/departement-drome-aides-api.json'), first)).toBeNull()
    expect(plan.next!('<html>', first)).toBeNull()
  })

  it('SEDIA posts multipart JSON parts and pages by pageNumber until totalResults', () => {
    const { plan } = findSource('eu-sedia')!
    const first = plan.start[0]!
    const body = first.body!()
    expect(body.kind).toBe('multipart')
    expect(body.kind === 'multipart' && body.parts.map((p) => [p.name, p.contentType])).toEqual([['query', 'application/json'], ['languages', 'application/json'], ['sort', 'application/json']])
    const page1 = JSON.stringify({ totalResults: 120, pageNumber: 1, pageSize: 50, results: [{}] })
    expect(new URL(plan.next!(page1, first)!.url).searchParams.get('pageNumber')).toBe('2')
    expect(plan.next!(JSON.stringify({ totalResults: 120, pageNumber: 3, pageSize: 50, results: [{}] }), first)).toBeNull()
    expect(plan.next!(recorded('eu-funding-tenders-sedia/sedia-search-response-horizon-forthcoming-open.json'), first)).toBeNull()
  })

  it('Culture pages with limit/offset until count', () => {
    const { plan } = findSource('culture')!
    const first = plan.start[0]!
    const next = plan.next!(JSON.stringify({ count: 45, results: new Array(20).fill({}) }), first)!
    expect(new URL(next.url).searchParams.get('offset')).toBe('20')
    expect(plan.next!(JSON.stringify({ count: 45, results: new Array(5).fill({}) }), { ...first, url: next.url.replace('offset=20', 'offset=40') })).toBeNull()
  })

  it('Nouvelle-Aquitaine follows each RSS item to its fiche page', () => {
    const { plan } = findSource('nouvelle-aquitaine')!
    expect(plan.follow!(recorded('fr-regional-and-national-feeds/nouvelle-aquitaine-rss-fiches-item.xml'), plan.start[0]!)).toEqual([
      { url: 'https://les-aides.nouvelle-aquitaine.fr/amenagement-du-territoire/developpement-dune-offre-locative-destination-des-jeunes-agriculteurs', method: 'GET', headers: { accept: 'text/html' }, kind: 'detail' },
    ])
  })
})
