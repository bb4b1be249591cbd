// What a digest says, item by item, and the delivery ledger that makes sure each item reaches
// each channel: a row per (subscription, channel, programme, kind, deadline, lead time),
// written and committed before sending, marked sent after. The same transaction gives each
// row the id of the message that carries it (one message per subscription, channel and run),
// fixed before any network call: a retry — after a crash, a failed send — re-sends that
// message with the same id, which the receiver uses to drop a copy (the webhook's
// Idempotency-Key, the e-mail's Message-ID). At least once, never under two ids.
import type { ChannelKind } from './subscription.ts'

/** The programme as an alert names it: enough to render a message without the catalogue. */
export interface ProgrammeRef {
  id: string
  name: string
  shortName?: string
  funder: string
  url: string
  applyUrl?: string
}

export type ChangeKind = 'deadline_moved' | 'closed_early' | 'new_edition'
export const CHANGE_KINDS: readonly ChangeKind[] = ['deadline_moved', 'closed_early', 'new_edition']

export type DigestItem =
  /** A firm deadline reached one of the subscription's lead times. */
  | { kind: 'reminder'; programme: ProgrammeRef; deadline: string; leadDays: number }
  /** An estimated deadline (past editions, usual window): announced once, as an estimate. */
  | { kind: 'estimate'; programme: ProgrammeRef; deadline: string; leadDays: number; window?: { opensAt: string; closesAt: string }; basis: string }
  /** A programme Guichet did not know at the last digest, open to this collectivité. */
  | { kind: 'new_programme'; programme: ProgrammeRef; calendar: string; status: 'eligible' | 'unknown' | 'followed' }
  /** A followed (or already announced) programme changed. */
  | { kind: ChangeKind; programme: ProgrammeRef; before: { deadline?: string | null }; after: { deadline?: string | null; edition?: string | null }; event: string }
  /** The double opt-in message. */
  | { kind: 'confirm' }

export type DeliveryKind = DigestItem['kind']
/** expired: no longer sent — cancelled (channel closed…) or, with lostOn set, lost (its last day passed unsent). */
export type DeliveryState = 'pending' | 'sent' | 'failed' | 'expired'

/** The ledger's unique key, and what to send. */
export interface NewDelivery {
  subscriptionId: string
  channel: ChannelKind
  programmeId: string
  kind: DeliveryKind
  /** The deadline (YYYY-MM-DD), or another discriminator (ev:<event id> for changes), '' when none. */
  deadline: string
  /** The lead time that fired (reminders and estimates), 0 otherwise. */
  leadDays: number
  /** Paris day after which the row is no longer worth sending. */
  expiresOn: string
  item: DigestItem
}

export interface Delivery extends NewDelivery {
  id: number
  /** The message that carries this row, fixed when the row became due, before sending; null only before that. */
  messageId: string | null
  state: DeliveryState
  attempts: number
  lastError: string | null
  /** ISO instant before which a failed row is not retried. */
  nextAttemptAt: string | null
  createdAt: string
  sentAt: string | null
  /** The Paris day the row, still unsent, passed its last day (expire): lost. Null otherwise (sent, due, or cancelled). */
  lostOn: string | null
}

export function deliveryKey(d: Pick<NewDelivery, 'subscriptionId' | 'channel' | 'programmeId' | 'kind' | 'deadline' | 'leadDays'>): string {
  return `${d.subscriptionId}\u0000${d.channel}\u0000${d.programmeId}\u0000${d.kind}\u0000${d.deadline}\u0000${d.leadDays}`
}

/** Days before its last day within which a failed row is retried every half hour (the retry job's default period). */
export const URGENT_DAYS = 2
const URGENT_DELAY_MS = 30 * 60_000

/**
 * Retry delay after the n-th failed attempt: 15 min, 30 min, 1 h … capped at 12 h; when the row's
 * last day (its deadline, for a reminder) is `URGENT_DAYS` days away or less, at most 30 min, so
 * that a reminder goes out within half an hour of its channel coming back. With `daysLeft`
 * omitted, the plain backoff.
 */
export function retryDelayMs(attempts: number, daysLeft = Number.POSITIVE_INFINITY): number {
  const backoff = Math.min(15 * 60_000 * 2 ** Math.max(0, attempts - 1), 12 * 3_600_000)
  return daysLeft <= URGENT_DAYS ? Math.min(backoff, URGENT_DELAY_MS) : backoff
}

/** A fresh message id: a random UUID (RFC 9562 v4), stored with the rows it carries before they are sent. */
export function newMessageId(): string {
  return crypto.randomUUID()
}

/**
 * Gives the rows that have no message yet one message per (subscription, channel, confirmation
 * or digest): the grouping a digest sends. Rows that already have one keep it (a retry re-sends
 * the same message). Returns row id → new message id; the store writes them in the transaction
 * that made the rows due.
 */
export function assignMessageIds(rows: readonly Pick<Delivery, 'id' | 'subscriptionId' | 'channel' | 'kind' | 'messageId'>[], newId: () => string = newMessageId): Map<number, string> {
  const groups = new Map<string, string>()
  const out = new Map<number, string>()
  for (const r of rows) {
    if (r.messageId) continue
    const key = `${r.subscriptionId}\u0000${r.channel}\u0000${r.kind === 'confirm' ? 'confirm' : 'digest'}`
    let id = groups.get(key)
    if (!id) groups.set(key, (id = newId()))
    out.set(r.id, id)
  }
  return out
}
