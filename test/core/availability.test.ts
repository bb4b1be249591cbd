// Availability on a date, from the programme's dated facts only: open, upcoming, expected,
// closed, suspended, proposed, ended — and the evaluator excludes what cannot be obtained.
import { describe, expect, it } from 'vitest'
import { availability } from '../../core/availability.ts'
import { evaluateEligibility } from '../../core/eligibility.ts'
import { buildProgramme, commune } from '../builders/programme.ts'

const annual = (editions: { label?: string; opensAt?: string; deadlines: string[]; final?: boolean }[], extra: object = {}) =>
  buildProgramme({ calendar: { kind: 'recurring', editions, ...extra } })

describe('availability', () => {
  it('a permanent window is open', () => {
    expect(availability(buildProgramme(), '2026-03-01').status).toBe('open')
  })

  it('an edition taking applications is open, one announced later is upcoming', () => {
    const p = annual([{ opensAt: '2026-02-25', deadlines: ['2026-06-15'] }])
    expect(availability(p, '2026-03-01')).toMatchObject({ status: 'open', text: 'Ouvert jusqu\'au 15 juin 2026' })
    expect(availability(p, '2026-01-10')).toMatchObject({ status: 'upcoming' })
  })

  it('an annual call is expected until an edition has been missed, then closed with the date', () => {
    const p = annual([{ opensAt: '2024-01-04', deadlines: ['2024-09-13'] }])
    expect(availability(p, '2024-12-01').status).toBe('expected')
    // 2025 edition expected around 2025-09-13; 90 days later with nothing published, none is announced.
    expect(availability(p, '2025-12-12').status).toBe('expected')
    const closed = availability(p, '2026-03-01')
    expect(closed.status).toBe('closed')
    expect(closed.text).toMatch(/Dernier appel clos le 13 septembre 2024, aucun appel annoncé/)
  })

  it('the cycle is the gap observed between editions', () => {
    const biennial = annual([{ deadlines: ['2021-03-01'] }, { deadlines: ['2023-03-01'] }])
    expect(availability(biennial, '2024-06-01').status).toBe('expected')
    expect(availability(biennial, '2025-09-01').status).toBe('closed')
  })

  it('an irregular call and a final edition are closed once past', () => {
    const irregular = annual([{ opensAt: '2025-01-21', deadlines: ['2025-05-30'] }], { cycle: 'irregular' })
    expect(availability(irregular, '2025-04-01').status).toBe('open')
    expect(availability(irregular, '2025-06-01')).toMatchObject({ status: 'closed', text: 'Dernier appel clos le 30 mai 2025, aucun appel annoncé' })
    const last = annual([{ deadlines: ['2025-10-31'], final: true }])
    expect(availability(last, '2025-11-01').text).toMatch(/annoncé comme le dernier/)
    // The last call announced as such, its dates never published.
    const undated = annual([{ deadlines: ['2021-05-26'] }, { label: 'CHÊNE 5', deadlines: [], final: true }])
    expect(availability(undated, '2026-03-01')).toMatchObject({ status: 'closed', text: 'L\'appel « CHÊNE 5 » était annoncé comme le dernier ; aucun appel annoncé depuis' })
  })

  it('a statutory annual call with no dated edition stays expected', () => {
    expect(availability(buildProgramme({ calendar: { kind: 'recurring', typicalWindow: { opens: '12-01', closes: '02-28' } } }), '2026-03-01').status).toBe('expected')
  })

  it('a past one-off call is closed; an ended programme is ended', () => {
    expect(availability(buildProgramme({ calendar: { kind: 'oneOff', editions: [{ deadlines: ['2025-09-26'] }] } }), '2026-03-01').status).toBe('closed')
    expect(availability(buildProgramme({ calendar: { kind: 'ended', editions: [{ deadlines: ['2020-06-04'] }] } }), '2026-03-01')).toMatchObject({ status: 'ended', text: 'Programme terminé : dernier appel clos le 4 juin 2020' })
  })

  it('a proposal is never obtainable; a suspension covers its dates', () => {
    expect(availability(buildProgramme({ adopted: false }), '2026-03-01').status).toBe('proposed')
    const s = buildProgramme({ suspension: { from: '2026-01-01', until: '2026-07-01', note: 'aide en refonte' } })
    expect(availability(s, '2025-12-31').status).toBe('open')
    expect(availability(s, '2026-03-01')).toMatchObject({ status: 'suspended', text: 'Suspendu depuis le 1er janvier 2026, reprise annoncée le 1er juillet 2026 : aide en refonte' })
    expect(availability(s, '2026-07-01').status).toBe('open')
  })
})

describe('availability in the evaluator', () => {
  it('excludes a closed call with its reason, and keeps an expected one', () => {
    const p = annual([{ deadlines: ['2024-02-20'] }])
    const r = evaluateEligibility(p, commune(800), {}, '2026-03-01')
    expect(r.status).toBe('ineligible')
    expect(r.rules.find((x) => x.outcome === 'fail')).toMatchObject({ rule: 'availability', text: expect.stringMatching(/20 février 2024/) })
    expect(evaluateEligibility(p, commune(800), {}, '2024-06-01').status).toBe('eligible')
  })

  it('a partial suspension excludes only projects on its themes, and asks when the project is not described', () => {
    const p = buildProgramme({ themes: ['renovation_energetique', 'energies_renouvelables'], suspension: { from: '2026-01-01', themes: ['renovation_energetique'], note: 'rénovation des bâtiments publics' } })
    expect(evaluateEligibility(p, commune(800), { themes: ['renovation_energetique'] }, '2026-03-01').status).toBe('ineligible')
    expect(evaluateEligibility(p, commune(800), { themes: ['energies_renouvelables'] }, '2026-03-01').status).toBe('eligible')
    expect(evaluateEligibility(p, commune(800), {}, '2026-03-01')).toMatchObject({ status: 'unknown', missing: ['themes'] })
  })
})
