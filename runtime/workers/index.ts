// The Cloudflare Workers entry: the same Hono app as Node (bot/app.ts) over the Worker's bindings —
// D1 (env.DB) migrated at the first request of each isolate, chat sessions, the alerts and the back
// office in it; the search index of runtime/workers/search.ts (Meilisearch, filled only when the
// documents changed; the embedded one in local development; else 503 on the routes that search);
// the catalogue and the widget's script made by the build step (runtime/workers/build.ts). The
// scheduled handler runs the alerts on the Cron Triggers of wrangler.toml.
//
// The catalogue: the bundled curated files, with the back office's curation read from D1 on top
// and the crawled rows of the D1 crawl store (runtime/workers/crawl.ts; `crawled` below). Each isolate builds
// its own and follows the catalogue version kept in D1 (runtime/workers/catalogue-version.ts).
// The back office: runtime/workers/admin.ts says what of it runs here. The crawl: the nightly crawl
// of the coded sources runs here on a Cron Trigger (runtime/workers/crawl.ts) into the D1 crawl
// store, whose runs and events GET /api/crawl/* read and /api/ready reports. Node only, and absent
// from this runtime's OpenAPI (bot/openapi/runtimes.ts; the document lists the routes this app
// registers): the crawler's page sources and re-runs, the Teams channel, e-mail (alerts and unlock links).
import { councilSettings } from '../../bot/council-view.ts'
import type { Hono } from 'hono'
import { createApp, type Readiness } from '../../bot/app.ts'
import { createClientAddress } from '../../bot/client-address.ts'
import { createDialogue } from '../../bot/conversation/dialogue.ts'
import { withUnderstandingLog } from '../../bot/admin/understanding-log.ts'
import { createSqlRightsStore } from '../sql/rights-store.ts'
import { createSqlUnderstandingLog } from '../sql/understanding-log.ts'
import { createCatalogueService, type CatalogueInputs, type CatalogueService } from '../../content/catalogue-service.ts'
import type { AdminDeps } from '../../bot/admin/admin-deps.ts'
import type { PasswordHasher } from '../../bot/admin/ports.ts'
import { createMatcher } from '../../content/matching.ts'
import { withPeerProjects } from '../../content/peers/peers.ts'
import { fixedClock, parisDay, systemClock, type Clock } from '../../core/clock.ts'
import { parseConfig } from '../../core/config.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { createLogger, type Logger } from '../../core/logger.ts'
import { ProgrammeSchema } from '../../core/programme.ts'
import { parseAlertsConfig } from '../node/alerts-config.ts'
import type { AlertsStore } from '../../bot/alerts/alerts-store.ts'
import { first, sql, type SqlDatabase } from '../sql/database.ts'
import { migrate } from '../sql/migrations.ts'
import { composeWorkersAlerts, type WorkersAlerts } from './alerts.ts'
import { d1Database, type D1Like } from './d1-database.ts'
import { createD1AlertsStore } from './d1-alerts-store.ts'
import { createD1AdminStores, createD1SessionStore } from './d1-stores.ts'
import { workersAdmin } from './admin.ts'
import { createWorkersCrawlStore } from './crawl.ts'
import { SOURCE_IDS } from '../../crawler/sources/index.ts'
import { catalogueCheckMs, catalogueFreshness, type CatalogueFreshness } from './catalogue-version.ts'
import { catalogueBudget, maxProgrammes, type CatalogueBudget } from './catalogue-budget.ts'
import { runScheduled, type ScheduledControllerLike } from './scheduled.ts'
import { embeddedIndexAllowed, searchesAt, searchUnavailable, workersSearch, type WorkersSearch } from './search.ts'
import catalogueJson from './catalogue.generated.json' with { type: 'json' }
import widgetJson from './widget.generated.json' with { type: 'json' }

/** The Worker's bindings: D1 as DB, and the vars and secrets of wrangler.toml (strings). */
export interface WorkersEnv {
  DB: D1Like
  [name: string]: unknown
}

export interface WorkersServices {
  app: Hono
  db: SqlDatabase
  search: WorkersSearch
  catalogues: CatalogueService
  /** The catalogue version this isolate serves, checked against D1's at most every few seconds. */
  freshness: CatalogueFreshness
  alerts: WorkersAlerts
  logger: Logger
}

