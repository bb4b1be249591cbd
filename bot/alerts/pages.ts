// The few French pages the alert links open: the confirmation of the address and the unsubscribe
// page — each a page that explains and a button that posts, so that a mail scanner opening every
// link (a GET, no cookie) never confirms nor unsubscribes anyone — and their outcomes. Plain
// HTML in the service's frame (./page-layout.ts), no script, every value escaped.
import { THEMES } from '../../core/themes.ts'
import { alertsPage } from './page-layout.ts'
import { escapeHtml, profileName } from './render.ts'
import type { Subscription } from './subscription.ts'

/** GET /alerts/confirm: what the button will confirm; the token travels in the form's body. */
export function confirmPromptPage(s: Subscription, token: string, actionUrl: string): string {
  const themes = s.themes.length ? s.themes.map((t) => THEMES[t].label).join(', ') : 'tous les thèmes (les programmes auxquels la collectivité est éligible)'
  const leads = s.leadTimes.map((l) => `J-${l}`).join(', ')
  return alertsPage(
    'Confirmer votre abonnement',
    `<p>Vous allez confirmer l'adresse <strong>${escapeHtml(s.channels.email?.address ?? '')}</strong> pour recevoir les alertes Guichet :</p>
<ul><li>collectivité : ${escapeHtml(profileName(s.profile))}</li><li>thèmes : ${escapeHtml(themes)}</li><li>rappels avant chaque date limite : ${escapeHtml(leads)}</li></ul>
<p>Rien n'est envoyé à cette adresse tant que vous n'avez pas cliqué sur « Confirmer ». Si vous n'êtes pas à l'origine de cette demande, fermez simplement cette page.</p>
<form method="post" action="${escapeHtml(actionUrl)}"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Confirmer</button></form>`,
  )
}

export function confirmedPage(links: { icsUrl: string; managePageUrl: string } | undefined, already: boolean): string {
  const extra = links
    ? `<p>Pour voir les dates limites dans Outlook ou un autre agenda, abonnez-vous à ce calendrier : <a href="${escapeHtml(links.icsUrl)}">calendrier des échéances (ICS)</a>.</p><p><a href="${escapeHtml(links.managePageUrl)}">Gérer mon abonnement</a> (thèmes, rappels, pause, export, effacement)</p>`
    : ''
  return alertsPage(already ? 'Adresse déjà confirmée' : 'Abonnement confirmé', `<p>${already ? 'Votre adresse était déjà confirmée : rien n\'a changé.' : 'Merci : vous recevrez les rappels avant chaque date limite et les nouveaux appels qui concernent votre collectivité.'}</p>${extra}`)
}

export function invalidLinkPage(): string {
  return alertsPage('Lien invalide ou expiré', '<p>Ce lien n\'est pas valide, ou il a expiré. Si vous souhaitez toujours recevoir les alertes, abonnez-vous de nouveau depuis Guichet.</p>')
}

export function unknownSubscriptionPage(): string {
  return alertsPage('Abonnement introuvable', '<p>Cet abonnement n\'existe plus : il a été supprimé ou vous vous êtes désabonné.</p>')
}

export function unsubscribeFormPage(actionUrl: string): string {
  return alertsPage(
    'Se désabonner des alertes Guichet',
    `<p>Vous ne recevrez plus aucune alerte de cet abonnement, et ses données seront effacées.</p>
<form method="post" action="${escapeHtml(actionUrl)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Me désabonner</button></form>`,
  )
}

export function unsubscribedPage(already: boolean): string {
  return alertsPage(already ? 'Déjà désabonné' : 'Vous êtes désabonné', `<p>${already ? 'Cet abonnement avait déjà été supprimé : vous ne recevrez plus rien.' : 'C\'est fait : vous ne recevrez plus ces alertes, et l\'abonnement a été effacé.'}</p>`)
}
