// Graceful shutdown of the Node server: on SIGTERM/SIGINT, stop scheduling jobs and stop accepting
// connections, let the requests being served and the job being run finish (up to a grace period),
// then close the database and exit. A second signal exits at once. A job cut off by the grace
// period (or by kill -9) is not lost: its lease expires or is taken over, its run is closed as
// interrupted at the next start, and undelivered alerts are retried.
import type { Server } from 'node:http'
import type { Logger } from '../../core/logger.ts'

/** The background jobs in flight (scheduled runs, start-up retries, back-office re-runs). */
export interface JobTracker {
  track<T>(name: string, work: Promise<T>): Promise<T>
  running(): string[]
  /** Resolves true when no job is running, false if `timeoutMs` passed first. */
  idle(timeoutMs: number): Promise<boolean>
}

export function createJobTracker(): JobTracker {
  const inFlight = new Map<number, string>()
  let waiters: Array<() => void> = []
  let seq = 0
  const settle = () => {
    if (inFlight.size > 0) return
    const w = waiters
    waiters = []
    w.forEach((f) => f())
  }
  return {
    track(name, work) {
      const id = ++seq
      inFlight.set(id, name)
      return work.finally(() => {
        inFlight.delete(id)
        settle()
      })
    },
    running: () => [...inFlight.values()],
    idle(timeoutMs) {
      if (inFlight.size === 0) return Promise.resolve(true)
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== done)
          resolve(false)
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          resolve(true)
        }
        waiters.push(done)
      })
    },
  }
}

export interface ShutdownDeps {
  server: Pick<Server, 'close' | 'closeAllConnections' | 'closeIdleConnections'>
  jobs: JobTracker
  /** Stops the schedules (no new job starts). */
  stopSchedules(): void
  /** Closes the database and other resources, after the jobs and requests are done. */
  close(): void
  logger: Logger
  /** How long running jobs and requests may take to finish. */
  graceMs: number
  exit?: (code: number) => void
}

/** Returns the handler to install on SIGTERM and SIGINT (also callable directly). */
export function gracefulShutdown(deps: ShutdownDeps): (signal: string) => Promise<void> {
  const exit = deps.exit ?? ((code: number) => process.exit(code))
  let stopping = false
  return async (signal) => {
    if (stopping) {
      deps.logger.warn('second signal: exiting without waiting', { signal, running: deps.jobs.running() })
      exit(1)
      return
    }
    stopping = true
    const started = Date.now()
    deps.logger.info('shutting down: finishing current requests and jobs', { signal, running: deps.jobs.running(), graceMs: deps.graceMs })
    deps.stopSchedules()
    const serverClosed = new Promise<void>((resolve) => deps.server.close(() => resolve()))
    deps.server.closeIdleConnections()
    const jobsDone = await deps.jobs.idle(deps.graceMs)
    const left = Math.max(0, deps.graceMs - (Date.now() - started))
    // A keep-alive connection that goes idle after its last answer is closed as soon as it does.
    const sweeper = setInterval(() => deps.server.closeIdleConnections(), 50)
    const requestsDone = await Promise.race([serverClosed.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), left).unref())])
    clearInterval(sweeper)
    if (!requestsDone) deps.server.closeAllConnections()
    const unfinished = deps.jobs.running()
    try {
      deps.close()
    } catch (err) {
      deps.logger.error('closing resources failed', { error: (err as Error).message })
    }
    deps.logger.info('shutdown complete', { ms: Date.now() - started, jobsFinished: jobsDone, requestsFinished: requestsDone, ...(unfinished.length ? { unfinished } : {}) })
    exit(jobsDone && requestsDone ? 0 : 1)
  }
}
