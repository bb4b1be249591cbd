// What each Cron Trigger of wrangler.toml runs (the crons are checked against this list by
// test/workers/entry.test.ts): the daily digest — after a catalogue rebuild, which refills
// Meilisearch only if the documents changed (calendar statuses move with the day) — under the D1
// lease the alerts store takes; the retry of failed deliveries (after the same rebuild); the ledger's
// purge and the retention the data declaration sets (runtime/sql/retention.ts); the nightly crawl, one source per invocation (runtime/workers/crawl.ts), after which a
// run that changed the catalogue rebuilds it here (the other isolates follow D1's meta key).
import type { CatalogueService } from '../../content/catalogue-service.ts'
import type { Logger } from '../../core/logger.ts'
import type { SqlDatabase } from '../sql/database.ts'
import { pruneRetention } from '../sql/retention.ts'
import type { WorkersAlerts } from './alerts.ts'
import { crawlNextSource, type WorkersCrawlDeps } from './crawl.ts'

export const CRONS = {
  digest: '0 6 * * *',
  retries: '*/30 * * * *',
  purge: '40 2 * * *',
  /** Every 10 minutes from 00:00 to 05:59 UTC: 36 invocations a night, one source each. */
  crawl: '*/10 0-5 * * *',
} as const

export interface ScheduledControllerLike {
  cron: string
  scheduledTime?: number
}

export interface ScheduledServices {
  catalogues: Pick<CatalogueService, 'rebuild'>
  alerts: WorkersAlerts
  logger: Logger
  db: SqlDatabase
}

/** What the crawl takes besides the services: the Worker's string bindings (CRAWL_*, credentials), and in tests its network and clocks. */
export type ScheduledCrawlDeps = Omit<WorkersCrawlDeps, 'db' | 'logger'>

export async function runScheduled(s: ScheduledServices, controller: ScheduledControllerLike, crawl: ScheduledCrawlDeps = { vars: {} }): Promise<void> {
  const { cron } = controller
  if (cron === CRONS.crawl) {
    const report = await crawlNextSource({ db: s.db, logger: s.logger, ...crawl })
    if (report.catalogueChangedAt) await s.catalogues.rebuild()
    const done = report.run?.sources[0]
    s.logger.info('workers crawl', { cron, outcome: report.outcome, source: report.sourceId ?? null, status: done?.status ?? null, new: done?.new ?? 0, updated: done?.updated ?? 0, catalogueChangedAt: report.catalogueChangedAt ?? null })
  } else if (cron === CRONS.digest) {
    await s.catalogues.rebuild()
    const report = await s.alerts.runDigest()
    s.logger.info('alerts digest', { cron, skipped: report.skipped ?? null, subscriptions: report.subscriptions, sent: report.rows.sent, failed: report.rows.failed })
  } else if (cron === CRONS.retries) {
    // Cheap when nothing changed (Meilisearch is refilled only if the documents' hash moved): the
    // index's calendar statuses follow the Paris day within half an hour, not at the next digest.
    await s.catalogues.rebuild()
    const report = await s.alerts.runDigest({ retriesOnly: true })
    s.logger.info('alerts retries', { cron, sent: report.rows.sent, failed: report.rows.failed })
  } else if (cron === CRONS.purge) {
    s.logger.info('alerts ledger purged', { cron, rows: await s.alerts.purge() })
    const pruned = await pruneRetention(s.db, new Date(controller.scheduledTime ?? Date.now()))
    s.logger.info('retention pruned', { cron, tables: Object.fromEntries(pruned.filter((p) => p.deleted > 0).map((p) => [p.table, p.deleted])) })
  } else {
    throw new Error(`Cron Trigger inconnu : « ${cron} » (attendus : ${Object.values(CRONS).join(', ')})`)
  }
}
