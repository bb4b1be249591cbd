/** @jsxImportSource hono/jsx */
// The back office's « Données personnelles » (admins only, behind the session and CSRF guard):
// - a person's request by e-mail address: « Exporter » downloads, as JSON, all that Guichet keeps
//   for that address (subscriptions, delivery ledger, outbox e-mails, Teams conversations);
//   « Effacer » (confirmed by a checkbox) removes it all; each is audited under a keyed hash of
//   the address (./rights.ts); the latest requests are listed, and « Historique des demandes » lists
//   those already answered for the address typed (found by its hash, nothing recorded);
// - the anonymised understanding log (./understanding-log.ts): off by default, turned on or off
//   here (the setting and its audit entry in one transaction), its latest entries shown, emptied.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import type { AdminDeps } from './admin-deps.ts'
import { formFlag, formText } from './body.ts'
import type { AdminEnv, AdminKit, AdminModule } from './kit.ts'
import { UNDERSTANDING_LOG_SETTING, type AuditEntry, type RightsStore, type UnderstandingLog } from './ports.ts'
import { describeCounts, eraseSubject, exportSubject, RightsEmailSchema } from './rights.ts'
import { understandingLogOn } from './understanding-log.ts'
import { ErrorSummary, Field, Layout } from './views.tsx'

export interface PrivacyAdminDeps extends Pick<AdminDeps, 'audit' | 'settings' | 'curation'> {
  rights: RightsStore
  log: UnderstandingLog
}

type Env = AdminEnv
type Ctx = Context<Env>

interface PageState {
  email?: string
  errors?: Record<string, string>
  status?: string
  /** The requests already answered for the address typed (« Historique »): audit entries under its hash. */
  history?: AuditEntry[]
}

const RightsForm = z.object({ email: formText, action: formText, confirm: formFlag })

function RequestsTable({ entries }: { entries: AuditEntry[] }) {
  if (!entries.length) return <p>Aucune demande traitée.</p>
  return (
    <table>
      <thead><tr><th scope="col">Quand</th><th scope="col">Qui</th><th scope="col">Demande</th><th scope="col">Personne (empreinte)</th><th scope="col">Portée</th></tr></thead>
      <tbody>{entries.map((e) => <tr><td>{e.at}</td><td>{e.actor}</td><td>{e.action === 'rights.erase' ? 'effacement' : 'export'}</td><td><code>{e.target}</code></td><td>{describeCounts(e.after as never)}</td></tr>)}</tbody>
    </table>
  )
}

