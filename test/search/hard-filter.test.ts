// The hard rules pushed into the index: for every programme of a generated catalogue and many
// random collectivités, applicants and days, the embedded index sets a programme aside exactly
// when core/eligibility's `hardExclusion` leaves it out (no themes told: the day's closure
// whatever the project, the applicant's type, territory or population). The collectivités are
// drawn from the codes the catalogue's rules name (and some they don't), the populations from
// its bounds ± 1, the days from its own dates ± 1 and random days, where the answers change.
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { APPLICANT_TYPE_IDS, ZONES } from '../../core/applicants.ts'
import { addDays, dayFromNumber, dayNumber } from '../../core/clock.ts'
import { closedWhatever, closedWhateverSpans, hardExclusion, NEVER } from '../../core/eligibility.ts'
import type { Programme } from '../../core/programme.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { toSearchDocument } from '../../search/document.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { hardFilter, setAsideBy } from '../../search/hard-filter.ts'
import type { SearchDocument, SearchIndex } from '../../search/search-index.ts'
import { generateVariants } from '../bench/variants.ts'

/** Days past this one are not real calendar days to ask about. */
const LAST = dayNumber('9999-12-31')
let programmes: Programme[]
let docs: SearchDocument[]
let index: SearchIndex
const pools = { regions: new Set<string>(['', '84']), departements: new Set<string>(['', '18']), codes: new Set<string>(['', '18033']), populations: new Set<number>([0, 1, 500, 3_500, 20_000, 1_000_000]), days: new Set<string>(['2026-03-01']), edges: new Set<string>(['2026-03-01']) }

beforeAll(async () => {
  const generated = generateVariants(loadCuratedProgrammes(), 3000, 7)
  // The generated calendars close for good; dated suspensions, whole or of some themes, open and close them again.
  programmes = generated.map((p, i) => (i % 5 !== 0 ? p : { ...p, suspension: suspensionFor(p, i) }))
  docs = programmes.map((p) => toSearchDocument(p, '2026-03-01'))
  index = createEmbeddedSearchIndex()
  await index.replaceAll(docs)
  for (const p of programmes) {
    const el = p.eligibility
    for (const r of el.territory?.regions ?? []) pools.regions.add(r)
    for (const d of el.territory?.departements ?? []) pools.departements.add(d)
    for (const a of el.admitted) for (const c of [...(a.regions ?? []), ...(a.departements ?? []), ...(a.epcis ?? []), ...(a.communes ?? [])]) pools.codes.add(c)
    for (const r of el.population) for (const v of [r.min, r.max]) if (v !== undefined) for (const d of [-1, 0, 1]) pools.populations.add(v + d)
    const dates = p.calendar.editions.flatMap((e) => [...(e.opensAt ? [e.opensAt] : []), ...e.deadlines])
    if (p.suspension) dates.push(p.suspension.from, ...(p.suspension.until ? [p.suspension.until] : []))
    for (const x of dates) for (const d of [-1, 0, 1, 365, 366, 455, 456, 821, 822]) pools.days.add(addDays(x, d))
    // And each side of where the document says the call closes or opens again.
    for (const [from, until] of closedWhateverSpans(p)) for (const n of [from - 1, from, until - 1, until]) if (n > 0 && n < LAST) pools.edges.add(dayFromNumber(n))
  }
}, 120_000)

/** A suspension around the programme's own dates: some before, some after its closing, some of its first theme only. */
function suspensionFor(p: Programme, i: number): NonNullable<Programme['suspension']> {
  const anchor = p.calendar.editions.at(-1)?.deadlines.at(-1) ?? '2026-03-01'
  const from = addDays(anchor, ((i * 37) % 700) - 400)
  return { from, ...(i % 3 !== 0 ? { until: addDays(from, 30 + ((i * 13) % 300)) } : {}), ...(i % 4 === 0 ? { themes: [p.themes[0]!] } : {}), note: 'suspension de test' }
}

const oneOf = <T>(set: Set<T>) => fc.constantFrom(...set)

const profileArb = () =>
  fc.record(
    {
      type: fc.constantFrom('commune', 'epci', 'departement', 'region' as const),
      code: oneOf(pools.codes),
      zone: fc.constantFrom(...ZONES),
      region: oneOf(pools.regions),
      departement: oneOf(pools.departements),
      population: oneOf(pools.populations),
    },
    { requiredKeys: ['type', 'code', 'zone'] },
  ).map(
    (x): CollectiviteProfile => ({
      type: x.type,
      name: 'Collectivité tirée au sort',
      code: x.code,
      zone: x.zone,
      ...(x.population !== undefined ? { population: x.population } : {}),
      ...(x.region !== undefined ? { region: { code: x.region, name: 'Région' } } : {}),
      ...(x.departement !== undefined ? { departement: { code: x.departement, name: 'Département' } } : {}),
    }),
  )

