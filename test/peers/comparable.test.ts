// The ranking of comparable projects (content/peers/comparable.ts) on hand-made projects: département
// before région before France, the closest population band first, France kept only in the same band,
// an explicit band keeping only that band; and the median of integer cents.
import { describe, expect, it } from 'vitest'
import { comparableProjects, medianCents, populationBand } from '../../content/peers/comparable.ts'
import type { PeerProject } from '../../content/peers/projects.ts'

const project = (id: string, departement: string, region: string, population: number | undefined, amountCents = 100_00, measure = '69022'): PeerProject => ({
  id, departement, region,
  ...(population !== undefined ? { commune: { code: `${departement}001`, name: id, population } } : {}),
  measure: { id: measure, label: measure }, themes: measure === '69022' ? ['eclairage_public'] : ['renovation_energetique'],
  project: id, beneficiary: { name: id, type: 'commune' }, amountCents,
})

const projects = [
  project('france-same-band', '33', '75', 450),
  project('france-other-band', '33', '75', 5000),
  project('region-same-band', '21', '27', 480),
  project('dept-big', '89', '27', 30000),
  project('dept-same-band', '89', '27', 420, 5_000_00),
  project('dept-same-band-closer', '89', '27', 470, 1_000_00),
  project('dept-no-commune', '89', '27', undefined),
  project('dept-other-measure', '89', '27', 470, 100_00, '69071'),
]

describe('comparable projects', () => {
  it('département first (same band, closest population), then région, then France in the same band only', () => {
    const ids = comparableProjects(projects, { departement: '89', region: '27', population: 476, themes: ['eclairage_public'], limit: 10 }).map((p) => `${p.scope}:${p.id}`)
    expect(ids).toEqual(['departement:dept-same-band-closer', 'departement:dept-same-band', 'departement:dept-big', 'departement:dept-no-commune', 'region:region-same-band', 'france:france-same-band'])
  })

  it('a measure or an explicit band narrows the list', () => {
    expect(comparableProjects(projects, { departement: '89', measure: '69071' }).map((p) => p.id)).toEqual(['dept-other-measure'])
    expect(comparableProjects(projects, { departement: '89', region: '27', band: '0-499', themes: ['eclairage_public'], limit: 10 }).map((p) => p.id)).toEqual(['dept-same-band', 'dept-same-band-closer', 'region-same-band', 'france-same-band'])
  })

  it('bands and medians', () => {
    expect([populationBand(499), populationBand(500), populationBand(3500), populationBand(50000), populationBand(undefined)]).toEqual(['0-499', '500-1999', '3500-9999', '50000+', undefined])
    expect(medianCents([5, 1, 3])).toBe(3)
    expect(medianCents([1, 2, 3, 4])).toBe(3)
    expect(medianCents([100, 201])).toBe(151)
  })
})
