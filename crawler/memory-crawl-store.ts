// The CrawlStore in memory: for tests, the bench and one-off replays. Same contract as the
// SQLite store (test/crawler/crawl-store.contract.ts); copies go in and out so callers never
// share objects with the store.
import { createMemoryConditionalCache } from './fetch/conditional-cache.ts'
import { CrawlLeaseLostError, INTERRUPTED_RUN_ERROR, type CrawlEvent, type CrawlRun, type CrawlStore, type CrawledRow, type SourceState, type SourceSuccess } from './crawl-store.ts'

const copy = <T>(value: T): T => structuredClone(value)

/** A source's success, written (the lease checked before): rows upserted, gone ones marked, the source's rows fresh, events appended. */
function applySuccess(rows: Map<string, CrawledRow>, events: CrawlEvent[], s: SourceSuccess): void {
  for (const r of s.rows) {
    const before = rows.get(r.programme.id)
    rows.set(r.programme.id, {
      programme: copy(r.programme),
      sourceId: s.sourceId,
      dedupeKey: r.dedupeKey,
      canonicalUrl: r.canonicalUrl,
      firstSeen: before?.firstSeen ?? s.at,
      lastSeen: s.at,
      lastChanged: r.changed || !before || before.goneAt ? s.at : before.lastChanged,
      stale: false,
      goneAt: null,
    })
  }
  for (const id of s.goneIds) {
    const row = rows.get(id)
    if (row && row.sourceId === s.sourceId && !row.goneAt) row.goneAt = s.at
  }
  for (const row of rows.values()) if (row.sourceId === s.sourceId) row.stale = false
  let nextId = events.length ? events[events.length - 1]!.id! + 1 : 1
  for (const e of s.events) events.push({ ...copy(e), id: nextId++ })
}

/** Marks the source's listed rows stale; returns how many were not yet. */
function markStale(rows: Map<string, CrawledRow>, sourceId: string): number {
  let markedStale = 0
  for (const row of rows.values()) {
    if (row.sourceId === sourceId && !row.stale && !row.goneAt) {
      row.stale = true
      markedStale++
    }
  }
  return markedStale
}

/** Closes as interrupted every run still running but the live lease holder's (one process here: a holder is dead only past its expiry). */
function closeInterrupted(runs: Map<string, CrawlRun>, lock: { owner: string; expiresAt: number } | undefined, endedAt: string, now: Date): CrawlRun[] {
  const closed: CrawlRun[] = []
  for (const run of runs.values()) {
    if (run.status !== 'running' || (lock && lock.owner === run.id && lock.expiresAt > now.getTime())) continue
    Object.assign(run, { status: 'interrupted', endedAt, errors: [...run.errors, INTERRUPTED_RUN_ERROR] })
    closed.push(copy(run))
  }
  return closed
}

/** A source's state, created at its first run. */
function stateOf(states: Map<string, SourceState>, sourceId: string): SourceState {
  let s = states.get(sourceId)
  if (!s) {
    s = { sourceId, consecutiveFailures: 0, lastSuccessAt: null, lastFailureAt: null, lastError: null }
    states.set(sourceId, s)
  }
  return s
}

export function createMemoryCrawlStore(): CrawlStore {
  const rows = new Map<string, CrawledRow>()
  const states = new Map<string, SourceState>()
  const runs = new Map<string, CrawlRun>()
  const events: CrawlEvent[] = []
  let lock: { owner: string; expiresAt: number } | undefined
  // One process here: a holder is dead only past its expiry.
  const fence = (runId: string) => {
    if (lock && lock.owner !== runId) throw new CrawlLeaseLostError(runId)
  }

  const state = (sourceId: string): SourceState => stateOf(states, sourceId)

  return {
    cache: createMemoryConditionalCache(),

    async acquireLock(owner, now, ttlMs) {
      if (lock && lock.owner !== owner && lock.expiresAt > now.getTime()) return false
      lock = { owner, expiresAt: now.getTime() + ttlMs }
      return true
    },
    async refreshLock(owner, now, ttlMs) {
      if (!lock || lock.owner !== owner) return false
      lock.expiresAt = now.getTime() + ttlMs
      return true
    },
    async releaseLock(owner) {
      if (lock?.owner === owner) lock = undefined
    },

    async startRun(run) {
      runs.set(run.id, copy(run))
    },
    async finishRun(run) {
      fence(run.id)
      runs.set(run.id, copy(run))
    },
    async closeInterruptedRuns(endedAt, now) {
      return closeInterrupted(runs, lock, endedAt, now)
    },
    async listRuns(limit) {
      // Latest inserted first among equal start times (a fixed clock gives them all the same).
      return [...runs.values()]
        .reverse()
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
        .slice(0, limit)
        .map(copy)
    },

    async rowsOfSource(sourceId) {
      return [...rows.values()].filter((r) => r.sourceId === sourceId).map(copy)
    },
    async allRows() {
      return [...rows.values()].map(copy)
    },
    async recordSuccess(s) {
      fence(s.runId)
      applySuccess(rows, events, s)
      Object.assign(state(s.sourceId), { consecutiveFailures: 0, lastSuccessAt: s.at })
    },
    async recordFailure(f) {
      fence(f.runId)
      const st = state(f.sourceId)
      st.consecutiveFailures += 1
      st.lastFailureAt = f.at
      st.lastError = f.error
      let markedStale = 0
      if (st.consecutiveFailures >= f.staleAfter) markedStale = markStale(rows, f.sourceId)
      return { consecutiveFailures: st.consecutiveFailures, markedStale }
    },
    async sourceStates() {
      return [...states.values()].map(copy).sort((a, b) => a.sourceId.localeCompare(b.sourceId))
    },
    async events({ since, afterId, limit = 1000 } = {}) {
      return events.filter((e) => (since === undefined || e.at > since) && (afterId === undefined || e.id! > afterId)).slice(0, limit).map(copy)
    },
  }
}
