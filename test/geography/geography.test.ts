// The geography over the real Etalab data (no mocks): lookups by code, names with typos and
// homonyms, EPCI names, départements and régions, and resolve()'s found / ambiguous / notFound rule.
import { describe, expect, it } from 'vitest'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { profileLabel, type Resolution } from '../../core/geography/geography.ts'
import { boundedDistance, normalizeName, stripLeadingArticle } from '../../core/geography/normalize.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'

const geo = loadEtalabGeography()

function found(r: Resolution): CollectiviteProfile {
  if (r.kind !== 'found') throw new Error(`expected found, got ${JSON.stringify(r).slice(0, 400)}`)
  return r.profile
}

function candidates(r: Resolution): CollectiviteProfile[] {
  if (r.kind !== 'ambiguous') throw new Error(`expected ambiguous, got ${JSON.stringify(r).slice(0, 400)}`)
  return r.candidates
}

const SAINT_AMAND: CollectiviteProfile = {
  type: 'commune',
  name: 'Saint-Amand-Montrond',
  code: '18197',
  population: 9899,
  departement: { code: '18', name: 'Cher' },
  region: { code: '24', name: 'Centre-Val de Loire' },
  zone: 'metro',
  epci: { siren: '200036135', name: 'CC Coeur de France', kind: 'CC' },
  postalCodes: ['18200'],
}

describe('normalizeName', () => {
  it('folds case, accents, hyphens, apostrophes and "St"/"Ste"', () => {
    expect(normalizeName('Saint-Amand-Montrond')).toBe('saint amand montrond')
    expect(normalizeName('St Amand  Montrond')).toBe('saint amand montrond')
    expect(normalizeName('ST-AMAND-MONTROND')).toBe('saint amand montrond')
    expect(normalizeName("L'Haÿ-les-Roses")).toBe('l hay les roses')
    expect(normalizeName('Ste-Marie')).toBe('sainte marie')
    expect(normalizeName('Œuilly')).toBe('oeuilly')
    expect(normalizeName('Côte-d’Or')).toBe('cote d or')
  })

  it('drops a leading article only as a variant', () => {
    expect(stripLeadingArticle('le havre')).toBe('havre')
    expect(stripLeadingArticle('l ile d yeu')).toBe('ile d yeu')
    expect(stripLeadingArticle('lens')).toBe('lens')
  })

  it('counts edits with transpositions, bounded', () => {
    expect(boundedDistance('vezelai', 'vezelay', 2)).toBe(1)
    expect(boundedDistance('paris', 'pairs', 1)).toBe(1)
    expect(boundedDistance('paris', 'marseille', 2)).toBe(3)
  })
})

