/** @jsxImportSource hono/jsx */
// « Pages suivies »: the declarative page sources (content/sources/<id>.yaml, and versions saved
// here, which win over the files) listed, edited as YAML and created, with a test on the recorded
// page (or a pasted one) that parses it with the YAML as typed, unsaved, and no network. Page
// content is only ever rendered as escaped text: crawled HTML is data here, never markup.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { ContentError, NotFoundError, ParseError, ValidationError, zodIssues } from '../../core/errors.ts'
import type { Programme } from '../../core/programme.ts'
import type { CrawlStore } from '../../crawler/crawl-store.ts'
import { type PageSourceCatalogue, type PageSourceEntry } from '../../crawler/declarative/page-sources.ts'
import { createDeclarativeSource, parseDeclarativeSource } from '../../crawler/declarative/parse.ts'
import type { RecordError } from '../../crawler/types.ts'
import { formText, readAdminJson, readForm } from './body.ts'
import type { AdminEnv, AdminKit, AdminModule } from './kit.ts'
import { Layout } from './views.tsx'

export interface PageSourcesAdminDeps {
  sources: PageSourceCatalogue
  /** Last run figures per source (absent = not shown). */
  crawl?: Pick<CrawlStore, 'listRuns' | 'sourceStates'>
}

type Issue = { field: string; message: string }
type Ctx = Context<AdminEnv>

const MAX_YAML = 100_000
const MAX_HTML = 2_000_000
const SaveBody = z.object({ yaml: z.string().max(MAX_YAML, 'YAML trop long (100 000 caractères au plus)') }).strict()
/** The editor's form: the YAML and the pasted page as typed ('' when absent). */
const PageForm = z.object({ yaml: formText, html: formText })
const TestBody = z.object({ yaml: z.string().max(MAX_YAML, 'YAML trop long (100 000 caractères au plus)'), html: z.string().max(MAX_HTML, 'page trop longue (2 Mo au plus)').optional() }).strict()

const NEW_TEMPLATE = `# Une nouvelle page suivie : remplacez les valeurs d'exemple.
id: ma-page
label: Nom lisible de la source
# false tant que le test n'est pas concluant : la source n'est pas collectée.
enabled: false
url: https://www.exemple.fr/aides/
funders: [Nom du financeur]
level: departemental
# Une fiche par élément trouvé (absent : la page est une seule fiche).
item: article
fields:
  name: h2
  link: { selector: "h2 a", attr: href }
  deadline: .date-limite
`

/** A ContentError's issues as form issues: a YAML syntax error (no path) belongs to the whole text. */
function issuesOf(err: ContentError): Issue[] {
  return err.issues.map((i) => ({ field: i.field || 'yaml', message: i.message }))
}

export interface TestOutcome {
  page: 'recorded' | 'pasted'
  records: Programme[]
  errors: RecordError[]
}

