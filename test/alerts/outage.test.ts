// An SMTP outage before a J-1 reminder, on the real Node composition (SQLite file, the alerts as
// the server composes them) and a real SMTP server that is stopped and started again while the
// clock moves over the days, as the schedule would run the digest (07:00) and its retries.
// - Outage over the two days before programme A's deadline: the J-1 reminder fails, is retried at
//   most every 30 minutes, and goes out once — on the deadline day — as soon as SMTP is back.
// - Outage over the day before and the day of programme B's deadline: the reminder is never sent;
//   the next day it is recorded as lost (not silently expired), shown in the back office (JSON and
//   page) and counted in /api/ready; SMTP coming back does not send it late.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { login, PASSWORD } from '../admin/harness.ts'
import { movableClock, pathOf, schoolCall } from './helpers.ts'
import { startSmtpReceiver, type SmtpReceiver } from './smtp-receiver.ts'

// Themes apart, so that each subscription gets only its own programme.
const A = schoolCall('test_panne_avant_j1', ['2026-04-10'], { themes: ['ecoles'] })
const B = schoolCall('test_panne_pendant_j1', ['2026-04-13'], { themes: ['tiers_lieux'] })
const clock = movableClock('2026-04-01')
let dir = ''
let smtp: SmtpReceiver
let s: NodeServices
let admin: { cookie: string; csrf: string }
const ids: Record<'A' | 'B', string> = { A: '', B: '' }

/** The digest as the schedule runs it (07:00 Paris), and its retries. */
const digestAt = (iso: string) => {
  clock.set(iso)
  return s.alerts.runDigest()
}
const retriesAt = (iso: string) => {
  clock.set(iso)
  return s.alerts.runDigest({ retriesOnly: true })
}
const reminderRow = async (key: 'A' | 'B') => (await s.alerts.store.deliveries(ids[key])).find((d) => d.kind === 'reminder')
const mailsAbout = (p: { shortName?: string }) => smtp.received.filter((m) => (m.subject ?? '').includes(p.shortName!))

async function subscribe(email: string, programme: string, theme: string): Promise<string> {
  const res = await s.app.request('/api/subscriptions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ collectivite: '89446', programmes: [programme], themes: [theme], leadTimes: [1], newCalls: 'off', channels: { email } }),
  })
  expect(res.status).toBe(201)
  const { id } = (await res.json()) as { id: string }
  // Confirmed as a person does (the page, then its « Confirmer » form when it has one).
  const before = smtp.received.length
  await smtp.waitFor(before === 0 ? 1 : before)
  const mail = smtp.received.findLast((m) => (m.to && !Array.isArray(m.to) ? m.to.text : '') === email)!
  const link = mail.text!.match(/https:\/\/guichet\.panne\.test\/alerts\/confirm\?token=\S+/)![0]
  const page = await s.app.request(pathOf(link))
  const form = (await page.text()).match(/<form[^>]*method="post"[^>]*>/i)
  if (form) expect((await s.app.request(pathOf(link), { method: 'POST' })).status).toBe(200)
  expect((await s.alerts.store.getSubscription(id))!.channels.email!.confirmedAt).toBeTruthy()
  return id
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'guichet-alerts-outage-'))
  smtp = await startSmtpReceiver()
  s = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_PUBLIC_URL: 'https://guichet.panne.test', RATE_LIMIT_PER_MINUTE: '0' }), {
    logger: silentLogger,
    clock,
    programmes: [...loadCuratedProgrammes(), A, B],
    hasher: createScryptHasher({ N: 1024 }),
    admin: { clientIp: (c) => c.req.header('x-test-ip') ?? 'local' },
    alerts: parseAlertsConfig({ SMTP_URL: smtp.url, MAIL_FROM: 'Guichet <alertes@guichet.panne.test>', ALERTS_SECRET: 'outage-test-secret-0123456789abcdef-012345' }),
  })
  await s.admin.accounts.create({ email: 'admin@ville.fr', role: 'admin', passwordHash: await s.admin.hasher.hash(PASSWORD), now: clock.now() })
  ids.A = await subscribe('secretariat@vezelay.example', A.id, 'ecoles')
  ids.B = await subscribe('mairie@vezelay.example', B.id, 'tiers_lieux')
}, 60_000)

