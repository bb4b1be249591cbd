// The digest run: for every subscription, what is due today — reminders at its lead times,
// estimates announced once, changes to programmes it follows or that concern it, new programmes
// since its last new-calls section — recorded in the ledger (committed, a batch of
// subscriptions per transaction, each row with the id of the message that will carry it)
// before one message per channel is sent, and marked sent after. Left-overs of earlier runs
// (a crash, a failed send) go out again as the message they were: same rows, same id. Pure
// orchestration over ports: the store, the catalogue, the senders. The steps: the inputs
// (digest-inputs.ts), the pure plan (digest-plan.ts), the ledger record (here, recordBatch),
// the sends and their marks (digest-send.ts).
import type { CouncilSettings } from '../../core/council-view.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import { parisDay } from '../../core/clock.ts'
import { startHeartbeat } from '../../core/heartbeat.ts'
import { silentLogger, type Logger } from '../../core/logger.ts'
import type { AlertsStore, DigestProgress, DigestRecord } from './alerts-store.ts'
import { createAlertMatcher, type AlertMatcher } from './audience.ts'
import type { ChangeEventSource } from './change-events.ts'
import type { Delivery, DeliveryKind } from './delivery.ts'
import { readDigestNews, saveEventsCursor } from './digest-inputs.ts'
import { createDigestPlanner, planningOrder, type SubscriptionPlan } from './digest-plan.ts'
import { createSentMarks, sendAll, type DigestHooks, type DigestSendContext, type SentMarks } from './digest-send.ts'
import type { LinkBuilder } from './links.ts'
import type { AlertSenders } from './senders.ts'
import type { ChannelKind, Subscription } from './subscription.ts'
import { randomId } from './tokens.ts'

export type { DigestHooks } from './digest-send.ts'

/** The alerts cannot send (a setting is missing, e.g. GUICHET_PUBLIC_URL): the digest refuses to start; the message says which. */
export class AlertsConfigError extends Error {
  override name = 'AlertsConfigError'
}

/** The run's lease: short, pushed by a heartbeat; a dead run's lease is taken over at once (runtime/node/lease.ts). */
const LOCK_TTL_MS = 45_000
const LOCK_HEARTBEAT_MS = 10_000

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
  /** The council calendar of the « dernier conseil utile » of reminders (GUICHET_COUNCIL_*); default: the built-in one. */
  council?: CouncilSettings
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
  /** Ledger rows: newly recorded, sent, failed this run, lost at the start of the run (expired: their last day passed unsent), cancelled. */
  rows: { recorded: number; sent: number; failed: number; expired: number; cancelled: number }
  channelsDisabled: number
  newProgrammes: number
  events: number
  /** Where the time went: choosing items, recording them (ledger), sending (render + send + marks). */
  phases: { prepareMs: number; recordMs: number; sendMs: number }
  ms: number
}

const zero = (): Record<ChannelKind, number> => ({ email: 0, teams: 0, webhook: 0 })

