// Smoke test of the real thing: `npm run workers:dev`'s script (runtime/workers/dev.ts) starts the
// real `wrangler dev` (workerd, the build step first, a local D1 in a temporary --persist-to), with no
// network: no telemetry, no login, no download. Then, over HTTP: the home page, the widget, a
// conversation over two turns (the second remembers the first: it is in D1), a match, a webhook
// subscription (the receiver here answers the signed confirmation challenge) and the digest's Cron
// Trigger run through /__scheduled, which delivers a signed digest to it; the back office: the SQL of
// `npm run admin -- create-user … --sql` run by `wrangler d1 execute --local --file` (the operator's
// command), then a login checked by scrypt in workerd and an override served at once. wrangler is
// stopped by killing its process group.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenSigner } from '../../bot/alerts/tokens.ts'
import { CRONS } from '../../runtime/workers/scheduled.ts'
import { createAccountSql } from '../../runtime/workers/admin-account-sql.ts'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const ALERTS_SECRET = 'a-local-alerts-secret-of-32-characters-at-least'
const signer = createTokenSigner({ secret: ALERTS_SECRET })
let wrangler: ChildProcess
let output = ''
let base: string
let persist: string
let receiver: Server
let hookUrl: string
const received: { type: string; subscriptionId: string; signed: boolean; body: Record<string, unknown> }[] = []
let startedAt: number

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const { port } = s.address() as AddressInfo
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