afterAll(async () => {
  s?.close()
  await smtp?.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('an SMTP outage before a J-1 reminder', () => {
  it('two days without SMTP before the deadline: retried every half hour at most, sent once when SMTP is back', async () => {
    await smtp.stop()
    await digestAt('2026-04-08T07:00:00+02:00')
    expect(await reminderRow('A')).toBeUndefined()
    const failed = await digestAt('2026-04-09T07:00:00+02:00')
    expect(failed.messages.failed.email).toBe(1)
    expect(failed.messages.sent.email).toBe(0)
    let row = (await reminderRow('A'))!
    expect(row.state).toBe('failed')
    expect(row.leadDays).toBe(1)
    // A day before its deadline: next attempt within 30 minutes, whatever the backoff says.
    for (const at of ['2026-04-09T07:30:00+02:00', '2026-04-09T08:00:00+02:00', '2026-04-09T09:00:00+02:00', '2026-04-09T14:00:00+02:00', '2026-04-09T23:30:00+02:00']) {
      const r = await retriesAt(at)
      expect(r.messages.failed.email).toBe(1)
      row = (await reminderRow('A'))!
      expect(Date.parse(row.nextAttemptAt!) - Date.parse(at)).toBeLessThanOrEqual(30 * 60_000)
    }
    expect(mailsAbout(A)).toHaveLength(0)

    // The deadline day: SMTP is back; the next retry run sends it, once.
    await smtp.start()
    const back = await retriesAt('2026-04-10T00:00:00+02:00')
    expect(back.messages.sent.email).toBe(1)
    await smtp.waitFor(3)
    expect(mailsAbout(A)).toHaveLength(1)
    const to = mailsAbout(A)[0]!.to
    expect(to && !Array.isArray(to) ? to.text : '').toBe('secretariat@vezelay.example')
    expect((await reminderRow('A'))!.state).toBe('sent')
    await digestAt('2026-04-10T07:00:00+02:00')
    await retriesAt('2026-04-10T07:30:00+02:00')
    expect(mailsAbout(A)).toHaveLength(1)
    expect((await reminderRow('A'))!.lostOn).toBeNull()
  })

  it('no SMTP the day before and the day of the deadline: the reminder is recorded as lost, never sent late', async () => {
    await smtp.stop()
    const failed = await digestAt('2026-04-12T07:00:00+02:00')
    expect(failed.messages.failed.email).toBe(1)
    for (const at of ['2026-04-12T12:00:00+02:00', '2026-04-13T07:00:00+02:00', '2026-04-13T23:30:00+02:00']) expect((await retriesAt(at)).messages.failed.email).toBe(1)
    expect((await s.alerts.store.deliveryHealth({ limit: 10 })).failing).toBe(1)

    // The day after the deadline: lost, at the start of the run.
    await smtp.start()
    const after = await digestAt('2026-04-14T07:00:00+02:00')
    expect(after.rows.expired).toBe(1)
    expect(after.messages.sent.email).toBe(0)
    const row = (await reminderRow('B'))!
    expect(row.state).toBe('expired')
    expect(row.lostOn).toBe('2026-04-14')
    await retriesAt('2026-04-14T07:30:00+02:00')
    expect(mailsAbout(B)).toHaveLength(0)
  })

  it('shows the lost reminder in /api/ready and in the back office', async () => {
    const ready = (await (await s.app.request('/api/ready')).json()) as { ready: boolean; checks: { alerts: { ok: boolean; failing: number; lost: number; problem?: string } } }
    expect(ready.ready).toBe(true)
    expect(ready.checks.alerts).toEqual({ ok: false, failing: 0, lost: 1 })

    // Signed in now (a session of two weeks ago has expired).
    admin = await login(s.app, 'admin@ville.fr')
    const api = await s.app.request('/api/admin/alerts', { headers: { cookie: admin.cookie } })
    expect(api.status).toBe(200)
    const overview = (await api.json()) as { health: { failing: number; lost: number }; lost: { programme: { id: string }; to: string; lostOn: string; deadline: string; attempts: number }[] }
    expect(overview.health).toEqual({ failing: 0, lost: 1 })
    expect(overview.lost).toHaveLength(1)
    expect(overview.lost[0]).toMatchObject({ programme: { id: B.id }, to: 'm•••@vezelay.example', lostOn: '2026-04-14', deadline: '2026-04-13' })
    expect(overview.lost[0]!.attempts).toBeGreaterThanOrEqual(4)

    const page = await (await s.app.request('/admin/alerts', { headers: { cookie: admin.cookie } })).text()
    expect(page).toContain('1 envoi(s) perdu(s) : leur date limite est passée avant qu&#39;ils puissent partir')
    const lostSection = page.slice(page.indexOf('id="perdus"'), page.indexOf('id="boite-envoi"'))
    expect(lostSection).toContain('perdu (date limite passée) le 2026-04-14')
    expect(lostSection).toContain(B.shortName!)
    expect(lostSection).not.toContain('mairie@vezelay.example')
  })
})
