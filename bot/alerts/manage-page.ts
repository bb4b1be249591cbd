// The French management page of a subscription (GET and POST /alerts/{id}/manage, signed manage
// token): what is followed and where it stands, then one form per thing its owner may do —
// change themes, lead times and the new-calls frequency; pause or resume; export everything kept
// (JSON); erase, after a confirmation step, with a page saying what was erased. Every form posts
// the manage token in its body (see manage-routes.ts for why that and the same-origin check
// stop cross-site requests). Accessible: labels, fieldsets with legends, the outcome of a step
// in a status (or alert) message that takes the focus, the field at fault named and linked.
import { formatDay } from '../../core/french.ts'
import { THEMES, THEME_IDS } from '../../core/themes.ts'
import { APPLICANT_TYPES } from '../../core/applicants.ts'
import type { ErasureReport } from './manage.ts'
import { alertsPage, type Notice } from './page-layout.ts'
import { escapeHtml as esc, profileName } from './render.ts'
import { channelStatus, MAX_LEAD_DAYS, subscriptionStatus, type NewCallsFrequency, type Subscription } from './subscription.ts'

/** The lead times offered as boxes, beside the subscription's own. */
export const OFFERED_LEAD_TIMES: readonly number[] = [60, 30, 15, 7, 3, 1]
export const MAX_LEAD_TIMES = 6

export const NEW_CALLS_LABELS: Record<NewCallsFrequency, string> = { daily: 'chaque jour', weekly: 'chaque semaine', off: 'jamais' }

/** What the preferences form shows: the stored values, or those a refused form sent. */
export interface PreferencesForm {
  themes: readonly string[]
  leadTimes: readonly string[]
  leadTimeOther: string
  newCalls: string
  /** The field refused (themes, leadTimes, leadTimeOther, newCalls) and why. */
  error?: { field: string; message: string }
}

export interface ManagePageProps {
  subscription: Subscription
  token: string
  /** Where the forms post: <base>/alerts/{id}/manage. */
  actionUrl: string
  /** The page itself (GET, with its token): « Annuler » goes back there. */
  pageUrl: string
  icsUrl: string
  /** A followed programme's name, or undefined when the catalogue no longer has it. */
  programmeName: (id: string) => string | undefined
  notice?: Notice
  form?: PreferencesForm
}

const STATE: Record<ReturnType<typeof subscriptionStatus>, { cls: string; text: string }> = {
  active: { cls: 'state-active', text: 'Actif : les alertes vous sont envoyées.' },
  paused: { cls: 'state-paused', text: 'Suspendu : rien ne vous est envoyé jusqu\'à la reprise.' },
  pending_confirmation: { cls: 'state-pending', text: 'En attente de confirmation : ouvrez le lien reçu par e-mail et cliquez sur « Confirmer ».' },
  inactive: { cls: 'state-off', text: 'Inactif : aucun canal ne peut plus recevoir d\'alerte.' },
  unsubscribed: { cls: 'state-off', text: 'Désabonné.' },
}
const CHANNEL_STATE = { active: 'actif', pending_confirmation: 'en attente de confirmation', disabled: 'désactivé' } as const

const hidden = (token: string) => `<input type="hidden" name="token" value="${esc(token)}">`
const leadLabel = (n: number) => `J-${n}`

/** The stored preferences as the form shows them. */
export function storedForm(s: Subscription): PreferencesForm {
  return { themes: s.themes, leadTimes: s.leadTimes.map(String), leadTimeOther: '', newCalls: s.newCalls }
}

export function renderManagePage(p: ManagePageProps): string {
  const s = p.subscription
  const body = summary(p) + preferencesForm(p) + pauseForm(p) + exportForm(p) + eraseForm(p)
  return alertsPage('Vos alertes Guichet', body, p.notice ?? (s.pausedAt ? { kind: 'warn', text: `Vos alertes sont suspendues depuis le ${formatDay(s.pausedAt.slice(0, 10))}.` } : undefined))
}

