// The composition root of the Node runtime: config → clock, logger, SQLite, geography,
// catalogue, search index (embedded or Meilisearch), matcher, Hono app.
import { councilSettings } from '../../bot/council-view.ts'
import type { Hono } from 'hono'
import { createApp, type Readiness } from '../../bot/app.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import { createCatalogueService, type CatalogueService } from '../../content/catalogue-service.ts'
import { createClientAddress } from '../../bot/client-address.ts'
import { fixedClock, parisDay, systemClock, type Clock } from '../../core/clock.ts'
import type { Config } from '../../core/config.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { createLogger, type Logger } from '../../core/logger.ts'
import { createMatcher, type Matcher } from '../../content/matching.ts'
import { withPeerProjects } from '../../content/peers/peers.ts'
import { createDialogue, type Dialogue } from '../../bot/conversation/dialogue.ts'
import type { SessionStore } from '../../bot/conversation/session-store.ts'
import type { DialogueState } from '../../bot/conversation/state.ts'
import { createSqliteSessionStore } from './sqlite-session-store.ts'
import type { TeamsChannel } from '../../bot/channels/teams/teams-channel.ts'
import { createLazyTeamsChannel } from './lazy-teams.ts'
import type { ConversationReferenceStore } from '../../bot/channels/teams/conversation-reference-store.ts'
import { createSqliteConversationReferenceStore } from './teams-store.ts'
import { parseCrawlOptions, type CrawlSettings } from '../../crawler/crawl-options.ts'
import { createNodeCrawler, type NodeCrawler } from './crawl-job.ts'
import { adminRoutes, type AdminDeps } from '../../bot/admin/admin-routes.tsx'
import type { AdminEnv } from '../../bot/admin/kit.ts'
import { alertsAdminModule } from '../../bot/admin/alerts-admin.tsx'
import { pageSourcesAdminModule } from '../../bot/admin/page-sources-admin.tsx'
import { privacyAdminModule } from '../../bot/admin/privacy-admin.tsx'
import { withUnderstandingLog } from '../../bot/admin/understanding-log.ts'
import { createSqliteRightsStore } from './sqlite-rights-store.ts'
import { createSqliteUnderstandingLog } from './sqlite-understanding-log.ts'
import type { AdminMailer, PasswordHasher } from '../../bot/admin/ports.ts'
import type { MailSender } from '../../bot/alerts/senders.ts'
import { createAdminStores, curationSource, isSourceEnabled, type AdminStores } from './admin-services.ts'
import { SOURCE_IDS, SOURCES } from '../../crawler/sources/index.ts'
import { createNodePageSources } from './page-sources.ts'
import { composeAlerts, type AlertsServices } from './alerts-services.ts'
import { createTeamsChannelNotifier } from './alerts-teams.ts'
import { parseAlertsConfig, type AlertsConfig } from './alerts-config.ts'
import { findEmail, subscribeFromDialogue } from '../../bot/alerts/dialogue-subscription.ts'
import type { Programme } from '../../core/programme.ts'
import { openSearchIndex } from './search-engine.ts'
import type { SearchIndex } from '../../search/search-index.ts'
import { loadCuratedProgrammes } from './load-content.ts'
import { openDatabase, type Db } from './sqlite.ts'

export interface NodeServices {
  config: Config
  clock: Clock
  logger: Logger
  db: Db
  geography: Geography
  /** The served catalogue (catalogues.current). */
  catalogue: () => Catalogue
  /** Builds what is served: curated files, crawled records, the back office's curation; catalogue and index swapped together. */
  catalogues: CatalogueService
  index: SearchIndex
  matcher: Matcher
  dialogue: Dialogue
  sessions: SessionStore
  teams: TeamsChannel
  teamsReferences: ConversationReferenceStore
  app: Hono
  /** The admin desk's routes (mounted on `app`), listed by the route-probing tests. */
  adminApp: Hono<AdminEnv>
  crawler: NodeCrawler
  admin: AdminStores
  alerts: AlertsServices
  /** The catalogue id that stands for a crawled id (curated id, or winner of its duplicates). */
  catalogueIdOf(id: string): string
  /** Rebuilds catalogue and index (content/catalogue-service.ts), then swaps both (daily, and after each crawl). */
  reindex(): Promise<void>
  /** Reindexes when a crawl finished since the last reindex, in this process or another (`npm run crawl`). */
  reindexIfCrawled(): Promise<boolean>
  close(): void
}

