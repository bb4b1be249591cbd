// The routes a person uses from the links of the alerts (mounted by alerts-routes.ts):
//   GET  /alerts/confirm?token=…      what the confirmation will confirm, and a « Confirmer » button
//   POST /alerts/confirm              confirms (form body: token) — a GET never does, so a mail
//                                     scanner fetching every link of the message confirms nothing
//   GET  /alerts/:id/manage?token=…   the management page (signed manage token)
//   POST /alerts/:id/manage           its forms (form body: token, action and the action's fields):
//                                     preferences, pause, resume, export (JSON download), erase
//                                     (asks first; erases with confirm=oui)
// Pages answer with the page again and a French message; a refused form is a 400 page naming the
// field; a bad token a 403 page (never a hint of whether the subscription exists).
//
// Cross-site requests (CSRF). The manage token is a capability: it is only in the link sent to
// the owner, never in a cookie, so the browser adds nothing on its own that another site could
// ride on. Every form posts it in its body (not in the action URL, which lands in logs and
// histories), and a POST without the right token changes nothing. On top of that, a POST the
// browser marks as sent from elsewhere — Sec-Fetch-Site other than same-origin or none, or an
// Origin whose host is not this server's — is refused before the body is read: a token that
// leaked into another page cannot be used from there through the owner's browser. Pages are
// served with Referrer-Policy: same-origin (the token never leaves in a Referer; same-origin
// forms still send their Origin) and a CSP with frame-ancestors 'none' (no clickjacking of
// the erase button). Clients sending neither header (curl, scripts) are judged by the token alone.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { ValidationError, zodIssues } from '../../core/errors.ts'
import { THEME_IDS } from '../../core/themes.ts'
import type { AlertsService } from './alerts-service.ts'
import type { LinkBuilder } from './links.ts'
import { managePagePath } from './links.ts'
import type { Managed } from './manage.ts'
import { forbiddenManagePage, MAX_LEAD_TIMES, unreadableFormPage, renderEraseConfirmPage, renderErasedPage, renderManagePage, type ManagePageProps, type PreferencesForm } from './manage-page.ts'
import type { Notice } from './page-layout.ts'
import { confirmedPage, confirmPromptPage, invalidLinkPage, unknownSubscriptionPage } from './pages.ts'
import { readLimited } from '../read-json-body.ts'
import { MAX_LEAD_DAYS, NEW_CALLS_FREQUENCIES, type Subscription } from './subscription.ts'
import type { Catalogue } from '../../content/catalogue.ts'

export interface ManageRoutesDeps {
  service: AlertsService
  links: LinkBuilder
  catalogue: () => Catalogue
  /** The base of the links for a request (the public URL, else the request's origin). */
  baseOf: (c: Context) => string
}

export const MAX_FORM_BYTES = 8192
export const MANAGE_ACTIONS = ['preferences', 'pause', 'resume', 'export', 'erase'] as const

const day = (field: string) =>
  z.string().trim().regex(/^\d{1,3}$/, `${field} : nombre entier de jours attendu`).transform(Number).pipe(z.number().min(1, `${field} : au moins 1 jour`).max(MAX_LEAD_DAYS, `${field} : au plus ${MAX_LEAD_DAYS} jours`))

/** The preferences form: themes and lead times are repeated boxes (absent = none), the rest single fields. */
export const PreferencesFormSchema = z
  .object({
    token: z.string(),
    action: z.literal('preferences'),
    themes: z.array(z.enum(THEME_IDS, { error: 'thème inconnu' })).max(THEME_IDS.length).default([]),
    leadTimes: z.array(day('rappel')).max(20, 'trop de rappels').default([]),
    leadTimeOther: z.union([z.literal('').transform(() => undefined), day('autre délai')]).optional(),
    newCalls: z.enum(NEW_CALLS_FREQUENCIES, { error: 'choisissez chaque jour, chaque semaine ou jamais' }),
  })
  .strict()
  .superRefine((f, ctx) => {
    const n = new Set([...f.leadTimes, ...(f.leadTimeOther ? [f.leadTimeOther] : [])]).size
    if (n === 0) ctx.addIssue({ code: 'custom', path: ['leadTimes'], message: 'cochez au moins un rappel (ou indiquez un autre délai)' })
    if (n > MAX_LEAD_TIMES) ctx.addIssue({ code: 'custom', path: ['leadTimes'], message: `au plus ${MAX_LEAD_TIMES} rappels` })
  })
const SimpleFormSchema = z.object({ token: z.string(), action: z.enum(['pause', 'resume', 'export']) }).strict()
const EraseFormSchema = z.object({ token: z.string(), action: z.literal('erase'), confirm: z.literal('oui', { error: 'confirm=oui attendu' }).optional() }).strict()
const ActionSchema = z.object({ action: z.enum(MANAGE_ACTIONS, { error: `action inconnue; valeurs admises : ${MANAGE_ACTIONS.join(', ')}` }) })

