// Scheduled jobs of the Node runtime (node-cron, Europe/Paris). Today: the nightly index
// rebuild, since calendar statuses (open, closed, J-n) move with the date.
import cron from 'node-cron'
import type { Logger } from '../../core/logger.ts'

export interface ScheduledJob {
  name: string
  expression: string
  run: () => Promise<void>
}

export function startCron(jobs: ScheduledJob[], logger: Logger): { stop(): void } {
  const tasks = jobs.map((job) =>
    cron.schedule(
      job.expression,
      async () => {
        try {
          await job.run()
        } catch (err) {
          logger.error('scheduled job failed', { job: job.name, error: (err as Error).message })
        }
      },
      { name: job.name, timezone: 'Europe/Paris', noOverlap: true },
    ),
  )
  return { stop: () => tasks.forEach((t) => t.stop()) }
}
