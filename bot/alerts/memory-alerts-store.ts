// The AlertsStore in memory: tests, the bench, and a Workers deployment before D1 is wired.
// Copies go in and out so callers never share objects with the store.
import type { AlertsAdminStats, AlertsStore, DigestProgress } from './alerts-store.ts'
import { assignMessageIds, deliveryKey, newMessageId, type Delivery, type NewDelivery } from './delivery.ts'
import { CHANNELS, channelStatus, type Subscription } from './subscription.ts'

const copy = <T>(value: T): T => structuredClone(value)

/** What the store holds; the method groups below share it. */
interface MemoryState {
  subs: Map<string, Subscription>
  rows: Map<number, Delivery>
  byKey: Map<string, number>
  seen: Map<string, string>
  meta: Map<string, string>
  nextId: number
  lock: { owner: string; expiresAt: number } | undefined
}

const isDue = (d: Delivery, now: string) => d.state === 'pending' || (d.state === 'failed' && (d.nextAttemptAt === null || d.nextAttemptAt <= now))

/** Rows about to be sent get their message id (a row that has one keeps it); returns copies. */
function giveMessageIds(st: MemoryState, newId: () => string, list: Delivery[]): Delivery[] {
  const ids = assignMessageIds(list, newId)
  for (const d of list) {
    const id = ids.get(d.id)
    if (id) st.rows.get(d.id)!.messageId = id
  }
  return list.map((d) => copy(st.rows.get(d.id)!))
}

function insert(st: MemoryState, list: NewDelivery[], now: string): Delivery[] {
  const inserted: Delivery[] = []
  for (const r of list) {
    const key = deliveryKey(r)
    if (st.byKey.has(key)) continue
    const d: Delivery = { ...copy(r), id: st.nextId++, messageId: null, state: 'pending', attempts: 0, lastError: null, nextAttemptAt: null, createdAt: now, sentAt: null, lostOn: null }
    st.rows.set(d.id, d)
    st.byKey.set(key, d.id)
    inserted.push(copy(d))
  }
  return inserted
}

function progress(st: MemoryState, p: DigestProgress): void {
  const s = st.subs.get(p.subscriptionId)
  if (s) {
    s.lastDigestDay = p.lastDigestDay
    s.newCallsSince = p.newCallsSince
  }
}

function targetOf(st: MemoryState, d: Delivery): string | null {
  const ch = st.subs.get(d.subscriptionId)?.channels
  return (d.channel === 'email' ? ch?.email?.address : d.channel === 'webhook' ? ch?.webhook?.url : ch?.teams?.conversationId) ?? null
}

const dueOf = (st: MemoryState, subscriptionId: string, now: string) => [...st.rows.values()].filter((d) => d.subscriptionId === subscriptionId && isDue(d, now)).map(copy)

function subscriptionMethods(st: MemoryState): Pick<AlertsStore, 'createSubscription' | 'getSubscription' | 'saveSubscription' | 'deleteSubscription' | 'subscriptionRecords' | 'purge' | 'listSubscriptions'> {
  return {
    async createSubscription(s) {
      if (st.subs.has(s.id)) throw new Error(`subscription ${s.id} exists`)
      st.subs.set(s.id, copy(s))
    },
    async getSubscription(id) {
      const s = st.subs.get(id)
      return s ? copy(s) : undefined
    },
    async saveSubscription(s) {
      st.subs.set(s.id, copy(s))
    },
    async deleteSubscription(id) {
      const existed = st.subs.delete(id)
      for (const [rid, d] of st.rows) {
        if (d.subscriptionId === id) {
          st.rows.delete(rid)
          st.byKey.delete(deliveryKey(d))
        }
      }
      return existed
    },
    // No outbox nor Teams references in memory: e-mails go to the MailSender handed in.
    async subscriptionRecords() {
      return { outbox: [], teamsConversations: [] }
    },
    async purge(before) {
      let n = 0
      for (const [rid, d] of st.rows) {
        if (!st.subs.has(d.subscriptionId) || (d.state !== 'pending' && d.state !== 'failed' && d.expiresOn < before)) {
          st.rows.delete(rid)
          st.byKey.delete(deliveryKey(d))
          n++
        }
      }
      return n
    },
    async listSubscriptions() {
      return [...st.subs.values()].filter((s) => !s.unsubscribedAt).map(copy)
    },
  }
}