/** Fields that repeat (boxes): always lists. Any other repeated field stays a list, which its schema refuses. */
const LISTS = new Set(['themes', 'leadTimes'])

export function manageRoutes(app: Hono, deps: ManageRoutesDeps): void {
  confirmRoutes(app, deps)
  app.get('/alerts/:id/manage', async (c) => {
    pageHeaders(c, deps)
    const id = c.req.param('id')
    const token = c.req.query('token')
    return answerManaged(c, await deps.service.manage(id, token), async (s) => c.html(renderManagePage(await pageProps(c, deps, s, token!))))
  })
  app.post('/alerts/:id/manage', async (c) => {
    pageHeaders(c, deps)
    if (!sameOrigin(c, deps.baseOf(c))) return c.html(forbiddenManagePage('origin'), 403)
    const form = await readForm(c)
    if (form instanceof ValidationError) return c.html(unreadableFormPage(form), 400)
    const token = typeof form['token'] === 'string' ? form['token'] : undefined
    const id = c.req.param('id')
    const current = await deps.service.manage(id, token)
    if (typeof current === 'string') return answerManaged(c, current, () => c.body(null))
    const props = await pageProps(c, deps, current, token!)
    const action = ActionSchema.safeParse({ action: form['action'] })
    if (!action.success) return refused(c, props, zodIssues(action.error.issues)[0]!)
    return doAction(c, deps, props, action.data.action, form)
  })
}

/** GET explains, POST confirms: only a person's click on « Confirmer » confirms an address. */
function confirmRoutes(app: Hono, deps: ManageRoutesDeps): void {
  app.get('/alerts/confirm', async (c) => {
    pageHeaders(c, deps)
    const token = c.req.query('token')
    const { outcome, subscription } = await deps.service.confirmation(token)
    if (outcome === 'invalid') return c.html(invalidLinkPage(), 400)
    if (outcome === 'unknown') return c.html(unknownSubscriptionPage(), 404)
    if (outcome === 'already_confirmed') return c.html(confirmedPage(await deps.links.links(subscription!.id, deps.baseOf(c)), true))
    return c.html(confirmPromptPage(subscription!, token!, `${deps.baseOf(c)}/alerts/confirm`))
  })
  app.post('/alerts/confirm', async (c) => {
    pageHeaders(c, deps)
    if (!sameOrigin(c, deps.baseOf(c))) return c.html(forbiddenManagePage('origin'), 403)
    const form = await readForm(c)
    if (form instanceof ValidationError) return c.html(unreadableFormPage(form), 400)
    const token = typeof form['token'] === 'string' ? form['token'] : c.req.query('token')
    const { outcome, subscription } = await deps.service.confirm(token)
    if (outcome === 'invalid') return c.html(invalidLinkPage(), 400)
    if (outcome === 'unknown') return c.html(unknownSubscriptionPage(), 404)
    return c.html(confirmedPage(subscription ? await deps.links.links(subscription.id, deps.baseOf(c)) : undefined, outcome === 'already_confirmed'))
  })
}

