// Keyed hashes of identifiers that must not be stored in clear (a client's address, a data
// subject's e-mail in the audit log): HMAC-SHA-256 under a random key kept in the `meta` table,
// cut to 128 bits, as hex. Rows can be grouped or matched per identifier; without the key (it never
// leaves the database) a hash cannot be tested against a list of guessed addresses. The key is made
// once (INSERT OR IGNORE: the first writer's wins, on SQLite and D1 alike) and read back. WebCrypto's
// HMAC (global on Node 20 and Workers).
import { first, sql, type SqlDatabase } from './database.ts'

export function keyedHasher(db: SqlDatabase, metaKey: string): (value: string) => Promise<string> {
  let key: Promise<CryptoKey> | undefined
  const load = async (): Promise<CryptoKey> => {
    const fresh = toBase64(crypto.getRandomValues(new Uint8Array(32)))
    await db.query(sql('INSERT OR IGNORE INTO meta (key, value, updated_at) VALUES (?, ?, ?)', metaKey, fresh, new Date().toISOString()))
    const row = await first<{ value: string }>(db, sql('SELECT value FROM meta WHERE key = ?', metaKey))
    if (!row) throw new Error(`meta.${metaKey} missing after its insert`)
    return crypto.subtle.importKey('raw', fromBase64(row.value), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  }
  return async (value) => {
    key ??= load().catch((error: unknown) => {
      key = undefined
      throw error
    })
    const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await key, new TextEncoder().encode(value)))
    return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 32)
  }
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0))
}
