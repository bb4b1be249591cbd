// Chat sessions in the SQLite file: one row per conversation, state as JSON. A write is one
// statement (an upsert), so a crash never leaves half a session.
import type { SessionStore, StoredSession } from '../../bot/conversation/session-store.ts'
import type { DialogueState } from '../../bot/conversation/state.ts'
import type { Db } from './sqlite.ts'

export function createSqliteSessionStore(db: Db): SessionStore {
  const get = db.prepare<[string], { state: string; updated_at: string }>('SELECT state, updated_at FROM chat_sessions WHERE id = ?')
  const put = db.prepare<[string, string, string, string]>(
    'INSERT INTO chat_sessions (id, state, created_at, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
  )
  const purge = db.prepare<[string]>('DELETE FROM chat_sessions WHERE updated_at < ?')
  return {
    async load(id): Promise<StoredSession | undefined> {
      const row = get.get(id)
      return row ? { state: JSON.parse(row.state) as DialogueState, updatedAt: new Date(row.updated_at) } : undefined
    },
    async save(id, state, now) {
      const iso = now.toISOString()
      put.run(id, JSON.stringify(state), iso, iso)
    },
    async purgeIdle(before) {
      return purge.run(before.toISOString()).changes
    },
  }
}
