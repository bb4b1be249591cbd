// The digest's sends and their marks: for a subscription whose ledger rows are committed, one
// message per message id the ledger fixed (the confirmation e-mail, or the digest rendered for
// its channel: e-mail, Teams, webhook), then the rows marked — sent (group-committed), failed
// and rescheduled with the same id, or cancelled when the channel is closed or gone. Nothing
// here records new rows: runDigest (bot/alerts/digest.ts) commits them before calling this.
import type { CouncilSettings } from '../../core/council-view.ts'
import { daysBetween } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import type { AlertsStore } from './alerts-store.ts'
import { newMessageId, retryDelayMs, type Delivery, type DeliveryKind } from './delivery.ts'
import type { LinkBuilder } from './links.ts'
import { renderConfirmationEmail, renderDigestEmail, renderTeamsActivity, renderWebhookBody } from './render.ts'
import { disableChannel, safeError } from './send-failure.ts'
import { ChannelGoneError, DeliveryFailedError, type AlertSenders } from './senders.ts'
import { activeChannels, type ChannelKind, type Subscription } from './subscription.ts'

/** « Sent » marks of messages sent within this many milliseconds share one commit. */
const GROUP_COMMIT_MS = 5

export interface DigestHooks {
  /** Called after the ledger rows of a subscription are committed, before sending (tests simulate a crash here). */
  afterRecord?(subscriptionId: string, due: readonly Delivery[]): void | Promise<void>
  /** Called after a message was sent, before its rows are marked sent (tests simulate a crash here: it is re-sent with the same id). */
  afterSend?(subscriptionId: string, channel: ChannelKind, messageId: string, rows: readonly Delivery[]): void | Promise<void>
}

/** The counts of a run's report that the sends move. */
export interface SendCounts {
  withMessages: number
  items: Partial<Record<DeliveryKind, number>>
  messages: { sent: Record<ChannelKind, number>; failed: Record<ChannelKind, number> }
  rows: { recorded: number; sent: number; failed: number; expired: number; cancelled: number }
  channelsDisabled: number
}

export interface SentMarks {
  add(ids: number[]): Promise<void>
  /** Commits the pending marks (always before the next batch is recorded, and at the end of a run). */
  flush(): Promise<void>
}

export interface DigestSendContext {
  now: Date
  nowIso: string
  today: string
  store: AlertsStore
  senders: AlertSenders
  links: LinkBuilder
  logger: Logger
  hooks: DigestHooks | undefined
  marks: SentMarks
  counts: SendCounts
  /** The council calendar of the « dernier conseil utile » of reminders (GUICHET_COUNCIL_*); default: the built-in one. */
  council?: CouncilSettings
}

const ids = (rows: readonly Delivery[]) => rows.map((r) => r.id)

/**
 * Group commit of « sent » marks: committed at most GROUP_COMMIT_MS after a send and always
 * before the next batch is recorded. A real mail server takes longer than that per message, so
 * in production each mark gets its own commit; a crash can repeat only what was sent within
 * that window (or was being sent), and a repeat carries the id of the first copy.
 */
export function createSentMarks(store: AlertsStore, nowIso: string): SentMarks {
  const pending: number[] = []
  let last = performance.now()
  const flush = async () => {
    last = performance.now()
    if (pending.length) await store.markSent(pending.splice(0), nowIso)
  }
  return {
    async add(list) {
      pending.push(...list)
      if (performance.now() - last >= GROUP_COMMIT_MS) await flush()
    },
    flush,
  }
}

/** One send, then its rows marked: sent, or failed (retried with the same id), or cancelled with the channel gone. */
async function attempt(ctx: DigestSendContext, s: Subscription, channel: ChannelKind, messageId: string, rows: Delivery[], send: () => Promise<void>): Promise<void> {
  const { counts, logger } = ctx
  try {
    await send()
  } catch (err) {
    if (err instanceof ChannelGoneError) {
      await disableChannel(ctx.store, s.id, channel, err.reason, ctx.nowIso)
      counts.channelsDisabled++
      counts.rows.cancelled += rows.length
      counts.messages.failed[channel]++
      logger.warn('alerts channel disabled', { subscription: s.id, channel, message: messageId, reason: err.reason })
      return
    }
    // The send may have reached the receiver all the same (a timeout, a 5xx after processing):
    // the rows keep their message id, and the retry carries it again.
    // Near the last day of one of its rows (a J-1 reminder), retried every half hour: it goes out
    // as soon as the channel is back, before its deadline.
    const attempts = Math.max(...rows.map((r) => r.attempts)) + 1
    const daysLeft = Math.min(...rows.map((r) => daysBetween(ctx.today, r.expiresOn)))
    await ctx.store.markFailed(ids(rows), { at: ctx.nowIso, error: safeError(err), nextAttemptAt: new Date(ctx.now.getTime() + retryDelayMs(attempts, daysLeft)).toISOString() })
    counts.rows.failed += rows.length
    counts.messages.failed[channel]++
    logger.warn('alerts message failed, will retry', { subscription: s.id, channel, message: messageId, attempts, error: safeError(err) })
    return
  }
  // A crash from here until the mark is committed re-sends this message, with this id.
  await ctx.hooks?.afterSend?.(s.id, channel, messageId, rows)
  await ctx.marks.add(ids(rows))
  counts.rows.sent += rows.length
  counts.messages.sent[channel]++
}

