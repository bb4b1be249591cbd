// The Teams conversation-reference store (bot/channels/teams/conversation-reference-store.ts) written
// once against the SQL port, on a SQLite file and on D1 (Miniflare): upsert (a conversation that
// writes again is usable again), list per tenant and kind, most recent first, one welcome, disable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConversationReferenceInput, ConversationReferenceStore } from '../../bot/channels/teams/conversation-reference-store.ts'
import { createSqlConversationReferenceStore } from '../../runtime/sql/teams-store.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'

const at = (minutes: number) => new Date(Date.parse('2026-06-01T10:00:00Z') + minutes * 60_000)
const input = (conversationId: string, over: Partial<ConversationReferenceInput> = {}): ConversationReferenceInput => ({
  conversationId,
  reference: { conversation: { id: conversationId }, channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/fr/', user: { id: '29:user', name: 'Agent' } } as ConversationReferenceInput['reference'],
  tenantId: 'tenant-a',
  kind: 'personal',
  userAadId: 'aad-1',
  ...over,
})

describe.each(SQL_DATABASES)('Teams conversation references on %s', (_name, open) => {
  let opened: OpenedDatabase
  let store: ConversationReferenceStore
  beforeAll(async () => {
    opened = await open()
    store = createSqlConversationReferenceStore(opened.db)
  })
  afterAll(async () => {
    await opened.close()
  })

  it('saves a reference and reads it back; saving again keeps the tenant and user it already knew', async () => {
    await store.save(input('c1'), at(0))
    expect(await store.get('c1')).toEqual({ ...input('c1'), welcomedAt: null, updatedAt: at(0), disabledReason: null })
    await store.save(input('c1', { tenantId: null, userAadId: null, kind: 'groupChat' }), at(1))
    expect(await store.get('c1')).toMatchObject({ tenantId: 'tenant-a', userAadId: 'aad-1', kind: 'groupChat', updatedAt: at(1) })
    expect(await store.get('unknown')).toBeUndefined()
  })

  it('welcomes once per install; disabling forgets the welcome and hides it from the list until it writes again', async () => {
    expect(await store.markWelcomed('c1', at(2))).toBe(true)
    expect(await store.markWelcomed('c1', at(3))).toBe(false)
    expect((await store.get('c1'))?.welcomedAt).toEqual(at(2))
    await store.disable('c1', 'uninstalled', at(4))
    expect(await store.get('c1')).toMatchObject({ disabledReason: 'uninstalled', welcomedAt: null })
    expect((await store.list()).map((r) => r.conversationId)).not.toContain('c1')
    await store.save(input('c1'), at(5))
    expect((await store.get('c1'))?.disabledReason).toBeNull()
    expect(await store.markWelcomed('c1', at(6))).toBe(true)
  })

  it('lists usable references, most recent first, of one tenant or kind', async () => {
    await store.save(input('c2', { tenantId: 'tenant-b', kind: 'channel' }), at(10))
    await store.save(input('c3', { kind: 'groupChat' }), at(11))
    await store.save(input('c4'), at(12))
    await store.disable('c4', 'forbidden', at(13))
    expect((await store.list()).map((r) => r.conversationId)).toEqual(['c3', 'c2', 'c1'])
    expect((await store.list({ tenantId: 'tenant-a' })).map((r) => r.conversationId)).toEqual(['c3', 'c1'])
    expect((await store.list({ kind: 'channel' })).map((r) => r.conversationId)).toEqual(['c2'])
    expect((await store.list({ tenantId: 'tenant-a', kind: 'groupChat' })).map((r) => r.conversationId)).toEqual(['c3'])
  })
})
