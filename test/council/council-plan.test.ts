// The council back-planning against worked examples: clear days (« jours francs ») across
// month ends, weekends, a leap day and the three delays; the last useful council; the flag when
// the deadline falls before the next council. Each expected date is worked out by hand below.
import { describe, expect, it } from 'vitest'
import { clearDaysBetween, convocationRule, easterSunday, latestConvocation, publicHoliday, weekday, workdayOnOrBefore } from '../../core/council.ts'
import { CouncilCalendarText, meetingsBetween, parseCouncilCalendar, type CouncilCalendar } from '../../core/council-calendar.ts'
import { deliberationNeed, planCouncil } from '../../core/council-plan.ts'
import { councilFacts } from '../../core/council-view.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'

const cal = (text: string): CouncilCalendar => {
  const c = parseCouncilCalendar(text)
  if ('error' in c) throw new Error(c.error)
  return c
}

describe('clear days (jours francs)', () => {
  it('a commune of 476 inhabitants meeting on Thursday 2026-03-12: convocation on Sunday 2026-03-08 at the latest', () => {
    // 3 clear days (CGCT L2121-11): neither the day of sending nor the meeting day counts, so the
    // days in between must be at least 3: sent on Sun 8 → Mon 9, Tue 10, Wed 11 = 3 clear days.
    // Sent on Mon 9 → only 10 and 11 = 2: too late. (Saturday 7 leaves 4 clear days: legal, but
    // not the last day.) The legal limit is a Sunday, so the Friday before (6 March) is shown too.
    const rule = convocationRule('commune', 476)
    expect(rule).toMatchObject({ clearDays: 3, article: 'CGCT L2121-11' })
    expect(weekday('2026-03-12')).toBe(4)
    expect(latestConvocation('2026-03-12', rule.clearDays)).toBe('2026-03-08')
    expect(weekday('2026-03-08')).toBe(0)
    expect(clearDaysBetween('2026-03-08', '2026-03-12')).toBe(3)
    expect(clearDaysBetween('2026-03-09', '2026-03-12')).toBe(2)
    expect(workdayOnOrBefore('2026-03-08')).toBe('2026-03-06')
  })

  it('5 clear days across the end of February (commune of 12,000 inhabitants, meeting Tuesday 2026-03-03)', () => {
    // CGCT L2121-12. 2026 is not a leap year: sent Wed 25 Feb → 26, 27, 28 Feb, 1, 2 Mar = 5 clear days.
    const rule = convocationRule('commune', 12000)
    expect(rule).toMatchObject({ clearDays: 5, article: 'CGCT L2121-12' })
    expect(latestConvocation('2026-03-03', 5)).toBe('2026-02-25')
    expect(weekday('2026-02-25')).toBe(3)
    expect(clearDaysBetween('2026-02-25', '2026-03-03')).toBe(5)
  })

  it('5 clear days over a leap day (meeting Monday 2028-03-06)', () => {
    // Sent Tue 29 Feb 2028 → 1, 2, 3, 4, 5 Mar = 5 clear days.
    expect(latestConvocation('2028-03-06', 5)).toBe('2028-02-29')
    expect(weekday('2028-02-29')).toBe(2)
  })

  it('12 days for a département across the new year (meeting Monday 2026-01-05)', () => {
    // CGCT L3121-19, counted as clear days: sent Tue 23 Dec 2025 → 24…31 Dec (8) + 1…4 Jan (4) = 12.
    const rule = convocationRule('departement')
    expect(rule).toMatchObject({ clearDays: 12, article: 'CGCT L3121-19' })
    expect(latestConvocation('2026-01-05', 12)).toBe('2025-12-23')
    expect(clearDaysBetween('2025-12-23', '2026-01-05')).toBe(12)
    expect(convocationRule('region')).toMatchObject({ clearDays: 12, article: 'CGCT L4132-18' })
  })

  it('EPCI: L5211-1 — 3 clear days when no member commune can reach 3,500, 5 otherwise (the safe delay)', () => {
    expect(convocationRule('epci', 3200)).toMatchObject({ clearDays: 3, article: 'CGCT L5211-1 et L2121-11' })
    expect(convocationRule('epci', 45000)).toMatchObject({ clearDays: 5, article: 'CGCT L5211-1 et L2121-12' })
    expect(convocationRule('syndicat', 45000).clearDays).toBe(5)
    // Its most populous member decides when known.
    expect(convocationRule('epci', 7222, 1175)).toMatchObject({ clearDays: 3, article: 'CGCT L5211-1 et L2121-11' })
    expect(convocationRule('epci', 18971, 6305)).toMatchObject({ clearDays: 5, article: 'CGCT L5211-1 et L2121-12' })
    // The threshold itself: 3,500 inhabitants is « 3 500 habitants et plus ».
    expect(convocationRule('commune', 3499).clearDays).toBe(3)
    expect(convocationRule('commune', 3500).clearDays).toBe(5)
  })
})