function ledgerMethods(st: MemoryState, newId: () => string): Pick<AlertsStore, 'recordDigests' | 'record' | 'saveProgress' | 'dueSubscriptionIds' | 'dueDeliveries' | 'markSent' | 'markFailed' | 'expire' | 'cancelDeliveries' | 'cancelChannel' | 'deliveries'> {
  return {
    async recordDigests(batch, now) {
      const out = new Map<string, { inserted: number; due: Delivery[] }>()
      for (const b of batch) {
        const inserted = insert(st, b.rows, now)
        if (b.progress) progress(st, b.progress)
        // The new rows; every due row of the subscription only with `leftovers` (as the port says).
        const due = b.leftovers ? dueOf(st, b.subscriptionId, now) : inserted
        out.set(b.subscriptionId, { inserted: inserted.length, due: giveMessageIds(st, newId, due) })
      }
      return out
    },
    async record(list, now) {
      return giveMessageIds(st, newId, insert(st, list, now))
    },
    async saveProgress(list) {
      for (const p of list) progress(st, p)
    },
    async dueSubscriptionIds(now) {
      const out = new Set<string>()
      for (const d of st.rows.values()) if (isDue(d, now)) out.add(d.subscriptionId)
      return out
    },
    async dueDeliveries(subscriptionId, now) {
      return dueOf(st, subscriptionId, now)
    },
    async markSent(ids, at) {
      for (const id of ids) {
        const d = st.rows.get(id)
        if (d && d.state !== 'sent') Object.assign(d, { state: 'sent', sentAt: at, attempts: d.attempts + 1, lastError: null, nextAttemptAt: null })
      }
    },
    async markFailed(ids, { error, nextAttemptAt }) {
      for (const id of ids) {
        const d = st.rows.get(id)
        if (d && d.state !== 'sent') Object.assign(d, { state: 'failed', attempts: d.attempts + 1, lastError: error, nextAttemptAt })
      }
    },
    async expire(today) {
      let n = 0
      for (const d of st.rows.values()) {
        if ((d.state === 'pending' || d.state === 'failed') && d.expiresOn < today) {
          d.state = 'expired'
          d.lostOn = today
          n++
        }
      }
      return n
    },
    async cancelDeliveries(ids, reason) {
      for (const id of ids) {
        const d = st.rows.get(id)
        if (d && (d.state === 'pending' || d.state === 'failed')) Object.assign(d, { state: 'expired', lastError: reason })
      }
    },
    async cancelChannel(subscriptionId, channel, reason) {
      let n = 0
      for (const d of st.rows.values()) {
        if (d.subscriptionId === subscriptionId && (channel === 'all' || d.channel === channel) && (d.state === 'pending' || d.state === 'failed')) {
          Object.assign(d, { state: 'expired', lastError: reason })
          n++
        }
      }
      return n
    },
    async deliveries(subscriptionId) {
      return [...st.rows.values()].filter((d) => d.subscriptionId === subscriptionId).map(copy)
    },
  }
}

