// GET /api/projects over the repository's Fonds vert 2023 data, checked against the raw rows of the
// Yonne (test/fixtures/peers, copied verbatim from the State's export): counts and medians per measure
// are computed here on their own, from the CSV text, and must equal what the API says.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

const RAW = readFileSync(new URL('../fixtures/peers/fonds-vert-2023-yonne-89.csv', import.meta.url), 'utf8')

/** The fixture's rows, split on « ; » outside double quotes (written here, not the import's parser). */
function rawRows(): Array<Record<string, string>> {
  const [header, ...lines] = RAW.trim().split('\n')
  const names = header!.split(';')
  return lines.map((line) => {
    const cells = line.match(/("([^"]|"")*"|[^;]*)(;|$)/g)!.map((c) => c.replace(/;$/, '').replace(/^"|"$/g, '').replace(/""/g, '"'))
    return Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']))
  })
}

const euroCents = (s: string) => Number(s.replace(/[^\d]/g, ''))
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const n = s.length
  return n % 2 === 1 ? s[(n - 1) / 2]! : Math.round((s[n / 2 - 1]! + s[n / 2]!) / 2)
}

let services: Awaited<ReturnType<typeof startServices>>
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let base = ''
const get = async (path: string) => {
  const res = await fetch(`${base}${path}`)
  return { status: res.status, body: (await res.json()) as any }
}

beforeAll(async () => {
  services = await startServices()
  server = await serveOnFreePort(services.app.fetch)
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close()
  services.dispose()
})

describe('GET /api/projects — the Yonne (89) against the raw CSV rows', () => {
  const rows = rawRows()

  it('the fixture is the 54 Yonne rows of the export', () => {
    expect(rows).toHaveLength(54)
    expect(new Set(rows.map((r) => r['code_departement']))).toEqual(new Set(['89']))
  })

  it('per measure, the count and the median amount equal those computed from the raw rows', async () => {
    const byMeasure = new Map<string, number[]>()
    for (const r of rows) byMeasure.set(r['numero_demarche_ds']!, [...(byMeasure.get(r['numero_demarche_ds']!) ?? []), euroCents(r['montant_engage']!)])
    const r = await get('/api/projects?departement=89&limit=200')
    expect(r.status).toBe(200)
    expect(r.body.source).toBe('Fonds vert 2023, données publiques de l’État')
    expect(r.body.total).toBe(54)
    expect(r.body.projects).toHaveLength(54)
    const stats = Object.fromEntries(r.body.stats.map((s: any) => [s.measure.id, { count: s.count, median: s.medianCents, total: s.totalCents }]))
    const expected = Object.fromEntries([...byMeasure].map(([id, amounts]) => [id, { count: amounts.length, median: median(amounts), total: amounts.reduce((a, b) => a + b, 0) }]))
    expect(stats).toEqual(expected)
    // Spot values read off the CSV by eye: 18 energy renovations, 11 lighting renewals in the Yonne.
    expect(stats['69071'].count).toBe(18)
    expect(stats['69022'].count).toBe(11)
  })

  it('every Yonne project is there with its amount in cents, its padded INSEE code and its commune’s population', async () => {
    const r = await get('/api/projects?departement=89&limit=200')
    const byDossier = new Map<string, any>(r.body.projects.map((p: any) => [p.id, p]))
    for (const raw of rows) {
      const p = byDossier.get(raw['numero_dossier_ds']!)
      expect(p, raw['numero_dossier_ds']).toBeDefined()
      expect(p.amountCents).toBe(euroCents(raw['montant_engage']!))
      if (raw['code_commune'] !== 'NULL') {
        expect(p.commune.code).toBe(raw['code_commune']!.padStart(5, '0'))
        expect(p.commune.population).toBeGreaterThan(0)
      } else expect(p.commune).toBeUndefined()
    }
  })

  it('filters by theme and population band, and ranks the Yonne first for a Yonne commune', async () => {
    const lighting = await get('/api/projects?departement=89&theme=eclairage_public&limit=200')
    expect(lighting.body.total).toBe(rows.filter((r) => r['numero_demarche_ds'] === '69022').length)
    const small = await get('/api/projects?departement=89&band=0-499&limit=200')
    for (const p of small.body.projects) expect(p.commune.population).toBeLessThan(500)
    // Vézelay (89446), about 400 inhabitants: lighting projects, the Yonne's first, then Bourgogne-Franche-Comté's.
    const vezelay = await get('/api/projects?collectivite=89446&measure=69022&limit=30')
    expect(vezelay.body.collectivite.name).toBe('Vézelay')
    const scopes = vezelay.body.projects.map((p: any) => p.scope)
    expect(scopes.slice(0, 11)).toEqual(Array(11).fill('departement'))
    expect(scopes.slice(11)).toContain('region')
    expect(vezelay.body.projects[11].region).toBe('27')
  })
})

describe('GET /api/projects — bad input', () => {
  it.each([
    ['theme=piscines', 'theme'],
    ['measure=123', 'measure'],
    ['departement=ABC', 'departement'],
    ['departement=96', 'departement'],
    ['band=petite', 'band'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['commune=89446', 'commune'],
  ])('%s → 400 naming %s', async (query, field) => {
    const r = await get(`/api/projects?${query}`)
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe(field)
  })

  it('an unknown collectivité → 404 naming collectivite', async () => {
    const r = await get('/api/projects?collectivite=99999')
    expect(r.status).toBe(404)
    expect(r.body.error.field).toBe('collectivite')
  })
})
