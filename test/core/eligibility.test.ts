import { describe, expect, it } from 'vitest'
import { evaluateEligibility } from '../../core/eligibility.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { buildProgramme, commune, dromCommune } from '../builders/programme.ts'

// A DETR-like rule set: éligible d'office up to 2 000 (metro) / 3 500 (DROM), conditional up to 20 000 / 35 000.
const dotation = buildProgramme({
  eligibility: {
    applicants: ['commune', 'epci'],
    population: [
      { applicants: ['commune'], zone: 'metro', max: 20000, conditionalAbove: 2000, condition: 'potentiel financier inférieur à 1,3 fois la moyenne' },
      { applicants: ['commune'], zone: 'drom', max: 35000, conditionalAbove: 3500, condition: 'potentiel financier inférieur à 1,3 fois la moyenne' },
    ],
  },
})
// "Moins de 25 000 habitants" (strict bound) and "au moins 3 500" (minimum).
const strict = buildProgramme({ eligibility: { applicants: ['commune'], population: [{ applicants: ['commune'], max: 25000, maxInclusive: false }] } })
const minimum = buildProgramme({ eligibility: { applicants: ['commune'], population: [{ applicants: ['commune'], min: 3500 }] } })

describe('population thresholds at every edge', () => {
  it.each([
    [2000, 'eligible', false],
    [2001, 'eligible', true],
    [19999, 'eligible', true],
    [20000, 'eligible', true],
    [20001, 'ineligible', false],
  ])('metro commune of %i hab. → %s (à vérifier: %s)', (pop, status, conditional) => {
    const r = evaluateEligibility(dotation, commune(pop), {}, '2026-03-01')
    expect(r.status).toBe(status)
    expect(r.toCheck.some((t) => /potentiel financier/i.test(t))).toBe(conditional)
  })

  it.each([
    [3500, 'eligible', false],
    [3501, 'eligible', true],
    [35000, 'eligible', true],
    [35001, 'ineligible', false],
  ])('DROM commune of %i hab. → %s (à vérifier: %s)', (pop, status, conditional) => {
    const r = evaluateEligibility(dotation, dromCommune(pop), {}, '2026-03-01')
    expect(r.status).toBe(status)
    expect(r.toCheck.some((t) => /potentiel financier/i.test(t))).toBe(conditional)
  })

  it('the same 25 000 hab. is out in metro but in for a DROM commune', () => {
    expect(evaluateEligibility(dotation, commune(25000), {}, '2026-03-01').status).toBe('ineligible')
    expect(evaluateEligibility(dotation, dromCommune(25000), {}, '2026-03-01').status).toBe('eligible')
  })

  it.each([
    [24999, 'eligible'],
    [25000, 'ineligible'],
  ])('"moins de 25 000 hab." with %i hab. → %s', (pop, status) => {
    expect(evaluateEligibility(strict, commune(pop), {}, '2026-03-01').status).toBe(status)
  })

  it.each([
    [3499, 'ineligible'],
    [3500, 'eligible'],
  ])('"au moins 3 500 hab." with %i hab. → %s', (pop, status) => {
    expect(evaluateEligibility(minimum, commune(pop), {}, '2026-03-01').status).toBe(status)
  })

  it('says why in French, with the figures', () => {
    const ok = evaluateEligibility(dotation, commune(9899), {}, '2026-03-01')
    expect(ok.reasons).toContain('Commune de 9\u202f899 hab. : sous le plafond de 20\u202f000 hab. en métropole')
    const ko = evaluateEligibility(dotation, commune(67669), {}, '2026-03-01')
    expect(ko.reasons[0]).toBe('Commune de 67\u202f669 hab. : au-dessus du plafond de 20\u202f000 hab. en métropole')
    expect(evaluateEligibility(dotation, commune(1500), {}, '2026-03-01').reasons).toContain("Commune de 1\u202f500 hab. : éligible d'office (2\u202f000 hab. ou moins en métropole)")
  })

  it('unknown population is a missing fact, not a failure', () => {
    const r = evaluateEligibility(dotation, commune(0, { population: undefined }), {}, '2026-03-01')
    expect(r.status).toBe('unknown')
    expect(r.missing).toEqual(['population'])
  })
})