const caseArb = () =>
  fc.record({
    profile: fc.option(profileArb(), { nil: undefined }),
    facts: fc.record({ applicantType: fc.constantFrom(...APPLICANT_TYPE_IDS), applicantPopulation: oneOf(pools.populations) }, { requiredKeys: [] }) as fc.Arbitrary<ProjectFacts>,
    day: fc.oneof(oneOf(pools.edges), oneOf(pools.days), fc.integer({ min: dayNumber('2015-01-01'), max: dayNumber('2034-12-31') }).map((n) => addDays('1970-01-01', n))),
  })

describe('the hard rules as an index filter', () => {
  it('sets aside exactly the programmes hardExclusion leaves out, on any day', async () => {
    let aside = 0
    let kept = 0
    await fc.assert(
      fc.asyncProperty(caseArb(), async ({ profile, facts, day }) => {
        const filter = hardFilter(profile, facts, day)
        const set = await index.setAside(filter)
        // Iterated, the same ids as asked one by one.
        expect(set.size).toBe([...set].length)
        expect([...set].every((id) => set.has(id))).toBe(true)
        for (let i = 0; i < programmes.length; i++) {
          const p = programmes[i]!
          const excluded = hardExclusion(p, profile, facts, day)
          if (set.has(p.id) !== excluded) expect({ id: p.id, day, profile, facts, setAside: set.has(p.id) }).toEqual({ id: p.id, day, profile, facts, setAside: excluded })
          // The one-document rule every engine implements says the same.
          if (setAsideBy(docs[i]!, filter) !== excluded) expect({ id: p.id, day, rule: setAsideBy(docs[i]!, filter) }).toEqual({ id: p.id, day, rule: excluded })
          if (excluded) aside++
          else kept++
        }
      }),
      { numRuns: 300, seed: 20261206 },
    )
    // Both sides exercised, not vacuous.
    expect(aside).toBeGreaterThan(10_000)
    expect(kept).toBeGreaterThan(10_000)
  }, 300_000)

  it('reads the days a call is closed whatever the project as spans that hold on each day', () => {
    let closedDays = 0
    let seen = 0
    for (const p of programmes) {
      const spans = closedWhateverSpans(p)
      for (const day of pools.days) {
        if (++seen % 20 !== 0) continue
        const n = dayNumber(day)
        const inSpan = spans.some(([from, until]) => from <= n && n < until)
        if (inSpan !== closedWhatever(p, day)) expect({ id: p.id, day, inSpan }).toEqual({ id: p.id, day, inSpan: closedWhatever(p, day) })
        if (inSpan) closedDays++
      }
      for (const [from, until] of spans) {
        expect(from < until && until <= NEVER).toBe(true)
        // Closed on its first and last day, open (or in another span) on each side.
        for (const n of [from, until - 1]) if (n > 0 && n < LAST) expect(closedWhatever(p, dayFromNumber(n))).toBe(true)
        for (const n of [from - 1, until]) if (n > 0 && n < LAST) expect(closedWhatever(p, dayFromNumber(n))).toBe(spans.some(([f, u]) => f <= n && n < u))
      }
    }
    expect(closedDays).toBeGreaterThan(100)
    // Calls that close and open again were read, not only calls that close for good.
    expect(programmes.filter((p) => closedWhateverSpans(p).some(([, until]) => until < NEVER)).length).toBeGreaterThan(50)
    expect(programmes.filter((p) => closedWhateverSpans(p).length > 1).length).toBeGreaterThan(10)
  }, 120_000)

  it('forgets a removed document and reads an upserted one', async () => {
    const p = programmes.find((x) => !x.eligibility.applicants.includes('commune') && !closedWhatever(x, '2026-03-01'))!
    const filter = hardFilter(undefined, { applicantType: 'commune' }, '2026-03-01')
    expect((await index.setAside(filter)).has(p.id)).toBe(true)
    await index.upsert([{ ...toSearchDocument(p, '2026-03-01'), applicantTypes: [...p.eligibility.applicants, 'commune'] }])
    expect((await index.setAside(filter)).has(p.id)).toBe(false)
    await index.remove([p.id])
    expect((await index.setAside(filter)).has(p.id)).toBe(false)
    await index.upsert([toSearchDocument(p, '2026-03-01')])
  })
})
