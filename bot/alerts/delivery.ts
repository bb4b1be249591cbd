// What a digest says, item by item, and the delivery ledger that makes sure each item reaches
// each channel once: a row per (subscription, channel, programme, kind, deadline, lead time),
// written and committed before sending, marked sent after. A crash leaves it pending (sent on
// the next run); a failed send is retried on later runs until the row expires.
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
  state: DeliveryState
  attempts: number
  lastError: string | null
  /** ISO instant before which a failed row is not retried. */
  nextAttemptAt: string | null
  createdAt: string
  sentAt: string | null
}

export function deliveryKey(d: Pick<NewDelivery, 'subscriptionId' | 'channel' | 'programmeId' | 'kind' | 'deadline' | 'leadDays'>): string {
  return `${d.subscriptionId}\u0000${d.channel}\u0000${d.programmeId}\u0000${d.kind}\u0000${d.deadline}\u0000${d.leadDays}`
}

/** Retry delay after the n-th failed attempt: 15 min, 30 min, 1 h … capped at 12 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(15 * 60_000 * 2 ** Math.max(0, attempts - 1), 12 * 3_600_000)
}
