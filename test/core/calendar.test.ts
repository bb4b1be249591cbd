import { describe, expect, it } from 'vitest'
import { evaluateCalendar } from '../../core/calendar.ts'
import { fixedClock, parisDay } from '../../core/clock.ts'
import { CalendarSchema, type Calendar } from '../../core/programme.ts'

const cal = (c: unknown): Calendar => CalendarSchema.parse(c)

// FICOL-like: one call a year, January → September.
const annual = cal({
  kind: 'recurring',
  editions: [
    { label: '2023', opensAt: '2023-01-15', deadlines: ['2023-09-08'] },
    { label: '2024', opensAt: '2024-01-04', deadlines: ['2024-09-13'] },
  ],
})
const twoStage = cal({ kind: 'oneOff', editions: [{ opensAt: '2026-02-01', deadlines: ['2026-04-15', '2026-09-30'] }] })

describe('calendar around deadlines (fixed clock)', () => {
  it('open until the deadline day included, with J-n', () => {
    expect(evaluateCalendar(twoStage, '2026-04-14')).toMatchObject({ status: 'open', closesAt: '2026-04-15', daysLeft: 1 })
    const onTheDay = evaluateCalendar(twoStage, '2026-04-15')
    expect(onTheDay).toMatchObject({ status: 'open', closesAt: '2026-04-15', daysLeft: 0 })
    expect(onTheDay.label).toBe("Ouvert jusqu'au 15 avril 2026 (J-0)")
  })

  it('moves to the next stage deadline the day after', () => {
    expect(evaluateCalendar(twoStage, '2026-04-16')).toMatchObject({ status: 'open', closesAt: '2026-09-30', daysLeft: 167 })
  })

  it('forthcoming before opening, closed after the last deadline', () => {
    expect(evaluateCalendar(twoStage, '2026-01-31')).toMatchObject({ status: 'forthcoming', opensAt: '2026-02-01', closesAt: '2026-04-15' })
    expect(evaluateCalendar(twoStage, '2026-01-31').label).toBe('Ouverture le 1er février 2026, clôture le 15 avril 2026')
    expect(evaluateCalendar(twoStage, '2026-10-01')).toMatchObject({ status: 'closed', label: 'Clos le 30 septembre 2026' })
  })

  it('permanent programmes have no deadline', () => {
    expect(evaluateCalendar(cal({ kind: 'permanent' }), '2026-03-01')).toMatchObject({ status: 'permanent' })
  })

  it('an ended programme is closed with no next window', () => {
    const v = evaluateCalendar(cal({ kind: 'ended', editions: [{ opensAt: '2020-06-03', deadlines: ['2020-06-04'] }] }), '2026-03-01')
    expect(v).toMatchObject({ status: 'closed', label: 'Programme terminé (dernière clôture le 4 juin 2020)' })
    expect(v.nextWindow).toBeUndefined()
  })

  it('estimated edition dates are said to be estimates', () => {
    const v = evaluateCalendar(cal({ kind: 'oneOff', editions: [{ opensAt: '2026-01-01', deadlines: ['2026-06-30'], estimated: true }] }), '2026-03-01')
    expect(v.estimated).toBe(true)
    expect(v.label).toMatch(/estimée, à confirmer/)
  })
})

describe('recurring windows', () => {
  it('a closed recurring call shows its next expected window from the last edition, as an estimate', () => {
    const v = evaluateCalendar(annual, '2024-12-01')
    expect(v.status).toBe('closed')
    expect(v.nextWindow).toEqual({ opensAt: '2025-01-04', closesAt: '2025-09-13', estimated: true, basis: "calendrier de l'édition 2024" })
    expect(v.label).toMatch(/^Clos le 13 septembre 2024\. .*estimation/)
  })

  it('once an expected edition was never published, no window is guessed any more', () => {
    const v = evaluateCalendar(annual, '2026-03-01')
    expect(v.status).toBe('closed')
    expect(v.nextWindow).toBeUndefined()
    expect(v.label).toBe('Dernier appel clos le 13 septembre 2024, aucun appel annoncé depuis (l\'édition attendue vers le 13 septembre 2025 n\'a pas été publiée)')
  })

  it('the window rolls to the next year once its estimated closing has passed', () => {
    expect(evaluateCalendar(annual, '2025-09-14').nextWindow).toMatchObject({ opensAt: '2026-01-04', closesAt: '2026-09-13' })
    expect(evaluateCalendar(annual, '2025-09-13').nextWindow).toMatchObject({ closesAt: '2025-09-13' })
  })

  it('a multi-year call repeats at its observed period', () => {
    const triennial = cal({ kind: 'recurring', editions: [{ opensAt: '2021-12-01', deadlines: ['2022-03-31'] }, { opensAt: '2024-03-01', deadlines: ['2024-05-06'] }] })
    expect(evaluateCalendar(triennial, '2026-03-01').nextWindow).toMatchObject({ opensAt: '2026-03-01', closesAt: '2026-05-06' })
    expect(evaluateCalendar(triennial, '2026-06-01').nextWindow).toMatchObject({ opensAt: '2028-03-01', closesAt: '2028-05-06' })
  })

  it('a usual window across the new year (December → February)', () => {
    const detrLike = cal({ kind: 'recurring', typicalWindow: { opens: '12-01', closes: '02-28' } })
    const march = evaluateCalendar(detrLike, '2026-03-01')
    expect(march.status).toBe('recurring')
    expect(march.nextWindow).toMatchObject({ opensAt: '2026-12-01', closesAt: '2027-02-28', estimated: true })
    expect(march.label).toBe('Prochaine fenêtre attendue : décembre 2026 – février 2027 (estimation)')
    const january = evaluateCalendar(detrLike, '2027-01-15')
    expect(january.nextWindow).toMatchObject({ opensAt: '2026-12-01', closesAt: '2027-02-28' })
    expect(january.label).toMatch(/en cours/)
    // 29 February only exists in leap years.
    const leap = cal({ kind: 'recurring', typicalWindow: { opens: '12-01', closes: '02-29' } })
    expect(evaluateCalendar(leap, '2026-03-01').nextWindow?.closesAt).toBe('2027-02-28')
  })
})

describe('clock', () => {
  it('GUICHET_NOW-style dates are days in Paris', () => {
    expect(parisDay(fixedClock('2026-03-01').now())).toBe('2026-03-01')
    // 23:30 UTC on 31 March is already 1 April in Paris (summer time).
    expect(parisDay(new Date('2026-03-31T23:30:00Z'))).toBe('2026-04-01')
  })
})

describe('editions without a published deadline', () => {
  const undated = (opensAt: string) => cal({ kind: 'recurring', editions: [{ opensAt: '2023-01-10', deadlines: ['2023-03-31'] }, { opensAt }] })
  it('an edition opened this year with no deadline is open, with the deadline unknown', () => {
    const v = evaluateCalendar(undated('2026-01-15'), '2026-03-01')
    expect(v.status).toBe('open')
    expect(v.closesAt).toBeUndefined()
    expect(v.label).toMatch(/date limite non communiquée/)
  })
  it('one opened years ago is history: the call is closed and its next window estimated', () => {
    const v = evaluateCalendar(undated('2024-01-15'), '2025-02-01')
    expect(v.status).toBe('closed')
    expect(v.nextWindow?.estimated).toBe(true)
    // Two years on, with no edition since, none is expected.
    expect(evaluateCalendar(undated('2024-01-15'), '2026-03-01').nextWindow).toBeUndefined()
  })
})
