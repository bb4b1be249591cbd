// The digest run: for every subscription, what is due today — reminders at its lead times,
// estimates announced once, changes to programmes it follows or that concern it, new programmes
// since its last new-calls section — recorded in the ledger (committed, a batch of
// subscriptions per transaction, each row with the id of the message that will carry it)
// before one message per channel is sent, and marked sent after. Left-overs of earlier runs
// (a crash, a failed send) go out again as the message they were: same rows, same id. Pure
// orchestration over ports: the store, the catalogue, the senders.
import type { Catalogue } from '../../content/catalogue.ts'
import { dayFromNumber, dayNumber, daysBetween, parisDay } from '../../core/clock.ts'
import { startHeartbeat } from '../../core/heartbeat.ts'
import { silentLogger, type Logger } from '../../core/logger.ts'
import type { Programme } from '../../core/programme.ts'
import type { ThemeId } from '../../core/themes.ts'
import { BASELINE_DAY, type AlertsStore, type DigestProgress, type DigestRecord } from './alerts-store.ts'
import { createAlertMatcher, type AlertMatcher } from './audience.ts'
import { isAlertChange, summaryFacts, type ChangeEvent, type ChangeEventSource } from './change-events.ts'
import { newMessageId, retryDelayMs, type ChangeKind, type Delivery, type DeliveryKind, type DigestItem, type NewDelivery, type ProgrammeRef } from './delivery.ts'
import type { LinkBuilder } from './links.ts'
import { renderConfirmationEmail, renderDigestEmail, renderTeamsActivity, renderWebhookBody } from './render.ts'
import { buildSchedule, dueEstimateOffsets, dueOffsets, programmeRef, type Schedule } from './schedule.ts'
import { ChannelGoneError, DeliveryFailedError, type AlertSenders } from './senders.ts'
import { activeChannels, NEW_CALLS_PERIOD_DAYS, type ChannelKind, type Subscription } from './subscription.ts'
import { randomId } from './tokens.ts'

/** New-programme and change items are worth sending for two weeks; reminders until their deadline. */
export const NEWS_VALID_DAYS = 14
/** Programmes first seen within this many days can still be « new » for a weekly subscriber that missed runs. */
const FRESH_DAYS = 60
const EVENTS_CURSOR = 'alerts.events_cursor'
/** The run's lease: short, pushed by a heartbeat; a dead run's lease is taken over at once (runtime/node/lease.ts). */
const LOCK_TTL_MS = 45_000
const LOCK_HEARTBEAT_MS = 10_000
/** « Sent » marks of messages sent within this many milliseconds share one commit. */
const GROUP_COMMIT_MS = 5

interface Fresh {
  programme: Programme
  firstSeen: string
}

interface ChangeItem {
  programme: Programme | undefined
  item: Extract<DigestItem, { kind: ChangeKind }>
}

export interface DigestHooks {
  /** Called after the ledger rows of a subscription are committed, before sending (tests simulate a crash here). */
  afterRecord?(subscriptionId: string, due: readonly Delivery[]): void | Promise<void>
  /** Called after a message was sent, before its rows are marked sent (tests simulate a crash here: it is re-sent with the same id). */
  afterSend?(subscriptionId: string, channel: ChannelKind, messageId: string, rows: readonly Delivery[]): void | Promise<void>
}

export interface DigestOptions {
  now: Date
  store: AlertsStore
  catalogue: Catalogue
  senders: AlertSenders
  links: LinkBuilder
  matcher?: AlertMatcher
  events?: ChangeEventSource
  logger?: Logger
  /** Only resend what is due in the ledger (startup, the retry job): nothing new is computed. */
  retriesOnly?: boolean
  /** Subscriptions sent to at once. */
  concurrency?: number
  /** Subscriptions whose ledger rows are recorded in one transaction, before their messages go. */
  batchSize?: number
  /** Wall clock for the run lock (GUICHET_NOW fixes `now`, not the lock's expiry). */
  wallClock?: () => Date
  hooks?: DigestHooks
}

export interface DigestReport {
  today: string
  skipped?: 'locked'
  subscriptions: number
  /** Subscriptions that had something recorded or due. */
  withMessages: number
  items: Partial<Record<DeliveryKind, number>>
  messages: { sent: Record<ChannelKind, number>; failed: Record<ChannelKind, number> }
  /** Ledger rows: newly recorded, sent, failed this run, expired at the start of the run. */
  rows: { recorded: number; sent: number; failed: number; expired: number; cancelled: number }
  channelsDisabled: number
  newProgrammes: number
  events: number
  /** Where the time went: choosing items, recording them (ledger), sending (render + send + marks). */
  phases: { prepareMs: number; recordMs: number; sendMs: number }
  ms: number
}

