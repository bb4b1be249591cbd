// The eligibility status of programmes for one request, as matching needs it. A programme the
// search index sets aside by a hard rule — closed on the day whatever the project, or barred by
// the applicant's type, territory or population (search/hard-filter.ts, built from core/
// eligibility's own predicates) — is « écarté » without running every rule; the others are judged
// by the one evaluator. What is found is kept in small LRUs per catalogue: the index's answer for
// the same collectivité, applicant and day, and statuses for the same profile, facts and day (the
// next turn of a conversation that changed nothing, a second request alike).
import type { Catalogue } from '../catalogue.ts'
import { eligibilityStatus, type EligibilityStatus } from '../../core/eligibility.ts'
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

const statusCaches = new WeakMap<Catalogue, Map<string, Uint8Array>>()
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
  const codes = cache ? cached(statusCaches, cat, t.list.length, `${today}\u0000${who}\u0000${JSON.stringify(facts)}`) : new Uint8Array(t.list.length)
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
function cached(caches: WeakMap<Catalogue, Map<string, Uint8Array>>, cat: Catalogue, size: number, key: string): Uint8Array {
  let lru = caches.get(cat)
  if (!lru) caches.set(cat, (lru = new Map()))
  let codes = lru.get(key)
  if (codes) {
    // Most recently used last.
    lru.delete(key)
  } else {
    codes = new Uint8Array(size)
    if (lru.size >= STATUS_CACHE_ENTRIES) lru.delete(lru.keys().next().value!)
  }
  lru.set(key, codes)
  return codes
}
