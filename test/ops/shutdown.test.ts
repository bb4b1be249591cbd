// Graceful shutdown and structured logs: on SIGTERM the running request and job finish before the
// database closes; every request has an id and one JSON log line without personal data.
import { serve } from '@hono/node-server'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Server } from 'node:http'
import { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../core/logger.ts'
import { createJobTracker, gracefulShutdown } from '../../runtime/node/shutdown.ts'

const ROOT = resolve(import.meta.dirname, '../..')

function deferred<T = void>() {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('graceful shutdown (in process, real HTTP server)', () => {
  it('waits for the request being served and the job being run, refuses new connections, then closes and exits 0', async () => {
    const requestMayEnd = deferred()
    const requestStarted = deferred()
    const app = new Hono()
    app.get('/slow', async (c) => {
      requestStarted.resolve()
      await requestMayEnd.promise
      return c.text('fini')
    })
    const server = await new Promise<Server>((done) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s as Server))
    })
    const port = (server.address() as { port: number }).port
    const jobs = createJobTracker()
    const jobMayEnd = deferred()
    const order: string[] = []
    void jobs.track('crawl', jobMayEnd.promise.then(() => order.push('job done')))
    const lines: string[] = []
    const exited = deferred<number>()
    const shutdown = gracefulShutdown({
      server,
      jobs,
      stopSchedules: () => order.push('schedules stopped'),
      close: () => order.push('database closed'),
      logger: createLogger({ write: (l) => lines.push(l) }),
      graceMs: 10_000,
      exit: (code) => exited.resolve(code),
    })

    const slow = fetch(`http://127.0.0.1:${port}/slow`).then(async (r) => ({ status: r.status, text: await r.text() }))
    await requestStarted.promise
    const stopping = shutdown('SIGTERM')
    await new Promise((r) => setTimeout(r, 100))
    // No new connection while draining.
    await expect(fetch(`http://127.0.0.1:${port}/slow`)).rejects.toThrow()
    expect(order).toEqual(['schedules stopped'])
    jobMayEnd.resolve()
    await new Promise((r) => setTimeout(r, 50))
    expect(order).toEqual(['schedules stopped', 'job done'])
    requestMayEnd.resolve()
    expect(await slow).toEqual({ status: 200, text: 'fini' })
    await stopping
    expect(await exited.promise).toBe(0)
    expect(order).toEqual(['schedules stopped', 'job done', 'database closed'])
    const done = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'shutdown complete')
    expect(done).toMatchObject({ level: 'info', jobsFinished: true, requestsFinished: true })
  })

  it('past the grace period, exits 1 naming the unfinished job (its lease and interrupted-run handling take over)', async () => {
    const server = await new Promise<Server>((done) => {
      const s = serve({ fetch: new Hono().fetch, port: 0, hostname: '127.0.0.1' }, () => done(s as Server))
    })
    const jobs = createJobTracker()
    void jobs.track('digest', new Promise(() => {}))
    const lines: string[] = []
    const exited = deferred<number>()
    let closed = false
    await gracefulShutdown({ server, jobs, stopSchedules() {}, close: () => (closed = true), logger: createLogger({ write: (l) => lines.push(l) }), graceMs: 200, exit: (c) => exited.resolve(c) })('SIGINT')
    expect(await exited.promise).toBe(1)
    expect(closed).toBe(true)
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'shutdown complete')).toMatchObject({ jobsFinished: false, unfinished: ['digest'] })
  })
})

describe('npm start: SIGTERM and request logs (child process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-shutdown-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('logs one JSON line per request with its id and no personal data, and exits 0 on SIGTERM with the database closed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/node/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01', CRAWL_SCHEDULE: 'off', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    const port = await new Promise<number>((ok, fail) => {
      const t = setInterval(() => {
        const m = /listening on http:\/\/[^:]+:(\d+)\//.exec(out)
        if (m) {
          clearInterval(t)
          ok(Number(m[1]))
        }
      }, 50)
      setTimeout(() => fail(new Error(`server did not start:\n${out}`)), 60_000)
    })

    const res = await fetch(`http://127.0.0.1:${port}/api/match?commune=Vézelay&q=${encodeURIComponent('rénovation de l’école de Vézelay')}`, { headers: { 'X-Request-Id': 'essai-42' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('essai-42')
    const bad = await fetch(`http://127.0.0.1:${port}/api/match?population=beaucoup`, { headers: { 'X-Request-Id': 'pas une id valide !' } })
    expect(bad.status).toBe(400)
    const generated = bad.headers.get('x-request-id')
    expect(generated).toMatch(/^[0-9a-f-]{36}$/)

    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.find((l) => l.requestId === 'essai-42')).toMatchObject({ msg: 'request', method: 'GET', route: '/api/match', status: 200 })
    expect(lines.find((l) => l.requestId === generated)).toMatchObject({ msg: 'request', status: 400 })
    expect(lines.some((l) => l.msg === 'shutdown complete' && l.jobsFinished === true)).toBe(true)
    // Closed cleanly: the last connection's checkpoint folded the write-ahead log into the file.
    expect(existsSync(join(dir, 'guichet.sqlite-wal'))).toBe(false)
    // The query (a commune, a project's text) never reaches the logs.
    expect(out).not.toMatch(/Vézelay|V%C3%A9zelay|école|beaucoup/)
  }, 90_000)
})
