// The alerts service: subscribe (from the API, the dialogue, the widget or Teams), confirm an
// e-mail address (double opt-in), unsubscribe in one click, let the owner read and erase a
// subscription, and serve its calendar. Tokens decide who may do what; nothing here logs an
// address or a URL.
import type { CouncilSettings } from '../../core/council-view.ts'
import { z } from 'zod'
import type { Catalogue } from '../../content/catalogue.ts'
import { dayFromNumber, dayNumber, parisDay, type Clock } from '../../core/clock.ts'
import { NotFoundError, ValidationError } from '../../core/errors.ts'
import { silentLogger, type Logger } from '../../core/logger.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import type { ThemeId } from '../../core/themes.ts'
import type { AlertsStore } from './alerts-store.ts'
import { createAlertMatcher, type AlertMatcher } from './audience.ts'
import { disableChannel, safeError } from './send-failure.ts'
import { retryDelayMs } from './delivery.ts'
import { subscriptionCalendar } from './ics.ts'
import { CONFIRM_VALID_DAYS, type LinkBuilder } from './links.ts'
import { eraseWithReport, exportSubscription, managed, setPaused, updatePreferences, type ErasureReport, type Managed, type Preferences, type SubscriptionExport } from './manage.ts'
import { renderConfirmationEmail } from './render.ts'
import { ChannelGoneError, type AlertSenders } from './senders.ts'
import {
  channelStatus,
  normaliseLeadTimes,
  profileSnapshot,
  subscriptionStatus,
  type AlertFacts,
  type NewCallsFrequency,
  type Subscription,
  type SubscriptionSource,
  type SubscriptionStatus,
} from './subscription.ts'
import { randomId, type TokenSigner } from './tokens.ts'
import type { ChallengeOutcome, WebhookConfirmer } from './webhook-sender.ts'

export interface NewSubscription {
  profile: CollectiviteProfile
  facts?: AlertFacts
  themes?: ThemeId[]
  programmes?: string[]
  channels: { email?: string; webhookUrl?: string; teamsConversationId?: string }
  leadTimes?: number[]
  newCalls?: NewCallsFrequency
  source: SubscriptionSource
}

export interface CreatedSubscription {
  id: string
  status: SubscriptionStatus
  channels: ReturnType<typeof channelStatus>
  manageUrl: string
  /** The French management page (same token): what to give a person. */
  managePageUrl: string
  icsUrl: string
  unsubscribeUrl: string
  /** Returned once, at creation: the receiver verifies X-Guichet-Signature with it. */
  webhookSecret?: string
  /** The confirmation challenge sent to the webhook at creation: active only once answered. */
  webhookConfirmation?: WebhookConfirmationView
}

/** Where a webhook stands with its confirmation challenge. */
export interface WebhookConfirmationView {
  status: 'confirmed' | 'pending'
  /** Why it is still pending (French), null once confirmed. */
  reason: string | null
  /** POST here (the manage token in ?token=) to send the challenge again. */
  retryUrl: string
}

export interface SubscriptionView {
  id: string
  status: SubscriptionStatus
  createdAt: string
  source: SubscriptionSource
  collectivite: { type: CollectiviteProfile['type']; code: string; name: string }
  applicantType: string | null
  themes: ThemeId[]
  programmes: string[]
  leadTimes: number[]
  newCalls: NewCallsFrequency
  channels: {
    email?: { address: string; status: string }
    teams?: { status: string; disabledReason: string | null }
    webhook?: { url: string; status: string; disabledReason: string | null; confirmationError: string | null }
  }
  managePageUrl: string
  icsUrl: string
  unsubscribeUrl: string
}

export type ConfirmOutcome = 'confirmed' | 'already_confirmed' | 'invalid' | 'unknown'
/** What a confirmation link would do, read without doing it: a GET (a mail scanner's) confirms nothing. */
export type PendingConfirmation = 'pending' | 'already_confirmed' | 'invalid' | 'unknown'
export type UnsubscribeOutcome = 'unsubscribed' | 'already_unsubscribed' | 'invalid'

