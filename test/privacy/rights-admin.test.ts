// An admin answers a person's request by e-mail address — from the back office (« Données
// personnelles », a CSRF-protected form) and from the CLI (`npm run -s admin -- rights …`) — and
// turns the anonymised understanding log on and off. All through real HTTP on a served port and the
// real CLI process over the same SQLite file: the export holds what concerns the address, the
// erasure leaves none of it (rows or bytes), the audit names the person by a keyed hash only, and
// the understanding log stays empty while off and holds no e-mail, phone or name while on.
import { execFile } from 'node:child_process'
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PASSWORD, startAdmin, type AdminHarness } from '../admin/harness.ts'
import { serveOnFreePort } from '../helpers/node-services.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const MARIE = 'marie.curie@vezelay.example'
const PAUL = 'paul.durand@avallon.example'

let h: AdminHarness
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let base: string
let admin: Session
let editor: Session

interface Session { cookie: string; csrf: string }

beforeAll(async () => {
  h = await startAdmin()
  server = await serveOnFreePort(h.app.fetch)
  base = `http://127.0.0.1:${server.port}`
  await h.createUser('dpo@guichet.example', 'admin')
  await h.createUser('redac@guichet.example', 'editor')
  admin = await login('dpo@guichet.example')
  editor = await login('redac@guichet.example')
}, 60_000)
afterAll(async () => {
  await server.close()
  h.dispose()
})

async function login(email: string): Promise<Session> {
  const res = await fetch(`${base}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.0.0.9' }, body: JSON.stringify({ email, password: PASSWORD }) })
  expect(res.status).toBe(200)
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: ((await res.json()) as { csrf: string }).csrf }
}

const page = (s: Session, path = '/admin/privacy') => fetch(`${base}${path}`, { headers: { cookie: s.cookie } })
const postForm = (s: Session, path: string, values: Record<string, string>, csrf = s.csrf) =>
  fetch(`${base}${path}`, { method: 'POST', headers: { cookie: s.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, ...values }) })
const subscribe = async (email: string) => {
  const res = await fetch(`${base}/api/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', themes: ['ecoles'], channels: { email } }) })
  expect(res.status).toBe(201)
}
const chat = async (text: string, sessionId?: string) => {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, ...(sessionId ? { sessionId } : {}) }) })
  expect(res.status).toBe(200)
  return ((await res.json()) as { sessionId: string }).sessionId
}
const db = () => h.services.db
const rowsFor = (email: string) => (db().prepare(`SELECT COUNT(*) AS n FROM alert_subscriptions WHERE lower(json ->> '$.channels.email.address') = ?`).get(email) as { n: number }).n
const bytesContain = (needle: string) =>
  ['guichet.sqlite', 'guichet.sqlite-wal', 'guichet.sqlite-shm'].map((f) => join(h.services.config.GUICHET_DATA_DIR, f)).filter(existsSync).some((f) => readFileSync(f).includes(Buffer.from(needle)))
const auditText = () => JSON.stringify(db().prepare('SELECT * FROM admin_audit').all())

function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'runtime/node/admin-cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GUICHET_DATA_DIR: h.services.config.GUICHET_DATA_DIR }, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }))
  })
}

