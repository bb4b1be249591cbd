// Who is calling: the address rate limits and login limits are counted against.
//
// By default the TCP peer (the Node adapter's socket), never a client-written header: anyone can
// write `X-Forwarded-For`. Behind a reverse proxy every request comes from the proxy, so the
// operator names its addresses in TRUSTED_PROXIES (comma-separated IPs or CIDR ranges, or
// `loopback`); then, and only when the peer is one of them, the address is read from
// `X-Forwarded-For` right to left, skipping trusted hops: the first untrusted hop is the client
// (the left part of the header is the client's own writing and is never believed).
// On Cloudflare Workers the platform sets `CF-Connecting-IP`, which the client cannot forge.
import type { Context } from 'hono'
import { normaliseIp, parseIp, parseTrustedProxies } from '../core/ip.ts'

export interface ClientAddressOptions {
  /** Parsed TRUSTED_PROXIES: addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies?: readonly string[]
  /** Cloudflare Workers: read CF-Connecting-IP (set by the platform). */
  cloudflare?: boolean
}

export type ClientAddress = (c: Context) => string

/** The fallback key when no peer address is known (in-process requests, e.g. `app.request` in tests). */
export const UNKNOWN_CLIENT = 'local'

export function createClientAddress(options: ClientAddressOptions = {}): ClientAddress {
  const trusted = parseTrustedProxies(options.trustedProxies ?? [])
  return (c) => {
    if (options.cloudflare) {
      const cf = c.req.header('cf-connecting-ip')
      if (cf && parseIp(cf)) return normaliseIp(cf)
    }
    const peer = peerAddress(c)
    if (!peer) return UNKNOWN_CLIENT
    if (!trusted.length || !trusted.some((r) => r(peer))) return peer
    const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean)
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!
      if (!parseIp(hop)) return peer // a malformed hop: stop believing the chain
      const ip = normaliseIp(hop)
      if (!trusted.some((r) => r(ip))) return ip
    }
    return hops.length ? normaliseIp(hops[0]!) : peer
  }
}

/** The TCP peer from the Node adapter (`c.env.incoming`), normalised (IPv4-mapped IPv6 → IPv4). */
export function peerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined
  const raw = env?.incoming?.socket?.remoteAddress
  return raw ? normaliseIp(raw) : undefined
}
