// The matcher walks only the scored programmes, leaves out hard-excluded ones without running
// every rule, and keeps searches and statuses between requests: none of it may change an answer.
// Held here to the matcher as it was (matching-reference.ts: the whole catalogue judged on every
// request), response for response, on 5,000 generated programmes and many collectivités, facts,
// projects and page sizes — with the caches (twice, so the second answer comes from them) and
// without. And the hard rules are sound: a programme they leave out, the evaluator finds ineligible.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMatcher, type MatchInput, type Matcher } from '../../content/matching.ts'
import { APPLICANT_TYPE_IDS, SYNDICAT_KINDS } from '../../core/applicants.ts'
import { CLOSED_LIST_IDS } from '../../core/closed-lists.ts'
import { parseConfig } from '../../core/config.ts'
import { eligibilityStatus, FACT_BITS, factsRead, hardExclusion } from '../../core/eligibility.ts'
import { silentLogger } from '../../core/logger.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import { PREREQUISITE_IDS } from '../../core/prerequisites.ts'
import { STAGES } from '../../core/programme.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { generateVariants } from '../bench/variants.ts'
import { referenceMatch } from './matching-reference.ts'

const dir = mkdtempSync(join(tmpdir(), 'guichet-matching-eq-'))
let s: NodeServices
let cold: Matcher
let warm: Matcher
let profiles: CollectiviteProfile[]
beforeAll(async () => {
  s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01' }), { logger: silentLogger, programmes: generateVariants(loadCuratedProgrammes(), 5000) })
  cold = createMatcher({ catalogue: s.catalogue, index: s.index, clock: s.clock, cache: false })
  // The matcher itself, with its caches: the composed `s.matcher` wraps it with what bot/ adds (peers).
  warm = createMatcher({ catalogue: s.catalogue, index: s.index, clock: s.clock })
  const communes = ['18197', '92040', '89446', '97411', '31555', '03185', '29019', '67482', '75056', '48080', '2A004', '89025']
  profiles = communes.map((c) => s.geography.communeByInsee(c)).filter((p): p is CollectiviteProfile => !!p)
  // An EPCI, a département and a région too: other applicant types, other territory rules.
  for (const q of ['Bourges Plus', 'Cher', 'Centre-Val de Loire', 'Métropole de Lyon']) {
    const r = s.geography.resolve(q)
    if (r.kind === 'found') profiles.push(r.profile)
  }
}, 120_000)
afterAll(() => {
  s.close()
  rmSync(dir, { recursive: true, force: true })
})

const QUERIES = ["rénovation énergétique de l'école", 'éclairage public LED', 'coopération décentralisée avec le Sénégal', 'tiers-lieu', 'eau potable et assainissement', 'piscine', 'fibre', 'de la', '']

const factsArb: fc.Arbitrary<ProjectFacts> = fc.record(
  {
    applicantType: fc.constantFrom(...APPLICANT_TYPE_IDS),
    themes: fc.uniqueArray(fc.constantFrom(...THEME_IDS), { maxLength: 3 }),
    stage: fc.constantFrom(...STAGES),
    budget: fc.constantFrom(20_000, 250_000, 3_000_000, 50_000_000),
    partnerCountry: fc.constantFrom('SN', 'DE', 'MA', 'US'),
    closedLists: fc.dictionary(fc.constantFrom(...CLOSED_LIST_IDS), fc.boolean(), { maxKeys: 2 }),
    notThemes: fc.uniqueArray(fc.constantFrom(...THEME_IDS), { maxLength: 2 }),
    applicantPopulation: fc.constantFrom(800, 12_000, 90_000),
    foreignPartners: fc.boolean(),
  },
  { requiredKeys: [] },
)

