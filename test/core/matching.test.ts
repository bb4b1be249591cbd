// Matching over a large catalogue: unrelated programmes are examined only to fill the « écartés » list.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evaluateEligibility } from '../../core/eligibility.ts'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { generateVariants } from '../bench/variants.ts'

const dir = mkdtempSync(join(tmpdir(), 'guichet-matching-'))
let s: NodeServices
beforeAll(async () => {
  s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01' }), { logger: silentLogger, programmes: generateVariants(loadCuratedProgrammes(), 1500) })
})
afterAll(() => {
  s.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('matching a large catalogue', () => {
  it('fills the excluded list with related programmes first, every one really ineligible, and says when the count is partial', async () => {
    const issy = s.geography.communeByInsee('92040')!
    const r = await s.matcher.match({ profile: issy, q: "rénovation énergétique de l'école" })
    expect(r.excluded).toHaveLength(100)
    expect(r.totals.excludedComplete).toBe(false)
    for (const e of r.excluded) expect(evaluateEligibility(s.catalogue().get(e.id)!, issy, {}, '2026-03-01').status).toBe('ineligible')
    expect(r.excluded.some((e) => e.id === 'detr')).toBe(true)
    // Results: nothing ineligible, eligible before « à vérifier ».
    const statuses = r.results.map((x) => x.eligibility.status)
    expect(statuses).not.toContain('ineligible')
    expect(statuses.indexOf('unknown') === -1 || statuses.lastIndexOf('eligible') < statuses.indexOf('unknown')).toBe(true)
  })

  it('examines everything when no project is given', async () => {
    const r = await s.matcher.match({ profile: s.geography.communeByInsee('92040')!, excludedLimit: 5000 })
    expect(r.totals.excludedComplete).toBe(true)
    expect(r.totals.results + r.totals.excluded).toBe(1500)
  })
})
