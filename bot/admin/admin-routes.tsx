/** @jsxImportSource hono/jsx */
// The admin desk: /admin (French pages, server-rendered) and /api/admin/... (JSON), one
// session + CSRF guard for both. Editors curate programmes (overrides, hide, verify); admins
// also manage accounts and crawl sources. Every change lands in the audit log.
import { Hono, type Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { stringify } from 'yaml'
import { z } from 'zod'
import type { Catalogue } from '../../content/catalogue.ts'
import type { Clock } from '../../core/clock.ts'
import { NotFoundError, ValidationError, zodIssues } from '../../core/errors.ts'
import type { Logger } from '../../core/logger.ts'
import type { Matcher } from '../../core/matching.ts'
import { LEVELS, LEVEL_LABELS, type Programme } from '../../core/programme.ts'
import type { CrawlStore } from '../../crawler/crawl-store.ts'
import { errorResponse } from '../http-errors.ts'
import { attemptLogin, closeSession, cookieOptions, LOGIN_COOKIE, openSession, randomToken, requireRole, requireSession, sameToken, type AuthDeps } from './auth.ts'
import { applyOverride, validatePatch } from './overrides.ts'
import { ROLES, type Account, type AuditLog, type OverridePatch, type OverrideStore, type ProgrammeOverride, type SettingsStore } from './ports.ts'
import { Field, Json, Layout } from './views.tsx'
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
  matcher: Pick<Matcher, 'present'>
  /** Rebuilds catalogue + index (overrides applied); called after every programme change. */
  reindex: () => Promise<void>
  crawl?: Pick<CrawlStore, 'listRuns' | 'allRows' | 'sourceStates'>
  catalogueIdOf?: (id: string) => string
  /** Runs one source now (the crawler); absent = no button. */
  runSource?: (sourceId: string) => Promise<void>
  /** Known source ids (for the enable/disable switches). */
  sourceIds?: () => readonly string[]
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
})

