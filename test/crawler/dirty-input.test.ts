// Deliberately broken payloads, built from the recorded ones: a dirty field never stops a parse.
// It is repaired when safe, otherwise reported with source, field and raw value, and the other
// records go on; only a payload that is not of the expected shape at all throws ParseError.
import { describe, expect, it } from 'vitest'
import { ParseError } from '../../core/errors.ts'
import { parse as parseAdeme } from '../../crawler/sources/ademe-agir/parse.ts'
import { parse as parseFicol } from '../../crawler/sources/afd-ficol/parse.ts'
import { parse as parseAt } from '../../crawler/sources/aides-territoires/parse.ts'
import { parse as parseSedia, topicBudget } from '../../crawler/sources/eu-sedia/parse.ts'
import { parse as parseNa } from '../../crawler/sources/nouvelle-aquitaine/parse.ts'
import { parse as parseWe } from '../../crawler/sources/welcome-europe/parse.ts'
import { SOURCES } from '../../crawler/sources/index.ts'
import { createCollector } from '../../crawler/normalize/record.ts'
import { ctx, recorded } from './helpers.ts'

const AT_URL = 'https://aides-territoires.beta.gouv.fr/api/aids/'

function drome(): { count: number; next: null; previous: null; results: Record<string, unknown>[] } {
  return JSON.parse(recorded('fr-regional-and-national-feeds/departement-drome-aides-api.json'))
}

function sedia(): { results: { metadata: Record<string, string[]> }[] } {
  return JSON.parse(recorded('eu-funding-tenders-sedia/sedia-search-response-horizon-forthcoming-open.json'))
}