const zero = (): Record<ChannelKind, number> => ({ email: 0, teams: 0, webhook: 0 })

export async function runDigest(options: DigestOptions): Promise<DigestReport> {
  const { now, store, catalogue, senders, links, events, logger = silentLogger, retriesOnly = false, concurrency = 8, batchSize = 200, wallClock = () => new Date(), hooks } = options
  const matcher = options.matcher ?? createAlertMatcher()
  const started = performance.now()
  const today = parisDay(now)
  const nowIso = now.toISOString()
  const report: DigestReport = {
    today,
    subscriptions: 0,
    withMessages: 0,
    items: {},
    messages: { sent: zero(), failed: zero() },
    rows: { recorded: 0, sent: 0, failed: 0, expired: 0, cancelled: 0 },
    channelsDisabled: 0,
    newProgrammes: 0,
    events: 0,
    phases: { prepareMs: 0, recordMs: 0, sendMs: 0 },
    ms: 0,
  }
  const owner = randomId()
  if (!(await store.acquireLock(owner, wallClock(), LOCK_TTL_MS))) {
    logger.warn('alerts digest skipped: another run holds the lock', { today })
    return { ...report, skipped: 'locked', ms: performance.now() - started }
  }
  let lockLost = false
  const stopHeartbeat = startHeartbeat(() => store.acquireLock(owner, wallClock(), LOCK_TTL_MS), LOCK_HEARTBEAT_MS, () => {
    lockLost = true
    logger.warn('alerts digest lost its lock', { today })
  })
  try {
    report.rows.expired = await store.expire(today)
    const all = catalogue.all()
    const subscriptions = await store.listSubscriptions()
    report.subscriptions = subscriptions.length

    let schedule: Schedule | undefined
    let fresh: Fresh[] = []
    let changes: ChangeItem[] = []
    let cursor: number | undefined
    if (!retriesOnly) {
      fresh = await freshProgrammes(store, all, today)
      report.newProgrammes = fresh.filter((f) => f.firstSeen === today).length
      schedule = buildSchedule(all, today)
      if (events) {
        const read = await changeItems(events, store, catalogue)
        changes = read.changes
        cursor = read.cursor
        report.events = read.changes.length
      }
    }

    const due = await store.dueSubscriptionIds(nowIso)
    // Same eligibility key side by side: the matcher's memo serves them all.
    const ordered = subscriptions.map((s) => ({ s, key: `${s.profile.type}|${s.profile.code}|${s.profile.population ?? ''}|${s.facts.applicantType ?? ''}` })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    const progress: DigestProgress[] = []
    const newsExpire = plusDays(today, NEWS_VALID_DAYS)
    // New programmes by theme: a subscription looks only at those sharing one of its themes (and those it follows).
    const freshByTheme = new Map<ThemeId, Fresh[]>()
    for (const f of fresh) for (const t of f.programme.themes) freshByTheme.set(t, [...(freshByTheme.get(t) ?? []), f])
    const freshFor = (s: Subscription): Fresh[] => {
      if (s.themes.length === 0) return fresh
      const picked = new Set<Fresh>()
      for (const t of s.themes) for (const f of freshByTheme.get(t) ?? []) picked.add(f)
      if (s.programmes.length) for (const f of fresh) if (s.programmes.includes(f.programme.id)) picked.add(f)
      return [...picked]
    }
    // One reference object per programme and run, shared by every item that names it.
    const refs = new Map<string, ProgrammeRef>()
    const refOf = (p: Programme): ProgrammeRef => {
      let r = refs.get(p.id)
      if (!r) {
        r = programmeRef(p)
        refs.set(p.id, r)
      }
      return r
    }
    const offsetsCache = new Map<string, { reminders: { k: number; lead: number }[]; estimates: { k: number; lead: number }[] }>()

    const itemsFor = (s: Subscription): { items: { item: DigestItem; deadline: string; leadDays: number; expiresOn: string; programmeId: string }[]; progress?: DigestProgress } => {
      const out: { item: DigestItem; deadline: string; leadDays: number; expiresOn: string; programmeId: string }[] = []
      const gap = s.lastDigestDay ? daysBetween(s.lastDigestDay, today) : Number.POSITIVE_INFINITY
      let newCallsSince = s.newCallsSince
      if (schedule && gap > 0) {
        const cacheKey = `${s.leadTimes.join(',')}|${Math.min(gap, 1000)}`
        let offsets = offsetsCache.get(cacheKey)
        if (!offsets) {
          offsets = { reminders: dueOffsets(s.leadTimes, gap), estimates: dueEstimateOffsets(s.leadTimes, gap) }
          offsetsCache.set(cacheKey, offsets)
        }
        for (const { k, lead } of offsets.reminders) {
          for (const d of schedule.firm[k] ?? []) {
            if (!matcher.relevance(d.programme, s, today)) continue
            out.push({ item: { kind: 'reminder', programme: refOf(d.programme), deadline: d.deadline, leadDays: lead }, deadline: d.deadline, leadDays: lead, expiresOn: d.deadline, programmeId: d.programme.id })
          }
        }
        for (const { k, lead } of offsets.estimates) {
          for (const d of schedule.estimated[k] ?? []) {
            if (!matcher.relevance(d.programme, s, today)) continue
            out.push({
              item: { kind: 'estimate', programme: refOf(d.programme), deadline: d.deadline, leadDays: lead, basis: d.basis, ...(d.window ? { window: d.window } : {}) },
              deadline: d.deadline,
              leadDays: lead,
              expiresOn: d.deadline,
              programmeId: d.programme.id,
            })
          }
        }
      }
      if (schedule && s.newCalls !== 'off' && daysBetween(s.newCallsSince, today) >= NEW_CALLS_PERIOD_DAYS[s.newCalls]) {
        for (const f of freshFor(s)) {
          if (f.firstSeen <= s.newCallsSince) continue
          const view = schedule.view(f.programme)
          if (view.status === 'closed') continue
          const rel = matcher.relevance(f.programme, s, today)
          if (!rel) continue
          out.push({ item: { kind: 'new_programme', programme: refOf(f.programme), calendar: view.label, status: rel }, deadline: '', leadDays: 0, expiresOn: newsExpire, programmeId: f.programme.id })
        }
        newCallsSince = today
      }
      // A change concerns the subscriptions that follow the programme, and those it still matches.
      for (const { programme, item } of changes) {
        if (!s.programmes.includes(item.programme.id) && !(programme && matcher.relevance(programme, s, today))) continue
        out.push({ item, deadline: `ev:${item.event}`, leadDays: 0, expiresOn: newsExpire, programmeId: item.programme.id })
      }
      const moved = !retriesOnly && (s.lastDigestDay !== today || newCallsSince !== s.newCallsSince)
      return { items: out, ...(moved ? { progress: { subscriptionId: s.id, lastDigestDay: today, newCallsSince } } : {}) }
    }

    /** What a subscription has to record this run: its rows, its progress, or nothing at all. */
    const prepare = (s: Subscription): DigestRecord | undefined => {
      // A channel whose sender this process lacks (a CLI run without Teams) still gets its rows: they
      // fail and wait for a run that has it, rather than being lost.
      const channels = activeChannels(s)
      // Nothing can be sent yet (e-mail awaiting confirmation): progress stays, so that the first
      // digest after confirmation brings what is due then.
      if (channels.length === 0 && !due.has(s.id)) return undefined
      const { items, progress: p } = itemsFor(s)
      const rows: NewDelivery[] = []
      for (const c of channels) for (const i of items) rows.push({ subscriptionId: s.id, channel: c, programmeId: i.programmeId, kind: i.item.kind, deadline: i.deadline, leadDays: i.leadDays, expiresOn: i.expiresOn, item: i.item })
      if (rows.length === 0 && !due.has(s.id)) {
        if (p) progress.push(p)
        return undefined
      }
      return { subscriptionId: s.id, rows, ...(p ? { progress: p } : {}), ...(due.has(s.id) ? { leftovers: true } : {}) }
    }

    const send = async (s: Subscription, toSend: Delivery[]): Promise<void> => {
      await hooks?.afterRecord?.(s.id, toSend)
      report.withMessages++
      for (const d of toSend) report.items[d.kind] = (report.items[d.kind] ?? 0) + 1
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
        if (first.kind === 'confirm') await sendConfirmation(s, messageId, rows)
        else await deliver(s, first.channel, messageId, rows)
      }
    }

    const sendConfirmation = async (s: Subscription, messageId: string, rows: Delivery[]): Promise<void> => {
      const email = s.channels.email
      if (!email || email.disabledAt || email.confirmedAt || s.unsubscribedAt) {
        await store.cancelDeliveries(ids(rows), email?.confirmedAt ? 'already confirmed' : 'e-mail channel closed')
        report.rows.cancelled += rows.length
        return
      }
      const l = await links.links(s.id)
      await attempt(s, 'email', messageId, rows, async () => {
        if (!senders.email) throw new DeliveryFailedError('no email sender in this process')
        await senders.email.send({ ...renderConfirmationEmail({ to: email.address, subscription: s, links: l, confirmUrl: await links.confirmUrl(s.id, now) }), messageId })
      })
    }

    const deliver = async (s: Subscription, channel: ChannelKind, messageId: string, rows: Delivery[]): Promise<void> => {
      if (!activeChannels(s).includes(channel)) {
        await store.cancelDeliveries(ids(rows), `${channel} channel closed`)
        report.rows.cancelled += rows.length
        return
      }
      if (!senders[channel]) {
        await attempt(s, channel, messageId, rows, async () => {
          throw new DeliveryFailedError(`no ${channel} sender in this process`)
        })
        return
      }
      const items = rows.map((r) => r.item)
      const l = await links.links(s.id)
      await attempt(s, channel, messageId, rows, async () => {
        if (channel === 'email') await senders.email!.send({ ...renderDigestEmail({ to: s.channels.email!.address, items, subscription: s, links: l, today }), messageId })
        // Teams: the Bot Connector has no idempotency key (botbuilder even drops an activity's id),
        // so the message id stays in the ledger and the logs; a repeat shows as a second card.
        else if (channel === 'teams') await senders.teams!.send(s.channels.teams!.conversationId, renderTeamsActivity({ items, subscription: s, links: l, today }))
        else await senders.webhook!.send({ subscriptionId: s.id, url: s.channels.webhook!.url, deliveryId: messageId, body: renderWebhookBody({ items, subscription: s, deliveryId: messageId, today, sentAt: nowIso, links: l }) })
      })
    }

    const attempt = async (s: Subscription, channel: ChannelKind, messageId: string, rows: Delivery[], send: () => Promise<void>): Promise<void> => {
      try {
        await send()
      } catch (err) {
        if (err instanceof ChannelGoneError) {
          await disableChannel(store, s.id, channel, err.reason, nowIso)
          report.channelsDisabled++
          report.rows.cancelled += rows.length
          report.messages.failed[channel]++
          logger.warn('alerts channel disabled', { subscription: s.id, channel, message: messageId, reason: err.reason })
          return
        }
        // The send may have reached the receiver all the same (a timeout, a 5xx after processing):
        // the rows keep their message id, and the retry carries it again.
        const attempts = Math.max(...rows.map((r) => r.attempts)) + 1
        await store.markFailed(ids(rows), { at: nowIso, error: safeError(err), nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)).toISOString() })
        report.rows.failed += rows.length
        report.messages.failed[channel]++
        logger.warn('alerts message failed, will retry', { subscription: s.id, channel, message: messageId, attempts, error: safeError(err) })
        return
      }
      // A crash from here until the mark is committed re-sends this message, with this id.
      await hooks?.afterSend?.(s.id, channel, messageId, rows)
      await sent.add(ids(rows))
      report.rows.sent += rows.length
      report.messages.sent[channel]++
    }

    // Group commit of « sent » marks: committed at most GROUP_COMMIT_MS after a send and always
    // before the next batch is recorded. A real mail server takes longer than that per message, so
    // in production each mark gets its own commit; a crash can repeat only what was sent within
    // that window (or was being sent), and a repeat carries the id of the first copy.
    const sent = {
      pending: [] as number[],
      last: performance.now(),
      async add(list: number[]) {
        this.pending.push(...list)
        if (performance.now() - this.last >= GROUP_COMMIT_MS) await this.flush()
      },
      async flush() {
        this.last = performance.now()
        if (this.pending.length) await store.markSent(this.pending.splice(0), nowIso)
      },
    }

    try {
      for (let start = 0; start < ordered.length; start += batchSize) {
        // A long run keeps its lock (taking it again as its owner pushes the expiry).
        if (lockLost || (start > 0 && !(await store.acquireLock(owner, wallClock(), LOCK_TTL_MS)))) throw new Error('alerts digest lost its lock')
        const batch: DigestRecord[] = []
        const subs = new Map<string, Subscription>()
        let t = performance.now()
        for (const { s } of ordered.slice(start, start + batchSize)) {
          const r = prepare(s)
          if (r) {
            batch.push(r)
            subs.set(s.id, s)
          }
        }
        report.phases.prepareMs += performance.now() - t
        if (progress.length >= 1000) await store.saveProgress(progress.splice(0))
        if (batch.length === 0) continue
        // Committed before any of its messages is sent.
        t = performance.now()
        const recorded = await store.recordDigests(batch, nowIso)
        report.phases.recordMs += performance.now() - t
        t = performance.now()
        const work: [Subscription, Delivery[]][] = []
        for (const [id, { inserted, due: rows }] of recorded) {
          report.rows.recorded += inserted
          if (rows.length) work.push([subs.get(id)!, rows])
        }
        let next = 0
        const worker = async () => {
          while (next < work.length) {
            const [s, rows] = work[next++]!
            await send(s, rows)
          }
        }
        await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, work.length)) }, worker))
        await sent.flush()
        report.phases.sendMs += performance.now() - t
      }
    } finally {
      // Whatever was sent is marked, even when the run stops on an error.
      await sent.flush()
    }
    if (progress.length) await store.saveProgress(progress.splice(0))
    if (cursor !== undefined) await store.setMeta(EVENTS_CURSOR, String(cursor), nowIso)
  } finally {
    stopHeartbeat()
    await store.releaseLock(owner)
  }
  report.ms = performance.now() - started
  logger.info('alerts digest done', { today, subscriptions: report.subscriptions, messages: report.messages, rows: report.rows, channelsDisabled: report.channelsDisabled, ms: Math.round(report.ms) })
  return report
}