function emptyReport(today: string): DigestReport {
  return {
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
}

/** What one run's steps share, once it holds the lock. */
interface DigestRun {
  options: DigestOptions
  today: string
  nowIso: string
  report: DigestReport
  /** Throws once the run lost its lock (the heartbeat failed, or taking it again as its owner did). */
  checkLock: (batchStart: number) => Promise<void>
}

export async function runDigest(options: DigestOptions): Promise<DigestReport> {
  const { now, store, logger = silentLogger, wallClock = () => new Date() } = options
  const started = performance.now()
  const today = parisDay(now)
  const report = emptyReport(today)
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
  // A long run keeps its lock (taking it again as its owner pushes the expiry).
  const checkLock = async (batchStart: number) => {
    if (lockLost || (batchStart > 0 && !(await store.acquireLock(owner, wallClock(), LOCK_TTL_MS)))) throw new Error('alerts digest lost its lock')
  }
  try {
    await digestUnderLock({ options, today, nowIso: now.toISOString(), report, checkLock })
  } finally {
    stopHeartbeat()
    await store.releaseLock(owner)
  }
  report.ms = performance.now() - started
  logger.info('alerts digest done', { today, subscriptions: report.subscriptions, messages: report.messages, rows: report.rows, channelsDisabled: report.channelsDisabled, ms: Math.round(report.ms) })
  return report
}

/** The run under its lock: inputs, then batch by batch the plan, the ledger record and the sends; progress and the events cursor last. */
async function digestUnderLock(run: DigestRun): Promise<void> {
  const { options, today, nowIso, report } = run
  const { now, store, catalogue, senders, links, events, logger = silentLogger, retriesOnly = false, concurrency = 8, batchSize = 200, hooks } = options
  report.rows.expired = await store.expire(today)
  // Escalated, not silent: the back office lists them as lost and /api/ready counts them.
  if (report.rows.expired) logger.error('alerts deliveries lost: their last day passed before they could be sent', { today, rows: report.rows.expired })
  const all = catalogue.all()
  const subscriptions = await store.listSubscriptions()
  report.subscriptions = subscriptions.length
  const news = retriesOnly ? undefined : await readDigestNews(store, catalogue, all, events, today)
  if (news) {
    report.newProgrammes = news.fresh.filter((f) => f.firstSeen === today).length
    report.events = news.changes.length
  }
  const due = await store.dueSubscriptionIds(nowIso)
  const plan = createDigestPlanner({ today, matcher: options.matcher ?? createAlertMatcher(), retriesOnly, due, schedule: news?.schedule, fresh: news?.fresh ?? [], changes: news?.changes ?? [] })
  const ordered = planningOrder(subscriptions)
  const progress: DigestProgress[] = []
  const marks = createSentMarks(store, nowIso)
  const send: DigestSendContext = { now, nowIso, today, store, senders, links, logger, hooks, marks, counts: report, ...(options.council ? { council: options.council } : {}) }
  try {
    for (let start = 0; start < ordered.length; start += batchSize) {
      await run.checkLock(start)
      const work = await recordBatch(run, ordered.slice(start, start + batchSize), plan, progress)
      if (!work) continue
      const t = performance.now()
      await sendAll(send, work, concurrency)
      await marks.flush()
      report.phases.sendMs += performance.now() - t
    }
  } finally {
    // Whatever was sent is marked, even when the run stops on an error.
    await marks.flush()
  }
  if (progress.length) await store.saveProgress(progress.splice(0))
  if (news?.cursor !== undefined) await saveEventsCursor(store, news.cursor, nowIso)
}

/**
 * The ledger record of a batch: each subscription's plan, its rows committed in one transaction
 * before any of its messages is sent (progress alone is saved by the thousand). Returns the
 * subscriptions with rows due to send now, or undefined when the batch recorded nothing.
 */
async function recordBatch(run: DigestRun, subscriptions: readonly Subscription[], plan: (s: Subscription) => SubscriptionPlan, progress: DigestProgress[]): Promise<[Subscription, Delivery[]][] | undefined> {
  const { report, nowIso } = run
  const { store } = run.options
  const batch: DigestRecord[] = []
  const subs = new Map<string, Subscription>()
  let t = performance.now()
  for (const s of subscriptions) {
    const planned = plan(s)
    if (!planned) continue
    if ('progress' in planned) {
      progress.push(planned.progress)
      continue
    }
    batch.push(planned.record)
    subs.set(s.id, s)
  }
  report.phases.prepareMs += performance.now() - t
  if (progress.length >= 1000) await store.saveProgress(progress.splice(0))
  if (batch.length === 0) return undefined
  // Committed before any of its messages is sent.
  t = performance.now()
  const recorded = await store.recordDigests(batch, nowIso)
  report.phases.recordMs += performance.now() - t
  const work: [Subscription, Delivery[]][] = []
  for (const [id, { inserted, due: rows }] of recorded) {
    report.rows.recorded += inserted
    if (rows.length) work.push([subs.get(id)!, rows])
  }
  return work
}
