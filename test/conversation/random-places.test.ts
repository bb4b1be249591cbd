// The collectivité of places no test or case was written for: collectivités drawn at random from the
// whole geography (seeded), each written in the three styles of the generated evaluation (terse;
// polite and long; lowercase or capitals, no accents, typos), read by the understanding.
import { describe, expect, it } from 'vitest'
import { understand } from '../../bot/conversation/understand/understand.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import etalab from '../../core/geography/etalab-json.cjs'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { messages } from '../eval/generated/build-cases.ts'

const geo = loadEtalabGeography()
const data = etalab as unknown as { communes: { code: string; type: string }[]; epci: { code: string }[]; departements: { code: string }[]; regions: { code: string }[] }

describe('random collectivités in three styles', () => {
  it('are read right in at least 98 % of first messages', () => {
    let seed = 4242
    const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32)
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
    const communes = data.communes.filter((c) => c.type === 'commune-actuelle')
    const places: CollectiviteProfile[] = []
    while (places.length < 300) {
      const r = rand()
      const p = r < 0.7 ? geo.communeByInsee(pick(communes).code) : r < 0.88 ? geo.epciBySiren(pick(data.epci).code) : r < 0.97 ? geo.departement(pick(data.departements).code) : geo.region(pick(data.regions).code)
      if (p) places.push(p)
    }
    const misread: string[] = []
    let total = 0
    for (const [i, p] of places.entries()) {
      for (const text of Object.values(messages(p, { applicant: p.type, themes: ['equipements_publics'] } as never, `random-${i}`))) {
        total++
        const c = understand(text, { geography: geo, today: '2026-03-01' }).collectivite
        const ok = c?.kind === 'found' ? c.profile.code === p.code : c?.kind === 'ambiguous' && c.candidates.some((x) => x.code === p.code)
        if (!ok) misread.push(text)
      }
    }
    expect(misread.length / total, misread.join('\n')).toBeLessThanOrEqual(0.02)
  })
})
