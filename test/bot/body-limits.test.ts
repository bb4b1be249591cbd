// Bodies are counted while they stream: a chunked body (no Content-Length), or one whose
// Content-Length lies, is refused as soon as it passes the route's limit, with a 400 naming the
// body — never read whole into memory. Through a real HTTP server, as an attacker would send it.
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

let services: Awaited<ReturnType<typeof startServices>>
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let port = 0
beforeAll(async () => {
  services = await startServices()
  server = await serveOnFreePort(services.app.fetch)
  port = server.port
})
afterAll(async () => {
  await server.close()
  services.dispose()
})

/** Streams `total` bytes of a JSON-looking body in 64 KB chunks; resolves with the answer and how much was written before it. */
function chunkedPost(path: string, total: number, headers: Record<string, string> = {}): Promise<{ status: number; body: string; written: number }> {
  return new Promise((resolve, reject) => {
    let written = 0
    let answered = false
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      answered = true
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => {
        req.destroy()
        resolve({ status: res.statusCode ?? 0, body, written })
      })
    })
    req.on('error', (err) => (answered ? undefined : reject(err)))
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const pump = () => {
      while (!answered && written < total) {
        written += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!answered) req.end()
    }
    req.write('{"text":"')
    pump()
  })
}

describe('request bodies counted while streaming', () => {
  it('a chunked 64 MB chat body is refused with a 400 naming the body, long before it is all sent', async () => {
    const r = await chunkedPost('/api/chat', 64 * 1024 * 1024)
    expect(r.status).toBe(400)
    expect(JSON.parse(r.body).error.field).toBe('body')
    expect(r.written).toBeLessThan(32 * 1024 * 1024)
  })

  it('a declared Content-Length above the limit is refused before the body is read', async () => {
    const r = await chunkedPost('/api/subscriptions', 4 * 1024 * 1024, { 'content-length': String(4 * 1024 * 1024 + 9) })
    expect(r.status).toBe(400)
    expect(JSON.parse(r.body).error.field).toBe('body')
    expect(r.written).toBeLessThan(4 * 1024 * 1024)
  })

  it('a public route with no JSON reader of its own is capped too (RFC 8058 unsubscribe)', async () => {
    const r = await chunkedPost('/alerts/unsubscribe?token=x', 16 * 1024 * 1024)
    expect(r.status).toBe(400)
    expect(JSON.parse(r.body).error.field).toBe('body')
    expect(r.written).toBeLessThan(8 * 1024 * 1024)
  })

  it('a body within the limit still works', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'maire de Vézelay, éclairage public' }) })
    expect(res.status).toBe(200)
    expect((await res.json()).sessionId).toBeTruthy()
  })
})