describe('applicant types, territory, closed lists, partner country, stage', () => {
  it('an applicant type the programme does not take makes it ineligible', () => {
    const r = evaluateEligibility(dotation, commune(500), { applicantType: 'departement' }, '2026-03-01')
    expect(r.status).toBe('ineligible')
    expect(r.reasons[0]).toMatch(/^Réservé aux communes et intercommunalités/)
  })

  it('no collectivité at all → unknown naming it', () => {
    const r = evaluateEligibility(dotation, undefined, {}, '2026-03-01')
    expect(r.status).toBe('unknown')
    expect(r.missing).toContain('collectivite')
  })

  it('territory by région and by zone', () => {
    const occitanie = buildProgramme({ eligibility: { applicants: ['commune'], territory: { label: 'Région Occitanie', regions: ['76'] } } })
    expect(evaluateEligibility(occitanie, commune(800), {}, '2026-03-01').status).toBe('ineligible')
    expect(evaluateEligibility(occitanie, commune(800), {}, '2026-03-01').reasons[0]).toBe("Hors territoire (Région Occitanie) : Testville (18) n'en fait pas partie")
    expect(evaluateEligibility(occitanie, commune(800, { region: { code: '76', name: 'Occitanie' } }), {}, '2026-03-01').status).toBe('eligible')
    const metroOnly = buildProgramme({ eligibility: { applicants: ['commune'], territory: { label: 'France métropolitaine', zones: ['metro'] } } })
    expect(evaluateEligibility(metroOnly, dromCommune(800), {}, '2026-03-01').status).toBe('ineligible')
    expect(evaluateEligibility(metroOnly, commune(800), {}, '2026-03-01').status).toBe('eligible')
  })

  it('closed list: unknown until told, then in or out', () => {
    const pvd = buildProgramme({ eligibility: { applicants: ['commune'], closedList: 'petites_villes_de_demain', excludedClosedLists: ['action_coeur_de_ville'] } })
    const unknown = evaluateEligibility(pvd, commune(5000), {}, '2026-03-01')
    expect(unknown.status).toBe('unknown')
    expect(unknown.missing).toEqual(['closedList:petites_villes_de_demain'])
    expect(unknown.toCheck.join()).toMatch(/Action Cœur de Ville/)
    expect(evaluateEligibility(pvd, commune(5000), { closedLists: { petites_villes_de_demain: true } }, '2026-03-01').status).toBe('eligible')
    expect(evaluateEligibility(pvd, commune(5000), { closedLists: { petites_villes_de_demain: false } }, '2026-03-01').status).toBe('ineligible')
    expect(evaluateEligibility(pvd, commune(5000), { closedLists: { petites_villes_de_demain: true, action_coeur_de_ville: true } }, '2026-03-01').status).toBe('ineligible')
  })

  it('partner country: named list and ODA group', () => {
    const senegal = buildProgramme({ eligibility: { applicants: ['commune'], partnerCountry: { label: 'collectivité sénégalaise', countries: ['SN'] } } })
    expect(evaluateEligibility(senegal, commune(800), {}, '2026-03-01').missing).toEqual(['partnerCountry'])
    expect(evaluateEligibility(senegal, commune(800), { partnerCountry: 'SN' }, '2026-03-01').status).toBe('eligible')
    const ko = evaluateEligibility(senegal, commune(800), { partnerCountry: 'MA' }, '2026-03-01')
    expect(ko.status).toBe('ineligible')
    expect(ko.reasons[0]).toBe('Réservé aux coopérations avec Sénégal : pas Maroc')
    const oda = buildProgramme({ eligibility: { applicants: ['commune'], partnerCountry: { label: 'pays APD', group: 'oda' } } })
    expect(evaluateEligibility(oda, commune(800), { partnerCountry: 'BF' }, '2026-03-01').status).toBe('eligible')
    expect(evaluateEligibility(oda, commune(800), { partnerCountry: 'DE' }, '2026-03-01').status).toBe('ineligible')
  })

  it('stage: operating costs are refused by an investment programme; unknown stage only adds a note', () => {
    const invest = buildProgramme({ eligibility: { applicants: ['commune'], stages: ['etude', 'travaux'] } })
    expect(evaluateEligibility(invest, commune(800), { stage: 'fonctionnement' }, '2026-03-01').status).toBe('ineligible')
    expect(evaluateEligibility(invest, commune(800), { stage: 'travaux' }, '2026-03-01').status).toBe('eligible')
    const noStage = evaluateEligibility(invest, commune(800), {}, '2026-03-01')
    expect(noStage.status).toBe('eligible')
    expect(noStage.toCheck).toContain('Finance seulement les études et les travaux')
    expect(evaluateEligibility(invest, commune(800), { stage: 'fonctionnement' }, '2026-03-01').reasons[0]).toBe('Ne finance pas le fonctionnement : seulement les études et les travaux')
  })

  it('an ended programme is never eligible', () => {
    const ended = buildProgramme({ calendar: { kind: 'ended' } })
    expect(evaluateEligibility(ended, commune(800), {}, '2026-03-01').status).toBe('ineligible')
  })
})

