// The SessionStore contract (bot/conversation/session-store.ts), run on every implementation: the
// SQL store on a SQLite file and on D1 (Miniflare), and the Workers memory store. Round trip, the
// per-client cap evicting the least recently used, continuing a session evicting nobody, purgeIdle.
import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SessionStore } from '../../bot/conversation/session-store.ts'
import { initialState } from '../../bot/conversation/state.ts'
import { all, first, sql } from '../../runtime/sql/database.ts'
import { createSqlSessionStore, OWNER_KEY } from '../../runtime/sql/session-store.ts'
import { createMemorySessionStore } from '../../runtime/workers/memory-session-store.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'

const T0 = Date.parse('2026-03-01T09:00:00Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000)

type Opened = { store: SessionStore; opened?: OpenedDatabase }
const IMPLEMENTATIONS: [string, () => Promise<Opened>][] = [
  ...SQL_DATABASES.map(([name, open]): [string, () => Promise<Opened>] => [
    `SQL store on ${name}`,
    async () => {
      const opened = await open()
      return { store: createSqlSessionStore(opened.db), opened }
    },
  ]),
  ['Workers memory store', async () => ({ store: createMemorySessionStore() })],
]

describe.each(IMPLEMENTATIONS)('SessionStore contract: %s', (_name, open) => {
  let store: SessionStore
  let opened: OpenedDatabase | undefined
  beforeAll(async () => {
    ;({ store, opened } = await open())
  })
  afterAll(async () => {
    await opened?.close()
  })

  it('loads what it saved, with its time; an unknown id is undefined', async () => {
    const state = { ...initialState(), step: 3, themes: ['eclairage-public' as never], terms: ['LED'], budget: 120_000 }
    await store.save('round-trip', state, at(0))
    const loaded = await store.load('round-trip')
    expect(loaded?.state).toEqual(state)
    expect(loaded?.updatedAt.toISOString()).toBe(at(0).toISOString())
    expect(await store.load('never-saved')).toBeUndefined()
    await store.save('round-trip', initialState(), at(5))
    expect((await store.load('round-trip'))?.updatedAt.toISOString()).toBe(at(5).toISOString())
    expect((await store.load('round-trip'))?.state).toEqual(initialState())
  })

  it('keeps at most max sessions per client: a new one evicts the least recently used, other clients untouched', async () => {
    const owner = { client: '198.51.100.1', max: 3 }
    await store.save('other-0', initialState(), at(0), { client: '198.51.100.2', max: 3 })
    for (let i = 0; i < 5; i++) await store.save(`cap-${i}`, initialState(), at(10 + i), owner)
    for (const id of ['cap-0', 'cap-1']) expect(await store.load(id), id).toBeUndefined()
    for (const id of ['cap-2', 'cap-3', 'cap-4', 'other-0']) expect(await store.load(id), id).toBeDefined()
  })

  it('continuing a session evicts nobody and makes it the most recently used', async () => {
    const owner = { client: '198.51.100.3', max: 2 }
    await store.save('cont-a', initialState(), at(20), owner)
    await store.save('cont-b', initialState(), at(21), owner)
    // Another client already at its cap continues a: it takes none of that client's places either.
    const roaming = { client: '203.0.113.7', max: 2 }
    await store.save('roam-1', initialState(), at(20), roaming)
    await store.save('roam-2', initialState(), at(21), roaming)
    await store.save('cont-a', initialState(), at(22), owner)
    await store.save('cont-a', initialState(), at(23), roaming)
    for (const id of ['cont-a', 'cont-b', 'roam-1', 'roam-2']) expect(await store.load(id), id).toBeDefined()
    // Continuing moved a after b: a new one now evicts b, the least recently used.
    await store.save('cont-c', initialState(), at(24), owner)
    expect(await store.load('cont-b')).toBeUndefined()
    for (const id of ['cont-a', 'cont-c']) expect(await store.load(id), id).toBeDefined()
  })

  it('a session saved without an owner is never evicted by a client cap', async () => {
    await store.save('teams-conv', initialState(), at(0))
    for (let i = 0; i < 3; i++) await store.save(`web-${i}`, initialState(), at(30 + i), { client: '198.51.100.4', max: 1 })
    expect(await store.load('teams-conv')).toBeDefined()
    expect(await store.load('web-2')).toBeDefined()
    expect(await store.load('web-1')).toBeUndefined()
  })

  it('purgeIdle deletes the sessions not touched since the cut-off and says how many', async () => {
    await store.save('idle-old', initialState(), new Date('2025-01-01T00:00:00Z'))
    await store.save('idle-older', initialState(), new Date('2024-06-01T00:00:00Z'), { client: '198.51.100.5', max: 5 })
    expect(await store.purgeIdle(new Date('2025-06-01T00:00:00Z'))).toBe(2)
    expect(await store.load('idle-old')).toBeUndefined()
    expect(await store.load('round-trip')).toBeDefined()
    expect(await store.purgeIdle(new Date('2025-06-01T00:00:00Z'))).toBe(0)
  })
})

describe.each(SQL_DATABASES)('the SQL session store on %s keeps no address', (_name, open) => {
  let opened: OpenedDatabase
  beforeAll(async () => {
    opened = await open()
  })
  afterAll(async () => {
    await opened.close()
  })

  it('stores an HMAC-SHA-256 of the client under the key in meta, cut to 128 bits (the hash the Node store always wrote)', async () => {
    const store = createSqlSessionStore(opened.db)
    await store.save('owned', initialState(), at(0), { client: '192.0.2.44', max: 5 })
    const key = await first<{ value: string }>(opened.db, sql('SELECT value FROM meta WHERE key = ?', OWNER_KEY))
    const expected = createHmac('sha256', Buffer.from(key!.value, 'base64')).update('192.0.2.44').digest('hex').slice(0, 32)
    const rows = await all<Record<string, unknown>>(opened.db, sql('SELECT * FROM chat_sessions'))
    expect(rows.map((r) => r['client_hash'])).toEqual([expected])
    expect(JSON.stringify(rows)).not.toContain('192.0.2.44')
    // A second store on the same database finds the same key: one client, one owner.
    await createSqlSessionStore(opened.db).save('owned-2', initialState(), at(1), { client: '192.0.2.44', max: 5 })
    expect(await all(opened.db, sql('SELECT DISTINCT client_hash FROM chat_sessions'))).toEqual([{ client_hash: expected }])
  })
})
