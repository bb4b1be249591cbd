// The financing plan's arithmetic and the CGCT L1111-10 III rule on worked examples: every
// figure below is computed by hand in the comment above its assertion.
import { describe, expect, it } from 'vitest'
import { buildFinancingPlan, type PlanAidInput, type PlanInput } from '../../core/financing-plan.ts'

const stAmand: PlanInput['collectivite'] = { type: 'commune', name: 'Saint-Amand-Montrond', code: '18197', zone: 'metro', departement: { code: '18', name: 'Cher' } }

function aid(over: Partial<PlanAidInput> & { id: string }): PlanAidInput {
  return { name: over.id.toUpperCase(), shortName: null, funders: ['État'], level: 'national', instruments: ['grant'], status: 'eligible', aid: { uncertain: false }, ...over }
}
const detr = aid({ id: 'detr', name: 'Dotation d\'équipement des territoires ruraux', shortName: 'DETR', aid: { rateMin: 20, rateMax: 80, uncertain: false } })
const plan = (over: Partial<PlanInput>) => buildFinancingPlan({ budget: 250_000, basis: 'HT', collectivite: stAmand, themes: ['ecoles'], aids: [], ...over })

describe('the 20 % own share (CGCT L1111-10 III)', () => {
  it('DETR at its 80 % ceiling on 250 000 € HT leaves exactly the legal minimum to the commune', () => {
    const p = plan({ aids: [detr] })
    // 250 000 × 80 % = 200 000 € ; the cap is 80 % of the public funding 250 000 = 200 000 € : not exceeded.
    expect(p.lines[0]).toMatchObject({ rate: { min: 20, max: 80, label: '20 à 80 %', certainty: 'range' }, computed: { low: 50_000, high: 200_000 }, planned: 200_000 })
    // Own share 250 000 − 200 000 = 50 000 € = 20 % of 250 000; minimum 20 % × 250 000 = 50 000 €.
    expect(p.totals).toMatchObject({ aidsComputed: 200_000, aids: 200_000, ownShare: 50_000 })
    expect(p.totals.ownShareRate).toBeCloseTo(0.2, 10)
    expect(p.rule).toMatchObject({ article: 'CGCT, art. L1111-10, III', minimumRate: 0.2, minimumAmount: 50_000, maxAids: 200_000, capped: false, capReason: null, respected: true, exceptions: [] })
  })

  it('a regional aid capped at its ceiling, then both aids reduced in proportion to keep 20 %', () => {
    const region = aid({ id: 'region_x', name: 'Aide régionale', level: 'regional', funders: ['Région Centre-Val de Loire'], aid: { rateMin: 50, rateMax: 50, amountMax: 30_000, uncertain: false } })
    const p = plan({ aids: [detr, region] })
    // Région : 50 % × 250 000 = 125 000 €, above its ceiling → 30 000 €.
    const r = p.lines.find((l) => l.id === 'region_x')!
    expect(r.computed).toEqual({ low: 30_000, high: 30_000 })
    expect(r.notes.join(' ')).toMatch(/Plafonné à 30\s000,00\s€/)
    // Asked 200 000 + 30 000 = 230 000 € > cap 200 000 €. Each × 200 000 / 230 000:
    // DETR 20 000 000 c × 20/23 = 17 391 304,35 c → 17 391 304 ; région 3 000 000 c × 20/23 = 2 608 695,65 c → 2 608 695 ;
    // one cent left, to the largest remainder (région, ,65) → 2 608 696. Sum 20 000 000 c = 200 000,00 €.
    expect(p.lines.find((l) => l.id === 'detr')!.planned).toBe(173_913.04)
    expect(r.planned).toBe(26_086.96)
    expect(p.totals).toMatchObject({ aidsComputed: 230_000, aids: 200_000, ownShare: 50_000 })
    expect(p.rule.capped).toBe(true)
    expect(p.rule.capReason).toMatch(/dépassent 80 % du financement public .*au moins 20 %/)
    expect(r.notes.join(' ')).toMatch(/Ramené à 26\s086,96\s€/)
    expect(p.rule.respected).toBe(true)
  })

  it('private funding is outside the public funding the 20 % is counted on', () => {
    const p = plan({ budget: 100_000, privateFunding: 10_000, aids: [aid({ id: 'a80', aid: { rateMin: 80, rateMax: 80, uncertain: false } })] })
    // Public funding 100 000 − 10 000 = 90 000 € ; aid 80 % × 100 000 = 80 000 € > cap 80 % × 90 000 = 72 000 €.
    expect(p.publicFunding).toBe(90_000)
    expect(p.lines[0]!.planned).toBe(72_000)
    // Own share 90 000 − 72 000 = 18 000 € = 20 % × 90 000.
    expect(p.totals.ownShare).toBe(18_000)
    expect(p.rule.minimumAmount).toBe(18_000)
  })

  it('overseas (La Réunion): the minimum does not apply, aids may reach 100 % of the public funding', () => {
    const stPaul: PlanInput['collectivite'] = { type: 'commune', name: 'Saint-Paul', code: '97415', zone: 'drom', departement: { code: '974', name: 'La Réunion' } }
    const fei = aid({ id: 'fei', aid: { rateMax: 80, uncertain: false } })
    const other = aid({ id: 'other', level: 'departemental', aid: { rateMin: 30, rateMax: 30, uncertain: false } })
    const p = plan({ budget: 100_000, collectivite: stPaul, aids: [fei, other] })
    expect(p.rule.minimumRate).toBe(0)
    expect(p.rule.exceptions).toEqual([expect.objectContaining({ id: 'outre_mer', status: 'applies', label: expect.stringMatching(/La Réunion/) })])
    // 80 000 + 30 000 = 110 000 € > cap 100 % × 100 000. × 100/110: FEI 7 272 727,27 c → 7 272 727 ;
    // other 2 727 272,73 c → 2 727 272 ; the cent left goes to the larger remainder (,73) → 2 727 273.
    expect(p.lines.map((l) => l.planned)).toEqual([72_727.27, 27_272.73])
    expect(p.totals).toMatchObject({ aids: 100_000, ownShare: 0 })
    expect(p.rule.respected).toBe(true)
  })

  it('Saint-Pierre-et-Miquelon (a COM named by the article) is left out of the minimum too', () => {
    const spm: PlanInput['collectivite'] = { type: 'commune', name: 'Saint-Pierre', code: '97502', zone: 'com' }
    expect(plan({ collectivite: spm, aids: [detr] }).rule.minimumRate).toBe(0)
  })

  it('a prefect\'s derogation (calamity, protected monument) is named as possible and the 20 % stays', () => {
    const p = plan({ themes: ['culture_patrimoine'], calamity: true, aids: [detr] })
    expect(p.rule.minimumRate).toBe(0.2)
    expect(p.rule.exceptions.map((e) => [e.id, e.status])).toEqual([['monument_protege', 'possible'], ['calamite', 'possible']])
    expect(p.rule.exceptions[0]!.citation).toMatch(/L1111-10, III/)
    expect(p.uncertain.join(' ')).toMatch(/préfet de département peut déroger/)
    // The plan is unchanged: 200 000 € of aids, 50 000 € own share.
    expect(p.totals).toMatchObject({ aids: 200_000, ownShare: 50_000 })
  })

  it('Corsica, urban renewal and EU funds: « exception possible — à vérifier », never applied', () => {
    const ajaccio: PlanInput['collectivite'] = { type: 'commune', name: 'Ajaccio', code: '2A004', zone: 'metro', departement: { code: '2A', name: 'Corse-du-Sud' } }
    const eu = aid({ id: 'eu_fund', level: 'eu', aid: { rateMax: 50, uncertain: false } })
    const p = plan({ collectivite: ajaccio, themes: ['revitalisation_centre'], aids: [eu] })
    expect(p.rule.minimumRate).toBe(0.2)
    expect(p.rule.exceptions.map((e) => e.id).sort()).toEqual(['corse', 'fonds_europeens', 'renouvellement_urbain'])
    for (const e of p.rule.exceptions) expect(e.status).toBe('possible')
    expect(p.rule.exceptions.find((e) => e.id === 'corse')!.label).toMatch(/exception possible — à vérifier/)
  })
})

