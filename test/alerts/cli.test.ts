// `npm run alerts -- run` from outside: the real command (runtime/node/alerts-cli.ts) in a child
// process, against a real SMTP server in this process, over the SQLite file of a server composed
// here from the same environment (GUICHET_DATA_DIR, ALERTS_SECRET, SMTP_URL, GUICHET_PUBLIC_URL).
// A secretary subscribes through the server's HTTP API and confirms through the link she received;
// on the day a reminder is due (GUICHET_NOW), the command's report counts exactly what reached the
// SMTP server, the links of that mail are accepted by the server (200, not 403: signed with the
// server's key), a webhook subscribed through the server gets its digest signed with the secret the
// server gave at subscription, and a second run sends nothing. Without GUICHET_PUBLIC_URL the command refuses to
// start, says which variable to set, and sends nothing.
import { spawn } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '../../core/clock.ts'
import { evaluateCalendar } from '../../core/calendar.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { parseNodeSettings } from '../../runtime/node/node-settings.ts'
import { pathOf } from './helpers.ts'
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const CLI = join(ROOT, 'runtime/node/alerts-cli.ts')
const PUBLIC = 'https://guichet.cli.test'
const EMAIL = 'secretariat@vezelay.example'

/** A curated programme with a firm deadline (not an estimate), and the day its J-30 reminder is due. */
function firmDeadline(): { id: string; deadline: string; day: string } {
  for (const p of loadCuratedProgrammes()) {
    const view = evaluateCalendar(p.calendar, '2026-03-01')
    const deadline = view.estimated ? undefined : view.deadlines?.[0]
    if (deadline) return { id: p.id, deadline, day: addDays(deadline, -30) }
  }
  throw new Error('no curated programme with a firm deadline')
}

const target = firmDeadline()
let dir = ''
let smtp: SmtpReceiver
let env: Record<string, string>
let server: NodeServices
let receiver: Server
let hookUrl = ''
/** What the webhook receiver got: the signed headers and the raw body. */
const hooks: { headers: Record<string, string | string[] | undefined>; body: string }[] = []

interface Report {
  today: string
  emailTransport: string
  messages: { sent: Record<'email' | 'teams' | 'webhook', number>; failed: Record<'email' | 'teams' | 'webhook', number> }
  rows: { recorded: number; sent: number; failed: number }
  items: Record<string, number>
}

/** The command in a child process (asynchronous: the SMTP server it talks to lives in this process's event loop). */
function runCli(extra: Record<string, string | undefined> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const childEnv: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...extra }
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k]
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'run'], { cwd: ROOT, env: childEnv as NodeJS.ProcessEnv })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
  return new Promise((done, fail) => {
    child.on('error', fail)
    child.on('close', (status) => done({ status, stdout, stderr }))
  })
}

