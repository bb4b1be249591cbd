// The digest's plan, pure: for one subscription, which items are due today — reminders at its
// lead times, estimates announced once, new programmes since its last new-calls section, changes
// to programmes it follows or that concern it — as one ledger row per item and active channel,
// and its progress (the day of its digest, of its last new-calls section). Reads and writes
// nothing: runDigest (bot/alerts/digest.ts) gathers the inputs (bot/alerts/digest-inputs.ts)
// and records what this returns.
import { addDays, daysBetween } from '../../core/clock.ts'
import type { Programme } from '../../core/programme.ts'
import type { ThemeId } from '../../core/themes.ts'
import type { DigestProgress, DigestRecord } from './alerts-store.ts'
import type { AlertMatcher } from './audience.ts'
import type { ChangeKind, DigestItem, NewDelivery, ProgrammeRef } from './delivery.ts'
import { dueEstimateOffsets, dueOffsets, programmeRef, type Schedule } from './schedule.ts'
import { activeChannels, NEW_CALLS_PERIOD_DAYS, type Subscription } from './subscription.ts'

/** New-programme and change items are worth sending for two weeks; reminders until their deadline. */
export const NEWS_VALID_DAYS = 14

/** A programme the alerts saw arrive, and the day. */
export interface Fresh {
  programme: Programme
  firstSeen: string
}

/** A change event as an item (`programme`: the catalogue's record, when it still has one). */
export interface ChangeItem {
  programme: Programme | undefined
  item: Extract<DigestItem, { kind: ChangeKind }>
}

export interface DigestPlanInputs {
  today: string
  matcher: AlertMatcher
  /** Only left-overs are sent: nothing new is planned, no progress moves. */
  retriesOnly: boolean
  /** Subscriptions with ledger rows due from earlier runs. */
  due: ReadonlySet<string>
  /** Absent on a retries-only run (then `fresh` and `changes` are empty too). */
  schedule: Schedule | undefined
  fresh: readonly Fresh[]
  changes: readonly ChangeItem[]
}

/** What a subscription has this run: rows to record (with its progress), only its progress, or nothing. */
export type SubscriptionPlan = { record: DigestRecord } | { progress: DigestProgress } | undefined

interface PlannedItem {
  item: DigestItem
  deadline: string
  leadDays: number
  expiresOn: string
  programmeId: string
}

type Offsets = { reminders: { k: number; lead: number }[]; estimates: { k: number; lead: number }[] }

/** The inputs and the memos one run's plans share. */
interface PlanContext extends DigestPlanInputs {
  newsExpire: string
  /** New programmes sharing a subscription's themes, plus those it follows. */
  freshFor(s: Subscription): readonly Fresh[]
  /** One reference object per programme and run, shared by every item that names it. */
  refOf(p: Programme): ProgrammeRef
  offsetsFor(leadTimes: readonly number[], gap: number): Offsets
}

/** Subscriptions in the order they are planned: same eligibility key side by side, so that the matcher's memo serves them all. */
export function planningOrder(subscriptions: readonly Subscription[]): Subscription[] {
  return subscriptions
    .map((s) => ({ s, key: `${s.profile.type}|${s.profile.code}|${s.profile.population ?? ''}|${s.facts.applicantType ?? ''}` }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ s }) => s)
}

function planContext(inputs: DigestPlanInputs): PlanContext {
  const { fresh } = inputs
  // New programmes by theme: a subscription looks only at those sharing one of its themes (and those it follows).
  const freshByTheme = new Map<ThemeId, Fresh[]>()
  for (const f of fresh) for (const t of f.programme.themes) freshByTheme.set(t, [...(freshByTheme.get(t) ?? []), f])
  const refs = new Map<string, ProgrammeRef>()
  const offsetsCache = new Map<string, Offsets>()
  return {
    ...inputs,
    newsExpire: addDays(inputs.today, NEWS_VALID_DAYS),
    freshFor(s) {
      if (s.themes.length === 0) return fresh
      const picked = new Set<Fresh>()
      for (const t of s.themes) for (const f of freshByTheme.get(t) ?? []) picked.add(f)
      if (s.programmes.length) for (const f of fresh) if (s.programmes.includes(f.programme.id)) picked.add(f)
      return [...picked]
    },
    refOf(p) {
      let r = refs.get(p.id)
      if (!r) {
        r = programmeRef(p)
        refs.set(p.id, r)
      }
      return r
    },
    offsetsFor(leadTimes, gap) {
      const cacheKey = `${leadTimes.join(',')}|${Math.min(gap, 1000)}`
      let offsets = offsetsCache.get(cacheKey)
      if (!offsets) {
        offsets = { reminders: dueOffsets(leadTimes, gap), estimates: dueEstimateOffsets(leadTimes, gap) }
        offsetsCache.set(cacheKey, offsets)
      }
      return offsets
    },
  }
}

