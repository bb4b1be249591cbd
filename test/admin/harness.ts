// The Node composition (runtime/node/compose.ts) as the server runs it, admin desk included,
// with what tests need: a clock they can move, cheap scrypt parameters, the client address
// read from a test header, and re-runs recorded instead of crawling the network.
import type { Hono } from 'hono'
import type { AdminEnv } from '../../bot/admin/kit.ts'
import type { Role } from '../../bot/admin/ports.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import type { Clock } from '../../core/clock.ts'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'
import type { AdminStores } from '../../runtime/node/admin-services.ts'
import { startServices } from '../helpers/node-services.ts'

export const PASSWORD = 'correct horse battery staple'

export interface AdminHarness {
  app: Hono
  admin: Hono<AdminEnv>
  stores: AdminStores
  clock: Clock & { advance(ms: number): void }
  catalogue: () => Catalogue
  reindex(): Promise<void>
  services: Awaited<ReturnType<typeof startServices>>
  createUser(email: string, role: Role): Promise<void>
  runs: string[]
  dispose(): void
}

export async function startAdmin(options: { publicUrl?: string } = {}): Promise<AdminHarness> {
  let t = new Date('2026-03-01T09:00:00+01:00').getTime()
  const clock = { now: () => new Date(t), advance: (ms: number) => { t += ms } }
  const runs: string[] = []
  const services = await startServices(options.publicUrl ? { GUICHET_PUBLIC_URL: options.publicUrl } : {}, {
    clock,
    // Cheap scrypt parameters for tests; production uses the defaults (N = 2^15).
    hasher: createScryptHasher({ N: 1024 }),
    admin: {
      clientIp: (c) => c.req.header('x-test-ip') ?? 'local',
      runSource: async (id) => { runs.push(id); return { status: 'ok', runId: null, errors: [] } },
    },
  })
  const stores = services.admin
  return {
    app: services.app, admin: services.adminApp, stores, clock, services, runs,
    reindex: services.reindex,
    catalogue: services.catalogue,
    async createUser(email, role) {
      await stores.accounts.create({ email, role, passwordHash: await stores.hasher.hash(PASSWORD), now: clock.now() })
    },
    dispose: () => services.dispose(),
  }
}

/** Logs in through the JSON API: the session cookie and the CSRF token. */
export async function login(app: Hono, email: string, password = PASSWORD, ip = '10.0.0.1'): Promise<{ cookie: string; csrf: string; status: number }> {
  const res = await app.request('/api/admin/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-ip': ip }, body: JSON.stringify({ email, password }) })
  const setCookie = res.headers.get('set-cookie') ?? ''
  const cookie = setCookie.split(';')[0] ?? ''
  const body = (await res.json()) as { csrf?: string }
  return { cookie, csrf: body.csrf ?? '', status: res.status }
}

/** Requests as one signed-in person: JSON with the CSRF header, pages with the cookie, forms as a browser posts them. */
export function asUser(h: AdminHarness, session: { cookie: string; csrf: string }) {
  const json = (method: string, body?: unknown) => ({
    method,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const get = (path: string) => h.app.request(path, { headers: { cookie: session.cookie } })
  /** The form as a browser sends it: every value of the page, checkbox groups repeated. */
  const formBody = (values: Record<string, string | string[]>): URLSearchParams => {
    const body = new URLSearchParams({ _csrf: session.csrf })
    for (const [k, v] of Object.entries(values)) for (const x of Array.isArray(v) ? v : [v]) if (!(Array.isArray(v) && x === '')) body.append(k, x)
    return body
  }
  const postForm = (path: string, values: Record<string, string | string[]>) =>
    h.app.request(path, { method: 'POST', headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: formBody(values) })
  return { json, get, formBody, postForm }
}
