// What each Cron Trigger of wrangler.toml runs (the crons are checked against this list by
// test/workers/entry.test.ts): the daily digest — after a catalogue rebuild, which refills
// Meilisearch only if the documents changed (calendar statuses move with the day) — under the D1
// lease the alerts store takes; the retry of failed deliveries (after the same rebuild); the ledger's purge.
import type { CatalogueService } from '../../content/catalogue-service.ts'
import type { Logger } from '../../core/logger.ts'
import type { WorkersAlerts } from './alerts.ts'

export const CRONS = {
  digest: '0 6 * * *',
  retries: '*/30 * * * *',
  purge: '40 2 * * *',
} as const

export interface ScheduledControllerLike {
  cron: string
  scheduledTime?: number
}

export async function runScheduled(s: { catalogues: Pick<CatalogueService, 'rebuild'>; alerts: WorkersAlerts; logger: Logger }, controller: ScheduledControllerLike): Promise<void> {
  const { cron } = controller
  if (cron === CRONS.digest) {
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
  } else {
    throw new Error(`Cron Trigger inconnu : « ${cron} » (attendus : ${Object.values(CRONS).join(', ')})`)
  }
}
