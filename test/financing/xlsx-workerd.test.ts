// The XLSX export runs on Cloudflare Workers: core/financing-plan.ts and bot/api/plan-xlsx.ts
// (write-excel-file) bundled by esbuild for workerd — as wrangler does, browser-or-worker
// conditions, no Node polyfill — and run by Miniflare; the workbook it answers is opened with
// read-excel-file in Node and its cells checked.
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import readXlsxFile from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ENTRY = `
import { buildFinancingPlan } from './core/financing-plan.ts'
import { planXlsx } from './bot/api/plan-xlsx.ts'
export default {
  async fetch() {
    const plan = buildFinancingPlan({
      budget: 250000, basis: 'HT', themes: ['ecoles'],
      collectivite: { type: 'commune', name: 'Saint-Amand-Montrond', code: '18197', zone: 'metro', departement: { code: '18', name: 'Cher' } },
      aids: [
        { id: 'detr', name: "Dotation d'équipement des territoires ruraux", shortName: 'DETR', funders: ['État'], level: 'national', instruments: ['grant'], status: 'eligible', aid: { rateMin: 20, rateMax: 80, uncertain: false } },
        { id: 'region_x', name: 'Aide régionale', shortName: null, funders: ['Région'], level: 'regional', instruments: ['grant'], status: 'eligible', aid: { rateMin: 50, rateMax: 50, amountMax: 30000, uncertain: false } },
      ],
    })
    return new Response(await planXlsx(plan), { headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } })
  },
}
`

let mf: Miniflare
beforeAll(async () => {
  const out = await build({
    stdin: { contents: ENTRY, resolveDir: new URL('../..', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    write: false,
    logLevel: 'silent',
  })
  mf = new Miniflare({ modules: true, script: out.outputFiles[0]!.text, compatibilityDate: '2025-09-01' })
}, 60_000)
afterAll(async () => mf?.dispose())

describe('the XLSX export in workerd', () => {
  it('writes the workbook without Node: the capped plan reads back cell by cell', async () => {
    const res = await mf.dispatchFetch('https://guichet.example.workers.dev/')
    expect(res.status).toBe(200)
    const [sheet] = await readXlsxFile(Buffer.from(await res.arrayBuffer()))
    expect(sheet!.sheet).toBe('Plan de financement')
    const row = (label: string) => sheet!.data.find((r) => typeof r[0] === 'string' && r[0].startsWith(label))!
    // DETR 200 000 + région 30 000 (its ceiling) = 230 000 € > 200 000 €: reduced × 20/23 (test/financing/plan.test.ts).
    expect(row('Dotation d\'équipement')[7]).toBe(173_913.04)
    expect(row('Aide régionale')[7]).toBe(26_086.96)
    expect(row('Total des aides publiques retenues')[6]).toBe(230_000)
    expect(row('Total des aides publiques retenues')[7]).toBe(200_000)
    expect(row('Part de la collectivité')[7]).toBe(50_000)
  })
})