export interface AlertsService {
  create(input: NewSubscription, options?: { baseUrl?: string }): Promise<CreatedSubscription>
  /** What the confirmation token would confirm; changes nothing. */
  confirmation(token: string | undefined): Promise<{ outcome: PendingConfirmation; subscription?: Subscription }>
  /** Confirms the e-mail address (the « Confirmer » button's POST). */
  confirm(token: string | undefined): Promise<{ outcome: ConfirmOutcome; subscription?: Subscription }>
  unsubscribe(token: string | undefined): Promise<UnsubscribeOutcome>
  /** undefined when the token is not a manage token for this id (403). */
  view(id: string, token: string | undefined, options?: { baseUrl?: string }): Promise<SubscriptionView | undefined>
  erase(id: string, token: string | undefined): Promise<'erased' | 'already_erased' | 'forbidden'>
  calendar(id: string, token: string | undefined): Promise<string | undefined>
  /**
   * Sends the webhook's confirmation challenge again (manage token). 'forbidden' for a bad token;
   * NotFoundError when erased; ValidationError when the subscription has no webhook.
   */
  confirmWebhook(id: string, token: string | undefined, options?: { baseUrl?: string }): Promise<WebhookConfirmationView | 'forbidden'>
  /** The management page's steps (bot/alerts/manage.ts): the subscription behind a manage token, and what its owner changes. */
  manage(id: string, token: string | undefined): Promise<Managed<Subscription>>
  updatePreferences(id: string, token: string | undefined, prefs: Preferences): Promise<Managed<Subscription>>
  setPaused(id: string, token: string | undefined, paused: boolean): Promise<Managed<Subscription>>
  exportData(id: string, token: string | undefined): Promise<Managed<SubscriptionExport>>
  eraseWithReport(id: string, token: string | undefined): Promise<Managed<ErasureReport>>
}

export interface AlertsServiceDeps {
  store: AlertsStore
  catalogue: () => Catalogue
  clock: Clock
  signer: TokenSigner
  links: LinkBuilder
  senders: AlertSenders
  logger?: Logger
  matcher?: () => AlertMatcher
  /** Accept http:// and private or loopback webhook hosts (tests, an intranet). Off: https to public hosts only. */
  allowPrivateWebhooks?: boolean
  /**
   * Why a webhook URL is refused after resolving its host (every address public?), or undefined:
   * the Node runtime's outbound guard. Absent: the syntactic check only.
   */
  checkWebhookUrl?: (url: string) => Promise<string | undefined>
  /** Sends the signed confirmation challenge; absent = webhooks stay pending (no way to confirm them). */
  confirmWebhook?: WebhookConfirmer
  newId?: () => string
  /** The council calendar of the feed's « Dernier conseil utile » events (GUICHET_COUNCIL_*); default: the built-in one. */
  council?: CouncilSettings
}

const EmailSchema = z.email({ error: 'adresse e-mail invalide' }).max(254)

export function createAlertsService(deps: AlertsServiceDeps): AlertsService {
  const { clock, logger = silentLogger, allowPrivateWebhooks = false, newId = () => randomId() } = deps
  const newMatcher = deps.matcher ?? (() => createAlertMatcher())
  const seconds = () => Math.floor(clock.now().getTime() / 1000)
  const ctx: ServiceContext = { ...deps, logger, allowPrivateWebhooks, newId, newMatcher, seconds }
  return {
    create: (input, { baseUrl } = {}) => createSubscription(ctx, input, baseUrl),
    confirmation: (token) => pendingConfirmation(ctx, token),
    confirm: (token) => confirmEmail(ctx, token),
    unsubscribe: (token) => unsubscribe(ctx, token),
    view: (id, token, { baseUrl } = {}) => viewSubscription(ctx, id, token, baseUrl),
    erase: (id, token) => eraseSubscription(ctx, id, token),
    calendar: (id, token) => calendar(ctx, id, token),
    confirmWebhook: (id, token, { baseUrl } = {}) => confirmWebhook(ctx, id, token, baseUrl),
    manage: (id, token) => managed(ctx, id, token),
    updatePreferences: (id, token, prefs) => updatePreferences(ctx, id, token, prefs),
    setPaused: (id, token, paused) => setPaused(ctx, id, token, paused),
    exportData: (id, token) => exportSubscription(ctx, id, token),
    eraseWithReport: (id, token) => eraseWithReport(ctx, id, token),
  }
}