function summary(p: ManagePageProps): string {
  const s = p.subscription
  const state = STATE[subscriptionStatus(s)]
  const channels = channelStatus(s)
  const channelItems = [
    s.channels.email ? `<li>e-mail : ${esc(s.channels.email.address)} (${CHANNEL_STATE[channels.email!]})</li>` : '',
    s.channels.teams ? `<li>Microsoft Teams (${CHANNEL_STATE[channels.teams!]})</li>` : '',
    s.channels.webhook ? `<li>webhook : ${esc(s.channels.webhook.url)} (${CHANNEL_STATE[channels.webhook!]})</li>` : '',
  ].join('')
  const themes = s.themes.length ? `<ul>${s.themes.map((t) => `<li>${esc(THEMES[t].label)}</li>`).join('')}</ul>` : 'Tous les thèmes : les programmes auxquels la collectivité est éligible.'
  const followed = s.programmes.length ? `<dt>Programmes suivis</dt><dd><ul>${s.programmes.map((id) => `<li>${esc(p.programmeName(id) ?? `${id} (plus au catalogue)`)}</li>`).join('')}</ul></dd>` : ''
  const applicant = s.facts.applicantType ? `<dt>Porteur du projet</dt><dd>${esc(APPLICANT_TYPES[s.facts.applicantType].label)}</dd>` : ''
  return `<section aria-labelledby="suivi-titre"><h2 id="suivi-titre">Ce que vous suivez</h2><dl>
<dt>État</dt><dd class="${state.cls}">${esc(state.text)}</dd>
<dt>Collectivité</dt><dd>${esc(profileName(s.profile))}</dd>${applicant}
<dt>Thèmes</dt><dd>${themes}</dd>${followed}
<dt>Rappels</dt><dd>${s.leadTimes.map(leadLabel).join(', ')} avant chaque date limite</dd>
<dt>Nouveaux appels</dt><dd>${NEW_CALLS_LABELS[s.newCalls]}</dd>
<dt>Canaux</dt><dd><ul>${channelItems}</ul></dd>
<dt>Créé le</dt><dd>${formatDay(s.createdAt.slice(0, 10))}</dd>
</dl><p class="hint">Les dates limites dans votre agenda (Outlook ou autre) : <a href="${esc(p.icsUrl)}">calendrier des échéances (ICS)</a>.</p></section>`
}

const fieldError = (f: PreferencesForm, field: string) => (f.error?.field === field ? `<p class="field-error" id="erreur-${field}">${esc(f.error.message)}</p>` : '')
const invalid = (f: PreferencesForm, field: string) => (f.error?.field === field ? ` aria-invalid="true" aria-describedby="erreur-${field}"` : '')

