// Sources with no recorded payload (manche, culture) and page kinds with none (a Nouvelle-Aquitaine
// fiche, a FICOL page in HTML): payloads written by hand from the format in test/fixtures/sources/SOURCES.md,
// see fixtures/README.md. They are not recordings.
import { describe, expect, it } from 'vitest'
import { parse as parseFicol } from '../../crawler/sources/afd-ficol/parse.ts'
import { parse as parseCulture } from '../../crawler/sources/culture/parse.ts'
import { parse as parseManche } from '../../crawler/sources/manche/parse.ts'
import { parse as parseNa } from '../../crawler/sources/nouvelle-aquitaine/parse.ts'
import { ctx, handWritten } from './helpers.ts'

describe('manche (hand-written {count, aides[]})', () => {
  const { records, errors } = parseManche(handWritten('manche-aides.json'), ctx('https://www.manche.fr/api/guide-des-aides/aides'))

  it('maps AT-like aides with the Département as funder and perimeter', () => {
    expect(records.map((r) => r.id)).toEqual(['manche-40112', 'manche-40127', 'manche-40200'])
    const patrimoine = records[0]!
    expect(patrimoine.name).toBe('Aide aux communes pour la restauration du patrimoine non protégé')
    expect(patrimoine.funders).toEqual(['Département de la Manche'])
    expect(patrimoine.level).toBe('departemental')
    expect(patrimoine.eligibility.applicants).toEqual(['commune', 'epci'])
    expect(patrimoine.eligibility.territory).toEqual({ label: 'Manche', departements: ['50'] })
    expect(patrimoine.aid).toMatchObject({ rateMin: 20, rateMax: 40 })
    expect(patrimoine.themes[0]).toBe('culture_patrimoine')
    const velo = records[1]!
    expect(velo.name).toBe('Appel à projets « Mobilités douces » 2024')
    expect(velo.calendar).toEqual({ kind: 'oneOff', editions: [{ opensAt: '2024-03-01', deadlines: ['2024-06-30'], estimated: false }] })
    expect(velo.instruments).toEqual(['grant', 'call_for_projects'])
    expect(velo.themes).toEqual(['mobilite'])
  })

  it('repairs "https: //", sets aside an aid only for particuliers, reports an impossible date', () => {
    expect(records[2]!.links.official).toBe('https://www.manche.fr/guide-des-aides/fonds-associations-culturelles/')
    expect(records[2]!.eligibility.conditions).toContain('Publics éligibles non précisés par la source : à vérifier')
    expect(errors).toEqual([
      { source: 'manche', recordId: '39672', field: 'targeted_audiences', message: expect.stringContaining('Particulier'), raw: ['Particulier'] },
      { source: 'manche', recordId: '40200', programmeId: 'manche-40200', field: 'submission_deadline', message: 'date impossible: 31/02/2024', raw: '31/02/2024' },
    ])
  })
})

