// The digest on chosen dates, with a clock the test moves across day boundaries: reminders at
// J-30, J-7 and J-1 and nowhere else, nothing twice, only the closest lead time for a late
// subscription, estimates announced as such, a crash between record and send, failed sends
// retried until they expire, new programmes daily or weekly, changes to followed programmes.
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryChangeEventSource } from '../../bot/alerts/change-events.ts'
import type { Delivery } from '../../bot/alerts/delivery.ts'
import { dueOffsets } from '../../bot/alerts/schedule.ts'
import { DeliveryFailedError, type OutgoingMail } from '../../bot/alerts/senders.ts'
import { alertsEnv, catalogueWith, commune, itemsAbout, schoolCall, type AlertsEnv } from './helpers.ts'

const CALL = schoolCall('test_ecoles_avril', ['2026-04-15'])
const PAST = schoolCall('test_ecoles_fevrier', ['2026-02-20'])
const ESTIMATED = schoolCall('test_ecoles_estime', ['2026-04-20'], { estimated: true })
/** Reaches J-30 the day after CALL. */
const LATER = schoolCall('test_ecoles_avril_bis', ['2026-04-16'])
const IDS = [CALL.id, PAST.id, ESTIMATED.id]

let env: AlertsEnv | undefined
afterEach(() => env?.dispose())

async function subscribe(e: AlertsEnv, over: { leadTimes?: number[]; newCalls?: 'daily' | 'weekly' | 'off'; programmes?: string[]; themes?: ('ecoles' | 'sport')[] } = {}) {
  const created = await e.service.create({ profile: commune(), themes: over.themes ?? ['ecoles'], programmes: over.programmes ?? [], channels: { email: 'secretariat@vezelay.example' }, newCalls: over.newCalls ?? 'off', source: 'api', ...(over.leadTimes ? { leadTimes: over.leadTimes } : {}) })
  const confirm = e.mail.sent.at(-1)!.text.match(/https:\/\/\S+\/alerts\/confirm\?token=\S+/)![0]
  expect((await e.service.confirm(new URL(confirm).searchParams.get('token')!)).outcome).toBe('confirmed')
  return created.id
}

/** Runs the digest at `at` and returns the reminder-like rows about our test programmes sent by it. */
async function runAt(e: AlertsEnv, id: string, at: string): Promise<Delivery[]> {
  e.clock.set(at)
  const before = new Set((await e.store.deliveries(id)).filter((d) => d.state === 'sent').map((d) => d.id))
  await e.digest()
  return itemsAbout((await e.store.deliveries(id)).filter((d) => d.state === 'sent' && !before.has(d.id)), IDS)
}

