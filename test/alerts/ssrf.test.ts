// No server-side request forgery through webhooks: every loopback, private, link-local
// (metadata), CGNAT, multicast, reserved or IPv4-in-IPv6 form is refused at subscription with a
// 400 naming channels.webhookUrl (literal addresses in every spelling, and host names whose
// resolver answers a private address); at send time the host is resolved again, and a delivery to
// a host that now resolves privately is recorded failed, never sent; a redirect is never followed
// to a private address. The guard connects to the very address it checked (no DNS rebinding).
// Real parts: SQLite files, the Hono routes, node:http receivers on 127.0.0.1.
import { createServer, type Server } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorResponse } from '../../bot/http-errors.ts'
import { blockedRange, isPublicUnicast } from '../../core/ip.ts'
import { BlockedDestinationError } from '../../core/outbound.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { composeAlerts } from '../../runtime/node/alerts-services.ts'
import { createOutboundGuard, type Resolver } from '../../runtime/node/outbound-guard.ts'
import { openDatabase, type Db } from '../../runtime/node/sqlite.ts'
import { BASE, catalogueWith, movableClock, nodeAlerts, schoolCall, SECRET } from './helpers.ts'

interface Receiver {
  url: string
  port: number
  hits: { method: string; path: string; body: string }[]
  /** What to answer a non-challenge request (default 204). */
  answer: (path: string) => { status: number; headers?: Record<string, string> }
  close(): Promise<void>
}

/** A real HTTP receiver on 127.0.0.1 that echoes confirmation challenges. */
async function receiver(): Promise<Receiver> {
  const r = { hits: [] as Receiver['hits'], answer: (() => ({ status: 204 })) as Receiver['answer'] }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      r.hits.push({ method: req.method ?? '', path: req.url ?? '', body })
      const challenge = body.startsWith('{') ? (JSON.parse(body) as { type?: string; challenge?: string }) : {}
      if (challenge.type === 'confirmation') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: challenge.challenge }))
      const a = r.answer(req.url ?? '')
      res.writeHead(a.status, a.headers).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as AddressInfo).port
  return Object.assign(r, { port, url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) })
}

const post = (app: Hono, webhookUrl: string) =>
  app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', themes: ['tiers_lieux'], channels: { webhookUrl } }) })

describe('blockedRange', () => {
  it('refuses every non-public range, in every IPv6 disguise, and passes public unicast', () => {
    for (const ip of ['127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '169.254.169.254', '0.0.0.0', '0.1.2.3', '224.0.0.1', '239.1.1.1', '255.255.255.255', '240.0.0.1', '198.18.0.1', '192.0.2.1',
      '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::a9fe:a9fe', '64:ff9b::10.0.0.1', '2002:c0a8:0101::1', '2001:db8::1', '2001:0:4136:e378::1', '[::1]', 'not-an-ip']) {
      expect(blockedRange(ip), ip).toBeTypeOf('string')
    }
    for (const ip of ['8.8.8.8', '93.184.215.14', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2001:4860:4860::8888', '2a00:1450:4007:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      expect(isPublicUnicast(ip), ip).toBe(true)
    }
  })
})

describe('webhook URLs at subscription (ALERTS_WEBHOOK_ALLOW_PRIVATE=false)', () => {
  const clock = movableClock('2026-03-01')
  const zones: Record<string, string[]> = {
    'intranet.example.org': ['10.0.0.5'],
    'metadata.example.org': ['169.254.169.254'],
    'v6.example.org': ['fd00::1'],
    'mapped.example.org': ['::ffff:127.0.0.1'],
    // One public and one private answer: refused (a client may pick either).
    'mixed.example.org': ['93.184.215.14', '127.0.0.1'],
    'hooks.example.org': ['93.184.215.14'],
  }
  const resolve: Resolver = async (host) => {
    const list = zones[host]
    if (!list) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
  }
  let sent = 0
  let env: ReturnType<typeof nodeAlerts>
  // The network is counted: a refused URL never sees a request, not even the challenge.
  beforeAll(() => void (env = nodeAlerts({ env: { ALERTS_WEBHOOK_ALLOW_PRIVATE: 'false' }, clock, resolve, fetch: async () => (sent++, new Response(null, { status: 503 })) })))
  afterAll(() => env.dispose())

  it.each([
    'https://127.0.0.1/hook',
    'https://127.1/hook',
    'https://2130706433/hook',
    'https://017700000001/hook',
    'https://0x7f000001/hook',
    'https://0x7f.0.0.1/hook',
    'https://10.1.2.3/hook',
    'https://172.16.0.1/hook',
    'https://172.31.255.254/hook',
    'https://192.168.0.10/hook',
    'https://100.64.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://0.0.0.0/hook',
    'https://224.0.0.1/hook',
    'https://255.255.255.255/hook',
    'https://[::1]/hook',
    'https://[::]/hook',
    'https://[fc00::1]/hook',
    'https://[fd12:3456::1]/hook',
    'https://[fe80::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://[::ffff:169.254.169.254]/hook',
    'https://[::ffff:a00:1]/hook',
    'https://[64:ff9b::a9fe:a9fe]/hook',
    'https://localhost/hook',
    'https://intranet.example.org/hook',
    'https://metadata.example.org/hook',
    'https://v6.example.org/hook',
    'https://mapped.example.org/hook',
    'https://mixed.example.org/hook',
    'https://unknown.example.org/hook',
    'http://hooks.example.org/hook',
  ])('%s → 400 naming channels.webhookUrl, nothing sent', async (url) => {
    const res = await post(env.app, url)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; field: string; message: string } }
    expect(body.error).toMatchObject({ code: 'invalid_request', field: 'channels.webhookUrl' })
    expect(body.error.message).toMatch(/refusé|attendue|introuvable|privé/)
    expect(sent).toBe(0)
  })

  it('says which address was refused, in French', async () => {
    const body = (await (await post(env.app, 'https://mixed.example.org/hook')).json()) as { error: { message: string } }
    expect(body.error.message).toContain('mixed.example.org → 127.0.0.1')
    expect(body.error.message).toContain('seules les adresses publiques sont admises')
  })

  it('accepts a host that resolves only publicly (then sends its challenge)', async () => {
    const res = await post(env.app, 'https://hooks.example.org/hook')
    expect(res.status).toBe(201)
    expect(sent).toBe(1)
  })
})

