// A rights request by e-mail address covers a back-office account too, on both runtimes (the SQL
// rights store on a SQLite file and on D1 through Miniflare). The export gives the account (the
// password hash said to exist, never given), its sessions, unlock links and login counter, the
// audit entries by it or about it, and the catalogue changes it authored. The erasure disables the
// account, deletes its sessions, unlock links and counter, and replaces its address everywhere by a
// stable pseudonym (« compte supprimé #<hash prefix> »), in one batch with the audit entry: no row
// of any table names the address afterwards, another account's rows are untouched.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { all, sql, type SqlDatabase } from '../../runtime/sql/database.ts'
import { pseudonymOf } from '../../runtime/sql/rights-back-office.ts'
import { createSqlRightsStore } from '../../runtime/sql/rights-store.ts'
import { SQL_DATABASES, type OpenedDatabase } from '../helpers/sql-databases.ts'

const EDITOR = 'editrice.catalogue@vezelay.example'
const OTHER = 'admin.principal@vezelay.example'
const HASH = 'scrypt$secret-hash-of-the-editor'

async function seed(db: SqlDatabase): Promise<void> {
  await db.batch([
    sql(`INSERT INTO admin_accounts (id, email, role, password_hash, disabled, created_at) VALUES ('a-editor', ?, 'editor', ?, 0, '2026-01-05T09:00:00Z'), ('a-admin', ?, 'admin', 'scrypt$other', 0, '2026-01-01T09:00:00Z')`, EDITOR, HASH, OTHER),
    sql(`INSERT INTO admin_sessions (id_hash, account_id, csrf, created_at, expires_at) VALUES ('s1', 'a-editor', 'c1', '2026-03-01T08:00:00Z', '2026-03-01T16:00:00Z'), ('s2', 'a-admin', 'c2', '2026-03-01T08:00:00Z', '2026-03-01T16:00:00Z')`),
    sql(`INSERT INTO admin_unlock_tokens (token_hash, account_id, created_at, expires_at) VALUES ('t1', 'a-editor', '2026-03-01T08:00:00Z', '2026-03-01T09:00:00Z')`),
    sql(`INSERT INTO admin_login_limits (key, failures, last_at) VALUES (?, 3, '2026-03-01T07:00:00Z'), ('ip:192.0.2.7', 3, '2026-03-01T07:00:00Z'), (?, 1, '2026-03-01T07:00:00Z')`, `account:${EDITOR}`, `account:${OTHER}`),
    sql(`INSERT INTO admin_audit (at, actor, action, target, before, after) VALUES
      ('2026-01-05T09:00:00Z', ?, 'account.create', ?, 'null', ?),
      ('2026-02-01T10:00:00Z', ?, 'programme.update', 'programme:detr_yonne_2026', '{"rate":0.3}', '{"rate":0.4}'),
      ('2026-02-02T10:00:00Z', ?, 'programme.update', 'programme:dsil_2026', 'null', 'null')`,
      OTHER, `account:${EDITOR}`, JSON.stringify({ email: EDITOR, role: 'editor' }), EDITOR, OTHER),
    sql(`INSERT INTO programme_overrides (programme_id, patch, hidden, verified_by, verified_at, updated_by, updated_at) VALUES
      ('detr_yonne_2026', '{}', 0, ?, '2026-02-01T10:00:00Z', ?, '2026-02-01T10:00:00Z'), ('dsil_2026', '{}', 0, NULL, NULL, ?, '2026-02-02T10:00:00Z')`, EDITOR, OTHER, OTHER),
    sql(`INSERT INTO admin_programmes (id, json, created_by, created_at, updated_by, updated_at) VALUES ('local_ecoles', '{}', ?, '2026-02-03T10:00:00Z', ?, '2026-02-04T10:00:00Z')`, EDITOR, EDITOR),
    sql(`INSERT INTO programme_merges (loser_id, winner_id, merged_by, merged_at) VALUES ('dup_1', 'detr_yonne_2026', ?, '2026-02-05T10:00:00Z')`, EDITOR),
    sql(`INSERT INTO page_sources (id, yaml, updated_by, updated_at) VALUES ('yonne', 'id: yonne', ?, '2026-02-06T10:00:00Z')`, OTHER),
  ])
}

