// The admin login limits (bot/admin/login-limits.ts) through real parts: the Node composition on
// a real SQLite file, served on a real loopback port (fetch, TRUSTED_PROXIES and X-Forwarded-For
// as behind a reverse proxy), unlock e-mails received by an in-process SMTP server (smtp-server +
// mailparser), `npm run admin -- unlock` spawned on the same file, and several processes asking
// the same file at once.
import { execFile, spawn } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const PASSWORD = 'correct horse battery staple'
const PUBLIC = 'http://guichet.test'

const received: ParsedMail[] = []
let smtp: SMTPServer
let services: Awaited<ReturnType<typeof startServices>>
let server: { port: number; close(): Promise<void> }
let t = new Date('2026-03-01T09:00:00+01:00').getTime()
const clock = { now: () => new Date(t) }
const advance = (ms: number) => { t += ms }
const scrypt = createScryptHasher({ N: 1024 })
/** The injected hasher counts the password checks, and how many ran at once at most. */
let verifications = 0
let running = 0
let mostAtOnce = 0
const hasher = {
  hash: (p: string) => scrypt.hash(p),
  async verify(p: string, s: string) {
    verifications++
    mostAtOnce = Math.max(mostAtOnce, ++running)
    try { return await scrypt.verify(p, s) } finally { running-- }
  },
}

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => { received.push(mail); callback() }).catch(callback)
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  const smtpPort = (smtp.server.address() as AddressInfo).port
  services = await startServices(
    // The server sits behind a reverse proxy on loopback; rate limits off so that only the login limits answer.
    { GUICHET_PUBLIC_URL: PUBLIC, TRUSTED_PROXIES: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0' },
    { clock, hasher, alerts: parseAlertsConfig({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, MAIL_FROM: 'Guichet <admin@guichet.test>' }) },
  )
  server = await serveOnFreePort(services.app.fetch)
  for (const [email, role] of [['alice@ville.fr', 'admin'], ['bob@ville.fr', 'editor'], ['carla@ville.fr', 'editor'], ['dora@ville.fr', 'editor'], ['emile@ville.fr', 'editor'], ['fanny@ville.fr', 'editor']] as const) {
    await services.admin.accounts.create({ email, role, passwordHash: await scrypt.hash(PASSWORD), now: clock.now() })
  }
})

afterAll(async () => {
  await server?.close()
  services?.dispose()
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

/** POST /api/admin/login over the socket, as the proxy forwards a client at `client` (none = the proxy's own address). */
async function login(email: string, password: string, client?: string) {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/admin/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(client ? { 'x-forwarded-for': client } : {}) },
    body: JSON.stringify({ email, password }),
  })
  const body = (await res.json()) as { error?: { code: string; message: string; until?: string }; csrf?: string }
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body, cookie: res.headers.get('set-cookie') }
}