describe('Aides-territoires list with dirty records', () => {
  it('repairs what is safe: spaced ISO dates, "https: //" URLs, entities, relative AT urls', () => {
    const data = drome()
    Object.assign(data.results[0]!, {
      slug: 'alimentation-de-proximite',
      url: '/aides/alimentation-de-proximite/',
      name: 'Alimentation de proximit&eacute; &amp; circuits courts',
      origin_url: 'https: //collectivites.ladrome.fr/service/alimentation/',
      recurrence: 'Ponctuelle',
      start_date: '2024-01-15',
      submission_deadline: '2024-06-30T23: 59: 00+02: 00',
      subvention_rate_lower_bound: 20,
      subvention_rate_upper_bound: 80,
    })
    const { records, errors } = parseAt(JSON.stringify(data), ctx(AT_URL))
    expect(errors).toEqual([])
    const r = records.find((x) => x.id === 'aides-territoires-alimentation-de-proximite')!
    expect(r.name).toBe('Alimentation de proximité & circuits courts')
    expect(r.links.official).toBe('https://collectivites.ladrome.fr/service/alimentation/')
    expect(r.provenance).toMatchObject({ originUrl: 'https://aides-territoires.beta.gouv.fr/aides/alimentation-de-proximite/' })
    expect(r.calendar).toEqual({ kind: 'oneOff', editions: [{ opensAt: '2024-01-15', deadlines: ['2024-06-30'], estimated: false }] })
    expect(r.aid).toMatchObject({ rateMin: 20, rateMax: 80 })
  })

  it('reports what is not, names source, record, field and raw value, and keeps the other records', () => {
    const data = drome()
    Object.assign(data.results[0]!, { submission_deadline: '2024-02-31', recurrence: 'Ponctuelle', subvention_rate_lower_bound: 'beaucoup' })
    Object.assign(data.results[1]!, { name: null, name_initial: null })
    Object.assign(data.results[2]!, { origin_url: 'nulle part', application_url: null, targeted_audiences: null })
    data.results.push('pas un objet' as unknown as Record<string, unknown>)
    const { records, errors } = parseAt(JSON.stringify(data), ctx(AT_URL))

    expect(records.map((r) => r.id)).toEqual(['aides-territoires-162'])
    expect(records[0]!.calendar.editions).toEqual([])
    expect(records[0]!.uncertain).toContainEqual({ field: 'calendar', note: expect.stringContaining('2024-02-31') })
    expect(errors).toEqual(
      expect.arrayContaining([
        { source: 'aides-territoires', recordId: '162', programmeId: 'aides-territoires-162', field: 'submission_deadline', message: expect.stringContaining('date impossible'), raw: '2024-02-31' },
        { source: 'aides-territoires', recordId: '162', programmeId: 'aides-territoires-162', field: 'subvention_rate_lower_bound', message: expect.any(String), raw: 'beaucoup' },
        { source: 'aides-territoires', recordId: '338', field: 'name', message: expect.stringContaining('nom absent'), raw: null },
        { source: 'aides-territoires', recordId: '650', field: 'origin_url', message: expect.stringContaining('URL illisible'), raw: 'nulle part' },
        { source: 'aides-territoires', recordId: '650', field: 'links.official', message: expect.stringContaining('fiche ignorée'), raw: null },
        { source: 'aides-territoires', recordId: '#4', field: '(fiche)', message: expect.any(String), raw: 'pas un objet' },
      ]),
    )
  })

  it('gives a record with no audiences the collectivité types and a condition to check', () => {
    const data = drome()
    data.results[0]!.targeted_audiences = null
    const r = parseAt(JSON.stringify(data), ctx(AT_URL)).records[0]!
    expect(r.eligibility.applicants).toEqual(['commune', 'epci', 'departement', 'region'])
    expect(r.eligibility.conditions).toContain('Publics éligibles non précisés par la source : à vérifier')
  })

  it('turns a schema failure into a RecordError naming the field', () => {
    const data = drome()
    Object.assign(data.results[0]!, { recurrence: 'Ponctuelle', start_date: '2024-09-01', submission_deadline: '2024-06-30', predeposit_date: '2024-12-01' })
    const { records, errors } = parseAt(JSON.stringify(data), ctx(AT_URL))
    // predeposit after the deadline is kept in order; opening after the first deadline is dropped as uncertain.
    const r = records.find((x) => x.id === 'aides-territoires-162')!
    expect(r.calendar.editions[0]).toEqual({ deadlines: ['2024-06-30', '2024-12-01'], estimated: false })
    expect(r.uncertain).toContainEqual({ field: 'calendar', note: expect.stringContaining('postérieure') })
    expect(errors).toEqual([])

    // The last safety net: whatever a source maps, ProgrammeSchema decides, field by field.
    const c = createCollector('aides-territoires', ctx(AT_URL))
    const kept = c.finish({
      recordId: '999',
      idPart: '999',
      name: 'Aide de test',
      funders: ['Région test'],
      level: 'planetaire' as never,
      instruments: ['grant'],
      themes: ['sport'],
      applicants: ['commune'],
      aid: { rateMin: 140 },
      calendar: { kind: 'permanent', editions: [] },
      officialUrl: 'https://example.org/aide',
    })
    expect(kept).toBeUndefined()
    expect(c.result().records).toEqual([])
    expect(c.result().errors).toEqual([
      { source: 'aides-territoires', recordId: '999', field: 'level', message: expect.stringContaining('fiche ignorée'), raw: 'planetaire' },
      { source: 'aides-territoires', recordId: '999', field: 'aid.rateMin', message: expect.stringContaining('fiche ignorée'), raw: 140 },
    ])
  })
})

