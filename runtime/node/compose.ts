// The composition root of the Node runtime: config → clock, logger, SQLite, geography,
// catalogue, search index (embedded or Meilisearch), matcher, Hono app.
import type { Hono } from 'hono'
import { createApp } from '../../bot/app.ts'
import { createCatalogue, type Catalogue } from '../../content/catalogue.ts'
import { fixedClock, parisDay, systemClock, type Clock } from '../../core/clock.ts'
import type { Config } from '../../core/config.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { createLogger, type Logger } from '../../core/logger.ts'
import { createMatcher, type Matcher } from '../../core/matching.ts'
import { createDialogue, type Dialogue } from '../../bot/conversation/dialogue.ts'
import type { SessionStore } from '../../bot/conversation/session-store.ts'
import { createSqliteSessionStore } from './sqlite-session-store.ts'
import { createTeamsChannel, type TeamsChannel } from '../../bot/channels/teams/teams-channel.ts'
import type { ConversationReferenceStore } from '../../bot/channels/teams/conversation-reference-store.ts'
import { createSqliteConversationReferenceStore } from './teams-store.ts'
import type { Programme } from '../../core/programme.ts'
import { toSearchDocument } from '../../search/document.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { createMeilisearchSearchIndex } from '../../search/meilisearch/meilisearch-search-index.ts'
import type { SearchIndex } from '../../search/search-index.ts'
import { loadCuratedProgrammes } from './load-content.ts'
import { openDatabase, type Db } from './sqlite.ts'

export interface NodeServices {
  config: Config
  clock: Clock
  logger: Logger
  db: Db
  geography: Geography
  catalogue: () => Catalogue
  index: SearchIndex
  matcher: Matcher
  dialogue: Dialogue
  sessions: SessionStore
  teams: TeamsChannel
  teamsReferences: ConversationReferenceStore
  app: Hono
  /** Rebuilds the index from the catalogue (daily: calendar statuses move with the date). */
  reindex(): Promise<void>
  close(): void
}

export async function composeNode(config: Config, options: { logger?: Logger; programmes?: Programme[] } = {}): Promise<NodeServices> {
  const logger = options.logger ?? createLogger({ level: config.LOG_LEVEL })
  const clock = config.GUICHET_NOW ? fixedClock(config.GUICHET_NOW) : systemClock
  const db = openDatabase(config.GUICHET_DATA_DIR)
  const geography = loadEtalabGeography()
  const catalogue = createCatalogue({ curated: options.programmes ?? loadCuratedProgrammes() })
  const index: SearchIndex = config.MEILI_HOST
    ? createMeilisearchSearchIndex({ host: config.MEILI_HOST, ...(config.MEILI_API_KEY ? { apiKey: config.MEILI_API_KEY } : {}), indexUid: config.MEILI_INDEX })
    : createEmbeddedSearchIndex()

  async function reindex(): Promise<void> {
    const started = performance.now()
    const day = parisDay(clock.now())
    const docs = catalogue.all().map((p) => toSearchDocument(p, day))
    await index.replaceAll(docs)
    const ms = performance.now() - started
    db.prepare('INSERT INTO index_builds (built_at, engine, documents, duration_ms, day) VALUES (?, ?, ?, ?, ?)').run(new Date().toISOString(), index.kind, docs.length, ms, day)
    logger.info('index built', { engine: index.kind, documents: docs.length, ms: Math.round(ms) })
  }
  await reindex()

  const matcher = createMatcher({ catalogue: () => catalogue, index, clock })
  const dialogue = createDialogue({ matcher, geography, catalogue: () => catalogue, today: () => parisDay(clock.now()) })
  const sessions = createSqliteSessionStore(db)
  const teamsReferences = createSqliteConversationReferenceStore(db)
  const teams = createTeamsChannel({
    dialogue,
    sessions,
    references: teamsReferences,
    logger,
    clock,
    config: { appId: config.MicrosoftAppId, appPassword: config.MicrosoftAppPassword, tenantId: config.MicrosoftAppTenantId },
  })
  const app = createApp({ config, clock, logger, geography, catalogue: () => catalogue, index, matcher, dialogue, sessions, teams: teams.routes })
  return {
    config, clock, logger, db, geography, index, matcher, dialogue, sessions, teams, teamsReferences, app, reindex,
    catalogue: () => catalogue,
    close: () => db.close(),
  }
}
