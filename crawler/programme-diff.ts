// What changed in a crawled programme between two runs, as events the alerts can use: a new
// programme, a deadline moved, a call closed early, a new edition, or any other update. The
// fetch time is not a change. Pure: the runner feeds it the stored and the fresh record, and
// (diffSource) a source's stored rows and what this run read, for the rows, gone ids and events
// of its one write.
import type { Edition, Programme } from '../core/programme.ts'
import type { CrawledRow, CrawlEvent, CrawlEventKind, SourceSuccess } from './crawl-store.ts'
import { canonicalUrl, dedupeKey, lastDeadline } from './dedupe.ts'

export interface ChangeEvent {
  kind: CrawlEventKind
  before: unknown
  after: unknown
}

export interface ProgrammeChange {
  changed: boolean
  /** Top-level fields that differ (provenance.fetchedAt ignored). */
  fields: string[]
  events: ChangeEvent[]
}

/** JSON with sorted keys: two records that say the same thing give the same text. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function withoutFetchTime(p: Programme): Record<string, unknown> {
  const provenance = p.provenance.kind === 'crawled' ? { ...p.provenance, fetchedAt: undefined } : p.provenance
  return { ...p, provenance }
}

/** The few facts an alert needs about a programme. */
export function eventSummary(p: Programme): Record<string, unknown> {
  const last = p.calendar.editions.at(-1)
  return {
    name: p.name,
    kind: p.calendar.kind,
    deadline: lastDeadline(p) || null,
    ...(last?.label ? { edition: last.label } : {}),
    ...(last?.opensAt ? { opensAt: last.opensAt } : {}),
    url: p.links.official,
  }
}

function editionView(e: Edition): Record<string, unknown> {
  return { ...(e.label ? { label: e.label } : {}), ...(e.opensAt ? { opensAt: e.opensAt } : {}), deadlines: e.deadlines }
}

function lastOf(e: Edition): string {
  return e.deadlines.at(-1) ?? e.opensAt ?? ''
}

function isNewEdition(before: Edition[], after: Edition[]): Edition | undefined {
  const b = before.at(-1)
  const a = after.at(-1)
  if (!a || !b) return undefined
  const knownLabels = new Set(before.map((e) => e.label).filter(Boolean))
  if (a.label && b.label && !knownLabels.has(a.label) && lastOf(a) >= lastOf(b)) return a
  // No labels: an edition that opens after the previous one closed is a new one.
  if (a.opensAt && b.deadlines.length && a.opensAt > b.deadlines.at(-1)!) return a
  if (after.length > before.length && !before.some((e) => stableJson(e) === stableJson(a)) && lastOf(a) > lastOf(b)) return a
  return undefined
}

/** `today` (YYYY-MM-DD, Paris) tells a deadline brought forward to the past (closed early) from one moved. */
export function diffProgramme(before: Programme | undefined, after: Programme, today: string): ProgrammeChange {
  if (!before) return { changed: true, fields: Object.keys(after), events: [{ kind: 'new', before: null, after: eventSummary(after) }] }
  const b = withoutFetchTime(before)
  const a = withoutFetchTime(after)
  const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => stableJson(a[k]) !== stableJson(b[k])).sort()
  if (fields.length === 0) return { changed: false, fields, events: [] }

  const events: ChangeEvent[] = []
  if (fields.includes('calendar')) {
    const newEdition = isNewEdition(before.calendar.editions, after.calendar.editions)
    const was = lastDeadline(before)
    const now = lastDeadline(after)
    if (after.calendar.kind === 'ended' && before.calendar.kind !== 'ended') {
      events.push({ kind: 'closed_early', before: eventSummary(before), after: eventSummary(after) })
    } else if (newEdition) {
      events.push({ kind: 'new_edition', before: eventSummary(before), after: { ...eventSummary(after), edition: editionView(newEdition) } })
    } else if (was !== now && now) {
      const closedEarly = Boolean(was) && now < was && now <= today
      events.push({ kind: closedEarly ? 'closed_early' : 'deadline_moved', before: { deadline: was || null }, after: { deadline: now } })
    }
  }
  const others = fields.filter((f) => f !== 'calendar' || events.length === 0)
  if (others.length) {
    events.push({
      kind: 'updated',
      before: Object.fromEntries(others.map((f) => [f, b[f] ?? null])),
      after: Object.fromEntries(others.map((f) => [f, a[f] ?? null])),
    })
  }
  return { changed: true, fields, events }
}

/**
 * A programme its source no longer lists. Still open by its dates (or permanent) → closed early;
 * already past its deadline → nothing to tell (it simply ended).
 */
export function vanishedEvent(before: Programme, today: string): ChangeEvent | undefined {
  if (before.calendar.kind === 'ended') return undefined
  const deadline = lastDeadline(before)
  if (deadline && deadline < today) return undefined
  return { kind: 'closed_early', before: eventSummary(before), after: { listed: false } }
}

export interface SourceDiffContext {
  sourceId: string
  runId: string
  /** The write's instant (ISO), stamped on every event. */
  at: string
  /** YYYY-MM-DD, Paris. */
  today: string
  /** Every page of this run was read (none failed, the page limit did not cut it): only then can a programme be gone. */
  complete: boolean
}

export interface SourceDiff {
  rows: SourceSuccess['rows']
  goneIds: string[]
  events: CrawlEvent[]
  new: number
  updated: number
  unchanged: number
}

/** A source's stored rows (`previous`, gone ones included) against the programmes this run read (deduped). */
export function diffSource(previous: readonly CrawledRow[], programmes: readonly Programme[], { sourceId, runId, at, today, complete }: SourceDiffContext): SourceDiff {
  const out: SourceDiff = { rows: [], goneIds: [], events: [], new: 0, updated: 0, unchanged: 0 }
  const byId = new Map(previous.map((r) => [r.programme.id, r]))
  for (const p of programmes) {
    const before = byId.get(p.id)
    const change = diffProgramme(before && !before.goneAt ? before.programme : undefined, p, today)
    if (!before || before.goneAt) out.new++
    else if (change.changed) out.updated++
    else out.unchanged++
    out.rows.push({ programme: p, dedupeKey: dedupeKey(p), canonicalUrl: canonicalUrl(p.links.official), changed: change.changed })
    for (const e of change.events) out.events.push({ ...e, programmeId: p.id, sourceId, at, runId })
  }
  // A programme no longer listed is "gone" only when every page of this run was read:
  // a page that failed (or was not reached) may be the one that lists it.
  if (complete) {
    const present = new Set(programmes.map((p) => p.id))
    for (const row of previous) {
      if (row.goneAt || present.has(row.programme.id)) continue
      out.goneIds.push(row.programme.id)
      const e = vanishedEvent(row.programme, today)
      if (e) out.events.push({ ...e, programmeId: row.programme.id, sourceId, at, runId })
    }
  }
  return out
}
