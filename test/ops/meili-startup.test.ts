// Meilisearch that does not answer at start-up: `npm start` (a real child process) stops with one
// French line and exit 1 after its retries, no stack trace; with MEILI_FALLBACK=embedded it starts
// on the embedded index, says so, and answers. The retry itself is tested against a real HTTP
// server speaking Meilisearch's documented /health (503 while starting, then 200 available).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../core/config.ts'
import { openSearchIndex, StartupError } from '../../runtime/node/search-engine.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** A port nothing listens on (bound then closed). */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r))
  const port = (s.address() as { port: number }).port
  await new Promise<void>((r) => s.close(() => r()))
  return port
}

function start(env: Record<string, string>, until: RegExp): Promise<{ code: number | null; out: string; err: string; kill(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-meili-'))
  dirs.push(dir)
  const child = spawn(process.execPath, ['--import', 'tsx', 'runtime/node/main.ts'], { cwd: ROOT, env: { ...process.env, GUICHET_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', GUICHET_NOW: '2026-03-01', CRAWL_SCHEDULE: 'off', ...env } })
  let out = ''
  let err = ''
  return new Promise((resolve) => {
    const done = (code: number | null) => resolve({ code, out, err, kill: () => child.kill('SIGKILL') })
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); if (until.test(out)) done(null) })
    child.stderr.on('data', (d: Buffer) => { err += d.toString() })
    child.on('exit', (code) => done(code))
  })
}

describe('Meilisearch unreachable at start-up', () => {
  it('stops after its retries with one clear line and exit 1, no stack trace', async () => {
    const port = await closedPort()
    const run = await start({ MEILI_HOST: `http://127.0.0.1:${port}`, MEILI_START_ATTEMPTS: '2' }, /listening/)
    expect(run.code).toBe(1)
    expect(run.err).toContain(`Guichet n'a pas démarré : Meilisearch injoignable à http://127.0.0.1:${port} après 2 essai(s) (ECONNREFUSED)`)
    expect(run.err).toContain('MEILI_FALLBACK=embedded')
    expect(run.err).not.toMatch(/^\s+at /m)
    expect(run.out.match(/Meilisearch ne répond pas/g)).toHaveLength(2)
  }, 60_000)

  it('starts on the embedded index with a warning when MEILI_FALLBACK=embedded, and answers', async () => {
    const port = await closedPort()
    const run = await start({ MEILI_HOST: `http://127.0.0.1:${port}`, MEILI_START_ATTEMPTS: '1', MEILI_FALLBACK: 'embedded' }, /listening on http:\/\/[\d.]+:\d+\//)
    try {
      expect(run.out).toContain("démarrage sur l'index intégré (MEILI_FALLBACK=embedded)")
      const url = /listening on (http:\/\/[\d.]+:\d+\/)/.exec(run.out)![1]!
      const ready = (await (await fetch(`${url}api/ready`)).json()) as { ready: boolean; checks: { index: { documents: number } } }
      expect(ready.ready).toBe(true)
      expect(ready.checks.index.documents).toBeGreaterThan(50)
      const health = (await (await fetch(`${url}api/health`)).json()) as { index: { kind: string } }
      expect(health.index.kind).toBe('embedded')
    } finally {
      run.kill()
    }
  }, 60_000)
})

describe('the start-up check of Meilisearch', () => {
  let server: Server | undefined
  afterAll(() => server?.close())

  it('retries with backoff until /health says available, then uses Meilisearch', async () => {
    let calls = 0
    server = createServer((req, res) => {
      calls++
      expect(req.url).toBe('/health')
      if (calls < 3) return void res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"starting"}')
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"available"}')
    })
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
    const host = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    const waits: number[] = []
    const warnings: unknown[] = []
    const index = await openSearchIndex(parseConfig({ MEILI_HOST: host, MEILI_START_ATTEMPTS: '4' }), { warn: (m, f) => warnings.push([m, f]) }, { sleep: async (ms) => void waits.push(ms) })
    expect(index.kind).toBe('meilisearch')
    expect(calls).toBe(3)
    expect(waits).toEqual([500, 1000])
    expect(warnings).toEqual([
      ['Meilisearch ne répond pas', { host, attempt: 1, of: 4, problem: 'HTTP 503' }],
      ['Meilisearch ne répond pas', { host, attempt: 2, of: 4, problem: 'HTTP 503' }],
    ])
  })

  it('throws a StartupError when the host answers something that is not Meilisearch', async () => {
    const other = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Bienvenue</h1>'))
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r))
    const host = `http://127.0.0.1:${(other.address() as { port: number }).port}`
    try {
      const attempt = openSearchIndex(parseConfig({ MEILI_HOST: host, MEILI_START_ATTEMPTS: '1' }), { warn: () => {} })
      await expect(attempt).rejects.toBeInstanceOf(StartupError)
      await expect(attempt).rejects.toThrow(/réponse inattendue de \/health/)
    } finally {
      other.close()
    }
  })

  it('uses the embedded index when no MEILI_HOST is set, without a request', async () => {
    const index = await openSearchIndex(parseConfig({}), { warn: () => { throw new Error('no warning expected') } }, { fetch: () => { throw new Error('no request expected') } })
    expect(index.kind).toBe('embedded')
  })
})