describe('rates as the facts give them', () => {
  it('an unknown rate is « taux inconnu » and counts for nothing', () => {
    const dsil = aid({ id: 'dsil', name: 'DSIL', aid: { uncertain: false } })
    const p = plan({ aids: [detr, dsil] })
    const l = p.lines.find((x) => x.id === 'dsil')!
    expect(l).toMatchObject({ rate: { min: null, max: null, label: 'taux inconnu', certainty: 'unknown' }, computed: null, planned: null })
    // Only DETR counts: 200 000 €.
    expect(p.totals.aids).toBe(200_000)
    expect(p.uncertain.join(' ')).toMatch(/Taux inconnu pour DSIL : non compté/)
    expect(p.stacking.join(' ')).toMatch(/Cumul à vérifier/)
  })

  it('a rate that depends on the partner country, or that the programme marks uncertain, is shown as uncertain', () => {
    const coop = aid({ id: 'coop', aid: { rateMax: 70, rateByPartnerCategory: { ldc: 70, oda: 50, other: 30, basis: 'règles 2025' }, uncertain: false } })
    const unsure = aid({ id: 'unsure', aid: { rateMin: 50, rateMax: 50, uncertain: true } })
    const p = plan({ budget: 100_000, aids: [coop, unsure] })
    const [c, u] = p.lines
    expect(c!.rate).toMatchObject({ certainty: 'uncertain', label: 'jusqu\'à 70 % (incertain)' })
    expect(c!.notes.join(' ')).toMatch(/dépend du pays partenaire/)
    expect(u!.rate).toMatchObject({ certainty: 'uncertain', label: '50 % (incertain)' })
    // Resolved for the country, the same rate is no longer country-dependent.
    const resolved = plan({ budget: 100_000, aids: [{ ...coop, partnerResolved: true }] })
    expect(resolved.lines[0]!.rate.certainty).toBe('range')
  })

  it('a flat amount (forfait) is known; loans and labels stay outside the plan; a TTC budget is flagged', () => {
    const wifi = aid({ id: 'wifi4eu', level: 'eu', instruments: ['voucher'], aid: { amountMin: 15_000, amountMax: 15_000, uncertain: false } })
    const loan = aid({ id: 'pret', instruments: ['loan'], aid: { uncertain: false } })
    const p = plan({ basis: 'TTC', aids: [wifi, loan] })
    expect(p.lines).toHaveLength(1)
    expect(p.lines[0]).toMatchObject({ rate: { label: 'forfait', certainty: 'known' }, planned: 15_000 })
    expect(p.outside).toEqual([{ id: 'pret', name: 'PRET', reason: 'Prêt : pas une subvention, hors plan de financement.' }])
    expect(p.uncertain[0]).toMatch(/TTC/)
    // 250 000 − 15 000 = 235 000 € own share.
    expect(p.totals.ownShare).toBe(235_000)
  })
})
