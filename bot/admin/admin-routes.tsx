/** @jsxImportSource hono/jsx */
// The admin desk: /admin (French pages, server-rendered) and /api/admin/... (JSON), one
// session + CSRF guard for both. Editors curate programmes (overrides, hide, verify); admins
// also manage accounts and crawl sources. Every change lands in the audit log.
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { getCookie, setCookie } from 'hono/cookie'
import { z } from 'zod'
import type { Catalogue } from '../../content/catalogue.ts'
import { parisDay, type Clock } from '../../core/clock.ts'
import { CALENDAR_STATUSES, CALENDAR_STATUS_LABELS, evaluateCalendar } from '../../core/calendar.ts'
import { ConflictError, NotFoundError, ValidationError, zodIssues } from '../../core/errors.ts'
import { availability, AVAILABILITY_LABELS, type Availability } from '../../core/availability.ts'
import { coverage, runExamples } from '../../core/examples.ts'
import type { Geography } from '../../core/geography/geography.ts'
import type { Logger } from '../../core/logger.ts'
import type { Matcher } from '../../core/matching.ts'
import { LEVELS, LEVEL_LABELS, ProgrammeSchema, type Programme, type RuleName } from '../../core/programme.ts'
import { THEMES } from '../../core/themes.ts'
import type { CrawlRun, CrawlRunStatus, CrawlStore, RunOutcome } from '../../crawler/crawl-store.ts'
import { errorResponse } from '../http-errors.ts'
import { attemptLogin, closeSession, cookieOptions, LOGIN_COOKIE, openSession, parisTime, randomToken, requireRole, requireSession, sameToken, sha256, type AuthDeps, type LoginOutcome } from './auth.ts'
import { LOGIN_LIMITS, retryAfterSeconds, waitText } from './login-limits.ts'
import { applyOverride, minimalPatch, validatePatch } from './overrides.ts'
import { ROLES, type Account, type AuditLog, type CurationStore, type OverridePatch, type OverrideStore, type ProgrammeOverride, type SettingsStore } from './ports.ts'
import { Field, Json, Layout } from './views.tsx'
import { likelyDuplicates } from './duplicates.ts'
import { importExportModule } from './import-export.tsx'
import { formErrors, formToProgrammeFields, ProgrammeFields, programmeToForm, type FormValues } from './programme-form.tsx'
import { isAdminOnlyPath, type AdminEnv, type AdminModule } from './kit.ts'

export interface AdminDeps extends AuthDeps {
  audit: AuditLog
  overrides: OverrideStore
  settings: SettingsStore
  /** The catalogue the bot serves (overrides applied, hidden ones removed). */
  catalogue: () => Catalogue
  /** The merged catalogue before overrides (curated > crawled), hidden programmes included. */
  baseCatalogue: () => Catalogue
  /** The curated files as loaded. */
  curated: () => readonly Programme[]
  /** Programmes created in the back office (a curated layer stored in the database). */
  created: () => readonly Programme[]
  /** Merged duplicates: loser id → winner id. */
  redirects: () => ReadonlyMap<string, string>
  curation: CurationStore
  matcher: Pick<Matcher, 'present'>
  /** The communes, EPCI, départements and régions: a programme's examples are replayed on them. */
  geography: Geography
  /** Rebuilds catalogue + index (overrides applied); called after every programme change. */
  reindex: () => Promise<void>
  crawl?: Pick<CrawlStore, 'listRuns' | 'allRows' | 'sourceStates'>
  catalogueIdOf?: (id: string) => string
  /** Runs one source now (the crawler) and says how the run really ended; absent = no button. */
  runSource?: (sourceId: string) => Promise<RunOutcome>
  /** Known source ids (for the enable/disable switches). */
  sourceIds?: () => readonly string[] | Promise<readonly string[]>
  /** Page sources saved in the back office, exported beside the programmes. */
  pageSourceExports?: () => Promise<readonly { id: string; yaml: string }[]>
  /** More admin areas (alerts outbox, page sources…), registered behind the same guard. */
  modules?: readonly AdminModule[]
  logger: Logger
  clock: Clock
}

type Env = AdminEnv

