/** @jsxImportSource hono/jsx */
// The programmes of the admin desk, their routes: the listing (JSON and page), a programme's
// detail and page, overrides (edit, preview, hide, verify), creation of a curated programme, and
// merging duplicates. Bodies go through body.ts and the schemas below; the data side is
// programme-desk.ts and the pages programme-pages.tsx.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { ConflictError, ValidationError } from '../../core/errors.ts'
import type { AdminDeps } from './admin-deps.ts'
import { formFlag, formTrimmed, readAdminJson, readForm, readFormValues } from './body.ts'
import type { AdminEnv, AdminKit, AdminModule } from './kit.ts'
import { applyOverride, validatePatch } from '../../content/overrides.ts'
import { programmeDesk, sourceOf, type ProgrammeDetail } from './programme-desk.ts'
import { formErrors, formToProgrammeFields, programmeToForm, type FormValues } from './programme-form-map.ts'
import { BLANK, blankForm, NewProgrammePage, ProgrammeListPage, ProgrammePage, type FailedForm, type Viewer } from './programme-pages.tsx'

type Env = AdminEnv

const OverrideBody = z.object({ patch: z.record(z.string(), z.unknown()), replace: z.boolean().default(false), version: z.string().max(40).optional() }).strict()
const HideBody = z.object({ hidden: z.boolean() }).strict()
const MergeBody = z.object({ into: z.string().trim().min(1, 'identifiant du programme à conserver attendu') }).strict()
/** A programme to create: any JSON object (createProgramme validates it against the programme schema). */
const ProgrammeBody = z.custom<Record<string, unknown>>((v) => !!v && typeof v === 'object' && !Array.isArray(v), { message: 'objet JSON attendu (un programme)', path: ['(corps)'] })
const HideForm = z.object({ hidden: formFlag })
const MergeForm = z.object({ into: formTrimmed })

const viewerOf = (c: Context<Env>): Viewer => ({ account: c.get('account'), csrf: c.get('csrf') })
const savedUrl = (id: string) => `/admin/programmes/${encodeURIComponent(id)}?enregistre=1`

