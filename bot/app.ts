// The Hono composition: every route of Guichet, one error handler. Runtime-agnostic: the
// Node server (runtime/node) and the Workers entry (runtime/workers) both serve this app.
import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import { secureHeaders } from 'hono/secure-headers'
import { bodyLimit } from 'hono/body-limit'
import { FAVICON_SVG } from './pages/favicon.ts'
import type { Catalogue } from '../content/catalogue.ts'
import { APPLICANT_TYPES } from '../core/applicants.ts'
import { CLOSED_LISTS } from '../core/closed-lists.ts'
import { parisDay, type Clock } from '../core/clock.ts'
import type { Config } from '../core/config.ts'
import { NotFoundError, ValidationError, zodIssues } from '../core/errors.ts'
import type { Geography } from '../core/geography/geography.ts'
import type { Logger } from '../core/logger.ts'
import type { Matcher, MatchInput } from '../content/matching.ts'
import { THEMES } from '../core/themes.ts'
import type { SearchIndex } from '../search/search-index.ts'
import { MatchQuerySchema, type MatchQuery } from './api/match-query.ts'
import { analyse, detectBudget, detectPartnerCountry, detectStage, detectThemes } from './conversation/understand/understand.ts'
import { chatRoutes } from './channels/web/chat-routes.ts'
import { widgetRoutes } from './channels/web/widget-routes.ts'
import type { CrawlStore } from '../crawler/crawl-store.ts'
import { crawlRoutes } from './api/crawl-routes.ts'
import { planRoutes } from './api/plan-routes.ts'
import { councilRoutes } from './api/council-routes.ts'
import { councilSettings, withCouncil } from './council-view.ts'
import { projectsRoutes } from './api/projects-routes.ts'
import type { Dialogue } from './conversation/dialogue.ts'
import type { SessionStore } from './conversation/session-store.ts'
import { resolveProfile } from './api/resolve-profile.ts'
import { errorResponse } from './http-errors.ts'
import { createClientAddress, UNKNOWN_CLIENT, type ClientAddress } from './client-address.ts'
import { clientKey, createRateLimits, rateLimitSettings } from './rate-limit.ts'
import { requestLog } from './request-log.ts'
import { openApiDocument } from './openapi.ts'
import type { Runtime } from './openapi/runtimes.ts'
import { renderHome } from './pages/home.tsx'
import { legalRoutes } from './pages/legal-routes.ts'
import type { AdminEnv } from './admin/kit.ts'

/** `/api/ready`: can this instance serve? The database writable and the index loaded decide; the ages say how fresh. */
export interface Readiness {
  ready: boolean
  checks: {
    database: { ok: boolean; detail?: string }
    index: { ok: boolean; documents: number }
    crawl: { lastEndedAt: string | null; status: string | null; ageHours: number | null }
    digest: { lastDay: string | null; ageDays: number | null }
    /**
     * The alerts' escalation (Node): ok = able to send (problem says which setting is missing) and
     * nothing lost; failing = ledger rows failed and still retried; lost = rows whose last day (a
     * reminder's deadline) passed unsent, kept a month. Informative: `ready` does not depend on it.
     */
    alerts?: { ok: boolean; problem?: string; failing: number; lost: number }
    /** Workers: the catalogue against the isolate's budget (runtime/workers/catalogue-budget.ts). Informative: `ready` does not depend on it. */
    catalogue?: { ok: boolean; programmes: number; limit: number; leftOut: number; problem?: string }
  }
}

