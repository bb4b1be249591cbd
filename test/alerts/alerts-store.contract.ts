// The AlertsStore contract: what every implementation (in memory; the SQL store on SQLite and on
// D1) must do, in the words of the port's doc comments (bot/alerts/alerts-store.ts), on a commune
// that follows the DETR. Run by test/alerts/alerts-store.test.ts on each; each test gets a fresh store.
import { beforeEach, describe, expect, it } from 'vitest'
import { BASELINE_DAY, type AlertsStore, type DigestRecord } from '../../bot/alerts/alerts-store.ts'
import type { Delivery, DigestItem, NewDelivery, ProgrammeRef } from '../../bot/alerts/delivery.ts'
import type { ChannelKind, Subscription } from '../../bot/alerts/subscription.ts'
import { commune } from '../builders/programme.ts'

const NOW = '2026-03-01T08:00:00.000Z'
const LATER = '2026-03-01T08:30:00.000Z'
const TOMORROW = '2026-03-02T08:00:00.000Z'
const DETR_DEADLINE = '2026-03-31'

const DETR: ProgrammeRef = {
  id: 'detr_yonne_2026',
  name: "Dotation d'équipement des territoires ruraux (DETR) — Yonne 2026",
  shortName: 'DETR',
  funder: "Préfecture de l'Yonne",
  url: 'https://www.yonne.gouv.fr/detr',
  applyUrl: 'https://www.demarches-simplifiees.fr/commencer/detr-yonne-2026',
}
const DSIL: ProgrammeRef = { id: 'dsil_2026', name: "Dotation de soutien à l'investissement local (DSIL)", shortName: 'DSIL', funder: 'Préfecture de région', url: 'https://www.prefectures-regions.gouv.fr/dsil' }

/** Vézelay's subscription: e-mail confirmed, a Teams conversation and a confirmed webhook. */
function subscription(id: string, over: Partial<Subscription> = {}): Subscription {
  return {
    id,
    createdAt: '2026-02-15T10:00:00.000Z',
    source: 'api',
    profile: commune(420, {
      name: 'Vézelay',
      code: '89446',
      departement: { code: '89', name: 'Yonne' },
      region: { code: '27', name: 'Bourgogne-Franche-Comté' },
      epci: { siren: '200067320', name: 'CC Avallon-Vézelay-Morvan', kind: 'CC' },
    }),
    facts: { applicantType: 'commune', stage: 'etude' },
    themes: ['ecoles', 'renovation_energetique'],
    programmes: [DETR.id],
    leadTimes: [30, 7, 1],
    newCalls: 'weekly',
    channels: {
      email: { address: 'mairie@vezelay.fr', confirmedAt: '2026-02-15T10:05:00.000Z', disabledAt: null, disabledReason: null },
      teams: { conversationId: '19:mairie-vezelay@thread.tacv2', disabledAt: null, disabledReason: null },
      webhook: { url: 'https://crm.vezelay.fr/hooks/guichet', confirmedAt: '2026-02-15T10:06:00.000Z', disabledAt: null, disabledReason: null },
    },
    lastDigestDay: null,
    newCallsSince: '2026-02-15',
    unsubscribedAt: null,
    ...over,
  }
}

/** A DETR reminder for one channel at one lead time. */
function reminder(subscriptionId: string, channel: ChannelKind, leadDays = 30, programme: ProgrammeRef = DETR, deadline = DETR_DEADLINE): NewDelivery {
  const item: DigestItem = { kind: 'reminder', programme, deadline, leadDays }
  return { subscriptionId, channel, programmeId: programme.id, kind: 'reminder', deadline, leadDays, expiresOn: deadline, item }
}

function confirmation(subscriptionId: string, channel: ChannelKind = 'email'): NewDelivery {
  return { subscriptionId, channel, programmeId: '', kind: 'confirm', deadline: '', leadDays: 0, expiresOn: '2026-03-15', item: { kind: 'confirm' } }
}

const ids = (rows: readonly Pick<Delivery, 'id'>[]) => rows.map((r) => r.id).sort((a, b) => a - b)
const keyOf = (d: Pick<NewDelivery, 'channel' | 'programmeId' | 'leadDays'>) => `${d.channel}/${d.programmeId}/J-${d.leadDays}`

