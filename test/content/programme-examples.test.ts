// Every curated programme carries its own examples (content/programmes/<id>.yaml, `examples:`):
// short profiles with the status the programme's facts give them. Each is replayed through the
// one evaluator, and each decidable rule of a programme must be shown both ways — an example it
// lets through and one it excludes.
import { describe, expect, it } from 'vitest'
import { coverage, runExamples } from '../../core/examples.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'

const geography = loadEtalabGeography()
const programmes = loadCuratedProgrammes()

describe('programme examples', () => {
  it('add up to a few hundred across the catalogue', () => {
    const total = programmes.reduce((n, p) => n + p.examples.length, 0)
    expect(total).toBeGreaterThanOrEqual(300)
  })

  describe.each(programmes.map((p) => [p.id, p] as const))('%s', (_id, p) => {
    const runs = runExamples(p, geography)

    it('has examples, and each one holds', () => {
      expect(p.examples.length).toBeGreaterThan(0)
      const broken = runs.filter((r) => !r.ok).map((r) => `« ${r.example.about} » (${r.example.date}) : ${r.problem}`)
      expect(broken).toEqual([])
    })

    it('shows every decidable rule both ways', () => {
      const gaps = coverage(p, runs)
        .filter((c) => !c.positive || !c.negative)
        .map((c) => `${c.rule}: ${[!c.positive && 'no example passing it', !c.negative && 'no example excluded by it'].filter(Boolean).join(', ')}`)
      expect(gaps).toEqual([])
    })
  })
})