export interface AppDeps {
  /** The readiness probe of the runtime (Node: SQLite, crawl runs, digests); absent = index only. */
  ready?: () => Promise<Readiness>
  config: Config
  clock: Clock
  logger: Logger
  geography: Geography
  catalogue: () => Catalogue
  index: SearchIndex
  matcher: Matcher
  dialogue: Dialogue
  sessions: SessionStore
  /** POST /api/messages (bot/channels/teams), where the runtime hosts the Teams channel: botbuilder stays out of other runtimes. */
  teams?: Hono
  /** Crawl runs and change events (GET /api/crawl/*); absent = routes not mounted. */
  crawl?: Pick<CrawlStore, 'listRuns' | 'events'>
  /** Subscriptions, confirmation, unsubscribe, ICS and Atom feeds (bot/alerts). */
  alerts?: Hono
  /** Where an id that is not in the catalogue leads (content/catalogue-service.ts resolveId: a crawled duplicate → its catalogue programme → the winner of a merge); absent = nowhere. */
  resolveId?: (id: string) => string
  /** Who is calling, for rate limits and the chat sessions' per-client cap; default: the TCP peer. */
  clientAddress?: ClientAddress
  /** The rate limits' window; one minute but in tests. */
  rateLimitWindowMs?: number
  /** The widget's script, built ahead (Workers: at build time); default: esbuild at the first request (Node). */
  widgetScript?: () => Promise<string>
  /**
   * The runtime serving this app (default node). Its OpenAPI document lists the operations the app
   * registers (read at the request, so routes mounted after createApp count), less on Workers
   * those bot/openapi/runtimes.ts says it does not serve.
   */
  runtime?: Runtime
  /** The back office (bot/admin), mounted after every other route, where the runtime hands it to the app (Workers; Node mounts its own after). */
  admin?: Hono<AdminEnv>
}

/** The most any public (non back-office) request body may weigh: the largest route limit, a Teams activity. */
export const PUBLIC_BODY_CAP_BYTES = 256 * 1024

export function createApp(deps: AppDeps): Hono {
  const app = new Hono()
  // Hono matches in registration order: the middleware first, then the routes, the home page last.
  const clientAddress = deps.clientAddress ?? createClientAddress()
  useMiddleware(app, deps, clientAddress)
  publicApiRoutes(app, deps)
  channelRoutes(app, deps, clientAddress)
  referenceRoutes(app, deps.runtime ?? 'node')
  app.route('/', legalRoutes({ config: deps.config, runtime: deps.runtime ?? 'node' }))
  homePage(app, deps)
  if (deps.admin) app.route('/', deps.admin)
  return app
}

