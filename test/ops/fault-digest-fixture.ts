// What the digest fault-injection suite (fault-digest.test.ts) and its child process
// (fault-digest-child.ts) share: the days the digest runs on, the programmes whose J-30 falls on
// each of them, the subscriptions (webhooks and e-mails of one commune) and the fixed secrets.
import type { Programme } from '../../core/programme.ts'
import type { Subscription } from '../../bot/alerts/subscription.ts'
import { buildProgramme, commune } from '../builders/programme.ts'

export const FAULT_SECRET = 'fault-suite-secret-0123456789abcdef0123456789'
export const FAULT_PUBLIC_URL = 'https://guichet.fault.test'
export const FIRST_DAY = '2026-03-02'
/** Days the digest may run on: programme j (1-based) reaches J-30 on day j. */
export const MAX_DAYS = 12

export function dayOf(j: number): string {
  const d = new Date(`${FIRST_DAY}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + j - 1)
  return d.toISOString().slice(0, 10)
}

/** 09:00 in Paris on day j (winter time in March 2026 until the 29th). */
export function instantOf(j: number): string {
  return `${dayOf(j)}T08:00:00.000Z`
}

export function programmeName(j: number): string {
  return `Appel fault-${String(j).padStart(2, '0')} écoles`
}

export function faultProgrammes(): Programme[] {
  return Array.from({ length: MAX_DAYS }, (_, i) => {
    const j = i + 1
    const id = `fault_call_${String(j).padStart(2, '0')}`
    return buildProgramme({
      id,
      name: programmeName(j),
      themes: ['ecoles'],
      calendar: { kind: 'oneOff', editions: [{ label: '2026', opensAt: '2026-01-05', deadlines: [plusDays(dayOf(j), 30)], estimated: false }] },
      links: { official: `https://example.org/${id}`, apply: `https://example.org/${id}/deposer` },
      eligibility: { applicants: ['commune'] },
    })
  })
}

function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

export function webhookSubscriptionId(i: number): string {
  return `fault-webhook-${String(i).padStart(3, '0')}`
}
export function emailSubscriptionId(i: number): string {
  return `fault-email-${String(i).padStart(3, '0')}`
}
export function emailAddress(i: number): string {
  return `mairie-${String(i).padStart(3, '0')}@fault.example`
}

/** Subscriptions as the store keeps them: channels active (e-mail confirmed), J-30 only, no new-call section. */
export function faultSubscriptions(webhooks: number, emails: number, webhookUrl: string): Subscription[] {
  const base = (id: string): Subscription => ({
    id,
    createdAt: '2026-02-01T08:00:00.000Z',
    source: 'api',
    profile: commune(420),
    facts: {},
    themes: ['ecoles'],
    programmes: [],
    leadTimes: [30],
    newCalls: 'off',
    channels: {},
    lastDigestDay: null,
    newCallsSince: '2026-02-01',
    unsubscribedAt: null,
  })
  const out: Subscription[] = []
  for (let i = 0; i < webhooks; i++) out.push({ ...base(webhookSubscriptionId(i)), channels: { webhook: { url: `${webhookUrl}/${webhookSubscriptionId(i)}`, disabledAt: null, disabledReason: null, confirmedAt: '2026-01-01T00:00:00.000Z' } } })
  for (let i = 0; i < emails; i++) out.push({ ...base(emailSubscriptionId(i)), channels: { email: { address: emailAddress(i), confirmedAt: '2026-02-01T08:05:00.000Z', disabledAt: null, disabledReason: null } } })
  return out
}

/** mulberry32: a small seeded PRNG, the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
