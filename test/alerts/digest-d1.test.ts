// The digest over the Workers runtime's store: the SQL AlertsStore on D1 (Miniflare), with the TTL
// lease. What matters on D1 is what the batches must keep without interactive transactions:
// reminders once each, a left-over re-sent under the message id fixed before its first send,
// a failed message keeping its id over its retries, and a second run turned away by the lease.
import { afterEach, describe, expect, it } from 'vitest'
import type { Delivery } from '../../bot/alerts/delivery.ts'
import { DeliveryFailedError } from '../../bot/alerts/senders.ts'
import { alertsEnv, catalogueWith, commune, itemsAbout, schoolCall, type AlertsEnv } from './helpers.ts'

const CALL = schoolCall('test_ecoles_avril', ['2026-04-15'])
/** Reaches J-30 the day after CALL. */
const LATER = schoolCall('test_ecoles_avril_bis', ['2026-04-16'])

let env: AlertsEnv | undefined
afterEach(() => env?.dispose())

async function subscribe(e: AlertsEnv): Promise<string> {
  const created = await e.service.create({ profile: commune(), themes: ['ecoles'], programmes: [], channels: { email: 'secretariat@vezelay.example' }, newCalls: 'off', source: 'api' })
  const confirm = e.mail.sent.at(-1)!.text.match(/https:\/\/\S+\/alerts\/confirm\?token=\S+/)![0]
  expect((await e.service.confirm(new URL(confirm).searchParams.get('token')!)).outcome).toBe('confirmed')
  return created.id
}

const sentAbout = async (e: AlertsEnv, id: string, programmes: string[]): Promise<Delivery[]> => itemsAbout((await e.store.deliveries(id)).filter((d) => d.state === 'sent'), programmes)

describe('the digest over D1 (Miniflare), TTL lease', () => {
  it('sends J-30, J-7 and J-1 once each, and nothing on a second run the same day', async () => {
    env = alertsEnv({ store: 'd1', programmes: [CALL] })
    const id = await subscribe(env)
    const fired: string[] = []
    for (const day of ['2026-03-15', '2026-03-16', '2026-03-16T18:00:00+01:00', '2026-04-07', '2026-04-08', '2026-04-14', '2026-04-15']) {
      env.clock.set(day)
      const before = (await sentAbout(env, id, [CALL.id])).length
      await env.digest()
      for (const d of (await sentAbout(env, id, [CALL.id])).slice(before)) fired.push(`${day} J-${d.leadDays}`)
    }
    expect(fired).toEqual(['2026-03-16 J-30', '2026-04-08 J-7', '2026-04-14 J-1'])
    expect(env.mail.sent.filter((m) => m.text.includes(CALL.name))).toHaveLength(3)
  }, 30_000)

  it('a crash between send and mark: the next run re-sends that message under its id, new rows in another', async () => {
    env = alertsEnv({ store: 'd1', start: '2026-03-16', programmes: [CALL] })
    const id = await subscribe(env)
    const mailsBefore = env.mail.sent.length
    const crash = () => {
      throw new Error('simulated crash after the send, before the mark')
    }
    await expect(env.digest({ hooks: { afterSend: crash } })).rejects.toThrow('simulated crash')
    const [first] = env.mail.sent.slice(mailsBefore)
    const [row] = itemsAbout(await env.store.deliveries(id), [CALL.id])
    expect(row).toMatchObject({ state: 'pending', messageId: first!.messageId })

    env.catalogue.current = catalogueWith([CALL, LATER])
    env.clock.set('2026-03-17')
    await env.digest()
    const after = env.mail.sent.slice(mailsBefore + 1)
    expect(after.filter((m) => m.messageId === first!.messageId).map((m) => [m.text.includes(CALL.name), m.text.includes(LATER.name)])).toEqual([[true, false]])
    const other = after.filter((m) => m.text.includes(LATER.name))
    expect(other).toHaveLength(1)
    expect(other[0]!.messageId).not.toBe(first!.messageId)
    expect((await sentAbout(env, id, [CALL.id, LATER.id])).map((d) => [d.programmeId, d.messageId === first!.messageId])).toEqual([
      [CALL.id, true],
      [LATER.id, false],
    ])
  }, 30_000)

  it('a failed message keeps its id over its retries', async () => {
    env = alertsEnv({ store: 'd1', start: '2026-03-16', programmes: [CALL] })
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
    expect(itemsAbout(await env.store.deliveries(id), [CALL.id]).map((d) => [d.state, d.attempts, d.messageId])).toEqual([['sent', 3, ids[0]]])
  }, 30_000)

  it('a second run while the first holds the lease is turned away, and sends nothing', async () => {
    env = alertsEnv({ store: 'd1', start: '2026-03-16', programmes: [CALL] })
    await subscribe(env)
    const mailsBefore = env.mail.sent.length
    expect(await env.store.acquireLock('cron-other-invocation', new Date(), 60_000)).toBe(true)
    expect((await env.digest()).skipped).toBe('locked')
    expect(env.mail.sent.length).toBe(mailsBefore)
    await env.store.releaseLock('cron-other-invocation')
    expect((await env.digest()).skipped).toBeUndefined()
    expect(env.mail.sent.slice(mailsBefore).filter((m) => m.text.includes(CALL.name))).toHaveLength(1)
  }, 30_000)
})