describe('communes', () => {
  it('Saint-Amand-Montrond by INSEE code, postal code and name', () => {
    expect(geo.communeByInsee('18197')).toEqual(SAINT_AMAND)
    expect(geo.communesByPostalCode('18200').map((c) => c.code)).toContain('18197')
    expect(geo.communesByPostalCode('18200')[0]).toEqual(SAINT_AMAND) // most populous first
    expect(found(geo.resolve('Saint-Amand-Montrond'))).toEqual(SAINT_AMAND)
    expect(found(geo.resolve('18197'))).toEqual(SAINT_AMAND)
    expect(found(geo.resolve('St Amand Montrond'))).toEqual(SAINT_AMAND)
    expect(found(geo.resolve('saint amand montrond (18)'))).toEqual(SAINT_AMAND)
  })

  it('Issy-les-Moulineaux', () => {
    const issy = geo.communeByInsee('92040')!
    expect(issy).toMatchObject({ name: 'Issy-les-Moulineaux', population: 67669, departement: { code: '92' }, region: { code: '11' }, zone: 'metro' })
    expect(issy.epci?.kind).toBe('METRO')
    expect(found(geo.resolve('issy les moulineaux')).code).toBe('92040')
  })

  it('a postal code shared by several communes gives them all, most populous first', () => {
    const shared = geo.communesByPostalCode('18200')
    expect(shared.length).toBeGreaterThan(5)
    expect(shared.every((c) => c.postalCodes?.includes('18200'))).toBe(true)
    const pops = shared.map((c) => c.population ?? 0)
    expect(pops).toEqual([...pops].sort((a, b) => b - a))
    expect(candidates(geo.resolve('cp 18200')).map((c) => c.code)).toEqual(shared.map((c) => c.code))
  })

  it('five digits that are both a postal code and an INSEE code offer both; a prefix decides', () => {
    // 18200 is Saint-Amand-Montrond's postal code and Saint-Bouize's INSEE code.
    const codes = candidates(geo.resolve('18200')).map((c) => c.code)
    expect(codes[0]).toBe('18197')
    expect(codes).toContain('18200')
    expect(found(geo.resolve('insee 18200')).name).toBe('Saint-Bouize')
  })

  it('old, delegated and arrondissement codes lead to the current commune', () => {
    expect(geo.communeByInsee('20004')?.code).toBe('2A004') // Ajaccio before 1976
    expect(geo.communeByInsee('2a004')?.name).toBe('Ajaccio')
    expect(geo.communeByInsee('75101')?.code).toBe('75056') // Paris 1er → Paris
    expect(geo.communeByInsee('01340')?.code).toBe('01015') // merged into Arboys en Bugey
    expect(geo.communeByInsee('99999')).toBeUndefined()
  })

  it('a typo is ranked first by findCommunes but never auto-corrected by resolve', () => {
    const [best] = geo.findCommunes('Vezelai')
    expect(best).toMatchObject({ match: 'fuzzy', distance: 1, profile: { code: '89446', name: 'Vézelay' } })
    const r = geo.resolve('Vezelai')
    expect(r.kind).toBe('notFound')
    expect(r.kind === 'notFound' && r.suggestions[0]).toEqual({ label: 'Vézelay (89)', code: '89446', type: 'commune' })

    expect(geo.findCommunes('Saint-Amand-Montron')[0]?.profile.code).toBe('18197')
    const r2 = geo.resolve('Saint-Amand-Montron')
    expect(r2.kind === 'notFound' && r2.suggestions[0]?.label).toBe('Saint-Amand-Montrond (18)')
  })

  it('exact matches come before fuzzy ones, and every homonym is returned', () => {
    const matches = geo.findCommunes('Saint-Denis')
    const exact = matches.filter((m) => m.match === 'exact')
    expect(exact.map((m) => m.profile.departement?.code).sort()).toEqual(['11', '30', '93', '974'])
    expect(matches.slice(0, exact.length)).toEqual(exact)
    expect(exact[0]?.profile.code).toBe('97411') // the most populous first
  })

  it('article variants: "Havre" is Le Havre', () => {
    expect(geo.findCommunes('Havre')[0]).toMatchObject({ match: 'variant', profile: { code: '76351' } })
    expect(found(geo.resolve('Havre')).name).toBe('Le Havre')
  })

  it('Saint-Denis is ambiguous unless a département is given', () => {
    const codes = candidates(geo.resolve('Saint-Denis')).map((c) => c.code)
    expect(codes).toEqual(expect.arrayContaining(['93066', '97411']))

    const reunion = found(geo.resolve('Saint-Denis (974)'))
    expect(reunion).toMatchObject({ code: '97411', zone: 'drom', departement: { code: '974', name: 'La Réunion' }, region: { code: '04' } })
    expect(found(geo.resolve('Saint-Denis, La Réunion')).code).toBe('97411')
    expect(found(geo.resolve('Saint-Denis (93)')).code).toBe('93066')
    expect(found(geo.resolve('Saint-Denis, Seine-Saint-Denis')).code).toBe('93066')
    expect(found(geo.resolve('Saint-Denis 93200')).code).toBe('93066')

    expect(geo.findCommunes('Saint-Denis', { departement: '93' }).map((m) => m.profile.code)[0]).toBe('93066')
    expect(geo.findCommunes('saint denis', { departement: 'Seine-Saint-Denis' })[0]?.profile.code).toBe('93066')
    expect(geo.findCommunes('Saint-Denis', { departement: 'La Réunion' })[0]?.profile.code).toBe('97411')
    expect(geo.findCommunes('Saint-Denis', { departement: 'Atlantide' })).toEqual([])
  })

  it('a name not in the département asked for suggests it elsewhere', () => {
    const r = geo.resolve('Saint-Denis (92)')
    expect(r.kind).toBe('notFound')
    expect(r.kind === 'notFound' && r.suggestions.map((s) => s.code)).toEqual(expect.arrayContaining(['93066', '97411']))
  })

  it('overseas communes: DROM and COM zones', () => {
    expect(geo.communeByInsee('97415')).toMatchObject({ name: 'Saint-Paul', zone: 'drom', departement: { code: '974' } })
    expect(geo.communeByInsee('97302')).toMatchObject({ name: 'Cayenne', zone: 'drom', region: { code: '03', name: 'Guyane' } })
    expect(found(geo.resolve('Cayenne'))).toMatchObject({ code: '97302', zone: 'drom' })
    expect(geo.communeByInsee('97502')).toMatchObject({ name: 'Saint-Pierre', zone: 'com', departement: { code: '975' } })
    expect(found(geo.resolve('Saint-Pierre (975)')).zone).toBe('com')
  })

  it('labels read "Vézelay (89)"', () => {
    expect(profileLabel(geo.communeByInsee('89446')!)).toBe('Vézelay (89)')
    expect(profileLabel(geo.communeByInsee('58062')!)).toBe('Château-Chinon (Ville, 58)')
  })
})