function preferencesForm(p: ManagePageProps): string {
  const f = p.form ?? storedForm(p.subscription)
  const chosen = new Set(f.themes)
  const themeBoxes = THEME_IDS.map((t) => `<label><input type="checkbox" name="themes" value="${t}"${chosen.has(t) ? ' checked' : ''}> ${esc(THEMES[t].label)}</label>`).join('')
  const leads = new Set(f.leadTimes)
  const offered = [...new Set([...OFFERED_LEAD_TIMES, ...p.subscription.leadTimes])].sort((a, b) => b - a)
  const leadBoxes = offered.map((n) => `<label><input type="checkbox" name="leadTimes" value="${n}"${leads.has(String(n)) ? ' checked' : ''}> ${leadLabel(n)}</label>`).join('')
  const radios = (Object.keys(NEW_CALLS_LABELS) as NewCallsFrequency[]).map((k) => `<label><input type="radio" name="newCalls" value="${k}"${f.newCalls === k ? ' checked' : ''}> ${NEW_CALLS_LABELS[k]}</label>`).join('')
  return `<form class="card" method="post" action="${esc(p.actionUrl)}" aria-labelledby="prefs-titre" novalidate>${hidden(p.token)}<input type="hidden" name="action" value="preferences">
<h2 id="prefs-titre">Modifier vos préférences</h2>
<fieldset id="champ-themes"${invalid(f, 'themes')}><legend>Thèmes</legend><p class="hint">Aucune case cochée : tous les thèmes, pour les programmes auxquels la collectivité est éligible.</p>${fieldError(f, 'themes')}<div class="choices">${themeBoxes}</div></fieldset>
<fieldset id="champ-leadTimes"${invalid(f, 'leadTimes')}><legend>Rappels avant chaque date limite</legend><p class="hint">De 1 à ${MAX_LEAD_TIMES} rappels, de 1 à ${MAX_LEAD_DAYS} jours avant la date limite.</p>${fieldError(f, 'leadTimes')}<div class="inline">${leadBoxes}</div>
<label class="field" for="leadTimeOther">Autre délai, en jours (facultatif)</label><input type="text" inputmode="numeric" id="leadTimeOther" name="leadTimeOther" value="${esc(f.leadTimeOther)}"${invalid(f, 'leadTimeOther')}>${fieldError(f, 'leadTimeOther')}</fieldset>
<fieldset id="champ-newCalls"${invalid(f, 'newCalls')}><legend>Nouveaux appels à projets qui vous concernent</legend>${fieldError(f, 'newCalls')}<div class="inline">${radios}</div></fieldset>
<button type="submit">Enregistrer mes préférences</button></form>`
}

function pauseForm(p: ManagePageProps): string {
  const paused = Boolean(p.subscription.pausedAt)
  // As setPaused (./manage.ts) does it.
  const text = paused
    ? 'Vos alertes sont suspendues et les envois qui étaient en attente ont été annulés. En les reprenant, vous recevrez une fois, pour chaque date limite encore à venir, le dernier rappel passé pendant la suspension, puis les rappels suivants.'
    : 'Vous partez en congé ? Suspendez les alertes : rien ne vous sera envoyé jusqu\'à ce que vous les repreniez. Les envois en attente, y compris ceux qui attendent un nouvel essai après un échec, sont annulés aussitôt et ne partiront pas à la reprise.'
  return `<form class="card" method="post" action="${esc(p.actionUrl)}" aria-labelledby="pause-titre">${hidden(p.token)}<input type="hidden" name="action" value="${paused ? 'resume' : 'pause'}">
<h2 id="pause-titre">${paused ? 'Reprendre les alertes' : 'Suspendre les alertes'}</h2><p class="hint">${esc(text)}</p><button type="submit" class="secondary">${paused ? 'Reprendre les alertes' : 'Suspendre les alertes'}</button></form>`
}

function exportForm(p: ManagePageProps): string {
  return `<form class="card" method="post" action="${esc(p.actionUrl)}" aria-labelledby="export-titre">${hidden(p.token)}<input type="hidden" name="action" value="export">
<h2 id="export-titre">Exporter vos données</h2><p class="hint">Un fichier JSON avec tout ce que Guichet garde de cet abonnement : la collectivité, vos choix, vos adresses, l'historique des envois et les e-mails conservés (destinataire, objet, texte).</p><button type="submit" class="secondary">Télécharger mes données (JSON)</button></form>`
}

function eraseForm(p: ManagePageProps): string {
  return `<form class="card" method="post" action="${esc(p.actionUrl)}" aria-labelledby="effacer-titre">${hidden(p.token)}<input type="hidden" name="action" value="erase">
<h2 id="effacer-titre">Effacer votre abonnement</h2><p class="hint">Vous ne recevrez plus rien, et Guichet efface l'abonnement et vos adresses. Une confirmation vous sera demandée.</p><button type="submit" class="danger">Effacer mon abonnement…</button></form>`
}