/** The webhook receiver: checks each POST's signature under the subscription's secret, answers the challenge. */
async function startReceiver(): Promise<void> {
  receiver = createServer(async (req, res) => {
    let text = ''
    for await (const chunk of req) text += chunk
    const body = JSON.parse(text) as Record<string, unknown> & { type: string; subscriptionId: string; challenge?: string }
    const secret = await signer.webhookSecret(body.subscriptionId)
    const expected = `sha256=${createHmac('sha256', secret).update(`${req.headers['x-guichet-timestamp']}.${text}`).digest('hex')}`
    received.push({ type: body.type, subscriptionId: body.subscriptionId, signed: req.headers['x-guichet-signature'] === expected, body })
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body.type === 'confirmation' ? { challenge: body.challenge } : { ok: true }))
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/guichet-hook`
}

async function waitReady(timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (wrangler.exitCode !== null) throw new Error(`wrangler dev exited (${wrangler.exitCode}):\n${output}`)
    const ok = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false)
    if (ok) return
    await new Promise((r) => setTimeout(r, 300))
  }
  throw new Error(`wrangler dev not ready after ${timeoutMs} ms:\n${output}`)
}

beforeAll(async () => {
  startedAt = Date.now()
  await startReceiver()
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  persist = mkdtempSync(join(tmpdir(), 'guichet-wrangler-'))
  const vars = { GUICHET_NOW: '2026-03-01', ALERTS_SECRET, GUICHET_PUBLIC_URL: base, LOG_LEVEL: 'warn' }
  const args = ['runtime/workers/dev.ts', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', persist, '--log-level', 'info', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])]
  // Its own process group, so that stopping it stops tsx, wrangler and workerd together.
  wrangler = spawn(join(ROOT, 'node_modules/.bin/tsx'), args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true', NO_COLOR: '1' } })
  wrangler.stdout!.on('data', (d) => (output += d))
  wrangler.stderr!.on('data', (d) => (output += d))
  await waitReady(50_000)
}, 60_000)

afterAll(async () => {
  if (wrangler?.pid && wrangler.exitCode === null) {
    const exited = new Promise((r) => wrangler.once('exit', r))
    process.kill(-wrangler.pid, 'SIGTERM')
    const killer = setTimeout(() => process.kill(-wrangler.pid!, 'SIGKILL'), 5_000)
    await exited
    clearTimeout(killer)
  }
  await new Promise<void>((r) => receiver?.close(() => r()))
  if (persist) rmSync(persist, { recursive: true, force: true })
}, 15_000)

const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('wrangler dev (npm run workers:dev), end to end', () => {
  it('built first, and asked nothing of the network (no login, no download, no telemetry)', () => {
    // wrangler's [build] wrote the bundled files after this test started.
    for (const file of ['catalogue.generated.json', 'widget.generated.json']) expect(statSync(join(ROOT, 'runtime/workers', file)).mtimeMs).toBeGreaterThan(startedAt)
    expect(output).not.toMatch(/log ?in|oauth|Request\.cf|update available|Downloading|metrics/i)
  })

  it('serves the home page in French and the widget\'s script', async () => {
    const home = await fetch(`${base}/`)
    expect(home.status).toBe(200)
    expect(await home.text()).toContain('les financements pour votre collectivité')
    // Gzipped once, by workerd (fetch decodes it): the script itself, not a second layer of gzip.
    const widget = await fetch(`${base}/widget.js`, { headers: { 'accept-encoding': 'gzip' } })
    expect(widget.status).toBe(200)
    expect(widget.headers.get('content-type')).toMatch(/javascript/)
    expect(widget.headers.get('content-encoding')).toBe('gzip')
    expect((await widget.text()).startsWith('/* Guichet widget */')).toBe(true)
  })

  it('remembers the first turn of a conversation at the second (sessions in D1), and answers a match', async () => {
    const first = (await (await post('/api/chat', { text: 'Je suis la mairie de Saint-Amand-Montrond' })).json()) as { sessionId: string; question: { slot: string } }
    expect(first.question.slot).toBe('themes')
    const second = (await (await post('/api/chat', { sessionId: first.sessionId, text: 'rénover l\'école' })).json()) as { sessionId: string; messages: { text: string }[]; results: { id: string }[] }
    expect(second.sessionId).toBe(first.sessionId)
    expect(second.messages[0]!.text).toMatch(/^Pour Saint-Amand-Montrond \(18\)/)
    expect(second.results.length).toBeGreaterThan(0)
    const match = (await (await fetch(`${base}/api/match?commune=18197&applicant=commune&q=${encodeURIComponent('rénovation de l\'école')}`)).json()) as { results: { id: string; eligibility: { status: string } }[] }
    expect(match.results.map((r) => r.id)).toContain('bdt_edurenov')
  })

  it('subscribes a webhook (its signed challenge answered), then the digest\'s Cron Trigger delivers a signed digest to it', async () => {
    const res = await post('/api/subscriptions', { collectivite: '18197', applicantType: 'commune', leadTimes: [90], channels: { webhookUrl: hookUrl } })
    expect(res.status).toBe(201)
    const created = (await res.json()) as { id: string; status: string; webhookSecret: string; webhookConfirmation: { status: string } }
    expect(created.webhookConfirmation.status).toBe('confirmed')
    expect(created.webhookSecret).toBe(await signer.webhookSecret(created.id))
    expect(received.filter((r) => r.subscriptionId === created.id).map((r) => [r.type, r.signed])).toEqual([['confirmation', true]])

    const run = await fetch(`${base}/__scheduled?cron=${encodeURIComponent(CRONS.digest)}`)
    expect(run.status).toBe(200)
    const digests = received.filter((r) => r.subscriptionId === created.id && r.type === 'guichet.alerts.digest')
    expect(digests).toHaveLength(1)
    expect(digests[0]!.signed).toBe(true)
    const digest = digests[0]!.body as { today: string; items: { programme: { id: string } }[]; links: { unsubscribe: string } }
    expect(digest.today).toBe('2026-03-01')
    expect(digest.items.length).toBeGreaterThan(0)
    expect(digest.links.unsubscribe.startsWith(`${base}/alerts/unsubscribe?token=`)).toBe(true)
    // The same cron again: the ledger in D1 has it sent, nothing goes twice.
    expect((await fetch(`${base}/__scheduled?cron=${encodeURIComponent(CRONS.digest)}`)).status).toBe(200)
    expect(received.filter((r) => r.subscriptionId === created.id && r.type === 'guichet.alerts.digest')).toHaveLength(1)
  })

  it('logs in to the back office with an account created by wrangler d1 execute (scrypt in workerd), and serves an override at once', async () => {
    const password = 'un mot de passe assez long'
    const file = join(persist, 'compte.sql')
    // What `npm run -s admin -- create-user … --sql` prints (test/workers/admin.test.ts runs the command itself).
    writeFileSync(file, await createAccountSql({ email: 'admin@mairie-exemple.fr', role: 'admin', passwordHash: await createScryptHasher().hash(password), now: new Date() }))
    await promisify(execFile)(join(ROOT, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'guichet', '--local', '--persist-to', persist, '--file', file], { cwd: ROOT, env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true' } })
    const login = await post('/api/admin/login', { email: 'admin@mairie-exemple.fr', password })
    expect(login.status).toBe(200)
    const headers = { 'content-type': 'application/json', cookie: login.headers.get('set-cookie')!.split(';')[0]!, 'x-csrf-token': ((await login.json()) as { csrf: string }).csrf }
    const name = 'EduRénov — nom corrigé au back office'
    expect((await fetch(`${base}/api/admin/programmes/bdt_edurenov/override`, { method: 'PUT', headers, body: JSON.stringify({ patch: { name } }) })).status).toBe(200)
    expect(((await (await fetch(`${base}/api/programmes/bdt_edurenov`)).json()) as { programme: { name: string } }).programme.name).toBe(name)
  }, 20_000)
})
