// The accessibility statement (GET /accessibilite, « Déclaration d'accessibilité ») on the RGAA 4.1
// model: commitment, conformance state (« non conforme »: no complete RGAA audit has been made),
// the pages checked and how (axe-core in the browser tests, plus the criteria those tests check
// one by one), what is known not to be accessible, how the statement was made, the contact and
// the Défenseur des droits route. The footer of every page links here with the state.
import type { Controller } from '../../core/privacy/controller.ts'
import { formatDay } from '../../core/french.ts'
import { ACCESSIBILITY_STATE } from './accessibility-state.ts'
import { esc, legalPage } from './legal-layout.ts'
import { filled } from './privacy-page.ts'

/** When this statement was last established (a new check of the pages moves it). */
export const STATEMENT_DAY = '2026-12-07'
/** The axe-core the browser tests run (test/privacy/legal-pages.test.ts checks it is the installed one). */
export const AXE_CORE_VERSION = '4.14.1'

/** The pages checked, and by which test. */
export const AUDITED_PAGES: readonly { page: string; where: string; test: string }[] = [
  { page: "Page d'accueil, formulaire et résultats", where: '/', test: 'test/privacy/pages.browser.test.ts, test/widget/widget.browser.test.ts' },
  { page: 'Widget de conversation (sur la page de démonstration)', where: '/demo', test: 'test/widget/widget.browser.test.ts, test/financing/widget-plan.browser.test.ts, test/privacy/pages.browser.test.ts' },
  { page: 'Plan de financement imprimable', where: '/plan', test: 'test/financing/widget-plan.browser.test.ts, test/privacy/pages.browser.test.ts' },
  { page: "Gestion d'une alerte et désabonnement", where: '/alerts/…', test: 'test/privacy/pages.browser.test.ts' },
  {
    page: "Back-office : connexion, et ses pages une fois connecté (sauf la page d'arrivée d'un lien de déblocage de compte)",
    where: '/admin',
    test: 'test/admin/admin.browser.test.ts, test/privacy/privacy-admin.browser.test.ts, test/privacy/pages.browser.test.ts',
  },
  { page: 'Politique de confidentialité et présente déclaration', where: '/confidentialite, /accessibilite', test: 'test/privacy/pages.browser.test.ts' },
]

/** What the tests check page by page besides axe-core, with the RGAA 4.1 criterion when there is one. */
export const CHECKED_CRITERIA: readonly string[] = [
  'langue par défaut présente (critère 8.3) et titre de page présent (critère 8.5) : toutes les pages listées',
  "lien d'évitement vers le contenu principal (critère 12.7) : page d'accueil, plan de financement, politique de confidentialité, présente déclaration",
  'contenu lisible sans défilement horizontal de la page dans une fenêtre de 320 pixels de large (critère 10.11) : toutes les pages listées et le widget',
  'utilisation au clavier seul (Tab, Entrée, Espace, Échap) : le widget de bout en bout, la connexion au back-office',
  "le widget garde son apparence sous une feuille de style hostile du site qui l'accueille ; après une recherche, le focus passe aux résultats",
  "aucune ressource chargée depuis un autre site (police, script, image) : toutes les pages listées et le widget, sauf les pages du back-office après la connexion, que ce test n'ouvre pas",
]

/** What is known not to be accessible, or not checked. */
export const KNOWN_ISSUES: readonly string[] = [
  "Aucun audit RGAA complet (les 106 critères) n'a été conduit : l'état « non conforme » le dit, et les critères qui demandent un jugement humain (pertinence des alternatives, des titres, des intitulés de liens) n'ont pas été évalués.",
  "La restitution par les lecteurs d'écran (NVDA, JAWS, VoiceOver, TalkBack) n'a été essayée sur aucune page, en particulier l'annonce des réponses du widget (zone role=\"log\").",
  'Les tests retiennent les violations « graves » et « critiques » d’axe-core ; les violations « modérées » et « mineures » ne sont pas relevées.',
  'Les fichiers téléchargeables (plan de financement et registre en CSV ou XLSX, calendriers ICS, flux Atom) ne sont pas vérifiés.',
  'Sur un petit écran, le tableau des données de la politique de confidentialité et celui du plan de financement défilent horizontalement dans leur propre zone (tableaux de données à deux dimensions).',
  "Les pages de gestion des alertes et du back-office n'ont pas de lien d'évitement vérifié.",
  'La page /demo est une page de démonstration fictive qui accueille le widget : ses propres liens ne mènent nulle part.',
]