const page = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${server.port}${path}`, { redirect: 'manual', ...init })

async function mailTo(address: string, count = 1): Promise<ParsedMail[]> {
  const mine = () => received.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === address)
  for (let i = 0; i < 100 && mine().length < count; i++) await new Promise((r) => setTimeout(r, 20))
  return mine()
}
const unlockLink = (mail: ParsedMail) => mail.text!.match(/http:\/\/guichet\.test\/admin\/unlock\?token=\S+/)![0]
const pathOf = (url: string) => { const u = new URL(url); return u.pathname + u.search }
const postUnlock = (token: string) => page('/admin/unlock', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }) })

describe('login limits over real HTTP', () => {
  it('checks 60 parallel guesses on one account one after another: 5 are verified, 55 refused without a hash', async () => {
    const before = verifications
    mostAtOnce = 0
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => login('alice@ville.fr', `guess ${i}`, `203.0.113.${i + 1}`)))
    expect(verifications - before).toBe(5)
    expect(mostAtOnce).toBe(1)
    expect(results.filter((r) => r.status === 401)).toHaveLength(5)
    const refused = results.filter((r) => r.status === 429)
    expect(refused).toHaveLength(55)
    for (const r of refused) {
      expect(r.body.error?.code).toBe('locked')
      expect(r.body.error?.message).toMatch(/^Trop d'échecs pour ce compte : réessayez dans 1 minute \(à 9 h 01\)/)
      expect(Number(r.retryAfter)).toBeGreaterThan(0)
      expect(Number(r.retryAfter)).toBeLessThanOrEqual(60)
    }
    // The right password is refused too, without being checked.
    const right = await login('alice@ville.fr', PASSWORD, '203.0.113.200')
    expect(right.status).toBe(429)
    expect(verifications - before).toBe(5)
  })

  it('unknown e-mails are hashed and limited the same way (no enumeration)', async () => {
    const before = verifications
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => login('personne@ville.fr', `guess ${i}`, `203.0.113.${i + 1}`)))
    expect(verifications - before).toBe(5)
    expect(results.map((r) => r.status).sort()).toEqual([...Array(5).fill(401), ...Array(55).fill(429)])
    expect(results.find((r) => r.status === 429)!.body.error!.message).toMatch(/^Trop d'échecs pour ce compte : réessayez dans 1 minute/)
  })

  it('e-mails the locked account one single-use link that unlocks without logging in, and only once', async () => {
    const [mail, extra] = await mailTo('alice@ville.fr')
    expect(extra).toBeUndefined()
    expect(mail!.subject).toBe('Guichet : votre compte d\'administration est bloqué')
    expect(mail!.text).toContain('il ne vous connecte pas')
    const link = unlockLink(mail!)
    const token = new URL(link).searchParams.get('token')!
    // Stored hashed: the token is nowhere in the database.
    const rows = services.db.prepare('SELECT token_hash FROM admin_unlock_tokens').all() as { token_hash: string }[]
    expect(rows).toHaveLength(1)
    expect(rows[0]!.token_hash).not.toBe(token)
    // GET shows a button (a mail scanner opening the link does not use it): still locked.
    const shown = await page(pathOf(link))
    expect(shown.status).toBe(200)
    expect(shown.headers.get('referrer-policy')).toBe('no-referrer')
    const html = await shown.text()
    expect(html).toContain('Débloquer mon compte')
    expect(html).toContain(`name="token" value="${token}"`)
    expect((await login('alice@ville.fr', PASSWORD, '203.0.113.201')).status).toBe(429)
    // POST uses it: unlocked, and no session cookie.
    const used = await postUnlock(token)
    expect(used.status).toBe(200)
    expect(used.headers.get('set-cookie')).toBeNull()
    expect(await used.text()).toContain('Votre compte est débloqué. Ce lien ne vous connecte pas')
    const audit = await services.admin.audit.list({ action: 'account.unlock' })
    expect(audit[0]).toMatchObject({ actor: 'alice@ville.fr', target: 'account:alice@ville.fr', after: { via: 'email' } })
    const ok = await login('alice@ville.fr', PASSWORD, '203.0.113.201')
    expect(ok.status).toBe(200)
    expect(ok.cookie).toMatch(/^guichet_admin=/)
    // Once only.
    const again = await postUnlock(token)
    expect(again.status).toBe(410)
    expect(await again.text()).toContain('Ce lien a déjà servi')
    expect((await page(pathOf(link))).status).toBe(410)
    expect((await postUnlock('not-a-token')).status).toBe(404)
    expect((await page('/admin/unlock')).status).toBe(400)
  })

  it('the link expires after an hour', async () => {
    for (let i = 0; i < 5; i++) expect((await login('bob@ville.fr', 'wrong password!', '192.0.2.10')).status).toBe(401)
    const [mail] = await mailTo('bob@ville.fr')
    const token = new URL(unlockLink(mail!)).searchParams.get('token')!
    advance(61 * 60_000)
    const expired = await postUnlock(token)
    expect(expired.status).toBe(410)
    expect(await expired.text()).toContain('Ce lien a expiré')
  })

  it('backs off: 1 minute, then 2, 4, 8 … at most 60 per further failure; a success starts again', async () => {
    const waits: number[] = []
    for (let i = 0; i < 5; i++) await login('carla@ville.fr', 'wrong password!', '192.0.2.20')
    for (let n = 0; n < 9; n++) {
      const refused = await login('carla@ville.fr', 'wrong password!', '192.0.2.20')
      expect(refused.status).toBe(429)
      waits.push(Number(refused.retryAfter))
      advance(Number(refused.retryAfter) * 1000)
      // The lock is over: one more guess is checked (and fails), which locks for twice as long.
      expect((await login('carla@ville.fr', 'wrong password!', '192.0.2.20')).status).toBe(401)
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600, 3600])
    // One link per hour at most: the first lock's link is still live for the next five locks (T+0 to T+31 min);
    // the locks at T+63, T+123, T+183 and T+243 min each get a new one.
    await new Promise((r) => setTimeout(r, 200))
    expect(await mailTo('carla@ville.fr', 5)).toHaveLength(5)
    // Wait out the last lock, log in: counts start again from zero.
    advance(3600_000)
    expect((await login('carla@ville.fr', PASSWORD, '192.0.2.20')).status).toBe(200)
    for (let i = 0; i < 4; i++) expect((await login('carla@ville.fr', 'wrong password!', '192.0.2.20')).status).toBe(401)
    const first = await login('carla@ville.fr', 'wrong password!', '192.0.2.20')
    expect(first.status).toBe(401)
    expect(Number((await login('carla@ville.fr', 'wrong password!', '192.0.2.20')).retryAfter)).toBe(60)
  })

  it('behind one proxy address, an attacker\'s failures do not lock a colleague out', async () => {
    advance(2 * 3600_000)
    // The proxy forwards no client address: everyone is 127.0.0.1. The attacker sprays 30 guesses.
    const before = verifications
    const spray = []
    for (let i = 0; i < 30; i++) spray.push(await login(i < 4 ? 'dora@ville.fr' : `agent${i % 13}@ville.fr`, `guess ${i}`))
    expect(spray.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(20)
    // Accounts that already failed twice are refused from that address, without a hash…
    const held = await login('dora@ville.fr', PASSWORD)
    expect(held.status).toBe(429)
    expect(held.body.error!.message).toMatch(/^Trop d'échecs depuis votre adresse : réessayez dans \d+ minutes?/)
    const hashed = verifications
    expect((await login('agent5@ville.fr', 'guess')).status).toBe(429)
    expect(verifications).toBe(hashed)
    expect(verifications - before).toBeLessThanOrEqual(30)
    // …but a colleague who types the right password gets in, as does one typo then the right password.
    expect((await login('emile@ville.fr', PASSWORD)).status).toBe(200)
    expect((await login('fanny@ville.fr', 'typo')).status).toBe(401)
    expect((await login('fanny@ville.fr', PASSWORD)).status).toBe(200)
    // Another client address is not held back.
    expect((await login('dora@ville.fr', PASSWORD, '192.0.2.77')).status).toBe(200)
  })

  it('the HTML login page says when to retry', async () => {
    const form = await page('/admin/login')
    const token = (await form.text()).match(/name="_csrf" value="([^"]+)"/)![1]!
    const cookie = form.headers.get('set-cookie')!.split(';')[0]!
    for (let i = 0; i < 5; i++) await login('emile@ville.fr', 'wrong password!', '192.0.2.30')
    const res = await page('/admin/login', { method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '192.0.2.30' }, body: new URLSearchParams({ _csrf: token, email: 'emile@ville.fr', password: PASSWORD }) })
    expect(res.status).toBe(303)
    const location = res.headers.get('location')!
    expect(location).toBe('/admin/login?erreur=bloque&minutes=1')
    expect(await (await page(location)).text()).toContain('réessayez dans 1 minute.')
  })

  it('npm run admin -- unlock <email> clears the lock on the live SQLite file', async () => {
    // Asynchronous: a synchronous spawn would freeze this process's server for seconds, and the
    // keep-alive sockets it then closes late reset the next test's first request.
    const cli = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', 'runtime/node/admin-cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, GUICHET_DATA_DIR: services.config.GUICHET_DATA_DIR }, timeout: 60_000 }, (err, stdout, stderr) => {
          resolve({ status: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
        })
      })
    expect((await login('emile@ville.fr', PASSWORD, '192.0.2.31')).status).toBe(429)
    const r = await cli('unlock', 'Emile@ville.fr')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toContain('compte débloqué : emile@ville.fr')
    expect((await login('emile@ville.fr', PASSWORD, '192.0.2.31')).status).toBe(200)
    const unknown = await cli('unlock', 'nobody@ville.fr')
    expect(unknown.status).toBe(1)
    expect(unknown.stderr).toContain('compte inconnu')
    expect((await cli('unlock')).status).toBe(2)
    const help = await cli('--help')
    expect(help.stdout).toContain('unlock <email>')
    const audit = await services.admin.audit.list({ action: 'account.unlock', actor: 'cli' })
    expect(audit[0]).toMatchObject({ target: 'account:emile@ville.fr', after: { via: 'cli' } })
  }, 60_000)

  it('an admin unlocks an account from the back office API', async () => {
    for (let i = 0; i < 5; i++) await login('fanny@ville.fr', 'wrong password!', '192.0.2.40')
    expect((await login('fanny@ville.fr', PASSWORD, '192.0.2.40')).status).toBe(429)
    const admin = await login('alice@ville.fr', PASSWORD, '192.0.2.41')
    const fanny = (await services.admin.accounts.findByEmail('fanny@ville.fr'))!
    const accounts = await (await page('/admin/accounts', { headers: { cookie: admin.cookie!.split(';')[0]!, 'x-forwarded-for': '192.0.2.41' } })).text()
    expect(accounts).toMatch(/fanny@ville\.fr<\/td><td>éditeur<\/td><td>actif — connexion bloquée jusqu&#39;à \d{1,2} h \d{2}<\/td>/)
    expect(accounts).toContain(`action="/admin/accounts/${fanny.id}/unlock"`)
    const res = await fetch(`http://127.0.0.1:${server.port}/api/admin/accounts/${fanny.id}/unlock`, { method: 'POST', headers: { cookie: admin.cookie!.split(';')[0]!, 'x-csrf-token': admin.body.csrf!, 'x-forwarded-for': '192.0.2.41' } })
    expect(res.status).toBe(200)
    expect((await login('fanny@ville.fr', PASSWORD, '192.0.2.40')).status).toBe(200)
  })
})

describe('login limits across processes', () => {
  it('four processes asking the same SQLite file at once let exactly 5 attempts through', async () => {
    const at = new Date(t).toISOString()
    const workers = Array.from({ length: 4 }, () => spawn(process.execPath, ['--import', 'tsx', 'test/admin/lockout-worker.ts', 'shared@ville.fr', '10', at], { cwd: ROOT, env: { ...process.env, GUICHET_DATA_DIR: services.config.GUICHET_DATA_DIR } }))
    const outputs = workers.map((child) => {
      let out = ''
      let ready: () => void
      const isReady = new Promise<void>((resolve) => { ready = resolve })
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (out.startsWith('ready\n')) ready() })
      const done = new Promise<number>((resolve, reject) => {
        child.on('error', reject)
        child.on('close', (code) => (code === 0 ? resolve(Number(out.slice('ready\n'.length).trim())) : reject(new Error(`worker exited ${code}`))))
      })
      return { isReady, done }
    })
    await Promise.all(outputs.map((o) => o.isReady))
    for (const w of workers) w.stdin.end('go\n')
    const passed = await Promise.all(outputs.map((o) => o.done))
    expect(passed.reduce((a, b) => a + b, 0)).toBe(5)
  }, 60_000)
})
