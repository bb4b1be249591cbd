// Scheduled jobs of the Node runtime (node-cron, Europe/Paris): the nightly index rebuild (calendar
// statuses — open, closed, J-n — move with the date), the prune of idle chat sessions, and the
// crawl and alerts jobs listed in main.ts.
import cron from 'node-cron'
import type { Logger } from '../../core/logger.ts'
import type { Clock } from '../../core/clock.ts'
import { SESSION_TTL_DAYS, type SessionStore } from '../../bot/conversation/session-store.ts'
import type { JobTracker } from './shutdown.ts'

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
 * Deletes chat sessions idle for more than SESSION_TTL_DAYS (web and Teams alike), every hour at
 * :15 — an idle session is gone within the hour after it expires (a turn on it already says
 * « expirée » and starts over).
 */
export function sessionPruneJob({ sessions, clock, logger }: { sessions: Pick<SessionStore, 'purgeIdle'>; clock: Clock; logger: Logger }): ScheduledJob {
  return {
    name: 'purge-idle-sessions',
    expression: SESSION_PRUNE_SCHEDULE,
    run: async () => {
      const purged = await sessions.purgeIdle(new Date(clock.now().getTime() - SESSION_TTL_DAYS * 86_400_000))
      logger.info('idle chat sessions purged', { purged })
    },
  }
}