describe('a person\'s request in the back office', () => {
  it('is a page for admins only, whose forms need the session\'s CSRF token', async () => {
    const res = await page(admin)
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toContain('<h1>Données personnelles</h1>')
    expect(html).toContain('Adresse e-mail de la personne')
    expect(html).toContain('<strong>Désactivé</strong>')
    expect((await page(editor)).status).toBe(403)
    expect((await postForm(admin, '/admin/privacy/rights', { email: MARIE, action: 'export' }, 'forged')).status).toBe(403)
    expect((await postForm(editor, '/admin/privacy/rights', { email: MARIE, action: 'export' })).status).toBe(403)
  })

  it('says what is wrong with the form (400) and changes nothing', async () => {
    await subscribe(PAUL)
    const bad = await postForm(admin, '/admin/privacy/rights', { email: 'pas-une-adresse', action: 'export' })
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('Adresse e-mail : adresse e-mail invalide')
    const unconfirmed = await postForm(admin, '/admin/privacy/rights', { email: PAUL, action: 'erase' })
    expect(unconfirmed.status).toBe(400)
    expect(await unconfirmed.text()).toContain('Cochez la confirmation pour effacer')
    expect(rowsFor(PAUL)).toBe(1)
    expect(auditText()).not.toContain('rights.')
  })

  it('exports as a JSON download, then erases everything about the address, audited under a hash', async () => {
    await subscribe(MARIE)
    await subscribe(MARIE.toUpperCase())
    const exported = await postForm(admin, '/admin/privacy/rights', { email: MARIE, action: 'export' })
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-disposition')).toMatch(/^attachment; filename="donnees-personnelles-2026-03-01\.json"$/)
    const data = (await exported.json()) as { email: string; subscriptions: { channels: { email: { address: string } } }[]; outbox: { recipient: string; text: string }[]; deliveries: unknown[] }
    expect(data.email).toBe(MARIE)
    expect(data.subscriptions.map((s) => s.channels.email.address.toLowerCase())).toEqual([MARIE, MARIE])
    // The two confirmation e-mails, their text included, and their ledger rows.
    expect(data.outbox).toHaveLength(2)
    expect(data.deliveries).toHaveLength(2)
    expect(data.outbox[0]!.text).toContain('/alerts/confirm?token=')
    expect(JSON.stringify(data)).not.toContain(PAUL)

    const erased = await postForm(admin, '/admin/privacy/rights', { email: MARIE, action: 'erase', confirm: '1' })
    expect(erased.status).toBe(200)
    const html = await erased.text()
    expect(html).toContain('Effacé pour cette adresse : 2 abonnements, 2 lignes du journal d&#39;envoi, 2 e-mails en file, 0 conversation Teams.')
    expect(rowsFor(MARIE)).toBe(0)
    expect(rowsFor(PAUL)).toBe(1)
    expect(bytesContain(MARIE)).toBe(false)
    expect(bytesContain(MARIE.toUpperCase())).toBe(false)

    const audit = db().prepare(`SELECT actor, action, target, after FROM admin_audit WHERE action LIKE 'rights.%' ORDER BY id`).all() as { actor: string; action: string; target: string; after: string }[]
    expect(audit.map((a) => [a.actor, a.action])).toEqual([['dpo@guichet.example', 'rights.export'], ['dpo@guichet.example', 'rights.erase']])
    expect(audit[0]!.target).toMatch(/^subject:[0-9a-f]{32}$/)
    expect(audit[1]!.target).toBe(audit[0]!.target)
    expect(JSON.parse(audit[1]!.after)).toEqual({ via: 'back-office', subscriptions: 2, deliveries: 2, outbox: 2, teamsConversations: 0, adminAccounts: 0, attributions: 0 })
    expect(auditText().toLowerCase()).not.toContain('marie')
    // The page lists the request by its hash.
    expect(await (await page(admin)).text()).toContain(audit[1]!.target)
    // « Historique des demandes »: the address typed again finds its two requests by the same hash, and records nothing.
    const history = await postForm(admin, '/admin/privacy/rights', { email: MARIE.toUpperCase(), action: 'history' })
    expect(history.status).toBe(200)
    const historyHtml = await history.text()
    expect(historyHtml).toContain('2 demande(s) déjà traitée(s) pour cette adresse.')
    expect(historyHtml.split(audit[1]!.target).length - 1).toBe(2)
    expect((db().prepare(`SELECT COUNT(*) AS n FROM admin_audit WHERE action LIKE 'rights.%'`).get() as { n: number }).n).toBe(2)
  })
})