const days = (from: string, to: string) => {
  const out: string[] = []
  for (let d = new Date(`${from}T12:00:00Z`); d <= new Date(`${to}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10))
  return out
}

describe('dueOffsets', () => {
  it('fires each lead time on its own day when the digest runs daily', () => {
    expect(dueOffsets([30, 7, 1], 1)).toEqual([{ k: 1, lead: 1 }, { k: 7, lead: 7 }, { k: 30, lead: 30 }])
  })
  it('catches up missed days, at the closest lead time only', () => {
    expect(dueOffsets([30, 7, 1], 3).filter((o) => o.lead === 7)).toEqual([{ k: 5, lead: 7 }, { k: 6, lead: 7 }, { k: 7, lead: 7 }])
    expect(dueOffsets([30, 7, 1], Number.POSITIVE_INFINITY)).toHaveLength(30)
  })
})

describe.each(['memory', 'sqlite'] as const)('over the %s store', (kind) => {
  describe('reminders', () => {
    it('are sent at J-30, J-7 and J-1 of each deadline, once each, over daily runs', async () => {
      env = alertsEnv({ store: kind, programmes: [CALL, PAST, ESTIMATED] })
      const id = await subscribe(env)
      const sent: Record<string, string[]> = {}
      for (const day of days('2026-03-01', '2026-04-20')) {
        const rows = await runAt(env, id, day)
        const reminders = rows.filter((r) => r.kind === 'reminder').map((r) => `${r.programmeId} J-${r.leadDays}`)
        if (reminders.length) sent[day] = reminders
      }
      expect(sent).toEqual({ '2026-03-16': ['test_ecoles_avril J-30'], '2026-04-08': ['test_ecoles_avril J-7'], '2026-04-14': ['test_ecoles_avril J-1'] })
    })

    it('fire when the Paris day changes, not the UTC one', async () => {
      env = alertsEnv({ store: kind, programmes: [CALL] })
      const id = await subscribe(env)
      await runAt(env, id, '2026-03-01')
      // 23:30 on the 15th in Paris: J-31, nothing yet.
      expect(await runAt(env, id, '2026-03-15T23:30:00+01:00')).toEqual([])
      // 22:50 UTC on the 15th is 23:50 in Paris: still the 15th.
      expect(await runAt(env, id, '2026-03-15T22:50:00Z')).toEqual([])
      // 23:10 UTC on the 15th is 00:10 on the 16th in Paris: J-30.
      const rows = await runAt(env, id, '2026-03-15T23:10:00Z')
      expect(rows.map((r) => [r.kind, r.leadDays, r.deadline])).toEqual([['reminder', 30, '2026-04-15']])
    })

    it('send nothing new when the digest runs again the same day, or twice in a row', async () => {
      env = alertsEnv({ store: kind, programmes: [CALL] })
      const id = await subscribe(env)
      expect(await runAt(env, id, '2026-03-16T07:00:00+01:00')).toHaveLength(1)
      const mails = env.mail.sent.length
      expect(await runAt(env, id, '2026-03-16T07:00:00+01:00')).toEqual([])
      expect(await runAt(env, id, '2026-03-16T18:00:00+01:00')).toEqual([])
      expect(env.mail.sent.length).toBe(mails)
    })

    it('for a late subscription, send only the closest lead time, then the next ones', async () => {
      env = alertsEnv({ store: kind, start: '2026-04-10', programmes: [CALL] })
      const id = await subscribe(env)
      const first = await runAt(env, id, '2026-04-10')
      expect(first.map((r) => `${r.kind} J-${r.leadDays}`)).toEqual(['reminder J-7'])
      expect(env.mail.sent.at(-1)!.text).toContain('clôture le 15 avril 2026, dans 5 jours (J-5)')
      expect(await runAt(env, id, '2026-04-11')).toEqual([])
      expect((await runAt(env, id, '2026-04-14')).map((r) => r.leadDays)).toEqual([1])
    })

    it('never fire for a deadline that has passed, nor on the deadline day itself', async () => {
      env = alertsEnv({ store: kind, start: '2026-04-15', programmes: [CALL, PAST] })
      const id = await subscribe(env)
      expect(await runAt(env, id, '2026-04-15')).toEqual([])
      expect(await runAt(env, id, '2026-04-16')).toEqual([])
    })

    it('honour custom lead times', async () => {
      env = alertsEnv({ store: kind, programmes: [CALL] })
      const id = await subscribe(env, { leadTimes: [14, 3] })
      const fired: string[] = []
      for (const day of days('2026-03-01', '2026-04-15')) for (const r of await runAt(env, id, day)) fired.push(`${day} J-${r.leadDays}`)
      expect(fired).toEqual(['2026-04-01 J-14', '2026-04-12 J-3'])
    })

    it('leave out programmes the collectivité cannot apply to, unless followed', async () => {
      const regional = { ...schoolCall('test_ecoles_occitanie', ['2026-04-15']), eligibility: { ...CALL.eligibility, territory: { label: 'Région Occitanie', regions: ['76'] } } }
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [regional] })
      const id = await subscribe(env)
      expect(itemsAbout(await env.store.deliveries(id), [regional.id])).toEqual([])
      await env.digest()
      expect(itemsAbout(await env.store.deliveries(id), [regional.id])).toEqual([])
      const follower = await subscribe(env, { programmes: [regional.id] })
      await env.digest()
      expect(itemsAbout(await env.store.deliveries(follower), [regional.id]).map((d) => d.kind)).toEqual(['reminder'])
    })
  })

  describe('calls that are closed or suspended', () => {
    it('are watched: once a new edition is known, its deadline is reminded', async () => {
      // An annual call whose 2024 edition closed and whose 2025 edition never came: closed on 2026-03-16.
      const closed = { ...schoolCall('test_ecoles_annuel', ['2024-04-15'], { opensAt: '2024-01-05' }), calendar: { kind: 'recurring' as const, editions: [{ label: '2024', opensAt: '2024-01-05', deadlines: ['2024-04-15'], estimated: false }] } }
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [closed] })
      const id = await subscribe(env)
      await env.digest()
      expect(itemsAbout(await env.store.deliveries(id), [closed.id])).toEqual([])
      // The funder publishes a 2026 edition: the same subscription is reminded at J-30.
      const renewed = { ...closed, calendar: { ...closed.calendar, editions: [...closed.calendar.editions, { label: '2026', opensAt: '2026-03-01', deadlines: ['2026-04-16'], estimated: false }] } }
      env.catalogue.current = (await import('./helpers.ts')).catalogueWith([renewed])
      env.clock.set('2026-03-17')
      await env.digest()
      expect(itemsAbout(await env.store.deliveries(id), [closed.id]).map((d) => d.kind)).toEqual(['reminder'])
    })

    it('a suspended programme is not reminded to a theme subscription during its suspension', async () => {
      const suspended = { ...schoolCall('test_ecoles_suspendu', ['2026-04-15']), suspension: { from: '2026-01-01', note: 'dispositif en refonte' } }
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [suspended] })
      const id = await subscribe(env)
      await env.digest()
      expect(itemsAbout(await env.store.deliveries(id), [suspended.id])).toEqual([])
    })
  })

  describe('estimated dates', () => {
    it('are announced once, at the largest lead time, as estimates', async () => {
      env = alertsEnv({ store: kind, programmes: [ESTIMATED] })
      const id = await subscribe(env)
      const fired: string[] = []
      for (const day of days('2026-03-01', '2026-04-20')) for (const r of await runAt(env, id, day)) fired.push(`${day} ${r.kind} J-${r.leadDays}`)
      expect(fired).toEqual(['2026-03-21 estimate J-30'])
      const mail = env.mail.sent.find((m) => m.text.includes(ESTIMATED.name))!
      expect(mail.text).toContain('clôture attendue vers le 20 avril 2026')
      expect(mail.text).toContain('à confirmer auprès du financeur')
      expect(mail.text).not.toMatch(new RegExp(`${ESTIMATED.name}[^\\n]*clôture le`))
    })
  })

  describe('crash between record and send', () => {
    it('leaves the rows pending, and the next run sends them exactly once', async () => {
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [CALL] })
      const id = await subscribe(env)
      const mailsBefore = env.mail.sent.length
      await expect(
        env.digest({
          hooks: {
            afterRecord() {
              throw new Error('simulated crash after the ledger write')
            },
          },
        }),
      ).rejects.toThrow('simulated crash')
      expect(env.mail.sent.length).toBe(mailsBefore)
      expect(itemsAbout(await env.store.deliveries(id), [CALL.id]).map((d) => d.state)).toEqual(['pending'])

      // The process comes back (same day, later): the pending row goes out once.
      env.clock.set('2026-03-16T10:00:00+01:00')
      await env.digest()
      await env.digest()
      env.clock.set('2026-03-17')
      await env.digest()
      const about = env.mail.sent.slice(mailsBefore).filter((m) => m.text.includes(CALL.name))
      expect(about).toHaveLength(1)
      expect(itemsAbout(await env.store.deliveries(id), [CALL.id]).map((d) => [d.state, d.attempts])).toEqual([['sent', 1]])
    })
  })

  describe('crash between send and mark', () => {
    it('re-sends the same message with the same id, and a message id is never reused for other rows', async () => {
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [CALL] })
      const id = await subscribe(env)
      const mailsBefore = env.mail.sent.length
      await expect(
        env.digest({
          hooks: {
            afterSend() {
              throw new Error('simulated crash after the send, before the mark')
            },
          },
        }),
      ).rejects.toThrow('simulated crash')
      const first = env.mail.sent.slice(mailsBefore)
      expect(first).toHaveLength(1)
      const rows = itemsAbout(await env.store.deliveries(id), [CALL.id])
      expect(rows.map((d) => d.state)).toEqual(['pending'])
      expect(first[0]!.messageId).toBe(rows[0]!.messageId)

      // The next day brings new rows too (another programme's J-30): they go in a message of their
      // own, and the left-over goes out as it was — same rows, same id.
      env.catalogue.current = catalogueWith([CALL, LATER])
      env.clock.set('2026-03-17')
      await env.digest()
      const after = env.mail.sent.slice(mailsBefore + 1)
      const again = after.filter((m) => m.messageId === first[0]!.messageId)
      expect(again).toHaveLength(1)
      expect(again[0]!.text).toContain(CALL.name)
      expect(again[0]!.text).not.toContain(LATER.name)
      const other = after.filter((m) => m.text.includes(LATER.name))
      expect(other).toHaveLength(1)
      expect(other[0]!.messageId).not.toBe(first[0]!.messageId)
      const all = itemsAbout(await env.store.deliveries(id), [CALL.id, LATER.id])
      expect(all.map((d) => [d.programmeId, d.state, d.messageId === first[0]!.messageId])).toEqual([
        [CALL.id, 'sent', true],
        [LATER.id, 'sent', false],
      ])
      // Nothing more.
      await env.digest()
      expect(env.mail.sent.length).toBe(mailsBefore + 1 + after.length)
    })

    it('keeps the id of a failed message on its retries', async () => {
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [CALL] })
      const id = await subscribe(env)
      const ids: (string | undefined)[] = []
      let failures = 2
      env.senders.email = {
        kind: 'memory',
        async send(mail) {
          if (mail.text.includes(CALL.name)) ids.push(mail.messageId)
          if (failures-- > 0) throw new DeliveryFailedError('SMTP 451: try again later')
          return {}
        },
      }
      await env.digest()
      env.clock.set('2026-03-16T09:20:00+01:00')
      await env.digest({ retriesOnly: true })
      env.clock.set('2026-03-17')
      await env.digest()
      expect(ids).toHaveLength(3)
      expect(new Set(ids).size).toBe(1)
      expect(itemsAbout(await env.store.deliveries(id), [CALL.id]).map((d) => [d.state, d.messageId])).toEqual([['sent', ids[0]]])
    })
  })

  describe('failed sends', () => {
    it('are retried on the next runs until they succeed, never twice', async () => {
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [CALL] })
      const id = await subscribe(env)
      let failures = 2
      const sent: OutgoingMail[] = []
      env.senders.email = {
        kind: 'memory',
        async send(mail) {
          if (failures-- > 0) throw new DeliveryFailedError('SMTP 451: try again later')
          sent.push(mail)
          return {}
        },
      }
      const report = await env.digest()
      expect(report.rows.failed).toBeGreaterThan(0)
      let rows = itemsAbout(await env.store.deliveries(id), [CALL.id])
      expect(rows.map((d) => [d.state, d.attempts, d.lastError])).toEqual([['failed', 1, 'DeliveryFailedError: SMTP 451: try again later']])
      // Not due again before its retry time.
      await env.digest({ retriesOnly: true })
      expect(itemsAbout(await env.store.deliveries(id), [CALL.id])[0]!.attempts).toBe(1)
      env.clock.set('2026-03-16T09:20:00+01:00')
      await env.digest({ retriesOnly: true })
      rows = itemsAbout(await env.store.deliveries(id), [CALL.id])
      expect(rows.map((d) => [d.state, d.attempts])).toEqual([['failed', 2]])
      env.clock.set('2026-03-17')
      await env.digest()
      await env.digest()
      rows = itemsAbout(await env.store.deliveries(id), [CALL.id])
      expect(rows.map((d) => [d.state, d.attempts])).toEqual([['sent', 3]])
      expect(sent.filter((m) => m.text.includes(CALL.name))).toHaveLength(1)
      // Told on the day it went out: 29 days left, not 30.
      expect(sent.find((m) => m.text.includes(CALL.name))!.text).toContain('dans 29 jours')
    })

    it('expire once the deadline has passed', async () => {
      env = alertsEnv({ store: kind, start: '2026-04-14', programmes: [CALL] })
      const id = await subscribe(env)
      env.senders.email = {
        kind: 'memory',
        async send() {
          throw new DeliveryFailedError('SMTP 421: unavailable')
        },
      }
      await env.digest()
      expect(itemsAbout(await env.store.deliveries(id), [CALL.id]).map((d) => d.state)).toEqual(['failed'])
      env.clock.set('2026-04-15')
      await env.digest()
      expect(itemsAbout(await env.store.deliveries(id), [CALL.id]).map((d) => d.state)).toEqual(['failed'])
      env.clock.set('2026-04-16')
      const report = await env.digest()
      expect(report.rows.expired).toBeGreaterThan(0)
      expect(itemsAbout(await env.store.deliveries(id), [CALL.id]).map((d) => d.state)).toEqual(['expired'])
    })
  })

  describe('double opt-in', () => {
    it('sends nothing but the confirmation before the address is confirmed, then what is due', async () => {
      env = alertsEnv({ store: kind, start: '2026-04-10', programmes: [CALL] })
      const created = await env.service.create({ profile: commune(), themes: ['ecoles'], channels: { email: 'mairie@vezelay.example' }, newCalls: 'off', source: 'api' })
      expect(created.status).toBe('pending_confirmation')
      await env.digest()
      env.clock.set('2026-04-11')
      await env.digest()
      expect(env.mail.sent.map((m) => m.subject)).toEqual(['Confirmez votre abonnement aux alertes Guichet'])
      const token = new URL(env.mail.sent[0]!.text.match(/https:\/\/\S+confirm\?token=\S+/)![0]).searchParams.get('token')!
      await env.service.confirm(token)
      await env.digest()
      expect(env.mail.sent.at(-1)!.text).toContain('dans 4 jours (J-4)')
    })
  })

  describe('new programmes', () => {
    it('are announced daily or weekly, once, from the day they appear', async () => {
      env = alertsEnv({ store: kind, programmes: [] })
      const daily = await subscribe(env, { newCalls: 'daily' })
      const weekly = await subscribe(env, { newCalls: 'weekly' })
      await env.digest() // baseline: the catalogue Guichet starts with is not news
      const fresh = schoolCall('test_ecoles_nouveau', ['2026-09-30'])
      env.clock.set('2026-03-04')
      env.catalogue.current = (await import('./helpers.ts')).catalogueWith([fresh])
      await env.digest()
      const news = async (id: string) => itemsAbout(await env!.store.deliveries(id), [fresh.id]).filter((d) => d.kind === 'new_programme' && d.state === 'sent')
      expect(await news(daily)).toHaveLength(1)
      expect(await news(weekly)).toHaveLength(0)
      env.clock.set('2026-03-07')
      await env.digest()
      expect(await news(weekly)).toHaveLength(1)
      env.clock.set('2026-03-14')
      await env.digest()
      expect(await news(weekly)).toHaveLength(1)
      expect(await news(daily)).toHaveLength(1)
    })
  })

  describe('changes to followed programmes', () => {
    it('are told once to the subscriptions that follow them', async () => {
      env = alertsEnv({ store: kind, programmes: [CALL] })
      const follower = await subscribe(env, { programmes: [CALL.id], themes: ['sport'] })
      const other = await subscribe(env, { themes: ['sport'] })
      const events = createMemoryChangeEventSource()
      await env.digest({ events })
      events.push({ programmeId: CALL.id, kind: 'deadline_moved', before: { deadline: '2026-04-15' }, after: { deadline: '2026-04-30' }, at: '2026-03-02T03:00:00Z' })
      events.push({ programmeId: CALL.id, kind: 'updated', before: {}, after: {}, at: '2026-03-02T03:00:00Z' })
      env.clock.set('2026-03-02')
      await env.digest({ events })
      await env.digest({ events })
      const changes = itemsAbout(await env.store.deliveries(follower), [CALL.id]).filter((d) => d.kind === 'deadline_moved')
      expect(changes.map((d) => d.state)).toEqual(['sent'])
      expect(env.mail.sent.at(-1)!.text).toContain('date limite déplacée du 15 avril 2026 au 30 avril 2026')
      expect(itemsAbout(await env.store.deliveries(other), [CALL.id])).toEqual([])
    })
  })

  describe('one digest per subscription per run', () => {
    it('groups every item of a run into one message per channel', async () => {
      const other = schoolCall('test_ecoles_avril_bis', ['2026-04-15', '2026-06-30'])
      env = alertsEnv({ store: kind, start: '2026-03-16', programmes: [CALL, other] })
      await subscribe(env)
      const before = env.mail.sent.length
      await env.digest()
      const mails = env.mail.sent.slice(before)
      expect(mails).toHaveLength(1)
      expect(mails[0]!.subject).toMatch(/^Guichet : \d+ échéances/)
      expect(mails[0]!.text).toContain(CALL.name)
      expect(mails[0]!.text).toContain(other.name)
    })
  })
})