// Over 80 lines: the programmes' routes registered in one place (Hono matches in order), sharing the desk; each handler is short.
export function programmesModule(deps: AdminDeps): AdminModule {
  // Over 80 lines: as above, the registration of the module's routes.
  return (app: Hono<Env>, kit: AdminKit) => {
    const desk = programmeDesk(deps, kit)
    const { now } = kit
    /** A programme's page, with its history. */
    const page = async (c: Context<Env>, d: ProgrammeDetail, failed?: FailedForm, mergeErrors?: Record<string, string>) => {
      const history = await deps.audit.list({ target: `programme:${d.id}`, limit: 20 })
      return <ProgrammePage viewer={viewerOf(c)} saved={!!c.req.query('enregistre')} d={d} failed={failed} {...(mergeErrors ? { mergeErrors } : {})} history={history} />
    }

    app.get('/api/admin/programmes', async (c) => c.json(await desk.listingPage(c.req.query())))
    app.get('/api/admin/programmes/:id', async (c) => c.json(await desk.detail(c.req.param('id'))))
    app.put('/api/admin/programmes/:id/override', async (c) => {
      const body = await readAdminJson(c, OverrideBody)
      const saved = await desk.putPatch(c, c.req.param('id'), body.patch, body.replace, body.version)
      return c.json({ override: saved, programme: applyOverride(deps.baseCatalogue().get(saved.programmeId)!, saved) })
    })
    app.post('/api/admin/programmes/:id/hide', async (c) => {
      const { hidden } = await readAdminJson(c, HideBody)
      return c.json({ override: await desk.saveOverride(c, c.req.param('id'), (o) => ({ ...o, hidden }), hidden ? 'programme.hide' : 'programme.unhide') })
    })
    app.post('/api/admin/programmes/:id/verify', async (c) => {
      const who = c.get('account').email
      return c.json({ override: await desk.saveOverride(c, c.req.param('id'), (o) => ({ ...o, verifiedBy: who, verifiedAt: now().toISOString() }), 'programme.verify') })
    })

    app.get('/admin', async (c) => {
      const query = c.req.query()
      const listing = await desk.listingPage(query)
      const sources = [...new Set(deps.baseCatalogue().all().map(sourceOf))].sort()
      return c.html(<ProgrammeListPage viewer={viewerOf(c)} query={query} listing={listing} sources={sources} />)
    })

    app.get('/admin/programmes/:id', async (c) => c.html(await page(c, await desk.detail(c.req.param('id')))))
    app.post('/admin/programmes/:id', async (c) => {
      const id = c.req.param('id')
      const d = await desk.detail(id)
      const form = await readFormValues(c)
      const version = typeof form['_version'] === 'string' ? form['_version'] : undefined
      const action = form['_action']
      delete form['_version']
      delete form['_action']
      const typed = (): FormValues => ({ ...form, ...(version !== undefined ? { _version: version } : {}) })
      // A permanent scheme has no deadline: a date typed there would be silently ignored by the bot.
      const typedDeadlines = typeof form['deadlines'] === 'string' ? form['deadlines'].trim() : ''
      if (form['calendarKind'] === 'permanent' && typedDeadlines && typedDeadlines !== String(programmeToForm(d.effective)['deadlines'] ?? '')) {
        const errors = { deadlines: 'calendar.editions : un guichet permanent n\'a pas de date limite (le bot l\'ignorerait) : choisissez « appel unique » ou « appel récurrent »' }
        return c.html(await page(c, d, { values: typed(), errors }), 400)
      }
      if (action === 'preview') {
        // What the bot would show with these values: validated like a save, nothing written.
        try {
          const current = d.override?.patch ?? {}
          const patch = validatePatch(d.base, { ...current, ...formToProgrammeFields(d.effective, form) })
          const would = applyOverride(d.base, { patch, verifiedAt: d.override?.verifiedAt ?? null })
          return c.html(await page(c, { ...d, preview: deps.matcher.present(would), ...desk.checks(would) }, { values: typed(), errors: {}, previewing: true }))
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err
          return c.html(await page(c, d, { values: form, errors: formErrors(err.issues) }), 400)
        }
      }
      try {
        await desk.putPatch(c, id, formToProgrammeFields(d.effective, form), false, version)
      } catch (err) {
        if (err instanceof ConflictError) return c.html(await page(c, d, { values: form, errors: {}, conflict: err.message }), 409)
        if (!(err instanceof ValidationError)) throw err
        return c.html(await page(c, d, { values: form, errors: formErrors(err.issues) }), 400)
      }
      return c.redirect(savedUrl(id), 303)
    })
    app.post('/admin/programmes/:id/hide', async (c) => {
      const { hidden } = await readForm(c, HideForm)
      await desk.saveOverride(c, c.req.param('id'), (o) => ({ ...o, hidden }), hidden ? 'programme.hide' : 'programme.unhide')
      return c.redirect(savedUrl(c.req.param('id')), 303)
    })
    app.post('/admin/programmes/:id/verify', async (c) => {
      const who = c.get('account').email
      await desk.saveOverride(c, c.req.param('id'), (o) => ({ ...o, verifiedBy: who, verifiedAt: now().toISOString() }), 'programme.verify')
      return c.redirect(savedUrl(c.req.param('id')), 303)
    })

    // ---------- create a curated programme ----------
    app.post('/api/admin/programmes', async (c) => {
      return c.json({ programme: await desk.createProgramme(c, await readAdminJson(c, ProgrammeBody)) }, 201)
    })
    app.get('/admin/nouveau-programme', (c) => c.html(<NewProgrammePage viewer={viewerOf(c)} v={blankForm()} e={{}} />))
    app.post('/admin/nouveau-programme', async (c) => {
      const form = await readFormValues(c)
      try {
        const p = await desk.createProgramme(c, { id: typeof form['id'] === 'string' ? form['id'].trim() : '', ...formToProgrammeFields(BLANK, form) })
        return c.redirect(savedUrl(p.id), 303)
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return c.html(<NewProgrammePage viewer={viewerOf(c)} v={form} e={formErrors(err.issues)} />, 400)
      }
    })

    // ---------- merge duplicates ----------
    app.post('/api/admin/programmes/:id/merge', async (c) => {
      const { into } = await readAdminJson(c, MergeBody)
      await desk.merge(c, c.req.param('id'), into)
      return c.json({ loser: c.req.param('id'), winner: into, redirect: `/api/programmes/${encodeURIComponent(into)}` })
    })
    app.delete('/api/admin/programmes/:id/merge', async (c) => {
      await desk.unmerge(c, c.req.param('id'))
      return c.json({ ok: true })
    })
    app.post('/admin/programmes/:id/merge', async (c) => {
      const id = c.req.param('id')
      const { into } = await readForm(c, MergeForm)
      try {
        await desk.merge(c, id, into)
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err
        return c.html(await page(c, await desk.detail(id), undefined, formErrors(err.issues)), 400)
      }
      // On to the programme that stays, where both provenances now show.
      return c.redirect(savedUrl(into), 303)
    })
    app.post('/admin/programmes/:id/unmerge', async (c) => {
      await desk.unmerge(c, c.req.param('id'))
      return c.redirect(savedUrl(c.req.param('id')), 303)
    })
  }
}
