// Which programmes concern a subscription: those it follows, and those the one eligibility
// evaluator does not rule out for its collectivité (eligible or « à vérifier ») that share one
// of its themes. With no theme, only eligible ones: « à vérifier » for everything is noise.
// Statuses are memoised per eligibility key (same profile and facts → same answer), so that
// thousands of subscriptions of the same collectivité cost one evaluation per programme.
import { eligibilityStatus } from '../../core/eligibility.ts'
import type { Programme } from '../../core/programme.ts'
import type { ThemeId } from '../../core/themes.ts'
import { eligibilityKey, type Subscription } from './subscription.ts'

export type Relevance = 'followed' | 'eligible' | 'unknown'

export interface AlertMatcher {
  /** On `today`: a programme closed, suspended or not adopted that day is not relevant yet; it is again once a new edition is known. */
  relevance(p: Programme, s: Subscription, today: string): Relevance | null
}

export interface AlertMatcherStats {
  evaluations: number
  memoHits: number
}

/**
 * The memo keeps the statuses of one eligibility key at a time (callers that sort subscriptions
 * by key hit it the most) plus a bounded number of others, so memory stays flat at any scale.
 */
export function createAlertMatcher({ memoKeys = 2048 }: { memoKeys?: number } = {}): AlertMatcher & { stats: AlertMatcherStats } {
  const memo = new Map<string, Map<string, 'eligible' | 'unknown' | 'ineligible'>>()
  const keys = new WeakMap<Subscription, { key: string; themes: Set<ThemeId>; followed: Set<string> }>()
  const stats: AlertMatcherStats = { evaluations: 0, memoHits: 0 }

  function about(s: Subscription) {
    let a = keys.get(s)
    if (!a) {
      a = { key: eligibilityKey(s), themes: new Set(s.themes), followed: new Set(s.programmes) }
      keys.set(s, a)
    }
    return a
  }

  function status(p: Programme, s: Subscription, key: string, today: string): 'eligible' | 'unknown' | 'ineligible' {
    let statuses = memo.get(key)
    if (!statuses) {
      if (memo.size >= memoKeys) memo.delete(memo.keys().next().value!)
      statuses = new Map()
      memo.set(key, statuses)
    }
    const known = statuses.get(p.id)
    if (known) {
      stats.memoHits++
      return known
    }
    stats.evaluations++
    const st = eligibilityStatus(p, s.profile, s.facts, today).status
    statuses.set(p.id, st)
    return st
  }

  return {
    stats,
    relevance(p, s, today) {
      const a = about(s)
      if (a.followed.has(p.id)) return 'followed'
      if (a.themes.size > 0 && !p.themes.some((t) => a.themes.has(t))) return null
      const st = status(p, s, `${today}|${a.key}`, today)
      if (st === 'ineligible') return null
      if (st === 'unknown' && a.themes.size === 0) return null
      return st
    },
  }
}
