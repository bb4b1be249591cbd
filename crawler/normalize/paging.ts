// Pagination helpers for plans: pure functions of a payload, null when the payload cannot tell
// (a broken page ends the crawl of that source rather than looping).
import type { PlannedRequest } from '../types.ts'

export function safeJson(payload: string): unknown {
  try {
    return JSON.parse(payload)
  } catch {
    return undefined
  }
}

/** Same request, other URL (headers, body and kind kept). */
export function withUrl(request: PlannedRequest, url: string): PlannedRequest {
  return { ...request, url }
}

/** Sets (or replaces) query parameters on a URL. */
export function withQuery(url: string, params: Record<string, string | number>): string {
  const u = new URL(url)
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v))
  return u.href
}
