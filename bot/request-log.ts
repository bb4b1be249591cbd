// Every request gets an id (X-Request-Id: the caller's if it is a plain token, else a new UUID),
// sent back in the response header and written in one structured log line per request, and in
// any error logged while serving it — so a user quoting the id of a 500 leads to its log line.
//
// No personal data in these lines: the route *pattern* (`/api/alerts/subscriptions/:id`), never
// the path (it may hold a management token) nor the query string (a project's text, a commune);
// no client address, no user agent, no body.
import type { Context, MiddlewareHandler } from 'hono'
import { requestId } from 'hono/request-id'
import { routePath } from 'hono/route'
import type { Logger } from '../core/logger.ts'

export const REQUEST_ID_HEADER = 'X-Request-Id'

/** The request id set by the middleware (undefined outside a request, e.g. in a unit test of a route). */
export function requestIdOf(c: Context): string | undefined {
  return (c.get as (key: string) => unknown)('requestId') as string | undefined
}

/** The matched route's pattern, safe to log; `*` when nothing but middleware matched (a 404). */
export function routePatternOf(c: Context): string {
  try {
    return routePath(c, -1) || '*'
  } catch {
    return '*'
  }
}

export function requestLog(logger: Logger, { newId = () => crypto.randomUUID() }: { newId?: () => string } = {}): MiddlewareHandler {
  const assign = requestId({ headerName: REQUEST_ID_HEADER, limitLength: 128, generator: () => newId() })
  return async (c, next) => {
    const started = performance.now()
    await assign(c, async () => {
      await next()
    })
    const status = c.res.status
    const line = { requestId: requestIdOf(c), method: c.req.method, route: routePatternOf(c), status, ms: Math.round((performance.now() - started) * 10) / 10 }
    if (status >= 500) logger.error('request', line)
    else logger.info('request', line)
  }
}
