// The AlertsStore in memory: tests, the bench, and a Workers deployment before D1 is wired.
// Copies go in and out so callers never share objects with the store.
import type { AlertsAdminStats, AlertsStore, DigestProgress } from './alerts-store.ts'
import { assignMessageIds, deliveryKey, newMessageId, type Delivery, type NewDelivery } from './delivery.ts'
import { CHANNELS, channelStatus, type Subscription } from './subscription.ts'

const copy = <T>(value: T): T => structuredClone(value)

export function createMemoryAlertsStore({ newId = newMessageId }: { newId?: () => string } = {}): AlertsStore {
  const subs = new Map<string, Subscription>()
  const rows = new Map<number, Delivery>()
  const byKey = new Map<string, number>()
  const seen = new Map<string, string>()
  const meta = new Map<string, string>()
  let nextId = 1
  let lock: { owner: string; expiresAt: number } | undefined

  const isDue = (d: Delivery, now: string) => d.state === 'pending' || (d.state === 'failed' && (d.nextAttemptAt === null || d.nextAttemptAt <= now))

  /** Rows about to be sent get their message id (a row that has one keeps it); returns copies. */
  function giveMessageIds(list: Delivery[]): Delivery[] {
    const ids = assignMessageIds(list, newId)
    for (const d of list) {
      const id = ids.get(d.id)
      if (id) rows.get(d.id)!.messageId = id
    }
    return list.map((d) => copy(rows.get(d.id)!))
  }

  function insert(list: NewDelivery[], now: string): Delivery[] {
    const inserted: Delivery[] = []
    for (const r of list) {
      const key = deliveryKey(r)
      if (byKey.has(key)) continue
      const d: Delivery = { ...copy(r), id: nextId++, messageId: null, state: 'pending', attempts: 0, lastError: null, nextAttemptAt: null, createdAt: now, sentAt: null }
      rows.set(d.id, d)
      byKey.set(key, d.id)
      inserted.push(copy(d))
    }
    return inserted
  }

  function progress(p: DigestProgress): void {
    const s = subs.get(p.subscriptionId)
    if (s) {
      s.lastDigestDay = p.lastDigestDay
      s.newCallsSince = p.newCallsSince
    }
  }

  const targetOf = (d: Delivery): string | null => {
    const ch = subs.get(d.subscriptionId)?.channels
    return (d.channel === 'email' ? ch?.email?.address : d.channel === 'webhook' ? ch?.webhook?.url : ch?.teams?.conversationId) ?? null
  }

  const dueOf = (subscriptionId: string, now: string) => [...rows.values()].filter((d) => d.subscriptionId === subscriptionId && isDue(d, now)).map(copy)

  return {
    async createSubscription(s) {
      if (subs.has(s.id)) throw new Error(`subscription ${s.id} exists`)
      subs.set(s.id, copy(s))
    },
    async getSubscription(id) {
      const s = subs.get(id)
      return s ? copy(s) : undefined
    },
    async saveSubscription(s) {
      subs.set(s.id, copy(s))
    },
    async deleteSubscription(id) {
      const existed = subs.delete(id)
      for (const [rid, d] of rows) {
        if (d.subscriptionId === id) {
          rows.delete(rid)
          byKey.delete(deliveryKey(d))
        }
      }
      return existed
    },
    async purge(before) {
      let n = 0
      for (const [rid, d] of rows) {
        if (!subs.has(d.subscriptionId) || (d.state !== 'pending' && d.state !== 'failed' && d.expiresOn < before)) {
          rows.delete(rid)
          byKey.delete(deliveryKey(d))
          n++
        }
      }
      return n
    },
    async listSubscriptions() {
      return [...subs.values()].filter((s) => !s.unsubscribedAt).map(copy)
    },
    async recordDigests(batch, now) {
      const out = new Map<string, { inserted: number; due: Delivery[] }>()
      for (const b of batch) {
        const inserted = insert(b.rows, now).length
        if (b.progress) progress(b.progress)
        out.set(b.subscriptionId, { inserted, due: giveMessageIds(dueOf(b.subscriptionId, now)) })
      }
      return out
    },
    async record(list, now) {
      return giveMessageIds(insert(list, now))
    },
    async saveProgress(list) {
      for (const p of list) progress(p)
    },
    async dueSubscriptionIds(now) {
      const out = new Set<string>()
      for (const d of rows.values()) if (isDue(d, now)) out.add(d.subscriptionId)
      return out
    },
    async dueDeliveries(subscriptionId, now) {
      return dueOf(subscriptionId, now)
    },
    async markSent(ids, at) {
      for (const id of ids) {
        const d = rows.get(id)
        if (d && d.state !== 'sent') Object.assign(d, { state: 'sent', sentAt: at, attempts: d.attempts + 1, lastError: null, nextAttemptAt: null })
      }
    },
    async markFailed(ids, { error, nextAttemptAt }) {
      for (const id of ids) {
        const d = rows.get(id)
        if (d && d.state !== 'sent') Object.assign(d, { state: 'failed', attempts: d.attempts + 1, lastError: error, nextAttemptAt })
      }
    },
    async expire(today) {
      let n = 0
      for (const d of rows.values()) {
        if ((d.state === 'pending' || d.state === 'failed') && d.expiresOn < today) {
          d.state = 'expired'
          n++
        }
      }
      return n
    },
    async cancelDeliveries(ids, reason) {
      for (const id of ids) {
        const d = rows.get(id)
        if (d && (d.state === 'pending' || d.state === 'failed')) Object.assign(d, { state: 'expired', lastError: reason })
      }
    },
    async cancelChannel(subscriptionId, channel, reason) {
      let n = 0
      for (const d of rows.values()) {
        if (d.subscriptionId === subscriptionId && (channel === 'all' || d.channel === channel) && (d.state === 'pending' || d.state === 'failed')) {
          Object.assign(d, { state: 'expired', lastError: reason })
          n++
        }
      }
      return n
    },
    async deliveries(subscriptionId) {
      return [...rows.values()].filter((d) => d.subscriptionId === subscriptionId).map(copy)
    },
    async adminDelivery(id) {
      const d = rows.get(id)
      return d ? { ...copy(d), target: targetOf(d) } : undefined
    },

    async adminStats() {
      const stats = Object.fromEntries(
        CHANNELS.map((c) => [c, { subscriptions: { active: 0, pendingConfirmation: 0, disabled: 0 }, deliveries: { pending: 0, sent: 0, failed: 0, expired: 0 } }]),
      ) as AlertsAdminStats['channels']
      for (const s of subs.values()) {
        if (s.unsubscribedAt) continue
        for (const [c, status] of Object.entries(channelStatus(s)) as [keyof typeof stats, string][]) {
          const counts = stats[c].subscriptions
          if (status === 'active') counts.active++
          else if (status === 'pending_confirmation') counts.pendingConfirmation++
          else counts.disabled++
        }
      }
      for (const d of rows.values()) stats[d.channel].deliveries[d.state]++
      // No outbox in memory: e-mails go to whatever MailSender the composition hands in.
      return { channels: stats, outbox: null }
    },
    async adminOutbox({ limit, pendingBefore }) {
      const deliveries = [...rows.values()]
        .filter((d) => d.state === 'failed' || (d.state === 'pending' && d.createdAt < pendingBefore))
        .sort((a, b) => b.id - a.id)
        .slice(0, limit)
        .map((d) => ({ ...copy(d), target: targetOf(d) }))
      return { deliveries, mails: [] }
    },
    async retry(id, now) {
      const d = rows.get(id)
      if (!d) return { outcome: 'not_found' }
      if (d.state === 'sent') return { outcome: 'already_sent', delivery: copy(d) }
      if (d.state === 'expired') return { outcome: 'expired', delivery: copy(d) }
      if (d.state === 'pending' || d.nextAttemptAt === null || d.nextAttemptAt <= now) return { outcome: 'already_due', delivery: copy(d) }
      d.nextAttemptAt = now
      return { outcome: 'scheduled', delivery: copy(d) }
    },
    async retryAll(now) {
      let n = 0
      for (const d of rows.values()) {
        if (d.state === 'failed' && d.nextAttemptAt !== null && d.nextAttemptAt > now) {
          d.nextAttemptAt = now
          n++
        }
      }
      return n
    },

    async seenProgrammes() {
      return new Map(seen)
    },
    async markSeen(ids, day) {
      for (const id of ids) if (!seen.has(id)) seen.set(id, day)
    },

    async getMeta(key) {
      return meta.get(key)
    },
    async setMeta(key, value) {
      meta.set(key, value)
    },

    async acquireLock(owner, now, ttlMs) {
      if (lock && lock.owner !== owner && lock.expiresAt > now.getTime()) return false
      lock = { owner, expiresAt: now.getTime() + ttlMs }
      return true
    },
    async releaseLock(owner) {
      if (lock?.owner === owner) lock = undefined
    },
  }
}
