// Maps a Programme to the SearchDocument both engines index. The calendar is evaluated on the
// given day, so the runtime rebuilds the documents daily for status and deadline to stay true.
import { evaluateCalendar } from '../core/calendar.ts'
import type { Programme } from '../core/programme.ts'
import { THEMES } from '../core/themes.ts'
import type { SearchDocument } from './search-index.ts'

/** "2026-03-15" → epoch milliseconds of that day at 00:00 UTC. */
export function utcMidnight(isoDay: string): number {
  const [y, m, d] = isoDay.split('-').map(Number) as [number, number, number]
  return Date.UTC(y, m - 1, d)
}

export function toSearchDocument(p: Programme, today: string): SearchDocument {
  const view = evaluateCalendar(p.calendar, today)
  return {
    id: p.id,
    name: p.name,
    shortName: p.shortName ?? null,
    funders: [...p.funders],
    summary: p.summary,
    keywords: [...p.keywords],
    themes: [...p.themes],
    themeLabels: p.themes.map((t) => THEMES[t].label),
    level: p.level,
    applicantTypes: [...p.eligibility.applicants],
    status: view.status,
    nextDeadline: view.closesAt ? utcMidnight(view.closesAt) : null,
  }
}