describe('webhook URLs at send time', () => {
  const CALL = schoolCall('test_ssrf_ecoles', ['2026-04-15'], { themes: ['tiers_lieux'] })
  let dir: string
  let db: Db
  let hook: Receiver
  let internal: Receiver
  let answer = '127.0.0.1'

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'guichet-ssrf-'))
    db = openDatabase(dir)
    hook = await receiver()
    internal = await receiver()
  })
  afterAll(async () => {
    db.close()
    rmSync(dir, { recursive: true, force: true })
    await hook.close()
    await internal.close()
  })

  /** The alerts over the one SQLite file, as a process started with this configuration would compose them. */
  function compose(allowPrivate: boolean, clock: ReturnType<typeof movableClock>) {
    const config = { ...parseAlertsConfig({ ALERTS_SECRET: SECRET, ALERTS_WEBHOOK_ALLOW_PRIVATE: String(allowPrivate) }), GUICHET_PUBLIC_URL: BASE }
    const resolve: Resolver = async () => [{ address: answer, family: 4 }]
    const alerts = composeAlerts({ db, config, clock, logger: silentLogger, catalogue: () => catalogueWith([CALL]), geography: loadEtalabGeography(), resolve, sleep: async () => {} })
    const app = new Hono()
    app.onError((err, c) => errorResponse(c, err, silentLogger))
    app.route('/', alerts.routes)
    return { alerts, app }
  }

  it('resolves the host again at each send: a host that now answers a private address gets nothing, the row is failed with the reason', async () => {
    const clock = movableClock('2026-03-01')
    // Subscribed (and confirmed) where the host resolved to an address that Guichet accepted.
    const dev = compose(true, clock)
    const created = (await (await post(dev.app, `http://hooks.example.org:${hook.port}/in`)).json()) as { id: string; status: string }
    expect(created.status).toBe('active')
    expect(hook.hits).toHaveLength(1)
    dev.alerts.close()

    // The same file, in production (private addresses refused); the name now resolves to loopback.
    const prod = compose(false, clock)
    clock.set('2026-03-16')
    const report = await prod.alerts.runDigest()
    expect(report.messages.failed.webhook).toBe(1)
    expect(report.messages.sent.webhook).toBe(0)
    expect(hook.hits).toHaveLength(1)
    const rows = await prod.alerts.store.deliveries(created.id)
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) {
      expect(r.state).toBe('failed')
      expect(r.lastError).toMatch(/webhook refusé, rien n'a été envoyé : adresse refusée : hooks\.example\.org → 127\.0\.0\.1, boucle locale/)
    }

    // The metadata address, the same.
    answer = '169.254.169.254'
    clock.set('2026-03-16T12:00:00+01:00')
    await prod.alerts.runDigest({ retriesOnly: true, now: new Date('2026-03-17T12:00:00+01:00') })
    expect((await prod.alerts.store.deliveries(created.id)).map((r) => r.lastError)).toContainEqual(expect.stringContaining('169.254.169.254, lien local ou métadonnées du nuage'))
    expect(hook.hits).toHaveLength(1)
    prod.alerts.close()
  })

  it('never follows a webhook redirect, not even to a local receiver in allow-private mode', async () => {
    answer = '127.0.0.1'
    const clock = movableClock('2026-03-01')
    const dev = compose(true, clock)
    hook.answer = () => ({ status: 302, headers: { location: `${internal.url}/admin` } })
    const created = (await (await post(dev.app, `http://hooks.example.org:${hook.port}/redirecting`)).json()) as { id: string; status: string }
    expect(created.status).toBe('active')
    clock.set('2026-03-16')
    const before = hook.hits.length
    const report = await dev.alerts.runDigest()
    expect(report.messages.failed.webhook).toBe(1)
    expect(internal.hits).toHaveLength(0)
    // 3 attempts within the run, each answered 302, none followed.
    expect(hook.hits.length - before).toBe(3)
    expect((await dev.alerts.store.deliveries(created.id)).every((r) => r.state === 'failed' && r.lastError === 'DeliveryFailedError: webhook answered 302')).toBe(true)
    dev.alerts.close()
  })
})