/** The service's dependencies with their defaults filled in: what each step below takes. */
interface ServiceContext extends AlertsServiceDeps {
  logger: Logger
  allowPrivateWebhooks: boolean
  newId: () => string
  newMatcher: () => AlertMatcher
  /** The clock's now, in whole seconds (token expiry). */
  seconds: () => number
}

/** What a new subscription's checks let through, normalised. */
interface CheckedSubscription {
  programmes: string[]
  address: string | undefined
  leadTimes: number[]
}

async function createSubscription(ctx: ServiceContext, input: NewSubscription, baseUrl: string | undefined): Promise<CreatedSubscription> {
  const { programmes, address, leadTimes } = await checkNewSubscription(ctx, input)
  const { webhookUrl } = input.channels
  const s = newSubscriptionRecord(ctx, input, programmes, address, leadTimes)
  await ctx.store.createSubscription(s)
  const l = await ctx.links.links(s.id, baseUrl)
  if (address) await sendConfirmation(ctx, s, address, baseUrl)
  const after = webhookUrl ? await challenge(ctx, s) : s
  ctx.logger.info('alerts subscription created', { subscription: s.id, source: s.source, channels: Object.keys(s.channels) })
  return {
    id: s.id,
    status: subscriptionStatus(after),
    channels: channelStatus(after),
    manageUrl: l.manageUrl,
    managePageUrl: l.managePageUrl,
    icsUrl: l.icsUrl,
    unsubscribeUrl: l.unsubscribeUrl,
    ...(webhookUrl ? { webhookSecret: await ctx.signer.webhookSecret(s.id), webhookConfirmation: await confirmationView(ctx, after, baseUrl) } : {}),
  }
}

/** Every problem of a new subscription at once (ValidationError), in field order; else what is kept of it. */
async function checkNewSubscription(ctx: ServiceContext, input: NewSubscription): Promise<CheckedSubscription> {
  const { senders } = ctx
  const issues: { field: string; message: string }[] = []
  const cat = ctx.catalogue()
  const programmes = [...new Set(input.programmes ?? [])]
  programmes.forEach((id, i) => {
    if (!cat.get(id)) issues.push({ field: `programmes.${i}`, message: `programme inconnu : « ${id} »` })
  })
  const { email, webhookUrl, teamsConversationId } = input.channels
  if (!email && !webhookUrl && !teamsConversationId) issues.push({ field: 'channels', message: 'au moins un canal : email, webhookUrl ou teamsConversationId' })
  let address: string | undefined
  if (email !== undefined) {
    const parsed = EmailSchema.safeParse(email.trim())
    if (!parsed.success) issues.push({ field: 'channels.email', message: 'adresse e-mail invalide' })
    else address = normaliseEmail(parsed.data)
    if (!senders.email) issues.push({ field: 'channels.email', message: 'les alertes par e-mail ne sont pas activées sur ce Guichet' })
  }
  if (webhookUrl !== undefined) {
    const problem = webhookProblem(webhookUrl, ctx.allowPrivateWebhooks) ?? (ctx.checkWebhookUrl ? await ctx.checkWebhookUrl(webhookUrl) : undefined)
    if (problem) issues.push({ field: 'channels.webhookUrl', message: problem })
    if (!senders.webhook) issues.push({ field: 'channels.webhookUrl', message: 'les webhooks ne sont pas activés sur ce Guichet' })
  }
  if (teamsConversationId !== undefined && !(senders.teams && (await senders.teams.knows(teamsConversationId)))) {
    issues.push({ field: 'channels.teamsConversationId', message: 'conversation Teams inconnue : abonnez-vous depuis Teams, avec le bouton des résultats' })
  }
  const leadTimes = normaliseLeadTimes(input.leadTimes)
  if (issues.length) throw new ValidationError(issues)
  return { programmes, address, leadTimes }
}

