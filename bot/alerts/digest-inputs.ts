// What the digest's plan reads, gathered once per run: the programmes the alerts saw arrive (the
// first run takes the whole catalogue as its baseline), the schedule of deadlines, and the change
// events since the cursor, as items. The cursor is saved only at the end of a run that went
// through (saveEventsCursor), so a run that stops reads the same events again.
import type { Catalogue } from '../../content/catalogue.ts'
import { addDays } from '../../core/clock.ts'
import type { Programme } from '../../core/programme.ts'
import { BASELINE_DAY, type AlertsStore } from './alerts-store.ts'
import { isAlertChange, summaryFacts, type ChangeEvent, type ChangeEventSource } from './change-events.ts'
import type { ProgrammeRef } from './delivery.ts'
import type { ChangeItem, Fresh } from './digest-plan.ts'
import { buildSchedule, programmeRef, type Schedule } from './schedule.ts'

/** Programmes first seen within this many days can still be « new » for a weekly subscriber that missed runs. */
const FRESH_DAYS = 60
const EVENTS_CURSOR = 'alerts.events_cursor'

export interface DigestNews {
  fresh: Fresh[]
  schedule: Schedule
  changes: ChangeItem[]
  /** Where the change events were read up to (absent without an event source). */
  cursor: number | undefined
}

/**
 * Programmes the alerts have seen, with the day they first saw them. The first run takes the
 * whole catalogue as its baseline (nothing is « new » on day one); later ones mark arrivals.
 */
async function freshProgrammes(store: AlertsStore, all: readonly Programme[], today: string): Promise<Fresh[]> {
  const seen = await store.seenProgrammes()
  const unseen = all.filter((p) => !seen.has(p.id)).map((p) => p.id)
  if (unseen.length) {
    const day = seen.size === 0 ? BASELINE_DAY : today
    await store.markSeen(unseen, day)
    for (const id of unseen) seen.set(id, day)
  }
  const since = addDays(today, -FRESH_DAYS)
  const out: Fresh[] = []
  for (const p of all) {
    const day = seen.get(p.id)!
    if (day !== BASELINE_DAY && day > since && day <= today) out.push({ programme: p, firstSeen: day })
  }
  return out.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen))
}

/** Change events since the cursor (deadline moved, closed early, new edition), as items. */
async function changeItems(source: ChangeEventSource, store: AlertsStore, catalogue: Catalogue): Promise<{ changes: ChangeItem[]; cursor: number | undefined }> {
  const raw = await store.getMeta(EVENTS_CURSOR)
  let cursor = raw ? Number(raw) : 0
  const read: ChangeEvent[] = []
  for (;;) {
    const page = await source.events({ afterId: cursor, limit: 1000 })
    if (page.length === 0) break
    read.push(...page)
    cursor = Math.max(cursor, ...page.map((e) => e.id ?? cursor))
    if (page.length < 1000) break
  }
  const changes: ChangeItem[] = []
  for (const e of read) {
    if (!isAlertChange(e.kind)) continue
    const p = catalogue.get(e.programmeId)
    const before = summaryFacts(e.before)
    const after = summaryFacts(e.after)
    const ref: ProgrammeRef = p ? programmeRef(p) : { id: e.programmeId, name: after.name ?? before.name ?? e.programmeId, funder: 'Financeur', url: after.url ?? before.url ?? '' }
    if (!ref.url) continue
    changes.push({
      programme: p,
      item: {
        kind: e.kind,
        programme: ref,
        before: { deadline: before.deadline ?? null },
        after: { deadline: after.deadline ?? null, edition: after.edition ?? null },
        event: e.id !== undefined ? String(e.id) : e.at,
      },
    })
  }
  return { changes, cursor }
}

/** A full run's news (not read by a retries-only run). Marks the arrivals seen. */
export async function readDigestNews(store: AlertsStore, catalogue: Catalogue, all: readonly Programme[], events: ChangeEventSource | undefined, today: string): Promise<DigestNews> {
  const fresh = await freshProgrammes(store, all, today)
  const schedule = buildSchedule(all, today)
  if (!events) return { fresh, schedule, changes: [], cursor: undefined }
  const { changes, cursor } = await changeItems(events, store, catalogue)
  return { fresh, schedule, changes, cursor }
}

/** After a run that went through: the next one reads the events after these. */
export async function saveEventsCursor(store: AlertsStore, cursor: number, nowIso: string): Promise<void> {
  await store.setMeta(EVENTS_CURSOR, String(cursor), nowIso)
}
