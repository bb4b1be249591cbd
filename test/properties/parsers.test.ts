// Property-based tests on the pure parsers at the edges (issue 15): whatever a mayor, a widget or
// Teams sends as text, the understanding of bot/conversation/understand never throws and answers
// the shape it promises — for any string (control characters, lone surrogates, emoji, very long
// words, digits and punctuation in runs), in every question the dialogue may be waiting on.
// Seeded as the HTTP properties (FC_SEED, FC_RUNS: see world.ts).
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { detectBudget, parseAmount } from '../../bot/conversation/understand/amount.ts'
import { detectPartnerCountries } from '../../bot/conversation/understand/country.ts'
import { detectPopulation } from '../../bot/conversation/understand/population.ts'
import { detectTiming } from '../../bot/conversation/understand/timing.ts'
import { analyse } from '../../bot/conversation/understand/text.ts'
import { understand, type SlotName } from '../../bot/conversation/understand/understand.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { nastyString } from './arbitraries.ts'
import { fcParams } from './world.ts'

let geography: Geography
beforeAll(() => {
  geography = loadEtalabGeography()
})

const SLOTS: SlotName[] = ['collectivite', 'applicantType', 'themes', 'stage', 'budget', 'timing', 'partnerCountry', 'closedList', 'population', 'scope', 'foreignPartners', 'partnerCountries', 'frenchPartners', 'prerequisite', 'density', 'syndicatKind']

/** Words the detectors look for, glued with anything: the paths inside the parsers, not only their first test. */
const pieces = fc.constantFrom('Vézelay', 'saint', 'st', 'amand', '89', '2A', '18197', 'école', 'rénovation', 'pas', 'non', 'ne', 'mais', '€', 'M€', 'k€', '300', '000', ',', '.', '1,5', 'millions', 'habitants', 'hab.', 'avant', 'l\'été', 'fin', '2027', 'Sénégal', 'du', 'avec', 'petites villes de demain', 'syndicat', 'CC', 'communauté de communes', 'pourquoi', 'DETR', '(', ')', '-', '/', '%', ' ', '  ', '\n', '\t')
const text = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  { weight: 3, arbitrary: fc.array(fc.oneof(pieces, fc.string({ maxLength: 6 })), { maxLength: 40 }).map((xs) => xs.join(' ')) },
  { weight: 2, arbitrary: fc.array(pieces, { maxLength: 60 }).map((xs) => xs.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 1000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 28_000 }).map((n) => 'a1 '.repeat(Math.ceil(n / 3)).slice(0, n)) },
)

describe('the chat text understanding, on any string', () => {
  it('understand() never throws, in every expected slot, and answers its shape', () => {
    let runs = 0
    fc.assert(
      fc.property(text, fc.option(fc.constantFrom(...SLOTS), { nil: undefined }), (t, expectedSlot) => {
        const u = understand(t, { geography, today: '2026-03-01', ...(expectedSlot ? { expectedSlot } : {}) })
        expect(Array.isArray(u.themes.add) && Array.isArray(u.themes.remove)).toBe(true)
        for (const id of [...u.themes.add, ...u.themes.remove]) expect(THEME_IDS).toContain(id)
        if (u.budget !== undefined) expect(Number.isFinite(u.budget) && u.budget > 0, `budget ${u.budget}`).toBe(true)
        runs++
      }),
      fcParams(400),
    )
    expect(runs).toBeGreaterThan(0)
  }, 60_000)

  it('the detectors called on their own (the /api/match q parameter) never throw, and read finite numbers', () => {
    fc.assert(
      fc.property(text, (t) => {
        const a = analyse(t)
        const budget = detectBudget(a)
        if (budget !== undefined) expect(Number.isFinite(budget)).toBe(true)
        const amount = parseAmount(t)
        if (amount !== undefined) expect(Number.isFinite(amount)).toBe(true)
        const population = detectPopulation(analyse(t), { bare: true })
        if (population) expect(Number.isFinite((population as { value?: number }).value ?? 0)).toBe(true)
        detectTiming(analyse(t), { today: '2026-03-01' })
        for (const c of detectPartnerCountries(analyse(t))) expect(c).toMatch(/^[A-Z]{2}$/)
      }),
      fcParams(400),
    )
  }, 60_000)
})