/** Reminders and estimates at the lead times crossed since the subscription's last digest (`gap` days ago). */
function deadlineItems(s: Subscription, gap: number, ctx: PlanContext, schedule: Schedule, out: PlannedItem[]): void {
  const { matcher, today } = ctx
  const offsets = ctx.offsetsFor(s.leadTimes, gap)
  for (const { k, lead } of offsets.reminders) {
    for (const d of schedule.firm[k] ?? []) {
      if (!matcher.relevance(d.programme, s, today)) continue
      out.push({ item: { kind: 'reminder', programme: ctx.refOf(d.programme), deadline: d.deadline, leadDays: lead }, deadline: d.deadline, leadDays: lead, expiresOn: d.deadline, programmeId: d.programme.id })
    }
  }
  for (const { k, lead } of offsets.estimates) {
    for (const d of schedule.estimated[k] ?? []) {
      if (!matcher.relevance(d.programme, s, today)) continue
      out.push({
        item: { kind: 'estimate', programme: ctx.refOf(d.programme), deadline: d.deadline, leadDays: lead, basis: d.basis, ...(d.window ? { window: d.window } : {}) },
        deadline: d.deadline,
        leadDays: lead,
        expiresOn: d.deadline,
        programmeId: d.programme.id,
      })
    }
  }
}

/** Programmes that arrived since the subscription's last new-calls section, still open and relevant to it. */
function newProgrammeItems(s: Subscription, ctx: PlanContext, schedule: Schedule, out: PlannedItem[]): void {
  for (const f of ctx.freshFor(s)) {
    if (f.firstSeen <= s.newCallsSince) continue
    const view = schedule.view(f.programme)
    if (view.status === 'closed') continue
    const rel = ctx.matcher.relevance(f.programme, s, ctx.today)
    if (!rel) continue
    out.push({ item: { kind: 'new_programme', programme: ctx.refOf(f.programme), calendar: view.label, status: rel }, deadline: '', leadDays: 0, expiresOn: ctx.newsExpire, programmeId: f.programme.id })
  }
}

/** The items due for a subscription, and its progress when it moves. */
function itemsFor(s: Subscription, ctx: PlanContext): { items: PlannedItem[]; progress?: DigestProgress } {
  const { schedule, today } = ctx
  const out: PlannedItem[] = []
  const gap = s.lastDigestDay ? daysBetween(s.lastDigestDay, today) : Number.POSITIVE_INFINITY
  let newCallsSince = s.newCallsSince
  if (schedule && gap > 0) deadlineItems(s, gap, ctx, schedule, out)
  if (schedule && s.newCalls !== 'off' && daysBetween(s.newCallsSince, today) >= NEW_CALLS_PERIOD_DAYS[s.newCalls]) {
    newProgrammeItems(s, ctx, schedule, out)
    newCallsSince = today
  }
  // A change concerns the subscriptions that follow the programme, and those it still matches.
  for (const { programme, item } of ctx.changes) {
    if (!s.programmes.includes(item.programme.id) && !(programme && ctx.matcher.relevance(programme, s, today))) continue
    out.push({ item, deadline: `ev:${item.event}`, leadDays: 0, expiresOn: ctx.newsExpire, programmeId: item.programme.id })
  }
  const moved = !ctx.retriesOnly && (s.lastDigestDay !== today || newCallsSince !== s.newCallsSince)
  return { items: out, ...(moved ? { progress: { subscriptionId: s.id, lastDigestDay: today, newCallsSince } } : {}) }
}

/** A run's planner: what each subscription has to record this run. */
export function createDigestPlanner(inputs: DigestPlanInputs): (s: Subscription) => SubscriptionPlan {
  const ctx = planContext(inputs)
  const { due } = inputs
  return (s) => {
    // A channel whose sender this process lacks (a CLI run without Teams) still gets its rows: they
    // fail and wait for a run that has it, rather than being lost.
    const channels = activeChannels(s)
    // Nothing can be sent (e-mail awaiting confirmation, paused): progress stays, so that the first
    // digest after confirmation or resuming brings what is due then — the latest reminder crossed
    // meanwhile for each deadline still ahead. Rows still due (a confirmation awaiting its retry, a
    // reminder whose cancellation at pausing failed) go to the sender alone, which sends or cancels them.
    if (channels.length === 0) return due.has(s.id) ? { record: { subscriptionId: s.id, rows: [], leftovers: true } } : undefined
    const { items, progress: p } = itemsFor(s, ctx)
    const rows: NewDelivery[] = []
    for (const c of channels) for (const i of items) rows.push({ subscriptionId: s.id, channel: c, programmeId: i.programmeId, kind: i.item.kind, deadline: i.deadline, leadDays: i.leadDays, expiresOn: i.expiresOn, item: i.item })
    if (rows.length === 0 && !due.has(s.id)) return p ? { progress: p } : undefined
    return { record: { subscriptionId: s.id, rows, ...(p ? { progress: p } : {}), ...(due.has(s.id) ? { leftovers: true } : {}) } }
  }
}
