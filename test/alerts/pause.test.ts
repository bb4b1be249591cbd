// Pausing, as the management page and the README say it: what was waiting to go (a reminder whose
// send failed and waits for its retry) is cancelled at once and never goes, not even after
// resuming; nothing is sent nor recorded while paused; on resuming, the next digest sends once the
// latest reminder crossed during the pause for a deadline still ahead. On the memory store and on
// the SQL store over a real SQLite file.
import { afterEach, describe, expect, it } from 'vitest'
import { DeliveryFailedError, type MailSender, type OutgoingMail, type WebhookDelivery, type WebhookSender } from '../../bot/alerts/senders.ts'
import { PAUSE_CANCEL_REASON } from '../../bot/alerts/manage.ts'
import { alertsEnv, commune, schoolCall, type AlertsEnv } from './helpers.ts'

const CALL = schoolCall('test_pause_avril', ['2026-03-31'])

/** An e-mail sender whose SMTP can be down. */
function flakyMail(): MailSender & { sent: OutgoingMail[]; down: boolean } {
  const sent: OutgoingMail[] = []
  const sender = {
    kind: 'memory' as const,
    sent,
    down: false,
    async send(mail: OutgoingMail) {
      if (sender.down) throw new DeliveryFailedError('SMTP unreachable')
      sent.push(mail)
      return { messageId: `<${sent.length}@flaky>` }
    },
  }
  return sender
}

let env: AlertsEnv | undefined
afterEach(() => env?.dispose())

describe.each(['memory', 'sqlite'] as const)('pausing on the %s store', (store) => {
  it('cancels the reminder waiting for its retry at once, sends nothing while paused, and on resuming the latest reminder still ahead once', async () => {
    const mail = flakyMail()
    env = alertsEnv({ store, programmes: [CALL], senders: { email: mail } })
    const e = env
    const created = await e.service.create({ profile: commune(), themes: ['ecoles'], programmes: [CALL.id], channels: { email: 'secretariat@vezelay.example' }, newCalls: 'off', source: 'api' })
    const confirm = mail.sent.at(-1)!.text.match(/https:\/\/\S+\/alerts\/confirm\?token=\S+/)![0]
    expect((await e.service.confirm(new URL(confirm).searchParams.get('token')!)).outcome).toBe('confirmed')
    const token = new URL((await e.links.links(created.id)).managePageUrl).searchParams.get('token')!
    const reminders = async () => (await e.store.deliveries(created.id)).filter((d) => d.programmeId === CALL.id).map((d) => ({ lead: d.leadDays, state: d.state, lastError: d.lastError }))

    // J-30 on 1 March: SMTP is down, the reminder fails and waits for its retry.
    mail.down = true
    e.clock.set('2026-03-01T07:00:00.000Z')
    await e.digest()
    expect(await reminders()).toEqual([{ lead: 30, state: 'failed', lastError: 'DeliveryFailedError: SMTP unreachable' }])

    // Paused: cancelled at once; the confirmation, sent, is left as it was.
    e.clock.set('2026-03-01T09:00:00.000Z')
    expect(await e.service.setPaused(created.id, token, true)).toMatchObject({ pausedAt: '2026-03-01T09:00:00.000Z' })
    expect(await reminders()).toEqual([{ lead: 30, state: 'expired', lastError: PAUSE_CANCEL_REASON }])
    expect((await e.store.deliveries(created.id)).find((d) => d.kind === 'confirm')!.state).toBe('sent')

    // SMTP back, retries and digests while paused: nothing goes, nothing is recorded (J-7 on 24 March).
    mail.down = false
    const sentBefore = mail.sent.length
    e.clock.set('2026-03-01T10:00:00.000Z')
    await e.digest({ retriesOnly: true })
    for (const day of ['2026-03-02', '2026-03-24', '2026-03-25']) {
      e.clock.set(`${day}T07:00:00.000Z`)
      await e.digest()
    }
    expect(mail.sent).toHaveLength(sentBefore)
    expect(await reminders()).toEqual([{ lead: 30, state: 'expired', lastError: PAUSE_CANCEL_REASON }])

    // Resumed on 26 March: the J-7 reminder crossed during the pause goes, once; the J-30 never.
    e.clock.set('2026-03-26T06:00:00.000Z')
    expect((await e.service.setPaused(created.id, token, false)) as { pausedAt: string | null }).toMatchObject({ pausedAt: null })
    e.clock.set('2026-03-26T07:00:00.000Z')
    await e.digest()
    expect(mail.sent).toHaveLength(sentBefore + 1)
    expect(mail.sent.at(-1)!.text).toContain('clôture le 31 mars 2026, dans 5 jours (J-5)')
    expect(await reminders()).toEqual([
      { lead: 30, state: 'expired', lastError: PAUSE_CANCEL_REASON },
      { lead: 7, state: 'sent', lastError: null },
    ])
    await e.digest()
    expect(mail.sent).toHaveLength(sentBefore + 1)
  })
})

/** A webhook receiver that keeps what it gets. */
function webhookReceiver(): WebhookSender & { got: WebhookDelivery[] } {
  const got: WebhookDelivery[] = []
  return {
    got,
    async send(delivery) {
      got.push(delivery)
      return { status: 204, attempts: 1 }
    },
  }
}