export interface ComposeOptions {
  logger?: Logger
  programmes?: Programme[]
  crawl?: CrawlSettings
  alerts?: AlertsConfig
  /** Tests: a clock they can move, cheap scrypt parameters, a client address from a header, a recorded re-run. */
  clock?: Clock
  hasher?: PasswordHasher
  admin?: Partial<Pick<AdminDeps, 'clientIp' | 'runSource' | 'limits'>>
  /** Tests: a rate-limit window shorter than the minute. */
  rateLimitWindowMs?: number
  /** Tests: crawls read this recorded-responses folder (manifest.json) instead of the network. */
  crawlReplayDir?: string
  /** How long the back office's re-run waits for its run before answering « en cours » (default 20 s). */
  rerunWaitMs?: number
}

// The composition, step by step: the stores, the crawler and the catalogue (content/catalogue-service.ts),
// the conversation and its channels, the alerts, then the HTTP app with the back office mounted on it.
export async function composeNode(config: Config, options: ComposeOptions = {}): Promise<NodeServices> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL })
  const clock = options.clock ?? (config.GUICHET_NOW ? fixedClock(config.GUICHET_NOW) : systemClock)
  const db = openDatabase(config.GUICHET_DATA_DIR)
  const admin = createAdminStores(db, options.hasher)
  const geography = loadEtalabGeography()
  const base = { config, options, clock, logger, db, admin }
  const { crawler, pageSources, catalogues, index, reindex, reindexIfCrawled } = await composeCatalogue(base)
  const catalogue = catalogues.current
  const matcher = withPeerProjects(createMatcher({ catalogue, index, clock }))
  // The dialogue and Teams subscribe through the alerts service, composed after them (it needs the Teams channel, which needs the dialogue).
  let alerts: AlertsServices | undefined
  const alertsService = () => {
    if (!alerts) throw new Error('alerts not composed yet')
    return alerts.service
  }
  const { dialogue, sessions, teams, teamsReferences } = composeConversation({ ...base, matcher, geography, catalogue, alertsService })
  alerts = composeAlerts({
    db,
    config: { ...(options.alerts ?? parseAlertsConfig({})), GUICHET_PUBLIC_URL: config.GUICHET_PUBLIC_URL, PORT: config.PORT },
    clock,
    logger,
    geography,
    catalogue,
    teams: createTeamsChannelNotifier({ references: teamsReferences, sendProactive: teams.sendProactive, now: () => clock.now() }),
    events: crawler.store,
    council: councilSettings(config),
  })
  const clientAddress = createClientAddress({ trustedProxies: config.TRUSTED_PROXIES })
  const app = createApp({ ready: () => readiness(db, index, clock, alerts!), config, clock, logger, geography, catalogue, index, matcher, dialogue, sessions, teams: teams.routes, crawl: crawler.store, alerts: alerts.routes, resolveId: catalogues.resolveId, clientAddress, ...(options.rateLimitWindowMs ? { rateLimitWindowMs: options.rateLimitWindowMs } : {}) })
  const adminApp = composeAdminApp({ ...base, alerts, clientAddress, matcher, geography, reindex, catalogues, crawler, pageSources })
  app.route('/', adminApp)
  return {
    config, clock, logger, db, geography, index, matcher, dialogue, sessions, teams, teamsReferences, app, adminApp, reindex, crawler, admin, alerts,
    reindexIfCrawled,
    catalogueIdOf: catalogues.catalogueIdOf,
    catalogue,
    catalogues,
    close: () => {
      alerts?.close()
      db.close()
    },
  }
}

interface Base {
  config: Config
  options: ComposeOptions
  clock: Clock
  logger: Logger
  db: Db
  admin: AdminStores
}

/**
 * The crawler (page sources included) and the catalogue service over curated files, crawled rows
 * and the back office's curation; the first rebuild is done before the server answers.
 */