describe('EPCI', () => {
  it('by SIREN', () => {
    const cc = geo.epciBySiren('200036135')!
    expect(cc).toMatchObject({ type: 'epci', code: '200036135', name: 'CC Coeur de France', departement: { code: '18' }, region: { code: '24' }, zone: 'metro' })
    expect(cc.epci).toEqual({ siren: '200036135', name: 'CC Coeur de France', kind: 'CC' })
    expect(cc.population).toBeGreaterThan(15000)
    expect(found(geo.resolve('200 036 135')).code).toBe('200036135')
    expect(found(geo.resolve('siren 200036135')).code).toBe('200036135')
  })

  it('by name, with "com com", "CC", "communauté de communes", "agglo", "Métropole de…"', () => {
    const fontainebleau = '200072346' // CA du Pays de Fontainebleau
    expect(found(geo.resolve('com com du Pays de Fontainebleau')).code).toBe(fontainebleau)
    expect(found(geo.resolve('CC du Pays de Fontainebleau')).code).toBe(fontainebleau)
    expect(found(geo.resolve("communauté d'agglomération du pays de fontainebleau")).code).toBe(fontainebleau)
    expect(geo.findEpci('agglo de Fontainebleau')[0]?.profile.code).toBe(fontainebleau)
    expect(geo.findEpci('comcom coeur de france')[0]).toMatchObject({ match: 'exact', profile: { code: '200036135' } })
    expect(geo.findEpci('com com du coeur de frnace')[0]?.profile.code).toBe('200036135')

    const lyon = found(geo.resolve('Métropole de Lyon'))
    expect(lyon).toMatchObject({ type: 'epci', epci: { kind: 'MET69' }, departement: { code: '69' } })
    expect(found(geo.resolve('Bordeaux Métropole')).epci?.kind).toBe('METRO')
    expect(found(geo.resolve('Bordeaux')).type).toBe('commune')
  })
})