// Over 80 lines: the module's routes and pages registered in one place, sharing its deps; each piece is short.
export function pageSourcesAdminModule({ sources, crawl }: PageSourcesAdminDeps): AdminModule {
  // Over 80 lines: as above, the registration of the module's routes.
  return (app: Hono<AdminEnv>, kit: AdminKit) => {
    async function views(): Promise<(ReturnType<typeof viewOf> & { yaml: string })[]> {
      const [entries, runs, states] = await Promise.all([sources.list(), crawl ? crawl.listRuns(50) : [], crawl ? crawl.sourceStates() : []])
      return entries.map((e) => ({ ...viewOf(e, runs, states), yaml: e.yaml }))
    }

    async function save(c: Ctx, yaml: string, edit: { expectedId?: string; create?: boolean }) {
      let saved: Awaited<ReturnType<PageSourceCatalogue['save']>>
      try {
        saved = await sources.save({ yaml, ...edit, by: c.get('account').email, at: kit.now() })
      } catch (err) {
        if (err instanceof ContentError) throw new ValidationError(issuesOf(err))
        throw err
      }
      await kit.audit(c, 'page-source.save', `page-source:${saved.after.id}`, saved.before ? { yaml: saved.before.yaml } : null, { yaml })
      return saved
    }

    /** The YAML as typed, unsaved, on the pasted page, or else on the page recorded for `id` (or for the YAML's id). */
    async function test(yaml: string, html: string | undefined, id?: string): Promise<TestOutcome> {
      try {
        const config = parseDeclarativeSource('yaml', yaml)
        const pasted = html?.trim() ? html : undefined
        const recordedFor = id ?? config.id
        const page = pasted ?? (await sources.recordedPage(recordedFor))
        if (page === undefined) throw new ValidationError([{ field: 'html', message: `aucune page enregistrée pour « ${recordedFor} » (content/sources/${recordedFor}.recorded.html) : collez le HTML de la page` }])
        const result = createDeclarativeSource(config).parse(page, { fetchedAt: kit.now().toISOString(), url: config.url })
        return { page: pasted ? 'pasted' : 'recorded', records: result.records, errors: result.errors }
      } catch (err) {
        if (err instanceof ContentError) throw new ValidationError(issuesOf(err))
        if (err instanceof ParseError) throw new ValidationError([{ field: 'html', message: err.message }])
        throw err
      }
    }

    async function entryOr404(id: string): Promise<PageSourceEntry> {
      const entry = await sources.get(id)
      if (!entry) throw new NotFoundError(`Page suivie inconnue : « ${id} » / Unknown page source`, 'id')
      return entry
    }

    // ---------- JSON ----------
    app.get('/api/admin/sources/pages', async (c) => c.json({ sources: (await views()).map(({ yaml: _yaml, ...v }) => v) }))
    app.get('/api/admin/sources/pages/:id', async (c) => {
      const id = c.req.param('id')
      await entryOr404(id)
      return c.json({ source: (await views()).find((v) => v.id === id)! })
    })
    app.put('/api/admin/sources/pages/:id', async (c) => {
      const { yaml } = await readAdminJson(c, SaveBody)
      const { before, after } = await save(c, yaml, { expectedId: c.req.param('id') })
      const view = (await views()).find((v) => v.id === after.id)!
      return c.json({ source: view }, before ? 200 : 201)
    })
    app.post('/api/admin/sources/pages/test', async (c) => {
      const { yaml, html } = await readAdminJson(c, TestBody)
      return c.json(await test(yaml, html))
    })

    // ---------- pages ----------
    const formOf = async (c: Ctx) => {
      const form = await readForm(c, PageForm)
      // The same limits as the JSON routes: what is too long is shown beside its field.
      const checked = TestBody.safeParse(form)
      return { form, issues: checked.success ? [] : zodIssues(checked.error.issues) }
    }
    /** Runs `act`; a ValidationError re-renders the form with what was typed (400), nothing else is lost. */
    async function attempt<T>(act: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; issues: Issue[] }> {
      try {
        return { ok: true, value: await act() }
      } catch (err) {
        if (err instanceof ValidationError) return { ok: false, issues: err.issues }
        throw err
      }
    }

    async function listPage(c: Ctx, state: EditorState = { form: { yaml: NEW_TEMPLATE, html: '' }, issues: [] }, status: 200 | 400 = 200) {
      const rows = await views()
      return c.html(
        <Layout title="Pages suivies" account={c.get('account')} csrf={c.get('csrf')}>
          <p>Pages d'aides lues sans code : une adresse, des sélecteurs CSS et un financeur. Les fichiers viennent de <code>content/sources/</code> ; une version enregistrée ici l'emporte sur le fichier et sert dès la collecte suivante.</p>
          <table>
            <thead><tr><th scope="col">Source</th><th scope="col">Page</th><th scope="col">Origine</th><th scope="col">État</th><th scope="col">Dernière collecte</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td><a href={`/admin/sources/pages/${encodeURIComponent(r.id)}`}>{r.label ?? r.id}</a><br /><small>{r.id}</small></td>
                  <td>{r.url ? <code>{r.url}</code> : '—'}</td>
                  <td><Origin view={r} /></td>
                  <td>{r.error ? <span class="error">version enregistrée invalide</span> : r.enabled ? 'collectée' : 'désactivée (enabled: false)'}</td>
                  <td><LastRun view={r} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length === 0 ? <p>Aucune page suivie.</p> : null}
          <h2 id="nouvelle">Nouvelle page suivie</h2>
          <Editor csrf={c.get('csrf')} action="/admin/sources/pages" testAction="/admin/sources/pages/test" state={state} recordedHint="la page enregistrée sous content/sources/<identifiant>.recorded.html, s'il y en a une" />
        </Layout>,
        status,
      )
    }

    async function editPage(c: Ctx, entry: PageSourceEntry, state?: EditorState, status: 200 | 400 = 200, saved = false) {
      const view = (await views()).find((v) => v.id === entry.id)
      const hasRecorded = (await sources.recordedPage(entry.id)) !== undefined
      const id = encodeURIComponent(entry.id)
      return c.html(
        <Layout title={`Page suivie : ${view?.label ?? entry.id}`} account={c.get('account')} csrf={c.get('csrf')}>
          {saved ? <p class="ok" role="status">Enregistrée : la collecte suivante utilise cette version.</p> : null}
          {view ? <p><Origin view={view} /> — <LastRun view={view} /></p> : null}
          {entry.error ? <p class="alert" role="alert">La version enregistrée n'est plus valide ({entry.error}) : {entry.config ? 'le fichier est collecté à sa place.' : 'la source n\'est pas collectée.'}</p> : null}
          <Editor
            csrf={c.get('csrf')}
            action={`/admin/sources/pages/${id}/save`}
            testAction={`/admin/sources/pages/${id}/test`}
            state={state ?? { form: { yaml: entry.yaml, html: '' }, issues: [] }}
            recordedHint={hasRecorded ? `la page enregistrée content/sources/${entry.id}.recorded.html` : 'aucune page enregistrée pour cette source : collez le HTML'}
          />
          <p><a href="/admin/sources/pages">Toutes les pages suivies</a></p>
        </Layout>,
        status,
      )
    }

    app.get('/admin/sources/pages', (c) => listPage(c))
    app.post('/admin/sources/pages', async (c) => {
      const { form, issues } = await formOf(c)
      if (issues.length) return listPage(c, { form, issues }, 400)
      const r = await attempt(() => save(c, form.yaml, { create: true }))
      if (!r.ok) return listPage(c, { form, issues: r.issues }, 400)
      return c.redirect(`/admin/sources/pages/${encodeURIComponent(r.value.after.id)}?enregistree=1`, 303)
    })
    app.post('/admin/sources/pages/test', async (c) => {
      const { form, issues } = await formOf(c)
      if (issues.length) return listPage(c, { form, issues }, 400)
      const r = await attempt(() => test(form.yaml, form.html))
      return r.ok ? listPage(c, { form, issues: [], outcome: r.value }) : listPage(c, { form, issues: r.issues }, 400)
    })
    app.get('/admin/sources/pages/:id', async (c) => editPage(c, await entryOr404(c.req.param('id')), undefined, 200, c.req.query('enregistree') === '1'))
    app.post('/admin/sources/pages/:id/save', async (c) => {
      const entry = await entryOr404(c.req.param('id'))
      const { form, issues } = await formOf(c)
      if (issues.length) return editPage(c, entry, { form, issues }, 400)
      const r = await attempt(() => save(c, form.yaml, { expectedId: entry.id }))
      if (!r.ok) return editPage(c, entry, { form, issues: r.issues }, 400)
      return c.redirect(`/admin/sources/pages/${encodeURIComponent(entry.id)}?enregistree=1`, 303)
    })
    app.post('/admin/sources/pages/:id/test', async (c) => {
      const entry = await entryOr404(c.req.param('id'))
      const { form, issues } = await formOf(c)
      if (issues.length) return editPage(c, entry, { form, issues }, 400)
      const r = await attempt(() => test(form.yaml, form.html, entry.id))
      return r.ok ? editPage(c, entry, { form, issues: [], outcome: r.value }) : editPage(c, entry, { form, issues: r.issues }, 400)
    })
  }
}

