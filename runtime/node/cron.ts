// Scheduled jobs of the Node runtime (node-cron, Europe/Paris). Today: the nightly index
// rebuild, since calendar statuses (open, closed, J-n) move with the date.
import cron from 'node-cron'
import type { Logger } from '../../core/logger.ts'
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