describe('a person\'s request from the CLI', () => {
  it('exports as JSON and erases, audited as the CLI under the same hash', async () => {
    const export1 = await cli('rights', 'export', PAUL)
    expect(export1.status, export1.stderr).toBe(0)
    const data = JSON.parse(export1.stdout) as { email: string; subscriptions: unknown[]; outbox: { recipient: string }[] }
    expect(data.email).toBe(PAUL)
    expect(data.subscriptions).toHaveLength(1)
    expect(data.outbox.map((m) => m.recipient)).toEqual([PAUL])
    expect((await cli('rights', 'erase', 'pas-une-adresse')).status).toBe(2)
    const erased = await cli('rights', 'erase', PAUL)
    expect(erased.status, erased.stderr).toBe(0)
    expect(erased.stdout).toContain('effacé pour cette adresse : 1 abonnement, 1 ligne du journal d\'envoi, 1 e-mail en file, 0 conversation Teams')
    expect(rowsFor(PAUL)).toBe(0)
    expect(bytesContain(PAUL)).toBe(false)
    const audit = db().prepare(`SELECT actor, action, target FROM admin_audit WHERE actor = 'cli' ORDER BY id`).all() as { actor: string; action: string; target: string }[]
    expect(audit.map((a) => a.action)).toEqual(['rights.export', 'rights.erase'])
    expect(audit[0]!.target).toBe(audit[1]!.target)
    expect(auditText().toLowerCase()).not.toContain('paul')
  }, 120_000)
})

describe('the anonymised understanding log', () => {
  const count = () => (db().prepare('SELECT COUNT(*) AS n FROM chat_understanding_log').get() as { n: number }).n
  const TEXT = 'Bonjour, je suis Marie Curie, secrétaire de mairie à Vézelay (marie.curie@vezelay.example, 03 86 33 24 62) : nous voulons rénover l’école'

  it('keeps nothing while off (the default), and only the anonymised text once an admin turns it on', async () => {
    await chat(TEXT)
    expect(count()).toBe(0)

    expect((await postForm(editor, '/admin/privacy/understanding-log', { enabled: '1' })).status).toBe(403)
    const on = await postForm(admin, '/admin/privacy/understanding-log', { enabled: '1' })
    expect(on.status).toBe(200)
    expect(await on.text()).toContain('Journal anonymisé activé.')
    const session = await chat(TEXT)
    await chat('Mme Jeanne Martin, 06 12 34 56 78, nous pensons à la DETR', session)
    const rows = db().prepare('SELECT collectivite_type, themes, text FROM chat_understanding_log ORDER BY id').all() as { collectivite_type: string | null; themes: string; text: string }[]
    expect(rows).toHaveLength(2)
    expect(rows[0]!.collectivite_type).toBe('commune')
    expect(JSON.parse(rows[0]!.themes)).toContain('ecoles')
    expect(rows[0]!.text).toBe('Bonjour, je suis [nom], secrétaire de mairie à [collectivité] ([e-mail], [téléphone]) : nous voulons rénover l’école')
    expect(rows[1]!.text).toBe('Mme [nom], [téléphone], nous pensons à la DETR')
    const stored = JSON.stringify(db().prepare('SELECT * FROM chat_understanding_log').all())
    for (const leak of ['Marie', 'Curie', '@', 'Vézelay', '24 62', 'Jeanne', 'Martin', '06 12']) expect(stored, leak).not.toContain(leak)
    // The page shows the entries as stored.
    expect(await (await page(admin)).text()).toContain('Mme [nom], [téléphone], nous pensons à la DETR')

    const off = await postForm(admin, '/admin/privacy/understanding-log', { enabled: '0' })
    expect(await off.text()).toContain('<strong>Désactivé</strong>')
    await chat(TEXT)
    expect(count()).toBe(2)
    const cleared = await postForm(admin, '/admin/privacy/understanding-log/clear', {})
    expect(await cleared.text()).toContain('Journal vidé (2 entrée(s) supprimée(s)).')
    expect(count()).toBe(0)
    const actions = (db().prepare(`SELECT action, after FROM admin_audit WHERE action LIKE 'privacy.%' ORDER BY id`).all() as { action: string; after: string }[]).map((r) => [r.action, JSON.parse(r.after)])
    expect(actions).toEqual([['privacy.understanding_log', { enabled: true }], ['privacy.understanding_log', { enabled: false }], ['privacy.understanding_log.clear', { removed: 2 }]])
  })
})

