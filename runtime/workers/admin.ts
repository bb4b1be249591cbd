// The back office on Workers: the same admin desk as the Node server (bot/admin, mounted behind the
// same session + CSRF guard and login limits) over the D1 admin stores (runtime/workers/d1-stores.ts)
// and the same scrypt hasher as Node (runtime/node/admin-hasher.ts, node:crypto under nodejs_compat:
// an account created on Node or by `npm run admin -- create-user … --sql` logs in here).
//
// Served here: login and its limits (account lock, address backoff), sessions, CSRF, the programmes
// (overrides, hide, verify, created programmes, merges), the audit log, the accounts (unlock
// included), the alerts' outbox view and retries (the D1 alerts store, the Worker's webhook
// sender), the crawl page (the runs and rows of the D1 crawl store, every coded source; its switches
// are saved, but the nightly crawl of runtime/workers/crawl.ts does not read them yet), the YAML
// import and export. Not here, and why:
// - the e-mailed unlock link: no SMTP on Workers, so no mailer — a locked account waits for its lock
//   to end, or an admin unlocks it (POST /api/admin/accounts/{id}/unlock); `/admin/unlock` still
//   answers for a link sent by a Node server over the same accounts;
// - « Relancer maintenant » on a crawl source: no runSource, so the button is not shown and the API
//   answers 404 « Relance indisponible »;
// - « Pages suivies » (declarative page sources: files, and a preview run by the Node crawler): its
//   routes are not mounted (absent from this runtime's OpenAPI); its page, linked from the menu,
//   answers a French 501 saying where it lives.
// Each programme change is written with the catalogue version bump in its batch (d1-stores.ts), then
// this isolate rebuilds at once (`reindex`); the other isolates follow (runtime/workers/catalogue-version.ts).
import type { Hono } from 'hono'
import { html } from 'hono/html'
import { adminRoutes, type AdminDeps } from '../../bot/admin/admin-routes.tsx'
import { alertsAdminModule, type AlertsAdminDeps } from '../../bot/admin/alerts-admin.tsx'
import type { AdminEnv, AdminModule } from '../../bot/admin/kit.ts'
import type { PasswordHasher } from '../../bot/admin/ports.ts'
import { Layout } from '../../bot/admin/views.tsx'
import type { ClientAddress } from '../../bot/client-address.ts'
import type { CatalogueService } from '../../content/catalogue-service.ts'
import type { Matcher } from '../../content/matching.ts'
import type { Clock } from '../../core/clock.ts'
import type { Geography } from '../../core/geography/geography.ts'
import type { Logger } from '../../core/logger.ts'
import { createScryptHasher } from '../node/admin-hasher.ts'
import type { D1AdminStores } from './d1-stores.ts'
import { privacyAdminModule, type PrivacyAdminDeps } from '../../bot/admin/privacy-admin.tsx'

export interface WorkersAdminOptions {
  stores: D1AdminStores
  /** Default: scrypt with the Node server's parameters (tests pass cheaper ones). */
  hasher?: PasswordHasher
  catalogues: CatalogueService
  /** Rebuilds this isolate's catalogue and index after a programme change. */
  reindex: () => Promise<void>
  matcher: Pick<Matcher, 'present'>
  geography: Geography
  alerts: AlertsAdminDeps
  /** « Données personnelles »: a person's request by e-mail address, the anonymised understanding log's setting. */
  privacy?: Pick<PrivacyAdminDeps, 'rights' | 'log'>
  clientIp: ClientAddress
  clock: Clock
  logger: Logger
  publicUrl?: string | undefined
  /** The crawl's runs and rows as the back office shows them, once the Worker keeps a crawl store in D1. */
  crawl?: AdminDeps['crawl']
  /** Known crawl source ids (their switches), with the crawl store. */
  sourceIds?: AdminDeps['sourceIds']
  /** Tests: shorter login limits. */
  limits?: AdminDeps['limits']
}

export function workersAdmin(o: WorkersAdminOptions): Hono<AdminEnv> {
  const { stores, catalogues } = o
  return adminRoutes({
    ...stores,
    hasher: o.hasher ?? createScryptHasher(),
    clientIp: o.clientIp,
    clock: o.clock,
    logger: o.logger,
    matcher: o.matcher,
    geography: o.geography,
    reindex: o.reindex,
    catalogue: catalogues.current,
    baseCatalogue: catalogues.base,
    curated: catalogues.curated,
    created: catalogues.created,
    redirects: catalogues.redirects,
    catalogueIdOf: catalogues.catalogueIdOf,
    ...(o.crawl ? { crawl: o.crawl } : {}),
    ...(o.sourceIds ? { sourceIds: o.sourceIds } : {}),
    ...(o.limits ? { limits: o.limits } : {}),
    ...(o.publicUrl ? { publicUrl: o.publicUrl, linkBaseUrl: o.publicUrl } : {}),
    modules: [alertsAdminModule(o.alerts), pageSourcesElsewhere, ...(o.privacy ? [privacyAdminModule({ ...o.privacy, audit: stores.audit, settings: stores.settings, curation: stores.curation })] : [])],
  })
}

/** « Pages suivies » (linked from the menu): a French 501 naming where it runs (behind the guard, admins only like its area). */
const pageSourcesElsewhere: AdminModule = (app) => {
  app.get('/admin/sources/pages', (c) =>
    c.html(
      Layout({
        title: 'Pages suivies',
        account: c.get('account'),
        csrf: c.get('csrf'),
        children: html`<p role="alert">Les pages suivies (sources décrites en YAML, testées par le collecteur) se gèrent sur le serveur Node de Guichet : ce déploiement Cloudflare Workers ne les propose pas. <a href="/admin">Retour aux programmes</a></p>`,
      }),
      501,
    ),
  )
}
