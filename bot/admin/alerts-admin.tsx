/** @jsxImportSource hono/jsx */
// The back office's « Alertes » (admins only, behind the admin guard): counts per channel, the
// deliveries that failed or wait for too long, those lost (their last day — a reminder's deadline —
// passed before they could be sent), the outbox e-mails, and a retry that makes a
// failed ledger row due now and runs the alerts' own send job for what is due. The ledger
// decides: a sent row never becomes due again, so a retry can never send twice.
// Personal data: only masked forms leave this module, in HTML and JSON alike (first letter and
// domain of an e-mail, host of a webhook, last characters of a Teams conversation), error texts
// included.
import type { Context, Hono } from 'hono'
import { z } from 'zod'
import type { AdminDelivery, AdminOutboxMail, AlertsAdminStats, AlertsStore, RetryOutcome } from '../alerts/alerts-store.ts'
import type { Delivery, DeliveryKind, DeliveryState } from '../alerts/delivery.ts'
import { AlertsConfigError, type DigestReport } from '../alerts/digest.ts'
import { CHANNELS, type ChannelKind } from '../alerts/subscription.ts'
import { formatInt } from '../../core/french.ts'
import type { AdminEnv, AdminKit, AdminModule } from './kit.ts'
import { Layout } from './views.tsx'

export interface AlertsAdminDeps {
  store: Pick<AlertsStore, 'adminStats' | 'adminOutbox' | 'adminDelivery' | 'retry' | 'retryAll' | 'deliveryHealth'>
  /** The alerts' send job for every due row (the digest's retry run): the one path that sends. */
  sendDue: () => Promise<Pick<DigestReport, 'skipped' | 'rows'>>
  /** A pending row older than this is listed (a run sends within seconds of recording). */
  overdueAfterMs?: number
  /** Rows listed per table. */
  limit?: number
}

type Env = AdminEnv

const CHANNEL_LABELS: Record<ChannelKind, string> = { email: 'E-mail', teams: 'Teams', webhook: 'Webhook' }
const STATE_LABELS: Record<DeliveryState, string> = { pending: 'en attente', sent: 'envoyé', failed: 'échec', expired: 'expiré' }
const KIND_LABELS: Record<DeliveryKind, string> = {
  reminder: 'rappel',
  estimate: 'date estimée',
  new_programme: 'nouveau programme',
  deadline_moved: 'date limite déplacée',
  closed_early: 'clôture anticipée',
  new_edition: 'nouvelle édition',
  confirm: 'confirmation de l\'adresse',
}

// ---------- masking ----------

/** `marie.dupont@mairie-vezelay.fr` → `m•••@mairie-vezelay.fr`: enough to recognise a mairie, not a person. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@')
  if (at <= 0) return '•••'
  return `${address[0]}•••@${address.slice(at + 1)}`
}

/** A webhook URL → its host: paths and queries often carry tokens. */
export function maskUrl(raw: string): string {
  try {
    return new URL(raw).host || '•••'
  } catch {
    return '•••'
  }
}

/** A Teams conversation id → « conversation Teams …abcd ». */
export function maskTeams(conversationId: string): string {
  return `conversation Teams …${conversationId.slice(-4)}`
}

export function maskTarget(channel: ChannelKind, target: string | null): string {
  if (target === null) return '—'
  return channel === 'email' ? maskEmail(target) : channel === 'webhook' ? maskUrl(target) : maskTeams(target)
}

