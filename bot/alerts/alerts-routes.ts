// The HTTP face of the alerts, as a Hono sub-app mounted by bot/app.ts:
//   POST   /api/subscriptions                      subscribe (JSON, strict, ≤ 8 KB)
//   GET    /api/subscriptions/:id?token=…          read (signed manage token); a browser (Accept: text/html
//                                                  without JSON) is sent to the management page (303)
//   DELETE /api/subscriptions/:id?token=…          erase
//   POST   /api/subscriptions/:id/webhook/confirm?token=…   send the webhook's confirmation challenge again
//   GET    /alerts/confirm?token=…                 double opt-in: a page with « Confirmer » (confirms nothing)
//   POST   /alerts/confirm                         confirms (form body: token)
//   GET    /alerts/:id/manage?token=…              the French management page; POST: its forms (manage-routes.ts)
//   GET    /alerts/unsubscribe?token=…             a page with a button
//   POST   /alerts/unsubscribe?token=…             RFC 8058 one-click (List-Unsubscribe=One-Click)
//   GET    /alerts/:id/calendar.ics?token=…        the subscription's ICS feed (Outlook can subscribe)
//   GET    /api/programmes/:id/calendar.ics        one programme's deadlines
//   GET    /feeds/new.atom?themes=&level=&region=&departement=   new programmes, Atom
// Validation errors are thrown (the app's error handler answers 400 naming the field); a bad
// token is a 403 here, never a hint of whether the subscription exists.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Catalogue } from '../../content/catalogue.ts'
import { parisDay, type Clock } from '../../core/clock.ts'
import { DEPARTEMENT_CODE } from '../../core/codes.ts'
import { evaluateEligibility } from '../../core/eligibility.ts'
import { NotFoundError, ValidationError, zodIssues } from '../../core/errors.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { LEVELS, type Programme } from '../../core/programme.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { evaluateCalendar } from '../../core/calendar.ts'
import type { AlertsService } from './alerts-service.ts'
import { BASELINE_DAY, type AlertsStore } from './alerts-store.ts'
import { buildAtomFeed, type FeedEntry } from './atom.ts'
import { programmeCalendar } from './ics.ts'
import type { LinkBuilder } from './links.ts'
import { managePagePath } from './links.ts'
import { manageRoutes } from './manage-routes.ts'
import { invalidLinkPage, unsubscribedPage, unsubscribeFormPage } from './pages.ts'
import { MAX_SUBSCRIPTION_BODY_BYTES, resolveCollectiviteCode, SubscriptionRequestSchema } from './subscription-request.ts'
import { readJsonBody } from '../read-json-body.ts'

export interface AlertsRoutesDeps {
  service: AlertsService
  store: AlertsStore
  links: LinkBuilder
  catalogue: () => Catalogue
  geography: Geography
  clock: Clock
  /** Base of the links in answers; empty = the request's origin. */
  publicUrl?: string
}

const FEED_LIMIT = 50

const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .max(1000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(40))

export const FeedQuerySchema = z
  .object({
    themes: csv(z.enum(THEME_IDS, { error: 'thème inconnu (voir GET /api/themes)' })).optional(),
    level: z.enum(LEVELS, { error: `niveau inconnu; valeurs admises : ${LEVELS.join(', ')}` }).optional(),
    region: z.string().trim().regex(/^\d{2,3}$/, 'code de région attendu (ex. 27)').optional(),
    departement: z.string().trim().toUpperCase().regex(DEPARTEMENT_CODE, 'code de département attendu (ex. 89)').optional(),
  })
  .strict()
  // One territory: with both, the région was silently ignored (and never checked).
  .superRefine((q, ctx) => {
    if (q.region !== undefined && q.departement !== undefined) ctx.addIssue({ code: 'custom', path: ['region'], message: 'un seul territoire à la fois (departement et region donnés)' })
  })

export function alertsRoutes(deps: AlertsRoutesDeps): Hono {
  const app = new Hono()
  subscriptionRoutes(app, deps)
  emailLinkRoutes(app, deps)
  manageRoutes(app, { service: deps.service, links: deps.links, catalogue: deps.catalogue, baseOf: (c) => baseOf(deps, c) })
  calendarRoutes(app, deps)
  feedRoutes(app, deps)
  return app
}

