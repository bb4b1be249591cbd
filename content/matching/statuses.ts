// The eligibility status of programmes for one request, as matching needs it. A programme left out
// by a hard rule — closed on the day whatever the project, or barred by the applicant's type,
// territory or population (core/eligibility's `closedWhatever` and `excludedByApplicant`, the
// evaluator's own predicates) — is « écarté » without running every rule; the others are judged
// by the one evaluator. What is found is kept in small LRUs per catalogue: statuses for the same
// profile, facts and day (the next turn of a conversation that changed nothing, a second request
// alike), and the applicant rules for the same applicant (a turn that changed other facts).
import type { Catalogue } from '../catalogue.ts'
import { eligibilityStatus, excludedByApplicant, type EligibilityStatus } from '../../core/eligibility.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import { closedOn, type CatalogueTables } from './tables.ts'

/** 0: not judged yet. */
export const ELIGIBLE = 1
export const UNKNOWN = 2
export const INELIGIBLE = 3
const CODES: Record<EligibilityStatus, number> = { eligible: ELIGIBLE, unknown: UNKNOWN, ineligible: INELIGIBLE }
/** In the applicant cache: 1 barred, 2 not barred (the evaluator decides). */
const BARRED = 1
const NOT_BARRED = 2

/** How many answers each cache keeps per catalogue: one byte per programme each. */
export const STATUS_CACHE_ENTRIES = 64

/** ELIGIBLE, UNKNOWN or INELIGIBLE for a slot. */
export type StatusReader = (slot: number) => number

const statusCaches = new WeakMap<Catalogue, Map<string, Uint8Array>>()
const applicantCaches = new WeakMap<Catalogue, Map<string, Uint8Array>>()

/** The status of a slot for this request, judged once and remembered. */
export function statusReader(cat: Catalogue, t: CatalogueTables, profile: CollectiviteProfile | undefined, facts: ProjectFacts, today: string, cache = true): StatusReader {
  const who = profile ? JSON.stringify(profile) : ''
  const applicant = { applicantType: facts.applicantType, applicantPopulation: facts.applicantPopulation }
  const codes = cache ? cached(statusCaches, cat, t.list.length, `${today}\u0000${who}\u0000${JSON.stringify(facts)}`) : new Uint8Array(t.list.length)
  const barred = cache ? cached(applicantCaches, cat, t.list.length, `${who}\u0000${JSON.stringify(applicant)}`) : new Uint8Array(t.list.length)
  const closed = t.closed(today)
  return (slot) => {
    let code = codes[slot]!
    if (code === 0) {
      if (barred[slot] === 0) barred[slot] = excludedByApplicant(t.hardRules[slot]!, profile, applicant) ? BARRED : NOT_BARRED
      code = closedOn(t, closed, slot, today) || barred[slot] === BARRED ? INELIGIBLE : CODES[eligibilityStatus(t.list[slot]!, profile, facts, today).status]
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
