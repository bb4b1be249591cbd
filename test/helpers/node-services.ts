// Composes the real Node services (SQLite file in a temp folder, embedded index, real
// geography and catalogue) with a fixed clock, for tests that go through HTTP.
import { serve } from '@hono/node-server'
import { mkdtempSync, rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode, type ComposeOptions, type NodeServices } from '../../runtime/node/compose.ts'

export async function startServices(env: Record<string, string> = {}, options: Omit<ComposeOptions, 'logger'> = {}): Promise<NodeServices & { dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-test-'))
  // Tests are local development: Teams activities without credentials, replies to the loopback fake
  // connector (TEAMS_DEV_UNAUTHENTICATED); test/teams/teams-gate.test.ts checks the default, Teams off.
  // Rate limits off (RATE_LIMIT_PER_MINUTE=0): suites send many requests from 127.0.0.1; test/bot/rate-limit.test.ts turns them on.
  const services = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01', TEAMS_DEV_UNAUTHENTICATED: 'true', RATE_LIMIT_PER_MINUTE: '0', ...env }), { logger: silentLogger, ...options })
  return {
    ...services,
    dispose() {
      services.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Serves a fetch handler on a free loopback port, for tests that need real sockets (curl, chunked bodies). */
export async function serveOnFreePort(fetch: (request: Request) => Response | Promise<Response>): Promise<{ port: number; close(): Promise<void> }> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
            server.close(() => done())
          }),
      }),
    )
  })
}

export interface PlainAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
  json(): any
}

/**
 * One HTTP request to 127.0.0.1:`port` from the loopback address `from` (127.0.0.2, 127.0.0.3… are
 * all loopback on Linux), over a fresh connection: tests of per-client limits tell clients apart by
 * their real TCP address.
 */
export function sendFrom(port: number, from: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<PlainAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: init.headers, localAddress: from, agent: false }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body, json: () => JSON.parse(body) }))
    })
    req.on('error', reject)
    req.end(init.body)
  })
}
