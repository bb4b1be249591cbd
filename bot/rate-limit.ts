// Per-client rate limits on every public route (hono-rate-limiter, its in-memory store: one
// process, one count). A client is its address as bot/client-address.ts reads it (the TCP peer,
// X-Forwarded-For only behind a trusted proxy, CF-Connecting-IP on Workers), an IPv6 address
// counted by its /64 (one subscriber line holds a whole /64 and could rotate through it).
//
// Buckets, each a fixed one-minute window per client:
// - general: every request but the Teams endpoint (pages, API, widget assets, feeds, back office);
// - chat: POST /api/chat turns, counted in the general bucket too;
// - write: subscriptions created or erased, confirm and unsubscribe links, the management page's
//   forms (each may send a mail or change a subscription), counted in the general bucket too;
// - teams: POST /api/messages alone. The Bot Connector posts every Teams user's activity from a few
//   Microsoft addresses, so that route does not share the general bucket (a busy tenant would meet
//   it); its own, larger bucket still stops a flood of forged activities before the JWT check.
// Over a limit: 429 JSON (code rate_limited, French message), Retry-After in seconds and the
// RateLimit-Limit/-Remaining/-Reset/-Policy headers (IETF draft 6) — also on every counted answer.
// A person's browser on the alerts' pages (confirm, unsubscribe, the management page and its forms:
// a path under /alerts/ and an Accept naming text/html) gets the same 429 and headers as a short
// French page in the alerts' frame instead: a mail client's one-click POST and scripts still get JSON.
// RATE_LIMIT_PER_MINUTE=0 turns every bucket off (benchmarks, load tests). Requests with no known
// address (in-process `app.request` calls: tests, tools) are not counted: on Node every HTTP
// request has a TCP peer, on Workers a CF-Connecting-IP.
import type { Context, MiddlewareHandler } from 'hono'
import { MemoryStore, rateLimiter, type RateLimitInfo } from 'hono-rate-limiter'
import type { Config } from '../core/config.ts'
import { parseIp } from '../core/ip.ts'
import { UNKNOWN_CLIENT, type ClientAddress } from './client-address.ts'
import type { ErrorBody } from './http-errors.ts'
import { alertsPage } from './alerts/page-layout.ts'

export interface RateLimitSettings {
  /** Requests per client per window on every public route; 0 = every limit off. */
  perMinute: number
  /** Chat turns (POST /api/chat) per client per window. */
  chatPerMinute: number
  /** Subscription writes and confirm/unsubscribe links per client per window. */
  writePerMinute: number
  /** Teams activities (POST /api/messages) per sending address per window. */
  teamsPerMinute: number
  /** The window; one minute but in tests. */
  windowMs?: number
}

export function rateLimitSettings(config: Pick<Config, 'RATE_LIMIT_PER_MINUTE' | 'RATE_LIMIT_CHAT_PER_MINUTE' | 'RATE_LIMIT_WRITE_PER_MINUTE' | 'RATE_LIMIT_TEAMS_PER_MINUTE'>): RateLimitSettings {
  return {
    perMinute: config.RATE_LIMIT_PER_MINUTE,
    chatPerMinute: config.RATE_LIMIT_CHAT_PER_MINUTE,
    writePerMinute: config.RATE_LIMIT_WRITE_PER_MINUTE,
    teamsPerMinute: config.RATE_LIMIT_TEAMS_PER_MINUTE,
  }
}

