// The eligibility status of programmes for one request, as matching needs it. A programme the
// search index sets aside by a hard rule — closed on the day whatever the project, or barred by
// the applicant's type, territory or population (search/hard-filter.ts, built from core/
// eligibility's own predicates) — is « écarté » without running every rule; the others are judged
// by the one evaluator. What is found is kept in small LRUs per catalogue: the index's answer for
// the same collectivité, applicant and day, and statuses for the same profile, facts and day (the
// next turn of a conversation that changed nothing, a second request alike); new facts start from
// the statuses last judged for the same profile and day, keeping those the changed facts cannot change.
import type { Catalogue } from '../catalogue.ts'
import { eligibilityStatus, FACT_BITS, type EligibilityStatus } from '../../core/eligibility.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import { hardFilter } from '../../search/hard-filter.ts'
import type { IdSet, SearchIndex } from '../../search/search-index.ts'
import type { CatalogueTables } from './tables.ts'

/** 0: not judged yet. */
export const ELIGIBLE = 1
export const UNKNOWN = 2
export const INELIGIBLE = 3
const CODES: Record<EligibilityStatus, number> = { eligible: ELIGIBLE, unknown: UNKNOWN, ineligible: INELIGIBLE }

/** How many answers each cache keeps per catalogue: one byte per programme each, or the index's set. */
export const STATUS_CACHE_ENTRIES = 64

/** ELIGIBLE, UNKNOWN or INELIGIBLE for a slot. */
export type StatusReader = (slot: number) => number

const asideCaches = new WeakMap<Catalogue, Map<string, Promise<IdSet>>>()

/** The ids the index sets aside for this collectivité, applicant and day; asked once per catalogue and filter when `cache`. */
export function setAside(index: SearchIndex, cat: Catalogue, profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string, cache = true): Promise<IdSet> {
  const filter = hardFilter(profile, facts, today)
  if (!cache) return index.setAside(filter)
  const key = JSON.stringify(filter)
  let lru = asideCaches.get(cat)
  if (!lru) asideCaches.set(cat, (lru = new Map()))
  let aside = lru.get(key)
  if (aside) lru.delete(key)
  else {
    const asked = index.setAside(filter)
    // A failed answer is not kept: the next request asks the index again.
    asked.catch(() => lru.get(key) === asked && lru.delete(key))
    aside = asked
    if (lru.size >= STATUS_CACHE_ENTRIES) lru.delete(lru.keys().next().value!)
  }
  lru.set(key, aside)
  return aside
}

/**
 * Whether the index set this slot's programme aside, asked once per answer of the index: the same
 * answer (one collectivité, one day) serves every turn of a conversation whatever its facts, and an
 * id lookup costs more than a byte (0 = not asked yet, 1 = set aside, 2 = not).
 */
const asideBySlot = new WeakMap<IdSet, Uint8Array>()
function setAsideAt(aside: IdSet, t: CatalogueTables, slot: number): boolean {
  let bySlot = asideBySlot.get(aside)
  if (!bySlot || bySlot.length !== t.list.length) asideBySlot.set(aside, (bySlot = new Uint8Array(t.list.length)))
  let v = bySlot[slot]!
  if (v === 0) bySlot[slot] = v = aside.has(t.list[slot]!.id) ? 1 : 2
  return v === 1
}

/** The status of a slot for this request, judged once and remembered; `aside` is what the index set aside (`setAside`). */
export function statusReader(cat: Catalogue, t: CatalogueTables, profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string, aside: IdSet, cache = true): StatusReader {
  const who = profile ? JSON.stringify(profile) : ''
  const codes = cache ? cached(cat, t, `${today}\u0000${who}`, facts) : new Uint8Array(t.list.length)
  return (slot) => {
    let code = codes[slot]!
    if (code === 0) {
      const p = t.list[slot]!
      code = setAsideAt(aside, t, slot) ? INELIGIBLE : CODES[eligibilityStatus(p, profile, facts, today).status]
      codes[slot] = code
    }
    return code
  }
}

interface Statuses {
  /** Each fact as JSON, as it was when these statuses were asked (a caller may change its objects later). */
  facts: Map<string, string | undefined>
  codes: Uint8Array
}
const statusCaches = new WeakMap<Catalogue, { byFacts: Map<string, Uint8Array>; latest: Map<string, Statuses> }>()

/**
 * The statuses kept for this day, profile and facts. New facts start from the statuses judged last
 * for the same day and profile: a programme whose eligibility reads none of the facts that changed
 * (core/eligibility.ts `factsRead`) keeps its status — the next turn of a conversation, one answer
 * more, judges again only the programmes that answer concerns.
 */
function cached(cat: Catalogue, t: CatalogueTables, who: string, facts: ProjectFacts): Uint8Array {
  let caches = statusCaches.get(cat)
  if (!caches) statusCaches.set(cat, (caches = { byFacts: new Map(), latest: new Map() }))
  const { byFacts, latest } = caches
  const key = `${who}\u0000${JSON.stringify(facts)}`
  let codes = byFacts.get(key)
  if (codes) {
    // Most recently used last.
    byFacts.delete(key)
  } else {
    codes = new Uint8Array(t.list.length)
    const before = latest.get(who)
    if (before) carryOver(t, before, facts, codes)
    if (byFacts.size >= STATUS_CACHE_ENTRIES) byFacts.delete(byFacts.keys().next().value!)
  }
  byFacts.set(key, codes)
  latest.delete(who)
  if (latest.size >= STATUS_CACHE_ENTRIES) latest.delete(latest.keys().next().value!)
  latest.set(who, { facts: factsJson(facts), codes })
  return codes
}

/** Copies into `codes` the statuses of `before` that the facts changed since cannot change. */
function carryOver(t: CatalogueTables, before: Statuses, facts: ProjectFacts, codes: Uint8Array): void {
  const changed = changedFacts(before.facts, facts)
  if (changed === ALL_FACTS) return
  const read = t.factsRead
  const old = before.codes
  for (let slot = 0; slot < codes.length; slot++) if (old[slot] !== 0 && (read[slot]! & changed) === 0) codes[slot] = old[slot]!
}

const ALL_FACTS = 0xffff

function factsJson(facts: ProjectFacts): Map<string, string | undefined> {
  return new Map(Object.entries(facts).map(([key, value]) => [key, JSON.stringify(value)]))
}

/** The bits (FACT_BITS) of the facts that differ; every bit for a fact without one. */
function changedFacts(a: Map<string, string | undefined>, b: ProjectFacts): number {
  const now = factsJson(b)
  let changed = 0
  for (const key of new Set([...a.keys(), ...now.keys()])) {
    if (a.get(key) === now.get(key)) continue
    const bit = Object.hasOwn(FACT_BITS, key) ? FACT_BITS[key as keyof ProjectFacts] : undefined
    if (bit === undefined) return ALL_FACTS
    changed |= bit
  }
  return changed
}
