// iCalendar feeds (RFC 5545): one all-day VEVENT per deadline (DTSTART;VALUE=DATE), a VALARM
// per lead time, UIDs stable across runs (programme + deadline), Europe/Paris declared; CRLF
// line ends and lines folded at 75 octets. Estimated dates are TENTATIVE and say so, with no
// alarm: an estimate is not a deadline. A subscription's feed adds, for each firm deadline, the
// council dates of its collectivité (« Dernier conseil utile », « Convocation du conseil au plus tard »).
import type { Catalogue } from '../../content/catalogue.ts'
import { evaluateCalendar } from '../../core/calendar.ts'
import { dayFromNumber, dayNumber } from '../../core/clock.ts'
import { formatDay } from '../../core/french.ts'
import type { Programme } from '../../core/programme.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { councilFacts, councilView, type CouncilSettings } from '../../core/council-view.ts'
import { DEFAULT_COUNCIL_SETTINGS } from '../council-view.ts'
import type { AlertMatcher } from './audience.ts'
import { profileName } from './render.ts'
import { DEFAULT_LEAD_TIMES, type Subscription } from './subscription.ts'

export interface IcsEvent {
  uid: string
  /** YYYY-MM-DD, an all-day event. */
  date: string
  summary: string
  description: string
  url?: string
  tentative: boolean
  /** Days before the date. */
  alarms: readonly number[]
}

const PARIS_VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'X-LIC-LOCATION:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
]

/** TEXT value escaping (RFC 5545 §3.3.11). */
export function escapeText(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n')
}

const encoder = new TextEncoder()

/** Folds a content line into chunks of at most 75 octets, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line
  const out: string[] = []
  let current = ''
  let bytes = 0
  let limit = 75
  for (const ch of line) {
    const n = encoder.encode(ch).length
    if (bytes + n > limit) {
      out.push(current)
      current = ' '
      bytes = 1
      limit = 75
    }
    current += ch
    bytes += n
  }
  out.push(current)
  return out.join('\r\n')
}

const compactDay = (day: string) => day.replace(/-/g, '')
const utcStamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')

export function buildCalendar({ name, description, events, now }: { name: string; description: string; events: IcsEvent[]; now: Date }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Guichet//Alertes échéances//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
    `X-WR-CALDESC:${escapeText(description)}`,
    'X-WR-TIMEZONE:Europe/Paris',
    'REFRESH-INTERVAL;VALUE=DURATION:PT12H',
    'X-PUBLISHED-TTL:PT12H',
    ...PARIS_VTIMEZONE,
  ]
  const stamp = utcStamp(now)
  for (const e of [...events].sort((a, b) => a.date.localeCompare(b.date) || a.uid.localeCompare(b.uid))) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${compactDay(e.date)}`,
      `DTEND;VALUE=DATE:${compactDay(dayFromNumber(dayNumber(e.date) + 1))}`,
      `SUMMARY:${escapeText(e.summary)}`,
      `DESCRIPTION:${escapeText(e.description)}`,
      ...(e.url ? [`URL:${e.url}`] : []),
      `STATUS:${e.tentative ? 'TENTATIVE' : 'CONFIRMED'}`,
      'TRANSP:TRANSPARENT',
    )
    if (!e.tentative) {
      for (const days of e.alarms) {
        lines.push('BEGIN:VALARM', 'ACTION:DISPLAY', `DESCRIPTION:${escapeText(`J-${days} : ${e.summary}`)}`, `TRIGGER:-P${days}D`, 'END:VALARM')
      }
    }
    lines.push('END:VEVENT')
  }
  lines.push('END:VCALENDAR')
  return `${lines.map(foldLine).join('\r\n')}\r\n`
}

/** The deadlines of one programme still to come (firm ones, and estimates marked as such). */
export function programmeEvents(p: Programme, today: string, alarms: readonly number[] = DEFAULT_LEAD_TIMES): IcsEvent[] {
  if (p.calendar.kind === 'permanent' || p.calendar.kind === 'ended') return []
  const label = p.shortName ?? p.name
  const funder = p.funders.join(', ')
  const events: IcsEvent[] = []
  const seen = new Set<string>()
  for (const e of p.calendar.editions) {
    for (const d of e.deadlines) {
      if (d < today || seen.has(d)) continue
      seen.add(d)
      const edition = e.label ? ` (édition ${e.label})` : ''
      events.push({
        uid: `${p.id}-${d}${e.estimated ? '-estimation' : ''}@guichet`,
        date: d,
        summary: e.estimated ? `Date limite estimée : ${label}` : `Date limite : ${label}`,
        description: `${p.name} — ${funder}${edition}.\nClôture ${e.estimated ? 'estimée ' : ''}le ${formatDay(d)}${e.estimated ? ' (estimation, à confirmer auprès du financeur)' : ''}.\n${p.links.apply ?? p.links.official}`,
        url: p.links.apply ?? p.links.official,
        tentative: e.estimated,
        alarms,
      })
    }
  }
  if (events.length === 0) {
    const w = evaluateCalendar(p.calendar, today).nextWindow
    if (w && w.closesAt >= today) {
      events.push({
        uid: `${p.id}-${w.closesAt}-estimation@guichet`,
        date: w.closesAt,
        summary: `Date limite estimée : ${label}`,
        description: `${p.name} — ${funder}.\nProchaine fenêtre attendue du ${formatDay(w.opensAt)} au ${formatDay(w.closesAt)} : estimation d'après ${w.basis}, à confirmer auprès du financeur.\n${p.links.official}`,
        url: p.links.official,
        tentative: true,
        alarms: [],
      })
    }
  }
  return events
}

