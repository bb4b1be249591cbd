// The Workers composition's store factories (runtime/workers/d1-stores.ts) over a real D1 binding
// (Miniflare): each wraps the binding itself, and what one writes another reads, as two isolates would.
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_LIMITS } from '../../bot/admin/login-limits.ts'
import { initialState } from '../../bot/conversation/state.ts'
import { migrate } from '../../runtime/sql/migrations.ts'
import { d1Database, type D1Like } from '../../runtime/workers/d1-database.ts'
import { createD1AdminStores, createD1ConversationReferenceStore, createD1SessionStore } from '../../runtime/workers/d1-stores.ts'

let mf: Miniflare
let binding: D1Like
beforeAll(async () => {
  mf = new Miniflare({ modules: true, script: 'export default { fetch() { return new Response(null, { status: 204 }) } }', d1Databases: ['DB'] })
  binding = (await mf.getD1Database('DB')) as unknown as D1Like
  await migrate(d1Database(binding))
})
afterAll(async () => {
  await mf.dispose()
})

describe('the D1 store factories', () => {
  it('keep chat sessions, with the per-client cap, across store instances', async () => {
    const now = new Date('2026-07-01T10:00:00Z')
    for (const id of ['w1', 'w2', 'w3']) await createD1SessionStore(binding).save(id, { ...initialState(), terms: [id] }, now, { client: '192.0.2.8', max: 2 })
    const other = createD1SessionStore(binding)
    expect(await other.load('w1')).toBeUndefined()
    expect((await other.load('w3'))?.state.terms).toEqual(['w3'])
  })

  it('keep admin accounts, login counters and the audit log', async () => {
    const admin = createD1AdminStores(binding)
    const account = await admin.accounts.create({ email: 'admin@exemple.fr', role: 'admin', passwordHash: 'h', now: new Date() })
    expect(await createD1AdminStores(binding).accounts.findByEmail('admin@exemple.fr')).toMatchObject({ id: account.id, passwordHash: 'h' })
    expect(await admin.throttle.begin({ account: 'admin@exemple.fr', address: '192.0.2.9', now: new Date('2026-07-01T10:00:00Z') }, LOGIN_LIMITS)).toEqual({ ok: true, accountFailures: 1 })
    await admin.audit.record({ at: '2026-07-01T10:00:00Z', actor: 'admin@exemple.fr', action: 'account.create', target: account.id, before: null, after: { role: 'admin' } })
    expect((await createD1AdminStores(binding).audit.list())[0]).toMatchObject({ action: 'account.create', after: { role: 'admin' } })
  })

  it('keep Teams conversation references', async () => {
    await createD1ConversationReferenceStore(binding).save(
      { conversationId: 'a:1', reference: { conversation: { id: 'a:1' }, channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/fr/' } as never, tenantId: 't', kind: 'personal', userAadId: null },
      new Date('2026-07-01T10:00:00Z'),
    )
    expect((await createD1ConversationReferenceStore(binding).list({ tenantId: 't' })).map((r) => r.conversationId)).toEqual(['a:1'])
  })
})