describe('the outbound guard', () => {
  let local: Receiver
  let internal: Receiver
  beforeAll(async () => {
    local = await receiver()
    internal = await receiver()
  })
  afterAll(async () => {
    await local.close()
    await internal.close()
  })
  // Lets the test's own receiver (127.0.0.1) pass as if it were public; every other range stays refused.
  const onlyOurLoopback = (ip: string) => (ip === '127.0.0.1' ? undefined : blockedRange(ip))

  it('connects to the address it checked: a second, different DNS answer is never used (rebinding)', async () => {
    const answers = ['127.0.0.1', '10.0.0.1']
    let lookups = 0
    const guard = createOutboundGuard({ blocked: onlyOurLoopback, resolve: async () => [{ address: answers[Math.min(lookups++, 1)]!, family: 4 }] })
    const res = await guard.fetch(`http://rebind.example.org:${local.port}/pinned`)
    expect(res.status).toBe(204)
    expect(lookups).toBe(1)
    expect(local.hits.at(-1)!.path).toBe('/pinned')
    // The next request resolves again: now private, refused before any byte is sent.
    const before = local.hits.length
    await expect(guard.fetch(`http://rebind.example.org:${local.port}/again`)).rejects.toThrow(BlockedDestinationError)
    await expect(guard.fetch(`http://rebind.example.org:${local.port}/again`)).rejects.toThrow(/rebind\.example\.org → 10\.0\.0\.1, réseau privé/)
    expect(local.hits.length).toBe(before)
  })

  it('checks every redirect hop it follows, and refuses one to a private or metadata address', async () => {
    const guard = createOutboundGuard({ blocked: onlyOurLoopback, resolve: async (host) => [{ address: host === 'internal.example.org' ? '10.1.1.1' : '127.0.0.1', family: 4 }] })
    local.answer = (path) =>
      path === '/to-metadata' ? { status: 302, headers: { location: 'http://169.254.169.254/latest/meta-data/' } }
      : path === '/to-internal' ? { status: 301, headers: { location: `http://internal.example.org:${internal.port}/` } }
      : path === '/to-mapped' ? { status: 307, headers: { location: `http://[::ffff:127.0.0.2]:${internal.port}/` } }
      : path === '/to-self' ? { status: 302, headers: { location: '/final' } }
      : { status: 200 }
    await expect(guard.fetch(`http://public.example.org:${local.port}/to-metadata`)).rejects.toThrow(/169\.254\.169\.254, lien local/)
    await expect(guard.fetch(`http://public.example.org:${local.port}/to-internal`)).rejects.toThrow(/internal\.example\.org → 10\.1\.1\.1/)
    await expect(guard.fetch(`http://public.example.org:${local.port}/to-mapped`)).rejects.toThrow(/boucle locale.*IPv6/)
    expect(internal.hits).toHaveLength(0)
    const ok = await guard.fetch(`http://public.example.org:${local.port}/to-self`)
    expect(ok.status).toBe(200)
    expect(local.hits.at(-1)!.path).toBe('/final')
    // redirect: 'manual' (webhooks) hands the 3xx back untouched.
    expect((await guard.fetch(`http://public.example.org:${local.port}/to-metadata`, { redirect: 'manual' })).status).toBe(302)
  })

  it('refuses by default what the system resolver says is loopback (localhost)', async () => {
    const guard = createOutboundGuard()
    await expect(guard.fetch(`http://localhost:${local.port}/`)).rejects.toThrow(/localhost → (127\.0\.0\.1|::1), boucle locale/)
    expect(local.hits.some((h) => h.path === '/' && h.method === 'GET')).toBe(false)
  })
})
