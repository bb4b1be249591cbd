// The financing plan through real HTTP (a Node server on a free port over the composed app, the
// real catalogue and geography): the JSON plan (GET and POST), its 4xx naming the field, the CSV
// parsed back and summed, the XLSX opened with read-excel-file, and the printable page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import readXlsxFile from 'read-excel-file/node'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

let s: Awaited<ReturnType<typeof startServices>>
let server: { port: number; close(): Promise<void> }
let base = ''
beforeAll(async () => {
  s = await startServices()
  server = await serveOnFreePort(s.app.fetch)
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close()
  s.dispose()
})

// Saint-Amand-Montrond (Cher, 9 899 hab.), a 250 000 € HT school renovation, DETR + DSIL + Fonds vert.
const QUERY = `commune=18197&budget=${encodeURIComponent('250 000 €')}&programmes=detr,dsil,fonds_vert`

/** A CSV line split on « ; », quoted fields unquoted. */
function csvFields(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++
      else if (ch === '"') quoted = false
      else cur += ch
    } else if (ch === '"') quoted = true
    else if (ch === ';') out.push(cur), (cur = '')
    else cur += ch
  }
  out.push(cur)
  return out
}
const amount = (s: string) => (s === '' ? null : Number(s.replace(',', '.')))

describe('GET and POST /api/plan', () => {
  it('DETR at 80 % on 250 000 € HT, DSIL and Fonds vert at « taux inconnu »: 200 000 € of aids, 50 000 € own share', async () => {
    const res = await fetch(`${base}/api/plan?${QUERY}`)
    expect(res.status).toBe(200)
    const { plan, links } = (await res.json()) as any
    expect(plan.collectivite).toMatchObject({ name: 'Saint-Amand-Montrond', code: '18197' })
    expect(plan.lines.map((l: any) => [l.id, l.rate.label, l.planned])).toEqual([
      ['detr', '20 à 80 %', 200_000], // 250 000 × 80 %
      ['dsil', 'taux inconnu', null],
      ['fonds_vert', 'taux inconnu', null],
    ])
    expect(plan.totals).toMatchObject({ aids: 200_000, ownShare: 50_000 })
    expect(plan.rule).toMatchObject({ minimumAmount: 50_000, respected: true, capped: false })
    expect(plan.uncertain.join(' ')).toMatch(/Taux inconnu pour .*DSIL.*Fonds vert.*non compté/)
    expect(links.page).toBe(`/plan?${QUERY}`)
    // POST with the same fields as JSON (numbers and arrays) gives the same plan.
    const post = await fetch(`${base}/api/plan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commune: '18197', budget: 250000, programmes: ['detr', 'dsil', 'fonds_vert'] }) })
    expect(post.status).toBe(200)
    expect(((await post.json()) as any).plan).toEqual(plan)
  })

  it('Saint-Paul (La Réunion): no 20 % minimum (L1111-10 III); FEI counted at its 80 % ceiling, marked uncertain; DETR set aside with its reason', async () => {
    const { plan } = (await (await fetch(`${base}/api/plan?commune=97415&budget=100000&programmes=detr,fei_outre_mer`)).json()) as any
    expect(plan.rule.minimumRate).toBe(0)
    expect(plan.rule.exceptions[0]).toMatchObject({ id: 'outre_mer', status: 'applies' })
    // FEI: 100 000 × 80 % = 80 000 €, the programme's aid marked uncertain.
    expect(plan.lines.map((l: any) => [l.id, l.rate.label, l.planned])).toEqual([['fei_outre_mer', 'jusqu\'à 80 % (incertain)', 80_000]])
    expect(plan.outside).toEqual([expect.objectContaining({ id: 'detr', reason: expect.stringMatching(/^Écarté : Commune de 108\s088 hab\. : au-dessus du plafond de 35\s000 hab\./) })])
    expect(plan.totals).toMatchObject({ aids: 80_000, ownShare: 20_000 })
  })

  it.each([
    ['commune=18197&programmes=detr', 'budget'],
    ['commune=18197&budget=beaucoup&programmes=detr', 'budget'],
    ['commune=18197&budget=1000&basis=HTT&programmes=detr', 'basis'],
    ['commune=18197&budget=1000&programmes=nimporte', 'programmes'],
    ['commune=18197&budget=1000', 'programmes'],
    ['budget=1000&programmes=detr', 'commune'],
    ['commune=18197&budget=1000&privateFunding=2000&programmes=detr', 'privateFunding'],
    ['commune=18197&budget=1000&programmes=detr&foo=1', 'foo'],
  ])('%s → 400 naming %s', async (query, field) => {
    const res = await fetch(`${base}/api/plan?${query}`)
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.field).toBe(field)
  })

  it('a POST body that is not an object, or a field of the wrong type, is a 400 naming it', async () => {
    const bad = await fetch(`${base}/api/plan`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ commune: '18197', budget: { a: 1 }, programmes: 'detr' }) })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as any).error.field).toBe('budget')
  })

  it('an unknown commune is a 404 naming it', async () => {
    const res = await fetch(`${base}/api/plan?commune=Zzyzxville&budget=1000&programmes=detr`)
    expect(res.status).toBe(404)
    expect(((await res.json()) as any).error.field).toBe('commune')
  })
})

describe('exports', () => {
  it('CSV: UTF-8 with BOM, « ; », decimal comma; the aid rows sum to the total, the total and own share to the budget', async () => {
    const res = await fetch(`${base}/api/plan.csv?${QUERY}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="plan-de-financement-saint-amand-montrond.csv"')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = new TextDecoder().decode(bytes.slice(3)).split('\r\n').filter(Boolean).map(csvFields)
    expect(rows[0]).toEqual(['Programme', 'Financeur', 'Éligibilité', 'Taux', 'Certitude du taux', 'Plafond (€)', 'Montant calculé (€)', 'Montant retenu (€)', 'Remarques'])
    const byName = (start: string) => rows.find((r) => r[0]!.startsWith(start))!
    const detr = byName('Dotation d\'équipement des territoires ruraux')
    expect(detr.slice(2, 5)).toEqual(['éligible', '20 à 80 %', 'fourchette'])
    expect(detr[7]).toBe('200000,00')
    expect(byName('Dotation de soutien')[3]).toBe('taux inconnu')
    const aidRows = rows.slice(1, 4)
    const sum = aidRows.reduce((s, r) => s + (amount(r[7]!) ?? 0), 0)
    const total = amount(byName('Total des aides publiques')[7]!)!
    const own = amount(byName('Part de la collectivité')[7]!)!
    const budget = amount(byName('Coût du projet (HT)')[7]!)!
    expect(sum).toBe(total)
    expect(total).toBe(200_000)
    expect(own).toBe(50_000)
    expect(total + own).toBe(budget)
    expect(byName('Part de la collectivité')[8]).toMatch(/Minimum légal : 50000,00 € \(CGCT, art\. L1111-10, III\)/)
  })

  it('XLSX: opened with read-excel-file, the cells hold the plan as numbers', async () => {
    const res = await fetch(`${base}/api/plan.xlsx?${QUERY}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const sheets = await readXlsxFile(Buffer.from(await res.arrayBuffer()))
    expect(sheets.map((x) => x.sheet)).toEqual(['Plan de financement'])
    const data = sheets[0]!.data
    expect(data[0]![0]).toBe('Programme')
    expect(data[1]![0]).toMatch(/^Dotation d'équipement des territoires ruraux/)
    expect(data[1]![7]).toBe(200_000)
    expect(data[2]![3]).toBe('taux inconnu')
    expect(data[2]![7]).toBeNull()
    const row = (label: string) => data.find((r) => r[0] === label)!
    expect(row('Total des aides publiques retenues')[7]).toBe(200_000)
    expect(row('Part de la collectivité')[7]).toBe(50_000)
    expect(row('Coût du projet (HT)')[7]).toBe(250_000)
  })
})

describe('GET /plan, the printable page', () => {
  it('shows the aids, the totals and the own share against the legal minimum, with print CSS and no third-party resource', async () => {
    const res = await fetch(`${base}/plan?${QUERY}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain('<html lang="fr">')
    expect(html).toContain('Plan de financement prévisionnel')
    expect(html).toMatch(/Saint-Amand-Montrond · projet de 250\s000,00\s€ HT/)
    expect(html).toMatch(/Total des aides publiques<\/td><td class="num">200\s000,00\s€<\/td><td class="num">200\s000,00\s€/)
    expect(html).toMatch(/Part de la collectivité \(20,0\s%[^<]*<\/td><td class="num">50\s000,00\s€/)
    expect(html).toMatch(/Minimum : au moins 20,0\s% du financement public, soit 50\s000,00\s€/)
    expect(html).toContain('taux inconnu')
    expect(html).toContain('@page{size:A4')
    expect(html).toContain('@media print')
    expect(html).toContain(`href="/api/plan.csv?${QUERY.replace(/&/g, '&amp;')}"`)
    // No third-party resource: no script, and every src/href stays on this server.
    expect(html).not.toMatch(/<script/i)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i)
  })

  it('an invalid query is the page with the French error, status 400', async () => {
    const res = await fetch(`${base}/plan?commune=18197&budget=beaucoup&programmes=detr`)
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/budget: budget en euros attendu/)
  })
})
