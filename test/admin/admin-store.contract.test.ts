// The admin stores (bot/admin/ports.ts) written once against the SQL port, run on a SQLite file and
// on D1 (Miniflare): accounts, sessions, the login throttle and unlock links, the audit log,
// overrides, settings and the curation batch (all or nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOGIN_LIMITS } from '../../bot/admin/login-limits.ts'
import type { AccountStore, AdminSessionStore, AuditLog, CurationStore, LoginThrottle, OverrideStore, ProgrammeOverride, SettingsStore } from '../../bot/admin/ports.ts'
import { createSqlLoginThrottle } from '../../runtime/sql/admin-login-throttle.ts'
import { createSqlAccountStore, createSqlAdminSessionStore, createSqlAuditLog, createSqlCurationStore, createSqlOverrideStore, createSqlSettingsStore } from '../../runtime/sql/admin-store.ts'
import { buildProgramme } from '../builders/programme.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'

const T0 = Date.parse('2026-05-04T08:00:00Z')
const at = (minutes: number) => new Date(T0 + minutes * 60_000)

const override = (programmeId: string, over: Partial<ProgrammeOverride> = {}): ProgrammeOverride => ({
  programmeId, patch: { summary: 'Résumé relu par la préfecture.' }, hidden: false, verifiedBy: null, verifiedAt: null, updatedBy: 'editor@example.fr', updatedAt: at(0).toISOString(), ...over,
})