function adminMethods(st: MemoryState): Pick<AlertsStore, 'adminDelivery' | 'adminStats' | 'adminOutbox' | 'retry' | 'retryAll' | 'deliveryHealth'> {
  return {
    async deliveryHealth({ limit }) {
      const rows = [...st.rows.values()]
      const lost = rows.filter((d) => d.lostOn !== null).sort((a, b) => (a.lostOn! < b.lostOn! ? 1 : a.lostOn! > b.lostOn! ? -1 : b.id - a.id))
      return { failing: rows.filter((d) => d.state === 'failed').length, lost: lost.length, lostRows: lost.slice(0, limit).map((d) => ({ ...copy(d), target: targetOf(st, d) })) }
    },
    async adminDelivery(id) {
      const d = st.rows.get(id)
      return d ? { ...copy(d), target: targetOf(st, d) } : undefined
    },
    async adminStats() {
      const stats = Object.fromEntries(
        CHANNELS.map((c) => [c, { subscriptions: { active: 0, paused: 0, pendingConfirmation: 0, disabled: 0 }, deliveries: { pending: 0, sent: 0, failed: 0, expired: 0 } }]),
      ) as AlertsAdminStats['channels']
      for (const s of st.subs.values()) {
        if (s.unsubscribedAt) continue
        for (const [c, status] of Object.entries(channelStatus(s)) as [keyof typeof stats, string][]) {
          const counts = stats[c].subscriptions
          if (status === 'active' && s.pausedAt) counts.paused++
          else if (status === 'active') counts.active++
          else if (status === 'pending_confirmation') counts.pendingConfirmation++
          else counts.disabled++
        }
      }
      for (const d of st.rows.values()) stats[d.channel].deliveries[d.state]++
      // No outbox in memory: e-mails go to whatever MailSender the composition hands in.
      return { channels: stats, outbox: null }
    },
    async adminOutbox({ limit, pendingBefore }) {
      const deliveries = [...st.rows.values()]
        .filter((d) => d.state === 'failed' || (d.state === 'pending' && d.createdAt < pendingBefore))
        .sort((a, b) => b.id - a.id)
        .slice(0, limit)
        .map((d) => ({ ...copy(d), target: targetOf(st, d) }))
      return { deliveries, mails: [] }
    },
    async retry(id, now) {
      const d = st.rows.get(id)
      if (!d) return { outcome: 'not_found' }
      if (d.state === 'sent') return { outcome: 'already_sent', delivery: copy(d) }
      if (d.state === 'expired') return { outcome: 'expired', delivery: copy(d) }
      if (d.state === 'pending' || d.nextAttemptAt === null || d.nextAttemptAt <= now) return { outcome: 'already_due', delivery: copy(d) }
      d.nextAttemptAt = now
      return { outcome: 'scheduled', delivery: copy(d) }
    },
    async retryAll(now) {
      let n = 0
      for (const d of st.rows.values()) {
        if (d.state === 'failed' && d.nextAttemptAt !== null && d.nextAttemptAt > now) {
          d.nextAttemptAt = now
          n++
        }
      }
      return n
    },
  }
}

function bookkeepingMethods(st: MemoryState): Pick<AlertsStore, 'seenProgrammes' | 'markSeen' | 'getMeta' | 'setMeta' | 'acquireLock' | 'releaseLock'> {
  return {
    async seenProgrammes() {
      return new Map(st.seen)
    },
    async markSeen(ids, day) {
      for (const id of ids) if (!st.seen.has(id)) st.seen.set(id, day)
    },

    async getMeta(key) {
      return st.meta.get(key)
    },
    async setMeta(key, value) {
      st.meta.set(key, value)
    },

    async acquireLock(owner, now, ttlMs) {
      if (st.lock && st.lock.owner !== owner && st.lock.expiresAt > now.getTime()) return false
      st.lock = { owner, expiresAt: now.getTime() + ttlMs }
      return true
    },
    async releaseLock(owner) {
      if (st.lock?.owner === owner) st.lock = undefined
    },
  }
}

export function createMemoryAlertsStore({ newId = newMessageId }: { newId?: () => string } = {}): AlertsStore {
  const st: MemoryState = { subs: new Map(), rows: new Map(), byKey: new Map(), seen: new Map(), meta: new Map(), nextId: 1, lock: undefined }
  return { ...subscriptionMethods(st), ...ledgerMethods(st, newId), ...adminMethods(st), ...bookkeepingMethods(st) }
}
