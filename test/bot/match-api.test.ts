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
  return { status: res.status, body: (await res.json()) as any }
}
const school = encodeURIComponent("rénovation énergétique de l'école")

describe('GET /api/match', () => {
  it('Saint-Amand-Montrond, energy renovation of a school: DETR (à vérifier: potentiel financier) and Fonds vert eligible', async () => {
    const { status, body } = await get(`/api/match?commune=18197&applicant=commune&q=${school}`)
    expect(status).toBe(200)
    const r = body as MatchResponse
    expect(r.profile).toMatchObject({ type: 'commune', name: 'Saint-Amand-Montrond', code: '18197', population: 9899, zone: 'metro', departement: { code: '18' } })
    const detr = r.results.find((x) => x.id === 'detr')!
    expect(detr.eligibility.status).toBe('eligible')
    expect(detr.eligibility.reasons).toContain('Commune de 9\u202f899 hab. : sous le plafond de 20\u202f000 hab. en métropole')
    expect(detr.eligibility.toCheck.join(' ')).toMatch(/potentiel financier/i)
    expect(r.results.find((x) => x.id === 'fonds_vert')?.eligibility.status).toBe('eligible')
    // Eligible first, then unknown; nothing ineligible among results.
    const ranks = r.results.map((x) => ({ eligible: 0, unknown: 1 })[x.eligibility.status as 'eligible' | 'unknown'])
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(r.results.every((x) => x.eligibility.status !== 'ineligible')).toBe(true)
    // Relevance: both are in the top ten for this project.
    const top = r.results.slice(0, 10).map((x) => x.id)
    expect(top).toEqual(expect.arrayContaining(['detr', 'fonds_vert']))
  })

  it('Issy-les-Moulineaux: DETR and Petites villes de demain excluded on population', async () => {
    const { status, body } = await get(`/api/match?commune=92040&applicant=commune&q=${school}`)
    expect(status).toBe(200)
    const r = body as MatchResponse
    expect(r.profile?.population).toBe(67669)
    const detr = r.excluded.find((x) => x.id === 'detr')!
    expect(detr.reasons[0]).toMatch(/67\u202f669 hab\..*20\u202f000 hab\./)
    const pvd = r.excluded.find((x) => x.id === 'petites_villes_de_demain')!
    expect(pvd.reasons[0]).toMatch(/67\u202f669 hab\./)
    expect(r.results.map((x) => x.id)).not.toContain('detr')
  })

  it('unknown commune "Vezelai" → 404 suggesting Vézelay (89)', async () => {
    const { status, body } = await get('/api/match?commune=Vezelai&applicant=commune')
    expect(status).toBe(404)
    expect(body.error.field).toBe('commune')
    expect(body.error.suggestions.map((x: { label: string }) => x.label)).toContain('Vézelay (89)')
    expect(body.error.message).toMatch(/Vézelay \(89\)/)
  })

  it('applicant=mayor → 400 naming applicant', async () => {
    const { status, body } = await get('/api/match?commune=18197&applicant=mayor')
    expect(status).toBe(400)
    expect(body.error.field).toBe('applicant')
  })

  it.each([
    ['/api/match?applicant=commune', 'commune'],
    ['/api/match?commune=18197&themes=ecoles,piscines', 'themes.1'],
    ['/api/match?commune=18197&stage=demolition', 'stage'],
    ['/api/match?commune=18197&limit=0', 'limit'],
    ['/api/match?commune=18197&foo=bar', 'foo'],
    ['/api/match?commune=18197&epci=200000172', 'epci'],
  ])('%s → 400 naming %s', async (path, field) => {
    const { status, body } = await get(path)
    expect(status).toBe(400)
    expect(body.error.field).toBe(field)
  })

  it('a homonym is a 400 with the candidates; the département settles it', async () => {
    const amb = await get('/api/match?commune=Saint-Denis')
    expect(amb.status).toBe(400)
    expect(amb.body.error.code).toBe('ambiguous')
    expect(amb.body.error.candidates.map((c: { code: string }) => c.code)).toEqual(expect.arrayContaining(['93066', '97411']))
    const reunion = await get(`/api/match?commune=${encodeURIComponent('Saint-Denis (974)')}`)
    expect(reunion.status).toBe(200)
    expect(reunion.body.profile).toMatchObject({ code: '97411', zone: 'drom' })
  })

  it('themes filter the programmes to the project; a région is a profile too', async () => {
    const { body } = await get('/api/match?region=76&themes=cooperation_internationale')
    const r = body as MatchResponse
    expect(r.profile).toMatchObject({ type: 'region', code: '76' })
    expect(r.results.length).toBeGreaterThan(0)
    expect(r.results.every((x) => x.themes.includes('cooperation_internationale'))).toBe(true)
  })
})

