// Council back-planning: from a programme's deadline, the collectivité's kind and population and
// its council calendar, the last council whose deliberation is executory in time, the day the
// convocation of that council must leave at the latest, and a flag when the deadline falls before
// the next council. Pure: days are ISO dates (Europe/Paris calendar days), nothing is fetched.
//
// The law this applies (Code général des collectivités territoriales, CGCT):
// - Convocation, communes under 3,500 inhabitants: « trois jours francs au moins avant celui de la
//   réunion » (L2121-11; in an emergency the mayor may shorten it to one clear day).
// - Communes of 3,500 inhabitants and more: « cinq jours francs » (L2121-12, same emergency rule).
// - EPCI: L5211-1 applies the municipal council rules to their council and, for L2121-11 and
//   L2121-12, the rules of communes of 3,500+ « s'ils comprennent au moins une commune de 3 500
//   habitants et plus », the rules of smaller communes otherwise. An EPCI under 3,500 inhabitants
//   cannot include such a commune: 3 clear days; otherwise its most populous member decides when
//   known (the profile's `centre`), else 5 (the longer, safe delay), said so. Syndicats are EPCI (syndicats de communes) or follow them (syndicats
//   mixtes fermés, L5711-1): same rule.
// - Départements: the report on each matter is sent « douze jours au moins avant la réunion »
//   (L3121-19); régions: the same (L4132-18). Counted here as 12 clear days, by prudence (one day
//   earlier than a plain count).
// - « Jours francs »: neither the day of sending nor the day of the meeting counts, so with n clear
//   days the convocation leaves at the latest on meeting − (n + 1). A weekend is not skipped (the
//   delay runs backwards from a fixed meeting; nothing extends it) — a legal limit on a weekend or a
//   public holiday is shown with the working day before, for services closed that day.
// - A deliberation is executory once published and transmitted to the préfecture (L2131-1, acts of
//   L2131-2). The law sets no minimum time for that; we assume DEFAULT_EXECUTORY_MARGIN_DAYS days
//   to sign the extract, transmit it through @ctes and publish it (configurable).
// - Deadline before the next council: an extraordinary meeting (the mayor may convene the council
//   whenever he deems it useful, L2121-9) or a delegation — to the mayor, « de demander à tout
//   organisme financeur […] l'attribution de subventions » (L2122-22, 26°); to the président or the
//   bureau of an EPCI (L5211-10); to the commission permanente of a département (L3211-2) or a
//   région (L4221-5).
import { addDays, dayNumber } from './clock.ts'
import { formatDay } from './french.ts'

export const COUNCIL_BODIES = ['commune', 'epci', 'syndicat', 'departement', 'region'] as const
export type CouncilBody = (typeof COUNCIL_BODIES)[number]

/** Assumed days between the council's vote and the deliberation being executory (L2131-1: publication + transmission). */
export const DEFAULT_EXECUTORY_MARGIN_DAYS = 3
/** The default council calendar: one meeting a month, on its second Thursday. */
export const DEFAULT_COUNCIL_CALENDAR = 'deuxième jeudi du mois'

export interface ConvocationRule {
  /** Clear days between the day the convocation leaves and the day of the meeting (neither counted). */
  clearDays: number
  /** The CGCT article(s), e.g. « CGCT L2121-11 ». */
  article: string
  /** The rule in one French phrase. */
  text: string
}

/** The convocation delay of a council (see the header for each article). */
export function convocationRule(body: CouncilBody, population?: number, largestMember?: number): ConvocationRule {
  switch (body) {
    case 'commune':
      return population !== undefined && population < 3500
        ? { clearDays: 3, article: 'CGCT L2121-11', text: 'commune de moins de 3 500 habitants : convocation 3 jours francs avant la séance' }
        : {
            clearDays: 5,
            article: 'CGCT L2121-12',
            text: population === undefined
              ? 'population inconnue : délai des communes de 3 500 habitants et plus retenu, convocation 5 jours francs avant la séance'
              : 'commune de 3 500 habitants et plus : convocation 5 jours francs avant la séance',
          }
    case 'epci':
    case 'syndicat':
      if (largestMember !== undefined) {
        return largestMember < 3500
          ? { clearDays: 3, article: 'CGCT L5211-1 et L2121-11', text: 'groupement dont aucune commune n\'atteint 3 500 habitants : convocation 3 jours francs avant la séance' }
          : { clearDays: 5, article: 'CGCT L5211-1 et L2121-12', text: 'groupement comptant une commune de 3 500 habitants ou plus : convocation 5 jours francs avant la séance' }
      }
      return population !== undefined && population < 3500
        ? { clearDays: 3, article: 'CGCT L5211-1 et L2121-11', text: 'groupement sans commune de 3 500 habitants ou plus : convocation 3 jours francs avant la séance' }
        : {
            clearDays: 5,
            article: 'CGCT L5211-1 et L2121-12',
            text: 'groupement : convocation 5 jours francs avant la séance s\'il compte une commune de 3 500 habitants ou plus (3 jours francs sinon)',
          }
    case 'departement':
      return { clearDays: 12, article: 'CGCT L3121-19', text: 'département : rapport aux conseillers 12 jours au moins avant la séance (compté ici en jours francs, par prudence)' }
    case 'region':
      return { clearDays: 12, article: 'CGCT L4132-18', text: 'région : rapport aux conseillers 12 jours au moins avant la séance (compté ici en jours francs, par prudence)' }
  }
}

/** The last day a convocation can leave for a meeting on `meeting` with `clearDays` clear days: meeting − (clearDays + 1). */
export function latestConvocation(meeting: string, clearDays: number): string {
  return addDays(meeting, -(clearDays + 1))
}

/** Clear days between two days: those strictly between them (0 for consecutive days). */
export function clearDaysBetween(sent: string, meeting: string): number {
  return Math.max(0, dayNumber(meeting) - dayNumber(sent) - 1)
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(isoDay: string): number {
  return (((dayNumber(isoDay) + 4) % 7) + 7) % 7
}

const WEEKDAY_NAMES = ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi']

/** « jeudi 12 mars 2026 ». */
export function formatWeekday(isoDay: string): string {
  return `${WEEKDAY_NAMES[weekday(isoDay)]} ${formatDay(isoDay)}`
}

/** Easter Sunday of a year (anonymous Gregorian algorithm), YYYY-MM-DD. */
export function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The national public holidays of metropolitan France (Code du travail L3133-1), Easter Monday, Ascension and Whit Monday from Easter. */
export function publicHoliday(isoDay: string): boolean {
  const year = Number(isoDay.slice(0, 4))
  if (['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].includes(isoDay.slice(5))) return true
  const easter = easterSunday(year)
  return [1, 39, 50].some((n) => addDays(easter, n) === isoDay)
}

/** The last working day (Monday to Friday, not a public holiday) on or before a day. */
export function workdayOnOrBefore(isoDay: string): string {
  let d = isoDay
  while (weekday(d) === 0 || weekday(d) === 6 || publicHoliday(d)) d = addDays(d, -1)
  return d
}

export { WEEKDAY_NAMES }
