// The v2 rules: each decidable fact decides (excludes when it fails, asks when it is missing),
// undecidable ones stay « à vérifier ». Profiles come from the real geography where it matters.
import { describe, expect, it } from 'vitest'
import { evaluateEligibility, type EligibilityResult } from '../../core/eligibility.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { aidView } from '../../content/matching.ts'
import { buildProgramme, commune } from '../builders/programme.ts'

const DAY = '2026-03-01'
const geo = loadEtalabGeography()
const failing = (r: EligibilityResult) => r.rules.filter((x) => x.outcome === 'fail').map((x) => x.rule)

describe('scope: themes rank, scope decides', () => {
  const schools = buildProgramme({ eligibility: { applicants: ['commune'], scope: { label: 'bâtiments scolaires', themes: ['ecoles'], openThemes: ['renovation_energetique', 'equipements_publics'] } } })
  it('passes a school project, excludes another kind, asks when the project could be either', () => {
    expect(evaluateEligibility(schools, commune(900), { themes: ['ecoles', 'renovation_energetique'] }, DAY).status).toBe('eligible')
    const lighting = evaluateEligibility(schools, commune(900), { themes: ['eclairage_public'] }, DAY)
    expect(lighting.status).toBe('ineligible')
    expect(lighting.reasons[0]).toMatch(/bâtiments scolaires/)
    expect(evaluateEligibility(schools, commune(900), { themes: ['renovation_energetique'] }, DAY)).toMatchObject({ status: 'unknown', missing: ['scope:ecoles'] })
    expect(evaluateEligibility(schools, commune(900), { themes: ['renovation_energetique'], notThemes: ['ecoles'] }, DAY).status).toBe('ineligible')
  })
  it('an excluded theme is out even beside an admitted neighbour', () => {
    const fiveG = buildProgramme({ eligibility: { applicants: ['commune'], scope: { label: 'réseaux 5G', themes: ['reseaux_mobiles'], openThemes: ['tres_haut_debit'], excludedThemes: ['wifi_public'] } } })
    expect(failing(evaluateEligibility(fiveG, commune(900), { themes: ['wifi_public'] }, DAY))).toEqual(['scope'])
    expect(evaluateEligibility(fiveG, commune(900), { themes: ['reseaux_mobiles'] }, DAY).status).toBe('eligible')
  })
  it('location: abroad for a partner outside Europe, France otherwise', () => {
    const home = buildProgramme({ eligibility: { applicants: ['commune'], location: 'france' } })
    const abroad = buildProgramme({ eligibility: { applicants: ['commune'], location: 'abroad' } })
    expect(evaluateEligibility(home, commune(900), { partnerCountry: 'SN' }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(home, commune(900), { partnerCountry: 'ES' }, DAY).status).toBe('eligible')
    expect(evaluateEligibility(abroad, commune(900), { partnerCountry: 'SN' }, DAY).status).toBe('eligible')
    expect(evaluateEligibility(abroad, commune(900), {}, DAY).missing).toEqual(['partnerCountry'])
    expect(evaluateEligibility(abroad, commune(900), { location: 'france' }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(abroad, commune(900), { foreignPartners: false }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(abroad, commune(900), { partnerCountry: 'DE' }, DAY).status).toBe('eligible')
  })
})

describe('budget, partners, prerequisites', () => {
  it('a budget below the floor excludes; none given asks', () => {
    const p = buildProgramme({ eligibility: { applicants: ['commune'], budget: { min: 200000, basis: 'subvention minimale de 200 000 €' } } })
    expect(evaluateEligibility(p, commune(900), { budget: 80000 }, DAY).reasons[0]).toMatch(/80.000\u00a0€ .*200.000\u00a0€/)
    expect(evaluateEligibility(p, commune(900), { budget: 200000 }, DAY).status).toBe('eligible')
    expect(evaluateEligibility(p, commune(900), {}, DAY).missing).toEqual(['budget'])
  })
  it('a consortium requirement excludes a project without foreign partners and notes the count', () => {
    const p = buildProgramme({ eligibility: { applicants: ['commune'], partners: { label: 'consortium de 3 pays', foreign: true, minCountries: 3 } } })
    expect(failing(evaluateEligibility(p, commune(900), { foreignPartners: false }, DAY))).toEqual(['partners'])
    expect(evaluateEligibility(p, commune(900), {}, DAY).missing).toEqual(['foreignPartners'])
    const two = evaluateEligibility(p, commune(900), { partnerCountry: 'IT' }, DAY)
    expect(two.status).toBe('eligible')
    expect(two.toCheck.join(' ')).toMatch(/au moins 3 pays/)
  })
  it('a cross-border programme needs a partner from its countries', () => {
    const p = buildProgramme({ eligibility: { applicants: ['commune'], partners: { label: 'partenaire espagnol ou andorran', countries: ['ES', 'AD'] } } })
    expect(evaluateEligibility(p, commune(900), { partnerCountry: 'ES' }, DAY).status).toBe('eligible')
    expect(evaluateEligibility(p, commune(900), { partnerCountry: 'IT' }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(p, commune(900), { foreignPartners: true }, DAY).missing).toEqual(['partnerCountries'])
  })
  it('at least N French collectivités', () => {
    const p = buildProgramme({ eligibility: { applicants: ['groupement_collectivites'], partners: { label: 'trois collectivités', minFrenchCollectivites: 3 } } })
    expect(evaluateEligibility(p, commune(900), { applicantType: 'groupement_collectivites', frenchPartners: 2 }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(p, commune(900), { applicantType: 'groupement_collectivites', frenchPartners: 3 }, DAY).status).toBe('eligible')
  })
  it('a prerequisite is asked, then decides', () => {
    const p = buildProgramme({ eligibility: { applicants: ['commune'], prerequisites: ['pcaet'] } })
    expect(evaluateEligibility(p, commune(900), {}, DAY).missing).toEqual(['prerequisite:pcaet'])
    expect(evaluateEligibility(p, commune(900), { prerequisites: { pcaet: false } }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(p, commune(900), { prerequisites: { pcaet: true } }, DAY).status).toBe('eligible')
  })
})

describe('territory and applicants the v1 vocabulary could not say', () => {
  it('a département scheme admits the Collectivité de Corse', () => {
    const p = buildProgramme({ eligibility: { applicants: ['departement'], admitted: [{ label: 'Collectivité de Corse', regions: ['94'] }] } })
    expect(evaluateEligibility(p, geo.region('94'), {}, DAY).status).toBe('eligible')
    expect(evaluateEligibility(p, geo.region('27'), {}, DAY).status).toBe('ineligible')
  })
  it('« hors métropole »: a commune of Rennes Métropole is out, a rural Breton commune is in', () => {
    const p = buildProgramme({ eligibility: { applicants: ['commune'], territory: { label: 'Bretagne hors métropoles', regions: ['53'], excludedEpciKinds: ['METRO'] } } })
    const cesson = geo.communeByInsee('35051')!
    expect(cesson.epci?.kind).toBe('METRO')
    expect(evaluateEligibility(p, cesson, {}, DAY).reasons[0]).toMatch(/membre de Rennes Métropole/)
    expect(evaluateEligibility(p, geo.communeByInsee('29233')!, {}, DAY).status).toBe('eligible')
  })
  it('named cities and their métropoles', () => {
    const dijonMetro = geo.epciBySiren('242100410')!
    const p = buildProgramme({ eligibility: { applicants: ['commune', 'epci'], territory: { label: 'villes retenues', communes: ['21231'], epcis: ['242100410'] } } })
    expect(evaluateEligibility(p, dijonMetro, {}, DAY).status).toBe('eligible')
    expect(evaluateEligibility(p, geo.communeByInsee('21231')!, {}, DAY).status).toBe('eligible')
    expect(evaluateEligibility(p, geo.communeByInsee('21617')!, {}, DAY).status).toBe('ineligible')
  })
  it('DETR-like EPCI rule: above 75 000 hab., the centre commune decides, then the density (asked)', () => {
    const p = buildProgramme({ eligibility: { applicants: ['epci'], population: [{ applicants: ['epci'], zone: 'metro', max: 75000, unlessAboveMax: { centreMax: 20000, densityMax: 150 } }] } })
    const dijon = geo.epciBySiren('242100410')!
    expect(evaluateEligibility(p, dijon, {}, DAY)).toMatchObject({ status: 'unknown', missing: ['density'] })
    const dense = evaluateEligibility(p, dijon, { density: 1100 }, DAY)
    expect(dense.status).toBe('ineligible')
    expect(dense.reasons[0]).toMatch(/Dijon de 161.830 hab/)
    expect(evaluateEligibility(p, dijon, { density: 140 }, DAY).status).toBe('eligible')
    // An EPCI above 75 000 whose largest commune stays under 20 000 passes on the geography alone.
    const small = { ...dijon, population: 80000, centre: { code: '00000', name: 'Petiteville', population: 15000 } }
    expect(evaluateEligibility(p, small, {}, DAY).status).toBe('eligible')
  })
  it('a syndicat: its own population and kind decide', () => {
    const p = buildProgramme({ eligibility: { applicants: ['syndicat'], syndicatKinds: ['energie'], population: [{ applicants: ['syndicat'], max: 60000 }] } })
    expect(evaluateEligibility(p, commune(900), { applicantType: 'syndicat' }, DAY).missing.sort()).toEqual(['population', 'syndicatKind'])
    expect(evaluateEligibility(p, commune(900), { applicantType: 'syndicat', syndicatKind: 'energie', applicantPopulation: 85000 }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(p, commune(900), { applicantType: 'syndicat', syndicatKind: 'eau', applicantPopulation: 12000 }, DAY).status).toBe('ineligible')
    expect(evaluateEligibility(p, commune(900), { applicantType: 'syndicat', syndicatKind: 'energie', applicantPopulation: 12000 }, DAY).status).toBe('eligible')
  })
})

describe('partner countries', () => {
  const general = buildProgramme({
    eligibility: { applicants: ['commune'], partnerCountry: { label: 'tout pays sauf appels conjoints', excludedCountries: ['SN', 'MA'] } },
    aid: { rateMax: 70, rateByPartnerCategory: { ldc: 70, oda: 50, other: 30, multiCountry: 60, basis: 'règles 2025' } },
  })
  it('a country covered by its own call is excluded from the general one', () => {
    expect(failing(evaluateEligibility(general, commune(9000), { partnerCountry: 'SN' }, DAY))).toEqual(['partnerCountry'])
    expect(evaluateEligibility(general, commune(9000), { partnerCountry: 'BF' }, DAY).status).toBe('eligible')
  })
  it('the rate shown is the one for this country', () => {
    expect(aidView(general, { partnerCountry: 'BF' }).rateMax).toBe(70)
    expect(aidView(general, { partnerCountry: 'TN' }).label).toMatch(/^Jusqu'à 50 %.*Tunisie/)
    expect(aidView(general, { partnerCountry: 'CA' }).rateMax).toBe(30)
    // The category comes from the bundled list, with its source and date.
    expect(aidView(general, { partnerCountry: 'TN' }).partnerCategory).toMatchObject({ country: 'TN', category: 'oda', list: expect.stringMatching(/liste CAD/), asOf: '2024-01-01' })
    expect(aidView(general, { partnerCountry: 'BF', partnerCountries: ['TN'] }).rateMax).toBe(60)
    expect(aidView(general).label).toMatch(/selon le pays partenaire/)
  })
})

describe('exclusive closed lists settle each other', () => {
  it('a Petites villes de demain town is not Action Cœur de Ville', () => {
    const acv = buildProgramme({ eligibility: { applicants: ['commune'], closedList: 'action_coeur_de_ville' } })
    const r = evaluateEligibility(acv, commune(12000), { closedLists: { petites_villes_de_demain: true } }, DAY)
    expect(r.status).toBe('ineligible')
    expect(evaluateEligibility(acv, commune(12000), {}, DAY).missing).toEqual(['closedList:action_coeur_de_ville'])
  })
})