describe('other routes', () => {
  it('GET /api/programmes/:id and a 404 for an unknown id', async () => {
    const ok = await get('/api/programmes/detr')
    expect(ok.status).toBe(200)
    expect(ok.body.programme.id).toBe('detr')
    expect(ok.body.view.calendar.status).toBe('recurring')
    const ko = await get('/api/programmes/nope')
    expect(ko.status).toBe(404)
  })

  it('the OpenAPI document lists /api/match and the Programme schema', async () => {
    const { status, body } = await get('/api/openapi.json')
    expect(status).toBe(200)
    expect(body.openapi).toBe('3.1.0')
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/api/match', '/api/chat', '/api/programmes/{id}']))
    expect(body.components.schemas.Programme.properties.eligibility).toBeTruthy()
  })

  it('the home page is a French form, and shows results for a commune', async () => {
    const empty = await s.app.request('/')
    const html = await empty.text()
    expect(empty.headers.get('content-type')).toMatch(/text\/html/)
    expect(html).toMatch(/<html lang="fr">/)
    expect(html).toMatch(/<form method="get" action="\/#resultats"/)
    expect(html).toMatch(/<label for="commune">Votre commune<\/label>/)
    const res = await s.app.request(`/?commune=Saint-Amand-Montrond&q=${school}`)
    const page = await res.text()
    expect(page).toMatch(/Saint-Amand-Montrond \(18\)/)
    expect(page).toMatch(/Dotation d&#39;équipement des territoires ruraux|Dotation d'équipement des territoires ruraux/)
    const bad = await (await s.app.request('/?commune=Vezelai')).text()
    expect(bad).toMatch(/role="alert"/)
    expect(bad).toMatch(/Vézelay \(89\)/)
  })
})

describe('GET /api/ready', () => {
  it('is ready when the database takes a write and the index has documents, with the ages of the last crawl and digest', async () => {
    const s = await startServices()
    try {
      const res = await s.app.request('/api/ready')
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-store')
      const body = await res.json()
      expect(body.ready).toBe(true)
      expect(body.checks.database.ok).toBe(true)
      expect(body.checks.index.documents).toBeGreaterThan(0)
      expect(body.checks.crawl).toEqual({ lastEndedAt: null, status: null, ageHours: null })
    } finally {
      s.dispose()
    }
  })

  it('answers 503 naming the database when it cannot be written', async () => {
    const s = await startServices()
    // Another connection holds the write lock, as a stuck process would.
    const { default: Database } = await import('better-sqlite3')
    const other = new Database(`${s.config.GUICHET_DATA_DIR}/guichet.sqlite`)
    other.exec('BEGIN IMMEDIATE')
    try {
      const res = await s.app.request('/api/ready')
      expect(res.status).toBe(503)
      const body = await res.json()
      expect(body.ready).toBe(false)
      expect(body.checks.database).toMatchObject({ ok: false, detail: expect.stringMatching(/locked|busy/i) })
      expect(body.checks.index.ok).toBe(true)
    } finally {
      other.exec('ROLLBACK')
      other.close()
      s.dispose()
    }
  })
})
