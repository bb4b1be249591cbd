// Sessions kept in the isolate's memory: for a Worker without a D1 binding (and tests). Isolates are
// recycled, so a deployment that promises no lost conversation uses the D1 store
// (runtime/workers/d1-stores.ts, the SQL store of runtime/sql/session-store.ts).
// The per-client cap holds as on D1 and Node (the owner stays in memory, never written anywhere).
import type { SessionStore, StoredSession } from '../../bot/conversation/session-store.ts'

export function createMemorySessionStore(): SessionStore {
  // Map order is insertion order: a save moves the session to the end, so the first of an owner's is its least recently used.
  const rows = new Map<string, { state: string; updatedAt: Date; owner?: string }>()
  return {
    async load(id): Promise<StoredSession | undefined> {
      const row = rows.get(id)
      return row ? { state: JSON.parse(row.state), updatedAt: row.updatedAt } : undefined
    },
    async save(id, state, now, owner) {
      const previous = rows.get(id)
      rows.delete(id)
      rows.set(id, { state: JSON.stringify(state), updatedAt: now, ...(previous?.owner !== undefined ? { owner: previous.owner } : !previous && owner ? { owner: owner.client } : {}) })
      if (previous || !owner) return
      const mine = [...rows].filter(([, r]) => r.owner === owner.client).map(([k]) => k)
      for (const k of mine.slice(0, Math.max(0, mine.length - owner.max))) rows.delete(k)
    },
    async purgeIdle(before) {
      let n = 0
      for (const [id, row] of rows) if (row.updatedAt < before) rows.delete(id), n++
      return n
    },
  }
}
