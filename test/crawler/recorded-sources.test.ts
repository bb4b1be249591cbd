// Every recorded payload in test/fixtures/sources/ through its parser: real values in,
// Programmes out (titles, ISO deadlines, absolute URLs, themes, applicants read from the payloads).
import { describe, expect, it } from 'vitest'
import { ProgrammeSchema, type Programme } from '../../core/programme.ts'
import { parse as parseAdeme } from '../../crawler/sources/ademe-agir/parse.ts'
import { parse as parseFicol } from '../../crawler/sources/afd-ficol/parse.ts'
import { parse as parseAt } from '../../crawler/sources/aides-territoires/parse.ts'
import { parse as parseDaect } from '../../crawler/sources/daect/parse.ts'
import { parse as parseSedia } from '../../crawler/sources/eu-sedia/parse.ts'
import { parse as parseIdf } from '../../crawler/sources/idf/parse.ts'
import { parse as parseNa } from '../../crawler/sources/nouvelle-aquitaine/parse.ts'
import { parse as parseWe } from '../../crawler/sources/welcome-europe/parse.ts'
import { FETCHED_AT, ctx, recorded } from './helpers.ts'

function byId(records: Programme[], id: string): Programme {
  const found = records.find((r) => r.id === id)
  if (!found) throw new Error(`${id} absent: ${records.map((r) => r.id).join(', ')}`)
  return found
}