const ids = (rows: readonly Delivery[]) => rows.map((r) => r.id)

function plusDays(day: string, n: number): string {
  return dayFromNumber(dayNumber(day) + n)
}

/** Error text without addresses or URLs (they may carry personal data or tokens). */
export function safeError(err: unknown): string {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return msg
    .replace(/[^\s<>@]+@[^\s<>@]+/g, '<adresse>')
    .replace(/https?:\/\/\S+/g, '<url>')
    .slice(0, 300)
}

export async function disableChannel(store: AlertsStore, id: string, channel: ChannelKind, reason: string, at: string): Promise<void> {
  const s = await store.getSubscription(id)
  const ch = s?.channels[channel]
  if (s && ch && !ch.disabledAt) {
    ch.disabledAt = at
    ch.disabledReason = reason
    await store.saveSubscription(s)
  }
  await store.cancelChannel(id, channel, `channel disabled: ${reason}`)
}

/**
 * Programmes the alerts have seen, with the day they first saw them. The first run takes the
 * whole catalogue as its baseline (nothing is « new » on day one); later ones mark arrivals.
 */
async function freshProgrammes(store: AlertsStore, all: readonly Programme[], today: string): Promise<{ programme: Programme; firstSeen: string }[]> {
  const seen = await store.seenProgrammes()
  const unseen = all.filter((p) => !seen.has(p.id)).map((p) => p.id)
  if (unseen.length) {
    const day = seen.size === 0 ? BASELINE_DAY : today
    await store.markSeen(unseen, day)
    for (const id of unseen) seen.set(id, day)
  }
  const since = plusDays(today, -FRESH_DAYS)
  const out: { programme: Programme; firstSeen: string }[] = []
  for (const p of all) {
    const day = seen.get(p.id)!
    if (day !== BASELINE_DAY && day > since && day <= today) out.push({ programme: p, firstSeen: day })
  }
  return out.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen))
}