describe('EU SEDIA with truncated JSON inside strings and duplicates', () => {
  it('reads dates from `actions` when metadata lacks them, and reports a truncated `actions`', () => {
    const data = sedia()
    const m0 = data.results[0]!.metadata
    delete (m0 as Record<string, unknown>).deadlineDate
    delete (m0 as Record<string, unknown>).startDate
    const m2 = data.results[2]!.metadata
    delete (m2 as Record<string, unknown>).deadlineDate
    m2.actions = [m2.actions![0]!.slice(0, 120)]
    const { records, errors } = parseSedia(JSON.stringify(data), ctx('https://api.tech.ec.europa.eu/'))
    expect(records.find((r) => r.shortName === 'HORIZON-MISS-2027-05-SOIL-01-two-stage')!.calendar.editions[0]).toMatchObject({ opensAt: '2027-02-04', deadlines: ['2027-04-08', '2027-09-14'] })
    const digital = records.find((r) => r.shortName === 'HORIZON-CL4-2027-04-DIGITAL-EMERGING-10')!
    expect(digital.uncertain).toContainEqual(expect.objectContaining({ field: 'calendar' }))
    expect(errors).toContainEqual(expect.objectContaining({ source: 'eu-sedia', recordId: 'HORIZON-CL4-2027-04-DIGITAL-EMERGING-10', field: 'metadata.actions', raw: m2.actions[0] }))
  })

  it('keeps one document per identifier + call across languages, preferring French', () => {
    const data = sedia()
    const french = JSON.parse(JSON.stringify(data.results[3]))
    french.metadata.language = ['fr']
    french.metadata.title = ['Groupe motopropulseur modulaire haute tension pour poids lourds']
    data.results.push(french)
    const { records } = parseSedia(JSON.stringify(data), ctx('https://api.tech.ec.europa.eu/'))
    const d5 = records.filter((r) => r.shortName === 'HORIZON-CL5-2027-03-D5-05')
    expect(d5).toHaveLength(1)
    expect(d5[0]!.name).toBe('Groupe motopropulseur modulaire haute tension pour poids lourds')
  })

  it('reports a document with no identifier and goes on', () => {
    const data = sedia()
    data.results[0]!.metadata.identifier = []
    const { records, errors } = parseSedia(JSON.stringify(data), ctx('https://api.tech.ec.europa.eu/'))
    expect(records).toHaveLength(7)
    expect(errors).toContainEqual(expect.objectContaining({ source: 'eu-sedia', recordId: '50138952TOPICSen', field: 'metadata.identifier' }))
  })

  it('salvages only complete budget entries from a cut string', () => {
    const cut = '{"budgetTopicActionMap":{"1":[{"action":"T-01 - RIA","expectedGrants":2,"minContribution":1000000,"maxContribution":2000000,"budgetYearMap":{"2026":"4000000"},"plannedOpeningDate":"2026-0'
    expect(topicBudget(cut, 'T-01')).toEqual({ found: { minContribution: 1_000_000, maxContribution: 2_000_000, expectedGrants: 2, budget: 4_000_000 } })
    expect(topicBudget(cut.slice(0, 90), 'T-01')).toEqual({ truncated: true })
    expect(topicBudget(cut, 'T-02')).toEqual({ truncated: true })
  })
})