async function composeCatalogue({ config, options, clock, logger, db, admin }: Base) {
  const curated = options.programmes ?? loadCuratedProgrammes()
  // Meilisearch when configured and answering (retried; else a clear StartupError, or the embedded index if allowed).
  const index: SearchIndex = await openSearchIndex(config, logger)
  // content/sources/*.yaml (a broken file stops the start) + versions saved in the back office.
  const pageSources = createNodePageSources({ db })
  const crawler = createNodeCrawler({
    db,
    // Read at each run: a page source saved in the back office is used by the next crawl.
    sources: async () => [...SOURCES, ...(await pageSources.crawlSources())],
    settings: options.crawl ?? parseCrawlOptions({}),
    clock,
    logger,
    afterRun: () => reindex(),
    isEnabled: (id) => isSourceEnabled(admin.settings, id),
    ...(options.crawlReplayDir ? { replayDir: options.crawlReplayDir } : {}),
  })
  // Runs a dead process left « en cours » (kill -9, crash) are closed as interrupted at start-up.
  await crawler.closeInterrupted()
  const catalogues = createCatalogueService({
    curated,
    crawled: crawler.store,
    curation: curationSource(admin),
    logger,
    index,
    today: () => parisDay(clock.now()),
    onRebuilt: ({ documents, ms, day, engine }) => {
      db.prepare('INSERT INTO index_builds (built_at, engine, documents, duration_ms, day) VALUES (?, ?, ?, ?, ?)').run(new Date().toISOString(), engine, documents, ms, day)
      logger.info('index built', { engine, documents, ms: Math.round(ms) })
    },
  })
  // The end of the latest crawl run the catalogue includes (runs of `npm run crawl` land in the same SQLite file).
  let crawlSeen: string | null = null
  const latestCrawlEnd = async () => (await crawler.store.listRuns(1))[0]?.endedAt ?? null
  // Rebuilds queue in the service; the crawl end read before queueing is included by the time it resolves.
  async function reindex(): Promise<void> {
    const crawlEnd = await latestCrawlEnd()
    await catalogues.rebuild()
    crawlSeen = crawlEnd
  }
  async function reindexIfCrawled(): Promise<boolean> {
    const end = await latestCrawlEnd()
    if (!end || end === crawlSeen) return false
    await reindex()
    return true
  }
  await reindex()
  return { crawler, pageSources, catalogues, index, reindex, reindexIfCrawled }
}

/** The dialogue (web chat) and the Teams channel over it, with their SQLite stores. */
function composeConversation({ config, clock, logger, db, admin, matcher, geography, catalogue, alertsService }: Base & { matcher: Matcher; geography: Geography; catalogue: () => Catalogue; alertsService: () => AlertsServices['service'] }) {
  const publicUrl = config.GUICHET_PUBLIC_URL
  // The anonymised understanding log (off until an admin turns it on) sees every turn, web and Teams.
  const dialogue = withUnderstandingLog(createDialogue({
    matcher,
    geography,
    catalogue,
    today: () => parisDay(clock.now()),
    council: councilSettings(config),
    ...(config.GUICHET_PUBLIC_URL ? { publicUrl: config.GUICHET_PUBLIC_URL } : {}),
    // Without GUICHET_PUBLIC_URL no alert leaves (its links would have no address): the dialogue
    // offers none and says e-mail reminders are not on here (bot/conversation/wording.ts).
    ...(publicUrl
      ? {
          subscribe: async (state: DialogueState, text: string) => {
            const email = findEmail(text)
            if (!email) return undefined
            return (await subscribeFromDialogue(alertsService(), state, { email }, { baseUrl: publicUrl })).reply
          },
        }
      : {}),
  }), { settings: admin.settings, log: createSqliteUnderstandingLog(db), clock, logger })
  const sessions = createSqliteSessionStore(db)
  const teamsReferences = createSqliteConversationReferenceStore(db)
  const teams = createLazyTeamsChannel({
    dialogue,
    sessions,
    references: teamsReferences,
    logger,
    clock,
    config: { appId: config.MicrosoftAppId, appPassword: config.MicrosoftAppPassword, tenantId: config.MicrosoftAppTenantId },
    sdk: config.TEAMS_SDK,
    devUnauthenticated: config.TEAMS_DEV_UNAUTHENTICATED,
    ...(config.GUICHET_PUBLIC_URL ? { privacyUrl: `${config.GUICHET_PUBLIC_URL.replace(/\/+$/, '')}/confidentialite` } : {}),
    // In Teams, « M'alerter des échéances » subscribes the conversation itself (proactive cards); without a public URL, the dialogue's answer.
    ...(publicUrl ? { subscribeAlerts: async ({ conversationId, state }: { conversationId: string; state: DialogueState }) => (await subscribeFromDialogue(alertsService(), state, { teamsConversationId: conversationId }, { baseUrl: publicUrl })).reply } : {}),
  })
  return { dialogue, sessions, teams, teamsReferences }
}

/**
 * Readiness: a write the database accepts (rolled back, never waiting on another writer more than
 * 200 ms), an index with documents, how old the last crawl and the last digest are, and the alerts'
 * escalation (a missing GUICHET_PUBLIC_URL, deliveries failing or lost).
 */