describe('on the real catalogue', () => {
  const catalogue = new Map(loadCuratedProgrammes().map((p) => [p.id, p]))
  const detr = catalogue.get('detr')!
  const samont = commune(9899, { name: 'Saint-Amand-Montrond' })
  const issy = commune(67669, { name: 'Issy-les-Moulineaux', code: '92040', departement: { code: '92', name: 'Hauts-de-Seine' }, region: { code: '11', name: 'Île-de-France' } })

  it('DETR: Saint-Amand-Montrond eligible with the potentiel financier to check; Issy out on population', () => {
    const ok = evaluateEligibility(detr, samont, {}, '2026-03-01')
    expect(ok.status).toBe('eligible')
    expect(ok.toCheck.join(' ')).toMatch(/potentiel financier/)
    const ko = evaluateEligibility(detr, issy, {}, '2026-03-01')
    expect(ko.status).toBe('ineligible')
    expect(ko.reasons[0]).toMatch(/67\u202f669 hab\..*20\u202f000 hab\./)
  })

  it('Petites villes de demain: Issy out on population even before the closed list is known', () => {
    const r = evaluateEligibility(catalogue.get('petites_villes_de_demain')!, issy, {}, '2026-03-01')
    expect(r.status).toBe('ineligible')
    expect(r.reasons[0]).toMatch(/67\u202f669 hab\./)
  })
})

describe('the status-only scan', () => {
  it('agrees with the full evaluation on every real programme, for varied collectivités and facts', async () => {
    const { eligibilityStatus } = await import('../../core/eligibility.ts')
    const programmes = loadCuratedProgrammes()
    const profiles = [commune(476), commune(9899), commune(67669), dromCommune(25000), commune(0, { population: undefined }), undefined]
    const factsList = [{}, { stage: 'fonctionnement' as const }, { partnerCountry: 'SN' }, { applicantType: 'epci' as const }, { closedLists: { petites_villes_de_demain: true } }]
    let checked = 0
    for (const p of programmes) {
      for (const profile of profiles) {
        for (const facts of factsList) {
          const full = evaluateEligibility(p, profile, facts, '2026-03-01')
          const quick = eligibilityStatus(p, profile, facts, '2026-03-01')
          expect(quick.status, `${p.id}`).toBe(full.status)
          expect([...quick.missing], `${p.id}`).toEqual(full.missing)
          checked++
        }
      }
    }
    expect(checked).toBe(programmes.length * 30)
  })
})
