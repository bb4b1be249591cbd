// The AlertsStore port: subscriptions, the delivery ledger, the programmes already seen (to
// tell new ones), a few cursors and the digest lock. Declared here beside the alerts;
// implemented in memory (./memory-alerts-store.ts: tests, bench) and in SQLite
// (runtime/node/sqlite-alerts-store.ts); test/alerts/alerts-store.contract.ts runs on both.
// Async so that a D1 implementation (Workers) fits the same contract.
import type { Delivery, DeliveryState, NewDelivery } from './delivery.ts'
import type { ChannelKind, Subscription } from './subscription.ts'

/** What a digest run moves forward for one subscription, in the same transaction as its ledger rows. */
export interface DigestProgress {
  subscriptionId: string
  lastDigestDay: string
  newCallsSince: string
}

export interface DigestRecord {
  subscriptionId: string
  rows: NewDelivery[]
  progress?: DigestProgress
  /** The subscription had due rows before this run (dueSubscriptionIds): look them up too. */
  leftovers?: boolean
}

/** What the back office counts, per channel. */
export interface AlertsAdminStats {
  channels: Record<ChannelKind, {
    /**
     * Subscriptions holding this channel, by its status: disabled wins; e-mail and webhook are
     * pending until confirmed; a usable channel of a subscription its owner paused is paused, else active.
     */
    subscriptions: { active: number; paused: number; pendingConfirmation: number; disabled: number }
    /** Ledger rows of this channel, by state. */
    deliveries: Record<DeliveryState, number>
  }>
  /** E-mails in the outbox: queued (no SMTP: nobody sent them) and copies of failed SMTP sends; null = no outbox here. */
  outbox: { queued: number; failed: number } | null
}

/** A ledger row the back office lists (failed, or pending for too long), with where it goes. */
export interface AdminDelivery extends Delivery {
  /** The channel's address (e-mail, webhook URL, Teams conversation id): personal, mask it before showing; null once erased. */
  target: string | null
}

/** An outbox e-mail not sent by Guichet itself (queued without SMTP, or a failed SMTP send). */
export interface AdminOutboxMail {
  id: number
  subscriptionId: string
  createdAt: string
  status: 'queued' | 'failed'
  error: string | null
  /** Personal: mask it before showing. */
  recipient: string
}

/** Failing and lost ledger rows: what the back office and /api/ready escalate. */
export interface DeliveryHealth {
  failing: number
  lost: number
  lostRows: AdminDelivery[]
}

export type RetryOutcome =
  /** A failed row made due now (next_attempt_at = now). */
  | 'scheduled'
  /** Pending, or failed and already due: nothing to change. */
  | 'already_due'
  /** Sent: never sent twice. */
  | 'already_sent'
  /** Expired or cancelled: no longer worth sending. */
  | 'expired'
  | 'not_found'

/** What else is kept about one subscription, for its owner's export (the management page). */
export interface SubscriptionRecords {
  /** Its e-mails kept in the outbox (queued without SMTP, or copies of failed sends): recipient, subject, headers, text, HTML, status. */
  outbox: Record<string, unknown>[]
  /** The Teams conversation reference it alerts, as stored (none, or one). */
  teamsConversations: Record<string, unknown>[]
}

/** First-seen day of a programme known before the alerts started watching: never announced as new. */
export const BASELINE_DAY = '0000-00-00'

export interface AlertsStore {
  createSubscription(s: Subscription): Promise<void>
  getSubscription(id: string): Promise<Subscription | undefined>
  /** Replaces the stored subscription (same id). */
  saveSubscription(s: Subscription): Promise<void>
  /**
   * Erases the subscription, its progress, its outbox messages and its ledger rows still to send.
   * Returns whether it existed. Its sent history (programme facts under a random id, nothing
   * personal) may stay until the next purge.
   */
  deleteSubscription(id: string): Promise<boolean>
  /** Its outbox e-mails and Teams conversation reference (empty where this store keeps none), for its owner's export. */
  subscriptionRecords(id: string): Promise<SubscriptionRecords>
  /** Housekeeping: deletes the ledger rows of erased subscriptions and rows past `before` (their keys can no longer repeat). */
  purge(before: string): Promise<number>
  /** Every subscription not unsubscribed, in any order. */
  listSubscriptions(): Promise<Subscription[]>