async function privacyPage(deps: PrivacyAdminDeps, c: Ctx, state: PageState = {}, code: 200 | 400 = 200) {
  const [on, total, entries, requests] = await Promise.all([understandingLogOn(deps.settings), deps.log.count(), deps.log.list(20), deps.audit.list({ action: 'rights.', limit: 20 })])
  const csrf = c.get('csrf')
  return c.html(
    <Layout title="Données personnelles" account={c.get('account')} csrf={csrf}>
      {state.status ? <p class="ok" role="status">{state.status}</p> : null}
      <ErrorSummary errors={state.errors ?? {}} title="La demande n'a pas été traitée" />
      <section aria-labelledby="droits">
        <h2 id="droits">Demande d'une personne : accès ou effacement</h2>
        <p>
          « Exporter » télécharge en JSON tout ce que Guichet conserve pour cette adresse : abonnements aux alertes, journal d'envoi, e-mails en file d'envoi,
          conversations Teams alertées ; et, si l'adresse est celle d'un compte du back-office, ce compte (sans l'empreinte du mot de passe), ses sessions,
          ses échecs de connexion, les entrées du journal et les modifications du catalogue dont il est l'auteur. « Effacer » supprime tout cela définitivement
          (les fichiers de la base sont réécrits, rien ne reste lisible) ; un compte du back-office est désactivé et son adresse remplacée partout par un
          pseudonyme, « compte supprimé #… », auquel ses modifications restent attribuées. Les sauvegardes faites avant l'effacement le gardent jusqu'à leur
          suppression (sur un serveur Node, <code>npm run restore</code> refait ensuite les effacements faits depuis la sauvegarde).
          Le journal garde la trace de chaque demande sous une empreinte de l'adresse, jamais l'adresse elle-même.
        </p>
        <form method="post" action="/admin/privacy/rights" class="card">
          <input type="hidden" name="_csrf" value={csrf} />
          <Field name="email" label="Adresse e-mail de la personne" type="email" value={state.email ?? ''} error={state.errors?.['email']} />
          <label class="check" for="f-confirm">
            <input id="f-confirm" type="checkbox" name="confirm" value="1" aria-describedby={state.errors?.['confirm'] ? 'f-confirm-error' : undefined} />
            Je confirme l'effacement définitif (pour « Effacer »)
          </label>
          {state.errors?.['confirm'] ? <p id="f-confirm-error" class="error">{state.errors['confirm']}</p> : null}
          <button type="submit" name="action" value="export">Exporter (JSON)</button>
          <button type="submit" name="action" value="erase" class="secondary">Effacer</button>
          <button type="submit" name="action" value="history" class="secondary">Historique des demandes</button>
        </form>
        <h3>{state.history ? 'Demandes déjà traitées pour cette adresse' : 'Dernières demandes traitées'}</h3>
        <RequestsTable entries={state.history ?? requests} />
      </section>
      <section aria-labelledby="journal">
        <h2 id="journal">Journal anonymisé de compréhension</h2>
        <p>
          Pour améliorer la compréhension des messages, ce journal garde, pour chaque message reçu par l'assistant, seulement le type de collectivité,
          les thèmes compris et le texte dont les adresses e-mail, numéros de téléphone, noms de personnes et noms de collectivités ont été retirés.
          Aucun lien avec la conversation ni avec la personne. Désactivé par défaut ; sans lui, le texte des messages n'est pas conservé au-delà de la conversation.
        </p>
        <p role="status"><strong>{on ? 'Activé' : 'Désactivé'}</strong> — {total} entrée(s).</p>
        <form method="post" action="/admin/privacy/understanding-log">
          <input type="hidden" name="_csrf" value={csrf} />
          <input type="hidden" name="enabled" value={on ? '0' : '1'} />
          <button type="submit">{on ? 'Désactiver le journal' : 'Activer le journal'}</button>
        </form>
        {total ? (
          <form method="post" action="/admin/privacy/understanding-log/clear">
            <input type="hidden" name="_csrf" value={csrf} />
            <button type="submit" class="secondary">Vider le journal</button>
          </form>
        ) : null}
        {entries.length ? (
          <table>
            <caption class="sr">Dernières entrées du journal</caption>
            <thead><tr><th scope="col">Quand</th><th scope="col">Type de collectivité</th><th scope="col">Thèmes compris</th><th scope="col">Texte anonymisé</th></tr></thead>
            <tbody>{entries.map((e) => <tr><td>{e.at}</td><td>{e.collectiviteType ?? '—'}</td><td>{e.themes.join(', ') || '—'}</td><td>{e.text}</td></tr>)}</tbody>
          </table>
        ) : null}
      </section>
    </Layout>,
    code,
  )
}

async function answerRequest(deps: PrivacyAdminDeps, kit: AdminKit, c: Ctx) {
  const form = RightsForm.parse(await c.req.parseBody())
  const email = form.email.trim()
  const parsed = RightsEmailSchema.safeParse(email)
  const errors: Record<string, string> = {}
  if (!parsed.success) errors['email'] = `Adresse e-mail : ${parsed.error.issues[0]?.message ?? 'invalide'}`
  if (form.action !== 'export' && form.action !== 'erase' && form.action !== 'history') errors['email'] ??= 'Choisissez « Exporter », « Effacer » ou « Historique des demandes »'
  if (form.action === 'erase' && !form.confirm) errors['confirm'] = "Cochez la confirmation pour effacer : l'effacement est définitif"
  if (Object.keys(errors).length) return privacyPage(deps, c, { email, errors }, 400)
  if (form.action === 'history') {
    const history = (await deps.audit.list({ target: await deps.rights.subjectRef(email), limit: 100 })).filter((e) => e.action.startsWith('rights.'))
    return privacyPage(deps, c, { email, history, status: `${history.length} demande(s) déjà traitée(s) pour cette adresse.` })
  }
  const who = { at: kit.now().toISOString(), actor: c.get('account').email, via: 'back-office' as const }
  if (form.action === 'export') {
    const data = await exportSubject(deps, email, who)
    c.header('content-disposition', `attachment; filename="donnees-personnelles-${who.at.slice(0, 10)}.json"`)
    return c.json(data)
  }
  const counts = await eraseSubject(deps, email, who)
  return privacyPage(deps, c, { status: `Effacé pour cette adresse : ${describeCounts(counts)}.` })
}

export function privacyAdminModule(deps: PrivacyAdminDeps): AdminModule {
  return (app: Hono<Env>, kit: AdminKit) => {
    app.get('/admin/privacy', (c) => privacyPage(deps, c))
    app.post('/admin/privacy/rights', (c) => answerRequest(deps, kit, c))
    app.post('/admin/privacy/understanding-log', async (c) => {
      const { enabled } = z.object({ enabled: formFlag }).parse(await c.req.parseBody())
      const before = await understandingLogOn(deps.settings)
      const at = kit.now().toISOString()
      await deps.curation.commit({
        settings: [{ key: UNDERSTANDING_LOG_SETTING, value: enabled ? '1' : '0', at }],
        audit: [{ at, actor: c.get('account').email, action: 'privacy.understanding_log', target: `setting:${UNDERSTANDING_LOG_SETTING}`, before: { enabled: before }, after: { enabled } }],
      })
      return privacyPage(deps, c, { status: enabled ? 'Journal anonymisé activé.' : 'Journal anonymisé désactivé : plus rien n’y est écrit.' })
    })
    app.post('/admin/privacy/understanding-log/clear', async (c) => {
      const removed = await deps.log.clear()
      await kit.audit(c, 'privacy.understanding_log.clear', `setting:${UNDERSTANDING_LOG_SETTING}`, null, { removed })
      return privacyPage(deps, c, { status: `Journal vidé (${removed} entrée(s) supprimée(s)).` })
    })
  }
}