describe('a back-office account\'s request from the CLI', () => {
  // A harness of its own: the other tests read the raw database files from this process, which
  // releases SQLite's POSIX locks of that server's connection (a CLI closing then removes the WAL).
  let own: AdminHarness
  let ownBase: string
  let ownServer: Awaited<ReturnType<typeof serveOnFreePort>>
  beforeAll(async () => {
    own = await startAdmin()
    ownServer = await serveOnFreePort(own.app.fetch)
    ownBase = `http://127.0.0.1:${ownServer.port}`
  }, 60_000)
  afterAll(async () => {
    await ownServer.close()
    own.dispose()
  })
  const run = (...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'runtime/node/admin-cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GUICHET_DATA_DIR: own.services.config.GUICHET_DATA_DIR }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }))
    })

  it('exports the account without its password hash, then erases it: disabled, logged out, its address gone from the rows and the files’ bytes, its changes kept under a pseudonym', async () => {
    await own.createUser('relecteur@guichet.example', 'editor')
    const res = await fetch(`${ownBase}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.0.0.9' }, body: JSON.stringify({ email: 'relecteur@guichet.example', password: PASSWORD }) })
    expect(res.status).toBe(200)
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!

    const exported = await run('rights', 'export', 'Relecteur@Guichet.example')
    expect(exported.status, exported.stderr).toBe(0)
    const data = JSON.parse(exported.stdout) as { backOffice: { account: { email: string; role: string; passwordHash: string }; sessions: number; audit: { action: string }[] } }
    expect(data.backOffice.account).toMatchObject({ email: 'relecteur@guichet.example', role: 'editor', passwordHash: 'enregistré sous forme d’empreinte (scrypt), non communiqué' })
    expect(exported.stdout).not.toMatch(/scrypt\$|\$scrypt/)
    expect(data.backOffice.sessions).toBe(1)
    expect(data.backOffice.audit.map((a) => a.action)).toEqual(['login'])

    const erased = await run('rights', 'erase', 'relecteur@guichet.example')
    expect(erased.status, erased.stderr).toBe(0)
    expect(erased.stdout).toContain('1 compte du back-office (désactivé, adresse remplacée par un pseudonyme)')
    const db = own.services.db
    const account = db.prepare(`SELECT email, disabled FROM admin_accounts WHERE role = 'editor'`).get() as { email: string; disabled: number }
    expect(account).toEqual({ email: expect.stringMatching(/^compte supprimé #[0-9a-f]{8}$/), disabled: 1 })
    expect((db.prepare('SELECT COUNT(*) AS n FROM admin_sessions').get() as { n: number }).n).toBe(0)
    const audit = db.prepare('SELECT actor, action FROM admin_audit ORDER BY id').all()
    expect(audit).toEqual([{ actor: account.email, action: 'login' }, { actor: 'cli', action: 'rights.export' }, { actor: 'cli', action: 'rights.erase' }])
    expect(JSON.stringify(db.prepare('SELECT * FROM admin_audit').all())).not.toContain('relecteur')
    expect((await run('list-users')).stdout).toContain(`${account.email}\teditor\tdisabled`)
    // No byte of the address left in the files (read after the last CLI run: reading them from this process releases the server connection's locks).
    const files = ['guichet.sqlite', 'guichet.sqlite-wal', 'guichet.sqlite-shm'].map((f) => join(own.services.config.GUICHET_DATA_DIR, f)).filter(existsSync)
    expect(files.filter((f) => readFileSync(f).includes(Buffer.from('relecteur@guichet.example')))).toEqual([])
    // The running server: the session is gone (sent to the login page), the address no longer logs in.
    expect((await fetch(`${ownBase}/admin/privacy`, { headers: { cookie }, redirect: 'manual' })).status).toBe(302)
    const again = await fetch(`${ownBase}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': '10.0.0.10' }, body: JSON.stringify({ email: 'relecteur@guichet.example', password: PASSWORD }) })
    expect(again.status).toBe(401)
  }, 120_000)
})
