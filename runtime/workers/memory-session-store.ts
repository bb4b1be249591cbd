// Sessions kept in the isolate's memory: a placeholder until the D1 store lands. Isolates are
// recycled, so a Worker deployment needs D1 before it can promise that no conversation is lost.
import type { SessionStore, StoredSession } from '../../bot/conversation/session-store.ts'

export function createMemorySessionStore(): SessionStore {
  const rows = new Map<string, { state: string; updatedAt: Date }>()
  return {
    async load(id): Promise<StoredSession | undefined> {
      const row = rows.get(id)
      return row ? { state: JSON.parse(row.state), updatedAt: row.updatedAt } : undefined
    },
    async save(id, state, now) {
      rows.set(id, { state: JSON.stringify(state), updatedAt: now })
    },
    async purgeIdle(before) {
      let n = 0
      for (const [id, row] of rows) if (row.updatedAt < before) rows.delete(id), n++
      return n
    },
  }
}