/** Every project fact, each with a few values that change statuses. */
const FACT_VALUES: { [K in keyof Required<ProjectFacts>]: fc.Arbitrary<ProjectFacts[K]> } = {
  applicantType: fc.constantFrom(...APPLICANT_TYPE_IDS),
  themes: fc.uniqueArray(fc.constantFrom(...THEME_IDS), { maxLength: 3 }),
  stage: fc.constantFrom(...STAGES),
  budget: fc.constantFrom(20_000, 250_000, 3_000_000, 50_000_000),
  partnerCountry: fc.constantFrom('SN', 'DE', 'MA', 'US'),
  closedLists: fc.dictionary(fc.constantFrom(...CLOSED_LIST_IDS), fc.boolean(), { maxKeys: 2 }),
  notThemes: fc.uniqueArray(fc.constantFrom(...THEME_IDS), { maxLength: 2 }),
  applicantPopulation: fc.constantFrom(800, 12_000, 90_000),
  syndicatKind: fc.constantFrom(...SYNDICAT_KINDS),
  density: fc.constantFrom(40, 150, 600),
  location: fc.constantFrom('france', 'abroad'),
  partnerCountries: fc.uniqueArray(fc.constantFrom('SN', 'DE', 'MA', 'US', 'ES'), { maxLength: 2 }),
  foreignPartners: fc.boolean(),
  frenchPartners: fc.constantFrom(0, 1, 3),
  prerequisites: fc.dictionary(fc.constantFrom(...PREREQUISITE_IDS), fc.boolean(), { maxKeys: 2 }),
}
const FACT_KEYS = Object.keys(FACT_VALUES) as (keyof ProjectFacts)[]
const allFactsArb: fc.Arbitrary<ProjectFacts> = fc.record(FACT_VALUES, { requiredKeys: [] }) as fc.Arbitrary<ProjectFacts>
/** One answer: a fact set (or forgotten). */
const answerArb = fc.constantFrom(...FACT_KEYS).chain((key) => fc.option(FACT_VALUES[key] as fc.Arbitrary<unknown>, { nil: undefined }).map((value) => ({ key, value })))

const inputArb = (n: number) =>
  fc.record(
    {
      profile: fc.integer({ min: 0, max: n - 1 }),
      facts: factsArb,
      q: fc.constantFrom(...QUERIES),
      themes: fc.uniqueArray(fc.constantFrom(...THEME_IDS), { maxLength: 2 }),
      limit: fc.integer({ min: 1, max: 60 }),
      excludedLimit: fc.integer({ min: 0, max: 150 }),
    },
    { requiredKeys: ['facts', 'q'] },
  )

function toInput(x: { profile?: number; facts: ProjectFacts; q: string; themes?: string[]; limit?: number; excludedLimit?: number }): MatchInput {
  return {
    ...(x.profile !== undefined ? { profile: profiles[x.profile] } : {}),
    facts: x.facts,
    ...(x.q ? { q: x.q } : {}),
    ...(x.themes?.length ? { themes: x.themes as MatchInput['themes'] } : {}),
    ...(x.limit !== undefined ? { limit: x.limit } : {}),
    ...(x.excludedLimit !== undefined ? { excludedLimit: x.excludedLimit } : {}),
  }
}

