// /api/match with the eligibility v2 facts, over real HTTP through the Hono app: closed calls
// excluded with their date, the project's size, a syndicat's own population, scope read from
// the project text, the country's co-financing rate, and the question that settles « à confirmer ».
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MatchResponse } from '../../content/matching.ts'
import { startServices } from '../helpers/node-services.ts'

let s: Awaited<ReturnType<typeof startServices>>
beforeAll(async () => {
  s = await startServices()
})
afterAll(() => s.dispose())

const get = async (path: string) => {
  const res = await s.app.request(path)
  return { status: res.status, body: (await res.json()) as MatchResponse & { error?: { field: string; message: string } } }
}
const q = (text: string) => encodeURIComponent(text)

describe('GET /api/match, eligibility v2', () => {
  it('a call whose last edition closed with none announced is only among the excluded, with its date', async () => {
    const { body } = await get(`/api/match?commune=38185&partnerCountry=KH&budget=400000&q=${q('coopération décentralisée, gestion des déchets au Cambodge')}&limit=200`)
    expect(body.results.map((r) => r.id)).not.toContain('afd_ficol')
    const ficol = body.excluded.find((e) => e.id === 'afd_ficol')!
    expect(ficol.reasons.join(' ')).toMatch(/Dernier appel clos le 13 septembre 2024/)
    // Every result can be applied to: open, announced or expected.
    for (const r of body.results) expect(['open', 'upcoming', 'expected']).toContain(r.availability.status)
  })

  it('the rate shown is the one for the partner country', async () => {
    const { body } = await get(`/api/match?commune=38185&partnerCountry=TN&q=${q('coopération décentralisée avec une ville tunisienne')}`)
    const generaliste = body.results.find((r) => r.id === 'dctciv_generaliste')!
    expect(generaliste.aid.rateMax).toBe(50)
    expect(generaliste.aid.label).toMatch(/Tunisie/)
    const senegal = await get(`/api/match?commune=38185&partnerCountry=SN&q=${q('coopération décentralisée avec une ville sénégalaise')}&limit=200`)
    expect(senegal.body.excluded.find((e) => e.id === 'dctciv_generaliste')?.reasons.join(' ')).toMatch(/Sénégal relèvent de leur appel dédié/)
  })

  it('a budget under a programme\'s floor excludes it; typed the French way it is read', async () => {
    const small = await get(`/api/match?region=84&q=${q('rénovation énergétique des lycées')}&budget=${q('80 000 €')}&limit=200`)
    expect(small.status).toBe(200)
    expect(small.body.excluded.find((e) => e.id === 'elena_bei')?.reasons.join(' ')).toMatch(/30 M€|30.000.000/)
    const bad = await get('/api/match?region=84&budget=beaucoup')
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatchObject({ field: 'budget' })
  })

  it('the project text decides scope: a town hall is not a school building', async () => {
    const townHall = await get(`/api/match?commune=15187&q=${q('rénovation énergétique de la mairie')}&limit=200`)
    expect(townHall.body.excluded.find((e) => e.id === 'bdt_edurenov')?.reasons.join(' ')).toMatch(/bâtiments scolaires/)
    const school = await get(`/api/match?commune=15187&q=${q('rénovation énergétique de l\'école primaire')}`)
    expect(school.body.results.find((r) => r.id === 'bdt_edurenov')?.eligibility.status).toBe('eligible')
    // A bare renovation may be a school's: « à confirmer », with the question that settles it.
    const bare = await get(`/api/match?commune=15187&q=${q('rénovation énergétique')}&limit=200`)
    const edurenov = bare.body.results.find((r) => r.id === 'bdt_edurenov')!
    expect(edurenov.eligibility.status).toBe('unknown')
    expect(edurenov.eligibility.questions).toEqual([{ fact: 'scope:ecoles', question: 'Le projet porte-t-il sur : bâtiments scolaires (écoles, collèges et lycées) ?' }])
  })

  it('a syndicat is judged on its own population, given or summed from its member communes', async () => {
    const big = await get('/api/match?commune=89387&applicant=syndicat&population=85000&themes=equipements_publics&stage=travaux&limit=200')
    expect(big.body.excluded.find((e) => e.id === 'detr')?.reasons.join(' ')).toMatch(/Syndicat de 85.000 hab/)
    const small = await get('/api/match?commune=89387&applicant=syndicat&members=89387,89446&themes=equipements_publics&stage=travaux')
    expect(small.body.results.find((r) => r.id === 'detr')?.eligibility.status).toBe('eligible')
    const unknown = await get('/api/match?commune=89387&applicant=syndicat&members=89387,99999')
    expect(unknown.status).toBe(400)
    expect(unknown.body.error).toMatchObject({ field: 'members' })
  })

  it('a proposal is never obtainable, and says why', async () => {
    const { body } = await get(`/api/match?commune=21231&q=${q('rénovation de la voirie')}&limit=200`)
    expect(body.results.map((r) => r.id)).not.toContain('fit_fonds_investissement_territoires')
    expect(body.excluded.find((e) => e.id === 'fit_fonds_investissement_territoires')?.reasons.join(' ')).toMatch(/seulement proposée, pas adoptée/)
  })
})