const LoginSchema = z.object({ email: z.string().trim().min(3, 'adresse e-mail attendue').max(200), password: z.string().min(1, 'mot de passe attendu').max(500) })
const AccountCreateSchema = z.object({ email: z.email('adresse e-mail attendue'), role: z.enum(ROLES), password: z.string().min(12, '12 caractères au moins').max(500) }).strict()
const AccountPatchSchema = z.object({ role: z.enum(ROLES).optional(), disabled: z.boolean().optional() }).strict()
const FiltersSchema = z.object({
  q: z.string().optional(), source: z.string().optional(), level: z.enum(LEVELS).optional().or(z.literal('').transform(() => undefined)),
  status: z.string().optional(), stale: z.string().optional(), unverified: z.string().optional(), hidden: z.string().optional(),
  expired: z.string().optional(), crawlErrors: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1), perPage: z.coerce.number().int().min(1).max(1000).default(100),
})

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
  const importLimit = bodyLimit({ maxSize: 6 * 1024 * 1024, onError: tooLarge('6 Mo') })
  const defaultLimit = bodyLimit({ maxSize: 1024 * 1024, onError: tooLarge('1 Mo') })
  for (const area of ['/admin', '/admin/*', '/api/admin/*']) app.use(area, async (c, next) => (/^(\/api)?\/admin\/import$/.test(c.req.path) ? importLimit(c, next) : defaultLimit(c, next)))
  // Nothing of the back office is kept by a browser or a proxy (personal data, CSRF tokens).
  for (const area of ['/admin', '/admin/*', '/api/admin/*']) app.use(area, async (c, next) => { await next(); c.header('cache-control', 'no-store') })
  const now = () => deps.clock.now()
  const audit = (c: Context<Env>, action: string, target: string, before: unknown, after: unknown) =>
    deps.audit.record({ at: now().toISOString(), actor: c.get('account').email, action, target, before, after })

  // ---------- public: login ----------
  app.get('/admin/login', (c) => {
    const token = randomToken()
    setCookie(c, LOGIN_COOKIE, token, cookieOptions(c, deps.publicUrl, 3600))
    return c.html(loginPage(token, c.req.query('erreur'), c.req.query('minutes')))
  })
  app.post('/admin/login', async (c) => {
    const body = await c.req.parseBody()
    if (!sameToken(typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined, getCookie(c, LOGIN_COOKIE))) return c.json({ error: { code: 'csrf', message: 'Jeton CSRF invalide / Invalid CSRF token' } }, 403)
    const parsed = LoginSchema.safeParse(body)
    if (!parsed.success) return c.redirect('/admin/login?erreur=invalide', 303)
    const outcome = await attemptLogin(deps, c, parsed.data.email, parsed.data.password)
    if (!outcome.ok) {
      await deps.audit.record({ at: now().toISOString(), actor: parsed.data.email, action: `login.${outcome.reason}`, target: 'session', before: null, after: null })
      if (outcome.reason === 'locked' && outcome.until) {
        // The page says when to retry: the minutes left, carried in the redirect (nothing else about the account).
        const minutes = Math.max(1, Math.ceil((outcome.until.getTime() - now().getTime()) / 60_000))
        return c.redirect(`/admin/login?erreur=bloque&minutes=${minutes}`, 303)
      }
      return c.redirect('/admin/login?erreur=invalide', 303)
    }
    await openSession(deps, c, outcome.account)
    await deps.audit.record({ at: now().toISOString(), actor: outcome.account.email, action: 'login', target: 'session', before: null, after: null })
    return c.redirect('/admin', 303)
  })
  // JSON login: a cross-site form cannot send application/json without a CORS preflight.
  app.post('/api/admin/login', async (c) => {
    if (!(c.req.header('content-type') ?? '').startsWith('application/json')) throw new ValidationError([{ field: 'content-type', message: 'application/json attendu' }])
    const parsed = LoginSchema.safeParse(await c.req.json().catch(() => null))
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const outcome = await attemptLogin(deps, c, parsed.data.email, parsed.data.password)
    if (!outcome.ok) {
      await deps.audit.record({ at: now().toISOString(), actor: parsed.data.email, action: `login.${outcome.reason}`, target: 'session', before: null, after: null })
      if (outcome.reason === 'locked' && outcome.until) {
        c.header('retry-after', String(retryAfterSeconds(outcome.until, now())))
        return c.json({ error: { code: 'locked', message: `${lockedMessage(outcome, now())} / Too many failures, retry later`, until: outcome.until.toISOString() } }, 429)
      }
      return c.json({ error: { code: 'invalid_credentials', message: 'Identifiants invalides / Invalid credentials' } }, 401)
    }
    const csrf = await openSession(deps, c, outcome.account)
    await deps.audit.record({ at: now().toISOString(), actor: outcome.account.email, action: 'login', target: 'session', before: null, after: null })
    return c.json({ account: outcome.account, csrf })
  })

  // ---------- public: the unlock link e-mailed to a locked account ----------
  // GET only shows a button (mail scanners open links; a GET must not use the single-use link);
  // the POST clears the account's lock. Neither logs anyone in.
  const unlockHttpStatus = { live: 200, unlocked: 200, used: 410, expired: 410, unknown: 404 } as const
  app.get('/admin/unlock', async (c) => {
    c.header('referrer-policy', 'no-referrer')
    const token = c.req.query('token') ?? ''
    if (!token) return c.html(unlockPage({ status: 'missing' }), 400)
    const st = await deps.throttle.unlockStatus(await sha256(token), now())
    return c.html(unlockPage(st.status === 'live' ? { status: 'live', token } : { status: st.status }), unlockHttpStatus[st.status])
  })
  app.post('/admin/unlock', async (c) => {
    c.header('referrer-policy', 'no-referrer')
    const body = await c.req.parseBody()
    const token = typeof body['token'] === 'string' ? body['token'] : ''
    if (!token) return c.html(unlockPage({ status: 'missing' }), 400)
    const st = await deps.throttle.redeemUnlock(await sha256(token), now())
    if (st.status === 'unlocked') await deps.audit.record({ at: now().toISOString(), actor: st.email, action: 'account.unlock', target: `account:${st.email}`, before: null, after: { via: 'email' } })
    return c.html(unlockPage({ status: st.status === 'live' ? 'unknown' : st.status }), unlockHttpStatus[st.status])
  })

  // ---------- everything else needs a session ----------
  app.use('/admin', guard)
  app.use('/admin/*', async (c, next) => (c.req.path === '/admin/login' || c.req.path === '/admin/unlock' ? next() : guard(c, next)))
  app.use('/api/admin/*', async (c, next) => (c.req.path === '/api/admin/login' ? next() : guard(c, next)))
  app.use('/admin/*', async (c, next) => (isAdminOnlyPath(c.req.path) ? adminOnly(c, next) : next()))
  app.use('/api/admin/*', async (c, next) => (isAdminOnlyPath(c.req.path) ? adminOnly(c, next) : next()))

  const logout = async (c: Context<Env>) => {
    await closeSession(deps, c)
    await audit(c, 'logout', 'session', null, null)
    return c.req.path.startsWith('/api/') ? c.json({ ok: true }) : c.redirect('/admin/login', 303)
  }
  app.post('/admin/logout', logout)
  app.post('/api/admin/logout', logout)
  app.get('/api/admin/me', (c) => c.json({ account: c.get('account'), csrf: c.get('csrf') }))

  // ---------- programmes ----------
  /**
   * Crawl problems by catalogue id, from the latest run of each source: record errors naming
   * the programme (raw value kept) and, for a source whose latest run failed, every programme it gives.
   */
  async function crawlProblems(): Promise<Map<string, { sourceId: string; at: string; field: string; message: string; raw: string; recordId?: string }[]>> {
    const out = new Map<string, { sourceId: string; at: string; field: string; message: string; raw: string; recordId?: string }[]>()
    if (!deps.crawl) return out
    const idOf = deps.catalogueIdOf ?? ((x: string) => x)
    const latest = new Map<string, { at: string; stats: CrawlRun['sources'][number] }>()
    for (const run of await deps.crawl.listRuns(50)) for (const st of run.sources) if (!latest.has(st.sourceId) && st.status !== 'skipped') latest.set(st.sourceId, { at: run.startedAt, stats: st })
    const add = (id: string, e: { sourceId: string; at: string; field: string; message: string; raw: string; recordId?: string }) => out.set(id, [...(out.get(id) ?? []), e])
    const failedSources = new Map<string, { at: string; message: string }>()
    for (const [sourceId, { at, stats }] of latest) {
      for (const d of stats.recordErrorDetails ?? []) if (d.programmeId) add(idOf(d.programmeId), { sourceId, at, field: d.field, message: d.message, raw: d.raw, ...(d.recordId ? { recordId: d.recordId } : {}) })
      if (stats.status === 'failed') failedSources.set(sourceId, { at, message: stats.errors[0] ?? 'échec' })
    }
    if (failedSources.size) {
      for (const r of await deps.crawl.allRows()) {
        const f = failedSources.get(r.sourceId)
        if (f && !r.goneAt) add(idOf(r.programme.id), { sourceId: r.sourceId, at: f.at, field: '(source)', message: `collecte en échec : ${f.message}`, raw: '' })
      }
    }
    return out
  }

  async function listing(query: Record<string, string>) {
    const f = FiltersSchema.parse(query)
    const overrides = new Map((await deps.overrides.all()).map((o) => [o.programmeId, o]))
    const problems = f.crawlErrors ? await crawlProblems() : undefined
    const redirects = deps.redirects()
    const today = parisDay(now())
    const q = f.q?.trim().toLowerCase()
    return deps.baseCatalogue().all().flatMap((base) => {
      const o = overrides.get(base.id)
      let p = base
      try { p = applyOverride(base, o) } catch { /* shown as base */ }
      if (q && !`${p.id} ${p.name} ${p.shortName ?? ''} ${p.funders.join(' ')}`.toLowerCase().includes(q)) return []
      if (f.level && p.level !== f.level) return []
      // The calendar (8 µs a programme, French labels included) only where a filter needs it;
      // otherwise listingPage evaluates it for the rows of the page alone.
      const calendar = f.status || f.expired ? evaluateCalendar(p.calendar, today) : undefined
      const row = {
        id: p.id, name: p.name, level: p.level, source: sourceOf(p), status: calendar?.status, closesAt: calendar ? (calendar.closesAt ?? null) : undefined,
        stale: p.uncertain.some((u) => u.field === 'existence'), verifiedAt: p.verifiedAt ?? null, hidden: o?.hidden ?? false, overridden: !!o && Object.keys(o.patch).length > 0,
        mergedInto: redirects.get(p.id) ?? null, expired: calendar ? calendar.status === 'closed' : undefined, crawlErrors: problems?.get(p.id)?.length ?? 0,
        calendarOf: p.calendar,
      }
      if (f.source && row.source !== f.source) return []
      if (f.status && row.status !== f.status) return []
      if (f.stale && !row.stale) return []
      if (f.expired && !row.expired) return []
      if (f.crawlErrors && !row.crawlErrors) return []
      if (f.unverified && row.verifiedAt) return []
      if (f.hidden === '1' && !row.hidden) return []
      if (f.hidden === '0' && row.hidden) return []
      return [row]
    })
  }

  async function detail(id: string) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const override = await deps.overrides.get(id)
    const curated = deps.curated().find((p) => p.id === id) ?? deps.created().find((p) => p.id === id) ?? null
    const origin: 'file' | 'back-office' | 'crawl' = deps.curated().some((p) => p.id === id) ? 'file' : deps.created().some((p) => p.id === id) ? 'back-office' : 'crawl'
    const idOf = deps.catalogueIdOf ?? ((x: string) => x)
    const redirects = deps.redirects()
    const mergedIds = [...redirects].filter(([, w]) => w === id).map(([l]) => l)
    const owners = new Set([id, ...mergedIds])
    const crawled = deps.crawl ? (await deps.crawl.allRows()).filter((r) => !r.goneAt && owners.has(idOf(r.programme.id))).map((r) => ({ sourceId: r.sourceId, lastSeen: r.lastSeen, stale: r.stale, via: idOf(r.programme.id), programme: r.programme })) : []
    const merged = mergedIds.map((l) => ({ id: l, programme: deps.baseCatalogue().get(l) ?? null }))
    const effective = applyOverride(base, override)
    const problems = (await crawlProblems()).get(id) ?? []
    const duplicates = redirects.has(id) ? [] : likelyDuplicates(effective, deps.baseCatalogue().all(), { exclude: new Set(redirects.keys()) })
    return { id, version: versionOf(override), origin, curated, crawled, merged, mergedInto: redirects.get(id) ?? null, crawlErrors: problems, duplicates, base, override: override ?? null, effective, preview: deps.matcher.present(effective), ...checks(effective) }
  }

  /** What the server's today and the geography say of a programme: its availability, its examples replayed, their coverage. */
  function checks(p: Programme) {
    const today = parisDay(now())
    const runs = runExamples(p, deps.geography)
    return {
      today,
      availability: availability(p, today),
      examples: runs.map((r) => ({
        about: r.example.about, date: r.example.date, expect: r.example.expect, rule: r.example.rule ?? null,
        status: r.result?.status ?? null, ok: r.ok, problem: r.problem ?? null,
      })),
      coverage: coverage(p, runs),
    }
  }

  async function saveOverride(c: Context<Env>, id: string, change: (o: ProgrammeOverride) => ProgrammeOverride, action: string) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const before = (await deps.overrides.get(id)) ?? { programmeId: id, patch: {}, hidden: false, verifiedBy: null, verifiedAt: null, updatedBy: '', updatedAt: '' }
    const after = { ...change(structuredClone(before)), updatedBy: c.get('account').email, updatedAt: now().toISOString() }
    // The change and its audit entry in one transaction: never one without the other.
    await deps.curation.commit({ overrides: [after], audit: [{ at: after.updatedAt, actor: after.updatedBy, action, target: `programme:${id}`, before: strip(before), after: strip(after) }] })
    await deps.reindex()
    return after
  }

  /**
   * `version` is the override version the editor started from (versionOf; '' = none yet): when another
   * change landed since, nothing is written and the editor sees who changed what (409).
   */
  async function putPatch(c: Context<Env>, id: string, fields: Record<string, unknown>, replace: boolean, version?: string) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const stored = await deps.overrides.get(id)
    if (version !== undefined && version !== versionOf(stored)) {
      throw new ConflictError(`Fiche modifiée entre-temps par ${stored?.updatedBy ?? 'un autre compte'} (${stored?.updatedAt ?? ''}) : rechargez-la avant d'enregistrer / Changed since you opened it`, 'version')
    }
    const current = stored?.patch ?? {}
    const combined = replace ? fields : { ...current, ...fields }
    const patch = minimalPatch(base, validatePatch(base, combined))
    return saveOverride(c, id, (o) => ({ ...o, patch }), 'programme.override')
  }

  async function listingPage(query: Record<string, string>) {
    const { page, perPage } = FiltersSchema.parse(query)
    const rows = await listing(query)
    const today = parisDay(now())
    const programmes = rows.slice((page - 1) * perPage, page * perPage).map(({ calendarOf, ...row }) => {
      if (row.status !== undefined) return { ...row, status: row.status, closesAt: row.closesAt ?? null, expired: row.expired ?? false }
      const calendar = evaluateCalendar(calendarOf, today)
      return { ...row, status: calendar.status, closesAt: calendar.closesAt ?? null, expired: calendar.status === 'closed' }
    })
    return { programmes, total: rows.length, page, perPage }
  }
  app.get('/api/admin/programmes', async (c) => c.json(await listingPage(c.req.query())))
  app.get('/api/admin/programmes/:id', async (c) => c.json(await detail(c.req.param('id'))))
  app.put('/api/admin/programmes/:id/override', async (c) => {
    const body = await c.req.json().catch(() => null)
    const parsed = z.object({ patch: z.record(z.string(), z.unknown()), replace: z.boolean().default(false), version: z.string().max(40).optional() }).strict().safeParse(body)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const saved = await putPatch(c, c.req.param('id'), parsed.data.patch, parsed.data.replace, parsed.data.version)
    return c.json({ override: saved, programme: applyOverride(deps.baseCatalogue().get(saved.programmeId)!, saved) })
  })
  app.post('/api/admin/programmes/:id/hide', async (c) => {
    const parsed = z.object({ hidden: z.boolean() }).strict().safeParse(await c.req.json().catch(() => null))
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    return c.json({ override: await saveOverride(c, c.req.param('id'), (o) => ({ ...o, hidden: parsed.data.hidden }), parsed.data.hidden ? 'programme.hide' : 'programme.unhide') })
  })
  app.post('/api/admin/programmes/:id/verify', async (c) => {
    const who = c.get('account').email
    return c.json({ override: await saveOverride(c, c.req.param('id'), (o) => ({ ...o, verifiedBy: who, verifiedAt: now().toISOString() }), 'programme.verify') })
  })

  app.get('/admin', async (c) => {
    const query = c.req.query()
    const { programmes: rows, total, page, perPage } = await listingPage(query)
    const pages = Math.max(1, Math.ceil(total / perPage))
    const pageLink = (n: number) => `/admin?${new URLSearchParams({ ...query, page: String(n) }).toString()}`
    const sources = [...new Set(deps.baseCatalogue().all().map(sourceOf))].sort()
    return c.html(
      <Layout title="Programmes" account={c.get('account')} csrf={c.get('csrf')}>
        <form method="get" action="/admin" class="filters" role="search" aria-label="Filtrer les programmes">
          <div><label for="q">Rechercher</label><input id="q" name="q" type="search" value={query['q'] ?? ''} /></div>
          <div><label for="source">Source</label><select id="source" name="source"><option value="">Toutes</option>{sources.map((s) => <option value={s} selected={query['source'] === s}>{s}</option>)}</select></div>
          <div><label for="level">Niveau</label><select id="level" name="level"><option value="">Tous</option>{LEVELS.map((l) => <option value={l} selected={query['level'] === l}>{LEVEL_LABELS[l]}</option>)}</select></div>
          <div><label for="status">Calendrier</label><select id="status" name="status"><option value="">Tous</option>{CALENDAR_STATUSES.map((s) => <option value={s} selected={query['status'] === s}>{CALENDAR_STATUS_LABELS[s]}</option>)}</select></div>
          <div><label><input type="checkbox" name="stale" value="1" checked={!!query['stale']} /> Périmés</label></div>
          <div><label><input type="checkbox" name="expired" value="1" checked={!!query['expired']} /> Clos ou terminés</label></div>
          <div><label><input type="checkbox" name="crawlErrors" value="1" checked={!!query['crawlErrors']} /> Erreurs de collecte</label></div>
          <div><label><input type="checkbox" name="unverified" value="1" checked={!!query['unverified']} /> Non vérifiés</label></div>
          <div><label for="hidden">Masqués</label><select id="hidden" name="hidden"><option value="">Tous</option><option value="1" selected={query['hidden'] === '1'}>Masqués</option><option value="0" selected={query['hidden'] === '0'}>Publiés</option></select></div>
          <div><button type="submit">Filtrer</button></div>
        </form>
        <p role="status">{total} programme(s){pages > 1 ? ` — page ${page} sur ${pages}` : ''} · <a href="/admin/nouveau-programme">Créer un programme</a></p>
        <table>
          <caption class="sr">Programmes</caption>
          <thead><tr><th scope="col">Programme</th><th scope="col">Source</th><th scope="col">Niveau</th><th scope="col">Calendrier</th><th scope="col">État</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td><a href={`/admin/programmes/${encodeURIComponent(r.id)}`}>{r.name}</a><br /><small>{r.id}</small></td>
                <td>{r.source}</td><td>{LEVEL_LABELS[r.level]}</td><td>{CALENDAR_STATUS_LABELS[r.status]}{r.closesAt ? ` — clôture ${r.closesAt}` : ''}</td>
                <td>{[r.mergedInto ? `fusionné dans ${r.mergedInto}` : r.hidden ? 'masqué' : 'publié', r.overridden ? 'modifié' : '', r.stale ? 'périmé' : '', r.expired ? 'clos' : '', r.crawlErrors ? `${r.crawlErrors} erreur(s) de collecte` : '', r.verifiedAt ? `vérifié le ${r.verifiedAt}` : 'non vérifié'].filter(Boolean).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {pages > 1 ? (
          <nav aria-label="Pages de résultats" class="filters">
            {page > 1 ? <a href={pageLink(page - 1)} rel="prev">Page précédente</a> : null}
            <span>Page {page} sur {pages}</span>
            {page < pages ? <a href={pageLink(page + 1)} rel="next">Page suivante</a> : null}
          </nav>
        ) : null}
      </Layout>,
    )
  })

  const formOf = async (c: Context<Env>): Promise<FormValues> => {
    const body = await c.req.parseBody({ all: true })
    const out: FormValues = {}
    for (const [k, v] of Object.entries(body)) {
      if (k === '_csrf') continue
      if (typeof v === 'string') out[k] = v
      else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string')
    }
    return out
  }

  app.get('/admin/programmes/:id', async (c) => c.html(await programmePage(c, await detail(c.req.param('id')))))
  app.post('/admin/programmes/:id', async (c) => {
    const id = c.req.param('id')
    const d = await detail(id)
    const form = await formOf(c)
    const version = typeof form['_version'] === 'string' ? form['_version'] : undefined
    const action = form['_action']
    delete form['_version']
    delete form['_action']
    // A permanent scheme has no deadline: a date typed there would be silently ignored by the bot.
    const typedDeadlines = typeof form['deadlines'] === 'string' ? form['deadlines'].trim() : ''
    if (form['calendarKind'] === 'permanent' && typedDeadlines && typedDeadlines !== String(programmeToForm(d.effective)['deadlines'] ?? '')) {
      const errors = { deadlines: 'calendar.editions : un guichet permanent n\'a pas de date limite (le bot l\'ignorerait) : choisissez « appel unique » ou « appel récurrent »' }
      return c.html(await programmePage(c, d, { values: { ...form, ...(version !== undefined ? { _version: version } : {}) }, errors }), 400)
    }
    if (action === 'preview') {
      // What the bot would show with these values: validated like a save, nothing written.
      try {
        const current = d.override?.patch ?? {}
        const patch = validatePatch(d.base, { ...current, ...formToProgrammeFields(d.effective, form) })
        const would = applyOverride(d.base, { patch, verifiedAt: d.override?.verifiedAt ?? null })
        return c.html(await programmePage(c, { ...d, preview: deps.matcher.present(would), ...checks(would) }, { values: { ...form, ...(version !== undefined ? { _version: version } : {}) }, errors: {}, previewing: true }))
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return c.html(await programmePage(c, d, { values: form, errors: formErrors(err.issues) }), 400)
      }
    }
    try {
      await putPatch(c, id, formToProgrammeFields(d.effective, form), false, version)
    } catch (err) {
      if (err instanceof ConflictError) return c.html(await programmePage(c, d, { values: form, errors: {}, conflict: err.message }), 409)
      if (!(err instanceof ValidationError)) throw err
      return c.html(await programmePage(c, d, { values: form, errors: formErrors(err.issues) }), 400)
    }
    return c.redirect(`/admin/programmes/${encodeURIComponent(id)}?enregistre=1`, 303)
  })
  app.post('/admin/programmes/:id/hide', async (c) => {
    const body = await c.req.parseBody()
    await saveOverride(c, c.req.param('id'), (o) => ({ ...o, hidden: body['hidden'] === '1' }), body['hidden'] === '1' ? 'programme.hide' : 'programme.unhide')
    return c.redirect(`/admin/programmes/${encodeURIComponent(c.req.param('id'))}?enregistre=1`, 303)
  })
  app.post('/admin/programmes/:id/verify', async (c) => {
    const who = c.get('account').email
    await saveOverride(c, c.req.param('id'), (o) => ({ ...o, verifiedBy: who, verifiedAt: now().toISOString() }), 'programme.verify')
    return c.redirect(`/admin/programmes/${encodeURIComponent(c.req.param('id'))}?enregistre=1`, 303)
  })

  // ---------- create a curated programme ----------
  const NewIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'identifiant en minuscules, chiffres, _ ou -').max(120, '120 caractères au plus')
  async function createProgramme(c: Context<Env>, input: Record<string, unknown>): Promise<Programme> {
    const idParsed = NewIdSchema.safeParse(input['id'])
    if (!idParsed.success) throw new ValidationError([{ field: 'id', message: idParsed.error.issues[0]?.message ?? 'identifiant attendu' }])
    const id = idParsed.data
    if (deps.baseCatalogue().get(id) || deps.redirects().has(id)) throw new ValidationError([{ field: 'id', message: `un programme « ${id} » existe déjà` }])
    const official = typeof (input['links'] as { official?: unknown } | undefined)?.official === 'string' ? (input['links'] as { official: string }).official : ''
    // null means "no value" in the form's fields (an override's way to clear one): left out here.
    const given = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null))
    const candidate = { keywords: [], aid: {}, uncertain: [], ...given, id, provenance: input['provenance'] ?? { kind: 'curated', sources: official ? [official] : [] } }
    const parsed = ProgrammeSchema.safeParse(candidate)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const who = c.get('account').email
    const at = now().toISOString()
    await deps.curation.commit({
      created: [{ programme: parsed.data, createdBy: who, createdAt: at, updatedBy: who, updatedAt: at }],
      audit: [{ at, actor: who, action: 'programme.create', target: `programme:${id}`, before: null, after: parsed.data }],
    })
    await deps.reindex()
    return parsed.data
  }
  app.post('/api/admin/programmes', async (c) => {
    const body = await c.req.json().catch(() => null)
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new ValidationError([{ field: '(corps)', message: 'objet JSON attendu (un programme)' }])
    return c.json({ programme: await createProgramme(c, body as Record<string, unknown>) }, 201)
  })
  const blankForm = (): FormValues => ({ ...programmeToForm(BLANK), name: '', summary: '', funders: '', official: '', themes: [], applicants: [], instruments: ['grant'], id: '' })
  app.get('/admin/nouveau-programme', (c) => c.html(newProgrammePage(c, blankForm(), {})))
  app.post('/admin/nouveau-programme', async (c) => {
    const form = await formOf(c)
    try {
      const p = await createProgramme(c, { id: typeof form['id'] === 'string' ? form['id'].trim() : '', ...formToProgrammeFields(BLANK, form) })
      return c.redirect(`/admin/programmes/${encodeURIComponent(p.id)}?enregistre=1`, 303)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return c.html(newProgrammePage(c, form, formErrors(err.issues)), 400)
    }
  })
  function newProgrammePage(c: Context<Env>, v: FormValues, e: Record<string, string>) {
    const csrf = c.get('csrf')
    return (
      <Layout title="Nouveau programme" account={c.get('account')} csrf={csrf}>
        <p>Le programme est enregistré comme fiche curée (exportable en YAML) et publié dès sa création. N'inventez rien : chaque fait doit venir de la page officielle.</p>
        <ErrorSummary errors={e} title="Le programme n'a pas été créé" />
        <form method="post" action="/admin/nouveau-programme" class="card" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <ProgrammeFields v={v} e={e} withId />
          <button type="submit">Créer le programme</button>
        </form>
      </Layout>
    )
  }

  // ---------- merge duplicates ----------
  async function merge(c: Context<Env>, loserId: string, winnerId: string) {
    const base = deps.baseCatalogue()
    if (!base.get(loserId)) throw new NotFoundError(`Programme inconnu : « ${loserId} » / Unknown programme`, 'id')
    const redirects = deps.redirects()
    const errors = []
    if (!winnerId) errors.push({ field: 'into', message: 'programme à conserver attendu' })
    else if (winnerId === loserId) errors.push({ field: 'into', message: 'un programme ne peut pas être fusionné avec lui-même' })
    else if (!base.get(winnerId)) errors.push({ field: 'into', message: `programme inconnu : « ${winnerId} »` })
    else if (redirects.has(winnerId)) errors.push({ field: 'into', message: `« ${winnerId} » est déjà fusionné dans « ${redirects.get(winnerId)} » : choisissez celui-ci` })
    else if (redirects.has(loserId)) errors.push({ field: 'id', message: `« ${loserId} » est déjà fusionné dans « ${redirects.get(loserId)} »` })
    if (errors.length) throw new ValidationError(errors)
    const who = c.get('account').email
    const at = now().toISOString()
    // Programmes merged into the loser before follow it to the new winner.
    const followers = [...redirects].filter(([, w]) => w === loserId).map(([l]) => l)
    await deps.curation.commit({
      merges: [loserId, ...followers].map((l) => ({ loserId: l, winnerId, mergedBy: who, mergedAt: at })),
      audit: [{ at, actor: who, action: 'programme.merge', target: `programme:${loserId}`, before: null, after: { into: winnerId, provenance: base.get(loserId)!.provenance, followers } },
        { at, actor: who, action: 'programme.merge', target: `programme:${winnerId}`, before: null, after: { absorbed: [loserId, ...followers] } }],
    })
    await deps.reindex()
  }
  async function unmerge(c: Context<Env>, loserId: string) {
    const winner = deps.redirects().get(loserId)
    if (!winner) throw new NotFoundError(`« ${loserId} » n'est fusionné dans aucun programme / Not merged`, 'id')
    const who = c.get('account').email
    const at = now().toISOString()
    await deps.curation.commit({ unmerges: [loserId], audit: [{ at, actor: who, action: 'programme.unmerge', target: `programme:${loserId}`, before: { into: winner }, after: null }] })
    await deps.reindex()
  }
  app.post('/api/admin/programmes/:id/merge', async (c) => {
    const parsed = z.object({ into: z.string().trim().min(1, 'identifiant du programme à conserver attendu') }).strict().safeParse(await c.req.json().catch(() => null))
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    await merge(c, c.req.param('id'), parsed.data.into)
    return c.json({ loser: c.req.param('id'), winner: parsed.data.into, redirect: `/api/programmes/${encodeURIComponent(parsed.data.into)}` })
  })
  app.delete('/api/admin/programmes/:id/merge', async (c) => {
    await unmerge(c, c.req.param('id'))
    return c.json({ ok: true })
  })
  app.post('/admin/programmes/:id/merge', async (c) => {
    const id = c.req.param('id')
    const body = await c.req.parseBody()
    const into = typeof body['into'] === 'string' ? body['into'].trim() : ''
    try {
      await merge(c, id, into)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return c.html(await programmePage(c, await detail(id), undefined, formErrors(err.issues.map((i) => ({ ...i, field: i.field === 'into' ? 'into' : i.field })))), 400)
    }
    // On to the programme that stays, where both provenances now show.
    return c.redirect(`/admin/programmes/${encodeURIComponent(into)}?enregistre=1`, 303)
  })
  app.post('/admin/programmes/:id/unmerge', async (c) => {
    await unmerge(c, c.req.param('id'))
    return c.redirect(`/admin/programmes/${encodeURIComponent(c.req.param('id'))}?enregistre=1`, 303)
  })

  async function programmePage(c: Context<Env>, d: Awaited<ReturnType<typeof detail>>, failed?: { values: FormValues; errors: Record<string, string>; conflict?: string; previewing?: boolean }, mergeErrors: Record<string, string> = {}) {
    const v = failed?.values ?? programmeToForm(d.effective)
    const e = failed?.errors ?? {}
    const history = await deps.audit.list({ target: `programme:${d.id}`, limit: 20 })
    const csrf = c.get('csrf')
    const fields = ['name', 'shortName', 'funders', 'level', 'instruments', 'summary', 'themes', 'keywords', 'eligibility', 'aid', 'calendar', 'adopted', 'suspension', 'links', 'uncertain', 'statusNote', 'examples'] as const
    const prov = d.base.provenance
    return (
      <Layout title={d.effective.name} account={c.get('account')} csrf={csrf}>
        {c.req.query('enregistre') ? <p class="ok" role="status">Modification enregistrée.</p> : null}
        <ErrorSummary errors={{ ...e, ...mergeErrors }} title={failed ? "La fiche n'a pas été enregistrée" : 'La fusion n\'a pas été faite'} />
        {failed?.previewing ? <p class="ok" role="status">Aperçu des modifications ci-dessous : <strong>rien n'est encore enregistré</strong>. <a href="#apercu">Voir l'aperçu</a></p> : null}
        {failed?.conflict ? (
          <div class="alert" role="alert" tabindex={-1} id="erreurs" autofocus>
            <h2>La fiche n'a pas été enregistrée</h2>
            <p>{failed.conflict}</p>
            <p>Vos saisies sont conservées ci-dessous ; la colonne « Valeur publiée » montre la version enregistrée. <a href={`/admin/programmes/${encodeURIComponent(d.id)}`}>Recharger la fiche</a> pour repartir de celle-ci.</p>
          </div>
        ) : null}
        {d.mergedInto ? (
          <div class="alert" role="note">
            <p>Cette fiche est <strong>fusionnée dans <a href={`/admin/programmes/${encodeURIComponent(d.mergedInto)}`}>{d.mergedInto}</a></strong> : elle n'est plus publiée et son adresse publique redirige vers ce programme.</p>
            <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/unmerge`}><input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary">Annuler la fusion</button></form>
          </div>
        ) : null}
        <p>Identifiant <code>{d.id}</code> · origine {d.origin === 'file' ? 'fichier curé' : d.origin === 'back-office' ? 'créé dans l\'administration' : `collecte (${sourceOf(d.base)})`} · {d.override?.hidden ? 'masqué' : 'publié'} · {d.override?.verifiedAt ? `vérifié par ${d.override.verifiedBy} le ${d.override.verifiedAt.slice(0, 10)}` : d.effective.verifiedAt ? `vérifié le ${d.effective.verifiedAt}` : 'non vérifié'}
          {' '}· <a href={`/api/admin/export/programmes/${encodeURIComponent(d.id)}.yaml`}>Télécharger le YAML</a></p>
        <p id="disponibilite"><strong>Calendrier :</strong> {d.preview.calendar.label} · <AvailabilityLine a={d.availability} today={d.today} unsaved={!!failed?.previewing} /></p>
        <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/hide`} style="display:inline">
          <input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="hidden" value={d.override?.hidden ? '0' : '1'} />
          <button type="submit" class="secondary">{d.override?.hidden ? 'Republier' : 'Masquer (dépublier)'}</button>
        </form>
        <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/verify`} style="display:inline">
          <input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary">Marquer comme vérifié</button>
        </form>

        <h2>Provenance</h2>
        <ul>
          <li>{prov.kind === 'curated' ? <>Sources citées : {prov.sources.map((u, i) => <>{i ? ', ' : ''}<a href={u} rel="noopener noreferrer">{u}</a></>)}</> : <>Collecté sur « {prov.sourceId} » : <a href={prov.originUrl} rel="noopener noreferrer">{prov.originUrl}</a>, lu le {prov.fetchedAt}</>}</li>
          {d.crawled.map((r) => <li>Vu aussi sur « {r.sourceId} »{r.via !== d.id ? ` (via ${r.via})` : ''} : <a href={r.programme.provenance.kind === 'crawled' ? r.programme.provenance.originUrl : r.programme.links.official} rel="noopener noreferrer">{r.programme.provenance.kind === 'crawled' ? r.programme.provenance.originUrl : r.programme.links.official}</a> — dernière lecture le {r.lastSeen.slice(0, 10)}{r.stale ? ' (source en échec : périmé ?)' : ''}</li>)}
          {d.merged.map((m) => <li>Fiche fusionnée <a href={`/admin/programmes/${encodeURIComponent(m.id)}`}>{m.id}</a>{m.programme ? <> — {m.programme.provenance.kind === 'curated' ? `sources : ${m.programme.provenance.sources.join(', ')}` : `collectée sur « ${m.programme.provenance.sourceId} » : ${m.programme.provenance.originUrl}`}</> : null}</li>)}
        </ul>
        {d.crawlErrors.length ? (
          <>
            <h3>Erreurs de la dernière collecte</h3>
            <table><thead><tr><th scope="col">Source</th><th scope="col">Champ</th><th scope="col">Erreur</th><th scope="col">Valeur brute</th></tr></thead>
              <tbody>{d.crawlErrors.map((x) => <tr><td>{x.sourceId}<br /><small>{x.at}</small></td><td>{x.field}</td><td>{x.message}</td><td><pre>{x.raw || '—'}</pre></td></tr>)}</tbody></table>
          </>
        ) : null}

        <h2>Modifier</h2>
        <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}`} class="card" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="_version" value={failed?.conflict ? versionOf(d.override ?? undefined) : (typeof failed?.values['_version'] === 'string' ? failed.values['_version'] : versionOf(d.override ?? undefined))} />
          <ProgrammeFields v={v} e={e} />
          <button type="submit">Enregistrer</button>
          <button type="submit" name="_action" value="preview" class="secondary">Prévisualiser sans enregistrer</button>
        </form>

        <h2 id="apercu">{failed?.previewing ? 'Aperçu dans le bot (non enregistré)' : 'Aperçu dans le bot'}</h2>
        <ProgrammePreview item={d.preview} availability={d.availability} today={d.today} />

        <h2 id="exemples">{failed?.previewing ? 'Exemples rejoués sur la fiche modifiée (non enregistrée)' : 'Exemples rejoués'}</h2>
        <ExamplesTable runs={d.examples} coverage={d.coverage} />

        {d.mergedInto ? null : (
          <>
            <h2>Fusionner un doublon</h2>
            <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/merge`} class="card" novalidate>
              <input type="hidden" name="_csrf" value={csrf} />
              <p>Cette fiche sera retirée du catalogue ; ses sources restent attachées au programme conservé, et son adresse redirige vers lui.</p>
              <Field name="into" label="Identifiant du programme à conserver" value="" error={mergeErrors['into'] ?? mergeErrors['id']} />
              <button type="submit" class="secondary">Fusionner dans ce programme</button>
            </form>
            {d.duplicates.length ? (
              <>
                <h3>Doublons possibles</h3>
                <table><thead><tr><th scope="col">Programme</th><th scope="col">Indices</th><th scope="col">Actions</th></tr></thead>
                  <tbody>{d.duplicates.map((x) => (
                    <tr><td><a href={`/admin/programmes/${encodeURIComponent(x.id)}`}>{x.name}</a><br /><small>{x.id}</small></td><td>{x.why.join(' ; ')}</td>
                      <td>
                        <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/merge`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="into" value={x.id} /><button type="submit" class="secondary" aria-label={`Fusionner cette fiche dans ${x.id}`}>Fusionner cette fiche dans celle-ci</button></form>
                        <form method="post" action={`/admin/programmes/${encodeURIComponent(x.id)}/merge`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="into" value={d.id} /><button type="submit" class="secondary" aria-label={`Fusionner ${x.id} dans cette fiche`}>Fusionner celle-ci dans cette fiche</button></form>
                      </td></tr>
                  ))}</tbody></table>
              </>
            ) : null}
          </>
        )}

        <h2>Valeurs par origine</h2>
        <table>
          <thead><tr><th scope="col">Champ</th><th scope="col">Fichier curé</th><th scope="col">Modification admin</th><th scope="col">Collecte</th><th scope="col">Valeur publiée</th></tr></thead>
          <tbody>
            {fields.map((f) => (
              <tr>
                <th scope="row">{f}</th>
                <td><Json value={d.curated?.[f]} /></td>
                <td><Json value={d.override?.patch[f as keyof OverridePatch]} /></td>
                <td>{d.crawled.length ? d.crawled.map((r) => <div><small>{r.sourceId} (lu le {r.lastSeen.slice(0, 10)}{r.stale ? ', périmé' : ''})</small><Json value={r.programme[f]} /></div>) : '—'}</td>
                <td><Json value={d.effective[f]} /></td>
              </tr>
            ))}
          </tbody>
        </table>

        <h2>Historique</h2>
        <AuditTable entries={history} />
      </Layout>
    )
  }

  // ---------- audit ----------
  const AuditQuerySchema = z.object({
    target: z.string().max(300).optional(), actor: z.string().max(200).optional(), action: z.string().max(100).optional(),
    beforeId: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  const auditQuery = (query: Record<string, string>) => {
    const q = AuditQuerySchema.parse(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '')))
    return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as z.infer<typeof AuditQuerySchema>
  }
  app.get('/api/admin/audit', async (c) => c.json({ entries: await deps.audit.list(auditQuery(c.req.query())) }))
  app.get('/admin/audit', async (c) => {
    const query = c.req.query()
    const q = auditQuery(query)
    const entries = await deps.audit.list(q)
    const older = entries.length === q.limit ? `/admin/audit?${new URLSearchParams({ ...query, beforeId: String(entries.at(-1)!.id) }).toString()}` : undefined
    return c.html(
      <Layout title="Journal des modifications" account={c.get('account')} csrf={c.get('csrf')}>
        <form method="get" action="/admin/audit" class="filters" role="search" aria-label="Filtrer le journal">
          <div><label for="a-target">Objet (ex. programme:detr)</label><input id="a-target" name="target" value={query['target'] ?? ''} /></div>
          <div><label for="a-actor">Qui (e-mail)</label><input id="a-actor" name="actor" value={query['actor'] ?? ''} /></div>
          <div><label for="a-action">Action (début, ex. programme.)</label><input id="a-action" name="action" value={query['action'] ?? ''} /></div>
          <div><button type="submit">Filtrer</button></div>
        </form>
        <p role="status">{entries.length} entrée(s){entries.length === q.limit ? ' (les plus récentes)' : ''}</p>
        <AuditTable entries={entries} />
        {older ? <p><a href={older}>Entrées plus anciennes</a></p> : null}
      </Layout>,
    )
  })

  // ---------- crawl runs and sources ----------
  const RUN_LABELS: Record<CrawlRunStatus | 'locked', string> = { ok: 'ok', partial: 'partiel (des sources en échec)', failed: 'erreur', running: 'en cours', interrupted: 'interrompu', locked: 'déjà en cours' }
  /** The banner after « Relancer maintenant »: the run it started, as it stands now (or why there is none). */
  function rerunNotice(query: Record<string, string>, runs: readonly CrawlRun[]) {
    const source = query['source'] ?? '?'
    if (query['relance'] === 'occupee') return <p class="error" role="status">Relance de {source} non lancée : une collecte est déjà en cours. Réessayez quand elle sera finie.</p>
    const run = runs.find((r) => r.id === query['relance'])
    if (!run && query['erreur']) return <p class="error" role="status">Relance de {source} : erreur — {query['erreur']}.</p>
    if (!run) return <p class="card" role="status">Relance de {source} : en cours de démarrage — rechargez la page pour voir sa fin.</p>
    const failures = [...run.errors, ...run.sources.filter((s) => s.status === 'failed').flatMap((s) => s.errors.slice(0, 3).map((e) => `${s.sourceId} : ${e}`))]
    return (
      <div class={run.status === 'ok' ? 'ok' : run.status === 'running' ? 'card' : 'error'} role="status">
        <p>Relance de {source} : {RUN_LABELS[run.status]}{run.status === 'running' ? ' — rechargez la page pour voir sa fin.' : '.'}</p>
        {failures.length ? <ul>{failures.map((e) => <li>{e}</li>)}</ul> : null}
      </div>
    )
  }
  async function sourcesView() {
    const states = deps.crawl ? await deps.crawl.sourceStates() : []
    const ids = [...new Set([...((await deps.sourceIds?.()) ?? []), ...states.map((s) => s.sourceId)])].sort()
    return Promise.all(ids.map(async (id) => ({ sourceId: id, enabled: (await deps.settings.get(`source:${id}:enabled`)) !== '0', state: states.find((s) => s.sourceId === id) ?? null })))
  }
  app.get('/api/admin/crawl/runs', async (c) => c.json({ runs: deps.crawl ? await deps.crawl.listRuns(50) : [], sources: await sourcesView() }))
  app.get('/admin/crawl', async (c) => {
    const runs = deps.crawl ? await deps.crawl.listRuns(20) : []
    const sources = await sourcesView()
    const isAdmin = c.get('account').role === 'admin'
    const csrf = c.get('csrf')
    const query = c.req.query()
    return c.html(
      <Layout title="Collectes" account={c.get('account')} csrf={csrf}>
        {query['relance'] ? rerunNotice(query, runs) : null}
        <h2>Sources</h2>
        <table><thead><tr><th scope="col">Source</th><th scope="col">État</th><th scope="col">Échecs consécutifs</th>{isAdmin ? <th scope="col">Actions</th> : null}</tr></thead>
          <tbody>{sources.map((s) => (
            <tr><td>{s.sourceId}</td><td>{s.enabled ? 'activée' : 'désactivée'}</td><td>{String((s.state as { consecutiveFailures?: number } | null)?.consecutiveFailures ?? 0)}</td>
              {isAdmin ? <td>
                <form method="post" action={`/admin/sources/${encodeURIComponent(s.sourceId)}/enabled`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="enabled" value={s.enabled ? '0' : '1'} /><button type="submit" class="secondary">{s.enabled ? 'Désactiver' : 'Activer'}</button></form>
                {deps.runSource ? <form method="post" action={`/admin/sources/${encodeURIComponent(s.sourceId)}/run`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><button type="submit">Relancer maintenant</button></form> : null}
              </td> : null}
            </tr>))}
          </tbody></table>
        <h2>Dernières collectes</h2>
        {runs.map((r) => (
          <div class="card"><h3>{r.startedAt} — {RUN_LABELS[r.status]} ({r.trigger})</h3>
            {r.errors.length ? <ul>{r.errors.map((e) => <li class="error">{e}</li>)}</ul> : null}
            <table><thead><tr><th scope="col">Source</th><th scope="col">Statut</th><th scope="col">Lues</th><th scope="col">Nouveaux</th><th scope="col">Modifiés</th><th scope="col">Inchangés</th><th scope="col">Disparus</th><th scope="col">Erreurs</th></tr></thead>
              <tbody>{r.sources.map((s) => <tr><td>{s.sourceId}</td><td>{s.status}</td><td>{s.programmes}</td><td>{s.new}</td><td>{s.updated}</td><td>{s.unchanged}</td><td>{s.gone}</td><td>{s.recordErrors ? `${s.recordErrors} fiche(s) en erreur` : s.errors.length ? s.errors[0] : '—'}</td></tr>)}</tbody></table>
            {r.sources.filter((s) => (s.recordErrorDetails ?? []).length > 0 || (s.status === 'failed' && s.errors.length > 0)).map((s) => (
              <details>
                <summary>{s.sourceId} : {s.recordErrors} erreur(s) de fiche{s.status === 'failed' ? ', collecte en échec' : ''}</summary>
                {s.status === 'failed' ? <ul>{s.errors.map((e) => <li class="error">{e}</li>)}</ul> : null}
                {(s.recordErrorDetails ?? []).length ? (
                  <table><caption class="sr">Erreurs de fiche de {s.sourceId}</caption>
                    <thead><tr><th scope="col">Fiche</th><th scope="col">Champ</th><th scope="col">Erreur</th><th scope="col">Valeur brute</th></tr></thead>
                    <tbody>{(s.recordErrorDetails ?? []).map((d) => (
                      <tr><td>{d.programmeId ? <a href={`/admin/programmes/${encodeURIComponent((deps.catalogueIdOf ?? ((x: string) => x))(d.programmeId))}`}>{d.recordId ?? d.programmeId}</a> : (d.recordId ?? '—')}</td><td>{d.field}</td><td>{d.message}</td><td><pre>{d.raw}</pre></td></tr>
                    ))}</tbody></table>
                ) : null}
              </details>
            ))}
          </div>
        ))}
      </Layout>,
    )
  })
  async function setEnabled(c: Context<Env>, id: string, enabled: boolean) {
    const key = `source:${id}:enabled`
    const before = (await deps.settings.get(key)) !== '0'
    const at = now().toISOString()
    await deps.curation.commit({ settings: [{ key, value: enabled ? '1' : '0', at }], audit: [{ at, actor: c.get('account').email, action: 'source.enabled', target: `source:${id}`, before: { enabled: before }, after: { enabled } }] })
  }
  async function runNow(c: Context<Env>, id: string): Promise<RunOutcome> {
    if (!deps.runSource) throw new NotFoundError('Relance indisponible / Re-run unavailable')
    await audit(c, 'source.run', `source:${id}`, null, { requestedAt: now().toISOString() })
    return deps.runSource(id)
  }
  app.put('/api/admin/sources/:id', async (c) => {
    const parsed = z.object({ enabled: z.boolean() }).strict().safeParse(await c.req.json().catch(() => null))
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    await setEnabled(c, c.req.param('id'), parsed.data.enabled)
    return c.json({ ok: true })
  })
  // The run's real outcome: 200 when it ended (ok only when every source succeeded), 202 while it
  // still runs (GET /api/admin/crawl/runs shows its end), 409 when another run holds the lease.
  app.post('/api/admin/sources/:id/run', async (c) => {
    const outcome = await runNow(c, c.req.param('id'))
    if (outcome.status === 'locked') throw new ConflictError('une collecte est déjà en cours : relance non lancée, réessayez quand elle sera finie')
    return c.json({ ok: outcome.status === 'ok', ...outcome }, outcome.status === 'running' ? 202 : 200)
  })
  app.post('/admin/sources/:id/enabled', async (c) => { const b = await c.req.parseBody(); await setEnabled(c, c.req.param('id'), b['enabled'] === '1'); return c.redirect('/admin/crawl', 303) })
  app.post('/admin/sources/:id/run', async (c) => {
    const id = c.req.param('id')
    const outcome = await runNow(c, id)
    const query = new URLSearchParams({ relance: outcome.status === 'locked' ? 'occupee' : (outcome.runId ?? ''), source: id })
    // A run that failed before being recorded (an unknown source): its reason goes in the address.
    if (outcome.status !== 'locked' && outcome.errors.length) query.set('erreur', outcome.errors[0]!.slice(0, 300))
    return c.redirect(`/admin/crawl?${query.toString()}`, 303)
  })

  // ---------- my account: change my password ----------
  const PasswordChangeSchema = z.object({ current: z.string().min(1, 'mot de passe actuel attendu').max(500), next: z.string().min(12, '12 caractères au moins').max(500) }).strict()
  /** Returns the CSRF token of the new session. */
  async function changeOwnPassword(c: Context<Env>, input: unknown): Promise<string> {
    const parsed = PasswordChangeSchema.safeParse(input)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const me = c.get('account')
    // The same limits as the login (a stolen session cannot guess the password faster).
    const checked = await attemptLogin(deps, c, me.email, parsed.data.current)
    if (!checked.ok && checked.reason === 'locked') throw new ValidationError([{ field: 'current', message: `trop d'échecs : réessayez dans ${checked.until ? waitText(checked.until, now()) : 'quelques minutes'}` }])
    if (!checked.ok) throw new ValidationError([{ field: 'current', message: 'mot de passe actuel incorrect' }])
    if (parsed.data.next === parsed.data.current) throw new ValidationError([{ field: 'next', message: 'le nouveau mot de passe doit être différent' }])
    const passwordHash = await deps.hasher.hash(parsed.data.next)
    const at = now().toISOString()
    await deps.curation.commit({ accountUpdates: [{ id: me.id, patch: { passwordHash } }], audit: [{ at, actor: me.email, action: 'account.password', target: `account:${me.email}`, before: null, after: null }] })
    // Every other session of this account ends; this one goes on under a new id.
    await deps.sessions.deleteForAccount(me.id)
    return openSession(deps, c, me)
  }
  app.post('/api/admin/me/password', async (c) => {
    return c.json({ ok: true, csrf: await changeOwnPassword(c, await c.req.json().catch(() => null)) })
  })
  app.get('/admin/compte', (c) => c.html(myAccountPage(c, {})))
  app.post('/admin/compte', async (c) => {
    const b = await c.req.parseBody()
    try {
      await changeOwnPassword(c, { current: typeof b['current'] === 'string' ? b['current'] : '', next: typeof b['next'] === 'string' ? b['next'] : '' })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return c.html(myAccountPage(c, Object.fromEntries(err.issues.map((i) => [i.field, i.message]))), 400)
    }
    return c.redirect('/admin/compte?enregistre=1', 303)
  })
  function myAccountPage(c: Context<Env>, errors: Record<string, string>) {
    const csrf = c.get('csrf')
    return (
      <Layout title="Mon compte" account={c.get('account')} csrf={csrf}>
        {c.req.query('enregistre') ? <p class="ok" role="status">Mot de passe changé. Vos autres sessions sont fermées.</p> : null}
        <p>{c.get('account').email} — {c.get('account').role === 'admin' ? 'administrateur' : 'éditeur'}</p>
        <form method="post" action="/admin/compte" class="card" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <Field name="current" label="Mot de passe actuel" type="password" value="" error={errors['current']} />
          <Field name="next" label="Nouveau mot de passe (12 caractères au moins)" type="password" value="" error={errors['next']} />
          <button type="submit">Changer le mot de passe</button>
        </form>
      </Layout>
    )
  }

  // ---------- accounts (admins) ----------
  async function createAccount(c: Context<Env>, input: unknown) {
    const parsed = AccountCreateSchema.safeParse(input)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    if (await deps.accounts.findByEmail(parsed.data.email)) throw new ValidationError([{ field: 'email', message: 'compte déjà existant' }])
    const passwordHash = await deps.hasher.hash(parsed.data.password)
    const at = now().toISOString()
    const id = globalThis.crypto.randomUUID()
    const email = parsed.data.email.trim().toLowerCase()
    await deps.curation.commit({
      accountCreates: [{ id, email, role: parsed.data.role, passwordHash, createdAt: at }],
      audit: [{ at, actor: c.get('account').email, action: 'account.create', target: `account:${email}`, before: null, after: { email, role: parsed.data.role } }],
    })
    return (await deps.accounts.get(id))!
  }
  async function updateAccount(c: Context<Env>, id: string, input: unknown) {
    const parsed = AccountPatchSchema.safeParse(input)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const before = await deps.accounts.get(id)
    if (!before) throw new NotFoundError('Compte inconnu / Unknown account', 'id')
    // Never leave the desk without an active administrator (nobody could manage accounts again but from the CLI).
    const losesAdmin = before.role === 'admin' && !before.disabled && (parsed.data.role === 'editor' || parsed.data.disabled === true)
    if (losesAdmin && (await deps.accounts.list()).filter((a) => a.role === 'admin' && !a.disabled).length <= 1) {
      throw new ValidationError([{ field: parsed.data.disabled ? 'disabled' : 'role', message: 'dernier administrateur actif : nommez-en un autre d\'abord' }])
    }
    const after = { ...before, ...parsed.data }
    const at = now().toISOString()
    await deps.curation.commit({
      accountUpdates: [{ id, patch: parsed.data }],
      audit: [{ at, actor: c.get('account').email, action: 'account.update', target: `account:${before.email}`, before: { role: before.role, disabled: before.disabled }, after: { role: after.role, disabled: after.disabled } }],
    })
    if (parsed.data.disabled) await deps.sessions.deleteForAccount(id)
    return (await deps.accounts.get(id))!
  }
  app.get('/api/admin/accounts', async (c) => c.json({ accounts: await deps.accounts.list() }))
  app.post('/api/admin/accounts', async (c) => c.json({ account: await createAccount(c, await c.req.json().catch(() => null)) }, 201))
  app.patch('/api/admin/accounts/:id', async (c) => c.json({ account: await updateAccount(c, c.req.param('id'), await c.req.json().catch(() => null)) }))
  /** A forgotten password: a random temporary one, shown once to the admin, every session of the account ended. */
  async function resetPassword(c: Context<Env>, id: string): Promise<{ account: Account; password: string }> {
    const account = await deps.accounts.get(id)
    if (!account) throw new NotFoundError('Compte inconnu / Unknown account', 'id')
    const password = randomToken(15)
    const passwordHash = await deps.hasher.hash(password)
    const at = now().toISOString()
    await deps.curation.commit({ accountUpdates: [{ id, patch: { passwordHash } }], audit: [{ at, actor: c.get('account').email, action: 'account.password_reset', target: `account:${account.email}`, before: null, after: null }] })
    await deps.sessions.deleteForAccount(id)
    await deps.throttle.reset(account.email, now())
    return { account, password }
  }
  app.post('/api/admin/accounts/:id/password', async (c) => c.json(await resetPassword(c, c.req.param('id'))))
  /** Clears an account's login failures and lock (its unlock links are revoked). */
  async function unlockAccount(c: Context<Env>, id: string): Promise<Account> {
    const account = await deps.accounts.get(id)
    if (!account) throw new NotFoundError('Compte inconnu / Unknown account', 'id')
    const before = await deps.throttle.accountState(account.email, now(), deps.limits ?? LOGIN_LIMITS)
    await deps.throttle.reset(account.email, now())
    await audit(c, 'account.unlock', `account:${account.email}`, { failures: before.failures, lockedUntil: before.lockedUntil?.toISOString() ?? null }, { via: 'admin' })
    return account
  }
  app.post('/api/admin/accounts/:id/unlock', async (c) => c.json({ account: await unlockAccount(c, c.req.param('id')) }))
  app.post('/admin/accounts/:id/unlock', async (c) => { await unlockAccount(c, c.req.param('id')); return c.redirect('/admin/accounts?enregistre=1', 303) })
  app.post('/admin/accounts/:id/password', async (c) => {
    const { account, password } = await resetPassword(c, c.req.param('id'))
    return c.html(await accountsPage(c, {}, undefined, undefined, { email: account.email, password }))
  })
  app.get('/admin/accounts', async (c) => c.html(await accountsPage(c)))
  app.post('/admin/accounts', async (c) => {
    const b = await c.req.parseBody()
    try {
      await createAccount(c, { email: b['email'], role: b['role'], password: b['password'] })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return c.html(await accountsPage(c, Object.fromEntries(err.issues.map((i) => [i.field, i.message])), undefined, { email: typeof b['email'] === 'string' ? b['email'] : '', role: typeof b['role'] === 'string' ? b['role'] : 'editor' }), 400)
    }
    return c.redirect('/admin/accounts', 303)
  })
  app.post('/admin/accounts/:id', async (c) => {
    const b = await c.req.parseBody()
    try {
      await updateAccount(c, c.req.param('id'), { ...(b['role'] ? { role: b['role'] } : {}), ...(b['disabled'] ? { disabled: b['disabled'] === '1' } : {}) })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return c.html(await accountsPage(c, {}, err.issues.map((i) => i.message).join(' ; ')), 400)
    }
    return c.redirect('/admin/accounts?enregistre=1', 303)
  })
  async function accountsPage(c: Context<Env>, errors: Record<string, string> = {}, refused?: string, typed: { email: string; role: string } = { email: '', role: 'editor' }, reset?: { email: string; password: string }) {
    const csrf = c.get('csrf')
    return (
      <Layout title="Comptes" account={c.get('account')} csrf={csrf}>
        {refused ? <div class="alert" role="alert" tabindex={-1} autofocus><p>Modification refusée : {refused}</p></div> : null}
        {c.req.query('enregistre') ? <p class="ok" role="status">Compte modifié.</p> : null}
        {reset ? (
          <div class="ok" role="status">
            <p>Mot de passe temporaire de {reset.email} (affiché une seule fois, à transmettre par un canal sûr ; ses sessions sont fermées) :</p>
            <p><code>{reset.password}</code></p>
            <p>La personne le remplace ensuite dans « Mon compte ».</p>
          </div>
        ) : null}
        <table><thead><tr><th scope="col">E-mail</th><th scope="col">Rôle</th><th scope="col">État</th><th scope="col">Actions</th></tr></thead>
          <tbody>{(await Promise.all((await deps.accounts.list()).map(async (a) => ({ a, lock: await deps.throttle.accountState(a.email, now(), deps.limits ?? LOGIN_LIMITS) })))).map(({ a, lock }: { a: Account; lock: { failures: number; lockedUntil?: Date } }) => (
            <tr><td>{a.email}</td><td>{a.role === 'admin' ? 'administrateur' : 'éditeur'}</td><td>{a.disabled ? 'désactivé' : 'actif'}{lock.lockedUntil ? ` — connexion bloquée jusqu'à ${parisTime(lock.lockedUntil)}` : lock.failures ? ` — ${lock.failures} échec${lock.failures > 1 ? 's' : ''} de connexion` : ''}</td>
              <td>
                {lock.failures ? <form method="post" action={`/admin/accounts/${a.id}/unlock`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary" aria-label={`Débloquer la connexion : ${a.email}`}>Débloquer</button></form> : null}
                <form method="post" action={`/admin/accounts/${a.id}`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="role" value={a.role === 'admin' ? 'editor' : 'admin'} /><button type="submit" class="secondary" aria-label={`${a.role === 'admin' ? 'Rendre éditeur' : 'Rendre administrateur'} : ${a.email}`}>{a.role === 'admin' ? 'Rendre éditeur' : 'Rendre administrateur'}</button></form>
                <form method="post" action={`/admin/accounts/${a.id}`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="disabled" value={a.disabled ? '0' : '1'} /><button type="submit" class="secondary" aria-label={`${a.disabled ? 'Réactiver' : 'Désactiver'} : ${a.email}`}>{a.disabled ? 'Réactiver' : 'Désactiver'}</button></form>
                <form method="post" action={`/admin/accounts/${a.id}/password`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary" aria-label={`Réinitialiser le mot de passe : ${a.email}`}>Réinitialiser le mot de passe</button></form>
              </td></tr>))}
          </tbody></table>
        <h2>Nouveau compte</h2>
        <form method="post" action="/admin/accounts" class="card" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <Field name="email" label="E-mail" type="email" value={typed.email} error={errors['email']} />
          <div><label for="f-role">Rôle</label><select id="f-role" name="role"><option value="editor" selected={typed.role !== 'admin'}>éditeur</option><option value="admin" selected={typed.role === 'admin'}>administrateur</option></select></div>
          <Field name="password" label="Mot de passe (12 caractères au moins)" type="password" value="" error={errors['password']} />
          <button type="submit">Créer</button>
        </form>
      </Layout>
    )
  }

  const kit = { now, audit, reindex: deps.reindex, requireAdmin: adminOnly }
  for (const m of deps.modules ?? []) m(app, kit)

  importExportModule({ ...deps, ...(deps.pageSourceExports ? { pageSources: deps.pageSourceExports } : {}) })(app, kit)

  return app
}

function AuditTable({ entries }: { entries: Awaited<ReturnType<AuditLog['list']>> }) {
  return (
    <table>
      <thead><tr><th scope="col">Quand</th><th scope="col">Qui</th><th scope="col">Action</th><th scope="col">Objet</th><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>
      <tbody>{entries.map((e) => <tr><td>{e.at}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td><td><Json value={e.before} /></td><td><Json value={e.after} /></td></tr>)}</tbody>
    </table>
  )
}

/** « Trop d'échecs pour ce compte : réessayez dans 4 minutes (à 9 h 07). » */
function lockedMessage(outcome: Extract<LoginOutcome, { ok: false }>, now: Date): string {
  const where = outcome.by === 'address' ? 'depuis votre adresse' : 'pour ce compte'
  return outcome.until ? `Trop d'échecs ${where} : réessayez dans ${waitText(outcome.until, now)} (à ${parisTime(outcome.until)})` : `Trop d'échecs ${where} : réessayez plus tard`
}

function loginPage(token: string, error?: string, minutesText?: string) {
  const minutes = Number(minutesText)
  const wait = Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440 ? `${minutes} minute${minutes > 1 ? 's' : ''}` : 'quelques minutes'
  const message = error === 'bloque'
    ? `Trop d'échecs : connexion refusée pour l'instant, réessayez dans ${wait}. Si c'est votre compte qui est bloqué, un lien pour le débloquer a été envoyé à son adresse e-mail.`
    : error ? 'Identifiants invalides.' : undefined
  return (
    <Layout title="Connexion">
      {message ? <p class="alert" role="alert" id="login-error">{message}</p> : null}
      <form method="post" action="/admin/login" class="card">
        <input type="hidden" name="_csrf" value={token} />
        <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required aria-describedby={message ? 'login-error' : undefined} />
        <label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Se connecter</button>
      </form>
      <p class="hint">Mot de passe oublié ? Un administrateur de Guichet peut le réinitialiser (page « Comptes »).</p>
    </Layout>
  )
}

type UnlockView = { status: 'live'; token: string } | { status: 'unlocked' | 'used' | 'expired' | 'unknown' | 'missing' }
function unlockPage(view: UnlockView) {
  const text: Record<Exclude<UnlockView['status'], 'live'>, string> = {
    unlocked: 'Votre compte est débloqué. Ce lien ne vous connecte pas : connectez-vous avec votre mot de passe.',
    used: 'Ce lien a déjà servi : il ne vaut qu\'une fois. Si le compte est de nouveau bloqué, un nouveau lien est envoyé par e-mail.',
    expired: 'Ce lien a expiré (il vaut une heure). Si le compte est encore bloqué, attendez la fin du blocage ou demandez à un administrateur de le lever.',
    unknown: 'Ce lien n\'est pas valide. Vérifiez qu\'il a été copié en entier.',
    missing: 'Lien incomplet : le paramètre « token » manque.',
  }
  return (
    <Layout title="Débloquer mon compte">
      {view.status === 'live' ? (
        <form method="post" action="/admin/unlock" class="card">
          <p>Ce lien lève le blocage de connexion de votre compte (une seule fois). Il ne vous connecte pas.</p>
          <input type="hidden" name="token" value={view.token} />
          <button type="submit">Débloquer mon compte</button>
        </form>
      ) : (
        <p class={view.status === 'unlocked' ? 'ok' : 'alert'} role={view.status === 'unlocked' ? 'status' : 'alert'}>{text[view.status]}</p>
      )}
      <p><a href="/admin/login">Page de connexion</a></p>
    </Layout>
  )
}

function sourceOf(p: Programme): string {
  return p.provenance.kind === 'curated' ? 'curated' : p.provenance.sourceId
}

function strip(o: ProgrammeOverride) {
  return { patch: o.patch, hidden: o.hidden, verifiedBy: o.verifiedBy, verifiedAt: o.verifiedAt }
}

/** The errors of a failed form, each linked to its input. */
function ErrorSummary({ errors, title }: { errors: Record<string, string>; title: string }) {
  const entries = Object.entries(errors)
  if (!entries.length) return null
  return (
    <div class="alert" role="alert" tabindex={-1} id="erreurs" autofocus>
      <h2>{title}</h2>
      <ul>{entries.map(([f, m]) => <li><a href={`#f-${f}`}>{m}</a></li>)}</ul>
    </div>
  )
}

/** The starting point of the creation form (only defaults; every fact comes from the editor). */
const BLANK: Programme = {
  id: 'nouveau', name: '-', funders: ['-'], level: 'national', instruments: ['grant'], summary: '-', themes: ['equipements_publics'], keywords: [],
  eligibility: { applicants: ['commune'], population: [], excludedClosedLists: [], conditions: [], admitted: [], prerequisites: [] },
  aid: {}, calendar: { kind: 'permanent', editions: [] }, adopted: true, examples: [], links: { official: 'https://exemple.invalid/' }, provenance: { kind: 'curated', sources: ['https://exemple.invalid/'] }, uncertain: [],
}

const RULE_LABELS: Record<RuleName, string> = {
  availability: 'disponibilité', applicant: 'type de porteur', epciKind: 'catégorie d\'EPCI', syndicatKind: 'type de syndicat', territory: 'territoire',
  population: 'population', closedList: 'liste fermée', partnerCountry: 'pays partenaire', partners: 'partenariat', stage: 'étape du projet',
  scope: 'champ du projet', budget: 'coût du projet', prerequisite: 'prérequis',
}
const EXPECT_LABELS = { eligible: 'éligible', unknown: 'à confirmer', ineligible: 'écarté' } as const

/** The availability on the server's today, in French (a partial suspension names its themes and what holds otherwise). */
function AvailabilityLine({ a, today, unsaved = false }: { a: Availability; today: string; unsaved?: boolean }) {
  return (
    <span><strong>Disponibilité au {today}{unsaved ? ' (fiche modifiée)' : ''} :</strong> {AVAILABILITY_LABELS[a.status]} — {a.text}
      {a.onlyFor ? <> (seulement pour : {a.onlyFor.map((t) => THEMES[t].label).join(', ')} ; sinon : {AVAILABILITY_LABELS[a.otherwise!.status]} — {a.otherwise!.text})</> : null}
    </span>
  )
}

/** A programme's examples replayed through the evaluator, with whether each holds, and the rules its examples leave uncovered. */
function ExamplesTable({ runs, coverage: cov }: { runs: { about: string; date: string; expect: 'eligible' | 'unknown' | 'ineligible'; rule: RuleName | null; status: 'eligible' | 'unknown' | 'ineligible' | null; ok: boolean; problem: string | null }[]; coverage: { rule: RuleName; positive: boolean; negative: boolean }[] }) {
  const failing = runs.filter((r) => !r.ok).length
  const noPass = cov.filter((x) => !x.positive).map((x) => RULE_LABELS[x.rule])
  const noFail = cov.filter((x) => !x.negative).map((x) => RULE_LABELS[x.rule])
  return (
    <>
      <p role="status">{runs.length ? `${runs.length} exemple(s) : ${runs.length - failing} tiennent, ${failing} ne tiennent pas.` : 'Aucun exemple : ajoutez-en dans le champ « Exemples (YAML) ».'}</p>
      {runs.length ? (
        <table>
          <caption class="sr">Exemples du programme</caption>
          <thead><tr><th scope="col">Cas</th><th scope="col">Date</th><th scope="col">Attendu</th><th scope="col">Obtenu</th><th scope="col">Résultat</th></tr></thead>
          <tbody>{runs.map((r) => (
            <tr class={r.ok ? undefined : 'diff-del'}>
              <td>{r.about}</td><td>{r.date}</td>
              <td>{EXPECT_LABELS[r.expect]}{r.rule ? ` (règle : ${RULE_LABELS[r.rule]})` : ''}</td>
              <td>{r.status ? EXPECT_LABELS[r.status] : '—'}</td>
              <td>{r.ok ? 'tient' : <strong class="error">ne tient pas : {r.problem}</strong>}</td>
            </tr>
          ))}</tbody>
        </table>
      ) : null}
      <h3>Couverture des règles</h3>
      {cov.length && !noPass.length && !noFail.length ? <p>Chaque règle décidable a un exemple qui la passe et un exemple qu'elle écarte.</p> : (
        <ul>
          <li>Règles sans exemple qui les passe : {noPass.length ? noPass.join(', ') : 'aucune'}</li>
          <li>Règles sans exemple écarté par elles : {noFail.length ? noFail.join(', ') : 'aucune'}</li>
        </ul>
      )}
    </>
  )
}

/** The programme as the widget and Teams show it in a result list (without a collectivité's profile). */
function ProgrammePreview({ item, availability: a, today }: { item: ReturnType<Matcher['present']>; availability: Availability; today: string }) {
  const cal = item.calendar
  return (
    <div class="card" aria-label="Aperçu">
      <h3>{item.shortName && !item.name.includes(item.shortName) ? `${item.name} (${item.shortName})` : item.name}</h3>
      <p class="hint">{item.funders.join(', ')} · {LEVEL_LABELS[item.level]}</p>
      <p>{item.summary}</p>
      <p><strong>Calendrier :</strong> {cal.label}{cal.daysLeft !== undefined && cal.status === 'open' ? ` (J-${cal.daysLeft})` : ''}{cal.estimated ? ' — estimation, à confirmer' : ''}</p>
      <p><AvailabilityLine a={a} today={today} /></p>
      <p><strong>Aide :</strong> {item.aid.label ?? 'non précisée'}{item.aid.uncertain ? ' (à confirmer)' : ''}</p>
      {item.eligibility.toCheck.length ? <ul>{item.eligibility.toCheck.map((t) => <li>À vérifier : {t}</li>)}</ul> : null}
      {item.uncertain.length ? <ul>{item.uncertain.map((u) => <li>Incertain ({u.field}) : {u.note}</li>)}</ul> : null}
      <p><a href={item.url} rel="noopener noreferrer">Page officielle</a>{item.applyUrl ? <> · <a href={item.applyUrl} rel="noopener noreferrer">Déposer un dossier</a></> : null}</p>
    </div>
  )
}

/**
 * The version of a programme's override, for optimistic concurrency: a hash of everything stored
 * (two saves within the same millisecond, or under a fixed clock, still differ). '' = no override yet.
 */
export function versionOf(o: ProgrammeOverride | undefined): string {
  if (!o) return ''
  const text = JSON.stringify([o.patch, o.hidden, o.verifiedBy, o.verifiedAt, o.updatedBy, o.updatedAt])
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 0x01000193)
    h2 = Math.imul(h2 ^ ch, 0x5bd1e995)
  }
  return `${(h1 >>> 0).toString(36)}${(h2 >>> 0).toString(36)}`
}
