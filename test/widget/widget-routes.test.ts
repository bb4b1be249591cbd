// GET /widget.js and GET /demo through the real app: caching, compression, the 30 KB size
// contract, cross-origin embedding, and the sample town page.
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServices } from '../helpers/node-services.ts'

let services: Awaited<ReturnType<typeof startServices>>
beforeAll(async () => {
  services = await startServices()
})
afterAll(() => services.dispose())

const get = (path: string, headers: Record<string, string> = {}) => services.app.request(path, { headers })

describe('GET /widget.js', () => {
  it('is JavaScript cached for an hour, with a strong ETag, loadable from any site', async () => {
    const res = await get('/widget.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/)
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin')
    expect(res.headers.get('vary')).toMatch(/Accept-Encoding/i)
    const js = await res.text()
    expect(js).toMatch(/^\/\* Guichet widget \*\/\n"use strict";\(\(\)=>\{/)
  })

  it('is at most 30 KB gzipped, and the same script once unzipped', async () => {
    const plain = await (await get('/widget.js')).text()
    const res = await get('/widget.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-gz"$/)
    const gz = Buffer.from(await res.arrayBuffer())
    expect(gz.length).toBeLessThanOrEqual(30 * 1024)
    expect(gunzipSync(gz).toString('utf8')).toBe(plain)
  })

  it('answers 304 to If-None-Match, and ignores gzip;q=0', async () => {
    const first = await get('/widget.js')
    const etag = first.headers.get('etag')!
    const again = await get('/widget.js', { 'if-none-match': etag })
    expect(again.status).toBe(304)
    expect(again.headers.get('etag')).toBe(etag)
    expect(await again.text()).toBe('')
    expect((await get('/widget.js', { 'if-none-match': '"other"' })).status).toBe(200)
    expect((await get('/widget.js', { 'accept-encoding': 'gzip;q=0, identity' })).headers.get('content-encoding')).toBeNull()
  })

  it('draws server text with textContent only', async () => {
    const res = await get('/widget.js')
    expect(res.status).toBe(200)
    const js = await res.text()
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/)
  })
})

describe('POST /api/chat from another site', () => {
  it('allows the preflight from any origin, without credentials', async () => {
    const res = await services.app.request('/api/chat', { method: 'OPTIONS', headers: { origin: 'https://www.saint-exemple.fr', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/)
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toMatch(/content-type/)
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it('a data-collectivite INSEE code as the first turn sets the collectivité and asks for the project', async () => {
    const res = await services.app.request('/api/chat', { method: 'POST', headers: { origin: 'https://www.saint-exemple.fr', 'content-type': 'application/json' }, body: JSON.stringify({ text: '18197' }) })
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const body = (await res.json()) as { messages: { text: string }[]; question: { slot: string } }
    expect(body.messages[0]!.text).toMatch(/Saint-Amand-Montrond \(18\)/)
    expect(body.question.slot).toBe('themes')
  })
})

describe('GET /demo', () => {
  it('is a French town page embedding the widget in one line', async () => {
    const res = await get('/demo')
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/<html lang="fr">/)
    expect(html).toMatch(/Commune de Saint-Exemple/)
    expect(html).toMatch(/<script src="\/widget\.js" data-collectivite="18197" defer(="")?><\/script>/)
    expect(html).not.toMatch(/id="hostile"/)
  })

  it('?hostile=1 adds a stylesheet that tries to break everything', async () => {
    const html = await (await get('/demo?hostile=1')).text()
    expect(html).toMatch(/<style id="hostile">[\s\S]*all: unset !important/)
  })
})
