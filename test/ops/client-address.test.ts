// Who the rate limits and login limits count against: the TCP peer, unless the peer is a trusted proxy.
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createClientAddress } from '../../bot/client-address.ts'
import { parseConfig } from '../../core/config.ts'
import { parseIp } from '../../core/ip.ts'

async function ask(read: ReturnType<typeof createClientAddress>, peer: string | undefined, headers: Record<string, string> = {}) {
  const app = new Hono()
  app.get('/', (c) => c.text(read(c)))
  const env = peer ? { incoming: { socket: { remoteAddress: peer } } } : undefined
  const res = await app.request('/', { headers }, env)
  return res.text()
}

describe('client address', () => {
  it('is the TCP peer, and a client-written X-Forwarded-For is ignored when no proxy is trusted', async () => {
    const read = createClientAddress()
    expect(await ask(read, '203.0.113.7', { 'x-forwarded-for': '198.51.100.1' })).toBe('203.0.113.7')
    expect(await ask(read, '::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(await ask(read, undefined)).toBe('local')
  })

  it('behind a trusted proxy, is the first untrusted hop from the right', async () => {
    const read = createClientAddress({ trustedProxies: ['10.0.0.0/8', 'loopback'] })
    expect(await ask(read, '10.1.2.3', { 'x-forwarded-for': '198.51.100.9, 10.4.5.6' })).toBe('198.51.100.9')
    // The left part is the client's own writing: a forged hop before the real one is never believed.
    expect(await ask(read, '127.0.0.1', { 'x-forwarded-for': '1.2.3.4, 198.51.100.9' })).toBe('198.51.100.9')
    // A peer that is not a trusted proxy is the client, whatever it writes.
    expect(await ask(read, '198.51.100.20', { 'x-forwarded-for': '1.2.3.4' })).toBe('198.51.100.20')
    // A garbage hop stops the chain at the proxy.
    expect(await ask(read, '10.1.2.3', { 'x-forwarded-for': 'not-an-ip' })).toBe('10.1.2.3')
  })

  it('reads IPv6 ranges', async () => {
    const read = createClientAddress({ trustedProxies: ['fd00::/8'] })
    expect(await ask(read, 'fd12::1', { 'x-forwarded-for': '2001:db8::5' })).toBe('2001:db8::5')
    expect(parseIp('2001:db8::1')?.length).toBe(16)
    expect(parseIp('::ffff:10.0.0.1')?.slice(12)).toEqual([10, 0, 0, 1])
    expect(parseIp('1.2.3.256')).toBeUndefined()
    expect(parseIp('1::2::3')).toBeUndefined()
  })

  it('TRUSTED_PROXIES that is not an address list is refused at start-up, naming the variable', () => {
    expect(() => parseConfig({ TRUSTED_PROXIES: '10.0.0.0/8, proxy.local' })).toThrow(/TRUSTED_PROXIES/)
    expect(parseConfig({ TRUSTED_PROXIES: '10.0.0.0/8, loopback' }).TRUSTED_PROXIES).toEqual(['10.0.0.0/8', 'loopback'])
  })
})