/** Every row of every table, as text, lower case. */
async function everything(db: SqlDatabase): Promise<string> {
  const tables = await all<{ name: string }>(db, sql(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`))
  const out: string[] = []
  for (const { name } of tables) out.push(JSON.stringify(await all(db, sql(`SELECT * FROM ${name}`))))
  return out.join('\n').toLowerCase()
}

describe.each(SQL_DATABASES)('a back-office account in a rights request on %s', (_name, open) => {
  let opened: OpenedDatabase
  let db: SqlDatabase
  beforeEach(async () => {
    opened = await open()
    db = opened.db
    await seed(db)
  })
  afterEach(() => opened.close())

  it('the export gives the account without its password hash, its sessions, counter, audit entries and authored changes', async () => {
    const data = await createSqlRightsStore(db).export('Editrice.Catalogue@Vezelay.example')
    const bo = data.backOffice
    expect(bo.account).toMatchObject({ id: 'a-editor', email: EDITOR, role: 'editor', disabled: false, created_at: '2026-01-05T09:00:00Z' })
    expect(bo.account!.passwordHash).toBe('enregistré sous forme d’empreinte (scrypt), non communiqué')
    expect(JSON.stringify(data)).not.toContain(HASH)
    expect(bo.sessions).toBe(1)
    expect(bo.unlockLinks).toBe(1)
    expect(bo.loginLimits).toEqual([{ key: `account:${EDITOR}`, failures: 3, last_at: '2026-03-01T07:00:00Z' }])
    expect(bo.audit.map((a) => a['action'])).toEqual(['account.create', 'programme.update'])
    expect(bo.audit[0]!['after']).toEqual({ email: EDITOR, role: 'editor' })
    expect(bo.authored['programme_overrides']!.map((r) => r['programme_id'])).toEqual(['detr_yonne_2026'])
    expect(bo.authored['admin_programmes']!.map((r) => r['id'])).toEqual(['local_ecoles'])
    expect(bo.authored['programme_merges']!.map((r) => r['loser_id'])).toEqual(['dup_1'])
    expect(bo.authored['page_sources']).toEqual([])
  })

  it('the erasure disables the account and names it by a stable pseudonym everywhere, in one batch with its audit entry', async () => {
    const rights = createSqlRightsStore(db)
    const pseudonym = pseudonymOf(await rights.subjectRef(EDITOR))
    expect(pseudonym).toMatch(/^compte supprimé #[0-9a-f]{8}$/)
    const counts = await rights.erase(EDITOR.toUpperCase(), { at: '2026-03-01T12:00:00Z', actor: OTHER, via: 'back-office' })
    expect(counts).toEqual({ subscriptions: 0, deliveries: 0, outbox: 0, teamsConversations: 0, adminAccounts: 1, attributions: 3 })

    expect(await everything(db)).not.toContain('editrice.catalogue')
    expect(await all(db, sql(`SELECT email, password_hash, disabled FROM admin_accounts WHERE id = 'a-editor'`))).toEqual([{ email: pseudonym, password_hash: '', disabled: 1 }])
    expect(await all(db, sql(`SELECT id_hash FROM admin_sessions`))).toEqual([{ id_hash: 's2' }])
    expect(await all(db, sql(`SELECT token_hash FROM admin_unlock_tokens`))).toEqual([])
    expect((await all<{ key: string }>(db, sql(`SELECT key FROM admin_login_limits ORDER BY key`))).map((r) => r.key)).toEqual([`account:${OTHER}`, 'ip:192.0.2.7'])
    const audit = await all<{ actor: string; action: string; target: string; after: string }>(db, sql('SELECT actor, action, target, after FROM admin_audit ORDER BY id'))
    expect(audit.map((a) => [a.actor, a.action, a.target])).toEqual([
      [OTHER, 'account.create', `account:${pseudonym}`],
      [pseudonym, 'programme.update', 'programme:detr_yonne_2026'],
      [OTHER, 'programme.update', 'programme:dsil_2026'],
      [OTHER, 'rights.erase', await rights.subjectRef(EDITOR)],
    ])
    expect(JSON.parse(audit[0]!.after)).toEqual({ email: pseudonym, role: 'editor' })
    expect(JSON.parse(audit[3]!.after)).toMatchObject({ via: 'back-office', adminAccounts: 1, attributions: 3 })
    expect(await all(db, sql(`SELECT programme_id, verified_by, updated_by FROM programme_overrides ORDER BY programme_id`))).toEqual([
      { programme_id: 'detr_yonne_2026', verified_by: pseudonym, updated_by: OTHER },
      { programme_id: 'dsil_2026', verified_by: null, updated_by: OTHER },
    ])
    expect(await all(db, sql(`SELECT created_by, updated_by FROM admin_programmes`))).toEqual([{ created_by: pseudonym, updated_by: pseudonym }])
    expect(await all(db, sql(`SELECT merged_by FROM programme_merges`))).toEqual([{ merged_by: pseudonym }])
    expect(await all(db, sql(`SELECT updated_by FROM page_sources`))).toEqual([{ updated_by: OTHER }])
    // Erasing again finds nothing more: the pseudonymised account is no longer that address.
    expect(await rights.erase(EDITOR, { at: '2026-03-01T12:05:00Z', actor: OTHER, via: 'back-office' })).toMatchObject({ adminAccounts: 0, attributions: 0 })
  })
})
