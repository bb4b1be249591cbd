// The extension point of the admin desk: a module registers its pages and API routes on the
// admin Hono app after the session + CSRF guard is in place, so a module cannot forget it.
// Admin-only areas are declared here once (the guard and the tests read the same list).
import type { Context, Hono, MiddlewareHandler } from 'hono'
import type { AdminVars } from './auth.ts'

export type AdminEnv = { Variables: AdminVars }

/** Path areas only the `admin` role may reach: `/admin/<area>[/…]` and `/api/admin/<area>[/…]`. */
export const ADMIN_ONLY_AREAS = ['accounts', 'sources', 'alerts', 'privacy'] as const

export function isAdminOnlyPath(path: string): boolean {
  return ADMIN_ONLY_AREAS.some((a) => new RegExp(`^(/api)?/admin/${a}(/|$)`).test(path))
}

export interface AdminKit {
  now(): Date
  /** Writes one audit entry: who (the session's account), what, on which target, before and after. */
  audit(c: Context<AdminEnv>, action: string, target: string, before: unknown, after: unknown): Promise<void>
  /** Rebuilds the served catalogue and index (after a programme change). */
  reindex(): Promise<void>
  requireAdmin: MiddlewareHandler<AdminEnv>
}

export type AdminModule = (app: Hono<AdminEnv>, kit: AdminKit) => void