/** Request log, security headers, rate limits, the public body cap, the error and not-found handlers. */
function useMiddleware(app: Hono, deps: AppDeps, clientAddress: ClientAddress): void {
  const { logger } = deps
  // First: every request has an id (X-Request-Id) and one structured log line without personal data.
  app.use('*', requestLog(logger))
  // overwrite: false lets /widget.js keep its cross-origin resource policy (it is embedded on town sites).
  app.use('*', secureHeaders({ overwrite: false, contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:'] } }))
  // Per-client rate limits on every route, before any body is read (bot/rate-limit.ts; RATE_LIMIT_PER_MINUTE=0: off).
  app.use('*', createRateLimits({ ...rateLimitSettings(deps.config), ...(deps.rateLimitWindowMs ? { windowMs: deps.rateLimitWindowMs } : {}) }, clientAddress))
  // Every public route that takes a body has its own limit (readJsonBody, counted while streaming); this
  // cap counts any other body while it streams too, so that no public route reads an unbounded one.
  // The back office (/admin, /api/admin) has its own, larger limits for imports.
  const cap = bodyLimit({ maxSize: PUBLIC_BODY_CAP_BYTES, onError: (c) => errorResponse(c, new ValidationError([{ field: 'body', message: `corps de requête limité à ${PUBLIC_BODY_CAP_BYTES} octets` }]), logger) })
  app.use('*', async (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' || /^\/(?:api\/)?admin(?:\/|$)/.test(c.req.path) ? next() : cap(c, next)))
  app.onError((err, c) => errorResponse(c, err, logger))
  app.notFound((c) => errorResponse(c, new NotFoundError(`Aucune ressource à l'adresse ${c.req.path} / Not found`), logger))
}

/** Health, readiness, matching and the programmes. */
function publicApiRoutes(app: Hono, deps: AppDeps): void {
  const { matcher, geography } = deps
  app.get('/api/health', async (c) => c.json({ ok: true, programmes: deps.catalogue().size, index: { kind: deps.index.kind, documents: await deps.index.count() } }))

  app.get('/api/ready', async (c) => {
    const r: Readiness = deps.ready
      ? await deps.ready()
      : await (async () => {
          const documents = await deps.index.count()
          return { ready: documents > 0, checks: { database: { ok: true, detail: 'aucune base dans ce runtime' }, index: { ok: documents > 0, documents }, crawl: { lastEndedAt: null, status: null, ageHours: null }, digest: { lastDay: null, ageDays: null } } }
        })()
    c.header('Cache-Control', 'no-store')
    return c.json(r, r.ready ? 200 : 503)
  })

  app.get('/api/match', async (c) => {
    const query = parseQuery(c.req.queries())
    const input = toMatchInput(geography, query)
    const council = councilSettings(deps.config, { ...(query.councilCalendar ? { calendar: query.councilCalendar } : {}), ...(query.councilMarginDays !== undefined ? { marginDays: query.councilMarginDays } : {}) })
    return c.json(withCouncil(await matcher.match(input), { catalogue: deps.catalogue(), settings: council, ...(query.applicant ? { applicant: query.applicant } : {}), ...(input.facts?.applicantPopulation !== undefined ? { applicantPopulation: input.facts.applicantPopulation } : {}) }))
  })

  app.get('/api/programmes', async (c) => {
    const list = deps.catalogue().all().map((p) => matcher.present(p))
    return c.json({ programmes: list.map(({ id, name, shortName, funders, level, themes, calendar, url }) => ({ id, name, shortName, funders, level, themes, calendar, url })) })
  })

  app.get('/api/programmes/:id', (c) => {
    const id = c.req.param('id')
    const p = deps.catalogue().get(id)
    const moved = p ? undefined : deps.resolveId?.(id)
    if (moved && moved !== id) return c.redirect(`/api/programmes/${encodeURIComponent(moved)}`, 301)
    if (!p) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    return c.json({ programme: p, view: matcher.present(p) })
  })
}

/** The chat (open to any origin), the widget, and the optional Teams, crawl and alerts routes. */
function channelRoutes(app: Hono, deps: AppDeps, clientAddress: ClientAddress): void {
  // The widget calls the chat from town websites: any origin, no credentials (the session travels in the body).
  app.use('/api/chat', cors({ origin: '*', allowMethods: ['POST', 'OPTIONS'], allowHeaders: ['Content-Type'], maxAge: 86400 }))
  app.route('/', chatRoutes({
    dialogue: deps.dialogue,
    sessions: deps.sessions,
    clock: deps.clock,
    ownerOf: (c) => {
      const address = clientAddress(c)
      return address === UNKNOWN_CLIENT ? undefined : clientKey(address)
    },
    maxPerClient: deps.config.SESSION_MAX_PER_CLIENT,
  }))
  app.route('/', widgetRoutes(deps.widgetScript ? { script: deps.widgetScript } : {}))
  if (deps.teams) app.route('/', deps.teams)
  if (deps.crawl) app.route('/', crawlRoutes({ store: deps.crawl }))
  app.route('/', planRoutes({ geography: deps.geography, catalogue: deps.catalogue, matcher: deps.matcher }))
  app.route('/', councilRoutes({ config: deps.config, clock: deps.clock, catalogue: deps.catalogue }))
  app.route('/', projectsRoutes({ geography: deps.geography }))
  if (deps.alerts) app.route('/', deps.alerts)
}

/** The reference lists, the OpenAPI document and the favicon. */
function referenceRoutes(app: Hono, runtime: Runtime): void {
  app.get('/api/themes', (c) => c.json({ themes: Object.entries(THEMES).map(([id, t]) => ({ id, label: t.label, synonyms: t.synonyms })) }))
  app.get('/api/applicant-types', (c) => c.json({ applicantTypes: Object.entries(APPLICANT_TYPES).map(([id, t]) => ({ id, label: t.label })) }))
  app.get('/api/closed-lists', (c) => c.json({ closedLists: Object.entries(CLOSED_LISTS).map(([id, l]) => ({ id, label: l.label })) }))
  // The operations this app registers, read once its routes are all there (and again if more come).
  let document: { routes: number; doc: object } | undefined
  app.get('/api/openapi.json', (c) => {
    if (document?.routes !== app.routes.length) document = { routes: app.routes.length, doc: openApiDocument({ runtime, served: routeKeys(app) }) }
    return c.json(document.doc)
  })
  // The favicon: browsers ask /favicon.ico on their own; both answer the SVG, cached a day.
  const favicon = (c: Context) => c.body(FAVICON_SVG, 200, { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=86400' })
  app.get('/favicon.svg', favicon)
  app.get('/favicon.ico', favicon)
}

/**
 * `GET /api/programmes/{id}`…: the routes an app registers, in the OpenAPI document's spelling (a
 * parameter's pattern dropped); middleware on a wildcard is no route, `ALL /path` answers every method.
 */
export function routeKeys(app: Hono): Set<string> {
  return new Set(app.routes.filter((r) => !(r.method === 'ALL' && r.path.includes('*'))).map((r) => `${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, '{$1}')}`))
}

/** The home page: the search form, and its results when the query string asks. */
function homePage(app: Hono, deps: AppDeps): void {
  const { matcher, geography } = deps
  app.get('/', async (c) => {
    const raw = c.req.queries()
    const asked = Object.keys(raw).length > 0
    let outcome: Parameters<typeof renderHome>[0]['outcome']
    if (asked) {
      try {
        const query = parseQuery(dropEmpty(raw))
        outcome = { kind: 'results', response: await matcher.match(toMatchInput(geography, query)) }
      } catch (err) {
        if (err instanceof ValidationError || err instanceof NotFoundError || (err instanceof Error && err.name === 'AmbiguousError')) {
          outcome = { kind: 'error', message: err.message.split(' / ')[0]! }
        } else throw err
      }
    }
    const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.join(',')]))
    return c.html(renderHome({ values, outcome, today: parisDay(deps.clock.now()) }))
  })
}

/** Repeated parameters are joined by commas (themes=a&themes=b ≡ themes=a,b). */
function parseQuery(raw: Record<string, string[]>): MatchQuery {
  const flat = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.join(',')]))
  const parsed = MatchQuerySchema.safeParse(flat)
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
  return parsed.data
}

function dropEmpty(raw: Record<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.filter((x) => x.trim() !== '')] as const).filter(([, v]) => v.length > 0))
}