async function doAction(c: Context, deps: ManageRoutesDeps, props: ManagePageProps, action: (typeof MANAGE_ACTIONS)[number], form: Record<string, string | string[]>): Promise<Response> {
  const { service } = deps
  const id = props.subscription.id
  const token = props.token
  if (action === 'preferences') {
    const parsed = PreferencesFormSchema.safeParse(form)
    if (!parsed.success) return refused(c, props, zodIssues(parsed.error.issues)[0]!, form)
    const f = parsed.data
    const leadTimes = [...f.leadTimes, ...(f.leadTimeOther ? [f.leadTimeOther] : [])]
    return answerManaged(c, await service.updatePreferences(id, token, { themes: f.themes, leadTimes, newCalls: f.newCalls }), (s) =>
      c.html(renderManagePage({ ...props, subscription: s, notice: { kind: 'ok', text: 'Vos préférences sont enregistrées.' } })),
    )
  }
  if (action === 'erase') {
    const parsed = EraseFormSchema.safeParse(form)
    if (!parsed.success) return refused(c, props, zodIssues(parsed.error.issues)[0]!)
    if (!parsed.data.confirm) return c.html(renderEraseConfirmPage(props))
    return answerManaged(c, await service.eraseWithReport(id, token), (report) => c.html(renderErasedPage(report)))
  }
  const parsed = SimpleFormSchema.safeParse(form)
  if (!parsed.success) return refused(c, props, zodIssues(parsed.error.issues)[0]!)
  if (action === 'export') {
    return answerManaged(c, await service.exportData(id, token), (data) =>
      c.body(JSON.stringify(data, null, 2), 200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Disposition': `attachment; filename="guichet-abonnement-${id}.json"` }),
    )
  }
  const paused = action === 'pause'
  const notice: Notice = paused ? { kind: 'ok', text: 'Vos alertes sont suspendues : rien ne vous sera envoyé jusqu\'à ce que vous les repreniez.' } : { kind: 'ok', text: 'Vos alertes reprennent : vous recevrez les rappels des dates limites à venir.' }
  return answerManaged(c, await service.setPaused(id, token, paused), (s) => c.html(renderManagePage({ ...props, subscription: s, notice })))
}

/** A refused form: the page again, 400, naming the field (and showing what was sent). */
function refused(c: Context, props: ManagePageProps, issue: { field: string; message: string }, form?: Record<string, string | string[]>): Response {
  const field = issue.field.split('.')[0] || 'body'
  const label: Record<string, string> = { themes: 'Thèmes', leadTimes: 'Rappels', leadTimeOther: 'Autre délai', newCalls: 'Nouveaux appels', action: 'action', confirm: 'confirm', token: 'token' }
  const sent: PreferencesForm | undefined = form
    ? { themes: list(form['themes']), leadTimes: list(form['leadTimes']), leadTimeOther: typeof form['leadTimeOther'] === 'string' ? form['leadTimeOther'] : '', newCalls: typeof form['newCalls'] === 'string' ? form['newCalls'] : '', error: { field, message: issue.message } }
    : undefined
  const text = `Rien n'a été modifié. Champ « ${label[field] ?? field} » (${field}) : ${issue.message}.`
  return c.html(renderManagePage({ ...props, notice: { kind: 'error', text }, ...(sent ? { form: sent } : {}) }), 400)
}

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v])

/** The 403 and 404 pages of a manage step, else `ok` with its value. */
function answerManaged<T>(c: Context, result: Managed<T>, ok: (value: T) => Response | Promise<Response>): Response | Promise<Response> {
  if (result === 'forbidden') return c.html(forbiddenManagePage('token'), 403)
  if (result === 'gone') return c.html(unknownSubscriptionPage(), 404)
  return ok(result)
}

async function pageProps(c: Context, deps: ManageRoutesDeps, s: Subscription, token: string): Promise<ManagePageProps> {
  const base = deps.baseOf(c)
  const cat = deps.catalogue()
  return {
    subscription: s,
    token,
    actionUrl: `${base}/alerts/${s.id}/manage`,
    pageUrl: managePagePath(s.id, token, base),
    icsUrl: (await deps.links.links(s.id, base)).icsUrl,
    programmeName: (id) => cat.get(id)?.name,
  }
}

/** A urlencoded form body within MAX_FORM_BYTES, as fields (repeated ones as lists); anything else is the ValidationError naming body. */
async function readForm(c: Context): Promise<Record<string, string | string[]> | ValidationError> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  const tooBig = () => new ValidationError([{ field: 'body', message: `formulaire limité à ${MAX_FORM_BYTES} octets` }])
  if (Number(c.req.header('content-length') ?? '0') > MAX_FORM_BYTES) return tooBig()
  let raw: string
  try {
    raw = await readLimited(c.req.raw, MAX_FORM_BYTES, tooBig)
  } catch (err) {
    if (err instanceof ValidationError) return err
    throw err
  }
  if (raw !== '' && type !== 'application/x-www-form-urlencoded') return new ValidationError([{ field: 'body', message: 'formulaire application/x-www-form-urlencoded attendu' }])
  const out: Record<string, string | string[]> = Object.create(null)
  for (const [k, v] of new URLSearchParams(raw)) {
    const had = out[k]
    if (had === undefined) out[k] = LISTS.has(k) ? [v] : v
    else out[k] = [...list(had), v]
  }
  return out
}

/** See the header: a request the browser says comes from another site is refused. */
export function sameOrigin(c: Context, base: string): boolean {
  const site = c.req.header('sec-fetch-site')
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false
  const origin = c.req.header('origin')
  if (origin === undefined) return true
  let host: string
  try {
    host = new URL(origin).host
  } catch {
    return false
  }
  const own = new Set([new URL(c.req.url).host, c.req.header('host') ?? ''])
  try {
    own.add(new URL(base).host)
  } catch {
    // no usable base: the request's own host only
  }
  return host !== '' && own.has(host)
}

function pageHeaders(c: Context, deps: ManageRoutesDeps): void {
  let formTargets = "'self'"
  try {
    formTargets += ` ${new URL(deps.baseOf(c)).origin}`
  } catch {
    // the request's origin is 'self'
  }
  c.header('Cache-Control', 'no-store')
  c.header('Referrer-Policy', 'same-origin')
  c.header('X-Robots-Tag', 'noindex')
  c.header('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action ${formTargets}; frame-ancestors 'none'; base-uri 'none'`)
}
