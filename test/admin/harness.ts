// A Node composition with the admin desk wired the way compose.ts should wire it: the real
// services (temp SQLite, geography, curated catalogue, crawl store), and a reindex() that
// applies admin overrides on top of the merged catalogue before the index is rebuilt.
import type { Hono } from 'hono'
import { createApp } from '../../bot/app.ts'
import { adminRoutes, type AdminDeps } from '../../bot/admin/admin-routes.tsx'
import type { Role } from '../../bot/admin/ports.ts'
import { createDialogue } from '../../bot/conversation/dialogue.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import { parisDay, type Clock } from '../../core/clock.ts'
import { createMatcher } from '../../core/matching.ts'
import type { Programme } from '../../core/programme.ts'
import { toSearchDocument } from '../../search/document.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { createScryptHasher } from '../../runtime/node/admin-hasher.ts'
import { createAdminStores, withOverrides, type AdminStores } from '../../runtime/node/admin-services.ts'
import { buildCatalogue } from '../../runtime/node/crawl-catalogue.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { startServices } from '../helpers/node-services.ts'

export const PASSWORD = 'correct horse battery staple'

export interface AdminHarness {
  app: Hono
  admin: ReturnType<typeof adminRoutes>
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
  const services = await startServices()
  let t = services.clock.now().getTime()
  const clock = { now: () => new Date(t), advance: (ms: number) => { t += ms } }
  // Cheap scrypt parameters for tests; production uses the defaults (N = 2^15).
  const stores = createAdminStores(services.db, createScryptHasher({ N: 1024 }))
  const curated: readonly Programme[] = loadCuratedProgrammes()
  const index = createEmbeddedSearchIndex()
  let base: Catalogue = services.catalogue()
  let catalogue: Catalogue = base
  let standsFor = new Map<string, string>()

  async function reindex(): Promise<void> {
    const built = await buildCatalogue({ curated, store: services.crawler.store })
    const served = await withOverrides(built.catalogue, stores.overrides, built.layers.standsFor, services.logger)
    await index.replaceAll(served.all().map((p) => toSearchDocument(p, parisDay(clock.now()))))
    base = built.catalogue
    catalogue = served
    standsFor = built.layers.standsFor
  }
  await reindex()

  const matcher = createMatcher({ catalogue: () => catalogue, index, clock })
  const dialogue = createDialogue({ matcher, geography: services.geography, catalogue: () => catalogue, today: () => parisDay(clock.now()) })
  const app = createApp({ ...services, alerts: services.alerts.routes, teams: services.teams.routes, clock, catalogue: () => catalogue, index, matcher, dialogue, crawl: services.crawler.store })
  const runs: string[] = []
  const deps: AdminDeps = {
    ...stores,
    clock,
    logger: services.logger,
    catalogue: () => catalogue,
    baseCatalogue: () => base,
    curated: () => curated,
    matcher,
    reindex,
    crawl: services.crawler.store,
    catalogueIdOf: (id) => standsFor.get(id) ?? id,
    runSource: async (id) => { runs.push(id) },
    sourceIds: () => ['aides-territoires', 'demo-source'],
    clientIp: (c) => c.req.header('x-test-ip') ?? 'local',
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  }
  const admin = adminRoutes(deps)
  app.route('/', admin)
  return {
    app, admin, stores, clock, services, runs, reindex,
    catalogue: () => catalogue,
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
