// Synthetic catalogues for benchmarks: variants of the real curated programmes (new ids,
// shifted deadlines, other population bounds and territories), deterministic for a seed.
import type { Programme } from '../../core/programme.ts'

const REGIONS = ['11', '24', '27', '28', '32', '44', '52', '53', '75', '76', '84', '93', '94', '01', '02', '03', '04', '06']

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function shiftDay(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export function generateVariants(real: readonly Programme[], count: number, seed = 42): Programme[] {
  const rand = rng(seed)
  const out: Programme[] = []
  for (let i = 0; i < count; i++) {
    const base = real[i % real.length]!
    if (i < real.length) {
      out.push(base)
      continue
    }
    const shift = Math.floor(rand() * 900) - 200
    const maxPop = [undefined, 2000, 3500, 5000, 20000, 50000][Math.floor(rand() * 6)]
    const regional = rand() < 0.4
    out.push({
      ...base,
      id: `${base.id}__v${i}`,
      name: `${base.name} (variante ${i})`,
      // A variant's rules differ from its base's: the base's examples do not describe it.
      examples: [],
      eligibility: {
        ...base.eligibility,
        population: maxPop ? [...base.eligibility.population, { applicants: ['commune'], max: maxPop, maxInclusive: true }] : base.eligibility.population,
        territory: regional
          ? { label: 'Région de test', regions: [REGIONS[Math.floor(rand() * REGIONS.length)]!] }
          : base.eligibility.territory,
      },
      calendar: {
        ...base.calendar,
        editions: base.calendar.editions.map((e) => ({
          ...e,
          ...(e.opensAt ? { opensAt: shiftDay(e.opensAt, shift) } : {}),
          deadlines: e.deadlines.map((d) => shiftDay(d, shift)),
        })),
      },
    })
  }
  return out
}
