// Chat sessions (SessionStore port, bot/conversation/session-store.ts) written once against the SQL
// port: SQLite on Node, D1 on Workers. One row per conversation, state as JSON. A save is one batch
// (the eviction of the owner's least recently used beyond the cap, then the upsert), so a crash
// never leaves half a session.
//
// The owner is stored as an HMAC-SHA-256 of the client key (its address) under a random key kept in
// the `meta` table, cut to 128 bits: rows can be grouped per client, no address is written. The
// HMAC is WebCrypto's (global on Node 20 and Workers); the key is the one the Node store always
// kept there (32 bytes, base64), so sessions saved before keep their owner.
import type { SessionStore, StoredSession } from '../../bot/conversation/session-store.ts'
import type { DialogueState } from '../../bot/conversation/state.ts'
import { first, sql, type SqlDatabase } from './database.ts'

export const OWNER_KEY = 'chat_session_owner_key'

// Only a new session evicts: the NOT EXISTS is read before the upsert of the same batch, so
// continuing a session (even from another address) takes nobody's place. The owner's other
// sessions, most recently used first (rowid breaks ties: the newer row wins); those past max - 1 go.
const EVICT = `DELETE FROM chat_sessions WHERE NOT EXISTS (SELECT 1 FROM chat_sessions WHERE id = ?)
  AND id IN (SELECT id FROM chat_sessions WHERE client_hash = ? AND id != ? ORDER BY updated_at DESC, rowid DESC LIMIT -1 OFFSET ?)`
const PUT = `INSERT INTO chat_sessions (id, state, created_at, updated_at, client_hash) VALUES (?, ?, ?, ?, ?)
  ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`

export function createSqlSessionStore(db: SqlDatabase): SessionStore {
  const hasher = ownerHasher(db)
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

/** The keyed hash of a client key: the key is created once in `meta` (INSERT OR IGNORE: the first writer's wins) and read back. */
function ownerHasher(db: SqlDatabase): (client: string) => Promise<string> {
  let key: Promise<CryptoKey> | undefined
  const load = async (): Promise<CryptoKey> => {
    const fresh = toBase64(crypto.getRandomValues(new Uint8Array(32)))
    await db.query(sql('INSERT OR IGNORE INTO meta (key, value, updated_at) VALUES (?, ?, ?)', OWNER_KEY, fresh, new Date().toISOString()))
    const row = await first<{ value: string }>(db, sql('SELECT value FROM meta WHERE key = ?', OWNER_KEY))
    if (!row) throw new Error(`meta.${OWNER_KEY} missing after its insert`)
    return crypto.subtle.importKey('raw', fromBase64(row.value), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  }
  return async (client) => {
    key ??= load().catch((error: unknown) => {
      key = undefined
      throw error
    })
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(client)))
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 32)
  }
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}
