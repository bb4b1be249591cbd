// The privacy notice (GET /confidentialite, « Politique de confidentialité »), generated from the
// declaration of what is stored (core/privacy/declaration.ts): the controller and the DPO (from
// the configuration, « à compléter par l'organisme » when unset), each kind of data with its
// purpose, legal basis, retention and recipients, what is not recorded, the sub-processors and
// transfers of the runtime serving it, the rights (RGPD art. 15 to 21) and how to exercise them,
// the CNIL complaint route and the processing record's files.
import { CNIL_COMPLAINT_URL, PLACEHOLDER, RIGHTS, subProcessors, transfersText, type Controller } from '../../core/privacy/controller.ts'
import { DATA_DECLARATION, DEFAULT_BACKUP_KEEP_DAYS, offTableStores, type Runtime } from '../../core/privacy/declaration.ts'
import { SESSION_TTL_DAYS } from '../conversation/session-store.ts'
import { esc, legalPage, PRIVACY_PATH } from './legal-layout.ts'

/** A configured value, or the placeholder marked as such. */
export function filled(value: string): string {
  return value === PLACEHOLDER ? `<span class="placeholder">${esc(PLACEHOLDER)}</span>` : esc(value)
}

function controllerSection(c: Controller): string {
  return (
    `<h2 id="responsable">Responsable du traitement</h2><ul>` +
    `<li>Responsable du traitement : ${filled(c.name)}</li>` +
    `<li>Contact pour exercer vos droits : ${filled(c.contact)}</li>` +
    `<li>Délégué à la protection des données (DPO) : ${filled(c.dpo)}</li></ul>`
  )
}

function dataTable(runtime: Runtime, backupKeepDays: number): string {
  const rows = DATA_DECLARATION.filter((d) => d.runtimes.includes(runtime)).map(
    (d) => `<tr><th scope="row">${esc(d.label)}</th><td>${esc(d.content)}</td><td>${esc(d.subjects)}</td><td>${esc(d.purpose)}</td><td>${esc(d.legalBasis)}</td><td>${esc(d.retention.text)}</td><td>${esc(d.recipients)}</td></tr>`,
  )
  const logs = offTableStores(runtime, backupKeepDays).map(
    (l) => `<tr><th scope="row">${esc(l.label)}</th><td>${esc(l.content)}</td><td>${esc(l.subjects)}</td><td>${esc(l.purpose)}</td><td>${esc(l.legalBasis)}</td><td>${esc(l.retention)}</td><td>${esc(l.recipients)}</td></tr>`,
  )
  return (
    `<h2 id="donnees">Les données enregistrées</h2>` +
    `<p>Chaque ligne correspond à un endroit où le service enregistre des données personnelles, ou du texte libre qui peut en contenir. Passé la durée indiquée, les données sont supprimées automatiquement.</p>` +
    `<div class="scroll" role="region" aria-labelledby="donnees-legende" tabindex="0"><table><caption id="donnees-legende" class="note">Données enregistrées par ce service, leur finalité et leur durée de conservation</caption>` +
    `<thead><tr><th scope="col">Données</th><th scope="col">Ce qui est enregistré</th><th scope="col">Personnes concernées</th><th scope="col">Finalité</th><th scope="col">Base légale</th><th scope="col">Conservation</th><th scope="col">Destinataires</th></tr></thead>` +
    `<tbody>${[...rows, ...logs].join('')}</tbody></table></div>`
  )
}

function notRecorded(runtime: Runtime): string {
  return (
    `<h2 id="non-enregistre">Ce que le service n'enregistre pas</h2><ul>` +
    `<li>Votre adresse IP : seule une empreinte chiffrée (HMAC, avec une clé propre au serveur) limite le nombre de conversations ouvertes depuis un même poste ; les limites de débit comptent les requêtes en mémoire, sans les écrire.</li>` +
    `<li>Le journal technique n'écrit ni adresse IP, ni navigateur, ni adresse complète des pages, ni contenu des messages.</li>` +
    `<li>Aucune mesure d'audience, aucune publicité, aucune ressource d'un autre site (police, script, image) : les pages et le widget ne chargent que des fichiers de ce service.</li>` +
    `<li>Aucun cookie sur les pages publiques ni dans le widget : le widget garde la conversation en cours dans le stockage de l'onglet (<code>sessionStorage</code>), effacé à sa fermeture. Le back-office dépose deux cookies strictement nécessaires à la connexion des administrateurs.</li>` +
    `<li>Les alertes ne gardent pas le texte libre de votre projet : seulement la collectivité, les thèmes et les critères choisis.</li>` +
    (runtime === 'workers' ? `<li>Sur cette installation (Cloudflare Workers), les alertes ne partent pas par e-mail ni par Teams : aucune adresse e-mail n'est enregistrée pour elles.</li>` : '') +
    `</ul>`
  )
}

