// Chat sessions (SessionStore port, bot/conversation/session-store.ts) written once against the SQL
// port: SQLite on Node, D1 on Workers. One row per conversation, state as JSON. A save is one batch
// (the eviction of the owner's least recently used beyond the cap, then the upsert), so a crash
// never leaves half a session.
//
// The owner is stored as a keyed hash of the client key (its address; ./keyed-hash.ts, under the key
// `meta.chat_session_owner_key`): rows can be grouped per client, no address is written. The key
// is the one the Node store always kept there (32 bytes, base64), so sessions saved before keep their owner.
import type { SessionStore, StoredSession } from '../../bot/conversation/session-store.ts'
import type { DialogueState } from '../../bot/conversation/state.ts'
import { first, sql, type SqlDatabase } from './database.ts'
import { keyedHasher } from './keyed-hash.ts'

export const OWNER_KEY = 'chat_session_owner_key'

// Only a new session evicts: the NOT EXISTS is read before the upsert of the same batch, so
// continuing a session (even from another address) takes nobody's place. The owner's other
// sessions, most recently used first (rowid breaks ties: the newer row wins); those past max - 1 go.
const EVICT = `DELETE FROM chat_sessions WHERE NOT EXISTS (SELECT 1 FROM chat_sessions WHERE id = ?)
  AND id IN (SELECT id FROM chat_sessions WHERE client_hash = ? AND id != ? ORDER BY updated_at DESC, rowid DESC LIMIT -1 OFFSET ?)`
const PUT = `INSERT INTO chat_sessions (id, state, created_at, updated_at, client_hash) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`

export function createSqlSessionStore(db: SqlDatabase): SessionStore {
  const hasher = keyedHasher(db, OWNER_KEY)
  return {
    async load(id): Promise<StoredSession | undefined> {
      const row = await first<{ state: string; updated_at: string }>(db, sql('SELECT state, updated_at FROM chat_sessions WHERE id = ?', id))
      return row ? { state: JSON.parse(row.state) as DialogueState, updatedAt: new Date(row.updated_at) } : undefined
    },
    async save(id, state, now, owner) {
      const iso = now.toISOString()
      const json = JSON.stringify(state)
      if (!owner) {
        await db.query(sql(PUT, id, json, iso, iso, null))
        return
      }
      const hash = await hasher(owner.client)
      await db.batch([sql(EVICT, id, hash, id, Math.max(0, owner.max - 1)), sql(PUT, id, json, iso, iso, hash)])
    },
    async purgeIdle(before) {
      return (await db.query(sql('DELETE FROM chat_sessions WHERE updated_at < ?', before.toISOString()))).changes
    },
  }
}
