// A local HTTP server (node:http, 127.0.0.1, port 0) that serves the recorded responses of
// test/crawler/replay/ as if it were every source's host: the crawler's fetch is pointed at it
// with `viaServer`, which turns https://host/path into http://127.0.0.1:port/host/path. So robots.txt,
// ETag / Last-Modified 304s, 429, 5xx and retries go over real HTTP. Scenario knobs: faults
// queued per URL, a host that is down, a body replaced (a moved deadline), and a log of requests.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FetchLike } from '../../crawler/fetch/polite-fetch.ts'
import { loadReplayManifest } from '../../runtime/node/crawl-replay.ts'
import { createReplayResponder, textHash } from '../../crawler/fetch/replay-fetch.ts'

export const REPLAY_DIR = fileURLToPath(new URL('./replay/', import.meta.url))

export interface Fault {
  status: number
  headers?: Record<string, string>
  body?: string
  /** Answer after this many ms (a slow server, for timeouts). */
  delayMs?: number
}

export interface ServedRequest {
  method: string
  /** The source URL the crawler asked for. */
  url: string
  status: number
  conditional: boolean
  userAgent: string | undefined
}

export interface ReplayServer {
  port: number
  requests: ServedRequest[]
  /** Answers queued for the next requests to this URL, before the recording. */
  failNext(url: string, ...faults: Fault[]): void
  /** Every request to this host answers 503 (robots.txt included). */
  setDown(host: string, down: boolean): void
  /** Serves this body instead of the recording (a new ETag comes with it). */
  override(url: string, body: string | undefined): void
  close(): Promise<void>
}

function originalUrl(path: string): string {
  // /host/rest?query → https://host/rest?query
  const [, host, ...rest] = path.split('/')
  return `https://${host}/${rest.join('/')}`
}

export async function startReplayServer(dir = REPLAY_DIR): Promise<ReplayServer> {
  const { manifest, read } = loadReplayManifest(dir)
  const respond = createReplayResponder({ manifest, read })
  const faults = new Map<string, Fault[]>()
  const down = new Set<string>()
  const overrides = new Map<string, string>()
  const requests: ServedRequest[] = []

  const server = createServer((req, res) => {
    // Drain the body (SEDIA posts multipart) before answering.
    req.resume()
    req.on('end', () => {
      const url = originalUrl(req.url ?? '/')
      const method = req.method ?? 'GET'
      const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])))
      const send = (status: number, h: Record<string, string>, body: string, delayMs = 0) => {
        requests.push({ method, url, status, conditional: headers.has('if-none-match') || headers.has('if-modified-since'), userAgent: req.headers['user-agent'] })
        setTimeout(() => res.writeHead(status, h).end(status === 304 ? undefined : body), delayMs)
      }
      if (down.has(new URL(url).host)) return send(503, { 'content-type': 'text/plain' }, 'maintenance')
      const fault = faults.get(url)?.shift()
      if (fault) return send(fault.status, fault.headers ?? {}, fault.body ?? '', fault.delayMs)
      const replaced = overrides.get(url)
      if (replaced !== undefined) {
        const etag = `"${textHash(replaced)}"`
        if (headers.get('if-none-match') === etag) return send(304, { etag }, '')
        return send(200, { 'content-type': 'application/json', etag }, replaced)
      }
      const answer = respond(method, url, headers)
      send(answer.status, answer.headers, answer.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    port,
    requests,
    failNext: (url, ...f) => faults.set(url, [...(faults.get(url) ?? []), ...f]),
    setDown: (host, isDown) => void (isDown ? down.add(host) : down.delete(host)),
    override: (url, body) => void (body === undefined ? overrides.delete(url) : overrides.set(url, body)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The crawler's fetch, pointed at the replay server: https://host/path → http://127.0.0.1:port/host/path. */
export function viaServer(server: Pick<ReplayServer, 'port'>): FetchLike {
  return (input, init) => {
    const url = new URL(input)
    return globalThis.fetch(`http://127.0.0.1:${server.port}/${url.host}${url.pathname}${url.search}`, init)
  }
}
