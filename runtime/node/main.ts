// `npm start`: the Node server with embedded defaults (SQLite file, in-process index).
import { serve } from '@hono/node-server'
import { composeNode } from './compose.ts'
import { sessionPruneJob, startCron } from './cron.ts'
import { createJobTracker, gracefulShutdown } from './shutdown.ts'
import type { Server } from 'node:http'
import { parseNodeSettings } from './node-settings.ts'
import { startHelp } from './start-help.ts'
import { StartupError } from './search-engine.ts'

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(startHelp())
  process.exit(0)
}

const started = performance.now()
// The same settings as `npm run alerts` (runtime/node/node-settings.ts).
const { config, crawl, alerts } = parseNodeSettings(process.env)
const services = await composeNode(config, { crawl, alerts }).catch((err: unknown) => {
  // A start-up problem the operator can fix (Meilisearch not answering…): one line, no stack trace.
  if (!(err instanceof StartupError)) throw err
  process.stderr.write(`Guichet n'a pas démarré : ${err.message}\n`)
  process.exit(1)
})
const crawlJob = services.crawler.job()
const server = serve({ fetch: services.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST
  services.logger.info(`Guichet listening on http://${host}:${info.port}/`, { ms: Math.round(performance.now() - started), today: config.GUICHET_NOW ?? 'system clock' })
})

const jobs = createJobTracker()
const cronJobs = startCron(
  [
    { name: 'reindex', expression: '5 0 * * *', run: services.reindex },
    // A crawl run from the CLI (`npm run crawl`) writes to the same database: picked up within a minute.
    { name: 'reindex-after-crawl', expression: '* * * * *', run: async () => { if (await services.reindexIfCrawled()) services.logger.info('reindexed after a crawl run') } },
    ...(crawlJob ? [crawlJob] : []),
    ...services.alerts.jobs,
    sessionPruneJob({ ...services, backups: { dataDir: config.GUICHET_DATA_DIR, keepDays: config.GUICHET_BACKUP_KEEP_DAYS } }),
  ],
  services.logger,
  jobs,
)

// Deliveries that failed or were interrupted before a restart are retried at once: none is dropped
// (unless the alerts cannot send: composeAlerts logged why, and /api/ready shows it).
if (!services.alerts.problem) void jobs.track('alerts-retry-at-start', services.alerts.runDigest({ retriesOnly: true })).catch((e) => services.logger.error('alerts retry at start-up failed', { error: (e as Error).message }))

// SIGTERM/SIGINT: no new job, no new connection; the current ones finish (SHUTDOWN_GRACE_MS), then the database closes.
const shutdown = gracefulShutdown({ server: server as Server, jobs, stopSchedules: () => cronJobs.stop(), close: () => services.close(), logger: services.logger, graceMs: config.SHUTDOWN_GRACE_MS })
process.on('SIGINT', (s) => void shutdown(s))
process.on('SIGTERM', (s) => void shutdown(s))