describe('nulls and missing fields in other feeds', () => {
  it('ADEME: null fields, a broken date and an unknown theme code', () => {
    const data = JSON.parse(recorded('fr-regional-and-national-feeds/ademe-agir-api-dispositifs.json'))
    Object.assign(data.ListeDispositifs[0], { date_fin: '31-12-2023 minuit', thematiques: ['ECD', 'XYZ'], cible_projet: null })
    Object.assign(data.ListeDispositifs[1], { description_longue: null, url_agir: null })
    Object.assign(data.ListeDispositifs[2], { date_debut: '2022-12-26T12: 00: 00+01: 00' })
    const { records, errors } = parseAdeme(JSON.stringify(data), ctx('https://api.agirpourlatransition.ademe.fr/dispositifs'))
    expect(records.map((r) => r.id)).toEqual(['ademe-agir-1ed7d411', 'ademe-agir-1ec8f1be', 'ademe-agir-1ed7fb5d', 'ademe-agir-1ed85d34'])
    expect(records[0]!.calendar.editions[0]).toEqual({ label: '2023', opensAt: '2023-01-01', deadlines: [], estimated: false })
    expect(records[0]!.eligibility.conditions).toContain('Publics éligibles non précisés par la source : à vérifier')
    expect(records[1]!.calendar.editions[0]!.opensAt).toBe('2022-12-26')
    expect(errors).toEqual(
      expect.arrayContaining([
        { source: 'ademe-agir', recordId: '1ed7d411', programmeId: 'ademe-agir-1ed7d411', field: 'date_fin', message: expect.any(String), raw: '31-12-2023 minuit' },
        { source: 'ademe-agir', recordId: '1ed7d411', programmeId: 'ademe-agir-1ed7d411', field: 'thematiques', message: expect.any(String), raw: 'XYZ' },
        { source: 'ademe-agir', recordId: '1ed7d40a', field: 'links.official', message: expect.any(String), raw: null },
      ]),
    )
  })

  it('Welcome Europe: a broken YYYYMMDD deadline is reported, the call stays with its deadline marked uncertain', () => {
    const data = JSON.parse(recorded('fr-regional-and-national-feeds/welcome-europe-calls-api.json'))
    data[0].deadline1 = '20231345'
    data[1].post_title = null
    const { records, errors } = parseWe(JSON.stringify(data), ctx('https://www.welcomeurope.com/'))
    expect(records).toHaveLength(1)
    expect(records[0]!.calendar.editions[0]).toEqual({ opensAt: '2022-10-20', deadlines: [], estimated: false })
    expect(records[0]!.uncertain).toContainEqual(expect.objectContaining({ field: 'calendar' }))
    expect(errors).toEqual([
      { source: 'welcome-europe', recordId: '42534', programmeId: 'welcome-europe-42534', field: 'deadline1', message: expect.any(String), raw: '20231345' },
      { source: 'welcome-europe', recordId: '42487', field: 'name', message: expect.any(String), raw: null },
    ])
  })

  it('Nouvelle-Aquitaine: a feed with a broken guid and pubDate, and an item without title', () => {
    const item = recorded('fr-regional-and-national-feeds/nouvelle-aquitaine-rss-fiches-item.xml')
    const feed = `<?xml version="1.0"?><rss><channel>${item}${item.replace('Sat, 21 Dec 19 11:00:28 +0100', 'demain matin').replace(/<guid[^>]*>[^<]+<\/guid>/, '<guid>https: //les-aides.nouvelle-aquitaine.fr/x/autre-fiche</guid>')}${item.replace(/<title>[^<]+<\/title>/, '<title></title>').replace(/developpement-dune-offre[^<"]+/g, 'sans-titre')}</channel></rss>`
    const { records, errors } = parseNa(feed, ctx('https://les-aides.nouvelle-aquitaine.fr/fiches-rss.xml'))
    expect(records.map((r) => r.id)).toEqual(['nouvelle-aquitaine-developpement-dune-offre-locative-destination-des-jeunes-agriculteurs', 'nouvelle-aquitaine-autre-fiche'])
    expect(records[1]!.links.official).toBe('https://les-aides.nouvelle-aquitaine.fr/x/autre-fiche')
    expect(errors).toEqual([
      expect.objectContaining({ source: 'nouvelle-aquitaine', field: 'pubDate', raw: 'demain matin' }),
      expect.objectContaining({ source: 'nouvelle-aquitaine', field: 'name', raw: null }),
    ])
  })
})

describe('payloads that cannot be parsed at all throw ParseError with one line', () => {
  const cases: [string, string][] = [
    ['aides-territoires', 'not json at all'],
    ['aides-territoires', '{"count": 3, "results": "oops"}'],
    ['eu-sedia', '{"totalResults": 1, "resul'],
    ['ademe-agir', '{"success": false}'],
    ['idf', '{"title": "une seule aide"}'],
    ['manche', '[]'],
    ['culture', '<html><body>Maintenance</body></html>'],
    ['welcome-europe', ''],
    ['nouvelle-aquitaine', 'Service indisponible'],
    ['nouvelle-aquitaine', '<?xml version="1.0"?><feed></feed>'],
    ['afd-ficol', '{"error": "not found"}'],
    ['daect', '   '],
  ]
  it.each(cases)('%s: %s', (id, payload) => {
    const source = SOURCES.find((s) => s.id === id)!
    let caught: unknown
    try {
      source.parse(payload, ctx('https://example.org/'))
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(ParseError)
    expect((caught as Error).message).not.toContain('\n')
    expect((caught as Error).message.startsWith(`${id}:`)).toBe(true)
  })

  it('a page source accepts plain page text, not JSON', () => {
    expect(parseFicol('FICOL 2025\nDate de clôture : 12 septembre 2025', ctx('https://www.afd.fr/ficol')).records).toHaveLength(1)
  })
})