  /**
   * In one committed transaction, for each subscription of a batch: inserts its rows not already
   * in the ledger (pending), moves its progress, and returns the rows to send now: the new ones,
   * and with `leftovers` every due row of it (pending, or failed with next_attempt_at reached).
   * In the same transaction every returned row without a message id gets one (assignMessageIds:
   * one message per subscription, channel, confirmation or digest); a row that has one keeps it.
   */
  recordDigests(batch: readonly DigestRecord[], now: string): Promise<Map<string, { inserted: number; due: Delivery[] }>>
  /** Records rows without sending (the confirmation message at subscription time); returns the inserted ones, with their message id. */
  record(rows: NewDelivery[], now: string): Promise<Delivery[]>
  /** Progress of subscriptions that had nothing to send, in one transaction. */
  saveProgress(progress: DigestProgress[]): Promise<void>
  /** Ids of subscriptions that have due rows (pending, or failed and due) at `now`. */
  dueSubscriptionIds(now: string): Promise<Set<string>>
  dueDeliveries(subscriptionId: string, now: string): Promise<Delivery[]>
  markSent(ids: readonly number[], at: string): Promise<void>
  markFailed(ids: readonly number[], failure: { at: string; error: string; nextAttemptAt: string }): Promise<void>
  /** Pending and failed rows whose day has passed (expiresOn < today) become expired. */
  expire(today: string): Promise<number>
  /** Rows that will never be worth sending (e.g. a confirmation once confirmed) expire with this reason. */
  cancelDeliveries(ids: readonly number[], reason: string): Promise<void>
  /** A channel switched off: its pending and failed rows expire with this reason. */
  cancelChannel(subscriptionId: string, channel: ChannelKind | 'all', reason: string): Promise<number>
  deliveries(subscriptionId: string): Promise<Delivery[]>

  /**
   * Escalation (back office, /api/ready): how many rows are failing (failed, still retried) and
   * lost (their last day passed unsent; kept until the purge, a month), and the `limit` most
   * recently lost with where they went.
   */
  deliveryHealth(options: { limit: number }): Promise<DeliveryHealth>

  /** Back office: one ledger row with where it goes. */
  adminDelivery(id: number): Promise<AdminDelivery | undefined>
  /** Back office: counts per channel (subscriptions by status, ledger rows by state, outbox). */
  adminStats(): Promise<AlertsAdminStats>
  /**
   * Back office: the failed rows and the rows still pending that were recorded before
   * `pendingBefore` (a run sends within seconds of recording), newest first; the outbox
   * e-mails, newest first. At most `limit` of each.
   */
  adminOutbox(options: { limit: number; pendingBefore: string }): Promise<{ deliveries: AdminDelivery[]; mails: AdminOutboxMail[] }>
  /**
   * Makes a failed row due at `now` (state kept, next_attempt_at = now) so that the next send
   * takes it; in one statement that never touches a sent or expired row.
   */
  retry(id: number, now: string): Promise<{ outcome: RetryOutcome; delivery?: Delivery }>
  /** Makes every failed row due at `now`; returns how many. */
  retryAll(now: string): Promise<number>

  /** id → first-seen Paris day (BASELINE_DAY for the catalogue the alerts started with). */
  seenProgrammes(): Promise<Map<string, string>>
  markSeen(ids: readonly string[], day: string): Promise<void>

  getMeta(key: string): Promise<string | undefined>
  setMeta(key: string, value: string, at: string): Promise<void>

  /**
   * The digest's lease: taken unless another run holds it alive (in SQLite, a holder past its
   * expiry or whose process died is taken over at once); taken again by its owner, it pushes
   * the expiry (the heartbeat). False when another run has it.
   */
  acquireLock(owner: string, now: Date, ttlMs: number): Promise<boolean>
  releaseLock(owner: string): Promise<void>
}
