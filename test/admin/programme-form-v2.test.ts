// The programme form and the eligibility v2 fields, through the real Node composition: a save
// that does not touch a field keeps it (every curated programme goes through the form and back
// unchanged), v2 fields edited and refused next to their input, the examples of a programme
// replayed on its page and on « Prévisualiser sans enregistrer », and the availability shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { applyOverride, validatePatch } from '../../content/overrides.ts'
import { formToProgrammeFields, programmeToForm } from '../../bot/admin/programme-form-map.ts'
import { ProgrammeSchema, type Programme, type ProgrammeInput } from '../../core/programme.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { asUser, login, startAdmin, type AdminHarness } from './harness.ts'

let h: AdminHarness
let editor: { cookie: string; csrf: string }

beforeAll(async () => {
  h = await startAdmin()
  await h.createUser('v2@ville.fr', 'editor')
  editor = await login(h.app, 'v2@ville.fr')
})
afterAll(() => h?.dispose())

const as = () => asUser(h, editor)
const json = (method: string, body?: unknown) => as().json(method, body)
const get = (path: string) => as().get(path)
const formBody = (values: Record<string, string | string[]>) => as().formBody(values)
const postForm = (path: string, values: Record<string, string | string[]>) => as().postForm(path, values)

/** Every v2 field filled in, for the round trip. */
const FULL_V2: ProgrammeInput = {
  id: 'v2_complet', name: 'Programme de test, tous champs', funders: ['État'], level: 'national', instruments: ['grant', 'call_for_projects'],
  summary: 'Un programme fictif qui remplit chaque champ de la fiche.', themes: ['ecoles', 'renovation_energetique'], keywords: ['école', 'test'],
  eligibility: {
    applicants: ['commune', 'epci', 'syndicat'], epciKinds: ['CC', 'CA'], syndicatKinds: ['energie', 'eau'],
    population: [
      { applicants: ['epci'], max: 75000, unlessAboveMax: { centreMax: 20000, densityMax: 150.5 } },
      { applicants: ['commune'], zone: 'metro', min: 100, max: 20000, maxInclusive: false, conditionalAbove: 10000, condition: 'Projet intercommunal' },
    ],
    territory: { label: 'Hors métropoles', zones: ['metro', 'drom'], regions: ['27'], departements: ['89', '2A'], communes: ['89446'], epcis: ['200039758'], excludedRegions: ['11'], excludedDepartements: ['75'], excludedEpciKinds: ['METRO', 'MET69'] },
    closedList: 'crte', excludedClosedLists: ['action_coeur_de_ville'],
    partnerCountry: { label: 'Partenaire d\'un pays APD', countries: ['SN', 'MA'], excludedCountries: ['TN'], group: 'oda' },
    stages: ['etude', 'travaux'],
    admitted: [{ label: 'Collectivité de Corse', regions: ['94'] }, { label: 'Lyon et sa métropole', communes: ['69123'], epcis: ['200046977'] }],
    scope: { label: 'bâtiments scolaires', themes: ['ecoles'], openThemes: ['renovation_energetique'], excludedThemes: ['wifi_public'] },
    location: 'france',
    budget: { min: 200000, max: 5000000, basis: 'subvention minimale de 200 000 €' },
    partners: { label: 'Consortium transfrontalier', foreign: true, countries: ['ES', 'AD'], minCountries: 3, minFrenchCollectivites: 2 },
    prerequisites: ['pcaet'],
    conditions: ['Projet inscrit au contrat local', 'Maîtrise d\'ouvrage publique'],
  },
  aid: { rateMin: 20, rateMax: 80, amountMax: 1000000, notes: 'Plafond par projet', rateByPartnerCategory: { ldc: 80, oda: 70, other: 50, multiCountry: 60, basis: 'règles 2025 du MEAE' } },
  calendar: {
    kind: 'recurring', cycle: 'irregular', note: 'Un appel par an environ',
    editions: [{ label: '2024', deadlines: ['2024-05-01'] }, { label: '2025', opensAt: '2025-01-10', deadlines: ['2025-03-01', '2025-04-30'], estimated: true, final: true }],
    typicalWindow: { opens: '01-10', closes: '04-30' },
  },
  adopted: false,
  suspension: { from: '2026-01-01', until: '2026-06-30', themes: ['ecoles'], note: 'Volet écoles suspendu' },
  examples: [
    { about: 'Vézelay, école', commune: '89446', themes: ['ecoles'], stage: 'travaux', budget: 300000, date: '2025-02-01', expect: 'eligible' },
    { about: 'Syndicat d\'énergie', applicant: 'syndicat', applicantPopulation: 5000, syndicatKind: 'energie', partnerCountries: ['ES'], foreignPartners: true, frenchPartners: 2, closedLists: { petites_villes_de_demain: true }, prerequisites: { pcaet: false }, date: '2025-02-01', expect: 'ineligible', rule: 'prerequisite' },
  ],
  links: { official: 'https://exemple.invalid/v2', apply: 'https://exemple.invalid/v2/depot' },
  provenance: { kind: 'curated', sources: ['https://exemple.invalid/v2'] },
  uncertain: [{ field: 'calendar', note: 'Dates 2026 non publiées' }],
  statusNote: 'Fusion annoncée',
}