describe('culture (hand-written {count, results})', () => {
  const { records, errors } = parseCulture(handWritten('culture-online-procedures.json'), ctx('https://www.culture.gouv.fr/api/online-procedures?limit=20&offset=0'))

  it('reads a French-words deadline, the public list, the amount prose and the form link', () => {
    const plan = records.find((r) => r.id === 'culture-315790')!
    expect(plan.name).toBe('Plan de soutien aux bibliothèques communales')
    expect(plan.calendar).toEqual({ kind: 'oneOff', editions: [{ deadlines: ['2024-04-15'], estimated: false }] })
    expect(plan.eligibility.applicants).toEqual(['commune', 'epci'])
    expect(plan.aid).toMatchObject({ rateMin: 20, rateMax: 80, amountMax: 300_000 })
    expect(plan.links.apply).toBe('https://mesdemarches.culture.gouv.fr/mcc/requests/bibliotheques/')
    expect(plan.themes[0]).toBe('culture_patrimoine')
    expect(plan.summary).toBe('Le ministère de la Culture soutient la rénovation et l’extension des bibliothèques et médiathèques des communes.')
  })

  it('keeps a free-text deadline as uncertain, places DAC Mayotte, repairs its URL', () => {
    const mayotte = records.find((r) => r.id === 'culture-315795')!
    expect(mayotte.links.official).toBe('https://www.culture.gouv.fr/Demarches-en-ligne/Par-type-de-demarche/Appels-a-projets-candidatures/Residences-artistiques-Art-et-mer-DAC-Mayotte')
    expect(mayotte.uncertain).toContainEqual({ field: 'calendar', note: expect.stringContaining('Fin de l\'été') })
    expect(mayotte.eligibility.territory).toEqual({ label: 'Mayotte', regions: ['06'], departements: ['976'] })
    expect(mayotte.aid).toMatchObject({ amountMin: 3_000 })
  })

  it('sets aside procedures that are not aids and reports a record with no page', () => {
    expect(records).toHaveLength(2)
    expect(errors).toEqual([
      { source: 'culture', recordId: '303980', field: 'type', message: expect.any(String), raw: 'Demande d\'autorisation' },
      { source: 'culture', recordId: '320001', field: 'links.official', message: expect.any(String), raw: null },
    ])
  })

  it('also accepts a bare array of procedures', () => {
    const bare = JSON.stringify(JSON.parse(handWritten('culture-online-procedures.json')).results)
    expect(parseCulture(bare, ctx('https://www.culture.gouv.fr/api/online-procedures')).records).toHaveLength(2)
  })
})

describe('nouvelle-aquitaine fiche page (hand-written HTML)', () => {
  const url = 'https://les-aides.nouvelle-aquitaine.fr/amenagement-du-territoire/developpement-dune-offre-locative-destination-des-jeunes-agriculteurs'
  const { records, errors } = parseNa(handWritten('nouvelle-aquitaine-fiche.html'), ctx(url))

  it('gives the same id as the feed item, with the window, rate and ceiling from the page', () => {
    expect(errors).toEqual([])
    const r = records[0]!
    expect(r.id).toBe('nouvelle-aquitaine-developpement-dune-offre-locative-destination-des-jeunes-agriculteurs')
    expect(r.name).toBe('Développement d\'une offre locative à destination des jeunes agriculteurs')
    expect(r.calendar.editions).toEqual([{ opensAt: '2024-01-15', deadlines: ['2024-05-31'], estimated: false }])
    expect(r.aid).toMatchObject({ rateMax: 30, amountMax: 60_000 })
    expect(r.eligibility.applicants).toEqual(['commune', 'epci', 'departement', 'region', 'association'])
    expect(r.eligibility.conditions).toContain('Le projet doit être porté par une commune ou un EPCI de moins de 10 000 habitants.')
    expect(r.summary).not.toMatch(/dataLayer|mentions légales/)
  })
})

describe('afd-ficol page in HTML (hand-written)', () => {
  it('reads h1, prose window and amount, ignoring nav, scripts and styles', () => {
    const { records, errors } = parseFicol(handWritten('ficol-2024-page.html'), ctx('https://www.oc-cooperation.org/appel-projet/financements-des-collectivites-territoriales-francaises-ficol-2024-2/'))
    expect(errors).toEqual([])
    const r = records[0]!
    expect(r.id).toBe('afd-ficol-2024')
    expect(r.name).toBe('Financements des collectivités territoriales françaises – Ficol 2024')
    expect(r.calendar.editions).toEqual([{ label: '2024', opensAt: '2024-01-04', deadlines: ['2024-09-13'], estimated: false }])
    expect(r.aid).toMatchObject({ amountMin: 200_000, amountMax: 1_500_000 })
    expect(r.summary).not.toMatch(/track\(|color:red|Accueil/)
  })

  it('places a year-less deadline from the fetch date and marks it uncertain', () => {
    const page = '<h1>FICOL – appel à idées</h1><p>Les lettres d’intention sont attendues jusqu’au 13 septembre.</p>'
    const r = parseFicol(page, ctx('https://www.afd.fr/fr/ficol', '2026-05-02T10:00:00+02:00')).records[0]!
    expect(r.calendar.editions[0]!.deadlines).toEqual(['2026-09-13'])
    expect(r.uncertain).toContainEqual({ field: 'calendar', note: expect.stringContaining('déduite') })
  })
})