/** The confirmation step before erasing: what will go, a button, and the way back. */
export function renderEraseConfirmPage(p: ManagePageProps): string {
  const s = p.subscription
  const address = s.channels.email ? `<li>votre adresse e-mail ${esc(s.channels.email.address)} ;</li>` : ''
  const body = `<p>Voulez-vous vraiment effacer l'abonnement aux alertes de ${esc(profileName(s.profile))} ? C'est définitif : il faudra vous abonner de nouveau pour recevoir des alertes.</p>
<p>Seront effacés :</p><ul><li>l'abonnement : collectivité, thèmes, programmes suivis, rappels, fréquence ;</li>${address}<li>l'historique des envois et les envois en attente.</li></ul>
<form class="card" method="post" action="${esc(p.actionUrl)}" aria-label="Confirmer l'effacement">${hidden(p.token)}<input type="hidden" name="action" value="erase"><input type="hidden" name="confirm" value="oui">
<button type="submit" class="danger">Oui, effacer définitivement</button></form>
<p><a href="${esc(p.pageUrl)}">Non, revenir à mon abonnement</a></p>`
  return alertsPage('Effacer votre abonnement ?', body, { kind: 'warn', text: 'Confirmation demandée : rien n\'est encore effacé.' })
}

/** After erasing: what went (the store erases the subscription with its whole delivery ledger, AlertsStore.deleteSubscription). */
export function renderErasedPage(r: ErasureReport): string {
  const s = r.subscription
  const items = [
    `<li>l'abonnement aux alertes de ${esc(profileName(s.profile))} (thèmes, programmes suivis, rappels ${s.leadTimes.map(leadLabel).join(', ')}, fréquence) ;</li>`,
    s.channels.email ? `<li>l'adresse e-mail ${esc(s.channels.email.address)} ;</li>` : '',
    s.channels.teams ? '<li>la conversation Microsoft Teams ;</li>' : '',
    s.channels.webhook ? `<li>le webhook ${esc(s.channels.webhook.url)} ;</li>` : '',
    `<li>l'historique des envois : ${count(r.pastDeliveries, 'envoi passé', 'envois passés')} et ${count(r.unsentDeliveries, 'envoi en attente', 'envois en attente')}, avec les messages en file d'attente.</li>`,
  ].join('')
  return alertsPage('Abonnement effacé', `<p>Ont été effacés :</p><ul>${items}</ul><p>Vous ne recevrez plus rien de cet abonnement. Pour recevoir de nouveau des alertes, abonnez-vous depuis <a href="/">Guichet</a>.</p>`, { kind: 'ok', text: 'Votre abonnement a été effacé.' })
}

const count = (n: number, one: string, many: string) => (n === 0 ? `aucun ${one}` : n === 1 ? `1 ${one}` : `${n} ${many}`)

/** A form body that could not be read (not a form, too large): 400, naming the body. */
export function unreadableFormPage(err: { issues: { field: string; message: string }[] }): string {
  const issue = err.issues[0]!
  return alertsPage('Formulaire illisible', `<p>Rien n'a été modifié. Champ « ${esc(issue.field)} » : ${esc(issue.message)}.</p><p>Ouvrez de nouveau le lien reçu avec vos alertes et recommencez.</p>`)
}

/** A manage link whose token is not right (403), or a form sent from another site. */
export function forbiddenManagePage(reason: 'token' | 'origin'): string {
  return alertsPage(
    reason === 'token' ? 'Lien invalide' : 'Demande refusée',
    reason === 'token'
      ? '<p>Ce lien de gestion n\'est pas valide. Utilisez le lien « Gérer mon abonnement » reçu avec vos alertes.</p>'
      : '<p>Ce formulaire n\'a pas été envoyé depuis la page de votre abonnement : rien n\'a été changé. Ouvrez le lien « Gérer mon abonnement » reçu avec vos alertes et recommencez.</p>',
  )
}
