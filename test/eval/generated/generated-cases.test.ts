// The generated evaluation set (cases.json) is well-formed and in sync with the catalogue: every
// expectation comes from an example of the programme it names, dated the evaluation's day, about
// the case's collectivité. Does not play the evaluation (that is `npm run eval`).
import { describe, expect, it } from 'vitest'
import { loadEtalabGeography } from '../../../core/geography/etalab-data.ts'
import { THEMES, type ThemeId } from '../../../core/themes.ts'
import { loadCuratedProgrammes } from '../../../runtime/node/load-content.ts'
import { buildCases, caseThemes, EVAL_DAY, halfOf } from './build-cases.ts'
import { COUNTRY_FORMS, THEME_PHRASES } from './phrases.ts'
import { loadGeneratedCases } from './run-generated.ts'

const cases = loadGeneratedCases()
const programmes = new Map(loadCuratedProgrammes().map((p) => [p.id, p]))
const fold = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/s\b/g, '')

describe('generated evaluation cases', () => {
  it('has at least 150 cases, in two non-empty halves split by the id hash, with unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150)
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length)
    expect(cases.filter((c) => c.half === 'dev').length).toBeGreaterThan(0)
    expect(cases.filter((c) => c.half === 'holdout').length).toBeGreaterThan(0)
    for (const c of cases) expect(c.half).toBe(halfOf(c.id))
  })

  it('gives each case three distinct first messages and a valid match query', () => {
    for (const c of cases) {
      const { terse, polite, typos } = c.styles
      expect(new Set([terse, polite, typos]).size, c.id).toBe(3)
      for (const m of [terse, polite, typos]) expect(m.length, c.id).toBeGreaterThan(10)
      expect(typos, c.id).toBe(typos.normalize('NFD').replace(/[\u0300-\u036f]/g, ''))
      expect(c.query[c.collectivite.type], c.id).toBe(c.collectivite.code)
      expect(c.query.q, c.id).toBeTruthy()
      expect(c.expectTop10.length + c.mustNotBeEligible.length, c.id).toBeGreaterThan(0)
      for (const id of c.expectTop3) expect(c.expectTop10, c.id).toContain(id)
    }
  })

  it('traces every expectation to an example of the named programme', () => {
    const geography = loadEtalabGeography()
    for (const c of cases) {
      const named = [...c.expectTop10, ...c.mustNotBeEligible]
      for (const id of named) expect(c.sources.some((s) => s.programme === id), `${c.id}: ${id}`).toBe(true)
      for (const s of c.sources) {
        const p = programmes.get(s.programme)
        expect(p, `${c.id}: ${s.programme}`).toBeDefined()
        const e = p!.examples[s.example]
        expect(e, `${c.id}: ${s.programme}#${s.example}`).toBeDefined()
        expect(e!.date).toBe(EVAL_DAY)
        expect(e!.expect).toBe(s.expect)
        expect(s.expect === 'eligible' ? c.expectTop10 : c.mustNotBeEligible, `${c.id}: ${s.programme}`).toContain(s.programme)
        const code = e!.commune ?? e!.epci ?? e!.departement ?? e!.region
        const profile = e!.commune ? geography.communeByInsee(code!) : e!.epci ? geography.epciBySiren(code!) : e!.departement ? geography.departement(code!) : geography.region(code!)
        expect(profile?.code, c.id).toBe(c.collectivite.code)
        expect(e!.applicant ?? profile!.type).toBe(c.facts.applicant)
        expect(e!.stage).toBe(c.facts.stage)
        expect(e!.budget).toBe(c.facts.budget)
        expect(e!.partnerCountry).toBe(c.facts.partnerCountry)
        expect(e!.closedLists ?? undefined).toEqual(c.facts.closedLists)
        expect(caseThemes(p!, e!)).toEqual(c.facts.themes)
      }
    }
  })

  it('is in sync with the catalogue (regenerate with `npx tsx test/eval/generated/build-cases.ts`)', () => {
    expect(JSON.parse(JSON.stringify(buildCases()))).toEqual(cases)
  })

  it('describes each theme with one of its own words', () => {
    for (const [theme, phrases] of Object.entries(THEME_PHRASES)) {
      const synonyms = [fold(THEMES[theme as ThemeId].label), ...THEMES[theme as ThemeId].synonyms.map(fold)]
      expect(phrases.length, theme).toBeGreaterThanOrEqual(3)
      expect(phrases.filter((phrase) => !synonyms.some((s) => fold(phrase).includes(s))), theme).toEqual([])
    }
  })

  it('writes every partner country of the examples the way French does (« du Cambodge », « à l\'île Maurice »)', () => {
    const countries = new Set([...programmes.values()].flatMap((p) => p.examples.flatMap((e) => [e.partnerCountry, ...(e.partnerCountries ?? [])])).filter((c): c is string => !!c))
    expect([...countries].filter((c) => !COUNTRY_FORMS[c])).toEqual([])
  })
})