/** The programme a save of the untouched form gives. */
function throughForm(p: Programme): Programme {
  return applyOverride(p, { patch: validatePatch(p, formToProgrammeFields(p, programmeToForm(p))), verifiedAt: null })
}

describe('a save that does not touch a field keeps it', () => {
  const curated = loadCuratedProgrammes()

  it.each(curated.map((p) => [p.id, p] as const))('%s comes back from the form unchanged', (_id, p) => {
    const back = throughForm(p)
    expect(back.eligibility).toEqual(p.eligibility)
    expect(back.aid).toEqual(p.aid)
    expect(back.calendar).toEqual(p.calendar)
    expect(back.adopted).toBe(p.adopted)
    expect(back.suspension).toEqual(p.suspension)
    expect(back.examples).toEqual(p.examples)
    expect(back).toEqual(p)
  })

  it('a programme using every v2 field comes back unchanged', () => {
    const p = ProgrammeSchema.parse(FULL_V2)
    expect(throughForm(p)).toEqual(p)
  })

  it('over HTTP: saving the untouched form of such a programme writes no change', async () => {
    expect((await h.app.request('/api/admin/programmes', json('POST', FULL_V2))).status).toBe(201)
    const before = h.catalogue().get('v2_complet')!
    expect((await postForm('/admin/programmes/v2_complet', programmeToForm(before))).status).toBe(303)
    expect((await h.stores.overrides.get('v2_complet'))?.patch ?? {}).toEqual({})
    expect(h.catalogue().get('v2_complet')).toEqual(before)
  })
})

describe('editing v2 fields through the form', () => {
  it('sets the scope, budget, partners, suspension, an edition as the last and a centre rule; the rest stays', async () => {
    const p = h.catalogue().get('detr')!
    const v = programmeToForm(p)
    const res = await postForm('/admin/programmes/detr', {
      ...v,
      scopeLabel: 'bâtiments scolaires', scopeThemes: ['ecoles'], scopeOpenThemes: ['renovation_energetique'],
      budgetMin: '250 000', budgetBasis: 'seuil de l\'appel',
      partnersLabel: 'Deux communes au moins', partnersMinFrench: '2',
      syndicatKinds: ['energie'], territoryExcludedEpciKinds: ['METRO'], prerequisites: ['pcaet'], location: 'france',
      suspensionFrom: '2026-02-01', suspensionNote: 'Crédits gelés',
      rateOda: '70', rateBasis: 'règles 2025',
      'pop.0.applicants': 'epci', 'pop.0.max': '75000', 'pop.0.centreMax': '20000', 'pop.0.densityMax': '',
      admitted: '- label: Collectivité de Corse\n  regions: ["94"]\n',
    })
    expect(res.status).toBe(303)
    const served = (await (await get('/api/admin/programmes/detr')).json()) as { effective: Programme; availability: { status: string } }
    const el = served.effective.eligibility
    expect(el.scope).toEqual({ label: 'bâtiments scolaires', themes: ['ecoles'], openThemes: ['renovation_energetique'], excludedThemes: [] })
    expect(el.budget).toEqual({ min: 250000, basis: 'seuil de l\'appel' })
    expect(el.partners).toEqual({ label: 'Deux communes au moins', foreign: false, minFrenchCollectivites: 2 })
    expect(el.syndicatKinds).toEqual(['energie'])
    expect(el.territory?.excludedEpciKinds).toEqual(['METRO'])
    expect(el.prerequisites).toEqual(['pcaet'])
    expect(el.location).toBe('france')
    expect(el.admitted).toEqual([{ label: 'Collectivité de Corse', regions: ['94'] }])
    expect(el.population[0]).toMatchObject({ applicants: ['epci'], max: 75000, unlessAboveMax: { centreMax: 20000 } })
    expect(served.effective.suspension).toEqual({ from: '2026-02-01', note: 'Crédits gelés' })
    expect(served.effective.aid.rateByPartnerCategory).toEqual({ oda: 70, basis: 'règles 2025' })
    // The rest of the programme is untouched.
    expect(el.applicants).toEqual(p.eligibility.applicants)
    expect(served.effective.calendar).toEqual(p.calendar)
    expect(served.effective.examples).toEqual(p.examples)
    // The suspension shows as the availability on the server's day (2026-03-01).
    expect(served.availability.status).toBe('suspended')
    const page = await (await get('/admin/programmes/detr')).text()
    expect(page).toContain('Disponibilité au 2026-03-01 :</strong> Suspendu')
    expect(page.slice(page.indexOf('aria-label="Aperçu"'))).toMatch(/Disponibilité au 2026-03-01 :<\/strong> Suspendu — Suspendu depuis le 1er février 2026/)
    // Clearing the suspension through the form takes it off; nothing else moves.
    const now = h.catalogue().get('detr')!
    expect((await postForm('/admin/programmes/detr', { ...programmeToForm(now), suspensionFrom: '', suspensionNote: '' })).status).toBe(303)
    expect(h.catalogue().get('detr')!.suspension).toBeUndefined()
    expect(h.catalogue().get('detr')!.eligibility).toEqual(now.eligibility)
  })

  it('marks a measure as only proposed, and a recurring call as irregular with a last edition', async () => {
    const p = h.catalogue().get('dsil')!
    expect((await postForm('/admin/programmes/dsil', { ...programmeToForm(p), proposed: '1', calendarKind: 'recurring', calendarCycle: 'irregular', deadlines: '2025-04-30', editionFinal: '1' })).status).toBe(303)
    const served = h.catalogue().get('dsil')!
    expect(served.adopted).toBe(false)
    expect(served.calendar).toMatchObject({ kind: 'recurring', cycle: 'irregular' })
    expect(served.calendar.editions.at(-1)).toMatchObject({ deadlines: ['2025-04-30'], final: true })
    expect(await (await get('/admin/programmes/dsil')).text()).toContain('Proposé, non adopté — Mesure seulement proposée')
  })
})

