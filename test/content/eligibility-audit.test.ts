// The eligibility audit of the catalogue (44 decidable facts over 31 programmes that used to be
// notes or nothing): each now decides through the one evaluator, or is argued undecidable in its
// programme file. One check per row, on the real catalogue and the real geography, today fixed
// at 2026-03-01 unless the row is about another day.
import { describe, expect, it } from 'vitest'
import { evaluateEligibility, type EligibilityResult } from '../../core/eligibility.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { aidView } from '../../content/matching.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import { loadCuratedProgrammes, readProgrammeFiles } from '../../runtime/node/load-content.ts'

const DAY = '2026-03-01'
const geo = loadEtalabGeography()
const catalogue = new Map(loadCuratedProgrammes().map((p) => [p.id, p]))
const files = new Map(readProgrammeFiles().map((f) => [f.name.replace(/\.yaml$/, ''), f.text]))
const commune = (insee: string) => geo.communeByInsee(insee)!
const epci = (siren: string) => geo.epciBySiren(siren)!
const judge = (id: string, profile: CollectiviteProfile | undefined, facts: ProjectFacts = {}, day = DAY): EligibilityResult => evaluateEligibility(catalogue.get(id)!, profile, facts, day)
const failsOn = (r: EligibilityResult) => r.rules.filter((x) => x.outcome === 'fail').map((x) => x.rule)
const excludedBy = (rule: string, r: EligibilityResult) => {
  expect(r.status).toBe('ineligible')
  expect(failsOn(r)).toContain(rule)
}
/** A fact argued undecidable in the file: a `# Undecidable:` comment right above the condition that keeps it. */
const argued = (id: string, words: RegExp) => {
  const lines = files.get(id)!.split('\n')
  const at = lines.findIndex((l, i) => words.test(l) && /^\s*#\s*Undecidable:/.test(lines[i - 1] ?? ''))
  expect(at, `${id}: ${words} argued undecidable`).toBeGreaterThan(0)
}

const grenoble = commune('38185')
const dijonMetro = epci('242100410')
const water = { themes: ['cooperation_internationale', 'eau_assainissement'] } as const

describe('eligibility audit, row by row', () => {
  it('detr: a metro EPCI above 75 000 hab. around a centre above 20 000 is decided (density asked, then decides)', () => {
    expect(judge('detr', dijonMetro).missing).toContain('density')
    excludedBy('population', judge('detr', dijonMetro, { density: 1100 }))
  })
  it('detr: a syndicat up to 60 000 hab., on its own population', () => {
    excludedBy('population', judge('detr', commune('89387'), { applicantType: 'syndicat', applicantPopulation: 60001 }))
    expect(judge('detr', commune('89387'), { applicantType: 'syndicat', applicantPopulation: 60000, stage: 'travaux' }).status).toBe('eligible')
  })
  it('dsid: the Collectivité de Corse, CT de Guyane and CT de Martinique are admitted', () => {
    for (const code of ['94', '03', '02']) expect(judge('dsid', geo.region(code)).status).not.toBe('ineligible')
    excludedBy('applicant', judge('dsid', geo.region('27')))
  })
  it('fit: a finance-bill proposal is never obtainable', () => excludedBy('availability', judge('fit_fonds_investissement_territoires', dijonMetro)))
  it('actee_fnccr: CHÊNE 5 was the last call', () => excludedBy('availability', judge('actee_fnccr', grenoble, { stage: 'etude' })))
  it('bdt_edurenov: school buildings only', () => {
    excludedBy('scope', judge('bdt_edurenov', grenoble, { themes: ['renovation_energetique', 'equipements_publics'] }))
    expect(judge('bdt_edurenov', grenoble, { themes: ['ecoles'] }).status).toBe('eligible')
  })
  it('agences_eau_solidarite_internationale: water, sanitation, hygiene only', () => {
    expect(judge('agences_eau_solidarite_internationale', grenoble, { partnerCountry: 'SN', themes: ['cooperation_internationale'] }).status).not.toBe('eligible')
    excludedBy('scope', judge('agences_eau_solidarite_internationale', grenoble, { partnerCountry: 'SN', themes: ['cooperation_internationale', 'culture_patrimoine'] }))
    expect(judge('agences_eau_solidarite_internationale', grenoble, { partnerCountry: 'SN', ...water, themes: [...water.themes] }).status).toBe('eligible')
  })
  it('afd_ficol: a project too small for its grant floor, on a day the call was open', () => {
    excludedBy('budget', judge('afd_ficol', grenoble, { partnerCountry: 'KH', budget: 80000, themes: ['cooperation_internationale', 'dechets'] }, '2024-05-15'))
  })
  it('afd_ficol: its ≥ 30 % co-financing is argued undecidable', () => argued('afd_ficol', /30 %/))
  it('afd_ficol: no edition since the call closed on 2024-09-13', () => {
    const r = judge('afd_ficol', grenoble, { partnerCountry: 'KH', budget: 500000 })
    excludedBy('availability', r)
    expect(r.reasons[0]).toMatch(/13 septembre 2024/)
  })
  it('dctciv_generaliste: countries with a joint call are excluded', () => {
    for (const c of ['SN', 'MA', 'LB', 'PS', 'AM', 'UA', 'MX']) excludedBy('partnerCountry', judge('dctciv_generaliste', grenoble, { partnerCountry: c }))
    expect(judge('dctciv_generaliste', grenoble, { partnerCountry: 'BF' }).status).toBe('eligible')
    argued('dctciv_generaliste', /Québec/)
  })
  it('dctciv_generaliste, _patrimoine, _sport, _ocean: the ceiling is the partner country\'s (70 / 50 / 30)', () => {
    for (const id of ['dctciv_generaliste', 'dctciv_patrimoine', 'dctciv_sport', 'dctciv_ocean']) {
      const p = catalogue.get(id)!
      expect([aidView(p, { partnerCountry: 'BF' }).rateMax, aidView(p, { partnerCountry: 'TN' }).rateMax, aidView(p, { partnerCountry: 'BR' }).rateMax, aidView(p, { partnerCountry: 'CA' }).rateMax], id).toEqual([70, 50, 50, 30])
    }
  })
  it('dctciv_franco_libanais and dctciv_ukraine: 50 % at most', () => {
    expect(aidView(catalogue.get('dctciv_franco_libanais')!, { partnerCountry: 'LB' }).rateMax).toBe(50)
    expect(aidView(catalogue.get('dctciv_ukraine')!, { partnerCountry: 'UA' }).rateMax).toBe(50)
  })
  it('dctciv_franco_senegalais: the minimum contributions are argued undecidable', () => argued('dctciv_franco_senegalais', /20 %/))
  it('dctciv_cles_en_main: at least 3 French collectivités', () => {
    excludedBy('partners', judge('dctciv_cles_en_main', grenoble, { applicantType: 'groupement_collectivites', partnerCountry: 'BF', frenchPartners: 2 }))
  })
  it('dctciv_ocean, _franco_mexicain, _amerique_latine_caraibes: no edition announced since their last one', () => {
    excludedBy('availability', judge('dctciv_ocean', grenoble, { partnerCountry: 'SN', themes: ['cooperation_internationale', 'biodiversite'] }))
    excludedBy('availability', judge('dctciv_franco_mexicain', grenoble, { partnerCountry: 'MX' }))
    excludedBy('availability', judge('dctciv_amerique_latine_caraibes', grenoble, { partnerCountry: 'BR' }))
  })
  it('leader_feader: inside a GAL perimeter (asked)', () => {
    expect(judge('leader_feader', commune('89446')).missing).toContain('closedList:leader_gal')
    excludedBy('closedList', judge('leader_feader', grenoble, { closedLists: { leader_gal: false } }))
  })
  it('interreg_poctefa: a cross-border partner, and its 2025 calls are over with none announced', () => {
    excludedBy('partners', judge('interreg_poctefa', commune('64445'), { partnerCountry: 'IT' }, '2025-03-01'))
    excludedBy('availability', judge('interreg_poctefa', commune('64445'), { partnerCountry: 'ES' }))
  })
  it('interreg_caraibes: a Caribbean partner', () => excludedBy('partners', judge('interreg_caraibes', commune('97101'), { partnerCountry: 'ES' }, '2023-01-15')))
  it('urbact_iv: a network of foreign partners, and no call known for 2026', () => {
    excludedBy('partners', judge('urbact_iv', grenoble, { foreignPartners: false }, '2025-05-01'))
    excludedBy('availability', judge('urbact_iv', grenoble, { partnerCountry: 'IT' }))
    argued('urbact_iv', /partenaires/)
  })
  it('life_cet_local: a consortium from several countries; its 2026 call is expected, said so', () => {
    excludedBy('partners', judge('life_cet_local', grenoble, { foreignPartners: false }))
    const r = judge('life_cet_local', grenoble, { partnerCountry: 'IT', partnerCountries: ['ES'] })
    expect(r.rules.find((x) => x.rule === 'availability')).toMatchObject({ outcome: 'pass', text: expect.stringMatching(/pas encore publiée/) })
  })
  it('eucf_city_facility: an adopted climate plan is asked, then decides', () => {
    expect(judge('eucf_city_facility', grenoble, { stage: 'etude' }, '2024-02-01').missing).toContain('prerequisite:pcaet')
    excludedBy('prerequisite', judge('eucf_city_facility', grenoble, { stage: 'etude', prerequisites: { pcaet: false } }, '2024-02-01'))
  })
  it('horizon_cities_mission: the métropoles of the nine cities are admitted', () => {
    expect(failsOn(judge('horizon_cities_mission', dijonMetro))).not.toContain('territory')
    const rennes = geo.resolve('Rennes Métropole')
    expect(rennes.kind).toBe('found')
    if (rennes.kind === 'found') excludedBy('territory', judge('horizon_cities_mission', rennes.profile))
  })
  it('digital_europe_smart_communities: a consortium; last call closed on 2024-11-21', () => {
    excludedBy('availability', judge('digital_europe_smart_communities', grenoble, { partnerCountry: 'IT' }))
  })
  it('cef_digital_5g_smart_communities: public Wi-Fi is out of scope, 300 000 € at least, last call closed on 2024-02-20', () => {
    excludedBy('scope', judge('cef_digital_5g_smart_communities', grenoble, { themes: ['wifi_public'] }, '2023-01-10'))
    excludedBy('budget', judge('cef_digital_5g_smart_communities', grenoble, { themes: ['reseaux_mobiles'], budget: 150000 }, '2023-01-10'))
    const closed = judge('cef_digital_5g_smart_communities', grenoble, { themes: ['reseaux_mobiles'], budget: 500000 })
    excludedBy('availability', closed)
    expect(closed.reasons[0]).toMatch(/^Dernier appel clos le 20 février 2024, aucun appel annoncé/)
  })
  it('elena_bei: investment programmes of 30 M€ at least', () => excludedBy('budget', judge('elena_bei', dijonMetro, { budget: 80000, stage: 'etude' })))
  it('aura_bonus_ruralite: communes inside a métropole go elsewhere', () => excludedBy('territory', judge('aura_bonus_ruralite', commune('38382'))))
  it('bretagne_dynamisme_centralites: communes of Rennes or Brest Métropole excluded; no edition since 2019', () => {
    excludedBy('territory', judge('bretagne_dynamisme_centralites', commune('35051'), {}, '2019-01-15'))
    excludedBy('availability', judge('bretagne_dynamisme_centralites', commune('29233')))
  })
  it('grand_est_climaxion: building renovation suspended since 2026-01-01; « grandes agglomérations » argued', () => {
    excludedBy('availability', judge('grand_est_climaxion', commune('68334'), { themes: ['renovation_energetique', 'equipements_publics'] }))
    argued('grand_est_climaxion', /agglom/)
  })
  it('bfc_centralites_rurales_c2r: the Région\'s closed list (asked)', () => {
    expect(judge('bfc_centralites_rurales_c2r', commune('89025')).missing).toContain('closedList:bfc_centralites_rurales')
    excludedBy('closedList', judge('bfc_centralites_rurales_c2r', commune('89025'), { closedLists: { bfc_centralites_rurales: false } }))
  })
})
