/** @jsxImportSource hono/jsx */
// The crawl side of the admin desk: the latest runs with their per-source figures and record
// errors, the sources with their switch (enabled or not), and « Relancer maintenant », which runs
// one source and reports how the run really ended.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import { ConflictError, NotFoundError } from '../../core/errors.ts'
import type { CrawlRun, CrawlRunStatus, RunOutcome } from '../../crawler/crawl-store.ts'
import type { AdminDeps } from './admin-deps.ts'
import { formFlag, readAdminJson, readForm } from './body.ts'
import type { AdminEnv, AdminKit, AdminModule } from './kit.ts'
import type { Account } from './ports.ts'
import { Layout } from './views.tsx'

type Env = AdminEnv

const EnabledBody = z.object({ enabled: z.boolean() }).strict()
const EnabledForm = z.object({ enabled: formFlag })

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

type SourceView = { sourceId: string; enabled: boolean; state: unknown }

/** The « Collectes » page: the re-run banner, the sources (switch and re-run for admins), the latest runs and their record errors. */
function CrawlPage({ account, csrf, query, runs, sources, canRun, idOf }: { account: Account; csrf: string; query: Record<string, string>; runs: readonly CrawlRun[]; sources: readonly SourceView[]; canRun: boolean; idOf: (id: string) => string }) {
  const isAdmin = account.role === 'admin'
  return (
    <Layout title="Collectes" account={account} csrf={csrf}>
      {query['relance'] ? rerunNotice(query, runs) : null}
      <h2>Sources</h2>
      <table><thead><tr><th scope="col">Source</th><th scope="col">État</th><th scope="col">Échecs consécutifs</th>{isAdmin ? <th scope="col">Actions</th> : null}</tr></thead>
        <tbody>{sources.map((s) => (
          <tr><td>{s.sourceId}</td><td>{s.enabled ? 'activée' : 'désactivée'}</td><td>{String((s.state as { consecutiveFailures?: number } | null)?.consecutiveFailures ?? 0)}</td>
            {isAdmin ? <td>
              <form method="post" action={`/admin/sources/${encodeURIComponent(s.sourceId)}/enabled`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="enabled" value={s.enabled ? '0' : '1'} /><button type="submit" class="secondary">{s.enabled ? 'Désactiver' : 'Activer'}</button></form>
              {canRun ? <form method="post" action={`/admin/sources/${encodeURIComponent(s.sourceId)}/run`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><button type="submit">Relancer maintenant</button></form> : null}
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
                    <tr><td>{d.programmeId ? <a href={`/admin/programmes/${encodeURIComponent(idOf(d.programmeId))}`}>{d.recordId ?? d.programmeId}</a> : (d.recordId ?? '—')}</td><td>{d.field}</td><td>{d.message}</td><td><pre>{d.raw}</pre></td></tr>
                  ))}</tbody></table>
              ) : null}
            </details>
          ))}
        </div>
      ))}
    </Layout>
  )
}

export function crawlModule(deps: AdminDeps): AdminModule {
  return (app: Hono<Env>, { now, audit }: AdminKit) => {
    async function sourcesView() {
      const states = deps.crawl ? await deps.crawl.sourceStates() : []
      const ids = [...new Set([...((await deps.sourceIds?.()) ?? []), ...states.map((s) => s.sourceId)])].sort()
      return Promise.all(ids.map(async (id) => ({ sourceId: id, enabled: (await deps.settings.get(`source:${id}:enabled`)) !== '0', state: states.find((s) => s.sourceId === id) ?? null })))
    }
    app.get('/api/admin/crawl/runs', async (c) => c.json({ runs: deps.crawl ? await deps.crawl.listRuns(50) : [], sources: await sourcesView() }))
    app.get('/admin/crawl', async (c) => {
      const runs = deps.crawl ? await deps.crawl.listRuns(20) : []
      const sources = await sourcesView()
      const csrf = c.get('csrf')
      const query = c.req.query()
      return c.html(
        <CrawlPage account={c.get('account')} csrf={csrf} query={query} runs={runs} sources={sources} canRun={!!deps.runSource} idOf={deps.catalogueIdOf ?? ((x: string) => x)} />,
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
      const { enabled } = await readAdminJson(c, EnabledBody)
      await setEnabled(c, c.req.param('id'), enabled)
      return c.json({ ok: true })
    })
    // The run's real outcome: 200 when it ended (ok only when every source succeeded), 202 while it
    // still runs (GET /api/admin/crawl/runs shows its end), 409 when another run holds the lease.
    app.post('/api/admin/sources/:id/run', async (c) => {
      const outcome = await runNow(c, c.req.param('id'))
      if (outcome.status === 'locked') throw new ConflictError('une collecte est déjà en cours : relance non lancée, réessayez quand elle sera finie')
      return c.json({ ok: outcome.status === 'ok', ...outcome }, outcome.status === 'running' ? 202 : 200)
    })
    app.post('/admin/sources/:id/enabled', async (c) => {
      const { enabled } = await readForm(c, EnabledForm)
      await setEnabled(c, c.req.param('id'), enabled)
      return c.redirect('/admin/crawl', 303)
    })
    app.post('/admin/sources/:id/run', async (c) => {
      const id = c.req.param('id')
      const outcome = await runNow(c, id)
      const query = new URLSearchParams({ relance: outcome.status === 'locked' ? 'occupee' : (outcome.runId ?? ''), source: id })
      // A run that failed before being recorded (an unknown source): its reason goes in the address.
      if (outcome.status !== 'locked' && outcome.errors.length) query.set('erreur', outcome.errors[0]!.slice(0, 300))
      return c.redirect(`/admin/crawl?${query.toString()}`, 303)
    })
  }
}
