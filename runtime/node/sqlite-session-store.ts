// Chat sessions in the SQLite file: one row per conversation, state as JSON. A write is one
// transaction (the upsert, and for a web session the eviction of its owner's least recently used
// beyond the cap), so a crash never leaves half a session.
//
// The owner is stored as an HMAC-SHA-256 of the client key (its address) under a random key kept in
// the `meta` table, cut to 128 bits: rows can be grouped per client, no address is written.
import { createHmac, randomBytes } from 'node:crypto'
import type { SessionStore, StoredSession } from '../../bot/conversation/session-store.ts'
import type { DialogueState } from '../../bot/conversation/state.ts'
import type { Db } from './sqlite.ts'

const OWNER_KEY = 'chat_session_owner_key'

export function createSqliteSessionStore(db: Db): SessionStore {
  const get = db.prepare<[string], { state: string; updated_at: string }>('SELECT state, updated_at FROM chat_sessions WHERE id = ?')
  const put = db.prepare<[string, string, string, string, string | null]>(
    'INSERT INTO chat_sessions (id, state, created_at, updated_at, client_hash) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
  )
  // The owner's sessions but this one, most recently used first (rowid breaks ties: the newer row wins); those past max - 1 go.
  const evict = db.prepare<[string, string, number]>(
    'DELETE FROM chat_sessions WHERE id IN (SELECT id FROM chat_sessions WHERE client_hash = ? AND id != ? ORDER BY updated_at DESC, rowid DESC LIMIT -1 OFFSET ?)',
  )
  const exists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM chat_sessions WHERE id = ?')
  const purge = db.prepare<[string]>('DELETE FROM chat_sessions WHERE updated_at < ?')
  const ownerKey = db.transaction((): Buffer => {
    const row = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(OWNER_KEY)
    if (row) return Buffer.from(row.value, 'base64')
    const key = randomBytes(32)
    db.prepare('INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?)').run(OWNER_KEY, key.toString('base64'), new Date().toISOString())
    return key
  })()
  const hash = (client: string) => createHmac('sha256', ownerKey).update(client).digest('hex').slice(0, 32)
  const save = db.transaction((id: string, state: string, iso: string, owner: { hash: string; max: number } | undefined) => {
    const created = !exists.get(id)
    put.run(id, state, iso, iso, owner?.hash ?? null)
    // Only a new session evicts: continuing one (even from another address) takes nobody's place.
    if (owner && created) evict.run(owner.hash, id, Math.max(0, owner.max - 1))
  })
  return {
    async load(id): Promise<StoredSession | undefined> {
      const row = get.get(id)
      return row ? { state: JSON.parse(row.state) as DialogueState, updatedAt: new Date(row.updated_at) } : undefined
    },
    async save(id, state, now, owner) {
      save(id, JSON.stringify(state), now.toISOString(), owner ? { hash: hash(owner.client), max: owner.max } : undefined)
    },
    async purgeIdle(before) {
      return purge.run(before.toISOString()).changes
    },
  }
}