/** Every link of a message (text and HTML) under the public base, deduplicated. */
function linksOf(mail: ParsedMail): string[] {
  const text = `${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html.replace(/&amp;/g, '&') : ''}`
  return [...new Set(text.match(/https:\/\/guichet\.cli\.test\/[^\s"'<>)]+/g) ?? [])]
}

/** Opens a confirmation link as a person does: the page, and its « Confirmer » form when it has one. */
async function confirmThrough(link: string): Promise<string> {
  const page = await server.app.request(pathOf(link))
  expect(page.status).toBe(200)
  const html = await page.text()
  const form = html.match(/<form[^>]*method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i) ?? html.match(/<form[^>]*action="([^"]+)"[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i)
  if (!form) return html
  const fields = new URLSearchParams([...form[2]!.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!.replace(/&amp;/g, '&')]))
  const posted = await server.app.request(pathOf(new URL(form[1]!.replace(/&amp;/g, '&'), link).href), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields })
  expect(posted.status).toBe(200)
  return posted.text()
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-alerts-cli-'))
  smtp = await startSmtpReceiver()
  // A webhook receiver: answers the confirmation challenge, keeps every POST.
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString('utf8')))
    req.on('end', () => {
      hooks.push({ headers: req.headers, body })
      const parsed = JSON.parse(body) as { type: string; challenge?: string }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(parsed.type === 'confirmation' ? { challenge: parsed.challenge } : {}))
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/guichet`
  env = {
    GUICHET_DATA_DIR: dir,
    GUICHET_NOW: target.day,
    GUICHET_PUBLIC_URL: PUBLIC,
    ALERTS_SECRET: 'cli-test-secret-0123456789abcdef-0123456789',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Guichet <alertes@guichet.cli.test>',
    ALERTS_WEBHOOK_ALLOW_PRIVATE: 'true',
    ALERTS_SCHEDULE: 'off',
    ALERTS_RETRY_SCHEDULE: 'off',
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'info',
  }
  // The server, composed from the same environment the command reads (runtime/node/node-settings.ts).
  const settings = parseNodeSettings(env)
  server = await composeNode(settings.config, { crawl: settings.crawl, alerts: settings.alerts, logger: silentLogger })
}, 60_000)

afterAll(async () => {
  server?.close()
  await smtp?.stop()
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()))
  rmSync(dir, { recursive: true, force: true })
})

describe('npm run alerts -- run, against a real SMTP server', () => {
  let subscriptionId = ''
  let reminder: ParsedMail | undefined
  let webhook = { id: '', secret: '' }

  it('subscribes through the server and confirms through the link received by e-mail', async () => {
    const res = await server.app.request('/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ collectivite: '89446', programmes: [target.id], newCalls: 'off', channels: { email: EMAIL } }),
    })
    expect(res.status).toBe(201)
    subscriptionId = ((await res.json()) as { id: string }).id
    await smtp.waitFor(1)
    const confirm = smtp.received[0]!.text!.match(/https:\/\/guichet\.cli\.test\/alerts\/confirm\?token=\S+/)![0]
    await confirmThrough(confirm)
    const row = (await server.alerts.store.getSubscription(subscriptionId))!
    expect(row.channels.email!.confirmedAt).toBeTruthy()
  })

  it('subscribes a webhook through the server: confirmed by its challenge, with its secret', async () => {
    const res = await server.app.request('/api/subscriptions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ collectivite: '89446', programmes: [target.id], newCalls: 'off', channels: { webhookUrl: hookUrl } }),
    })
    expect(res.status).toBe(201)
    const created = (await res.json()) as { id: string; webhookSecret?: string; webhookConfirmation: { status: string } }
    expect(created.webhookConfirmation.status).toBe('confirmed')
    webhook = { id: created.id, secret: created.webhookSecret! }
    expect(webhook.secret).toBeTruthy()
  })

  it('sends the due reminder through SMTP_URL and to the webhook: the report counts what arrived, and says where e-mails went', async () => {
    const before = smtp.received.length
    const out = await runCli()
    expect(out.status, out.stdout).toBe(0)
    // The logs on stderr, the report alone on stdout (JSON a script can read).
    expect(out.stderr).toContain('"msg":"alerts digest done"')
    expect(out.stderr).not.toContain('"level":"error"')
    const report = JSON.parse(out.stdout) as Report
    expect(report.today).toBe(target.day)
    expect(report.emailTransport).toBe('smtp')
    expect(report.messages.sent.email).toBeGreaterThan(0)
    expect(report.messages.failed.email).toBe(0)
    await smtp.waitFor(before + report.messages.sent.email)
    // Give a stray extra message the time to arrive: none may.
    await new Promise((r) => setTimeout(r, 300))
    const arrived = smtp.received.slice(before)
    expect(arrived).toHaveLength(report.messages.sent.email)
    expect(arrived.every((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === EMAIL)).toBe(true)
    reminder = arrived.find((m) => (m.subject ?? '').startsWith('Rappel'))!
    expect(reminder).toBeDefined()
    expect(reminder.text).toContain('J-30')
    // The ledger says sent, under the Message-ID that arrived.
    const rows = (await server.alerts.store.deliveries(subscriptionId)).filter((d) => d.kind === 'reminder' && d.programmeId === target.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.state).toBe('sent')
    expect(reminder.messageId).toBe(`<${rows[0]!.messageId}@guichet.cli.test>`)
    expect(report.rows.sent).toBe((await server.alerts.store.deliveries(subscriptionId)).filter((d) => d.state === 'sent' && d.kind !== 'confirm').length + (await server.alerts.store.deliveries(webhook.id)).filter((d) => d.state === 'sent').length)

    // The webhook: as many digests arrived as the report counts, signed with the secret given at subscription.
    const digests = hooks.filter((h) => (JSON.parse(h.body) as { type: string }).type !== 'confirmation')
    expect(digests).toHaveLength(report.messages.sent.webhook)
    expect(digests).toHaveLength(1)
    const { headers, body } = digests[0]!
    const expected = `sha256=${createHmac('sha256', webhook.secret).update(`${String(headers['x-guichet-timestamp'])}.${body}`).digest('hex')}`
    expect(headers['x-guichet-signature']).toBe(expected)
    expect(body).toContain(target.id)
  }, 90_000)

  it('puts links in the mail that the server accepts: manage, calendar, unsubscribe', async () => {
    const signed = linksOf(reminder!).filter((l) => l.includes('token='))
    const calendar = signed.filter((l) => l.includes('/calendar.ics'))
    const unsubscribe = signed.filter((l) => l.includes('/alerts/unsubscribe'))
    const manage = signed.filter((l) => l.includes(subscriptionId) && !l.includes('/calendar.ics'))
    expect(calendar.length).toBeGreaterThan(0)
    expect(unsubscribe.length).toBeGreaterThan(0)
    expect(manage.length).toBeGreaterThan(0)
    for (const link of signed) {
      const res = await server.app.request(pathOf(link))
      expect(res.status, link.replace(/token=.*/, 'token=…')).toBe(200)
    }
    // The calendar is this subscription's, with the reminder's deadline in it.
    const ics = await (await server.app.request(pathOf(calendar[0]!))).text()
    expect(ics).toContain('BEGIN:VCALENDAR')
    expect(ics).toContain(target.deadline.replace(/-/g, ''))
  })

  it('sends nothing twice: a second run the same day reports and delivers nothing', async () => {
    const before = smtp.received.length
    const out = await runCli()
    expect(out.status).toBe(0)
    const report = JSON.parse(out.stdout) as Report
    const hooksBefore = hooks.length
    expect(report.messages.sent).toEqual({ email: 0, teams: 0, webhook: 0 })
    expect(report.rows.recorded).toBe(0)
    await new Promise((r) => setTimeout(r, 300))
    expect(smtp.received).toHaveLength(before)
    expect(hooks).toHaveLength(hooksBefore)
  }, 90_000)

  it('refuses to start without GUICHET_PUBLIC_URL: one line naming it, exit 2, nothing sent', async () => {
    const before = smtp.received.length
    const out = await runCli({ GUICHET_PUBLIC_URL: undefined, GUICHET_NOW: addDays(target.deadline, -7) })
    expect(out.status).toBe(2)
    expect(out.stdout).toBe('')
    expect(out.stderr.trim().split('\n')).toHaveLength(1)
    expect(out.stderr).toContain('GUICHET_PUBLIC_URL manque')
    expect(out.stderr).toContain('définissez GUICHET_PUBLIC_URL')
    expect(smtp.received).toHaveLength(before)
  })
})