describe.each(SQL_DATABASES)('admin stores on %s', (_name, open) => {
  let opened: OpenedDatabase
  let accounts: AccountStore
  let sessions: AdminSessionStore
  let throttle: LoginThrottle
  let audit: AuditLog
  let overrides: OverrideStore
  let settings: SettingsStore
  let curation: CurationStore
  beforeAll(async () => {
    opened = await open()
    const db = opened.db
    ;[accounts, sessions, throttle, audit] = [createSqlAccountStore(db), createSqlAdminSessionStore(db), createSqlLoginThrottle(db), createSqlAuditLog(db)]
    ;[overrides, settings, curation] = [createSqlOverrideStore(db), createSqlSettingsStore(db), createSqlCurationStore(db)]
  })
  afterAll(async () => {
    await opened.close()
  })

  it('creates accounts (e-mail normalised, unique), finds, lists, updates and disables them', async () => {
    const a = await accounts.create({ email: ' Maire@Exemple.FR ', role: 'editor', passwordHash: 'scrypt$1', now: at(0) })
    expect(a).toMatchObject({ email: 'maire@exemple.fr', role: 'editor', disabled: false, createdAt: at(0).toISOString() })
    await expect(accounts.create({ email: 'maire@exemple.fr', role: 'admin', passwordHash: 'x', now: at(1) })).rejects.toThrow(/UNIQUE/)
    expect(await accounts.findByEmail('MAIRE@exemple.fr')).toEqual({ ...a, passwordHash: 'scrypt$1' })
    expect(await accounts.get(a.id)).toEqual(a)
    expect(await accounts.get('nobody')).toBeUndefined()
    await accounts.create({ email: 'adjoint@exemple.fr', role: 'admin', passwordHash: 'scrypt$2', now: at(1) })
    expect((await accounts.list()).map((x) => x.email)).toEqual(['adjoint@exemple.fr', 'maire@exemple.fr'])
    await accounts.update(a.id, { role: 'admin', disabled: true, passwordHash: 'scrypt$3' })
    expect(await accounts.findByEmail('maire@exemple.fr')).toMatchObject({ role: 'admin', disabled: true, passwordHash: 'scrypt$3' })
    await accounts.update(a.id, { disabled: false })
    expect(await accounts.get(a.id)).toMatchObject({ role: 'admin', disabled: false })
  })

  it('keeps sessions until they expire, deletes one or all of an account, and drops expired ones at the next login', async () => {
    const a = (await accounts.findByEmail('adjoint@exemple.fr'))!
    await sessions.create({ idHash: 'h1', accountId: a.id, csrf: 'c1', now: at(0), expiresAt: at(60) })
    await sessions.create({ idHash: 'h2', accountId: a.id, csrf: 'c2', now: at(0), expiresAt: at(120) })
    expect(await sessions.get('h1', at(59))).toEqual({ accountId: a.id, csrf: 'c1', expiresAt: at(60).toISOString() })
    expect(await sessions.get('h1', at(60))).toBeUndefined()
    await sessions.create({ idHash: 'h3', accountId: a.id, csrf: 'c3', now: at(61), expiresAt: at(200) })
    expect(await sessions.get('h1', at(0))).toBeUndefined()
    await sessions.delete('h2')
    expect(await sessions.get('h2', at(1))).toBeUndefined()
    expect(await sessions.get('h3', at(62))).toBeDefined()
    await sessions.deleteForAccount(a.id)
    expect(await sessions.get('h3', at(62))).toBeUndefined()
    await expect(sessions.create({ idHash: 'h4', accountId: 'no-such-account', csrf: 'c', now: at(0), expiresAt: at(1) })).rejects.toThrow(/FOREIGN KEY/)
  })

  it('counts login failures: 5 attempts pass, the 6th is refused until the lock ends; a success forgets them', async () => {
    const decisions = []
    for (let i = 0; i < 6; i++) decisions.push(await throttle.begin({ account: 'Cible@exemple.fr', address: '192.0.2.1', now: at(0) }, LOGIN_LIMITS))
    expect(decisions.slice(0, 5).map((d) => d.ok && d.accountFailures)).toEqual([1, 2, 3, 4, 5])
    expect(decisions[5]).toEqual({ ok: false, by: 'account', until: at(1) })
    expect(await throttle.accountState('cible@exemple.fr', at(0), LOGIN_LIMITS)).toEqual({ failures: 5, lockedUntil: at(1) })
    // After the lock, a 6th failure locks for 2 minutes.
    expect(await throttle.begin({ account: 'cible@exemple.fr', address: '192.0.2.1', now: at(1) }, LOGIN_LIMITS)).toEqual({ ok: true, accountFailures: 6 })
    expect((await throttle.accountState('cible@exemple.fr', at(1), LOGIN_LIMITS)).lockedUntil).toEqual(at(3))
    await throttle.succeeded({ account: 'cible@exemple.fr', address: '192.0.2.1', now: at(3) })
    expect(await throttle.accountState('cible@exemple.fr', at(3), LOGIN_LIMITS)).toEqual({ failures: 0 })
  })

  it('counts failures per address across accounts: 20 hold it back (the 21st, from an account with fewer than 2 failures, still passes and holds it 2 minutes)', async () => {
    for (let i = 0; i < 20; i++) expect((await throttle.begin({ account: `spray${i}@exemple.fr`, address: '203.0.113.9', now: at(10) }, LOGIN_LIMITS)).ok).toBe(true)
    expect(await throttle.begin({ account: 'spray0@exemple.fr', address: '203.0.113.9', now: at(10) }, LOGIN_LIMITS)).toEqual({ ok: true, accountFailures: 2 })
    expect(await throttle.begin({ account: 'spray0@exemple.fr', address: '203.0.113.9', now: at(10) }, LOGIN_LIMITS)).toEqual({ ok: false, by: 'address', until: at(12) })
    await throttle.resetAddress('203.0.113.9')
    expect((await throttle.begin({ account: 'spray0@exemple.fr', address: '203.0.113.9', now: at(10) }, LOGIN_LIMITS)).ok).toBe(true)
  })

  it('never lets concurrent attempts on one account pass the limit', async () => {
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => throttle.begin({ account: 'rush@exemple.fr', address: `198.51.100.${i}`, now: at(20) }, LOGIN_LIMITS)))
    expect(results.filter((d) => d.ok)).toHaveLength(5)
    expect(await throttle.accountState('rush@exemple.fr', at(20), LOGIN_LIMITS)).toMatchObject({ failures: 5 })
  })

  it('issues one live unlock link per account; it unlocks once, then says used; an expired one says expired', async () => {
    const a = await accounts.create({ email: 'verrou@exemple.fr', role: 'editor', passwordHash: 'x', now: at(0) })
    for (let i = 0; i < 5; i++) await throttle.begin({ account: 'verrou@exemple.fr', address: '192.0.2.7', now: at(30) }, LOGIN_LIMITS)
    expect(await throttle.issueUnlock({ accountId: a.id, tokenHash: 't1', now: at(30), expiresAt: at(90) })).toBe(true)
    expect(await throttle.issueUnlock({ accountId: a.id, tokenHash: 't2', now: at(31), expiresAt: at(91) })).toBe(false)
    expect(await throttle.unlockStatus('t1', at(31))).toEqual({ status: 'live', email: 'verrou@exemple.fr' })
    expect(await throttle.unlockStatus('t2', at(31))).toEqual({ status: 'unknown' })
    expect(await throttle.redeemUnlock('t1', at(32))).toEqual({ status: 'unlocked', email: 'verrou@exemple.fr' })
    expect(await throttle.accountState('verrou@exemple.fr', at(32), LOGIN_LIMITS)).toEqual({ failures: 0 })
    expect(await throttle.redeemUnlock('t1', at(33))).toEqual({ status: 'used' })
    expect(await throttle.issueUnlock({ accountId: a.id, tokenHash: 't3', now: at(40), expiresAt: at(100) })).toBe(true)
    expect(await throttle.redeemUnlock('t3', at(100))).toEqual({ status: 'expired' })
    // A reset revokes the live link.
    expect(await throttle.issueUnlock({ accountId: a.id, tokenHash: 't4', now: at(101), expiresAt: at(161) })).toBe(true)
    await throttle.reset('verrou@exemple.fr', at(102))
    expect(await throttle.unlockStatus('t4', at(103))).toEqual({ status: 'used' })
  })

  it('appends audit entries and lists them latest first, by target, actor, action prefix (LIKE characters literal), and pages back', async () => {
    const e = (action: string, target: string, actor = 'editor@exemple.fr') => ({ at: at(0).toISOString(), actor, action, target, before: { n: 1 }, after: null })
    for (const x of [e('programme.update', 'p1'), e('programme.hide', 'p2'), e('account.create', 'a1', 'admin@exemple.fr'), e('programme_x.odd', 'p3')]) await audit.record(x)
    const list = await audit.list()
    expect(list.map((x) => x.action)).toEqual(['programme_x.odd', 'account.create', 'programme.hide', 'programme.update'])
    expect(list[3]).toMatchObject({ target: 'p1', before: { n: 1 }, after: null })
    expect((await audit.list({ target: 'p2' })).map((x) => x.action)).toEqual(['programme.hide'])
    expect((await audit.list({ actor: 'admin@exemple.fr' })).map((x) => x.target)).toEqual(['a1'])
    expect((await audit.list({ action: 'programme.' })).map((x) => x.target)).toEqual(['p2', 'p1'])
    expect((await audit.list({ action: 'programme_' })).map((x) => x.target)).toEqual(['p3'])
    expect((await audit.list({ beforeId: list[1]!.id, limit: 1 })).map((x) => x.target)).toEqual(['p2'])
  })

  it('saves, reads and hides overrides; settings read back their last value', async () => {
    await overrides.put(override('prog-b'))
    await overrides.put(override('prog-a', { verifiedBy: 'x@exemple.fr', verifiedAt: at(1).toISOString() }))
    expect((await overrides.all()).map((o) => o.programmeId)).toEqual(['prog-a', 'prog-b'])
    expect(await overrides.get('prog-a')).toEqual(override('prog-a', { verifiedBy: 'x@exemple.fr', verifiedAt: at(1).toISOString() }))
    await overrides.put(override('prog-b', { hidden: true, patch: {}, updatedAt: at(5).toISOString() }))
    expect(await overrides.get('prog-b')).toEqual(override('prog-b', { hidden: true, patch: {}, updatedAt: at(5).toISOString() }))
    expect(await overrides.get('prog-none')).toBeUndefined()
    expect(await settings.get('source:idf:enabled')).toBeUndefined()
    await settings.set('source:idf:enabled', '0', at(0))
    await settings.set('source:idf:enabled', '1', at(1))
    expect(await settings.get('source:idf:enabled')).toBe('1')
  })

  it('commits a curation batch whole, and nothing of a batch that fails', async () => {
    const programme = buildProgramme({ id: 'cree-par-le-guichet' })
    const meta = { createdBy: 'admin@exemple.fr', createdAt: at(0).toISOString(), updatedBy: 'admin@exemple.fr', updatedAt: at(0).toISOString() }
    await curation.commit({
      created: [{ programme, ...meta }],
      overrides: [override('prog-c', { hidden: true })],
      merges: [{ loserId: 'doublon', winnerId: 'prog-a', mergedBy: 'admin@exemple.fr', mergedAt: at(0).toISOString() }],
      settings: [{ key: 'crawl:paused', value: '1', at: at(0).toISOString() }],
      accountCreates: [{ id: 'acc-batch', email: 'Lot@Exemple.fr', role: 'editor', passwordHash: 'h', createdAt: at(0).toISOString() }],
      audit: [{ at: at(0).toISOString(), actor: 'admin@exemple.fr', action: 'programme.merge', target: 'doublon', before: null, after: { winner: 'prog-a' } }],
    })
    expect(await curation.createdProgrammes()).toEqual([{ programme: JSON.parse(JSON.stringify(programme)), ...meta }])
    expect(await curation.merges()).toEqual([{ loserId: 'doublon', winnerId: 'prog-a', mergedBy: 'admin@exemple.fr', mergedAt: at(0).toISOString() }])
    expect((await overrides.get('prog-c'))?.hidden).toBe(true)
    expect(await settings.get('crawl:paused')).toBe('1')
    expect(await accounts.get('acc-batch')).toMatchObject({ email: 'lot@exemple.fr' })
    expect((await audit.list({ target: 'doublon' }))[0]?.after).toEqual({ winner: 'prog-a' })
    // The second account create collides (same e-mail): the unmerge, override and audit entry before it go too.
    const auditBefore = (await audit.list()).length
    await expect(curation.commit({
      unmerges: ['doublon'],
      overrides: [override('prog-d')],
      accountCreates: [{ id: 'acc-2', email: 'lot@exemple.fr', role: 'editor', passwordHash: 'h', createdAt: at(1).toISOString() }],
      audit: [{ at: at(1).toISOString(), actor: 'admin@exemple.fr', action: 'programme.unmerge', target: 'doublon', before: null, after: null }],
    })).rejects.toThrow()
    expect(await curation.merges()).toHaveLength(1)
    expect(await overrides.get('prog-d')).toBeUndefined()
    expect(await audit.list()).toHaveLength(auditBefore)
    await curation.commit({ unmerges: ['doublon'], accountUpdates: [{ id: 'acc-batch', patch: { disabled: true } }], audit: [] })
    expect(await curation.merges()).toEqual([])
    expect((await accounts.get('acc-batch'))?.disabled).toBe(true)
  })
})
