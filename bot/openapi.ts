// The OpenAPI 3.1 document of the HTTP API, served at /api/openapi.json by the Node server and
// the Workers entry alike. Request schemas derive from the zod schemas the routes validate with
// (query of /api/match, /api/crawl/*, /feeds/new.atom; bodies of /api/chat and
// /api/subscriptions), and the Programme schema from the zod model, so the document cannot drift
// from what the routes accept. The admin API (/api/admin/..., tag admin) is described in
// bot/admin/openapi-admin.ts. Where each operation runs (Node only, or both with a difference) is
// said by bot/openapi/runtimes.ts, and each app serves the operations it registers (bot/app.ts).
// test/bot/openapi-lint.test.ts lints the served document with Redocly's recommended rules and
// checks it against the routes of both runtimes; test/workers/entry.test.ts against the Worker's.
//
// This file composes the document; its pieces are in bot/openapi/: kit.ts (builders, enum lists),
// schemas.ts and schemas-alerts-crawl.ts (components), paths-matching.ts, paths-alerts.ts and
// paths-crawl-teams.ts (the public paths by area), runtimes.ts (where each operation runs).
import { adminOpenApi } from './admin/openapi-admin.ts'
import type { Paths } from './openapi/kit.ts'
import { alertsPaths } from './openapi/paths-alerts.ts'
import { councilPaths } from './openapi/paths-council.ts'
import { legalPaths } from './openapi/paths-legal.ts'
import { crawlAndTeamsPaths } from './openapi/paths-crawl-teams.ts'
import { matchingPaths } from './openapi/paths-matching.ts'
import { planPaths } from './openapi/paths-plan.ts'
import { projectsPaths } from './openapi/paths-projects.ts'
import { publicSchemas, tooManyRequestsResponse } from './openapi/schemas.ts'
import { listedOn, placeOperations, type Runtime } from './openapi/runtimes.ts'

let cached: object | undefined
const perApp = new Map<string, object>()

/**
 * The whole document (every operation, each saying where it runs: bot/openapi/runtimes.ts), or,
 * given a runtime and the `METHOD /path` keys its app registers (`served`), that runtime's: the
 * operations the app registers, less on Workers those it does not serve (the crawl re-run answers
 * 404 there) — so that every operation a document lists answers where it is served.
 */
export function openApiDocument(at?: { runtime: Runtime; served: ReadonlySet<string> }): object {
  if (at) {
    const key = `${at.runtime}|${[...at.served].sort().join(',')}`
    const doc = perApp.get(key) ?? listedOnly(openApiDocument() as { paths: PathsOf }, at.runtime, at.served)
    perApp.set(key, doc)
    return doc
  }
  if (cached) return cached
  const paths: Paths = { ...matchingPaths(), ...alertsPaths(), ...crawlAndTeamsPaths(), ...planPaths(), ...projectsPaths(), ...councilPaths(), ...legalPaths() }
  const admin = adminOpenApi()
  referenceTooManyRequests({ ...paths, ...admin.paths })
  placeOperations({ ...paths, ...admin.paths } as PathsOf)
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Guichet API',
      version: '0.1.0',
      description: 'Le guichet unique des financements pour les collectivités françaises. / One-stop funding desk for French local authorities.\n\nRuntimes: the Node server serves every operation; the Cloudflare Workers deployment serves all but those whose description says « Node server only », and says « On Cloudflare Workers: … » where it differs. Each serves at /api/openapi.json the operations it answers.\n\nErrors are JSON with the Error schema: a stable `code`, a French then English `message`, and `field` naming the parameter or body field at fault. Texts meant for people (reasons, labels, questions) are in French.\n\nRate limits: each client (its address; an IPv6 one by its /64) has per-minute buckets — every request (RATE_LIMIT_PER_MINUTE, default 120), chat turns (20), subscription writes and confirm/unsubscribe links (10), Teams activities on their own (600). Every counted answer carries RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and RateLimit-Policy (IETF draft 6); over a limit the answer is 429 with Retry-After.',
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

type PathsOf = Record<string, Record<string, Record<string, unknown>>>

/** The document with only the operations a runtime lists (and the paths left with one). */
function listedOnly<D extends { paths: PathsOf }>(doc: D, runtime: Runtime, served: ReadonlySet<string>): D {
  const paths: PathsOf = {}
  for (const [path, item] of Object.entries(doc.paths)) {
    const kept = Object.fromEntries(Object.entries(item).filter(([method, op]) => listedOn(runtime, served, method, path, op)))
    if (Object.keys(kept).length > 0) paths[path] = kept
  }
  return { ...doc, paths }
}