async function sendConfirmation(ctx: DigestSendContext, s: Subscription, messageId: string, rows: Delivery[]): Promise<void> {
  const email = s.channels.email
  if (!email || email.disabledAt || email.confirmedAt || s.unsubscribedAt) {
    await ctx.store.cancelDeliveries(ids(rows), email?.confirmedAt ? 'already confirmed' : 'e-mail channel closed')
    ctx.counts.rows.cancelled += rows.length
    return
  }
  const { links, senders } = ctx
  const l = await links.links(s.id)
  await attempt(ctx, s, 'email', messageId, rows, async () => {
    if (!senders.email) throw new DeliveryFailedError('no email sender in this process')
    await senders.email.send({ ...renderConfirmationEmail({ to: email.address, subscription: s, links: l, confirmUrl: await links.confirmUrl(s.id, ctx.now) }), messageId })
  })
}

/** The digest message of one channel. */
async function deliver(ctx: DigestSendContext, s: Subscription, channel: ChannelKind, messageId: string, rows: Delivery[]): Promise<void> {
  const { senders, today, nowIso } = ctx
  if (!activeChannels(s).includes(channel)) {
    await ctx.store.cancelDeliveries(ids(rows), `${channel} channel closed`)
    ctx.counts.rows.cancelled += rows.length
    return
  }
  if (!senders[channel]) {
    await attempt(ctx, s, channel, messageId, rows, async () => {
      throw new DeliveryFailedError(`no ${channel} sender in this process`)
    })
    return
  }
  const items = rows.map((r) => r.item)
  const l = await ctx.links.links(s.id)
  const council = ctx.council ? { council: ctx.council } : {}
  await attempt(ctx, s, channel, messageId, rows, async () => {
    if (channel === 'email') await senders.email!.send({ ...renderDigestEmail({ to: s.channels.email!.address, items, subscription: s, links: l, today, ...council }), messageId })
    // Teams: the Bot Connector has no idempotency key (botbuilder even drops an activity's id),
    // so the message id stays in the ledger and the logs; a repeat shows as a second card.
    else if (channel === 'teams') await senders.teams!.send(s.channels.teams!.conversationId, renderTeamsActivity({ items, subscription: s, links: l, today, ...council }))
    else await senders.webhook!.send({ subscriptionId: s.id, url: s.channels.webhook!.url, deliveryId: messageId, body: renderWebhookBody({ items, subscription: s, deliveryId: messageId, today, sentAt: nowIso, links: l, ...council }) })
  })
}

/** A subscription's due rows (committed in the ledger), sent as the messages the ledger grouped them in. */
export async function sendSubscription(ctx: DigestSendContext, s: Subscription, toSend: Delivery[]): Promise<void> {
  await ctx.hooks?.afterRecord?.(s.id, toSend)
  ctx.counts.withMessages++
  for (const d of toSend) ctx.counts.items[d.kind] = (ctx.counts.items[d.kind] ?? 0) + 1
  // One message per message id: the grouping the ledger fixed before this run sent anything,
  // so a left-over of a crashed or failed run goes out as that same message, with its id.
  const byMessage = new Map<string, Delivery[]>()
  for (const d of toSend) {
    // Every due row has its id (recordDigests gives it); a store that did not would get a fresh one below.
    const key = d.messageId ?? `\u0000${d.channel}\u0000${d.kind === 'confirm'}`
    const list = byMessage.get(key)
    if (list) list.push(d)
    else byMessage.set(key, [d])
  }
  for (const rows of byMessage.values()) {
    const first = rows[0]!
    const messageId = first.messageId ?? newMessageId()
    if (first.kind === 'confirm') await sendConfirmation(ctx, s, messageId, rows)
    else await deliver(ctx, s, first.channel, messageId, rows)
  }
}

/** The subscriptions of a recorded batch, `concurrency` at a time. */
export async function sendAll(ctx: DigestSendContext, work: readonly [Subscription, Delivery[]][], concurrency: number): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < work.length) {
      const [s, rows] = work[next++]!
      await sendSubscription(ctx, s, rows)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, work.length)) }, worker))
}