// ---------- views ----------

function viewOf(e: PageSourceEntry, runs: Awaited<ReturnType<CrawlStore['listRuns']>>, states: Awaited<ReturnType<CrawlStore['sourceStates']>>) {
  const run = runs.find((r) => r.sources.some((s) => s.sourceId === e.id))
  const stats = run?.sources.find((s) => s.sourceId === e.id)
  const state = states.find((s) => s.sourceId === e.id)
  return {
    id: e.id,
    label: e.config?.label ?? null,
    url: e.config?.url ?? null,
    enabled: e.config?.enabled ?? false,
    origin: e.origin,
    file: e.file ? `content/sources/${e.file}` : null,
    updatedBy: e.updatedBy ?? null,
    updatedAt: e.updatedAt ?? null,
    error: e.error ?? null,
    lastRun:
      run && stats
        ? { runId: run.id, startedAt: run.startedAt, status: stats.status, programmes: stats.programmes, new: stats.new, updated: stats.updated, gone: stats.gone, recordErrors: stats.recordErrors, errors: stats.errors.slice(0, 5) }
        : null,
    consecutiveFailures: state?.consecutiveFailures ?? 0,
  }
}
type View = ReturnType<typeof viewOf>

function Origin({ view }: { view: View }) {
  if (view.origin === 'file') return <span>fichier <code>{view.file}</code></span>
  return (
    <span>
      modifiée dans l'administration par {view.updatedBy} le {view.updatedAt?.slice(0, 16).replace('T', ' à ')}
      {view.file ? <> (remplace <code>{view.file}</code>)</> : null}
    </span>
  )
}

function LastRun({ view }: { view: View }) {
  const r = view.lastRun
  if (!r) return <span>jamais collectée</span>
  return (
    <span>
      {r.startedAt.slice(0, 16).replace('T', ' ')} : {r.status}, {r.programmes} fiche(s) ({r.new} nouvelle(s), {r.updated} modifiée(s)), {r.recordErrors} erreur(s) de fiche
      {view.consecutiveFailures ? `, ${view.consecutiveFailures} échec(s) consécutif(s)` : ''}
    </span>
  )
}