const baseOf = (deps: AlertsRoutesDeps, c: Context) => deps.publicUrl || new URL(c.req.url).origin
const forbidden = (c: Context) => c.json({ error: { code: 'forbidden', message: 'Lien invalide ou expiré : utilisez le lien reçu avec l\'abonnement. / Invalid or missing token' } }, 403)
const noStore = (c: Context) => c.header('Cache-Control', 'no-store')

/** /api/subscriptions: subscribe, read, erase, and the webhook's confirmation again. */
function subscriptionRoutes(app: Hono, deps: AlertsRoutesDeps): void {
  const { service, geography } = deps
  app.post('/api/subscriptions', async (c) => {
    const body = await readJsonBody(c, SubscriptionRequestSchema, { maxBytes: MAX_SUBSCRIPTION_BODY_BYTES })
    const profile = resolveCollectiviteCode(geography, body.collectivite)
    const created = await service.create(
      {
        profile,
        facts: body.applicantType ? { applicantType: body.applicantType } : {},
        ...(body.themes ? { themes: body.themes } : {}),
        ...(body.programmes ? { programmes: body.programmes } : {}),
        channels: body.channels,
        ...(body.leadTimes ? { leadTimes: body.leadTimes } : {}),
        ...(body.newCalls ? { newCalls: body.newCalls } : {}),
        source: 'api',
      },
      { baseUrl: baseOf(deps, c) },
    )
    noStore(c)
    return c.json(created, 201)
  })

  app.get('/api/subscriptions/:id', async (c) => {
    noStore(c)
    // A person following an older message's manage link in a browser gets the page, not JSON.
    const token = c.req.query('token')
    if (token && wantsHtml(c.req.header('accept'))) return c.redirect(managePagePath(c.req.param('id'), encodeURIComponent(token), baseOf(deps, c)), 303)
    const view = await service.view(c.req.param('id'), c.req.query('token'), { baseUrl: baseOf(deps, c) })
    return view ? c.json({ subscription: view }) : forbidden(c)
  })

  app.delete('/api/subscriptions/:id', async (c) => {
    noStore(c)
    const outcome = await service.erase(c.req.param('id'), c.req.query('token'))
    if (outcome === 'forbidden') return forbidden(c)
    return c.json({ deleted: outcome === 'erased' })
  })

  // The webhook's signed confirmation challenge, again (after fixing the receiver): 200 with where it stands.
  app.post('/api/subscriptions/:id/webhook/confirm', async (c) => {
    noStore(c)
    const outcome = await service.confirmWebhook(c.req.param('id'), c.req.query('token'), { baseUrl: baseOf(deps, c) })
    if (outcome === 'forbidden') return forbidden(c)
    return c.json({ webhookConfirmation: outcome })
  })
}

/** Whether an Accept header asks for HTML and not JSON (a browser's navigation). */
export function wantsHtml(accept: string | undefined): boolean {
  const a = (accept ?? '').toLowerCase()
  return a.includes('text/html') && !a.includes('application/json')
}

/** The unsubscribe links of the messages: a page with a button, and RFC 8058's one click. */
function emailLinkRoutes(app: Hono, deps: AlertsRoutesDeps): void {
  const { service } = deps
  app.get('/alerts/unsubscribe', async (c) => {
    noStore(c)
    const token = c.req.query('token')
    if (!token) return c.html(invalidLinkPage(), 400)
    return c.html(unsubscribeFormPage(`${baseOf(deps, c)}/alerts/unsubscribe?token=${encodeURIComponent(token)}`))
  })

  // RFC 8058: the mail client posts List-Unsubscribe=One-Click to the header's URL; the page's button posts the same.
  app.post('/alerts/unsubscribe', async (c) => {
    noStore(c)
    const outcome = await service.unsubscribe(c.req.query('token'))
    if (outcome === 'invalid') return c.html(invalidLinkPage(), 400)
    return c.html(unsubscribedPage(outcome === 'already_unsubscribed'))
  })
}

