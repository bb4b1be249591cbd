// The OpenAPI 3.1 document of the HTTP API, served at /api/openapi.json by the Node server and
// the Workers entry alike. Request schemas derive from the zod schemas the routes validate with
// (query of /api/match, /api/crawl/*, /feeds/new.atom; bodies of /api/chat and
// /api/subscriptions), and the Programme schema from the zod model, so the document cannot drift
// from what the routes accept. The admin API (/api/admin/..., tag admin) is described in
// bot/admin/openapi-admin.ts. test/bot/openapi-lint.test.ts lints the served document with
// Redocly's recommended rules and checks it against the routes of both runtimes.
//
// This file composes the document; its pieces are in bot/openapi/: kit.ts (builders, enum lists),
// schemas.ts and schemas-alerts-crawl.ts (components), paths-matching.ts, paths-alerts.ts and
// paths-crawl-teams.ts (the public paths by area).
import { adminOpenApi } from './admin/openapi-admin.ts'
import type { Paths } from './openapi/kit.ts'
import { alertsPaths } from './openapi/paths-alerts.ts'
import { crawlAndTeamsPaths } from './openapi/paths-crawl-teams.ts'
import { matchingPaths } from './openapi/paths-matching.ts'
import { publicSchemas, tooManyRequestsResponse } from './openapi/schemas.ts'
import { NODE_ONLY, NODE_ONLY_NOTE } from './openapi/shorthands.ts'

let cached: object | undefined
const sharedOnly = new Map<string, object>()

/** Said on the alerts operations of the Workers document (runtime/workers/alerts.ts). */
export const WORKERS_ALERTS_NOTE = 'On Cloudflare Workers: signed webhooks, the ICS and Atom feeds; a subscription asking for e-mail or Teams is refused (400 naming channels.email or channels.teamsConversationId).'
/** Said on the back office's operations of the Workers document (runtime/workers/admin.ts). */
export const WORKERS_ADMIN_NOTE = 'On Cloudflare Workers: the same back office over D1, but no e-mail leaves it (a locked account waits for its lock to end or is unlocked by an admin) and a crawl source cannot be re-run from it (404).'

/**
 * The document of a runtime: the Node server's has every operation; the Workers entry's leaves out
 * the operations marked Node-only (the crawl and Teams routes), but for the alerts' when it mounts
 * them and the back office's it mounts (`served`: `METHOD /path` keys of its routes), so that every
 * operation it lists answers there.
 */
export function openApiDocument({ nodeOnly = true, alerts = nodeOnly, served }: { nodeOnly?: boolean; alerts?: boolean; served?: ReadonlySet<string> } = {}): object {
  if (!nodeOnly) {
    const key = `${alerts}|${[...(served ?? [])].sort().join(',')}`
    const doc = sharedOnly.get(key) ?? withoutNodeOnly(openApiDocument() as { paths: PathsOf }, alerts, served ?? new Set())
    sharedOnly.set(key, doc)
    return doc
  }
  if (cached) return cached
  const paths: Paths = { ...matchingPaths(), ...alertsPaths(), ...crawlAndTeamsPaths() }
  const admin = adminOpenApi()
  referenceTooManyRequests({ ...paths, ...admin.paths })
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Guichet API',
      version: '0.1.0',
      description: 'Le guichet unique des financements pour les collectivités françaises. / One-stop funding desk for French local authorities.\n\nErrors are JSON with the Error schema: a stable `code`, a French then English `message`, and `field` naming the parameter or body field at fault. Texts meant for people (reasons, labels, questions) are in French.\n\nRate limits: each client (its address; an IPv6 one by its /64) has per-minute buckets — every request (RATE_LIMIT_PER_MINUTE, default 120), chat turns (20), subscription writes and confirm/unsubscribe links (10), Teams activities on their own (600). Every counted answer carries RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and RateLimit-Policy (IETF draft 6); over a limit the answer is 429 with Retry-After.',
    },
    servers: [{ url: '/', description: 'The server that serves this document' }],
    // Public unless an operation says otherwise (the admin API, Teams).
    security: [],
    tags: [
      { name: 'matching', description: 'Which programmes a collectivité can get for a project' },
      { name: 'programmes', description: 'The catalogue of funding programmes' },
      { name: 'reference', description: 'Identifiers the other operations accept, with French labels' },
      { name: 'chat', description: 'The eligibility dialogue of the web widget' },
      { name: 'alerts', description: 'Deadline alerts: subscriptions, confirmation and unsubscribe links, ICS and Atom feeds' },
      { name: 'crawl', description: 'What the crawler fetched and what changed (read-only)' },
      { name: 'teams', description: 'The Microsoft Teams channel' },
      { name: 'service', description: 'Health and this document' },
      admin.tag,
    ],
    paths: { ...paths, ...admin.paths },
    components: {
      schemas: { ...publicSchemas(), ...admin.schemas },
      responses: { ...admin.responses, TooManyRequests: tooManyRequestsResponse() },
      securitySchemes: {
        botFramework: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Bot Framework token of the Bot Connector (checked when the Microsoft app is configured)' },
        ...admin.securitySchemes,
      },
    },
  }
  return cached
}

/** Every operation without a 429 of its own references the shared TooManyRequests response. */
function referenceTooManyRequests(paths: Record<string, object>): void {
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      const responses = (op as { responses?: Record<string, unknown> }).responses
      if (responses && !responses['429']) responses['429'] = { $ref: '#/components/responses/TooManyRequests' }
    }
  }
}

/**
 * The document without the Node-only operations (and the paths left with none); with `alerts` (the
 * Workers entry mounts them over D1), the alerts operations stay, and so do the back office's
 * operations in `served`, their Node-only mark and note replaced by what Workers offers.
 */
type PathsOf = Record<string, Record<string, Record<string, unknown>>>
function withoutNodeOnly<D extends { paths: PathsOf }>(doc: D, alerts: boolean, served: ReadonlySet<string>): D {
  const paths: PathsOf = {}
  const tagged = (op: Record<string, unknown>, tag: string) => (op['tags'] as string[] | undefined)?.includes(tag) ?? false
  const servedHere = (path: string, method: string, op: Record<string, unknown>) => (alerts && tagged(op, 'alerts')) || (tagged(op, 'admin') && served.has(`${method.toUpperCase()} ${path}`))
  for (const [path, item] of Object.entries(doc.paths)) {
    const kept = Object.fromEntries(
      Object.entries(item)
        .filter(([method, op]) => !op[NODE_ONLY] || servedHere(path, method, op))
        .map(([method, op]) => [method, op[NODE_ONLY] ? onWorkers(op, tagged(op, 'admin') ? WORKERS_ADMIN_NOTE : WORKERS_ALERTS_NOTE) : op]),
    )
    if (Object.keys(kept).length > 0) paths[path] = kept
  }
  return { ...doc, paths }
}

function onWorkers(op: Record<string, unknown>, note: string): Record<string, unknown> {
  const { [NODE_ONLY]: _mark, ...rest } = op
  return { ...rest, description: String(op['description'] ?? '').replace(NODE_ONLY_NOTE, note) }
}