async function readiness(db: Db, index: SearchIndex, clock: Clock, alerts: AlertsServices): Promise<Readiness> {
  let database: Readiness['checks']['database'] = { ok: true }
  try {
    db.pragma('busy_timeout = 200')
    db.exec('BEGIN IMMEDIATE')
    db.prepare("INSERT INTO meta (key, value, updated_at) VALUES ('ready_probe', '1', '') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run()
    db.exec('ROLLBACK')
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK')
    database = { ok: false, detail: (err as Error).message }
  } finally {
    db.pragma('busy_timeout = 5000')
  }
  const documents = await index.count()
  const run = db.prepare('SELECT ended_at, status FROM crawl_runs WHERE ended_at IS NOT NULL ORDER BY seq DESC LIMIT 1').get() as { ended_at: string; status: string } | undefined
  const lastDay = (db.prepare('SELECT MAX(last_digest_day) AS d FROM alert_progress').get() as { d: string | null }).d
  const now = clock.now().getTime()
  const { failing, lost } = await alerts.store.deliveryHealth({ limit: 0 })
  return {
    ready: database.ok && documents > 0,
    checks: {
      database,
      index: { ok: documents > 0, documents },
      crawl: { lastEndedAt: run?.ended_at ?? null, status: run?.status ?? null, ageHours: run ? Math.round((now - Date.parse(run.ended_at)) / 36e5) : null },
      digest: { lastDay, ageDays: lastDay ? Math.round((now - Date.parse(`${lastDay}T00:00:00Z`)) / 864e5) : null },
      alerts: { ok: !alerts.problem && lost === 0, ...(alerts.problem ? { problem: alerts.problem } : {}), failing, lost },
    },
  }
}

/** The back office: its stores, the catalogue service's views, the crawler's re-run, the alerts and page-source modules. */
function composeAdminApp(o: Base & {
  alerts: AlertsServices
  clientAddress: AdminDeps['clientIp']
  matcher: Matcher
  geography: Geography
  reindex: () => Promise<void>
  catalogues: CatalogueService
  crawler: NodeCrawler
  pageSources: ReturnType<typeof createNodePageSources>
}): Hono<AdminEnv> {
  const { config, options, clock, logger, admin, alerts, catalogues, crawler, pageSources } = o
  return adminRoutes({
    ...admin,
    clientIp: o.clientAddress,
    // Unlock links go out like the alerts' e-mails (SMTP_URL, else the SQLite outbox), linked to GUICHET_PUBLIC_URL.
    ...(alerts.senders.email ? { mailer: adminMailer(alerts.senders.email) } : {}),
    linkBaseUrl: config.GUICHET_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    clock,
    logger,
    matcher: o.matcher,
    geography: o.geography,
    reindex: o.reindex,
    catalogue: catalogues.current,
    baseCatalogue: catalogues.base,
    curated: catalogues.curated,
    created: catalogues.created,
    redirects: catalogues.redirects,
    crawl: crawler.store,
    catalogueIdOf: catalogues.catalogueIdOf,
    // Waits for the run and reports how it really ended (or « en cours » after the wait).
    runSource: (id) => crawler.rerun(id, { ...(options.rerunWaitMs !== undefined ? { waitMs: options.rerunWaitMs } : {}) }),
    // Coded sources and page sources (content/sources + back office), listed before their first run.
    sourceIds: async () => [...SOURCE_IDS, ...(await pageSources.list()).map((e) => e.id)],
    pageSourceExports: async () => (await pageSources.list()).filter((e) => e.origin === 'admin').map((e) => ({ id: e.id, yaml: e.yaml })),
    modules: [
      alertsAdminModule({ store: alerts.store, sendDue: () => alerts.runDigest({ retriesOnly: true }) }),
      pageSourcesAdminModule({ sources: pageSources, crawl: crawler.store }),
      privacyAdminModule({ rights: createSqliteRightsStore(o.db), log: createSqliteUnderstandingLog(o.db), audit: admin.audit, settings: admin.settings, curation: admin.curation }),
    ],
    ...(config.GUICHET_PUBLIC_URL ? { publicUrl: config.GUICHET_PUBLIC_URL } : {}),
    ...options.admin,
  })
}

/** The admin desk's e-mail (unlock links) through the alerts' sender; outbox rows are tagged `admin-unlock`. */
function adminMailer(email: MailSender): AdminMailer {
  return { send: async (m) => void (await email.send({ ...m, headers: {}, subscriptionId: 'admin-unlock' })) }
}
