/** @jsxImportSource hono/jsx */
// The admin desk: /admin (French pages, server-rendered) and /api/admin/... (JSON), one
// session + CSRF guard for both. Editors curate programmes (overrides, hide, verify); admins
// also manage accounts and crawl sources. Every change lands in the audit log.
// This file is the composition: the shared middleware (body limits, no-store, the session guard,
// the admin-only areas) and the modules mounted behind it, each in its own file.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorResponse } from '../http-errors.ts'
import { accountsModule } from './accounts-admin.tsx'
import type { AdminDeps } from './admin-deps.ts'
import { auditModule } from './audit-admin.tsx'
import { requireRole, requireSession } from './auth.ts'
import { ADMIN_IMPORT_MAX_BYTES, ADMIN_JSON_MAX_BYTES } from './body.ts'
import { crawlModule } from './crawl-admin.tsx'
import { importExportModule } from './import-export.tsx'
import { isAdminOnlyPath, type AdminEnv, type AdminKit } from './kit.ts'
import { programmesModule } from './programmes-admin.tsx'
import { loginModule, sessionModule } from './session-admin.tsx'
import { Layout } from './views.tsx'

export type { AdminDeps } from './admin-deps.ts'

type Env = AdminEnv

const AREAS = ['/admin', '/admin/*', '/api/admin/*']

export function adminRoutes(deps: AdminDeps): Hono<Env> {
  const app = new Hono<Env>()
  const guard = requireSession(deps)
  const apiAdminOnly = requireRole('admin')
  // Pages answer a French page (403) with a way back; the API answers JSON.
  const adminOnly = async (c: Context<Env>, next: () => Promise<void>) => {
    if (c.req.method === 'GET' && !c.req.path.startsWith('/api/') && c.get('account').role !== 'admin') {
      return c.html(
        <Layout title="Accès réservé aux administrateurs" account={c.get('account')} csrf={c.get('csrf')}>
          <p role="alert">Cette page est réservée aux comptes administrateurs. <a href="/admin">Retour aux programmes</a></p>
        </Layout>,
        403,
      )
    }
    return apiAdminOnly(c, next)
  }
  app.onError((err, c) => errorResponse(c, err, deps.logger))
  // Bodies are read whole (forms, JSON, uploads): 1 MB everywhere, 6 MB for an import (checked again at 5 MB of content).
  const tooLarge = (max: string) => (c: Context) => c.json({ error: { code: 'payload_too_large', message: `Envoi trop volumineux (${max} au plus) / Payload too large`, field: '(corps)' } }, 413)
  const importLimit = bodyLimit({ maxSize: ADMIN_IMPORT_MAX_BYTES, onError: tooLarge('6 Mo') })
  const defaultLimit = bodyLimit({ maxSize: ADMIN_JSON_MAX_BYTES, onError: tooLarge('1 Mo') })
  for (const area of AREAS) app.use(area, async (c, next) => (/^(\/api)?\/admin\/import$/.test(c.req.path) ? importLimit(c, next) : defaultLimit(c, next)))
  // Nothing of the back office is kept by a browser or a proxy (personal data, CSRF tokens).
  for (const area of AREAS) app.use(area, async (c, next) => { await next(); c.header('cache-control', 'no-store') })
  const now = () => deps.clock.now()
  const audit = (c: Context<Env>, action: string, target: string, before: unknown, after: unknown) =>
    deps.audit.record({ at: now().toISOString(), actor: c.get('account').email, action, target, before, after })
  const kit: AdminKit = { now, audit, reindex: deps.reindex, requireAdmin: adminOnly }

  // ---------- public: the login and the unlock link ----------
  loginModule(deps)(app, kit)

  // ---------- everything else needs a session ----------
  app.use('/admin', guard)
  app.use('/admin/*', async (c, next) => (c.req.path === '/admin/login' || c.req.path === '/admin/unlock' ? next() : guard(c, next)))
  app.use('/api/admin/*', async (c, next) => (c.req.path === '/api/admin/login' ? next() : guard(c, next)))
  app.use('/admin/*', async (c, next) => (isAdminOnlyPath(c.req.path) ? adminOnly(c, next) : next()))
  app.use('/api/admin/*', async (c, next) => (isAdminOnlyPath(c.req.path) ? adminOnly(c, next) : next()))

  for (const m of [sessionModule(deps), programmesModule(deps), auditModule(deps), crawlModule(deps), accountsModule(deps)]) m(app, kit)
  for (const m of deps.modules ?? []) m(app, kit)
  importExportModule({ ...deps, ...(deps.pageSourceExports ? { pageSources: deps.pageSourceExports } : {}) })(app, kit)

  return app
}