/** The subscription as first stored: every channel unconfirmed, news counted from today. */
function newSubscriptionRecord(ctx: ServiceContext, input: NewSubscription, programmes: string[], address: string | undefined, leadTimes: number[]): Subscription {
  const { webhookUrl, teamsConversationId } = input.channels
  const now = ctx.clock.now()
  const nowIso = now.toISOString()
  const today = parisDay(now)
  return {
    id: ctx.newId(),
    createdAt: nowIso,
    source: input.source,
    profile: profileSnapshot(input.profile),
    facts: pruneFacts(input.facts ?? {}),
    themes: [...new Set(input.themes ?? [])],
    programmes,
    leadTimes,
    newCalls: input.newCalls ?? 'weekly',
    channels: {
      ...(address ? { email: { address, confirmedAt: null, disabledAt: null, disabledReason: null } } : {}),
      ...(teamsConversationId ? { teams: { conversationId: teamsConversationId, disabledAt: null, disabledReason: null } } : {}),
      ...(webhookUrl ? { webhook: { url: webhookUrl, disabledAt: null, disabledReason: null, confirmedAt: null, challengedAt: null, challengeError: null } } : {}),
    },
    lastDigestDay: null,
    // Programmes that appear from the day of subscribing on are news to it.
    newCallsSince: dayFromNumber(dayNumber(today) - 1),
    unsubscribedAt: null,
  }
}

/** Sends the confirmation challenge to the subscription's webhook and stores the outcome; returns the subscription as stored. */
async function challenge(ctx: ServiceContext, s: Subscription): Promise<Subscription> {
  const hook = s.channels.webhook!
  const outcome: ChallengeOutcome = ctx.confirmWebhook
    ? await ctx.confirmWebhook({ subscriptionId: s.id, url: hook.url })
    : { confirmed: false, reason: 'les webhooks ne peuvent pas être confirmés sur ce Guichet' }
  // Re-read: the challenge took time, the subscription may have been erased meanwhile.
  const fresh = await ctx.store.getSubscription(s.id)
  if (!fresh?.channels.webhook) return s
  const nowIso = ctx.clock.now().toISOString()
  fresh.channels.webhook.challengedAt = nowIso
  if (outcome.confirmed) {
    fresh.channels.webhook.confirmedAt ??= nowIso
    fresh.channels.webhook.challengeError = null
  } else fresh.channels.webhook.challengeError = outcome.reason
  await ctx.store.saveSubscription(fresh)
  ctx.logger.info('alerts webhook challenge', { subscription: s.id, confirmed: outcome.confirmed })
  return fresh
}

async function confirmationView(ctx: ServiceContext, s: Subscription, baseUrl: string | undefined): Promise<WebhookConfirmationView> {
  const hook = s.channels.webhook!
  const l = await ctx.links.links(s.id, baseUrl)
  const manage = new URL(l.manageUrl)
  const retry = new URL(`${manage.pathname.replace(/\/$/, '')}/webhook/confirm`, manage)
  retry.search = manage.search
  return { status: hook.confirmedAt ? 'confirmed' : 'pending', reason: hook.confirmedAt ? null : (hook.challengeError ?? 'défi de confirmation pas encore envoyé'), retryUrl: retry.toString() }
}

