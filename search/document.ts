// Maps a Programme to the SearchDocument both engines index, and checks documents before an
// engine takes them. The calendar is evaluated on the given day, so the runtime rebuilds the
// documents daily for status and deadline to stay true.
import { z } from 'zod'
import { APPLICANT_TYPE_IDS } from '../core/applicants.ts'
import { CALENDAR_STATUSES, evaluateCalendar } from '../core/calendar.ts'
import { ValidationError, zodIssues } from '../core/errors.ts'
import { LEVELS, type Programme } from '../core/programme.ts'
import { THEME_IDS, THEMES } from '../core/themes.ts'
import { CLOSED_SPANS_MAX, hardAttributes } from './hard-filter.ts'
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
    ...hardAttributes(p),
  }
}

// Ids as Meilisearch accepts them (letters, digits, - and _, at most 511 bytes): the embedded
// index refuses what production would refuse, so a bad document fails the same way everywhere.
const documentId = z.string().regex(/^[A-Za-z0-9_-]{1,511}$/, 'identifiant de document invalide (lettres, chiffres, - et _)')

export const SearchDocumentSchema = z
  .object({
    id: documentId,
    name: z.string(),
    shortName: z.string().nullable(),
    funders: z.array(z.string()),
    summary: z.string(),
    keywords: z.array(z.string()),
    themes: z.array(z.enum(THEME_IDS)),
    themeLabels: z.array(z.string()),
    level: z.enum(LEVELS),
    applicantTypes: z.array(z.enum(APPLICANT_TYPE_IDS)),
    status: z.enum(CALENDAR_STATUSES),
    nextDeadline: z.number().int().nullable(),
    admittedAs: z.array(z.string()),
    territoryZones: z.array(z.string()),
    territoryRegions: z.array(z.string()),
    territoryDepartements: z.array(z.string()),
    populationBounds: z.record(z.string(), z.object({ min: z.number().optional(), atMost: z.number().optional(), below: z.number().optional() }).strict()),
    closedSpans: z.array(z.object({ from: z.number().int(), until: z.number().int() }).strict()).max(CLOSED_SPANS_MAX),
  })
  .strict()

/** Throws a ValidationError naming the first broken documents (`docs.3.level`) before any engine sees them. */
export function assertSearchDocuments(docs: readonly unknown[]): asserts docs is SearchDocument[] {
  const issues: { field: string; message: string }[] = []
  docs.forEach((doc, i) => {
    if (issues.length >= 20) return
    const parsed = SearchDocumentSchema.safeParse(doc)
    if (!parsed.success) issues.push(...zodIssues(parsed.error.issues).map((x) => ({ field: `docs.${i}${x.field ? `.${x.field}` : ''}`, message: x.message })))
  })
  if (issues.length > 0) throw new ValidationError(issues)
}