describe('who votes, from the real geography', () => {
  it('an EPCI is judged by its most populous member commune (the profile\'s centre)', () => {
    const g = loadEtalabGeography()
    // CC du Serein: 7,222 inhabitants, its largest commune Joux-la-Ville 1,175 → 3 clear days.
    const serein = councilFacts(g.epciBySiren('200039709')!)
    expect(serein).toEqual({ body: 'epci', population: 7222, largestMember: 1175 })
    expect(convocationRule(serein.body, serein.population, serein.largestMember).clearDays).toBe(3)
    // CC Avallon, Vézelay, Morvan: Avallon has 6,305 → 5 clear days.
    const avallon = councilFacts(g.epciBySiren('200039758')!)
    expect(convocationRule(avallon.body, avallon.population, avallon.largestMember).clearDays).toBe(5)
    // A syndicat applying for a commune: its own population, not the commune's.
    expect(councilFacts(g.communeByInsee('89446')!, 'syndicat', 12000)).toEqual({ body: 'syndicat', population: 12000 })
  })
})

describe('the working day before a legal limit', () => {
  it('steps back over weekends and public holidays', () => {
    // Easter: 5 April 2026, 16 April 2028, 31 March 2024 (known dates).
    expect([easterSunday(2026), easterSunday(2028), easterSunday(2024)]).toEqual(['2026-04-05', '2028-04-16', '2024-03-31'])
    // Meeting Thursday 14 May 2026 (Ascension), 5 clear days: Friday 8 May (9…13 May in between) — a public holiday (8 mai).
    expect(latestConvocation('2026-05-14', 5)).toBe('2026-05-08')
    expect(workdayOnOrBefore('2026-05-08')).toBe('2026-05-07')
    // Easter Monday 6 April 2026 → Friday 3 April (Sunday 5, Saturday 4 skipped).
    expect(workdayOnOrBefore('2026-04-06')).toBe('2026-04-03')
    // Whit Monday 25 May 2026 and Ascension 14 May 2026 are holidays; Tuesday 26 May is not.
    expect([publicHoliday('2026-05-25'), publicHoliday('2026-05-14'), publicHoliday('2026-05-26')]).toEqual([true, true, false])
    const plan = planCouncil({ body: 'commune', population: 12000, calendar: cal('2026-05-14'), today: '2026-05-01', deadline: '2026-05-20' })
    expect(plan.lines.join('\n')).toContain('Convocation du conseil au plus tard le vendredi 8 mai 2026 (un jour férié : le jeudi 7 mai 2026 si vos services sont fermés ce jour-là)')
  })
})

describe('council calendar', () => {
  it('reads monthly rules and explicit dates, and names what is wrong', () => {
    // 2026: 1 Jan is a Thursday, 1 Feb and 1 Mar are Sundays, 1 Apr a Wednesday.
    expect(meetingsBetween(cal('deuxième jeudi du mois'), '2026-01-01', '2026-04-30')).toEqual(['2026-01-08', '2026-02-12', '2026-03-12', '2026-04-09'])
    expect(meetingsBetween(cal('le 1er mardi'), '2026-01-01', '2026-03-31')).toEqual(['2026-01-06', '2026-02-03', '2026-03-03'])
    // Last Monday: 31 Aug 2026 is a Monday; August skipped by « sauf août ».
    expect(meetingsBetween(cal('dernier lundi du mois'), '2026-08-01', '2026-09-30')).toEqual(['2026-08-31', '2026-09-28'])
    expect(meetingsBetween(cal('dernier lundi du mois sauf août'), '2026-07-01', '2026-09-30')).toEqual(['2026-07-27', '2026-09-28'])
    expect(meetingsBetween(cal('2026-04-20, 2026-03-16'), '2026-03-01', '2026-12-31')).toEqual(['2026-03-16', '2026-04-20'])
    expect(parseCouncilCalendar('cinquième jeudi')).toEqual({ error: expect.stringContaining('rang inconnu') })
    expect(parseCouncilCalendar('2026-02-30')).toEqual({ error: 'date invalide : 2026-02-30' })
    const bad = CouncilCalendarText.safeParse('premier jeudo')
    expect(bad.success).toBe(false)
    expect(bad.error?.issues[0]?.message).toContain('jour de la semaine inconnu')
  })
})