async function confirmWebhook(ctx: ServiceContext, id: string, token: string | undefined, baseUrl: string | undefined): Promise<WebhookConfirmationView | 'forbidden'> {
  if ((await ctx.signer.verify(token, 'manage', ctx.seconds())) !== id) return 'forbidden'
  const s = await ctx.store.getSubscription(id)
  if (!s) throw new NotFoundError('Abonnement introuvable (supprimé ou désabonné) / Subscription not found', 'id')
  if (!s.channels.webhook) throw new ValidationError([{ field: 'channels.webhookUrl', message: 'cet abonnement n\'a pas de webhook' }])
  if (s.channels.webhook.disabledAt) throw new ValidationError([{ field: 'channels.webhookUrl', message: `ce webhook est désactivé (${s.channels.webhook.disabledReason ?? 'motif inconnu'}) : créez un nouvel abonnement` }])
  if (s.channels.webhook.confirmedAt) return confirmationView(ctx, s, baseUrl)
  return confirmationView(ctx, await challenge(ctx, s), baseUrl)
}

/** Recorded in the ledger first: a failed send is retried by the next digest runs for 7 days. */
async function sendConfirmation(ctx: ServiceContext, s: Subscription, address: string, baseUrl: string | undefined): Promise<void> {
  const { store, links, logger } = ctx
  const now = ctx.clock.now()
  const nowIso = now.toISOString()
  const expiresOn = dayFromNumber(dayNumber(parisDay(now)) + CONFIRM_VALID_DAYS)
  const [row] = await store.record([{ subscriptionId: s.id, channel: 'email', programmeId: '', kind: 'confirm', deadline: '', leadDays: 0, expiresOn, item: { kind: 'confirm' } }], nowIso)
  if (!row) return
  try {
    const mail = renderConfirmationEmail({ to: address, subscription: s, links: await links.links(s.id, baseUrl), confirmUrl: await links.confirmUrl(s.id, now, baseUrl) })
    await ctx.senders.email!.send({ ...mail, ...(row.messageId ? { messageId: row.messageId } : {}) })
    await store.markSent([row.id], nowIso)
  } catch (err) {
    if (err instanceof ChannelGoneError) {
      await disableChannel(store, s.id, 'email', err.reason, nowIso)
      return
    }
    await store.markFailed([row.id], { at: nowIso, error: safeError(err), nextAttemptAt: new Date(now.getTime() + retryDelayMs(1)).toISOString() })
    logger.warn('alerts confirmation e-mail failed, will retry', { subscription: s.id, error: safeError(err) })
  }
}

async function pendingConfirmation(ctx: ServiceContext, token: string | undefined): Promise<{ outcome: PendingConfirmation; subscription?: Subscription }> {
  const id = await ctx.signer.verify(token, 'confirm', ctx.seconds())
  if (!id) return { outcome: 'invalid' }
  const s = await ctx.store.getSubscription(id)
  if (!s || !s.channels.email) return { outcome: 'unknown' }
  return { outcome: s.channels.email.confirmedAt ? 'already_confirmed' : 'pending', subscription: s }
}

async function confirmEmail(ctx: ServiceContext, token: string | undefined): Promise<{ outcome: ConfirmOutcome; subscription?: Subscription }> {
  const id = await ctx.signer.verify(token, 'confirm', ctx.seconds())
  if (!id) return { outcome: 'invalid' }
  const s = await ctx.store.getSubscription(id)
  if (!s || !s.channels.email) return { outcome: 'unknown' }
  if (s.channels.email.confirmedAt) return { outcome: 'already_confirmed', subscription: s }
  s.channels.email.confirmedAt = ctx.clock.now().toISOString()
  await ctx.store.saveSubscription(s)
  ctx.logger.info('alerts e-mail confirmed', { subscription: s.id })
  return { outcome: 'confirmed', subscription: s }
}

async function unsubscribe(ctx: ServiceContext, token: string | undefined): Promise<UnsubscribeOutcome> {
  const id = await ctx.signer.verify(token, 'unsubscribe', ctx.seconds())
  if (!id) return 'invalid'
  // Unsubscribing erases the subscription: nothing is kept that alerts no longer need.
  const existed = await ctx.store.deleteSubscription(id)
  if (existed) ctx.logger.info('alerts unsubscribed', { subscription: id })
  return existed ? 'unsubscribed' : 'already_unsubscribed'
}

