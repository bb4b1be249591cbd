// The few French pages the alert links open: confirmation of the address, the unsubscribe
// page (a button that posts, so that link scanners never unsubscribe anyone), and their
// outcomes. Plain HTML, no script, every value escaped.
import { escapeHtml } from './render.ts'

function page(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} — Guichet</title>
<style>body{font-family:system-ui,Arial,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#161616}h1{font-size:1.4rem;color:#000091}button{font-size:1rem;padding:.6rem 1.2rem;background:#000091;color:#fff;border:0;cursor:pointer}a{color:#000091}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
}

export function confirmedPage(links: { icsUrl: string; manageUrl: string } | undefined, already: boolean): string {
  const extra = links
    ? `<p>Pour voir les dates limites dans Outlook ou un autre agenda, abonnez-vous à ce calendrier : <a href="${escapeHtml(links.icsUrl)}">calendrier des échéances (ICS)</a>.</p><p><a href="${escapeHtml(links.manageUrl)}">Voir ou supprimer mon abonnement</a></p>`
    : ''
  return page(already ? 'Adresse déjà confirmée' : 'Abonnement confirmé', `<p>${already ? 'Votre adresse était déjà confirmée : rien n\'a changé.' : 'Merci : vous recevrez les rappels avant chaque date limite et les nouveaux appels qui concernent votre collectivité.'}</p>${extra}`)
}

export function invalidLinkPage(): string {
  return page('Lien invalide ou expiré', '<p>Ce lien n\'est pas valide, ou il a expiré. Si vous souhaitez toujours recevoir les alertes, abonnez-vous de nouveau depuis Guichet.</p>')
}

export function unknownSubscriptionPage(): string {
  return page('Abonnement introuvable', '<p>Cet abonnement n\'existe plus : il a été supprimé ou vous vous êtes désabonné.</p>')
}

export function unsubscribeFormPage(actionUrl: string): string {
  return page(
    'Se désabonner des alertes Guichet',
    `<p>Vous ne recevrez plus aucune alerte de cet abonnement, et ses données seront effacées.</p>
<form method="post" action="${escapeHtml(actionUrl)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Me désabonner</button></form>`,
  )
}

export function unsubscribedPage(already: boolean): string {
  return page(already ? 'Déjà désabonné' : 'Vous êtes désabonné', `<p>${already ? 'Cet abonnement avait déjà été supprimé : vous ne recevrez plus rien.' : 'C\'est fait : vous ne recevrez plus ces alertes, et l\'abonnement a été effacé.'}</p>`)
}
