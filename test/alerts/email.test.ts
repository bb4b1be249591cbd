// E-mail alerts over real SMTP: an in-process smtp-server receives what nodemailer sends,
// mailparser reads it. A subscription made through POST /api/subscriptions gets the double
// opt-in message only, then after confirmation the J-30 reminder (HTML and text, in French,
// with List-Unsubscribe and List-Unsubscribe-Post), and one POST unsubscribes it (RFC 8058).
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readOutbox } from '../../runtime/node/alerts-mailer.ts'
import { movableClock, nodeAlerts, pathOf, schoolCall } from './helpers.ts'

const CALL = { ...schoolCall('test_ecoles_avril', ['2026-04-15'], { themes: ['tiers_lieux'] }), name: 'Appel « écoles » <rénovation> & cours' }
const received: ParsedMail[] = []
let smtp: SMTPServer
let port = 0
const clock = movableClock('2026-03-01')
let env: ReturnType<typeof nodeAlerts>

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push(mail)
          callback()
        })
        .catch(callback)
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  port = (smtp.server.address() as AddressInfo).port
  env = nodeAlerts({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Guichet <alertes@guichet.test>' }, programmes: [CALL], clock })
})

afterAll(async () => {
  env.dispose()
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

const header = (mail: ParsedMail, name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n\s+/g, ' ')

describe('e-mail alerts over SMTP', () => {
  let subscriptionId = ''
  let manageUrl = ''

  it('subscribe through the API: pending until the address is confirmed', async () => {
    const res = await env.app.request('/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ collectivite: '89446', themes: ['tiers_lieux'], channels: { email: 'secretariat@vezelay.example' } }),
    })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { id: string; status: string; manageUrl: string; icsUrl: string; webhookSecret?: string }
    expect(body.status).toBe('pending_confirmation')
    expect(body.webhookSecret).toBeUndefined()
    expect(body.icsUrl).toMatch(/^https:\/\/guichet\.test\/alerts\/[\w-]+\/calendar\.ics\?token=/)
    subscriptionId = body.id
    manageUrl = body.manageUrl
    expect(received).toHaveLength(1)
    const mail = received[0]!
    expect(mail.subject).toBe('Confirmez votre abonnement aux alertes Guichet')
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('secretariat@vezelay.example')
    expect(mail.text).toContain('Pour confirmer votre adresse, ouvrez ce lien')
    expect(mail.html).toContain('Confirmer mon abonnement')
    expect(header(mail, 'list-unsubscribe')).toMatch(/^<https:\/\/guichet\.test\/alerts\/unsubscribe\?token=[^>]+>$/)
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    // The ledger's message id, fixed before sending, on the host of GUICHET_PUBLIC_URL.
    const [row] = await env.alerts.store.deliveries(subscriptionId)
    expect(row!.kind).toBe('confirm')
    expect(mail.messageId).toBe(`<${row!.messageId}@guichet.test>`)
    expect(row!.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('sends nothing else before confirmation', async () => {
    clock.set('2026-03-02')
    await env.alerts.runDigest()
    expect(received).toHaveLength(1)
  })

  it('confirms through the link of the message: its page, then the « Confirmer » button (a POST)', async () => {
    const link = received[0]!.text!.match(/https:\/\/guichet\.test\/alerts\/confirm\?token=\S+/)![0]
    const token = new URL(link).searchParams.get('token')!
    const confirm = () => env.app.request('/alerts/confirm', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token }).toString() })
    const page = await env.app.request(pathOf(link))
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('>Confirmer</button>')
    const res = await confirm()
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Abonnement confirmé')
    expect(await (await confirm()).text()).toContain('Adresse déjà confirmée')
    expect(await (await env.app.request(pathOf(link))).text()).toContain('Adresse déjà confirmée')
    // The link is valid 7 days.
    clock.set('2026-03-10')
    expect((await env.app.request(pathOf(link))).status).toBe(400)
    expect((await confirm()).status).toBe(400)
    clock.set('2026-03-09')
    const view = (await (await env.app.request(pathOf(manageUrl))).json()) as { subscription: { status: string; channels: { email: { status: string } } } }
    expect(view.subscription.status).toBe('active')
    expect(view.subscription.channels.email.status).toBe('active')
  })

  it('sends the J-30 reminder: French, HTML and text, escaped, with one-click unsubscribe headers', async () => {
    clock.set('2026-03-15')
    await env.alerts.runDigest()
    expect(received).toHaveLength(1)
    clock.set('2026-03-16')
    const report = await env.alerts.runDigest()
    expect(report.messages.sent.email).toBe(1)
    expect(received).toHaveLength(2)
    const mail = received[1]!
    expect(mail.subject).toBe('Rappel : TEST_ECOLES_AVRIL clôture dans 30 jours (J-30), le 15 avril 2026')
    expect(mail.text).toContain('Échéances à venir'.toUpperCase())
    expect(mail.text).toContain('Appel « écoles » <rénovation> & cours (TEST_ECOLES_AVRIL) — État : clôture le 15 avril 2026, dans 30 jours (J-30).')
    expect(mail.text).toContain('Déposer le dossier : https://example.org/test_ecoles_avril/deposer')
    expect(mail.html).toContain('Appel « écoles » &lt;rénovation&gt; &amp; cours')
    expect(mail.html).not.toContain('<rénovation>')
    expect(mail.html).toContain('lang="fr"')
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click')
    expect(header(mail, 'auto-submitted')).toBe('auto-generated')
    expect(mail.from && !Array.isArray(mail.from) ? mail.from.text : '').toContain('alertes@guichet.test')
    // One Message-ID for the message, shared by its ledger rows, other than the confirmation's.
    const rows = (await env.alerts.store.deliveries(subscriptionId)).filter((d) => d.state === 'sent' && d.kind !== 'confirm')
    expect(new Set(rows.map((d) => d.messageId)).size).toBe(1)
    expect(mail.messageId).toBe(`<${rows[0]!.messageId}@guichet.test>`)
    expect(mail.messageId).not.toBe(received[0]!.messageId)
  })

  it('sends nothing twice when the digest runs again', async () => {
    await env.alerts.runDigest()
    clock.set('2026-03-17')
    await env.alerts.runDigest()
    expect(received).toHaveLength(2)
  })

  it('unsubscribes in one click (RFC 8058 POST), idempotently, and erases the subscription', async () => {
    const url = header(received[1]!, 'list-unsubscribe')!.slice(1, -1)
    const page = await env.app.request(pathOf(url))
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('<form method="post"')
    expect(html).toContain('Me désabonner')
    const post = () => env.app.request(pathOf(url), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })
    const first = await post()
    expect(first.status).toBe(200)
    expect(await first.text()).toContain('Vous êtes désabonné')
    const second = await post()
    expect(second.status).toBe(200)
    expect(await second.text()).toContain('Déjà désabonné')
    expect((await env.app.request(pathOf(manageUrl))).status).toBe(404)
    expect(await env.alerts.store.getSubscription(subscriptionId)).toBeUndefined()
    clock.set('2026-04-08')
    await env.alerts.runDigest()
    expect(received).toHaveLength(2)
  })

  it('keeps failed messages visible in the outbox and retries them', async () => {
    const down = nodeAlerts({ env: { SMTP_URL: 'smtp://127.0.0.1:1', MAIL_FROM: 'Guichet <alertes@guichet.test>' }, programmes: [CALL], clock })
    try {
      const res = await down.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { email: 'dgs@vezelay.example' } }) })
      expect(res.status).toBe(201)
      const outbox = readOutbox(down.db)
      expect(outbox.map((m) => [m.status, m.subject])).toEqual([['failed', 'Confirmez votre abonnement aux alertes Guichet']])
      expect(outbox[0]!.error).toMatch(/^SMTP /)
      const { id } = (await res.json()) as { id: string }
      expect((await down.alerts.store.deliveries(id)).map((d) => [d.kind, d.state])).toEqual([['confirm', 'failed']])
    } finally {
      down.dispose()
    }
  })

  it('without SMTP, puts every message in the SQLite outbox', async () => {
    const local = nodeAlerts({ programmes: [CALL], clock })
    try {
      const res = await local.app.request('/api/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ collectivite: '89446', channels: { email: 'dgs@vezelay.example' } }) })
      expect(res.status).toBe(201)
      const [m] = readOutbox(local.db)
      expect(m!.status).toBe('queued')
      expect(m!.recipient).toBe('dgs@vezelay.example')
      expect(m!.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click')
    } finally {
      local.dispose()
    }
  })
})