async function viewSubscription(ctx: ServiceContext, id: string, token: string | undefined, baseUrl: string | undefined): Promise<SubscriptionView | undefined> {
  if ((await ctx.signer.verify(token, 'manage', ctx.seconds())) !== id) return undefined
  const s = await ctx.store.getSubscription(id)
  if (!s) throw new NotFoundError('Abonnement introuvable (supprimé ou désabonné) / Subscription not found', 'id')
  const l = await ctx.links.links(s.id, baseUrl)
  const st = channelStatus(s)
  const { email, teams, webhook } = s.channels
  return {
    id: s.id,
    status: subscriptionStatus(s),
    createdAt: s.createdAt,
    source: s.source,
    collectivite: { type: s.profile.type, code: s.profile.code, name: s.profile.name },
    applicantType: s.facts.applicantType ?? null,
    themes: s.themes,
    programmes: s.programmes,
    leadTimes: s.leadTimes,
    newCalls: s.newCalls,
    channels: {
      ...(email ? { email: { address: email.address, status: st.email! } } : {}),
      ...(teams ? { teams: { status: st.teams!, disabledReason: teams.disabledReason } } : {}),
      ...(webhook ? { webhook: { url: webhook.url, status: st.webhook!, disabledReason: webhook.disabledReason, confirmationError: webhook.confirmedAt ? null : (webhook.challengeError ?? null) } } : {}),
    },
    managePageUrl: l.managePageUrl,
    icsUrl: l.icsUrl,
    unsubscribeUrl: l.unsubscribeUrl,
  }
}

async function eraseSubscription(ctx: ServiceContext, id: string, token: string | undefined): Promise<'erased' | 'already_erased' | 'forbidden'> {
  if ((await ctx.signer.verify(token, 'manage', ctx.seconds())) !== id) return 'forbidden'
  const existed = await ctx.store.deleteSubscription(id)
  if (existed) ctx.logger.info('alerts subscription erased', { subscription: id })
  return existed ? 'erased' : 'already_erased'
}

async function calendar(ctx: ServiceContext, id: string, token: string | undefined): Promise<string | undefined> {
  if ((await ctx.signer.verify(token, 'ics', ctx.seconds())) !== id) return undefined
  const s = await ctx.store.getSubscription(id)
  if (!s) throw new NotFoundError('Abonnement introuvable (supprimé ou désabonné) / Subscription not found', 'id')
  const now = ctx.clock.now()
  return subscriptionCalendar(s, ctx.catalogue(), ctx.newMatcher(), parisDay(now), now, ctx.council)
}

function normaliseEmail(address: string): string {
  const at = address.lastIndexOf('@')
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`
}

function pruneFacts(f: AlertFacts): AlertFacts {
  return {
    ...(f.applicantType ? { applicantType: f.applicantType } : {}),
    ...(f.stage ? { stage: f.stage } : {}),
    ...(f.partnerCountry ? { partnerCountry: f.partnerCountry } : {}),
    ...(f.closedLists && Object.keys(f.closedLists).length ? { closedLists: { ...f.closedLists } } : {}),
  }
}

/**
 * Why a webhook URL is refused, or undefined. Without `allowPrivate`, only https to a public
 * host name or address: Guichet must not be made to post into its own network.
 */
export function webhookProblem(raw: string, allowPrivate: boolean): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return 'URL absolue attendue'
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'URL http(s) attendue'
  if (url.username || url.password) return 'identifiants interdits dans l\'URL'
  if (allowPrivate) return undefined
  if (url.protocol !== 'https:') return 'URL https attendue'
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || !host.includes('.') && !host.includes(':')) return 'hôte privé refusé'
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    const [a, b] = host.split('.').map(Number) as [number, number]
    if (a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a >= 224) return 'adresse privée refusée'
  }
  if (host.includes(':') && (host === '::1' || host === '::' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:'))) return 'adresse privée refusée'
  return undefined
}
