// What the owner of a subscription does with its signed manage token (the French page
// bot/alerts/manage-page.ts, through bot/alerts/manage-routes.ts): read it, change its themes,
// lead times and new-calls frequency, pause and resume it, export everything kept about it (the
// subscription with its progress, its delivery ledger, its outbox e-mails, its Teams reference), and
// erase it with a report of what went. Each step checks the token first: a token for another
// subscription or purpose is 'forbidden', an erased subscription 'gone'.
import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import type { ThemeId } from '../../core/themes.ts'
import type { AlertsStore, SubscriptionRecords } from './alerts-store.ts'
import type { Delivery } from './delivery.ts'
import { normaliseLeadTimes, type NewCallsFrequency, type Subscription } from './subscription.ts'
import type { TokenSigner } from './tokens.ts'

export interface ManageDeps {
  store: AlertsStore
  signer: TokenSigner
  clock: Clock
  logger: Logger
}

/** A manage step's answer: the value, or why there is none. */
export type Managed<T> = T | 'forbidden' | 'gone'

export interface Preferences {
  /** No theme: every programme the collectivité is eligible to. */
  themes: ThemeId[]
  leadTimes: number[]
  newCalls: NewCallsFrequency
}

/** Everything kept about a subscription, as its owner downloads it. */
export interface SubscriptionExport {
  exportedAt: string
  /** The subscription as stored: collectivité, facts, themes, followed programmes, channels and their addresses, progress. */
  subscription: Subscription
  /** Its delivery ledger: each reminder, announcement and confirmation, its channel, state and dates. */
  deliveries: Delivery[]
  /** The e-mails kept for it in the outbox (no SMTP, or a failed send): recipient, subject, text and HTML as written. */
  outbox: SubscriptionRecords['outbox']
  /** The Teams conversation reference it alerts, if any, as stored. */
  teamsConversations: SubscriptionRecords['teamsConversations']
}

/** What an erasure removed, for the page that says so (the store erases the whole ledger of the subscription with it). */
export interface ErasureReport {
  subscription: Subscription
  /** Ledger rows still to send (pending or failed). */
  unsentDeliveries: number
  /** Ledger rows already sent or expired: the history of what was sent. */
  pastDeliveries: number
}

/** The subscription behind a manage token for `id`. */
export async function managed(deps: ManageDeps, id: string, token: string | undefined): Promise<Managed<Subscription>> {
  if ((await deps.signer.verify(token, 'manage', Math.floor(deps.clock.now().getTime() / 1000))) !== id) return 'forbidden'
  return (await deps.store.getSubscription(id)) ?? 'gone'
}

export async function updatePreferences(deps: ManageDeps, id: string, token: string | undefined, prefs: Preferences): Promise<Managed<Subscription>> {
  const s = await managed(deps, id, token)
  if (typeof s === 'string') return s
  s.themes = [...new Set(prefs.themes)]
  s.leadTimes = normaliseLeadTimes(prefs.leadTimes)
  s.newCalls = prefs.newCalls
  await deps.store.saveSubscription(s)
  deps.logger.info('alerts subscription preferences changed', { subscription: id })
  return s
}

/** Why a pause cancels what was waiting to go (the ledger's last_error). */
export const PAUSE_CANCEL_REASON = 'paused by its owner'

/**
 * Pauses (nothing is sent until resumed) or resumes; the same state twice changes nothing.
 * Pausing cancels at once every reminder, announcement and change notice still waiting to go —
 * pending, or failed and waiting for a retry — on every channel: they never go, not even after
 * resuming (their ledger rows stay, expired, so the digest does not record them again). Only the
 * address confirmation is left as it is. While paused the digest records nothing for the
 * subscription and keeps its progress; on resuming, the next digest sends, once, the latest
 * reminder crossed during the pause for each deadline still ahead (digest-plan.ts), and the
 * deadlines that passed meanwhile are not mentioned.
 */
export async function setPaused(deps: ManageDeps, id: string, token: string | undefined, paused: boolean): Promise<Managed<Subscription>> {
  const s = await managed(deps, id, token)
  if (typeof s === 'string') return s
  if (Boolean(s.pausedAt) === paused) return s
  s.pausedAt = paused ? deps.clock.now().toISOString() : null
  await deps.store.saveSubscription(s)
  // Saved first: should the cancel fail, the digest still sends nothing to a paused subscription
  // and cancels these rows when it meets them (digest-send.ts, « channel closed »).
  const waiting = paused ? (await deps.store.deliveries(id)).filter((d) => (d.state === 'pending' || d.state === 'failed') && d.kind !== 'confirm') : []
  if (waiting.length) await deps.store.cancelDeliveries(waiting.map((d) => d.id), PAUSE_CANCEL_REASON)
  deps.logger.info(paused ? 'alerts subscription paused' : 'alerts subscription resumed', { subscription: id, ...(paused ? { cancelled: waiting.length } : {}) })
  return s
}

export async function exportSubscription(deps: ManageDeps, id: string, token: string | undefined): Promise<Managed<SubscriptionExport>> {
  const s = await managed(deps, id, token)
  if (typeof s === 'string') return s
  const { outbox, teamsConversations } = await deps.store.subscriptionRecords(id)
  return { exportedAt: deps.clock.now().toISOString(), subscription: s, deliveries: await deps.store.deliveries(id), outbox, teamsConversations }
}

/** Erases the subscription (as DELETE /api/subscriptions/{id} does) and says what went. */
export async function eraseWithReport(deps: ManageDeps, id: string, token: string | undefined): Promise<Managed<ErasureReport>> {
  const s = await managed(deps, id, token)
  if (typeof s === 'string') return s
  const rows = await deps.store.deliveries(id)
  if (!(await deps.store.deleteSubscription(id))) return 'gone'
  deps.logger.info('alerts subscription erased', { subscription: id })
  const unsent = rows.filter((r) => r.state === 'pending' || r.state === 'failed').length
  return { subscription: s, unsentDeliveries: unsent, pastDeliveries: rows.length - unsent }
}