describe('départements and régions', () => {
  it('départements by code and by name', () => {
    expect(geo.departement('2A')).toMatchObject({ type: 'departement', code: '2A', name: 'Corse-du-Sud', region: { code: '94', name: 'Corse' }, zone: 'metro' })
    expect(geo.departement('974')).toMatchObject({ name: 'La Réunion', zone: 'drom', region: { code: '04' } })
    expect(geo.departement('yonne')?.code).toBe('89')
    expect(geo.departement("Côte-d'Or")?.code).toBe('21')
    expect(geo.departement('Réunion')?.code).toBe('974')
    expect(geo.departement('5')?.code).toBe('05')
    expect(geo.departement('975')?.zone).toBe('com')
    expect(found(geo.resolve('2a')).code).toBe('2A')
    expect(found(geo.resolve('974')).code).toBe('974')
    expect(found(geo.resolve('Yonne')).code).toBe('89')
    expect(found(geo.resolve('cote d or'))).toMatchObject({ type: 'departement', code: '21' })
  })

  it('a département\'s population is the sum of its communes\'', () => {
    const yonne = geo.departement('89')!
    expect(yonne.population).toBeGreaterThan(300_000)
    expect(yonne.population).toBeLessThan(360_000)
  })

  it('régions by name and code', () => {
    const occitanie = geo.region('occitanie')!
    expect(occitanie).toMatchObject({ type: 'region', code: '76', name: 'Occitanie', zone: 'metro' })
    expect(occitanie.population).toBeGreaterThan(5_000_000)
    expect(geo.region('76')?.name).toBe('Occitanie')
    expect(geo.region('04')?.zone).toBe('drom')
    expect(found(geo.resolve('occitanie')).code).toBe('76')
    expect(found(geo.resolve('région 76')).name).toBe('Occitanie')
    expect(found(geo.resolve('76')).type).toBe('departement') // a bare code is a département
  })

  it('a DROM named alike as département and région resolves to the département', () => {
    expect(found(geo.resolve('Guadeloupe'))).toMatchObject({ type: 'departement', code: '971', zone: 'drom' })
    expect(found(geo.resolve('région Guadeloupe'))).toMatchObject({ type: 'region', code: '01' })
  })

  it('a name shared by a département and a commune is ambiguous', () => {
    const types = candidates(geo.resolve('Vienne')).map((c) => `${c.type} ${c.code}`)
    expect(types).toEqual(['departement 86', 'commune 38544'])
  })
})

describe('resolve edge cases', () => {
  it('unknown or empty input is notFound', () => {
    expect(geo.resolve('')).toEqual({ kind: 'notFound', suggestions: [] })
    expect(geo.resolve('zzzz')).toEqual({ kind: 'notFound', suggestions: [] })
    expect(geo.resolve('123456789')).toEqual({ kind: 'notFound', suggestions: [] })
  })

  it('short names must be exact: "Y" and "Eu" are communes', () => {
    expect(found(geo.resolve('Y')).code).toBe('80829')
    expect(found(geo.resolve('Eu')).code).toBe('76255')
  })
})

describe('what eligibility rules read from the geography', () => {
  it('collectivités à statut particulier are the région that holds their competences, by their own names', () => {
    const found = (q: string) => {
      const r = geo.resolve(q)
      return r.kind === 'found' ? `${r.profile.type} ${r.profile.code}` : r.kind
    }
    expect(found('Collectivité de Corse')).toBe('region 94')
    expect(found('collectivité territoriale de Guyane')).toBe('region 03')
    expect(found('Collectivité territoriale de Martinique')).toBe('region 02')
    // The bare name stays the département (its prefect, its communes).
    expect(found('Guyane')).toBe('departement 973')
  })
  it('a région of a single département (DROM, COM) carries that département, so rules naming it apply', () => {
    expect(geo.region('01')!.departement).toEqual({ code: '971', name: 'Guadeloupe' })
    expect(geo.region('977')!.departement?.code).toBe('977')
    expect(geo.region('27')!.departement).toBeUndefined()
    expect(geo.region('94')!.departement).toBeUndefined()
  })
  it('an EPCI has its centre for the DETR rule: the most populous member commune', () => {
    const dijon = geo.epciBySiren('242100410')!
    expect(dijon.centre).toMatchObject({ code: '21231', name: 'Dijon' })
    expect(dijon.centre!.population).toBeGreaterThan(150000)
  })
})