export function programmeCalendar(p: Programme, today: string, now: Date): string {
  return buildCalendar({ name: `Guichet — ${p.shortName ?? p.name}`, description: `Dates limites de ${p.name}`, events: programmeEvents(p, today), now })
}

/**
 * The council dates of one firm deadline for a collectivité (core/council-view.ts): « Dernier
 * conseil utile » and « Convocation du conseil au plus tard » when a council is in time, or the day
 * the deliberation must be taken by when none is (extraordinary meeting or delegation).
 */
export function councilEvents(p: Programme, profile: CollectiviteProfile, deadline: string, today: string, settings: CouncilSettings, alarms: readonly number[]): IcsEvent[] {
  const label = p.shortName ?? p.name
  const view = councilView({ programme: p, deadline, deadlineEstimated: false, ...councilFacts(profile), today, settings })
  const description = `${p.name} — date limite le ${formatDay(deadline)}.\n${view.lines.join('\n')}\n${p.links.apply ?? p.links.official}`
  const event = (kind: string, date: string, summary: string): IcsEvent => ({ uid: `${p.id}-${deadline}-${kind}@guichet`, date, summary, description, url: p.links.apply ?? p.links.official, tentative: false, alarms })
  const events: IcsEvent[] = []
  if (view.lastUsefulCouncil) events.push(event('conseil', view.lastUsefulCouncil, `Dernier conseil utile — ${label}`))
  if (view.convocationBy && view.convocationBy >= today) events.push(event('convocation', view.convocationBy, `Convocation du conseil au plus tard — ${label}`))
  if (view.beforeNextCouncil && view.deliberateBy >= today) events.push(event('deliberation', view.deliberateBy, `Délibération à prendre au plus tard (aucun conseil prévu à temps) — ${label}`))
  return events
}

/** The feed of a subscription: the followed programmes and those that concern it, with their council dates. */
export function subscriptionCalendar(s: Subscription, catalogue: Catalogue, matcher: AlertMatcher, today: string, now: Date, council: CouncilSettings = DEFAULT_COUNCIL_SETTINGS): string {
  const events: IcsEvent[] = []
  for (const p of catalogue.all()) {
    if (p.calendar.kind === 'permanent' || p.calendar.kind === 'ended') continue
    const list = programmeEvents(p, today, s.leadTimes)
    if (list.length === 0 || !matcher.relevance(p, s, today)) continue
    events.push(...list)
    for (const e of list) if (!e.tentative) events.push(...councilEvents(p, s.profile, e.date, today, council, s.leadTimes.filter((d) => d <= 7)))
  }
  return buildCalendar({ name: `Guichet — échéances ${profileName(s.profile)}`, description: `Dates limites des financements suivis par Guichet pour ${profileName(s.profile)}`, events, now })
}