export function adminRoutes(deps: AdminDeps): Hono<Env> {
  const app = new Hono<Env>()
  const guard = requireSession(deps)
  const adminOnly = requireRole('admin')
  app.onError((err, c) => errorResponse(c, err, deps.logger))
  const now = () => deps.clock.now()
  const audit = (c: Context<Env>, action: string, target: string, before: unknown, after: unknown) =>
    deps.audit.record({ at: now().toISOString(), actor: c.get('account').email, action, target, before, after })

  // ---------- public: login ----------
  app.get('/admin/login', (c) => {
    const token = randomToken()
    setCookie(c, LOGIN_COOKIE, token, cookieOptions(c, deps.publicUrl, 3600))
    return c.html(loginPage(token, c.req.query('erreur')))
  })
  app.post('/admin/login', async (c) => {
    const body = await c.req.parseBody()
    if (!sameToken(typeof body['_csrf'] === 'string' ? body['_csrf'] : undefined, getCookie(c, LOGIN_COOKIE))) return c.json({ error: { code: 'csrf', message: 'Jeton CSRF invalide / Invalid CSRF token' } }, 403)
    const parsed = LoginSchema.safeParse(body)
    if (!parsed.success) return c.redirect('/admin/login?erreur=invalide', 303)
    const outcome = await attemptLogin(deps, c, parsed.data.email, parsed.data.password)
    if (!outcome.ok) {
      await deps.audit.record({ at: now().toISOString(), actor: parsed.data.email, action: `login.${outcome.reason}`, target: 'session', before: null, after: null })
      return c.redirect(`/admin/login?erreur=${outcome.reason === 'locked' ? 'bloque' : 'invalide'}`, 303)
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
      return outcome.reason === 'locked'
        ? c.json({ error: { code: 'locked', message: 'Compte ou adresse bloqué(e) après trop d\'échecs : réessayez dans 15 minutes / Locked', until: outcome.until?.toISOString() } }, 429)
        : c.json({ error: { code: 'invalid_credentials', message: 'Identifiants invalides / Invalid credentials' } }, 401)
    }
    const csrf = await openSession(deps, c, outcome.account)
    await deps.audit.record({ at: now().toISOString(), actor: outcome.account.email, action: 'login', target: 'session', before: null, after: null })
    return c.json({ account: outcome.account, csrf })
  })

  // ---------- everything else needs a session ----------
  app.use('/admin', guard)
  app.use('/admin/*', async (c, next) => (c.req.path === '/admin/login' ? next() : guard(c, next)))
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
  async function listing(query: Record<string, string>) {
    const f = FiltersSchema.parse(query)
    const overrides = new Map((await deps.overrides.all()).map((o) => [o.programmeId, o]))
    const q = f.q?.trim().toLowerCase()
    return deps.baseCatalogue().all().flatMap((base) => {
      const o = overrides.get(base.id)
      let p = base
      try { p = applyOverride(base, o) } catch { /* shown as base */ }
      const view = deps.matcher.present(p)
      const row = {
        id: p.id, name: p.name, level: p.level, source: sourceOf(p), status: view.calendar.status, closesAt: view.calendar.closesAt ?? null,
        stale: p.uncertain.some((u) => u.field === 'existence'), verifiedAt: p.verifiedAt ?? null, hidden: o?.hidden ?? false, overridden: !!o && Object.keys(o.patch).length > 0,
      }
      if (q && !`${p.id} ${p.name} ${p.shortName ?? ''} ${p.funders.join(' ')}`.toLowerCase().includes(q)) return []
      if (f.source && row.source !== f.source) return []
      if (f.level && row.level !== f.level) return []
      if (f.status && row.status !== f.status) return []
      if (f.stale && !row.stale) return []
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
    const curated = deps.curated().find((p) => p.id === id) ?? null
    const idOf = deps.catalogueIdOf ?? ((x: string) => x)
    const crawled = deps.crawl ? (await deps.crawl.allRows()).filter((r) => !r.goneAt && idOf(r.programme.id) === id).map((r) => ({ sourceId: r.sourceId, lastSeen: r.lastSeen, stale: r.stale, programme: r.programme })) : []
    const effective = applyOverride(base, override)
    return { id, curated, crawled, base, override: override ?? null, effective, preview: deps.matcher.present(effective) }
  }

  async function saveOverride(c: Context<Env>, id: string, change: (o: ProgrammeOverride) => ProgrammeOverride, action: string) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const before = (await deps.overrides.get(id)) ?? { programmeId: id, patch: {}, hidden: false, verifiedBy: null, verifiedAt: null, updatedBy: '', updatedAt: '' }
    const after = { ...change(structuredClone(before)), updatedBy: c.get('account').email, updatedAt: now().toISOString() }
    await deps.overrides.put(after)
    await audit(c, action, `programme:${id}`, strip(before), strip(after))
    await deps.reindex()
    return after
  }

  /** Keeps only fields that differ from the base programme: equal values fall back to crawl/curated. */
  function minimalPatch(base: Programme, patch: OverridePatch): OverridePatch {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(patch)) {
      if (v === null ? (base as Record<string, unknown>)[k] !== undefined : JSON.stringify(v) !== JSON.stringify((base as Record<string, unknown>)[k])) out[k] = v
    }
    return out as OverridePatch
  }

  async function putPatch(c: Context<Env>, id: string, fields: Record<string, unknown>, replace: boolean) {
    const base = deps.baseCatalogue().get(id)
    if (!base) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const current = (await deps.overrides.get(id))?.patch ?? {}
    const combined = replace ? fields : { ...current, ...fields }
    const patch = minimalPatch(base, validatePatch(base, combined))
    return saveOverride(c, id, (o) => ({ ...o, patch }), 'programme.override')
  }

  app.get('/api/admin/programmes', async (c) => c.json({ programmes: await listing(c.req.query()) }))
  app.get('/api/admin/programmes/:id', async (c) => c.json(await detail(c.req.param('id'))))
  app.put('/api/admin/programmes/:id/override', async (c) => {
    const body = await c.req.json().catch(() => null)
    const parsed = z.object({ patch: z.record(z.string(), z.unknown()), replace: z.boolean().default(false) }).strict().safeParse(body)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const saved = await putPatch(c, c.req.param('id'), parsed.data.patch, parsed.data.replace)
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
    const rows = await listing(query)
    const sources = [...new Set(deps.baseCatalogue().all().map(sourceOf))].sort()
    return c.html(
      <Layout title="Programmes" account={c.get('account')} csrf={c.get('csrf')}>
        <form method="get" action="/admin" class="filters" role="search" aria-label="Filtrer les programmes">
          <div><label for="q">Rechercher</label><input id="q" name="q" type="search" value={query['q'] ?? ''} /></div>
          <div><label for="source">Source</label><select id="source" name="source"><option value="">Toutes</option>{sources.map((s) => <option value={s} selected={query['source'] === s}>{s}</option>)}</select></div>
          <div><label for="level">Niveau</label><select id="level" name="level"><option value="">Tous</option>{LEVELS.map((l) => <option value={l} selected={query['level'] === l}>{LEVEL_LABELS[l]}</option>)}</select></div>
          <div><label for="status">Calendrier</label><select id="status" name="status"><option value="">Tous</option>{['open', 'upcoming', 'closed', 'permanent', 'ended', 'unknown', 'expected'].map((s) => <option value={s} selected={query['status'] === s}>{s}</option>)}</select></div>
          <div><label><input type="checkbox" name="stale" value="1" checked={!!query['stale']} /> Périmés</label></div>
          <div><label><input type="checkbox" name="unverified" value="1" checked={!!query['unverified']} /> Non vérifiés</label></div>
          <div><label for="hidden">Masqués</label><select id="hidden" name="hidden"><option value="">Tous</option><option value="1" selected={query['hidden'] === '1'}>Masqués</option><option value="0" selected={query['hidden'] === '0'}>Publiés</option></select></div>
          <div><button type="submit">Filtrer</button></div>
        </form>
        <p role="status">{rows.length} programme(s)</p>
        <table>
          <caption class="sr">Programmes</caption>
          <thead><tr><th scope="col">Programme</th><th scope="col">Source</th><th scope="col">Niveau</th><th scope="col">Calendrier</th><th scope="col">État</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td><a href={`/admin/programmes/${encodeURIComponent(r.id)}`}>{r.name}</a><br /><small>{r.id}</small></td>
                <td>{r.source}</td><td>{LEVEL_LABELS[r.level]}</td><td>{r.status}{r.closesAt ? ` — clôture ${r.closesAt}` : ''}</td>
                <td>{[r.hidden ? 'masqué' : 'publié', r.overridden ? 'modifié' : '', r.stale ? 'périmé' : '', r.verifiedAt ? `vérifié le ${r.verifiedAt}` : 'non vérifié'].filter(Boolean).join(' · ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    )
  })

  app.get('/admin/programmes/:id', async (c) => c.html(await programmePage(c, await detail(c.req.param('id')))))
  app.post('/admin/programmes/:id', async (c) => {
    const id = c.req.param('id')
    const d = await detail(id)
    const body = await c.req.parseBody()
    const form = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string')) as Record<string, string>
    try {
      await putPatch(c, id, formToPatch(d.effective, form), false)
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const errors: Record<string, string> = {}
      for (const i of err.issues) errors[formFieldOf(i.field)] ??= `${i.field} : ${i.message}`
      return c.html(await programmePage(c, d, { values: form, errors }), 400)
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

  async function programmePage(c: Context<Env>, d: Awaited<ReturnType<typeof detail>>, failed?: { values: Record<string, string>; errors: Record<string, string> }) {
    const v = failed?.values ?? patchToForm(d.effective)
    const e = failed?.errors ?? {}
    const history = await deps.audit.list({ target: `programme:${d.id}`, limit: 20 })
    const csrf = c.get('csrf')
    const fields = ['name', 'summary', 'themes', 'calendar', 'aid', 'links', 'eligibility'] as const
    return (
      <Layout title={d.effective.name} account={c.get('account')} csrf={csrf}>
        {c.req.query('enregistre') ? <p class="ok" role="status">Modification enregistrée.</p> : null}
        {failed ? <div class="alert" role="alert" tabindex={-1} id="erreurs"><h2>La fiche n'a pas été enregistrée</h2><ul>{Object.entries(e).map(([f, m]) => <li><a href={`#f-${f}`}>{m}</a></li>)}</ul></div> : null}
        <p>Identifiant <code>{d.id}</code> · source {sourceOf(d.base)} · {d.override?.hidden ? 'masqué' : 'publié'} · {d.override?.verifiedAt ? `vérifié par ${d.override.verifiedBy} le ${d.override.verifiedAt.slice(0, 10)}` : d.effective.verifiedAt ? `vérifié le ${d.effective.verifiedAt}` : 'non vérifié'}</p>
        <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/hide`} style="display:inline">
          <input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="hidden" value={d.override?.hidden ? '0' : '1'} />
          <button type="submit" class="secondary">{d.override?.hidden ? 'Republier' : 'Masquer (dépublier)'}</button>
        </form>
        <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/verify`} style="display:inline">
          <input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary">Marquer comme vérifié</button>
        </form>

        <h2>Modifier</h2>
        <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}`} class="card" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <div class="grid">
            <Field name="name" label="Nom" value={v['name'] ?? ''} error={e['name']} />
            <Field name="shortName" label="Nom court" value={v['shortName'] ?? ''} error={e['shortName']} />
            <Field name="themes" label="Thèmes" hint="identifiants séparés par des virgules" value={v['themes'] ?? ''} error={e['themes']} />
          </div>
          <Field name="summary" label="Résumé" value={v['summary'] ?? ''} error={e['summary']} multiline />
          <fieldset><legend>Calendrier (dernière édition)</legend>
            <div class="grid">
              <div><label for="f-calendarKind">Type</label><select id="f-calendarKind" name="calendarKind" aria-describedby={e['calendarKind'] ? 'f-calendarKind-error' : undefined}>{['permanent', 'oneOff', 'recurring', 'ended'].map((k) => <option value={k} selected={v['calendarKind'] === k}>{k}</option>)}</select>{e['calendarKind'] ? <p id="f-calendarKind-error" class="error">{e['calendarKind']}</p> : null}</div>
              <Field name="editionLabel" label="Édition" value={v['editionLabel'] ?? ''} error={e['editionLabel']} />
              <Field name="opensAt" label="Ouverture" hint="AAAA-MM-JJ" value={v['opensAt'] ?? ''} error={e['opensAt']} />
              <Field name="deadlines" label="Dates limites" hint="AAAA-MM-JJ, séparées par des virgules" value={v['deadlines'] ?? ''} error={e['deadlines']} />
            </div>
            <Field name="calendarNote" label="Note de calendrier" value={v['calendarNote'] ?? ''} error={e['calendarNote']} />
          </fieldset>
          <fieldset><legend>Aide</legend>
            <div class="grid">
              <Field name="rateMin" label="Taux min. (%)" value={v['rateMin'] ?? ''} error={e['rateMin']} />
              <Field name="rateMax" label="Taux max. (%)" value={v['rateMax'] ?? ''} error={e['rateMax']} />
              <Field name="amountMin" label="Montant min. (€)" value={v['amountMin'] ?? ''} error={e['amountMin']} />
              <Field name="amountMax" label="Montant max. (€)" value={v['amountMax'] ?? ''} error={e['amountMax']} />
            </div>
            <Field name="aidNotes" label="Notes sur l'aide" value={v['aidNotes'] ?? ''} error={e['aidNotes']} />
          </fieldset>
          <fieldset><legend>Liens</legend>
            <div class="grid">
              <Field name="official" label="Page officielle" type="url" value={v['official'] ?? ''} error={e['official']} />
              <Field name="apply" label="Page de dépôt" type="url" value={v['apply'] ?? ''} error={e['apply']} />
            </div>
          </fieldset>
          <Field name="conditions" label="Conditions à vérifier" hint="une par ligne" value={v['conditions'] ?? ''} error={e['conditions']} multiline />
          <Field name="statusNote" label="Actualité du programme" value={v['statusNote'] ?? ''} error={e['statusNote']} />
          <button type="submit">Enregistrer</button>
        </form>

        <h2>Aperçu dans le bot</h2>
        <div class="card" aria-label="Aperçu">
          <h3>{d.preview.name}</h3>
          <p>{d.preview.summary}</p>
          <p><strong>Calendrier :</strong> {d.preview.calendar.label}</p>
          <p><strong>Aide :</strong> {d.preview.aid.label ?? 'non précisée'}</p>
          {d.preview.eligibility.toCheck.length ? <ul>{d.preview.eligibility.toCheck.map((t) => <li>À vérifier : {t}</li>)}</ul> : null}
        </div>

        <h2>Valeurs par origine</h2>
        <table>
          <thead><tr><th scope="col">Champ</th><th scope="col">Fichier curé</th><th scope="col">Modification admin</th><th scope="col">Collecte</th><th scope="col">Valeur publiée</th></tr></thead>
          <tbody>
            {fields.map((f) => (
              <tr>
                <th scope="row">{f}</th>
                <td><Json value={d.curated?.[f]} /></td>
                <td><Json value={d.override?.patch[f as keyof OverridePatch]} /></td>
                <td>{d.crawled.length ? d.crawled.map((r) => <div><small>{r.sourceId} (vu le {r.lastSeen.slice(0, 10)}{r.stale ? ', périmé' : ''})</small><Json value={r.programme[f]} /></div>) : '—'}</td>
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
  app.get('/api/admin/audit', async (c) => c.json({ entries: await deps.audit.list({ ...(c.req.query('target') ? { target: c.req.query('target')! } : {}), limit: 500 }) }))
  app.get('/admin/audit', async (c) => c.html(<Layout title="Journal des modifications" account={c.get('account')} csrf={c.get('csrf')}><AuditTable entries={await deps.audit.list({ limit: 500 })} /></Layout>))

  // ---------- crawl runs and sources ----------
  async function sourcesView() {
    const states = deps.crawl ? await deps.crawl.sourceStates() : []
    const ids = [...new Set([...(deps.sourceIds?.() ?? []), ...states.map((s) => s.sourceId)])].sort()
    return Promise.all(ids.map(async (id) => ({ sourceId: id, enabled: (await deps.settings.get(`source:${id}:enabled`)) !== '0', state: states.find((s) => s.sourceId === id) ?? null })))
  }
  app.get('/api/admin/crawl/runs', async (c) => c.json({ runs: deps.crawl ? await deps.crawl.listRuns(50) : [], sources: await sourcesView() }))
  app.get('/admin/crawl', async (c) => {
    const runs = deps.crawl ? await deps.crawl.listRuns(20) : []
    const sources = await sourcesView()
    const isAdmin = c.get('account').role === 'admin'
    const csrf = c.get('csrf')
    return c.html(
      <Layout title="Collectes" account={c.get('account')} csrf={csrf}>
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
          <div class="card"><h3>{r.startedAt} — {r.status} ({r.trigger})</h3>
            {r.errors.length ? <ul>{r.errors.map((e) => <li class="error">{e}</li>)}</ul> : null}
            <table><thead><tr><th scope="col">Source</th><th scope="col">Statut</th><th scope="col">Lues</th><th scope="col">Nouveaux</th><th scope="col">Modifiés</th><th scope="col">Inchangés</th><th scope="col">Disparus</th><th scope="col">Erreurs</th></tr></thead>
              <tbody>{r.sources.map((s) => <tr><td>{s.sourceId}</td><td>{s.status}</td><td>{s.programmes}</td><td>{s.new}</td><td>{s.updated}</td><td>{s.unchanged}</td><td>{s.gone}</td><td>{s.errors.join(' ; ') || '—'}</td></tr>)}</tbody></table>
          </div>
        ))}
      </Layout>,
    )
  })
  async function setEnabled(c: Context<Env>, id: string, enabled: boolean) {
    const key = `source:${id}:enabled`
    const before = (await deps.settings.get(key)) !== '0'
    await deps.settings.set(key, enabled ? '1' : '0', now())
    await audit(c, 'source.enabled', `source:${id}`, { enabled: before }, { enabled })
  }
  async function runNow(c: Context<Env>, id: string) {
    if (!deps.runSource) throw new NotFoundError('Relance indisponible / Re-run unavailable')
    await audit(c, 'source.run', `source:${id}`, null, { requestedAt: now().toISOString() })
    await deps.runSource(id)
  }
  app.put('/api/admin/sources/:id', async (c) => {
    const parsed = z.object({ enabled: z.boolean() }).strict().safeParse(await c.req.json().catch(() => null))
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    await setEnabled(c, c.req.param('id'), parsed.data.enabled)
    return c.json({ ok: true })
  })
  app.post('/api/admin/sources/:id/run', async (c) => { await runNow(c, c.req.param('id')); return c.json({ ok: true }) })
  app.post('/admin/sources/:id/enabled', async (c) => { const b = await c.req.parseBody(); await setEnabled(c, c.req.param('id'), b['enabled'] === '1'); return c.redirect('/admin/crawl', 303) })
  app.post('/admin/sources/:id/run', async (c) => { await runNow(c, c.req.param('id')); return c.redirect('/admin/crawl', 303) })

  // ---------- accounts (admins) ----------
  async function createAccount(c: Context<Env>, input: unknown) {
    const parsed = AccountCreateSchema.safeParse(input)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    if (await deps.accounts.findByEmail(parsed.data.email)) throw new ValidationError([{ field: 'email', message: 'compte déjà existant' }])
    const account = await deps.accounts.create({ email: parsed.data.email, role: parsed.data.role, passwordHash: await deps.hasher.hash(parsed.data.password), now: now() })
    await audit(c, 'account.create', `account:${account.email}`, null, { email: account.email, role: account.role })
    return account
  }
  async function updateAccount(c: Context<Env>, id: string, input: unknown) {
    const parsed = AccountPatchSchema.safeParse(input)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const before = await deps.accounts.get(id)
    if (!before) throw new NotFoundError('Compte inconnu / Unknown account', 'id')
    await deps.accounts.update(id, parsed.data)
    if (parsed.data.disabled) await deps.sessions.deleteForAccount(id)
    const after = await deps.accounts.get(id)
    await audit(c, 'account.update', `account:${before.email}`, { role: before.role, disabled: before.disabled }, { role: after!.role, disabled: after!.disabled })
    return after!
  }
  app.get('/api/admin/accounts', async (c) => c.json({ accounts: await deps.accounts.list() }))
  app.post('/api/admin/accounts', async (c) => c.json({ account: await createAccount(c, await c.req.json().catch(() => null)) }, 201))
  app.patch('/api/admin/accounts/:id', async (c) => c.json({ account: await updateAccount(c, c.req.param('id'), await c.req.json().catch(() => null)) }))
  app.get('/admin/accounts', async (c) => c.html(await accountsPage(c)))
  app.post('/admin/accounts', async (c) => {
    const b = await c.req.parseBody()
    try {
      await createAccount(c, { email: b['email'], role: b['role'], password: b['password'] })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      return c.html(await accountsPage(c, Object.fromEntries(err.issues.map((i) => [i.field, i.message]))), 400)
    }
    return c.redirect('/admin/accounts', 303)
  })
  app.post('/admin/accounts/:id', async (c) => {
    const b = await c.req.parseBody()
    await updateAccount(c, c.req.param('id'), { ...(b['role'] ? { role: b['role'] } : {}), ...(b['disabled'] ? { disabled: b['disabled'] === '1' } : {}) })
    return c.redirect('/admin/accounts', 303)
  })
  async function accountsPage(c: Context<Env>, errors: Record<string, string> = {}) {
    const csrf = c.get('csrf')
    return (
      <Layout title="Comptes" account={c.get('account')} csrf={csrf}>
        <table><thead><tr><th scope="col">E-mail</th><th scope="col">Rôle</th><th scope="col">État</th><th scope="col">Action</th></tr></thead>
          <tbody>{(await deps.accounts.list()).map((a: Account) => (
            <tr><td>{a.email}</td><td>{a.role}</td><td>{a.disabled ? 'désactivé' : 'actif'}</td>
              <td><form method="post" action={`/admin/accounts/${a.id}`}><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="disabled" value={a.disabled ? '0' : '1'} /><button type="submit" class="secondary">{a.disabled ? 'Réactiver' : 'Désactiver'}</button></form></td></tr>))}
          </tbody></table>
        <h2>Nouveau compte</h2>
        <form method="post" action="/admin/accounts" class="card" novalidate>
          <input type="hidden" name="_csrf" value={csrf} />
          <Field name="email" label="E-mail" type="email" value="" error={errors['email']} />
          <div><label for="f-role">Rôle</label><select id="f-role" name="role"><option value="editor">éditeur</option><option value="admin">administrateur</option></select></div>
          <Field name="password" label="Mot de passe (12 caractères au moins)" type="password" value="" error={errors['password']} />
          <button type="submit">Créer</button>
        </form>
      </Layout>
    )
  }

  const kit = { now, audit, reindex: deps.reindex, requireAdmin: adminOnly }
  for (const m of deps.modules ?? []) m(app, kit)

  // ---------- export ----------
  app.get('/api/admin/export', async (c) => {
    const overrides = new Map((await deps.overrides.all()).map((o) => [o.programmeId, o]))
    const docs = deps.curated().map((p) => {
      const o = overrides.get(p.id)
      let q = p
      try { q = applyOverride(p, o) } catch { /* keep file */ }
      return `# ${p.id}.yaml${o?.hidden ? ' (masqué dans Guichet)' : ''}\n${stringify(q, { lineWidth: 0 })}`
    })
    return c.body(docs.join('---\n'), 200, { 'content-type': 'application/yaml; charset=utf-8', 'content-disposition': 'attachment; filename="programmes.yaml"' })
  })

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

function loginPage(token: string, error?: string) {
  const message = error === 'bloque' ? 'Trop d\'échecs : connexion bloquée pendant 15 minutes.' : error ? 'Identifiants invalides.' : undefined
  return (
    <Layout title="Connexion">
      {message ? <p class="alert" role="alert" id="login-error">{message}</p> : null}
      <form method="post" action="/admin/login" class="card">
        <input type="hidden" name="_csrf" value={token} />
        <label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" required aria-describedby={message ? 'login-error' : undefined} />
        <label for="password">Mot de passe</label><input id="password" name="password" type="password" autocomplete="current-password" required />
        <button type="submit">Se connecter</button>
      </form>
    </Layout>
  )
}

function sourceOf(p: Programme): string {
  return p.provenance.kind === 'curated' ? 'curated' : p.provenance.sourceId
}

function strip(o: ProgrammeOverride) {
  return { patch: o.patch, hidden: o.hidden, verifiedBy: o.verifiedBy, verifiedAt: o.verifiedAt }
}

/** The form fields of a programme. */
export function patchToForm(p: Programme): Record<string, string> {
  const last = p.calendar.editions.at(-1)
  const num = (n: number | undefined) => (n === undefined ? '' : String(n))
  return {
    name: p.name, shortName: p.shortName ?? '', summary: p.summary, themes: p.themes.join(', '), calendarKind: p.calendar.kind,
    editionLabel: last?.label ?? '', opensAt: last?.opensAt ?? '', deadlines: (last?.deadlines ?? []).join(', '), calendarNote: p.calendar.note ?? '',
    rateMin: num(p.aid.rateMin), rateMax: num(p.aid.rateMax), amountMin: num(p.aid.amountMin), amountMax: num(p.aid.amountMax), aidNotes: p.aid.notes ?? '',
    official: p.links.official, apply: p.links.apply ?? '', conditions: p.eligibility.conditions.join('\n'), statusNote: p.statusNote ?? '',
  }
}

/** The form back into Programme fields (validated afterwards by the schema). */
export function formToPatch(p: Programme, f: Record<string, string>): Record<string, unknown> {
  const opt = (s: string | undefined) => (s && s.trim() ? s.trim() : undefined)
  const num = (s: string | undefined) => (s && s.trim() ? Number(s.replace(',', '.').replace(/\s/g, '')) : undefined)
  const list = (s: string | undefined, sep: RegExp) => (s ?? '').split(sep).map((x) => x.trim()).filter(Boolean)
  const editions = [...p.calendar.editions]
  const edition = { ...(opt(f['editionLabel']) ? { label: opt(f['editionLabel']) } : {}), ...(opt(f['opensAt']) ? { opensAt: opt(f['opensAt']) } : {}), deadlines: list(f['deadlines'], /[\s,;]+/), estimated: editions.at(-1)?.estimated ?? false }
  if (editions.length) editions[editions.length - 1] = edition
  else if (edition.deadlines.length || edition.opensAt) editions.push(edition)
  const drop = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
  return {
    name: f['name'] ?? '',
    shortName: opt(f['shortName']) ?? null,
    summary: f['summary'] ?? '',
    themes: list(f['themes'], /[\s,;]+/),
    calendar: drop({ ...p.calendar, kind: f['calendarKind'] || p.calendar.kind, editions, note: opt(f['calendarNote']) }),
    aid: drop({ rateMin: num(f['rateMin']), rateMax: num(f['rateMax']), amountMin: num(f['amountMin']), amountMax: num(f['amountMax']), notes: opt(f['aidNotes']) }),
    links: drop({ official: (f['official'] ?? '').trim(), apply: opt(f['apply']) }),
    eligibility: { ...p.eligibility, conditions: list(f['conditions'], /\r?\n/) },
    statusNote: opt(f['statusNote']) ?? null,
  }
}

/** A schema path (`calendar.editions.0.deadlines.1`) → the form input that edits it. */
export function formFieldOf(path: string): string {
  const [head, a, , c] = path.split('.')
  if (head === 'calendar') {
    if (a === 'editions') return c === 'opensAt' ? 'opensAt' : c === 'label' ? 'editionLabel' : 'deadlines'
    return a === 'note' ? 'calendarNote' : 'calendarKind'
  }
  if (head === 'aid') return a === 'notes' ? 'aidNotes' : a ?? 'aidNotes'
  if (head === 'links') return a === 'apply' ? 'apply' : 'official'
  if (head === 'eligibility') return 'conditions'
  return head ?? 'name'
}