describe('an invalid v2 value is refused next to its input, and nothing is written', () => {
  it.each([
    ['budget without its basis', { budgetMin: '1000' }, 'budgetBasis', /eligibility\.budget\.basis : /],
    ['a cost that is not a number', { budgetMin: 'beaucoup', budgetBasis: 'x' }, 'budgetMin', /eligibility\.budget\.min : /],
    ['a suspension date in words', { suspensionFrom: '1er mars', suspensionNote: 'gel' }, 'suspensionFrom', /suspension\.from : date au format AAAA-MM-JJ attendue/],
    ['a partner country that is no ISO code', { partnerLabel: 'x', partnerExcludedCountries: 'Maroc' }, 'partnerExcludedCountries', /eligibility\.partnerCountry\.excludedCountries\.0 : code pays ISO/],
    ['a centre rule with a negative population', { 'pop.0.applicants': 'epci', 'pop.0.max': '75000', 'pop.0.centreMax': '-3' }, 'pop.0.centreMax', /eligibility\.population\.0\.unlessAboveMax\.centreMax : /],
    ['an SIREN of 8 digits', { territoryLabel: 'x', territoryEpcis: '12345678' }, 'territoryEpcis', /eligibility\.territory\.epcis\.0 : SIREN à 9 chiffres attendu/],
    ['an admitted entry without its label', { admitted: '- regions: ["94"]\n' }, 'admitted', /eligibility\.admitted\.0\.label : /],
    ['admitted entries that are not YAML', { admitted: '- label: [oops' }, 'admitted', /eligibility\.admitted : YAML illisible/],
    ['an example that excludes without naming its rule', { examples: '- about: Vézelay\n  commune: "89446"\n  date: 2026-03-01\n  expect: ineligible\n' }, 'examples', /examples\.0\.rule : un cas écarté ou à confirmer nomme sa règle/],
    ['an example with an unknown field', { examples: '- about: Vézelay\n  commune: "89446"\n  date: 2026-03-01\n  expect: eligible\n  population: 400\n' }, 'examples', /examples\.0\.population : champ inconnu/],
    ['examples that are not YAML', { examples: 'about: [' }, 'examples', /examples : YAML illisible/],
  ])('%s', async (_what, change, input, message) => {
    const p = h.catalogue().get('fonds_vert')!
    const before = await h.stores.overrides.get('fonds_vert')
    const res = await postForm('/admin/programmes/fonds_vert', { ...programmeToForm(p), ...change })
    expect(res.status).toBe(400)
    const html = await res.text()
    const id = `f-${input}`.replace(/\./g, '\\.')
    expect(html).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true"`))
    const error = new RegExp(`id="${id}-error" class="error">([^<]*)<`).exec(html)?.[1] ?? ''
    expect(error.replace(/&#39;/g, "'")).toMatch(message)
    expect(await h.stores.overrides.get('fonds_vert')).toEqual(before)
  })
})

/** A created programme with examples: two hold, one does not (Lyon is above the threshold). */
const WITH_EXAMPLES: ProgrammeInput = {
  id: 'petites_communes_test', name: 'Aide test aux petites communes', funders: ['Département test'], level: 'departemental', instruments: ['grant'],
  summary: 'Aide fictive aux communes de moins de 1 000 habitants.', themes: ['equipements_publics'],
  eligibility: { applicants: ['commune'], population: [{ applicants: ['commune'], max: 1000 }] },
  calendar: { kind: 'permanent' },
  links: { official: 'https://exemple.invalid/petites' }, provenance: { kind: 'curated', sources: ['https://exemple.invalid/petites'] },
  examples: [
    { about: 'Vézelay (476 hab.)', commune: '89446', date: '2026-03-01', expect: 'eligible' },
    { about: 'Auxerre (35 000 hab.)', commune: '89024', date: '2026-03-01', expect: 'ineligible', rule: 'population' },
    { about: 'Lyon, attendu à tort éligible', commune: '69123', date: '2026-03-01', expect: 'eligible' },
  ],
}

describe('the examples of a programme', () => {
  beforeAll(async () => {
    expect((await h.app.request('/api/admin/programmes', json('POST', WITH_EXAMPLES))).status).toBe(201)
  })

  const section = (html: string) => html.slice(html.indexOf('id="exemples"'), html.indexOf('<h2', html.indexOf('id="exemples"') + 1))
  const row = (html: string, about: string) => {
    const at = html.indexOf(`<td>${about}</td>`)
    return at < 0 ? '' : html.slice(at, html.indexOf('</tr>', at))
  }

  it('are replayed on the programme page: status obtained, whether each holds, and the coverage', async () => {
    const html = section(await (await get('/admin/programmes/petites_communes_test')).text())
    expect(html).toContain('3 exemple(s) : 2 tiennent, 1 ne tiennent pas.')
    expect(row(html, 'Vézelay (476 hab.)')).toMatch(/<td>éligible<\/td><td>éligible<\/td><td>tient<\/td>/)
    expect(row(html, 'Auxerre (35 000 hab.)')).toMatch(/<td>écarté \(règle : population\)<\/td><td>écarté<\/td><td>tient<\/td>/)
    expect(row(html, 'Lyon, attendu à tort éligible')).toMatch(/<td>écarté<\/td><td><strong class="error">ne tient pas : attendu éligible, obtenu écarté/)
    // Every decidable rule here (applicant, population) is passed by an example; only population excludes one.
    expect(html).toContain('Règles sans exemple qui les passe : aucune')
    expect(html).toContain('Règles sans exemple écarté par elles : type de porteur')
    // The API gives the same.
    const api = (await (await get('/api/admin/programmes/petites_communes_test')).json()) as { examples: { ok: boolean; status: string }[]; coverage: { rule: string; positive: boolean; negative: boolean }[]; availability: { status: string } }
    expect(api.examples.map((e) => [e.status, e.ok])).toEqual([['eligible', true], ['ineligible', true], ['ineligible', false]])
    expect(api.coverage).toEqual([{ rule: 'applicant', positive: true, negative: false }, { rule: 'population', positive: true, negative: true }])
    expect(api.availability.status).toBe('open')
  })

  it('« Prévisualiser sans enregistrer » replays them on the edited programme: an edit that breaks one shows it failing; nothing is written', async () => {
    const p = h.catalogue().get('petites_communes_test')!
    const res = await postForm('/admin/programmes/petites_communes_test', { ...programmeToForm(p), _action: 'preview', 'pop.0.max': '400' })
    expect(res.status).toBe(200)
    const page = await res.text()
    expect(page).toContain('Exemples rejoués sur la fiche modifiée (non enregistrée)')
    const html = section(page)
    expect(row(html, 'Vézelay (476 hab.)')).toMatch(/<td>écarté<\/td><td><strong class="error">ne tient pas : attendu éligible, obtenu écarté/)
    expect(html).toContain('3 exemple(s) : 1 tiennent, 2 ne tiennent pas.')
    expect(await h.stores.overrides.get('petites_communes_test')).toBeUndefined()
    expect(h.catalogue().get('petites_communes_test')).toEqual(p)

    // Examples edited in the form are replayed too: the wrong one fixed, the preview shows them all holding.
    const fixed = programmeToForm(p)['examples']!.toString().replace('expect: eligible\n', 'expect: eligible\n').replace(/(about: Lyon, attendu à tort éligible\n(?:  .*\n)*?  expect: )eligible/, '$1ineligible\n  rule: population')
    const res2 = await postForm('/admin/programmes/petites_communes_test', { ...programmeToForm(p), _action: 'preview', examples: fixed })
    expect(section(await res2.text())).toContain('3 exemple(s) : 3 tiennent, 0 ne tiennent pas.')
  })

})