/** What a composition may be given beside the bindings (the crawl's D1 store; tests: cheaper scrypt, shorter login limits). */
export interface WorkersComposeOptions {
  /**
   * The crawled layer of the catalogue (content/catalogue-service.ts), read at each rebuild — the D1
   * crawl store once the Worker keeps one; its writer bumps the catalogue version in the batch that
   * writes the rows (catalogueVersionBump), so every isolate rebuilds with them.
   */
  crawled?: (db: SqlDatabase) => NonNullable<CatalogueInputs['crawled']>
  /** The crawl runs and rows the back office shows (GET /api/admin/crawl/runs), with the known source ids. */
  crawlAdmin?: (db: SqlDatabase) => Pick<AdminDeps, 'crawl' | 'sourceIds'>
  hasher?: PasswordHasher
  adminLimits?: AdminDeps['limits']
}

let services: Promise<WorkersServices> | undefined

/** The isolate's services, composed once (again after a failed attempt, so a D1 hiccup is not fatal for the isolate). */
export function servicesFor(env: WorkersEnv, options: WorkersComposeOptions = {}): Promise<WorkersServices> {
  services ??= compose(env, options).catch((err: unknown) => {
    services = undefined
    throw err
  })
  return services
}

function stringVars(env: WorkersEnv): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'))
}

async function compose(env: WorkersEnv, options: WorkersComposeOptions): Promise<WorkersServices> {
  if (!env.DB) throw new Error('The Worker has no D1 binding named DB (see [[d1_databases]] in wrangler.toml)')
  const vars = stringVars(env)
  const config = parseConfig(vars)
  const alertsConfig = parseAlertsConfig(vars)
  const limit = maxProgrammes(vars)
  const logger = createLogger({ level: config.LOG_LEVEL })
  const clock = config.GUICHET_NOW ? fixedClock(config.GUICHET_NOW) : systemClock
  const today = () => parisDay(clock.now())
  const db = d1Database(env.DB)
  await migrate(db)
  const search = workersSearch(config, embeddedIndexAllowed(env), db)
  const adminStores = createD1AdminStores(env.DB)
  // The bundled curated files, the back office's curation from D1 on top, the crawled rows from D1 (unless given).
  const curated = (catalogueJson as unknown as unknown[]).map((p) => ProgrammeSchema.parse(p))
  const crawlStore = createWorkersCrawlStore(db)
  const crawled = options.crawled ? options.crawled(db) : crawlStore
  // The isolate's memory budget (runtime/workers/catalogue-budget.ts): crawled rows past WORKERS_MAX_PROGRAMMES are left out.
  const budget = catalogueBudget({ crawled, curated: curated.length, limit, logger })
  const curation = { overrides: () => adminStores.overrides.all(), createdProgrammes: () => adminStores.curation.createdProgrammes(), merges: () => adminStores.curation.merges() }
  const catalogues = createCatalogueService({ curated, crawled: budget.crawled, curation, index: search.index, today, logger, onRebuilt: budget.rebuilt })
  const freshness = catalogueFreshness({ db, catalogues, everyMs: catalogueCheckMs(env), logger })
  await freshness.rebuild()
  const catalogue = catalogues.current
  const matcher = withPeerProjects(createMatcher({ catalogue, index: search.index, clock }))
  const geography = loadEtalabGeography()
  // The anonymised understanding log (off until an admin turns it on in « Données personnelles »).
  const understandingLog = createSqlUnderstandingLog(db)
  const dialogue = withUnderstandingLog(createDialogue({ matcher, geography, catalogue, today, council: councilSettings(config) }), { settings: adminStores.settings, log: understandingLog, clock, logger })
  const alertsStore = createD1AlertsStore(env.DB)
  const alerts = await composeWorkersAlerts({ db, store: alertsStore, config: { ...alertsConfig, GUICHET_PUBLIC_URL: config.GUICHET_PUBLIC_URL }, clock, logger, catalogue, geography, council: councilSettings(config) })
  // Rate limits, the session cap and the login limits count per CF-Connecting-IP (set by Cloudflare, not by the client); the
  // in-memory counts are per isolate: a deployment wanting one count across isolates adds a Rate Limiting binding.
  const clientAddress = createClientAddress({ cloudflare: true })
  const admin = workersAdmin({
    stores: adminStores, catalogues, matcher, geography, clientIp: clientAddress, clock, logger, publicUrl: config.GUICHET_PUBLIC_URL,
    reindex: async () => void (await freshness.rebuild()),
    alerts: { store: alertsStore, sendDue: () => alerts.runDigest({ retriesOnly: true }) },
    privacy: { rights: createSqlRightsStore(db), log: understandingLog },
    // The crawl page: the runs and rows of the D1 crawl store, every coded source listed.
    ...(options.crawlAdmin ? options.crawlAdmin(db) : { crawl: crawlStore, sourceIds: () => SOURCE_IDS }),
    ...(options.hasher ? { hasher: options.hasher } : {}),
    ...(options.adminLimits ? { limits: options.adminLimits } : {}),
  })
  const app = createApp({
    ready: () => readiness(db, search, clock, { store: alertsStore, problem: alerts.problem }, budget),
    config, clock, logger, geography, catalogue, index: search.index, matcher, dialogue,
    sessions: createD1SessionStore(env.DB),
    alerts: alerts.routes,
    crawl: crawlStore,
    resolveId: catalogues.resolveId,
    clientAddress,
    widgetScript: async () => (widgetJson as unknown as { script: string }).script,
    runtime: 'workers',
    admin,
  })
  return { app, db, search, catalogues, freshness, alerts, logger }
}

