// Teams is off until it is safe: with no Bot Framework credentials the composed app refuses every
// activity (503) without loading an SDK, unless local development is said explicitly; and an
// activity may never send the replies to a host of the sender's choosing (serviceUrl allow-list).
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allowedServiceUrl } from '../../runtime/node/lazy-teams.ts'
import { startServices } from '../helpers/node-services.ts'
import { personalMessage } from './teams-activities.ts'

/** A host that must never be called: it counts what reaches it. */
let hits = 0
const trap = createServer((_req, res) => {
  hits++
  res.end('{}')
})
let trapUrl = ''
beforeAll(async () => {
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', () => resolve()))
  trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}/`
})
afterAll(() => new Promise<void>((resolve) => trap.close(() => resolve())))

const post = (app: { request: (p: string, i: RequestInit) => Response | Promise<Response> }, activity: object) =>
  app.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })

describe('the Teams route, safe by default', () => {
  it('without credentials (the default), refuses every activity with 503 and calls no one', async () => {
    const s = await startServices({ TEAMS_DEV_UNAUTHENTICATED: 'false' })
    try {
      const res = await post(s.app, personalMessage({ serviceUrl: trapUrl, conversationId: 'a:gate-1' }, 'bonjour'))
      expect(res.status).toBe(503)
      expect((await res.json()).error.code).toBe('teams_disabled')
      await new Promise((r) => setTimeout(r, 200))
      expect(hits).toBe(0)
    } finally {
      s.dispose()
    }
  })

  it('in local development, still refuses a serviceUrl outside the Bot Framework and loopback, naming the field', async () => {
    const s = await startServices({ TEAMS_DEV_UNAUTHENTICATED: 'true' })
    try {
      for (const serviceUrl of ['https://attacker.example/', 'http://169.254.169.254/latest/', 'https://smba.trafficmanager.net.attacker.example/', 'http://smba.trafficmanager.net/amer/']) {
        const res = await post(s.app, personalMessage({ serviceUrl, conversationId: 'a:gate-2' }, 'bonjour'))
        expect(res.status, serviceUrl).toBe(400)
        expect((await res.json()).error.field, serviceUrl).toBe('serviceUrl')
      }
    } finally {
      s.dispose()
    }
  })

  it('allows the Bot Framework hosts over HTTPS, and loopback only in development', () => {
    expect(allowedServiceUrl('https://smba.trafficmanager.net/emea/', false)).toBe(true)
    expect(allowedServiceUrl('https://webchat.botframework.com/', false)).toBe(true)
    expect(allowedServiceUrl('https://smba.infra.gcc.teams.microsoft.com/', false)).toBe(true)
    expect(allowedServiceUrl('http://127.0.0.1:3978/', false)).toBe(false)
    expect(allowedServiceUrl('http://127.0.0.1:3978/', true)).toBe(true)
    expect(allowedServiceUrl('https://user:pw@smba.trafficmanager.net/', false)).toBe(false)
    expect(allowedServiceUrl('https://evilbotframework.com/', false)).toBe(false)
    expect(allowedServiceUrl('pas une url', true)).toBe(false)
  })
})