/** Change events since the cursor (deadline moved, closed early, new edition), as items. */
async function changeItems(source: ChangeEventSource, store: AlertsStore, catalogue: Catalogue): Promise<{ changes: ChangeItem[]; cursor: number | undefined }> {
  const raw = await store.getMeta(EVENTS_CURSOR)
  let cursor = raw ? Number(raw) : 0
  const read: ChangeEvent[] = []
  for (;;) {
    const page = await source.events({ afterId: cursor, limit: 1000 })
    if (page.length === 0) break
    read.push(...page)
    cursor = Math.max(cursor, ...page.map((e) => e.id ?? cursor))
    if (page.length < 1000) break
  }
  const changes: ChangeItem[] = []
  for (const e of read) {
    if (!isAlertChange(e.kind)) continue
    const p = catalogue.get(e.programmeId)
    const before = summaryFacts(e.before)
    const after = summaryFacts(e.after)
    const ref: ProgrammeRef = p ? programmeRef(p) : { id: e.programmeId, name: after.name ?? before.name ?? e.programmeId, funder: 'Financeur', url: after.url ?? before.url ?? '' }
    if (!ref.url) continue
    changes.push({
      programme: p,
      item: {
        kind: e.kind,
        programme: ref,
        before: { deadline: before.deadline ?? null },
        after: { deadline: after.deadline ?? null, edition: after.edition ?? null },
        event: e.id !== undefined ? String(e.id) : e.at,
      },
    })
  }
  return { changes, cursor }
}