function expectValidCrawled(records: Programme[], sourceId: string) {
  for (const r of records) {
    expect(ProgrammeSchema.safeParse(r).success).toBe(true)
    expect(r.id.startsWith(`${sourceId}-`)).toBe(true)
    expect(r.provenance).toMatchObject({ kind: 'crawled', sourceId, fetchedAt: FETCHED_AT })
    expect(r.verifiedAt).toBeUndefined()
    expect(r.themes.length).toBeGreaterThan(0)
    expect(r.eligibility.applicants.length).toBeGreaterThan(0)
    expect(`${r.name} ${r.summary}`).not.toMatch(/<\/?[a-z][^>]*>|&[a-z]+;|&#\d+;/i)
    expect(r.links.official).toMatch(/^https?:\/\/[^\s]+$/)
    for (const e of r.calendar.editions) expect(e.estimated).toBe(false)
  }
}

describe('aides-territoires: the Drôme feed (same list envelope and field names)', () => {
  const { records, errors } = parseAt(recorded('fr-regional-and-national-feeds/departement-drome-aides-api.json'), ctx('https://collectivites.ladrome.fr/aides-api/'))

  it('maps the three aids with their labels turned into Guichet ids', () => {
    expect(errors).toEqual([])
    expect(records.map((r) => r.id)).toEqual(['aides-territoires-162', 'aides-territoires-338', 'aides-territoires-650'])
    expectValidCrawled(records, 'aides-territoires')
    const first = byId(records, 'aides-territoires-162')
    expect(first.name).toBe('Développement d’une alimentation de proximité')
    expect(first.funders).toEqual(['Chambre d’agriculture de la Drôme'])
    // "Communes", "Intercommunalités / Pays", "Associations" kept; "Particuliers" is not a Guichet applicant.
    expect(first.eligibility.applicants).toEqual(['commune', 'epci', 'petr', 'association'])
    expect(first.instruments).toEqual(['engineering'])
    expect(first.themes[0]).toBe('alimentation_agriculture')
    expect(first.calendar).toEqual({ kind: 'permanent', editions: [] })
    expect(first.links.official).toBe('https://collectivites.ladrome.fr/service/developpement-dune-alimentation-de-proximite/')
    expect(first.eligibility.territory).toEqual({ label: 'Drôme', departements: ['26'] })
    expect(first.level).toBe('departemental')
    expect(first.summary).toContain('Actions favorisant l’accès aux produits alimentaires locaux')
    expect(first.summary).toContain('animation du groupe de producteurs…')
  })

  it('reads "Établissements publics (écoles, bibliothèques…) / Services de l\'État"', () => {
    expect(byId(records, 'aides-territoires-338').eligibility.applicants).toEqual(['commune', 'epci', 'petr', 'etablissement_public'])
    expect(byId(records, 'aides-territoires-338').funders).toEqual(['Conseil Départemental de la Drôme'])
  })
})

describe('eu-sedia: the recorded Horizon Europe search page', () => {
  const { records, errors } = parseSedia(recorded('eu-funding-tenders-sedia/sedia-search-response-horizon-forthcoming-open.json'), ctx('https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***&pageSize=100&pageNumber=1'))

  it('keeps one programme per topic: the EOSC topic returned twice becomes one', () => {
    expect(records).toHaveLength(8)
    expect(records.filter((r) => r.shortName === 'HORIZON-INFRA-2024-EOSC-01-03')).toHaveLength(1)
    expectValidCrawled(records, 'eu-sedia')
  })

  it('reads every-value-is-an-array metadata, both deadlines of a two-stage topic and +0000 dates', () => {
    const soil = byId(records, 'eu-sedia-horizon-miss-2027-05-soil-01-two-stage')
    expect(soil.name).toBe('Living labs to enhance soil health in Continental, Black Sea, Pannonian and Steppic biogeographical regions')
    expect(soil.calendar.editions).toEqual([{ label: 'HORIZON-MISS-2027-05-two-stage', opensAt: '2027-02-04', deadlines: ['2027-04-08', '2027-09-14'], estimated: false }])
    expect(soil.level).toBe('eu')
    expect(soil.funders).toEqual(['Commission européenne'])
    expect(soil.links.official).toBe('https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-MISS-2027-05-SOIL-01-two-stage')
    expect(soil.themes).toContain('biodiversite')
    expect(soil.statusNote).toMatch(/annoncé/)
  })

  it('reads a legacy document (SEDIA_PRD_CENTRICITY, keywords as a JSON string) and links the portal, not the JSON', () => {
    const legacy = byId(records, 'eu-sedia-horizon-cl2-2024-transformations-01-08')
    expect(legacy.calendar.editions[0]).toMatchObject({ opensAt: '2023-10-04', deadlines: ['2024-02-07'] })
    expect(legacy.keywords).toContain('Cultural studies, cultural diversity')
    expect(legacy.links.official).toBe('https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-CL2-2024-TRANSFORMATIONS-01-08')
    expect(legacy.provenance).toMatchObject({ originUrl: 'https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/HORIZON-CL2-2024-TRANSFORMATIONS-01-08.json' })
    expect(legacy.themes).toEqual(expect.arrayContaining(['culture_patrimoine', 'jeunesse_education']))
  })

  it('salvages the topic budget from a truncated budgetOverview, and reports the ones it cannot read', () => {
    const cyber = byId(records, 'eu-sedia-horizon-cl3-2026-02-cs-eccc-01')
    expect(cyber.aid).toMatchObject({ amountMin: 3_000_000, amountMax: 4_000_000 })
    expect(cyber.calendar.editions[0]).toMatchObject({ opensAt: '2026-03-03', deadlines: ['2026-09-15'] })
    expect(byId(records, 'eu-sedia-horizon-cl6-2026-04-governance-01').aid).toMatchObject({ amountMin: 60_000_000, amountMax: 60_000_000 })
    const soil = byId(records, 'eu-sedia-horizon-miss-2027-05-soil-01-two-stage')
    expect(soil.aid.amountMax).toBeUndefined()
    expect(soil.uncertain).toContainEqual(expect.objectContaining({ field: 'aid' }))
    expect(errors.map((e) => e.recordId).sort()).toEqual(['HORIZON-CL4-2027-04-DIGITAL-EMERGING-10', 'HORIZON-CL5-2027-03-D5-05', 'HORIZON-JU-CBE-2026-IAFlag-02', 'HORIZON-MISS-2027-05-SOIL-01-two-stage'])
    for (const e of errors) {
      expect(e).toMatchObject({ source: 'eu-sedia', field: 'metadata.budgetOverview' })
      expect(String(e.raw)).toMatch(/^\{"budgetYearsColumns"/)
    }
  })

  it('says nothing sure about applicants: collectivités with a condition to check', () => {
    const r = byId(records, 'eu-sedia-horizon-cl5-2027-03-d5-05')
    expect(r.eligibility.applicants).toEqual(['commune', 'epci', 'departement', 'region'])
    expect(r.eligibility.conditions).toContain('Publics éligibles non précisés par la source : à vérifier')
    expect(r.themes[0]).toBe('mobilite')
  })
})

describe('ademe-agir: the recorded dispositifs', () => {
  const { records, errors } = parseAdeme(recorded('fr-regional-and-national-feeds/ademe-agir-api-dispositifs.json'), ctx('https://api.agirpourlatransition.ademe.fr/dispositifs'))

  it('maps the five dispositifs, repairing "https: //" in url_agir', () => {
    expect(errors).toEqual([])
    expect(records).toHaveLength(5)
    expectValidCrawled(records, 'ademe-agir')
    const eco = byId(records, 'ademe-agir-1ed7d411')
    expect(eco.name).toBe('Investissements d’écoconception pour améliorer la performance environnementale')
    expect(eco.links.official).toBe('https://agirpourlatransition.ademe.fr/entreprises/aides-financieres/2023/investissements-decoconception-ameliorer-performance-environnementale')
    expect(eco.calendar.editions).toEqual([{ label: '2023', opensAt: '2023-01-01', deadlines: ['2023-12-31'], estimated: false }])
    expect(eco.aid).toMatchObject({ rateMin: 15, rateMax: 55 })
    expect(eco.themes.slice(0, 2)).toEqual(['dechets', 'developpement_economique'])
    // SCA1/SCA2/SCA3: associations, collectivités and public sector, companies.
    expect(eco.eligibility.applicants).toEqual(['commune', 'epci', 'departement', 'region', 'etablissement_public', 'association', 'entreprise'])
  })

  it('turns an AAP into a one-off call with its ISO-with-offset window', () => {
    const bcib = byId(records, 'ademe-agir-1ec8f1be')
    expect(bcib.instruments).toEqual(['grant', 'call_for_projects'])
    expect(bcib.calendar).toMatchObject({ kind: 'oneOff', editions: [{ opensAt: '2022-12-26', deadlines: ['2023-02-27'] }] })
    expect(bcib.eligibility.applicants).toEqual(['entreprise'])
    expect(bcib.themes[0]).toBe('energies_renouvelables')
  })
})

describe('idf: the recorded guide des aides', () => {
  const { records, errors } = parseIdf(recorded('fr-regional-and-national-feeds/region-ile-de-france-guide-des-aides-api.json'), ctx('https://mesdemarches.iledefrance.fr/guide-des-aides/api/public/tenants/cridfprd/aides?top=2500'))

  it('maps the three aides with region, rates and ceilings read from the prose', () => {
    expect(errors).toEqual([])
    expect(records.map((r) => r.id)).toEqual(['idf-sy2cc9wqe', 'idf-skxo55-5n', 'idf-s1xj5qb5n'])
    expectValidCrawled(records, 'idf')
    const radios = byId(records, 'idf-sy2cc9wqe')
    expect(radios.name).toBe('Soutien régional aux radios locales d’Île-de-France')
    expect(radios.eligibility.applicants).toEqual(['association'])
    expect(radios.eligibility.territory).toEqual({ label: 'Île-de-France', regions: ['11'] })
    expect(radios.links.apply).toBe('https://mesdemarches.iledefrance.fr/')
    const sport = byId(records, 'idf-s1xj5qb5n')
    expect(sport.aid).toMatchObject({ rateMax: 80, amountMax: 100_000 })
    expect(sport.themes).toContain('sport')
  })

  it('reads the campaign window in Paris time (22:00Z is the next day in Paris)', () => {
    const jeunes = byId(records, 'idf-skxo55-5n')
    expect(jeunes.calendar).toEqual({ kind: 'oneOff', editions: [{ opensAt: '2019-06-03', deadlines: ['2019-07-08'], estimated: false }] })
    expect(jeunes.aid).toMatchObject({ rateMax: 50, amountMax: 75_000 })
  })
})

describe('welcome-europe: the recorded calls', () => {
  const { records, errors } = parseWe(recorded('fr-regional-and-national-feeds/welcome-europe-calls-api.json'), ctx('https://www.welcomeurope.com/'))

  it('reads YYYYMMDD dates, entity-laden labels and co-financing rates', () => {
    expect(errors).toEqual([])
    expectValidCrawled(records, 'welcome-europe')
    const uganda = byId(records, 'welcome-europe-42534')
    expect(uganda.name).toBe('Programme thématique sur les droits de l\'homme et la démocratie - Appel à propositions pour l\'Ouganda - 2023')
    expect(uganda.calendar.editions).toEqual([{ opensAt: '2022-10-20', deadlines: ['2023-01-12'], estimated: false }])
    expect(uganda.keywords).toContain('Citoyenneté & Droits Humains')
    expect(uganda.eligibility.applicants).toEqual(expect.arrayContaining(['commune', 'region', 'association', 'etablissement_public']))
    expect(uganda.aid).toMatchObject({ rateMin: 50, rateMax: 95 })
    expect(uganda.themes[0]).toBe('cooperation_internationale')
  })

  it('marks an unreadable amount ("entre 400 00 et 600 000 euros") as uncertain instead of guessing', () => {
    const uganda = byId(records, 'welcome-europe-42534')
    expect(uganda.aid.amountMin).toBeUndefined()
    expect(uganda.uncertain).toContainEqual({ field: 'aid', note: expect.stringContaining('400 00') })
    const smp = byId(records, 'welcome-europe-42487')
    expect(smp.aid).toMatchObject({ amountMin: 750_000, amountMax: 1_000_000, rateMax: 90 })
    expect(smp.calendar.editions[0]).toMatchObject({ opensAt: '2022-11-08', deadlines: ['2023-02-14'] })
  })
})

describe('nouvelle-aquitaine: the recorded RSS item', () => {
  const { records, errors } = parseNa(recorded('fr-regional-and-national-feeds/nouvelle-aquitaine-rss-fiches-item.xml'), ctx('https://les-aides.nouvelle-aquitaine.fr/fiches-rss.xml'))

  it('reads the item: guid as page, category split into kind, audiences and theme, 2-digit-year pubDate', () => {
    expect(errors).toEqual([])
    expect(records).toHaveLength(1)
    expectValidCrawled(records, 'nouvelle-aquitaine')
    const r = records[0]!
    expect(r.id).toBe('nouvelle-aquitaine-developpement-dune-offre-locative-destination-des-jeunes-agriculteurs')
    expect(r.name).toBe('Développement d\'une offre locative à destination des jeunes agriculteurs')
    expect(r.links.official).toBe('https://les-aides.nouvelle-aquitaine.fr/amenagement-du-territoire/developpement-dune-offre-locative-destination-des-jeunes-agriculteurs')
    expect(r.instruments).toContain('call_for_projects')
    expect(r.eligibility.applicants).toEqual(['commune', 'epci', 'departement', 'region', 'etablissement_public', 'association', 'entreprise'])
    expect(r.themes).toContain('logement')
    expect(r.statusNote).toBe('Fiche publiée le 21 décembre 2019.')
    expect(r.summary.endsWith('logements passerelles.')).toBe(true)
  })
})

describe('afd-ficol and daect: the recorded page texts', () => {
  const dir = 'afd-ficol-daect/'

  it('FICOL 2023: opening and closing dates from "Date de lancement … | Date de clôture …"', () => {
    const { records, errors } = parseFicol(recorded(`${dir}ficol-2023-oc-cooperation.excerpt.txt`), ctx('https://www.oc-cooperation.org/appel-projet/financements-des-collectivites-territoriales-francaises-ficol-2023/'))
    expect(errors).toEqual([])
    expectValidCrawled(records, 'afd-ficol')
    const r = records[0]!
    expect(r.id).toBe('afd-ficol-2023')
    expect(r.name).toBe('Financements des collectivités territoriales françaises – Ficol 2023')
    expect(r.calendar.editions).toEqual([{ label: '2023', opensAt: '2023-01-15', deadlines: ['2023-09-08'], estimated: false }])
    expect(r.eligibility.applicants).toEqual(['commune', 'epci', 'syndicat', 'departement', 'region', 'groupement_collectivites'])
    expect(r.eligibility.partnerCountry).toMatchObject({ group: 'oda' })
    expect(r.themes[0]).toBe('cooperation_internationale')
    expect(r.statusNote).toMatch(/clôturée/)
  })

  it('FICOL 2020: the amount "entre 200 000 euros et 1 500 000 euros" and the 30 % co-financing', () => {
    const { records } = parseFicol(recorded(`${dir}ficol-2020-lianes-cooperation.excerpt.txt`), ctx('https://www.lianescooperation.org/appel-projet/ficol-appel-a-idees-2020/'))
    const r = records[0]!
    expect(r.id).toBe('afd-ficol-2020')
    expect(r.aid).toMatchObject({ amountMin: 200_000, amountMax: 1_500_000 })
    expect(r.aid.rateMin).toBeUndefined()
    expect(r.eligibility.conditions).toContain('Les collectivités et leurs partenaires apportent au moins 30 % du plan de financement')
    expect(r.calendar.editions).toEqual([])
    expect(r.uncertain).toContainEqual(expect.objectContaining({ field: 'calendar' }))
  })

  it('FICOL 2017: two deadlines sharing one year ("31 mars et 15 juin 2017")', () => {
    const { records } = parseFicol(recorded(`${dir}ficol-2017-afd-page.excerpt.txt`), ctx('http://www.afd.fr/home/AFD/nospartenaires/Cooperation_decentralisee/facilite-financement-collectivite-locale-ficol'))
    expect(records[0]!.name).toBe('La Facilité de financement des collectivités territoriales françaises (FICOL)')
    expect(records[0]!.calendar.editions).toEqual([{ label: '2017', deadlines: ['2017-03-31', '2017-06-15'], estimated: false }])
  })

  it('DAECT 2024-2026: "ouvertes sur www.cncd.fr du 1er mars au 6 mai 2024"', () => {
    const url = 'http://www.diplomatie.gouv.fr/fr/politique-etrangere-de-la-france/action-exterieure-des/appels-a-projets-et-fonds-en/appel-a-projets-triennaux/article/appel-a-projets-2013-2015'
    const { records, errors } = parseDaect(recorded(`${dir}daect-aap-generaliste-2024-2026.excerpt.txt`), ctx(url))
    expect(errors).toEqual([])
    expectValidCrawled(records, 'daect')
    const r = records[0]!
    expect(r.id).toBe('daect-appel-a-projets-generaliste-2024-2026')
    expect(r.calendar.editions).toEqual([{ label: '2024-2026', opensAt: '2024-03-01', deadlines: ['2024-05-06'], estimated: false }])
    expect(r.links).toEqual({ official: url, apply: 'https://www.cncd.fr/' })
    expect(r.eligibility.applicants).toEqual(['commune', 'epci', 'departement', 'region', 'groupement_collectivites'])
    expect(r.eligibility.conditions.some((c) => c.includes('convention signée'))).toBe(true)
  })
})