interface EditorState {
  form: { yaml: string; html: string }
  issues: Issue[]
  outcome?: TestOutcome
}

function Editor({ csrf, action, testAction, state, recordedHint }: { csrf: string; action: string; testAction: string; state: EditorState; recordedHint: string }) {
  const yamlIssues = state.issues.filter((i) => i.field !== 'html')
  const htmlIssues = state.issues.filter((i) => i.field === 'html')
  return (
    <>
      <form method="post" action={action} class="card" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <div>
          <label for="f-yaml">Configuration YAML</label>
          <p id="f-yaml-hint" style="margin:0;color:#55555a;font-size:.9rem">
            Champs décrits dans <code>crawler/declarative/schema.ts</code> : id, label, url, funders, level et fields.name sont obligatoires ; enabled: false empêche la collecte.
          </p>
          <textarea id="f-yaml" name="yaml" rows={22} spellcheck={false} style="font-family:ui-monospace,monospace" aria-invalid={yamlIssues.length ? 'true' : undefined} aria-describedby={yamlIssues.length ? 'f-yaml-hint f-yaml-error' : 'f-yaml-hint'}>
            {state.form.yaml}
          </textarea>
          {yamlIssues.length ? (
            <ul id="f-yaml-error" class="error" role="alert">
              {yamlIssues.map((i) => <li><code>{i.field}</code> : {i.message}</li>)}
            </ul>
          ) : null}
        </div>
        <div>
          <label for="f-html">Page HTML pour le test (facultatif)</label>
          <p id="f-html-hint" style="margin:0;color:#55555a;font-size:.9rem">Vide : {recordedHint}. Rien n'est téléchargé pendant le test.</p>
          <textarea id="f-html" name="html" rows={6} spellcheck={false} style="font-family:ui-monospace,monospace" aria-invalid={htmlIssues.length ? 'true' : undefined} aria-describedby={htmlIssues.length ? 'f-html-hint f-html-error' : 'f-html-hint'}>
            {state.form.html}
          </textarea>
          {htmlIssues.length ? <p id="f-html-error" class="error" role="alert">{htmlIssues.map((i) => i.message).join(' ; ')}</p> : null}
        </div>
        <button type="submit">Enregistrer</button>
        <button type="submit" class="secondary" formAction={testAction}>Tester sur la page enregistrée</button>
      </form>
      {state.outcome ? <Outcome outcome={state.outcome} /> : null}
    </>
  )
}

function deadlinesOf(p: Programme): string {
  const days = p.calendar.editions.flatMap((e) => e.deadlines)
  return days.length ? days.join(', ') : p.calendar.kind === 'permanent' ? 'permanent' : '—'
}

function rawOf(raw: unknown): string {
  if (raw === undefined) return '—'
  try {
    return JSON.stringify(raw) ?? String(raw)
  } catch {
    return String(raw)
  }
}

/** Every value below comes from the page: text children and attribute values only (escaped by JSX). */
function Outcome({ outcome }: { outcome: TestOutcome }) {
  return (
    <section aria-labelledby="resultat" class="card">
      <h2 id="resultat">Résultat du test</h2>
      <p role="status">
        {outcome.records.length} fiche(s) lue(s), {outcome.errors.length} erreur(s) de fiche, sur {outcome.page === 'pasted' ? 'la page collée' : 'la page enregistrée'}. Rien n'est enregistré.
      </p>
      {outcome.records.length ? (
        <table>
          <thead><tr><th scope="col">Nom</th><th scope="col">Date(s) limite</th><th scope="col">Thèmes</th><th scope="col">Lien</th></tr></thead>
          <tbody>
            {outcome.records.map((p) => (
              <tr>
                <td>{p.name}<br /><small>{p.id}</small></td>
                <td>{deadlinesOf(p)}</td>
                <td>{p.themes.join(', ')}</td>
                <td>{/^https?:\/\//i.test(p.links.official) ? <a href={p.links.official} rel="noopener noreferrer nofollow">{p.links.official}</a> : <code>{p.links.official}</code>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {outcome.errors.length ? (
        <>
          <h3>Erreurs de fiche</h3>
          <table>
            <thead><tr><th scope="col">Fiche</th><th scope="col">Champ</th><th scope="col">Message</th><th scope="col">Valeur brute</th></tr></thead>
            <tbody>
              {outcome.errors.map((e) => (
                <tr><td>{e.programmeId ?? e.recordId ?? '—'}</td><td>{e.field}</td><td>{e.message}</td><td><pre>{rawOf(e.raw)}</pre></td></tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  )
}