function recipientsSection(runtime: Runtime): string {
  const processors = subProcessors(runtime).map((p) => `<li><strong>${esc(p.name)}</strong> : ${esc(p.role)} — ${esc(p.where)}.</li>`).join('')
  const own =
    runtime === 'node'
      ? `<li>L'hébergeur du serveur et, pour les alertes par e-mail, le relais d'envoi (SMTP) que l'organisme a choisis.</li>`
      : ''
  return (
    `<h2 id="destinataires">Destinataires et sous-traitants</h2>` +
    `<p>Les données ne sont ni vendues ni cédées, et ne servent à aucune publicité. Seuls les agents habilités de l'organisme y accèdent, ainsi que les sous-traitants techniques suivants, pour ce qui les concerne :</p><ul>${own}${processors}</ul>` +
    `<h2 id="transferts">Transferts hors de l'Union européenne</h2><p>${esc(transfersText(runtime))}</p>`
  )
}

function rightsSection(c: Controller): string {
  const each = RIGHTS.map((r) => `un ${esc(r.right)} (${esc(r.article)})`)
  const rights = `${each.slice(0, -1).join(', ')} et ${each.at(-1)!}`
  return (
    `<h2 id="droits">Vos droits</h2>` +
    `<p>Le Règlement général sur la protection des données (RGPD) vous donne, sur les données qui vous concernent, ${rights}.</p>` +
    `<h3>Comment les exercer</h3><ul>` +
    `<li><strong>Alertes</strong> : chaque message d'alerte porte un lien « Gérer ou supprimer mon abonnement », qui montre tout ce que l'abonnement contient et permet de l'effacer entièrement, et un lien « Se désabonner en un clic », qui arrête tout envoi et efface aussitôt vos adresses.</li>` +
    `<li><strong>Conversations</strong> : elles ne sont rattachées à aucun compte ni à aucune adresse e-mail. « Recommencer la conversation », dans le widget, en ouvre une nouvelle ; chacune est effacée ${SESSION_TTL_DAYS} jours après son dernier message.</li>` +
    `<li><strong>Toute autre demande</strong> (accès, rectification, effacement, limitation, opposition, comptes du back-office) : écrivez au contact de l'organisme (${filled(c.contact)}) ou à son délégué à la protection des données (${filled(c.dpo)}). L'organisme répond dans un délai d'un mois (RGPD, art. 12).</li></ul>` +
    `<h2 id="reclamation">Réclamation auprès de la CNIL</h2>` +
    `<p>Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la Commission nationale de l'informatique et des libertés (CNIL) : <a href="${CNIL_COMPLAINT_URL}">www.cnil.fr/plaintes</a>.</p>`
  )
}

export function renderPrivacyPage({ controller, runtime, backupKeepDays = DEFAULT_BACKUP_KEEP_DAYS }: { controller: Controller; runtime: Runtime; backupKeepDays?: number }): string {
  const body =
    `<h1>Politique de confidentialité</h1>` +
    `<p>Guichet aide les agents et les élus des collectivités à trouver les financements de leurs projets. Cette page dit quelles données personnelles ce service enregistre, pourquoi, combien de temps, et quels sont vos droits. Elle est produite à partir de la déclaration des données tenue dans le code du service : ce qui est enregistré et ce qui est écrit ici ne peuvent pas diverger.</p>` +
    controllerSection(controller) +
    `<h2 id="base-legale">Base légale</h2><p>Les traitements sont nécessaires à l'exécution d'une mission d'intérêt public (RGPD, art. 6.1.e) : informer les collectivités des financements auxquels elles peuvent prétendre et les prévenir de leurs échéances.</p>` +
    dataTable(runtime, backupKeepDays) +
    notRecorded(runtime) +
    recipientsSection(runtime) +
    rightsSection(controller) +
    `<h2 id="registre">Registre des activités de traitement</h2><p>Le registre des activités de traitement (RGPD, art. 30) de ce service, tiré de la même déclaration, peut être téléchargé : <a href="${PRIVACY_PATH}/registre.csv">registre au format CSV</a> (tableur) · <a href="${PRIVACY_PATH}/registre.xlsx">registre au format XLSX</a>.</p>`
  return legalPage('Politique de confidentialité', body)
}