/**
 * Readiness: D1 answers, the index holds documents (none without an index), whether the catalogue
 * fits the isolate's budget (WORKERS_MAX_PROGRAMMES), and how old the last
 * ended crawl run (of the D1 crawl store) and the last digest are — as the Node server's
 * (runtime/node/compose.ts), ages from the app's clock.
 */
async function readiness(db: SqlDatabase, search: WorkersSearch, clock: Clock, alerts: { store: AlertsStore; problem: string | undefined }, budget: Pick<CatalogueBudget, 'check'>): Promise<Readiness> {
  let database: Readiness['checks']['database'] = { ok: true }
  let health = { failing: 0, lost: 0 }
  let lastDay: string | null = null
  let run: { ended_at: string; status: string } | undefined
  try {
    lastDay = (await first<{ d: string | null }>(db, sql('SELECT MAX(last_digest_day) AS d FROM alert_progress')))?.d ?? null
    run = await first<{ ended_at: string; status: string }>(db, sql('SELECT ended_at, status FROM crawl_runs WHERE ended_at IS NOT NULL ORDER BY seq DESC LIMIT 1'))
    health = await alerts.store.deliveryHealth({ limit: 0 })
  } catch (err) {
    database = { ok: false, detail: (err as Error).message }
  }
  const documents = await search.index.count()
  const now = clock.now().getTime()
  return {
    ready: database.ok && documents > 0,
    checks: {
      database,
      index: { ok: documents > 0, documents },
      crawl: { lastEndedAt: run?.ended_at ?? null, status: run?.status ?? null, ageHours: run ? Math.round((now - Date.parse(run.ended_at)) / 36e5) : null },
      digest: { lastDay, ageDays: lastDay ? Math.round((now - Date.parse(`${lastDay}T00:00:00Z`)) / 864e5) : null },
      alerts: { ok: !alerts.problem && health.lost === 0, ...(alerts.problem ? { problem: alerts.problem } : {}), failing: health.failing, lost: health.lost },
      // Informative, as alerts: a catalogue over its budget is still served (truncated), so `ready` does not depend on it.
      catalogue: budget.check(),
    },
  }
}

export default {
  async fetch(request: Request, env: WorkersEnv, ctx: unknown): Promise<Response> {
    const s = await servicesFor(env)
    if (s.search.kind === 'none' && searchesAt(request)) return searchUnavailable(request)
    // Another isolate's back-office change (or a crawl) moved the catalogue version in D1: rebuild first.
    await s.freshness.ensureFresh()
    // Compression is the Workers runtime's: it encodes each answer for its client. A body the app gzipped
    // itself (/widget.js does on Node) would leave gzipped twice, so the app is asked for plain bodies.
    const plain = new Request(request)
    plain.headers.delete('accept-encoding')
    return s.app.fetch(plain, env, ctx as never)
  },
  /** Cron Triggers (wrangler.toml [triggers]); locally `wrangler dev --test-scheduled`, then GET /__scheduled?cron=… */
  async scheduled(controller: ScheduledControllerLike, env: WorkersEnv): Promise<void> {
    const s = await servicesFor(env)
    // A Cron Trigger's rebuild includes every change so far: it records the version it read.
    await runScheduled({ ...s, catalogues: { rebuild: s.freshness.rebuild } }, controller, { vars: stringVars(env) })
  },
}