export function runAlertsStoreContract(name: string, makeStore: () => Promise<AlertsStore>): void {
  describe(`AlertsStore contract: ${name}`, () => {
    let store: AlertsStore

    beforeEach(async () => {
      store = await makeStore()
    })

    /** Records rows for one subscription (no progress, no left-overs) and returns them, with their ids. */
    async function recorded(subscriptionId: string, rows: NewDelivery[], now = NOW): Promise<Delivery[]> {
      const out = await store.recordDigests([{ subscriptionId, rows }], now)
      return out.get(subscriptionId)!.due
    }
    const find = async (subscriptionId: string, id: number) => (await store.deliveries(subscriptionId)).find((d) => d.id === id)

    describe('subscriptions', () => {
      it('gives back a created subscription as it was, and nothing for an unknown id', async () => {
        const s = subscription('sub-vezelay')
        await store.createSubscription(s)
        expect(await store.getSubscription('sub-vezelay')).toEqual(s)
        expect(await store.getSubscription('sub-avallon')).toBeUndefined()
      })

      it('saveSubscription replaces the stored subscription, progress included', async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        const changed = subscription('sub-vezelay', {
          themes: ['eclairage_public'],
          leadTimes: [15],
          newCalls: 'off',
          channels: { email: { address: 'secretariat@vezelay.fr', confirmedAt: null, disabledAt: null, disabledReason: null } },
          lastDigestDay: '2026-02-28',
          newCallsSince: '2026-02-28',
        })
        await store.saveSubscription(changed)
        expect(await store.getSubscription('sub-vezelay')).toEqual(changed)
      })

      it('lists every subscription not unsubscribed', async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.createSubscription(subscription('sub-avallon', { profile: commune(6500, { name: 'Avallon', code: '89025' }) }))
        await store.createSubscription(subscription('sub-gone', { unsubscribedAt: '2026-02-20T12:00:00.000Z', channels: {} }))
        const listed = await store.listSubscriptions()
        expect(listed.map((s) => s.id).sort()).toEqual(['sub-avallon', 'sub-vezelay'])
        expect(listed.find((s) => s.id === 'sub-avallon')!.profile.name).toBe('Avallon')
      })

      it('an unsubscribed subscription leaves the list once saved as such, but can still be read', async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.saveSubscription(subscription('sub-vezelay', { unsubscribedAt: '2026-03-01T09:00:00.000Z', channels: {} }))
        expect(await store.listSubscriptions()).toEqual([])
        expect((await store.getSubscription('sub-vezelay'))?.unsubscribedAt).toBe('2026-03-01T09:00:00.000Z')
      })

      it('deleteSubscription erases it and its rows still to send, and says whether it existed', async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.createSubscription(subscription('sub-avallon'))
        const [sent, failed, pending] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'webhook', 30), reminder('sub-vezelay', 'teams', 30)])
        await store.markSent([sent!.id], NOW)
        await store.markFailed([failed!.id], { at: NOW, error: 'HTTP 503', nextAttemptAt: LATER })
        const kept = await recorded('sub-avallon', [reminder('sub-avallon', 'email', 30)])

        expect(await store.deleteSubscription('sub-vezelay')).toBe(true)
        expect(await store.getSubscription('sub-vezelay')).toBeUndefined()
        expect((await store.listSubscriptions()).map((s) => s.id)).toEqual(['sub-avallon'])
        // Nothing left to send to it; its sent history may stay until the next purge.
        const left = await store.deliveries('sub-vezelay')
        expect(left.filter((d) => d.state === 'pending' || d.state === 'failed')).toEqual([])
        expect(left.map((d) => d.id)).not.toContain(pending!.id)
        expect(left.map((d) => d.id)).not.toContain(failed!.id)
        expect(await store.dueSubscriptionIds(TOMORROW)).toEqual(new Set(['sub-avallon']))
        expect(await store.dueDeliveries('sub-vezelay', TOMORROW)).toEqual([])
        expect(await store.adminDelivery(pending!.id)).toBeUndefined()
        // The other commune keeps its rows.
        expect(ids(await store.dueDeliveries('sub-avallon', NOW))).toEqual(ids(kept))

        expect(await store.deleteSubscription('sub-vezelay')).toBe(false)
        expect(await store.deleteSubscription('sub-never-was')).toBe(false)
      })

      it('deleteSubscription erases its progress: the same id can start afresh', async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.saveProgress([{ subscriptionId: 'sub-vezelay', lastDigestDay: '2026-02-28', newCallsSince: '2026-02-28' }])
        await store.deleteSubscription('sub-vezelay')
        const again = subscription('sub-vezelay', { lastDigestDay: null, newCallsSince: '2026-03-01' })
        await store.createSubscription(again)
        expect(await store.getSubscription('sub-vezelay')).toEqual(again)
      })
    })

    describe('recordDigests', () => {
      beforeEach(async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.createSubscription(subscription('sub-avallon', { profile: commune(6500, { name: 'Avallon', code: '89025' }) }))
      })

      it('inserts the rows as pending and returns them as due, with what they say', async () => {
        const rows = [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'webhook', 30)]
        const out = await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows }], NOW)
        const { inserted, due } = out.get('sub-vezelay')!
        expect(inserted).toBe(2)
        expect(due.map(keyOf).sort()).toEqual(['email/detr_yonne_2026/J-30', 'webhook/detr_yonne_2026/J-30'])
        for (const d of due) {
          expect(d).toMatchObject({ subscriptionId: 'sub-vezelay', kind: 'reminder', deadline: DETR_DEADLINE, leadDays: 30, expiresOn: DETR_DEADLINE, state: 'pending', attempts: 0, lastError: null, nextAttemptAt: null, createdAt: NOW, sentAt: null })
          expect(d.item).toEqual({ kind: 'reminder', programme: DETR, deadline: DETR_DEADLINE, leadDays: 30 })
        }
        expect(ids(await store.deliveries('sub-vezelay'))).toEqual(ids(due))
      })

      it('inserts only the rows not already in the ledger, and without left-overs returns only the new ones', async () => {
        const first = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30)])
        // The next day: the J-30 row is still pending (a crash before sending), the J-7 one is new.
        const out = await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows: [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'email', 7)] }], TOMORROW)
        const { inserted, due } = out.get('sub-vezelay')!
        expect(inserted).toBe(1)
        expect(due.map(keyOf)).toEqual(['email/detr_yonne_2026/J-7'])
        expect(due[0]!.id).not.toBe(first[0]!.id)
        expect(await store.deliveries('sub-vezelay')).toHaveLength(2)
      })

      it('a key already sent is never inserted again', async () => {
        const [row] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30)])
        await store.markSent([row!.id], NOW)
        const out = await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows: [reminder('sub-vezelay', 'email', 30)], leftovers: true }], TOMORROW)
        expect(out.get('sub-vezelay')).toEqual({ inserted: 0, due: [] })
        expect(await store.deliveries('sub-vezelay')).toHaveLength(1)
      })

      it('with left-overs returns the new rows and every due row (pending, failed and due), not the rest', async () => {
        const [pending, failedDue, failedLater, sent, cancelled] = await recorded('sub-vezelay', [
          reminder('sub-vezelay', 'email', 30),
          reminder('sub-vezelay', 'webhook', 30),
          reminder('sub-vezelay', 'teams', 30),
          reminder('sub-vezelay', 'email', 30, DSIL, '2026-04-15'),
          reminder('sub-vezelay', 'webhook', 30, DSIL, '2026-04-15'),
        ])
        await store.markFailed([failedDue!.id], { at: NOW, error: 'HTTP 502', nextAttemptAt: LATER })
        await store.markFailed([failedLater!.id], { at: NOW, error: 'Teams 429', nextAttemptAt: '2026-03-02T12:00:00.000Z' })
        await store.markSent([sent!.id], NOW)
        await store.cancelDeliveries([cancelled!.id], 'webhook disabled')

        const out = await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows: [reminder('sub-vezelay', 'email', 7)], leftovers: true }], TOMORROW)
        const { inserted, due } = out.get('sub-vezelay')!
        expect(inserted).toBe(1)
        const fresh = due.find((d) => d.leadDays === 7)!
        expect(fresh).toMatchObject({ state: 'pending', createdAt: TOMORROW })
        expect(ids(due)).toEqual(ids([pending!, failedDue!, fresh]))
      })

      it('moves the progress in the same call', async () => {
        await store.recordDigests(
          [
            { subscriptionId: 'sub-vezelay', rows: [reminder('sub-vezelay', 'email', 30)], progress: { subscriptionId: 'sub-vezelay', lastDigestDay: '2026-03-01', newCallsSince: '2026-03-01' } },
            { subscriptionId: 'sub-avallon', rows: [], progress: { subscriptionId: 'sub-avallon', lastDigestDay: '2026-03-01', newCallsSince: '2026-02-22' } },
          ],
          NOW,
        )
        expect(await store.getSubscription('sub-vezelay')).toMatchObject({ lastDigestDay: '2026-03-01', newCallsSince: '2026-03-01' })
        expect(await store.getSubscription('sub-avallon')).toMatchObject({ lastDigestDay: '2026-03-01', newCallsSince: '2026-02-22' })
      })

      it('answers for each subscription of the batch', async () => {
        const batch: DigestRecord[] = [
          { subscriptionId: 'sub-vezelay', rows: [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'teams', 30)] },
          { subscriptionId: 'sub-avallon', rows: [reminder('sub-avallon', 'email', 30)] },
          { subscriptionId: 'sub-quiet', rows: [] },
        ]
        const out = await store.recordDigests(batch, NOW)
        expect([...out.keys()].sort()).toEqual(['sub-avallon', 'sub-quiet', 'sub-vezelay'])
        expect(out.get('sub-vezelay')!.inserted).toBe(2)
        expect(out.get('sub-vezelay')!.due.every((d) => d.subscriptionId === 'sub-vezelay')).toBe(true)
        expect(out.get('sub-avallon')!.due.map(keyOf)).toEqual(['email/detr_yonne_2026/J-30'])
        expect(out.get('sub-quiet')).toEqual({ inserted: 0, due: [] })
      })

      it('gives one message id per subscription and channel, written in the ledger', async () => {
        const out = await store.recordDigests(
          [
            { subscriptionId: 'sub-vezelay', rows: [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'email', 30, DSIL, '2026-04-15'), reminder('sub-vezelay', 'webhook', 30), reminder('sub-vezelay', 'webhook', 30, DSIL, '2026-04-15')] },
            { subscriptionId: 'sub-avallon', rows: [reminder('sub-avallon', 'email', 30)] },
          ],
          NOW,
        )
        const due = [...out.get('sub-vezelay')!.due, ...out.get('sub-avallon')!.due]
        expect(due.every((d) => typeof d.messageId === 'string' && d.messageId.length > 0)).toBe(true)
        const messageOf = (sub: string, channel: ChannelKind) => [...new Set(due.filter((d) => d.subscriptionId === sub && d.channel === channel).map((d) => d.messageId))]
        expect(messageOf('sub-vezelay', 'email')).toHaveLength(1)
        expect(messageOf('sub-vezelay', 'webhook')).toHaveLength(1)
        expect(new Set([messageOf('sub-vezelay', 'email')[0], messageOf('sub-vezelay', 'webhook')[0], messageOf('sub-avallon', 'email')[0]]).size).toBe(3)
        // Committed with the rows: a crash before sending finds them.
        const stored = await store.deliveries('sub-vezelay')
        for (const d of out.get('sub-vezelay')!.due) expect(stored.find((r) => r.id === d.id)!.messageId).toBe(d.messageId)
      })

      it('a left-over keeps its message id; a new row beside it gets another', async () => {
        const [first] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'webhook', 30)])
        const messageId = first!.messageId!
        expect(messageId).toBeTruthy()
        await store.markFailed([first!.id], { at: NOW, error: 'HTTP 503', nextAttemptAt: LATER })

        const out = await store.recordDigests([{ subscriptionId: 'sub-vezelay', rows: [reminder('sub-vezelay', 'webhook', 7)], leftovers: true }], TOMORROW)
        const due = out.get('sub-vezelay')!.due
        expect(due.find((d) => d.id === first!.id)!.messageId).toBe(messageId)
        const fresh = due.find((d) => d.leadDays === 7)!
        expect(fresh.messageId).toBeTruthy()
        expect(fresh.messageId).not.toBe(messageId)
        expect((await find('sub-vezelay', first!.id))!.messageId).toBe(messageId)
      })
    })

    describe('record', () => {
      beforeEach(async () => {
        await store.createSubscription(subscription('sub-vezelay', { channels: { email: { address: 'mairie@vezelay.fr', confirmedAt: null, disabledAt: null, disabledReason: null } } }))
      })

      it('records the confirmation without sending, with its message id, once', async () => {
        const [row, ...rest] = await store.record([confirmation('sub-vezelay')], NOW)
        expect(rest).toEqual([])
        expect(row).toMatchObject({ subscriptionId: 'sub-vezelay', channel: 'email', kind: 'confirm', state: 'pending', attempts: 0, createdAt: NOW, item: { kind: 'confirm' } })
        expect(row!.messageId).toBeTruthy()
        expect((await find('sub-vezelay', row!.id))!.messageId).toBe(row!.messageId)
        expect(await store.record([confirmation('sub-vezelay')], LATER)).toEqual([])
        expect(await store.deliveries('sub-vezelay')).toHaveLength(1)
      })

      it('a confirmation and a digest are two messages', async () => {
        const rows = await store.record([confirmation('sub-vezelay'), reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'email', 7)], NOW)
        expect(rows).toHaveLength(3)
        const confirm = rows.find((r) => r.kind === 'confirm')!
        const digest = rows.filter((r) => r.kind === 'reminder')
        expect(digest[0]!.messageId).toBeTruthy()
        expect(digest[1]!.messageId).toBe(digest[0]!.messageId)
        expect(confirm.messageId).toBeTruthy()
        expect(confirm.messageId).not.toBe(digest[0]!.messageId)
      })
    })

    it('saveProgress moves the progress of subscriptions that had nothing to send', async () => {
      await store.createSubscription(subscription('sub-vezelay'))
      await store.createSubscription(subscription('sub-avallon'))
      await store.saveProgress([
        { subscriptionId: 'sub-vezelay', lastDigestDay: '2026-03-01', newCallsSince: '2026-02-22' },
        { subscriptionId: 'sub-avallon', lastDigestDay: '2026-03-01', newCallsSince: '2026-03-01' },
      ])
      expect(await store.getSubscription('sub-vezelay')).toMatchObject({ lastDigestDay: '2026-03-01', newCallsSince: '2026-02-22' })
      expect(await store.getSubscription('sub-avallon')).toMatchObject({ lastDigestDay: '2026-03-01', newCallsSince: '2026-03-01' })
    })

    describe('due rows, sent and failed', () => {
      beforeEach(async () => {
        for (const id of ['sub-vezelay', 'sub-avallon', 'sub-sens', 'sub-joigny']) await store.createSubscription(subscription(id))
      })

      it('dueSubscriptionIds: pending rows, failed rows whose next attempt has come; not later ones, not sent, not expired', async () => {
        await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30)])
        const [failed] = await recorded('sub-avallon', [reminder('sub-avallon', 'webhook', 30)])
        await store.markFailed([failed!.id], { at: NOW, error: 'HTTP 500', nextAttemptAt: LATER })
        const [sent] = await recorded('sub-sens', [reminder('sub-sens', 'email', 30)])
        await store.markSent([sent!.id], NOW)
        const [cancelled] = await recorded('sub-joigny', [reminder('sub-joigny', 'teams', 30)])
        await store.cancelDeliveries([cancelled!.id], 'Teams app uninstalled')

        expect(await store.dueSubscriptionIds(NOW)).toEqual(new Set(['sub-vezelay']))
        expect(await store.dueSubscriptionIds(LATER)).toEqual(new Set(['sub-vezelay', 'sub-avallon']))
      })

      it('dueDeliveries lists one subscription’s due rows only', async () => {
        const mine = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'teams', 30)])
        await recorded('sub-avallon', [reminder('sub-avallon', 'email', 30)])
        await store.markFailed([mine[1]!.id], { at: NOW, error: 'Teams 429', nextAttemptAt: LATER })
        expect(ids(await store.dueDeliveries('sub-vezelay', NOW))).toEqual([mine[0]!.id])
        expect(ids(await store.dueDeliveries('sub-vezelay', LATER))).toEqual(ids(mine))
        expect(await store.dueDeliveries('sub-inconnue', NOW)).toEqual([])
      })

      it('markSent: sent at that instant, one more attempt, no error, no longer due', async () => {
        const [row] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'webhook', 30)])
        await store.markFailed([row!.id], { at: NOW, error: 'HTTP 503', nextAttemptAt: NOW })
        await store.markSent([row!.id], LATER)
        expect(await find('sub-vezelay', row!.id)).toMatchObject({ state: 'sent', sentAt: LATER, attempts: 2, lastError: null, nextAttemptAt: null, messageId: row!.messageId })
        expect(await store.dueDeliveries('sub-vezelay', TOMORROW)).toEqual([])
        expect(await store.dueSubscriptionIds(TOMORROW)).toEqual(new Set())
      })

      it('markFailed: failed with the error, not due before the next attempt, due from it', async () => {
        const rows = await recorded('sub-vezelay', [reminder('sub-vezelay', 'webhook', 30), reminder('sub-vezelay', 'webhook', 30, DSIL, '2026-04-15')])
        await store.markFailed(ids(rows), { at: NOW, error: 'HTTP 503 Service Unavailable', nextAttemptAt: LATER })
        for (const r of rows) expect(await find('sub-vezelay', r.id)).toMatchObject({ state: 'failed', attempts: 1, lastError: 'HTTP 503 Service Unavailable', nextAttemptAt: LATER, sentAt: null })
        expect(await store.dueDeliveries('sub-vezelay', '2026-03-01T08:29:59.000Z')).toEqual([])
        expect(ids(await store.dueDeliveries('sub-vezelay', LATER))).toEqual(ids(rows))
        await store.markFailed([rows[0]!.id], { at: LATER, error: 'timeout', nextAttemptAt: TOMORROW })
        expect(await find('sub-vezelay', rows[0]!.id)).toMatchObject({ state: 'failed', attempts: 2, lastError: 'timeout', nextAttemptAt: TOMORROW })
      })

      it('a sent row stays sent: a late failure report does not make it due again', async () => {
        const [row] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30)])
        await store.markSent([row!.id], NOW)
        await store.markFailed([row!.id], { at: LATER, error: 'SMTP 451', nextAttemptAt: LATER })
        expect(await find('sub-vezelay', row!.id)).toMatchObject({ state: 'sent', sentAt: NOW, attempts: 1 })
        expect(await store.dueSubscriptionIds(TOMORROW)).toEqual(new Set())
      })
    })

    describe('expiring and cancelling', () => {
      beforeEach(async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.createSubscription(subscription('sub-avallon'))
      })

      it('expire: pending and failed rows whose day has passed; not the ones of today, not sent ones', async () => {
        const [pastPending, pastFailed, pastSent, today, future] = await recorded('sub-vezelay', [
          reminder('sub-vezelay', 'email', 1, DETR, '2026-02-27'),
          reminder('sub-vezelay', 'webhook', 1, DETR, '2026-02-27'),
          reminder('sub-vezelay', 'teams', 1, DETR, '2026-02-27'),
          reminder('sub-vezelay', 'email', 1, DSIL, '2026-03-01'),
          reminder('sub-vezelay', 'email', 30),
        ])
        await store.markFailed([pastFailed!.id], { at: NOW, error: 'HTTP 500', nextAttemptAt: LATER })
        await store.markSent([pastSent!.id], NOW)

        expect(await store.expire('2026-03-01')).toBe(2)
        const state = async (d: Delivery) => (await find('sub-vezelay', d.id))!.state
        expect(await state(pastPending!)).toBe('expired')
        expect(await state(pastFailed!)).toBe('expired')
        expect(await state(pastSent!)).toBe('sent')
        expect(await state(today!)).toBe('pending')
        expect(await state(future!)).toBe('pending')
        expect(await store.expire('2026-03-01')).toBe(0)
        expect(ids(await store.dueDeliveries('sub-vezelay', TOMORROW))).toEqual(ids([today!, future!]))
        // Expired by their day, unsent: lost that day; the sent one is not.
        expect((await find('sub-vezelay', pastPending!.id))!.lostOn).toBe('2026-03-01')
        expect((await find('sub-vezelay', pastFailed!.id))!.lostOn).toBe('2026-03-01')
        expect((await find('sub-vezelay', pastSent!.id))!.lostOn).toBeNull()
      })

      it('deliveryHealth: failed rows are failing; rows expired by their day are lost, cancelled ones are not; the latest lost with their address', async () => {
        const [lost, cancelled, failing, pending] = await recorded('sub-vezelay', [
          reminder('sub-vezelay', 'email', 1, DETR, '2026-02-27'),
          reminder('sub-vezelay', 'webhook', 1, DETR, '2026-02-27'),
          reminder('sub-vezelay', 'email', 30),
          reminder('sub-vezelay', 'teams', 30),
        ])
        expect(await store.deliveryHealth({ limit: 10 })).toEqual({ failing: 0, lost: 0, lostRows: [] })
        await store.cancelDeliveries([cancelled!.id], 'webhook gone (410)')
        await store.markFailed([failing!.id], { at: NOW, error: 'SMTP ECONNREFUSED', nextAttemptAt: LATER })
        await store.expire('2026-03-01')
        const health = await store.deliveryHealth({ limit: 10 })
        expect({ failing: health.failing, lost: health.lost }).toEqual({ failing: 1, lost: 1 })
        expect(health.lostRows.map((d) => d.id)).toEqual([lost!.id])
        expect(health.lostRows[0]).toMatchObject({ state: 'expired', lostOn: '2026-03-01', channel: 'email', deadline: '2026-02-27' })
        expect(health.lostRows[0]!.target).toContain('@')
        expect((await find('sub-vezelay', cancelled!.id))!.lostOn).toBeNull()
        expect((await find('sub-vezelay', pending!.id))!.lostOn).toBeNull()
        expect((await store.deliveryHealth({ limit: 0 })).lostRows).toEqual([])
      })

      it('cancelDeliveries: pending and failed rows expire with the reason; a sent row is left alone', async () => {
        const [pending, failed, sent] = await recorded('sub-vezelay', [confirmation('sub-vezelay'), reminder('sub-vezelay', 'webhook', 30), reminder('sub-vezelay', 'email', 30)])
        await store.markFailed([failed!.id], { at: NOW, error: 'HTTP 500', nextAttemptAt: LATER })
        await store.markSent([sent!.id], NOW)
        await store.cancelDeliveries([pending!.id, failed!.id, sent!.id], 'already confirmed')
        expect(await find('sub-vezelay', pending!.id)).toMatchObject({ state: 'expired', lastError: 'already confirmed' })
        expect(await find('sub-vezelay', failed!.id)).toMatchObject({ state: 'expired', lastError: 'already confirmed' })
        expect(await find('sub-vezelay', sent!.id)).toMatchObject({ state: 'sent', lastError: null })
        expect(await store.dueSubscriptionIds(TOMORROW)).toEqual(new Set())
      })

      it('cancelChannel: that channel’s pending and failed rows of that subscription expire, counted', async () => {
        const [email, webhookPending, webhookFailed, webhookSent] = await recorded('sub-vezelay', [
          reminder('sub-vezelay', 'email', 30),
          reminder('sub-vezelay', 'webhook', 30),
          reminder('sub-vezelay', 'webhook', 30, DSIL, '2026-04-15'),
          reminder('sub-vezelay', 'webhook', 7),
        ])
        await store.markFailed([webhookFailed!.id], { at: NOW, error: 'HTTP 410', nextAttemptAt: LATER })
        await store.markSent([webhookSent!.id], NOW)
        const [other] = await recorded('sub-avallon', [reminder('sub-avallon', 'webhook', 30)])

        expect(await store.cancelChannel('sub-vezelay', 'webhook', 'webhook gone (410)')).toBe(2)
        expect(await find('sub-vezelay', webhookPending!.id)).toMatchObject({ state: 'expired', lastError: 'webhook gone (410)' })
        expect(await find('sub-vezelay', webhookFailed!.id)).toMatchObject({ state: 'expired', lastError: 'webhook gone (410)' })
        expect((await find('sub-vezelay', webhookSent!.id))!.state).toBe('sent')
        expect((await find('sub-vezelay', email!.id))!.state).toBe('pending')
        expect((await find('sub-avallon', other!.id))!.state).toBe('pending')
      })

      it("cancelChannel 'all': every channel of that subscription", async () => {
        await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'teams', 30), reminder('sub-vezelay', 'webhook', 30)])
        await recorded('sub-avallon', [reminder('sub-avallon', 'email', 30)])
        expect(await store.cancelChannel('sub-vezelay', 'all', 'unsubscribed')).toBe(3)
        expect((await store.deliveries('sub-vezelay')).map((d) => [d.state, d.lastError])).toEqual([
          ['expired', 'unsubscribed'],
          ['expired', 'unsubscribed'],
          ['expired', 'unsubscribed'],
        ])
        expect(await store.dueSubscriptionIds(NOW)).toEqual(new Set(['sub-avallon']))
        expect(await store.cancelChannel('sub-vezelay', 'all', 'unsubscribed')).toBe(0)
      })
    })

    describe('retries from the back office', () => {
      let rows: Delivery[]
      beforeEach(async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        rows = await recorded('sub-vezelay', [
          reminder('sub-vezelay', 'webhook', 30),
          reminder('sub-vezelay', 'webhook', 7),
          reminder('sub-vezelay', 'email', 30),
          reminder('sub-vezelay', 'teams', 1, DETR, '2026-02-27'),
          reminder('sub-vezelay', 'email', 7),
          reminder('sub-vezelay', 'teams', 7),
        ])
        const [failedLater, failedDue, sent, expired, , cancelled] = rows
        await store.markFailed([failedLater!.id], { at: NOW, error: 'HTTP 503', nextAttemptAt: TOMORROW })
        await store.markFailed([failedDue!.id], { at: NOW, error: 'HTTP 503', nextAttemptAt: NOW })
        await store.markSent([sent!.id], NOW)
        await store.markFailed([expired!.id], { at: NOW, error: 'Teams 502', nextAttemptAt: TOMORROW })
        await store.expire('2026-03-01')
        await store.cancelDeliveries([cancelled!.id], 'Teams app uninstalled')
      })

      it('scheduled: a failed row not yet due becomes due now, still failed', async () => {
        const failedLater = rows[0]!
        const { outcome, delivery } = await store.retry(failedLater.id, LATER)
        expect(outcome).toBe('scheduled')
        expect(delivery).toMatchObject({ id: failedLater.id, state: 'failed', nextAttemptAt: LATER, attempts: 1, lastError: 'HTTP 503' })
        expect(await find('sub-vezelay', failedLater.id)).toMatchObject({ state: 'failed', nextAttemptAt: LATER })
        expect(ids(await store.dueDeliveries('sub-vezelay', LATER))).toContain(failedLater.id)
      })

      it('already_due: a pending row, a failed row already due; nothing changes', async () => {
        const pending = rows[4]!
        const failedDue = rows[1]!
        expect(await store.retry(pending.id, LATER)).toMatchObject({ outcome: 'already_due', delivery: { id: pending.id, state: 'pending' } })
        expect(await store.retry(failedDue.id, LATER)).toMatchObject({ outcome: 'already_due', delivery: { id: failedDue.id, state: 'failed', nextAttemptAt: NOW } })
        expect(await find('sub-vezelay', failedDue.id)).toMatchObject({ nextAttemptAt: NOW })
      })

      it('already_sent, expired (expired or cancelled), not_found: nothing changes', async () => {
        const [, , sent, expired, , cancelled] = rows
        expect(await store.retry(sent!.id, LATER)).toMatchObject({ outcome: 'already_sent', delivery: { id: sent!.id, state: 'sent' } })
        expect(await store.retry(expired!.id, LATER)).toMatchObject({ outcome: 'expired', delivery: { id: expired!.id, state: 'expired' } })
        expect(await store.retry(cancelled!.id, LATER)).toMatchObject({ outcome: 'expired', delivery: { id: cancelled!.id, state: 'expired' } })
        const missing = await store.retry(Math.max(...ids(rows)) + 1000, LATER)
        expect(missing.outcome).toBe('not_found')
        expect(missing.delivery).toBeUndefined()
        expect(await find('sub-vezelay', sent!.id)).toMatchObject({ state: 'sent', nextAttemptAt: null })
        expect(await find('sub-vezelay', expired!.id)).toMatchObject({ state: 'expired', nextAttemptAt: TOMORROW })
        expect(ids(await store.dueDeliveries('sub-vezelay', LATER))).toEqual(ids([rows[1]!, rows[4]!]))
      })

      it('retryAll makes every failed row due now and counts them', async () => {
        await store.createSubscription(subscription('sub-avallon'))
        const [other] = await recorded('sub-avallon', [reminder('sub-avallon', 'webhook', 30)])
        await store.markFailed([other!.id], { at: NOW, error: 'HTTP 504', nextAttemptAt: TOMORROW })
        expect(await store.retryAll(LATER)).toBe(2)
        expect(await find('sub-vezelay', rows[0]!.id)).toMatchObject({ state: 'failed', nextAttemptAt: LATER })
        expect(await find('sub-avallon', other!.id)).toMatchObject({ state: 'failed', nextAttemptAt: LATER })
        expect(await find('sub-vezelay', rows[3]!.id)).toMatchObject({ state: 'expired' })
        expect(await store.dueSubscriptionIds(LATER)).toEqual(new Set(['sub-vezelay', 'sub-avallon']))
        expect(await store.retryAll(LATER)).toBe(0)
      })
    })

    describe('back office', () => {
      beforeEach(async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.createSubscription(subscription('sub-avallon', { channels: { email: { address: 'mairie@avallon.fr', confirmedAt: null, disabledAt: null, disabledReason: null }, webhook: { url: 'https://avallon.fr/hook', confirmedAt: null, disabledAt: '2026-02-20T00:00:00.000Z', disabledReason: 'HTTP 410' } } }))
        await store.createSubscription(subscription('sub-gone', { unsubscribedAt: '2026-02-20T12:00:00.000Z' }))
      })

      it('adminDelivery gives a row with the address of its channel', async () => {
        const [email, teams, webhook] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'teams', 30), reminder('sub-vezelay', 'webhook', 30)])
        expect(await store.adminDelivery(email!.id)).toMatchObject({ id: email!.id, channel: 'email', state: 'pending', target: 'mairie@vezelay.fr' })
        expect((await store.adminDelivery(teams!.id))!.target).toBe('19:mairie-vezelay@thread.tacv2')
        expect((await store.adminDelivery(webhook!.id))!.target).toBe('https://crm.vezelay.fr/hooks/guichet')
        expect(await store.adminDelivery(webhook!.id + 1000)).toBeUndefined()
      })

      it('adminDelivery: the target is null once the subscription is erased (if the sent row is still there)', async () => {
        const [row] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30)])
        await store.markSent([row!.id], NOW)
        await store.deleteSubscription('sub-vezelay')
        const after = await store.adminDelivery(row!.id)
        if (after) expect(after.target).toBeNull()
      })

      it('adminOutbox: failed rows and rows pending since before the cut, newest first, at most `limit`', async () => {
        const old = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'webhook', 30), reminder('sub-vezelay', 'teams', 30)], NOW)
        await store.markFailed([old[1]!.id], { at: NOW, error: 'HTTP 500', nextAttemptAt: LATER })
        await store.markSent([old[2]!.id], NOW)
        const recent = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 7)], LATER)
        const { deliveries } = await store.adminOutbox({ limit: 10, pendingBefore: '2026-03-01T08:10:00.000Z' })
        expect(deliveries.map((d) => d.id)).toEqual([old[1]!.id, old[0]!.id])
        expect(deliveries.map((d) => d.id)).not.toContain(recent[0]!.id)
        expect(deliveries[0]).toMatchObject({ state: 'failed', target: 'https://crm.vezelay.fr/hooks/guichet' })
        expect((await store.adminOutbox({ limit: 1, pendingBefore: '2026-03-01T08:10:00.000Z' })).deliveries.map((d) => d.id)).toEqual([old[1]!.id])
      })

      it('adminStats counts subscriptions by channel status and ledger rows by state', async () => {
        const rows = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'email', 7), reminder('sub-vezelay', 'webhook', 30), reminder('sub-vezelay', 'teams', 30)])
        await store.markSent([rows[0]!.id], NOW)
        await store.markFailed([rows[2]!.id], { at: NOW, error: 'HTTP 500', nextAttemptAt: LATER })
        await store.cancelDeliveries([rows[3]!.id], 'Teams app uninstalled')
        const stats = await store.adminStats()
        expect(stats.channels.email).toEqual({ subscriptions: { active: 1, paused: 0, pendingConfirmation: 1, disabled: 0 }, deliveries: { pending: 1, sent: 1, failed: 0, expired: 0 } })
        expect(stats.channels.webhook).toEqual({ subscriptions: { active: 1, paused: 0, pendingConfirmation: 0, disabled: 1 }, deliveries: { pending: 0, sent: 0, failed: 1, expired: 0 } })
        expect(stats.channels.teams).toEqual({ subscriptions: { active: 1, paused: 0, pendingConfirmation: 0, disabled: 0 }, deliveries: { pending: 0, sent: 0, failed: 0, expired: 1 } })
        if (stats.outbox) expect(stats.outbox).toEqual({ queued: 0, failed: 0 })
      })

      it('adminStats counts the usable channels of a paused subscription as paused, not active; unconfirmed and disabled ones keep their status', async () => {
        const pausedAt = '2026-02-25T09:00:00.000Z'
        await store.createSubscription(subscription('sub-paused', {
          pausedAt,
          channels: {
            email: { address: 'dgs@asquins.fr', confirmedAt: '2026-02-15T10:05:00.000Z', disabledAt: null, disabledReason: null },
            teams: { conversationId: '19:asquins@thread.tacv2', disabledAt: null, disabledReason: null },
            webhook: { url: 'https://asquins.fr/hook', confirmedAt: null, disabledAt: null, disabledReason: null },
          },
        }))
        // Paused, then resumed by its owner (pausedAt back to null): active again.
        const resumed = subscription('sub-resumed', { pausedAt })
        await store.createSubscription(resumed)
        await store.saveSubscription({ ...resumed, pausedAt: null })
        const { channels } = await store.adminStats()
        expect(channels.email.subscriptions).toEqual({ active: 2, paused: 1, pendingConfirmation: 1, disabled: 0 })
        expect(channels.teams.subscriptions).toEqual({ active: 2, paused: 1, pendingConfirmation: 0, disabled: 0 })
        expect(channels.webhook.subscriptions).toEqual({ active: 2, paused: 0, pendingConfirmation: 1, disabled: 1 })
        // Paused again: the resumed one moves back.
        await store.saveSubscription({ ...resumed, pausedAt })
        expect((await store.adminStats()).channels.email.subscriptions).toEqual({ active: 1, paused: 2, pendingConfirmation: 1, disabled: 0 })
      })
    })

    it('seenProgrammes: the first-seen day of each programme marked seen, kept once set', async () => {
      expect(await store.seenProgrammes()).toEqual(new Map())
      await store.markSeen([DETR.id, DSIL.id], BASELINE_DAY)
      await store.markSeen(['fonds_vert_2026', DETR.id], '2026-03-01')
      await store.markSeen([], '2026-03-02')
      expect(await store.seenProgrammes()).toEqual(
        new Map([
          [DETR.id, BASELINE_DAY],
          [DSIL.id, BASELINE_DAY],
          ['fonds_vert_2026', '2026-03-01'],
        ]),
      )
    })

    it('getMeta / setMeta: nothing until set, the last value after', async () => {
      expect(await store.getMeta('alerts.lastDigestAt')).toBeUndefined()
      await store.setMeta('alerts.lastDigestAt', NOW, NOW)
      await store.setMeta('alerts.catalogueHash', 'sha256:abc', NOW)
      expect(await store.getMeta('alerts.lastDigestAt')).toBe(NOW)
      await store.setMeta('alerts.lastDigestAt', TOMORROW, TOMORROW)
      expect(await store.getMeta('alerts.lastDigestAt')).toBe(TOMORROW)
      expect(await store.getMeta('alerts.catalogueHash')).toBe('sha256:abc')
    })

    describe('the digest lock', () => {
      const at = (iso: string) => new Date(iso)
      const TTL = 60_000

      it('a second owner is refused while the lease is held, takes it once it has expired', async () => {
        expect(await store.acquireLock('run-0800', at('2026-03-01T08:00:00Z'), TTL)).toBe(true)
        expect(await store.acquireLock('run-0801', at('2026-03-01T08:00:30Z'), TTL)).toBe(false)
        expect(await store.acquireLock('run-0802', at('2026-03-01T08:01:30Z'), TTL)).toBe(true)
        expect(await store.acquireLock('run-0800', at('2026-03-01T08:01:40Z'), TTL)).toBe(false)
      })

      it('the owner takes it again, which pushes the expiry (the heartbeat)', async () => {
        expect(await store.acquireLock('run-0800', at('2026-03-01T08:00:00Z'), TTL)).toBe(true)
        expect(await store.acquireLock('run-0800', at('2026-03-01T08:00:50Z'), TTL)).toBe(true)
        // Past the first expiry, within the pushed one.
        expect(await store.acquireLock('run-0801', at('2026-03-01T08:01:20Z'), TTL)).toBe(false)
        expect(await store.acquireLock('run-0801', at('2026-03-01T08:02:00Z'), TTL)).toBe(true)
      })

      it('released by its owner it is free at once; another owner cannot release it', async () => {
        expect(await store.acquireLock('run-0800', at('2026-03-01T08:00:00Z'), TTL)).toBe(true)
        await store.releaseLock('run-intrus')
        expect(await store.acquireLock('run-0801', at('2026-03-01T08:00:10Z'), TTL)).toBe(false)
        await store.releaseLock('run-0800')
        expect(await store.acquireLock('run-0801', at('2026-03-01T08:00:20Z'), TTL)).toBe(true)
      })
    })

    describe('purge', () => {
      it('deletes the rows past `before` that will not be sent again, keeps the open and the recent ones', async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        const [oldSent, oldExpired, oldPending, oldFailed, recentSent] = await recorded('sub-vezelay', [
          reminder('sub-vezelay', 'email', 30, DETR, '2026-01-31'),
          reminder('sub-vezelay', 'teams', 30, DETR, '2026-01-31'),
          reminder('sub-vezelay', 'webhook', 30, DETR, '2026-01-31'),
          reminder('sub-vezelay', 'webhook', 7, DETR, '2026-01-31'),
          reminder('sub-vezelay', 'email', 30),
        ])
        await store.markSent([oldSent!.id, recentSent!.id], NOW)
        await store.cancelDeliveries([oldExpired!.id], 'Teams app uninstalled')
        await store.markFailed([oldFailed!.id], { at: NOW, error: 'HTTP 500', nextAttemptAt: LATER })

        expect(await store.purge('2026-02-01')).toBe(2)
        expect(ids(await store.deliveries('sub-vezelay'))).toEqual(ids([oldPending!, oldFailed!, recentSent!]))
        // The key of a purged row can be recorded again (its deadline is past: the digest will not).
        expect(await store.record([reminder('sub-vezelay', 'email', 30, DETR, '2026-01-31')], TOMORROW)).toHaveLength(1)
        expect(await store.purge('2026-02-01')).toBe(0)
      })

      it('deletes what is left of an erased subscription’s ledger', async () => {
        await store.createSubscription(subscription('sub-vezelay'))
        await store.createSubscription(subscription('sub-avallon'))
        const [sent] = await recorded('sub-vezelay', [reminder('sub-vezelay', 'email', 30), reminder('sub-vezelay', 'webhook', 30)])
        await store.markSent([sent!.id], NOW)
        const kept = await recorded('sub-avallon', [reminder('sub-avallon', 'email', 30)])
        await store.deleteSubscription('sub-vezelay')
        await store.purge('2026-01-01')
        expect(await store.deliveries('sub-vezelay')).toEqual([])
        expect(await store.adminDelivery(sent!.id)).toBeUndefined()
        expect(ids(await store.deliveries('sub-avallon'))).toEqual(ids(kept))
      })
    })
  })
}