describe('matching a 5,000-programme catalogue', () => {
  it('answers exactly as the whole-catalogue matcher did, with its caches and without', async () => {
    await fc.assert(
      fc.asyncProperty(inputArb(profiles.length), async (x) => {
        const input = toInput(x)
        const expected = await referenceMatch({ catalogue: s.catalogue, index: s.index, clock: s.clock }, input, warm.present)
        expect(await cold.match(input)).toEqual(expected)
        expect(await warm.match(input)).toEqual(expected)
        // The second time, searches and statuses come from the caches.
        expect(await warm.match(input)).toEqual(expected)
      }),
      { numRuns: 60, seed: 20261206 },
    )
  }, 300_000)

  it('answers as before for the inputs the dialogue and the API send', async () => {
    const cases: MatchInput[] = [
      { profile: profiles[0], q: "rénovation énergétique de l'école" },
      { profile: profiles[0], facts: { applicantType: 'commune', themes: ['renovation_energetique', 'ecoles'], stage: 'travaux', closedLists: {} }, q: 'rénovation énergétique école Rénovation énergétique des bâtiments', themes: ['renovation_energetique', 'ecoles'], limit: 15, excludedLimit: 0 },
      { profile: profiles[1], excludedLimit: 5000 },
      { profile: profiles[2], limit: 200, excludedLimit: 200, q: 'éclairage public', themes: ['eclairage_public'] },
      { q: 'piscine', themes: ['sport'] },
      {},
    ]
    for (const input of cases) {
      const expected = await referenceMatch({ catalogue: s.catalogue, index: s.index, clock: s.clock }, input, warm.present)
      expect(await warm.match(input)).toEqual(expected)
      expect(await cold.match(input)).toEqual(expected)
    }
  }, 120_000)

  it('answers as the whole-catalogue matcher along conversations, one fact changed per turn (statuses carried over from the turn before)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: profiles.length - 1 }), fc.constantFrom(...QUERIES), allFactsArb, fc.array(answerArb, { minLength: 1, maxLength: 6 }), async (pi, q, start, answers) => {
        let facts: ProjectFacts = start
        for (const { key, value } of [{ key: 'stage' as const, value: start.stage }, ...answers]) {
          facts = { ...facts }
          if (value === undefined) delete facts[key]
          else (facts as Record<string, unknown>)[key] = value
          const input: MatchInput = { profile: profiles[pi], facts, ...(q ? { q } : {}), limit: 15, excludedLimit: 20 }
          const expected = await referenceMatch({ catalogue: s.catalogue, index: s.index, clock: s.clock }, input, warm.present)
          expect(await warm.match(input)).toEqual(expected)
        }
      }),
      { numRuns: 25, seed: 20261207 },
    )
  }, 300_000)

  it("declares every fact a programme's eligibility reads: facts equal on those give the same status", () => {
    const all = s.catalogue().all()
    let differing = 0
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.option(fc.integer({ min: 0, max: profiles.length - 1 }), { nil: undefined }), allFactsArb, allFactsArb, (i, pi, a, b) => {
        const p = all[i]!
        const profile = pi === undefined ? undefined : profiles[pi]
        const read = factsRead(p)
        // b, with a's value for every fact the programme reads.
        const c: Record<string, unknown> = { ...b }
        for (const key of FACT_KEYS) {
          if (!(read & FACT_BITS[key])) continue
          if (a[key] === undefined) delete c[key]
          else c[key] = a[key]
        }
        const expected = eligibilityStatus(p, profile, a, '2026-03-01')
        if (expected.status !== eligibilityStatus(p, profile, b, '2026-03-01').status) differing++
        expect(eligibilityStatus(p, profile, c as ProjectFacts, '2026-03-01')).toEqual(expected)
      }),
      { numRuns: 6000, seed: 11 },
    )
    // Facts that differ did change statuses: the property was not vacuous.
    expect(differing).toBeGreaterThan(300)
  })

  it('leaves out by a hard rule only programmes the evaluator finds ineligible', () => {
    const all = s.catalogue().all()
    let left = 0
    fc.assert(
      fc.property(fc.integer({ min: 0, max: all.length - 1 }), fc.option(fc.integer({ min: 0, max: profiles.length - 1 }), { nil: undefined }), factsArb, (i, pi, facts) => {
        const p = all[i]!
        const profile = pi === undefined ? undefined : profiles[pi]
        if (hardExclusion(p, profile, facts, '2026-03-01')) {
          left++
          expect(eligibilityStatus(p, profile, facts, '2026-03-01').status).toBe('ineligible')
        }
      }),
      { numRuns: 4000, seed: 7 },
    )
    // The property was exercised, not vacuous.
    expect(left).toBeGreaterThan(500)
  })
})
