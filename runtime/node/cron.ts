// Scheduled jobs of the Node runtime (node-cron, Europe/Paris): the nightly index rebuild (calendar
// statuses — open, closed, J-n — move with the date), the hourly prune (idle chat sessions, every
// age the data declaration sets: runtime/sql/retention.ts, and old backups: ./backup.ts), and the crawl and alerts jobs listed in main.ts.
import cron from 'node-cron'
import type { Logger } from '../../core/logger.ts'
import type { Clock } from '../../core/clock.ts'
import { SESSION_TTL_DAYS, type SessionStore } from '../../bot/conversation/session-store.ts'
import { pruneRetention } from '../sql/retention.ts'
import { pruneBackupRetention } from './backup.ts'
import type { JobTracker } from './shutdown.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import { scrubWal, type Db } from './sqlite.ts'

export interface ScheduledJob {
  name: string
  expression: string
  run: () => Promise<void>
}

/** Schedules the jobs; with a tracker, each run is tracked so a graceful shutdown can wait for it. */
export function startCron(jobs: ScheduledJob[], logger: Logger, tracker?: JobTracker): { stop(): void } {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.expression,
      async () => {
        try {
          await (tracker ? tracker.track(job.name, job.run()) : job.run())
        } catch (err) {
          logger.error('scheduled job failed', { job: job.name, error: (err as Error).message })
        }
      },
      { name: job.name, timezone: 'Europe/Paris', noOverlap: true },
    ),
  )
  return { stop: () => tasks.forEach((t) => t.stop()) }
}

/** Every hour at :15 (Europe/Paris). */
export const SESSION_PRUNE_SCHEDULE = '15 * * * *'

/**
 * Every hour at :15: deletes chat sessions idle for more than SESSION_TTL_DAYS (web and Teams alike)
 * — an idle session is gone within the hour after it expires (a turn on it already says « expirée »
 * and starts over) — and, given the database, every row older than the age the data declaration
 * sets for its table (core/privacy/declaration.ts), then scrubs the WAL: what was pruned or erased
 * is no longer on disk (the file deletes securely, runtime/node/sqlite.ts).
 */
export function sessionPruneJob({ sessions, clock, logger, db, backups }: { sessions: Pick<SessionStore, 'purgeIdle'>; clock: Clock; logger: Logger; db?: Db; backups?: { dataDir: string; keepDays: number } }): ScheduledJob {
  return {
    name: 'prune-retention',
    expression: SESSION_PRUNE_SCHEDULE,
    run: async () => {
      const now = clock.now()
      const purged = await sessions.purgeIdle(new Date(now.getTime() - SESSION_TTL_DAYS * 86_400_000))
      logger.info('idle chat sessions purged', { purged })
      if (!db) return
      const pruned = await pruneRetention(sqliteDatabase(db), now)
      // Every hour, pruned or not: an erasure whose own scrub found a reader in the way is finished here.
      if (!scrubWal(db)) logger.warn('WAL not fully checkpointed (a reader held it); the next prune retries')
      logger.info('retention pruned', { tables: Object.fromEntries(pruned.filter((p) => p.deleted > 0).map((p) => [p.table, p.deleted])) })
      // Backups older than GUICHET_BACKUP_KEEP_DAYS, and the erasure journal's entries as old (./backup.ts).
      if (backups) logger.info('backups pruned', { ...pruneBackupRetention(backups.dataDir, now, backups.keepDays) })
    },
  }
}
