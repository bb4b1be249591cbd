// The outbound-request guard (SSRF): webhooks and the crawler may reach public unicast addresses
// only. A host is resolved once (dns.lookup, all addresses); if ANY address is loopback, private,
// link-local (cloud metadata), CGNAT, multicast, reserved… the request is refused before a byte
// is sent (BlockedDestinationError). Otherwise the connection is made to the addresses that were
// checked (node:http(s) with a `lookup` that answers them), so a DNS answer that changes between
// the check and the connection (rebinding) is never used. Redirects are followed only when asked
// (`redirect: 'follow'`, the crawler), each hop checked again; `redirect: 'manual'` (webhooks)
// returns the 3xx untouched. `allowPrivate` (ALERTS_WEBHOOK_ALLOW_PRIVATE, development and tests)
// skips the range check but still pins the connection.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { LookupFunction } from 'node:net'
import { Readable } from 'node:stream'
import { blockedRange, parseIp } from '../../core/ip.ts'
import { BlockedDestinationError } from '../../core/outbound.ts'

/** host → every address it resolves to (dns.lookup with all: true). */
export type Resolver = (host: string) => Promise<LookupAddress[]>

export const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))))

export interface OutboundGuard {
  /** The addresses a request to this URL would use; throws BlockedDestinationError (French message) when refused. */
  check(url: string | URL): Promise<LookupAddress[]>
  /** Why this URL is refused (French), or undefined: `check` for validation messages. */
  problem(url: string | URL): Promise<string | undefined>
  /** fetch() through the guard: checked, pinned, redirects re-checked. */
  fetch(input: string | URL, init?: RequestInit): Promise<Response>
}

const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** What the guard is made with (see createOutboundGuard). */
interface GuardOptions {
  allowPrivate?: boolean
  resolve?: Resolver
  /** Why an address is refused, or undefined (default: core/ip.ts blockedRange; tests may let their loopback server pass). */
  blocked?: (address: string) => string | undefined
}

export function createOutboundGuard({ allowPrivate = false, resolve = systemResolver, blocked = blockedRange }: GuardOptions = {}): OutboundGuard {
  const check = (raw: string | URL) => checkDestination(raw, allowPrivate, resolve, blocked)

  async function problem(url: string | URL): Promise<string | undefined> {
    try {
      await check(url)
      return undefined
    } catch (err) {
      if (err instanceof BlockedDestinationError) return err.message
      throw err
    }
  }

  async function once(url: URL, request: Request, body: Buffer | undefined, signal: AbortSignal | undefined): Promise<Response> {
    return sendPinned(url, await check(url), request, body, signal)
  }

  const guardedFetch = (input: string | URL, init: RequestInit = {}) => fetchFollowing(once, input, init)

  return { check, problem, fetch: guardedFetch }
}

/** The addresses a request to this URL would use; BlockedDestinationError (French message) when refused. */
async function checkDestination(raw: string | URL, allowPrivate: boolean, resolve: Resolver, blocked: (address: string) => string | undefined): Promise<LookupAddress[]> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new BlockedDestinationError('URL absolue attendue', String(raw), 'invalid')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BlockedDestinationError('URL http(s) attendue', url.hostname, 'invalid')
  // The WHATWG parser has already turned 2130706433, 0x7f.1 or 017700000001 into 127.0.0.1, and [::ffff:127.0.0.1] into [::ffff:7f00:1].
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: LookupAddress[]
  if (parseIp(host)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }]
  else {
    try {
      addresses = await resolve(host)
    } catch (err) {
      throw new BlockedDestinationError(`nom d'hôte introuvable (${(err as { code?: string }).code ?? 'DNS'})`, host, 'unresolved')
    }
    if (!addresses.length) throw new BlockedDestinationError('nom d\'hôte sans adresse', host, 'unresolved')
  }
  if (!allowPrivate) {
    for (const a of addresses) {
      const range = blocked(a.address)
      if (range) throw new BlockedDestinationError(`adresse refusée : ${host === a.address ? host : `${host} → ${a.address}`}, ${range} ; seules les adresses publiques sont admises`, host)
    }
  }
  return addresses
}

/** One request, no redirect followed, connected to the addresses given (already checked), never to a second DNS answer. */
function sendPinned(url: URL, addresses: LookupAddress[], request: Request, body: Buffer | undefined, signal: AbortSignal | undefined): Promise<Response> {
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses)
    else callback(null, addresses[0]!.address, addresses[0]!.family)
  }
  const headers: Record<string, string> = {}
  request.headers.forEach((value, key) => (headers[key] = value))
  if (body) headers['content-length'] = String(body.length)
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<Response>((resolve, reject) => {
    const req = send(url, { method: request.method, headers, lookup: pinned, agent: false, ...(signal ? { signal } : {}) }, (res: IncomingMessage) => resolve(toResponse(res, request.method)))
    req.on('error', reject)
    req.end(body)
  })
}

/** node:http's answer as a fetch Response (no body for HEAD, 204, 304; 1xx reported as 502). */
function toResponse(res: IncomingMessage, method: string): Response {
  const h = new Headers()
  for (const [k, v] of Object.entries(res.headers)) {
    if (Array.isArray(v)) for (const x of v) h.append(k, x)
    else if (v !== undefined) h.set(k, v)
  }
  const status = res.statusCode ?? 502
  const empty = method === 'HEAD' || status === 204 || status === 304 || status < 200
  if (empty) res.resume()
  return new Response(empty ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>), { status: status < 200 ? 502 : status, statusText: res.statusMessage ?? '', headers: h })
}

type SendOnce = (url: URL, request: Request, body: Buffer | undefined, signal: AbortSignal | undefined) => Promise<Response>

/** fetch() over `once`, following redirects (at most MAX_REDIRECTS) when init.redirect is 'follow' (the default). */
async function fetchFollowing(once: SendOnce, input: string | URL, init: RequestInit): Promise<Response> {
  let url = new URL(String(input))
  let request = new Request(url, { ...init, redirect: 'manual' })
  let body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
  const follow = (init.redirect ?? 'follow') === 'follow'
  for (let hop = 0; ; hop++) {
    const res = await once(url, request, body, init.signal ?? undefined)
    const location = res.headers.get('location')
    if (!follow || !REDIRECTS.has(res.status) || !location) return res
    await res.body?.cancel().catch(() => {})
    if (hop >= MAX_REDIRECTS) throw new BlockedDestinationError(`plus de ${MAX_REDIRECTS} redirections`, url.hostname)
    const next = redirected(url, request, res.status, location)
    url = next.url
    request = next.request
    if (next.toGet) body = undefined
  }
}

/** The request a redirect leads to: credentials dropped off-origin; 303, and 301/302 after a POST, become a GET without body (as fetch does). */
function redirected(url: URL, request: Request, status: number, location: string): { url: URL; request: Request; toGet: boolean } {
  const next = new URL(location, url)
  const headers = new Headers(request.headers)
  // Credentials stay with the origin they were meant for.
  if (next.origin !== url.origin) ['authorization', 'cookie', 'proxy-authorization'].forEach((k) => headers.delete(k))
  const toGet = status === 303 || ((status === 301 || status === 302) && request.method === 'POST')
  if (toGet) ['content-type', 'content-length'].forEach((k) => headers.delete(k))
  return { url: next, request: new Request(next, { method: toGet ? 'GET' : request.method, headers, redirect: 'manual' }), toGet }
}