/** The ICS feeds: a subscription's (signed token) and one programme's (public). */
function calendarRoutes(app: Hono, deps: AlertsRoutesDeps): void {
  const { service, catalogue, clock } = deps
  app.get('/alerts/:id/calendar.ics', async (c) => {
    const ics = await service.calendar(c.req.param('id'), c.req.query('token'))
    if (ics === undefined) return forbidden(c)
    return c.body(ics, 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': 'inline; filename="guichet-echeances.ics"', 'Cache-Control': 'private, max-age=3600' })
  })

  app.get('/api/programmes/:id/calendar.ics', (c) => {
    const id = c.req.param('id')
    const p = catalogue().get(id)
    if (!p) throw new NotFoundError(`Programme inconnu : « ${id} » / Unknown programme`, 'id')
    const now = clock.now()
    return c.body(programmeCalendar(p, parisDay(now), now), 200, { 'Content-Type': 'text/calendar; charset=utf-8', 'Content-Disposition': `attachment; filename="${p.id}.ics"`, 'Cache-Control': 'public, max-age=3600' })
  })
}

/** The Atom feed of new programmes, filtered by themes, level and one territory. */
function feedRoutes(app: Hono, deps: AlertsRoutesDeps): void {
  const { geography, clock } = deps
  app.get('/feeds/new.atom', async (c) => {
    const raw = Object.fromEntries(Object.entries(c.req.queries()).map(([k, v]) => [k, v.join(',')]).filter(([, v]) => v !== ''))
    const parsed = FeedQuerySchema.safeParse(raw)
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const q = parsed.data
    const territory = feedTerritory(geography, q)
    const now = clock.now()
    const entries = await newProgrammeEntries(deps, q, territory, parisDay(now))
    const base = baseOf(deps, c)
    const self = `${base}/feeds/new.atom${new URL(c.req.url).search}`
    const title = ['Guichet — nouveaux programmes', q.themes?.length ? q.themes.join(', ') : '', q.level ?? '', territory?.name ?? ''].filter(Boolean).join(' · ')
    return c.body(buildAtomFeed({ selfUrl: self, siteUrl: `${base}/`, title, entries: entries.slice(0, FEED_LIMIT), now }), 200, { 'Content-Type': 'application/atom+xml; charset=utf-8', 'Cache-Control': 'public, max-age=900' })
  })
}

/** The département or région the feed is asked for (ValidationError when unknown), or undefined. */
function feedTerritory(geography: Geography, q: z.infer<typeof FeedQuerySchema>): CollectiviteProfile | undefined {
  let territory: CollectiviteProfile | undefined
  if (q.departement) {
    territory = geography.departement(q.departement)
    if (!territory) throw new ValidationError([{ field: 'departement', message: `département inconnu : « ${q.departement} »` }])
  } else if (q.region) {
    territory = geography.region(q.region)
    if (!territory) throw new ValidationError([{ field: 'region', message: `région inconnue : « ${q.region} »` }])
  }
  return territory
}

/** The programmes that appeared by today and are not closed, matching the query, newest first. */
async function newProgrammeEntries(deps: AlertsRoutesDeps, q: z.infer<typeof FeedQuerySchema>, territory: CollectiviteProfile | undefined, today: string): Promise<FeedEntry[]> {
  const seen = await deps.store.seenProgrammes()
  const entries: FeedEntry[] = []
  for (const p of deps.catalogue().all()) {
    if (q.level && p.level !== q.level) continue
    if (q.themes?.length && !p.themes.some((t) => q.themes!.includes(t))) continue
    const day = appearedOn(p, seen.get(p.id))
    if (!day || day > today) continue
    const view = evaluateCalendar(p.calendar, today)
    if (view.status === 'closed') continue
    // The territory rule of the one evaluator, for the département or région asked.
    if (territory && evaluateEligibility(p, territory, {}, today).rules.some((r) => r.rule === 'territory' && r.outcome === 'fail')) continue
    entries.push({ programme: p, day, calendar: view.label })
  }
  entries.sort((a, b) => b.day.localeCompare(a.day) || a.programme.id.localeCompare(b.programme.id))
  return entries
}

/** The day a programme appeared: when the alerts first saw it, else when it was last verified or crawled. */
function appearedOn(p: Programme, firstSeen: string | undefined): string | undefined {
  if (firstSeen && firstSeen !== BASELINE_DAY) return firstSeen
  if (p.verifiedAt) return p.verifiedAt
  if (p.provenance.kind === 'crawled') return p.provenance.fetchedAt.slice(0, 10)
  return undefined
}