function toMatchInput(geography: Geography, q: MatchQuery): MatchInput {
  const profile = resolveProfile(geography, q)
  const closedLists: Record<string, boolean> = {}
  for (const id of q.member ?? []) closedLists[id] = true
  for (const id of q.notMember ?? []) closedLists[id] = false
  const prerequisites: Record<string, boolean> = {}
  for (const id of q.prerequisites ?? []) prerequisites[id] = true
  for (const id of q.missingPrerequisites ?? []) prerequisites[id] = false
  // What the project text says, for the facts the parameters leave open (parameters win).
  const text = q.q ? analyse(q.q) : undefined
  const themes = q.themes ?? (text ? detectThemes(text).themes.add : undefined)
  const stage = q.stage ?? (text ? detectStage(text) : undefined)
  const budget = q.budget ?? (text ? detectBudget(text) : undefined)
  const partnerCountry = q.partnerCountry ?? (text ? detectPartnerCountry(text) : undefined)
  const population = q.population ?? (q.members ? membersPopulation(geography, q.members) : undefined)
  return {
    profile,
    facts: {
      ...(q.applicant ? { applicantType: q.applicant } : {}),
      ...(themes?.length ? { themes } : {}),
      ...(q.notThemes ? { notThemes: q.notThemes } : {}),
      ...(stage ? { stage } : {}),
      ...(budget !== undefined ? { budget } : {}),
      ...(partnerCountry ? { partnerCountry } : {}),
      ...(q.partnerCountries ? { partnerCountries: q.partnerCountries } : {}),
      ...(q.partners ? { foreignPartners: q.partners === 'yes' } : {}),
      ...(q.frenchPartners !== undefined ? { frenchPartners: q.frenchPartners } : {}),
      ...(population !== undefined ? { applicantPopulation: population } : {}),
      ...(q.syndicatKind ? { syndicatKind: q.syndicatKind } : {}),
      ...(q.density !== undefined ? { density: q.density } : {}),
      ...(q.location ? { location: q.location } : {}),
      closedLists,
      prerequisites,
    },
    ...(q.q ? { q: q.q } : {}),
    ...(q.themes ? { themes: q.themes } : {}),
    ...(q.limit ? { limit: q.limit } : {}),
  }
}

/** A syndicat's population: the sum of its member communes' (an unknown code is a 400 naming `members`). */
function membersPopulation(geography: Geography, codes: string[]): number {
  let sum = 0
  for (const code of new Set(codes)) {
    const c = geography.communeByInsee(code)
    if (!c) throw new ValidationError([{ field: 'members', message: `commune inconnue : ${code}` }])
    sum += c.population ?? 0
  }
  return sum
}
