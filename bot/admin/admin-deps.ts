// What the admin desk is given: its stores, the catalogue in its layers, the crawl, the clock.
// Each module of the desk (session, programmes, crawl, audit, accounts…) takes what it needs of it.
import type { Catalogue } from '../../content/catalogue.ts'
import type { Clock } from '../../core/clock.ts'
import type { Geography } from '../../core/geography/geography.ts'
import type { Logger } from '../../core/logger.ts'
import type { Matcher } from '../../content/matching.ts'
import type { Programme } from '../../core/programme.ts'
import type { CrawlStore, RunOutcome } from '../../crawler/crawl-store.ts'
import type { AuthDeps } from './auth.ts'
import type { AdminModule } from './kit.ts'
import type { AuditLog, CurationStore, OverrideStore, SettingsStore } from './ports.ts'

export interface AdminDeps extends AuthDeps {
  audit: AuditLog
  overrides: OverrideStore
  settings: SettingsStore
  /** The catalogue the bot serves (overrides applied, hidden ones removed). */
  catalogue: () => Catalogue
  /** The merged catalogue before overrides (curated > crawled), hidden programmes included. */
  baseCatalogue: () => Catalogue
  /** The curated files as loaded. */
  curated: () => readonly Programme[]
  /** Programmes created in the back office (a curated layer stored in the database). */
  created: () => readonly Programme[]
  /** Merged duplicates: loser id → winner id. */
  redirects: () => ReadonlyMap<string, string>
  curation: CurationStore
  matcher: Pick<Matcher, 'present'>
  /** The communes, EPCI, départements and régions: a programme's examples are replayed on them. */
  geography: Geography
  /** Rebuilds catalogue + index (overrides applied); called after every programme change. */
  reindex: () => Promise<void>
  crawl?: Pick<CrawlStore, 'listRuns' | 'allRows' | 'sourceStates'>
  catalogueIdOf?: (id: string) => string
  /** Runs one source now (the crawler) and says how the run really ended; absent = no button. */
  runSource?: (sourceId: string) => Promise<RunOutcome>
  /** Known source ids (for the enable/disable switches). */
  sourceIds?: () => readonly string[] | Promise<readonly string[]>
  /** Page sources saved in the back office, exported beside the programmes. */
  pageSourceExports?: () => Promise<readonly { id: string; yaml: string }[]>
  /** More admin areas (alerts outbox, page sources…), registered behind the same guard. */
  modules?: readonly AdminModule[]
  logger: Logger
  clock: Clock
}
