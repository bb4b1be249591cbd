// The login limits of the admin desk, as pure functions over two counters: the failures of an
// account (its e-mail, known or not) and of a client address (bot/client-address.ts).
//
// - Account: 5 failures, then locked for 1 minute; each further failure while the count stands
//   locks again for twice as long (2, 4, 8, 16, 32 minutes, then 60 at most). A success, the
//   e-mailed unlock link, an admin or `npm run admin -- unlock` clears it.
// - Address: 20 failures across accounts hold the address back for 1 minute, then 2, 4 … 60 at
//   most. A held address does not refuse everyone behind it (a reverse proxy, a town hall's
//   NAT): an account with fewer than 2 failures of its own is still checked from it, so a
//   colleague who types the right password gets in, while an attacker spraying passwords gets
//   at most 2 guesses per account until the address is released.
// - Counts are forgotten after 24 hours without a failure.
//
// Every attempt that goes on to the password check is counted as a failure first (in the same
// transaction that read the counters) and refunded if the password was right: two processes
// checking the same account at once can never both pass a limit.

export interface Backoff {
  /** Failures that trigger the first lock. */
  maxFailures: number
  firstLockMs: number
  maxLockMs: number
}

export interface LoginLimits {
  account: Backoff
  address: Backoff & { /** While the address is held, accounts with fewer failures than this are still checked from it. */ heldAccountAllowance: number }
  /** A counter with no failure for this long starts again from zero. */
  forgetAfterMs: number
}

export const LOGIN_LIMITS: LoginLimits = {
  account: { maxFailures: 5, firstLockMs: 60_000, maxLockMs: 60 * 60_000 },
  address: { maxFailures: 20, firstLockMs: 60_000, maxLockMs: 60 * 60_000, heldAccountAllowance: 2 },
  forgetAfterMs: 24 * 3600_000,
}

/** An unlock link lives one hour and serves once. */
export const UNLOCK_TTL_MS = 3600_000

export interface Counter {
  failures: number
  /** ISO time of the last failure. */
  lastAt: string
}

/** The failures that still count at `now`. */
export function liveFailures(counter: Counter | undefined, now: Date, limits: LoginLimits = LOGIN_LIMITS): number {
  if (!counter) return 0
  return now.getTime() - Date.parse(counter.lastAt) > limits.forgetAfterMs ? 0 : counter.failures
}

/** How long the n-th failure (n ≥ maxFailures) locks: first, ×2 per further failure, capped. */
export function lockDurationMs(failures: number, policy: Backoff): number {
  if (failures < policy.maxFailures) return 0
  const steps = Math.min(failures - policy.maxFailures, 30)
  return Math.min(policy.maxLockMs, policy.firstLockMs * 2 ** steps)
}

/** Until when the counter locks (the last failure + its lock), or undefined when it does not. */
export function lockedUntil(counter: Counter | undefined, policy: Backoff, now: Date, limits: LoginLimits = LOGIN_LIMITS): Date | undefined {
  const failures = liveFailures(counter, now, limits)
  if (!counter || failures < policy.maxFailures) return undefined
  const until = Date.parse(counter.lastAt) + lockDurationMs(failures, policy)
  return until > now.getTime() ? new Date(until) : undefined
}

export type LoginDecision =
  | { ok: true; /** The account's failures once this attempt is counted (≥ maxFailures: a wrong password locks it). */ accountFailures: number }
  | { ok: false; by: 'account' | 'address'; until: Date }

/** Whether an attempt may go on to the password check, from both counters as they stand. */
export function decide(account: Counter | undefined, address: Counter | undefined, now: Date, limits: LoginLimits = LOGIN_LIMITS): LoginDecision {
  const accountUntil = lockedUntil(account, limits.account, now, limits)
  if (accountUntil) return { ok: false, by: 'account', until: accountUntil }
  const accountFailures = liveFailures(account, now, limits)
  const addressUntil = lockedUntil(address, limits.address, now, limits)
  if (addressUntil && accountFailures >= limits.address.heldAccountAllowance) return { ok: false, by: 'address', until: addressUntil }
  return { ok: true, accountFailures: accountFailures + 1 }
}

/** « 3 minutes », « 1 minute »: the wait before `until`, rounded up. */
export function waitText(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000))
  return `${minutes} minute${minutes > 1 ? 's' : ''}`
}

/** Seconds for a Retry-After header (at least 1). */
export function retryAfterSeconds(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))
}