const URL_RE = /https?:\/\/[^\s<>"'`)\]]+/gi
const EMAIL_RE = /[^\s<>@,;:"'`()[\]]+@[^\s<>@,;:"'`()[\]]+/g

/** Free text (an SMTP answer, a stored reason): the row's own address, any URL and any e-mail address, masked. */
export function maskText(text: string | null, channel?: ChannelKind, target?: string | null): string | null {
  if (text === null) return null
  let out = channel && target ? text.split(target).join(maskTarget(channel, target)) : text
  out = out.replace(URL_RE, (u) => maskUrl(u)).replace(EMAIL_RE, (m) => maskEmail(m))
  return out
}

// ---------- views (what HTML and JSON show) ----------

export interface DeliveryView {
  id: number
  subscriptionId: string
  channel: ChannelKind
  /** Masked. */
  to: string
  programme: { id: string; name: string } | null
  kind: DeliveryKind
  /** YYYY-MM-DD, or null (news, changes, confirmation). */
  deadline: string | null
  leadDays: number
  state: DeliveryState
  attempts: number
  /** Masked. */
  lastError: string | null
  nextAttemptAt: string | null
  createdAt: string
  expiresOn: string
  /** The Paris day it was found lost (its last day passed unsent), or null. */
  lostOn: string | null
  /** A retry may make it due now (failed). */
  retryable: boolean
}

export interface OutboxMailView {
  id: number
  subscriptionId: string
  /** Masked. */
  to: string
  createdAt: string
  status: 'queued' | 'failed'
  /** Masked. */
  error: string | null
}

function deliveryView(d: Delivery, target: string | null): DeliveryView {
  const programme = d.item.kind === 'confirm' ? null : { id: d.item.programme.id, name: d.item.programme.shortName ?? d.item.programme.name }
  return {
    id: d.id,
    subscriptionId: d.subscriptionId,
    channel: d.channel,
    to: maskTarget(d.channel, target),
    programme,
    kind: d.kind,
    deadline: /^\d{4}-\d{2}-\d{2}$/.test(d.deadline) ? d.deadline : null,
    leadDays: d.leadDays,
    state: d.state,
    attempts: d.attempts,
    lastError: maskText(d.lastError, d.channel, target),
    nextAttemptAt: d.nextAttemptAt,
    createdAt: d.createdAt,
    expiresOn: d.expiresOn,
    lostOn: d.lostOn,
    retryable: d.state === 'failed',
  }
}

function mailView(m: AdminOutboxMail): OutboxMailView {
  return { id: m.id, subscriptionId: m.subscriptionId, to: maskEmail(m.recipient), createdAt: m.createdAt, status: m.status, error: maskText(m.error, 'email', m.recipient) }
}

// ---------- the module ----------

/** What the send job did; `problem`: it could not start (GUICHET_PUBLIC_URL missing), the rows stay due. */
type SendRun = { locked: boolean; sent: number; failed: number; problem?: string }

type RetryResult =
  | { ok: true; delivery: DeliveryView; run: SendRun }
  | { ok: false; outcome: Exclude<RetryOutcome, 'scheduled' | 'already_due'>; id: string }

const IdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER)

// Over 80 lines: the module's routes registered in one place, sharing its deps; each handler is short.
export function alertsAdminModule({ store, sendDue, overdueAfterMs = 15 * 60_000, limit = 200 }: AlertsAdminDeps): AdminModule {
  // Over 80 lines: as above, the registration of the module's routes.
  return (app: Hono<Env>, kit: AdminKit) => {
    async function overview() {
      const now = kit.now()
      const [stats, outbox, health] = await Promise.all([store.adminStats(), store.adminOutbox({ limit, pendingBefore: new Date(now.getTime() - overdueAfterMs).toISOString() }), store.deliveryHealth({ limit })])
      return {
        stats,
        health: { failing: health.failing, lost: health.lost },
        deliveries: outbox.deliveries.map((d: AdminDelivery) => deliveryView(d, d.target)),
        lost: health.lostRows.map((d) => deliveryView(d, d.target)),
        mails: outbox.mails.map(mailView),
        limit,
      }
    }

    async function runDue(): Promise<SendRun> {
      try {
        const report = await sendDue()
        return { locked: report.skipped === 'locked', sent: report.rows.sent, failed: report.rows.failed }
      } catch (err) {
        if (err instanceof AlertsConfigError) return { locked: false, sent: 0, failed: 0, problem: err.message }
        throw err
      }
    }

    /** Makes the row due now (the store refuses a sent or expired one), runs the send job, audits. */
    async function retryOne(c: Context<Env>, rawId: string): Promise<RetryResult> {
      const parsed = IdSchema.safeParse(rawId)
      const before = parsed.success ? await store.adminDelivery(parsed.data) : undefined
      if (!parsed.success || !before) return { ok: false, outcome: 'not_found', id: rawId }
      const { outcome } = await store.retry(before.id, kit.now().toISOString())
      if (outcome !== 'scheduled' && outcome !== 'already_due') return { ok: false, outcome, id: String(before.id) }
      let run: SendRun | undefined
      let failure: unknown
      try {
        run = await runDue()
      } catch (err) {
        failure = err
      }
      const after = (await store.adminDelivery(before.id)) ?? before
      await kit.audit(c, 'alert.retry', `delivery:${before.id}`, ledgerFacts(before), { ...ledgerFacts(after), ...(run ? { run } : { run: 'error' }) })
      if (failure !== undefined) throw failure
      return { ok: true, delivery: deliveryView(after, after.target), run: run! }
    }

    async function retryAll(c: Context<Env>) {
      const scheduled = await store.retryAll(kit.now().toISOString())
      const run = await runDue()
      await kit.audit(c, 'alert.retry_all', 'deliveries', null, { scheduled, run })
      return { scheduled, run }
    }

    app.get('/api/admin/alerts', async (c) => c.json(await overview()))

    app.post('/api/admin/alerts/deliveries/:id/retry', async (c) => {
      const r = await retryOne(c, c.req.param('id'))
      if (r.ok) return c.json({ delivery: r.delivery, run: r.run })
      if (r.outcome === 'not_found') return c.json({ error: { code: 'not_found', message: `Envoi inconnu : « ${r.id} » / Unknown delivery`, field: 'id' } }, 404)
      return c.json(
        r.outcome === 'already_sent'
          ? { error: { code: 'already_sent', message: `Envoi ${r.id} déjà parti : il ne sera pas renvoyé / Already sent`, field: 'id' } }
          : { error: { code: 'expired', message: `Envoi ${r.id} expiré ou annulé : il ne sera plus envoyé / Expired`, field: 'id' } },
        409,
      )
    })

    app.post('/api/admin/alerts/retry', async (c) => c.json(await retryAll(c)))

    app.post('/admin/alerts/deliveries/:id/retry', async (c) => {
      const r = await retryOne(c, c.req.param('id'))
      const result = r.ok ? (r.run.problem ? 'configuration' : r.run.locked && r.delivery.state !== 'sent' ? 'occupe' : r.delivery.state) : r.outcome
      const id = r.ok ? r.delivery.id : IdSchema.safeParse(r.id).data
      return c.redirect(`/admin/alerts?${new URLSearchParams({ resultat: result, ...(id ? { envoi: String(id) } : {}) })}`, 303)
    })

    app.post('/admin/alerts/retry', async (c) => {
      const { scheduled, run } = await retryAll(c)
      const q = { resultat: run.problem ? 'configuration' : run.locked ? 'tout-occupe' : 'tout', relances: String(scheduled), envoyes: String(run.sent), echecs: String(run.failed) }
      return c.redirect(`/admin/alerts?${new URLSearchParams(q)}`, 303)
    })

    app.get('/admin/alerts', async (c) => {
      const { stats, health, deliveries, lost, mails } = await overview()
      const csrf = c.get('csrf')
      const message = statusMessage(c.req.query())
      const failed = deliveries.filter((d) => d.retryable).length
      return c.html(
        <Layout title="Alertes" account={c.get('account')} csrf={csrf}>
          <p role="status" class={message ? message.tone : undefined}>{message?.text ?? ''}</p>
          {health.lost > 0 || health.failing > 0 ? (
            <p class="alert">
              {health.failing > 0 ? `${formatInt(health.failing)} envoi(s) en échec, retentés automatiquement. ` : ''}
              {health.lost > 0 ? <>{formatInt(health.lost)} envoi(s) perdu(s) : leur date limite est passée avant qu'ils puissent partir (<a href="#perdus">voir la liste</a>).</> : ''}
            </p>
          ) : null}

          <h2 id="par-canal">Par canal</h2>
          <StatsTable stats={stats} />

          <h2 id="envois">Envois en échec ou en retard</h2>
          <p>
            Un envoi en échec est retenté automatiquement jusqu'à son dernier jour (la date limite, pour un rappel), toutes les 30 minutes au plus dans les deux jours qui la précèdent ; passé ce jour sans être parti, il est perdu et listé plus bas. « Réessayer » le relance tout de suite ; un envoi déjà parti n'est jamais renvoyé.
            {deliveries.length >= limit ? ` Seuls les ${formatInt(limit)} plus récents sont affichés.` : ''}
          </p>
          {failed > 0 ? (
            <form method="post" action="/admin/alerts/retry">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit">Tout réessayer ({formatInt(failed)})</button>
            </form>
          ) : null}
          {deliveries.length === 0 ? <p>Aucun envoi en échec ni en retard.</p> : <DeliveriesTable rows={deliveries} csrf={csrf} />}

          <h2 id="perdus">Envois perdus</h2>
          <p>Des rappels et des messages que le canal n'a pas pu porter avant leur dernier jour : ils ne partiront plus. Prévenez les abonnés concernés si besoin. Ils restent listés un mois.</p>
          {lost.length === 0 ? <p>Aucun envoi perdu.</p> : <DeliveriesTable rows={lost} csrf={csrf} label="perdus" />}

          <h2 id="boite-envoi">Boîte d'envoi des e-mails</h2>
          <p>Sans serveur SMTP, les e-mails attendent ici ; les refus SMTP y sont aussi copiés. Le registre des envois s'occupe des nouveaux essais.</p>
          {mails.length === 0 ? <p>Aucun e-mail en attente.</p> : <MailsTable rows={mails} />}
        </Layout>,
      )
    })
  }
}

/** The ledger facts an audit entry keeps (no address, no error text). */
function ledgerFacts(d: Delivery) {
  return { state: d.state, attempts: d.attempts, nextAttemptAt: d.nextAttemptAt }
}

function statusMessage(q: Record<string, string>): { text: string; tone: 'ok' | 'alert' } | undefined {
  const n = q['envoi'] && /^\d+$/.test(q['envoi']) ? `L'envoi ${q['envoi']}` : 'L\'envoi'
  const count = (k: string) => formatInt(Number(/^\d+$/.test(q[k] ?? '') ? q[k] : 0))
  switch (q['resultat']) {
    case 'sent': return { text: `${n} est parti.`, tone: 'ok' }
    case 'failed': return { text: `${n} a de nouveau échoué : voir l'erreur dans le tableau.`, tone: 'alert' }
    case 'pending':
    case 'occupe': return { text: `${n} est prêt : un envoi est déjà en cours, il partira avec lui ou au prochain passage.`, tone: 'ok' }
    case 'expired': return { text: `${n} a expiré ou son canal est fermé : il ne sera plus envoyé.`, tone: 'alert' }
    case 'already_sent': return { text: `${n} était déjà parti : il n'est pas renvoyé.`, tone: 'alert' }
    case 'not_found': return { text: `${n} est introuvable (désabonnement ou purge).`, tone: 'alert' }
    case 'tout': return { text: `${count('relances')} envoi(s) relancé(s) : ${count('envoyes')} parti(s), ${count('echecs')} en échec.`, tone: 'ok' }
    case 'configuration': return { text: 'Rien n\'est parti : GUICHET_PUBLIC_URL n\'est pas définie (les messages portent des liens). Les envois restent dus et partiront une fois le serveur configuré.', tone: 'alert' }
    case 'tout-occupe': return { text: `${count('relances')} envoi(s) relancé(s) : un envoi est déjà en cours, ils partiront avec lui ou au prochain passage.`, tone: 'ok' }
    default: return undefined
  }
}

const when = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' })
function at(iso: string | null): string {
  return iso ? when.format(new Date(iso)) : '—'
}

function StatsTable({ stats }: { stats: AlertsAdminStats }) {
  const n = (x: number) => formatInt(x)
  return (
    <table aria-labelledby="par-canal">
      <thead>
        <tr>
          <th scope="col">Canal</th>
          <th scope="col">Abonnements actifs</th>
          <th scope="col">Suspendus par leur titulaire</th>
          <th scope="col">En attente de confirmation</th>
          <th scope="col">Désactivés</th>
          <th scope="col">Envois en attente</th>
          <th scope="col">Envoyés</th>
          <th scope="col">En échec</th>
          <th scope="col">Expirés</th>
          <th scope="col">E-mails non envoyés (boîte d'envoi)</th>
        </tr>
      </thead>
      <tbody>
        {CHANNELS.map((ch) => {
          const s = stats.channels[ch]
          return (
            <tr>
              <th scope="row">{CHANNEL_LABELS[ch]}</th>
              <td>{n(s.subscriptions.active)}</td>
              <td>{n(s.subscriptions.paused)}</td>
              <td>{ch === 'email' ? n(s.subscriptions.pendingConfirmation) : '—'}</td>
              <td>{n(s.subscriptions.disabled)}</td>
              <td>{n(s.deliveries.pending)}</td>
              <td>{n(s.deliveries.sent)}</td>
              <td>{n(s.deliveries.failed)}</td>
              <td>{n(s.deliveries.expired)}</td>
              <td>{ch !== 'email' ? '—' : stats.outbox ? `${n(stats.outbox.queued)} en file, ${n(stats.outbox.failed)} refusé(s) par SMTP` : 'sans boîte d\'envoi'}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function DeliveriesTable({ rows, csrf, label = 'envois' }: { rows: DeliveryView[]; csrf: string; label?: string }) {
  return (
    <table aria-labelledby={label}>
      <thead>
        <tr>
          <th scope="col">Programme</th>
          <th scope="col">Objet et échéance</th>
          <th scope="col">Canal</th>
          <th scope="col">Destinataire</th>
          <th scope="col">État</th>
          <th scope="col">Tentatives</th>
          <th scope="col">Dernière erreur</th>
          <th scope="col">Prochain essai</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr>
            <td>{d.programme ? <>{d.programme.name}<br /><small>{d.programme.id}</small></> : '—'}</td>
            <td>{KIND_LABELS[d.kind]}{d.kind === 'reminder' || d.kind === 'estimate' ? ` J-${d.leadDays}` : ''}{d.deadline ? <><br /><small>échéance {d.deadline}</small></> : null}</td>
            <td>{CHANNEL_LABELS[d.channel]}</td>
            <td>{d.to}<br /><small>abonnement {d.subscriptionId}</small></td>
            <td>{d.lostOn ? `perdu (date limite passée) le ${d.lostOn}` : STATE_LABELS[d.state]}<br /><small>envoi {d.id}</small></td>
            <td>{formatInt(d.attempts)}</td>
            <td>{d.lastError ?? '—'}</td>
            <td>{d.state === 'failed' ? at(d.nextAttemptAt) : '—'}</td>
            <td>
              {d.retryable ? (
                <form method="post" action={`/admin/alerts/deliveries/${d.id}/retry`}>
                  <input type="hidden" name="_csrf" value={csrf} />
                  <button type="submit" class="secondary" aria-label={`Réessayer l'envoi ${d.id}${d.programme ? ` (${d.programme.name})` : ''}`}>Réessayer</button>
                </form>
              ) : '—'}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function MailsTable({ rows }: { rows: OutboxMailView[] }) {
  return (
    <table aria-labelledby="boite-envoi">
      <thead>
        <tr>
          <th scope="col">N°</th>
          <th scope="col">Destinataire</th>
          <th scope="col">Abonnement</th>
          <th scope="col">Créé le</th>
          <th scope="col">État</th>
          <th scope="col">Erreur</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr>
            <td>{m.id}</td>
            <td>{m.to}</td>
            <td>{m.subscriptionId}</td>
            <td>{at(m.createdAt)}</td>
            <td>{m.status === 'queued' ? 'en file (pas de SMTP)' : 'refusé par SMTP'}</td>
            <td>{m.error ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