describe('last useful council', () => {
  const monthly = cal('deuxième jeudi du mois') // 12 Mar, 9 Apr, 14 May 2026
  const commune = { body: 'commune' as const, population: 476, calendar: monthly }

  it('deadline 2026-04-15: vote by 12 April (3 days margin), last useful council Thursday 9 April, convocation by Sunday 5 April', () => {
    const plan = planCouncil({ ...commune, today: '2026-03-01', deadline: '2026-04-15' })
    expect(plan.deliberateBy).toBe('2026-04-12')
    expect(plan.lastUseful).toEqual({ meeting: '2026-04-09', convocationBy: '2026-04-05', convocationWorkday: '2026-04-03', convocationPassed: false })
    expect(plan.beforeNextCouncil).toBe(false)
    expect(plan.lines.join('\n')).toContain('Délibération à prendre avant le 12 avril 2026 inclus')
    expect(plan.lines.join('\n')).toContain('Dernier conseil utile le jeudi 9 avril 2026')
    expect(plan.lines.join('\n')).toContain('Convocation du conseil au plus tard le dimanche 5 avril 2026 (un dimanche : le vendredi 3 avril 2026 si vos services sont fermés ce jour-là)')
  })

  it('the margin decides at the boundary: deadline 12 April keeps 9 April, 11 April falls back to 12 March', () => {
    expect(planCouncil({ ...commune, today: '2026-03-01', deadline: '2026-04-12' }).lastUseful?.meeting).toBe('2026-04-09')
    const earlier = planCouncil({ ...commune, today: '2026-03-01', deadline: '2026-04-11' })
    expect(earlier.lastUseful).toMatchObject({ meeting: '2026-03-12', convocationBy: '2026-03-08' })
    expect(planCouncil({ ...commune, today: '2026-03-01', deadline: '2026-04-11', marginDays: 1 }).lastUseful?.meeting).toBe('2026-04-09')
  })

  it('a deadline before the next council is flagged, with the delegation to the mayor', () => {
    const plan = planCouncil({ ...commune, today: '2026-03-13', deadline: '2026-04-05' })
    expect(plan.beforeNextCouncil).toBe(true)
    expect(plan.lastUseful).toBeUndefined()
    expect(plan.nextMeeting).toBe('2026-04-09')
    expect(plan.lines.join('\n')).toContain('la date limite tombe avant votre prochain conseil (le 9 avril 2026) : réunion extraordinaire (CGCT L2121-9) ou délégation au maire (CGCT L2122-22, 26°) à envisager')
  })

  it('a next council too close to the deadline is flagged too', () => {
    const plan = planCouncil({ ...commune, today: '2026-03-13', deadline: '2026-04-10' })
    expect(plan.beforeNextCouncil).toBe(true)
    expect(plan.lines.join('\n')).toContain('votre prochain conseil (le 9 avril 2026) ne laisse pas la délibération devenir exécutoire à temps')
  })

  it('a convocation day already behind today is said', () => {
    const plan = planCouncil({ ...commune, today: '2026-03-10', deadline: '2026-03-20' })
    expect(plan.lastUseful).toMatchObject({ meeting: '2026-03-12', convocationBy: '2026-03-08', convocationPassed: true })
    expect(plan.lines.join('\n')).toContain('date passée')
  })

  it('a région with explicit session dates: 12 days before', () => {
    const plan = planCouncil({ body: 'region', calendar: cal('2026-03-26, 2026-06-25'), today: '2026-03-01', deadline: '2026-06-30' })
    // 25 June 2026 is a Thursday; 12 clear days → sent Fri 12 June at the latest (13…24 June = 12 days).
    expect(plan.lastUseful).toMatchObject({ meeting: '2026-06-25', convocationBy: '2026-06-12' })
    expect(plan.lines.join('\n')).toContain('CGCT L4132-18')
  })
})

describe('which programmes need a deliberation', () => {
  const base = { aid: {}, summary: 'Un programme.', eligibility: { conditions: [] as string[] } }
  it('quotes the programme when its file states it, and says « à vérifier » otherwise', () => {
    const stated = deliberationNeed({ ...base, eligibility: { conditions: ['Une convention signée avec la collectivité étrangère et une délibération sont exigées'] } } as never)
    expect(stated).toEqual({ status: 'stated', text: 'Délibération exigée par le programme : « Une convention signée avec la collectivité étrangère et une délibération sont exigées »' })
    expect(deliberationNeed(base as never)).toEqual({ status: 'usual', text: 'Délibération généralement demandée — à vérifier auprès du financeur' })
  })
})