// A paused subscription can still have a due row: the confirmation of its e-mail awaiting a retry
// (pausing leaves it), or a reminder whose cancellation failed. The digest meeting that row must
// not move the subscription's progress, else the reminders crossed that day are never sent.
describe.each(['memory', 'sqlite'] as const)('a paused subscription with a due row on the %s store', (store) => {
  const setUp = async () => {
    const mail = flakyMail()
    const hook = webhookReceiver()
    env = alertsEnv({ store, programmes: [CALL], senders: { email: mail, webhook: hook }, confirmWebhook: async () => ({ confirmed: true }) })
    return { e: env, mail, hook }
  }
  const reminderRows = async (e: AlertsEnv, id: string) => (await e.store.deliveries(id)).filter((d) => d.kind === 'reminder').map((d) => ({ channel: d.channel, lead: d.leadDays, state: d.state }))

  it('keeps its progress while its confirmation awaits a retry: on resuming, the reminder crossed that day goes once', async () => {
    const { e, mail, hook } = await setUp()
    // 1 March, before the day's digest: subscribed with a webhook (confirmed) and an address whose confirmation mail fails.
    mail.down = true
    e.clock.set('2026-03-01T05:00:00.000Z')
    const created = await e.service.create({ profile: commune(), themes: ['ecoles'], programmes: [CALL.id], channels: { email: 'mairie@vezelay.example', webhookUrl: 'https://hooks.vezelay.example/guichet' }, newCalls: 'off', source: 'api' })
    expect((await e.store.deliveries(created.id)).map((d) => ({ kind: d.kind, state: d.state }))).toEqual([{ kind: 'confirm', state: 'failed' }])
    const token = new URL((await e.links.links(created.id)).managePageUrl).searchParams.get('token')!
    e.clock.set('2026-03-01T06:00:00.000Z')
    await e.service.setPaused(created.id, token, true)

    // The day's digest (J-30 crossed) meets the confirmation due for its retry; SMTP still down.
    e.clock.set('2026-03-01T07:00:00.000Z')
    await e.digest()
    expect(hook.got).toHaveLength(0)
    expect(await reminderRows(e, created.id)).toEqual([])

    // Resumed on 2 March: the J-30 reminder crossed during the pause goes on the webhook, once.
    e.clock.set('2026-03-02T06:00:00.000Z')
    await e.service.setPaused(created.id, token, false)
    e.clock.set('2026-03-02T07:00:00.000Z')
    await e.digest()
    expect(await reminderRows(e, created.id)).toEqual([{ channel: 'webhook', lead: 30, state: 'sent' }])
    expect(hook.got).toHaveLength(1)
    expect(JSON.stringify(hook.got[0]!.body)).toContain(CALL.id)
    e.clock.set('2026-03-03T07:00:00.000Z')
    await e.digest()
    expect(hook.got).toHaveLength(1)
  })

  it('keeps its progress when the cancellation at pausing did not happen: on resuming, the J-7 crossed during the pause goes once', async () => {
    const { e, mail } = await setUp()
    const created = await e.service.create({ profile: commune(), themes: ['ecoles'], programmes: [CALL.id], channels: { email: 'secretariat@vezelay.example' }, newCalls: 'off', source: 'api' })
    const confirm = mail.sent.at(-1)!.text.match(/https:\/\/\S+\/alerts\/confirm\?token=\S+/)![0]
    expect((await e.service.confirm(new URL(confirm).searchParams.get('token')!)).outcome).toBe('confirmed')
    const token = new URL((await e.links.links(created.id)).managePageUrl).searchParams.get('token')!

    // J-30 on 1 March fails (SMTP down) and waits for its retry.
    mail.down = true
    e.clock.set('2026-03-01T07:00:00.000Z')
    await e.digest()
    expect(await reminderRows(e, created.id)).toEqual([{ channel: 'email', lead: 30, state: 'failed' }])

    // Paused as setPaused saves it first, the cancellation that follows lost (a failed write).
    const paused = (await e.store.getSubscription(created.id))!
    await e.store.saveSubscription({ ...paused, pausedAt: '2026-03-01T09:00:00.000Z' })

    // No digest until 24 March (J-7 crossed): it meets the failed J-30, still due, and cancels it.
    mail.down = false
    const sentBefore = mail.sent.length
    e.clock.set('2026-03-24T07:00:00.000Z')
    await e.digest()
    expect(mail.sent).toHaveLength(sentBefore)
    expect(await reminderRows(e, created.id)).toEqual([{ channel: 'email', lead: 30, state: 'expired' }])

    // Resumed on 26 March: the J-7 goes, once.
    e.clock.set('2026-03-26T06:00:00.000Z')
    await e.service.setPaused(created.id, token, false)
    e.clock.set('2026-03-26T07:00:00.000Z')
    await e.digest()
    expect(mail.sent).toHaveLength(sentBefore + 1)
    expect(mail.sent.at(-1)!.text).toContain('clôture le 31 mars 2026, dans 5 jours (J-5)')
    expect(await reminderRows(e, created.id)).toEqual([
      { channel: 'email', lead: 30, state: 'expired' },
      { channel: 'email', lead: 7, state: 'sent' },
    ])
    await e.digest()
    expect(mail.sent).toHaveLength(sentBefore + 1)
  })
})