/** The key a client is counted under: its address, an IPv6 one cut to its /64. */
export function clientKey(address: string): string {
  if (!address.includes(':')) return address
  const bytes = parseIp(address)
  if (!bytes || bytes.length !== 16) return address
  const groups: string[] = []
  for (let i = 0; i < 8; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  return `${groups.join(':')}::/64`
}

type Bucket = 'general' | 'chat' | 'write' | 'teams'

/** Which buckets a request counts in (empty: none). */
export function bucketsOf(method: string, path: string): Bucket[] {
  if (path === '/api/messages') return ['teams']
  if (method === 'POST' && path === '/api/chat') return ['general', 'chat']
  if ((method === 'POST' || method === 'DELETE') && /^\/api\/subscriptions(\/|$)/.test(path)) return ['general', 'write']
  if ((method === 'GET' || method === 'POST') && /^\/alerts\/(confirm|unsubscribe)$/.test(path)) return ['general', 'write']
  // The management page's forms change, pause or erase a subscription.
  if (method === 'POST' && /^\/alerts\/[^/]+\/manage$/.test(path)) return ['general', 'write']
  return ['general']
}

/** A browser on one of the alerts' pages: it reads a page, not JSON. */
function wantsAlertsPage(c: Context): boolean {
  return c.req.path.startsWith('/alerts/') && /\btext\/html\b/i.test(c.req.header('accept') ?? '')
}

function tooManyRequestsPage(retryAfter: number): string {
  const wait = `${retryAfter} seconde${retryAfter > 1 ? 's' : ''}`
  return alertsPage(
    'Trop de demandes',
    `<p>Trop de demandes sont arrivées de votre connexion en peu de temps : celle-ci n'a pas été traitée, rien n'a été confirmé ni modifié.</p>
<p>Patientez ${wait}, puis rechargez la page (ou revenez en arrière et renvoyez le formulaire).</p>`,
    { kind: 'warn', text: `Réessayez dans ${wait}.` },
  )
}

/** The middleware counting every request in its buckets (the stores' sweep timers are unref'd: they never hold the process). */
export function createRateLimits(settings: RateLimitSettings, clientAddress: ClientAddress): MiddlewareHandler {
  if (settings.perMinute <= 0) return async (_c, next) => next()
  const windowMs = settings.windowMs ?? 60_000
  const seconds = Math.ceil(windowMs / 1000)
  const keyOf = (c: Context) => clientKey(clientAddress(c))
  const limiter = (limit: number, what: string): MiddlewareHandler =>
    rateLimiter({
      windowMs,
      limit,
      standardHeaders: 'draft-6',
      keyGenerator: keyOf,
      store: new MemoryStore(),
      handler: (c) => {
        const info = (c.get as (key: string) => unknown)('rateLimit') as RateLimitInfo | undefined
        const retryAfter = Math.max(1, Math.ceil(((info?.resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000))
        c.header('Retry-After', String(retryAfter))
        // The widget calls the chat from any origin: its 429 must be readable there too.
        if (c.req.path === '/api/chat') c.header('Access-Control-Allow-Origin', '*')
        c.header('Cache-Control', 'no-store')
        if (wantsAlertsPage(c)) {
          c.header('X-Robots-Tag', 'noindex')
          return c.html(tooManyRequestsPage(retryAfter), 429)
        }
        const body: ErrorBody & { error: { retryAfter: number } } = {
          error: {
            code: 'rate_limited',
            message: `Trop de requêtes (${what} : ${limit} par ${seconds === 60 ? 'minute' : `${seconds} s`} au plus) : réessayez dans ${retryAfter} s. / Too many requests, retry after ${retryAfter} s.`,
            retryAfter,
          },
        }
        return c.json(body, 429)
      },
    })
  const buckets: Record<Bucket, MiddlewareHandler | undefined> = {
    general: limiter(settings.perMinute, 'requêtes'),
    chat: settings.chatPerMinute > 0 ? limiter(settings.chatPerMinute, 'messages') : undefined,
    write: settings.writePerMinute > 0 ? limiter(settings.writePerMinute, 'inscriptions et liens d\'alerte') : undefined,
    teams: settings.teamsPerMinute > 0 ? limiter(settings.teamsPerMinute, 'activités Teams') : undefined,
  }
  return async (c, next) => {
    if (clientAddress(c) === UNKNOWN_CLIENT) return next()
    // An OPTIONS preflight is the browser's, not the visitor's: counted in the general bucket only.
    const chain = (c.req.method === 'OPTIONS' ? ['general' as const] : bucketsOf(c.req.method, c.req.path)).map((b) => buckets[b]).filter((m): m is MiddlewareHandler => !!m)
    // The buckets in turn, then the route; a tighter bucket's 429 becomes the answer.
    const run = async (i: number): Promise<Response | void> => {
      if (i === chain.length) return void (await next())
      return chain[i]!(c, async () => {
        const res = await run(i + 1)
        if (res instanceof Response) c.res = res
      })
    }
    return run(0)
  }
}
