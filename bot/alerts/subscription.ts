// An alert subscription: who (a collectivité profile and project facts), what (themes and
// followed programmes), when (lead times before each deadline, how often to hear about new
// calls) and where (e-mail after double opt-in, the Teams conversation it came from, a signed
// webhook once it answered the confirmation challenge). Only what the alerts need is kept; unsubscribing erases the channels.
import type { ApplicantType } from '../../core/applicants.ts'
import type { ClosedListId } from '../../core/closed-lists.ts'
import type { Stage } from '../../core/programme.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import type { ThemeId } from '../../core/themes.ts'

/** J-30, J-7, J-1. */
export const DEFAULT_LEAD_TIMES: readonly number[] = [30, 7, 1]
export const MAX_LEAD_DAYS = 90
export const NEW_CALLS_FREQUENCIES = ['daily', 'weekly', 'off'] as const
export type NewCallsFrequency = (typeof NEW_CALLS_FREQUENCIES)[number]
export const NEW_CALLS_PERIOD_DAYS: Record<Exclude<NewCallsFrequency, 'off'>, number> = { daily: 1, weekly: 7 }

export const CHANNELS = ['email', 'teams', 'webhook'] as const
export type ChannelKind = (typeof CHANNELS)[number]
export type SubscriptionSource = 'api' | 'dialogue' | 'widget' | 'teams'

/** A channel switched off by what its far end answered (Teams app uninstalled, webhook gone). */
export interface ChannelState {
  disabledAt: string | null
  disabledReason: string | null
}

export interface EmailChannel extends ChannelState {
  address: string
  /** Double opt-in: nothing but the confirmation message is sent before this is set. */
  confirmedAt: string | null
}

export interface TeamsChannel extends ChannelState {
  conversationId: string
}

export interface WebhookChannel extends ChannelState {
  url: string
  /**
   * Set when the URL answered the signed confirmation challenge (its own challenge echoed):
   * nothing is sent to a webhook before. null = pending.
   */
  confirmedAt: string | null
  /** The last challenge: when, and why it failed (null once confirmed). */
  challengedAt?: string | null
  challengeError?: string | null
}

/** The project facts an alert needs to evaluate eligibility (no free text is kept). */
export interface AlertFacts {
  applicantType?: ApplicantType
  stage?: Stage
  partnerCountry?: string
  closedLists?: Partial<Record<ClosedListId, boolean>>
}

export interface Subscription {
  id: string
  createdAt: string
  source: SubscriptionSource
  /** A snapshot of the collectivité (public data): the digest needs no geography. */
  profile: CollectiviteProfile
  facts: AlertFacts
  themes: ThemeId[]
  /** Programmes followed explicitly: reminders and changes whatever their eligibility. */
  programmes: string[]
  /** Days before a deadline, largest first, no duplicates. */
  leadTimes: number[]
  newCalls: NewCallsFrequency
  channels: { email?: EmailChannel; teams?: TeamsChannel; webhook?: WebhookChannel }
  /** Last Paris day a digest considered this subscription: deadlines crossing a lead time after it are new. */
  lastDigestDay: string | null
  /** Programmes first seen after this Paris day are « new » for the next new-calls section. */
  newCallsSince: string
  unsubscribedAt: string | null
  /**
   * Set by its owner on the manage page: nothing is sent while paused (the digest keeps its
   * progress, so that on resuming the reminders still ahead come once). Absent on subscriptions
   * stored before pausing existed: the same as null.
   */
  pausedAt?: string | null
}

export type SubscriptionStatus = 'active' | 'paused' | 'pending_confirmation' | 'inactive' | 'unsubscribed'

export function usable(channel: ChannelState | undefined): boolean {
  return channel !== undefined && channel.disabledAt === null
}

/** Channels a digest may use now: none while paused; e-mail and webhook only once confirmed. */
export function activeChannels(s: Subscription): ChannelKind[] {
  if (s.unsubscribedAt || s.pausedAt) return []
  const out: ChannelKind[] = []
  if (usable(s.channels.email) && s.channels.email!.confirmedAt) out.push('email')
  if (usable(s.channels.teams)) out.push('teams')
  if (usable(s.channels.webhook) && s.channels.webhook!.confirmedAt) out.push('webhook')
  return out
}

export function subscriptionStatus(s: Subscription): SubscriptionStatus {
  if (s.unsubscribedAt) return 'unsubscribed'
  if (s.pausedAt) return 'paused'
  if (activeChannels(s).length > 0) return 'active'
  if (usable(s.channels.email) && !s.channels.email!.confirmedAt) return 'pending_confirmation'
  if (usable(s.channels.webhook) && !s.channels.webhook!.confirmedAt) return 'pending_confirmation'
  return 'inactive'
}

export function channelStatus(s: Subscription): Partial<Record<ChannelKind, 'active' | 'pending_confirmation' | 'disabled'>> {
  const out: Partial<Record<ChannelKind, 'active' | 'pending_confirmation' | 'disabled'>> = {}
  const { email, teams, webhook } = s.channels
  if (email) out.email = email.disabledAt ? 'disabled' : email.confirmedAt ? 'active' : 'pending_confirmation'
  if (teams) out.teams = teams.disabledAt ? 'disabled' : 'active'
  if (webhook) out.webhook = webhook.disabledAt ? 'disabled' : webhook.confirmedAt ? 'active' : 'pending_confirmation'
  return out
}

/** The profile as a subscription keeps it: what eligibility and messages read (no postal codes). */
export function profileSnapshot(p: CollectiviteProfile): CollectiviteProfile {
  const { postalCodes: _postalCodes, ...kept } = p
  return kept
}

/** Sorted largest first, unique, within 1..MAX_LEAD_DAYS. */
export function normaliseLeadTimes(leads: readonly number[] | undefined): number[] {
  const list = [...new Set((leads?.length ? leads : DEFAULT_LEAD_TIMES).filter((n) => Number.isInteger(n) && n >= 1 && n <= MAX_LEAD_DAYS))]
  return list.sort((a, b) => b - a)
}

/** The facts the one eligibility evaluator reads for this subscription. */
export function factsOf(s: Subscription): ProjectFacts {
  return { ...s.facts, themes: s.themes }
}

/**
 * Subscriptions whose profile and facts are the same get the same eligibility: the digest
 * evaluates a programme once per key, not once per subscription.
 */
export function eligibilityKey(s: Subscription): string {
  const p = s.profile
  const f = s.facts
  const lists = f.closedLists ? Object.entries(f.closedLists).filter(([, v]) => v !== undefined).sort().map(([k, v]) => `${k}=${v ? 1 : 0}`).join(',') : ''
  return [p.type, p.code, p.population ?? '', p.zone, p.departement?.code ?? '', p.region?.code ?? '', p.epci?.kind ?? '', f.applicantType ?? '', f.stage ?? '', f.partnerCountry ?? '', lists].join('|')
}