export function renderAccessibilityPage({ controller, publicUrl }: { controller: Controller; publicUrl: string }): string {
  const li = (xs: readonly string[]) => `<ul>${xs.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`
  const pages = AUDITED_PAGES.map((p) => `<li>${esc(p.page)} — <code>${esc(p.where)}</code> <span class="note">(${esc(p.test)})</span></li>`).join('')
  const body =
    `<h1>Déclaration d'accessibilité</h1>` +
    `<p>${filled(controller.name)} s'engage à rendre ses services en ligne accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.</p>` +
    `<p>Cette déclaration d'accessibilité s'applique à Guichet, le guichet unique des financements des collectivités (<code>${esc(publicUrl)}</code>), et au widget que des sites de collectivités intègrent.</p>` +
    `<h2 id="etat">État de conformité</h2>` +
    `<p><strong>Guichet est ${esc(ACCESSIBILITY_STATE)}</strong> avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1 : aucun audit de conformité complet n'a encore été réalisé. Les vérifications décrites ci-dessous ont été faites, mais elles ne permettent pas de calculer un taux de conformité.</p>` +
    `<h2 id="resultats">Résultats des tests</h2>` +
    `<p>Les tests automatiques du code ouvrent chacune des pages listées dans un navigateur et y exécutent axe-core (règles WCAG 2.1 niveaux A et AA et bonnes pratiques) : aucune violation grave ou critique n'y est relevée. Ils vérifient aussi :</p>${li(CHECKED_CRITERIA)}` +
    `<h3>Pages vérifiées</h3><ul>${pages}</ul>` +
    `<h2 id="non-accessible">Contenus non accessibles ou non vérifiés</h2>${li(KNOWN_ISSUES)}` +
    `<h3>Dérogations pour charge disproportionnée</h3><p>Aucune.</p>` +
    `<h3>Contenus non soumis à l'obligation d'accessibilité</h3><p>Les pages officielles des financeurs vers lesquelles Guichet renvoie relèvent de leurs éditeurs.</p>` +
    `<h2 id="etablissement">Établissement de cette déclaration</h2>` +
    `<p>Cette déclaration a été établie le ${esc(formatDay(STATEMENT_DAY))}.</p>` +
    `<ul><li>Technologies utilisées : HTML, CSS, JavaScript (widget), SVG.</li>` +
    `<li>Outils : axe-core ${esc(AXE_CORE_VERSION)}, exécuté dans Chromium (playwright-core) par les tests automatiques du code.</li>` +
    `<li>Environnement de test : Chromium sans interface, fenêtres de 320 pixels et de bureau.</li></ul>` +
    `<h2 id="contact">Retour d'information et contact</h2>` +
    `<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du service pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : ${filled(controller.contact)}.</p>` +
    `<h2 id="recours">Voies de recours</h2>` +
    `<p>Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du service un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou à un des services et vous n'avez pas obtenu de réponse satisfaisante.</p><ul>` +
    `<li>Écrire un message au Défenseur des droits (<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>)</li>` +
    `<li>Contacter le délégué du Défenseur des droits dans votre région (<a href="https://www.defenseurdesdroits.fr/saisir/delegues">liste des délégués</a>)</li>` +
    `<li>Envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07</li></ul>`
  return legalPage("Déclaration d'accessibilité", body)
}
