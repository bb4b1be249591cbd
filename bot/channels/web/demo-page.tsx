/** @jsxImportSource hono/jsx */
// GET /demo: the site of a fictional town, "Commune de Saint-Exemple", with the widget
// embedded in one line, as a webmaster would. ?hostile=1 adds a stylesheet that tries to
// break everything on the page: the widget must look exactly the same.
import { raw } from 'hono/html'

export const DEMO_COLLECTIVITE = '18197'

/** Rules a careless (or hostile) host site might ship; none may reach the widget. */
export const HOSTILE_CSS = `
* { all: unset !important; font-size: 40px !important; color: red !important; font-family: "Comic Sans MS", cursive !important; line-height: 3 !important; letter-spacing: 4px !important; text-transform: uppercase !important; direction: rtl !important; box-sizing: content-box !important; visibility: visible !important; }
button, input, [role="dialog"], [role="log"], section, ol, ul, li, h2, h3 { display: none !important; }
div, p, a, span, svg { display: inline !important; margin: 40px !important; padding: 40px !important; border: 9px dashed lime !important; background: yellow !important; }
guichet-widget, body > * { position: absolute !important; top: -9999px !important; left: -9999px !important; width: 1px !important; height: 1px !important; display: none !important; opacity: .1 !important; transform: rotate(12deg) scale(.5) !important; filter: invert(1) blur(3px) !important; z-index: -1 !important; }
:host, ::part(panel) { display: none !important; }
`

const CSS = `
*{box-sizing:border-box}
body{margin:0;background:#eef1ee;color:#222;font:16px/1.6 Georgia,"Times New Roman",serif}
a{color:#1d5a8e}
.demo-note{background:#fff8d6;border-bottom:1px solid #e0cf7a;padding:.6rem 1rem;font:14px/1.5 system-ui,sans-serif;color:#3d3300}
.demo-note code{background:#fff;border:1px solid #e0cf7a;padding:.1rem .3rem;border-radius:3px;overflow-wrap:anywhere}
.banner{background:#1d5a8e;color:#fff}
.banner .wrap{display:flex;align-items:center;gap:1rem;padding:1.2rem 1rem}
.crest{width:56px;height:64px;flex:none;background:#f1c232;border:3px solid #fff;border-radius:0 0 28px 28px;display:grid;place-items:center;color:#1d5a8e;font:700 20px Georgia,serif}
.banner h1{margin:0;font-size:1.7rem;line-height:1.2}
.banner p{margin:.2rem 0 0;color:#dce8f3;font-size:.95rem}
nav{background:#164a75}
nav ul{list-style:none;margin:0 auto;padding:0 1rem;display:flex;flex-wrap:wrap;max-width:1000px}
nav a{display:block;padding:.6rem .9rem;color:#fff;text-decoration:none;font:15px system-ui,sans-serif}
nav a:hover,nav a:focus-visible{background:#0f3656;text-decoration:underline}
.wrap{max-width:1000px;margin:0 auto}
main.wrap{display:grid;grid-template-columns:1fr 280px;gap:1.5rem;padding:1.5rem 1rem 3rem}
@media (max-width:760px){main.wrap{grid-template-columns:1fr}}
article{background:#fff;border:1px solid #d5dbd5;padding:1rem 1.2rem;margin-bottom:1rem}
article h3{margin:.1rem 0 .3rem;font-size:1.2rem;color:#164a75}
.date{font:13px system-ui,sans-serif;color:#5a5f5a}
aside section{background:#fff;border:1px solid #d5dbd5;padding:1rem;margin-bottom:1rem}
aside h2{font-size:1.1rem;margin:0 0 .4rem;color:#164a75}
footer{background:#2f3a33;color:#e6ece7;font:14px/1.6 system-ui,sans-serif}
footer .wrap{padding:1.2rem 1rem 5.5rem}
footer a{color:#fff}
`

export function renderDemoPage({ origin, hostile = false }: { origin: string; hostile?: boolean }): string {
  const snippet = `<script src="${origin}/widget.js" data-collectivite="${DEMO_COLLECTIVITE}" defer></script>`
  return '<!doctype html>' + (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Commune de Saint-Exemple — Site officiel</title>
        <style>{raw(CSS)}</style>
        {hostile ? <style id="hostile">{raw(HOSTILE_CSS)}</style> : null}
      </head>
      <body>
        <p class="demo-note">
          Page de démonstration : le site d'une commune fictive qui intègre Guichet en une ligne, <code>{snippet}</code>
        </p>
        <header class="banner">
          <div class="wrap">
            <div class="crest" aria-hidden="true">SE</div>
            <div>
              <h1>Commune de Saint-Exemple</h1>
              <p>Mairie de Saint-Exemple — 2 431 habitants</p>
            </div>
          </div>
        </header>
        <nav aria-label="Menu principal">
          <ul>
            <li><a href="#actualites">Actualités</a></li>
            <li><a href="#demarches">Démarches</a></li>
            <li><a href="#vie-locale">Vie locale</a></li>
            <li><a href="#contact">Contact</a></li>
          </ul>
        </nav>
        <main class="wrap">
          <div>
            <h2 id="actualites">Actualités</h2>
            <article>
              <h3>Rénovation de l'éclairage public : réunion publique le 12 mars</h3>
              <p class="date">Publié le 24 février 2026</p>
              <p>Le conseil municipal étudie le passage de l'éclairage public en LED. Les habitants sont invités à une réunion d'information à la salle des fêtes, à 19 h.</p>
            </article>
            <article>
              <h3>Travaux à l'école Jules-Ferry pendant les vacances de printemps</h3>
              <p class="date">Publié le 17 février 2026</p>
              <p>L'isolation des combles et le remplacement des menuiseries de l'école élémentaire auront lieu du 13 au 24 avril. L'accueil de loisirs est maintenu.</p>
            </article>
            <article>
              <h3>Marché de producteurs : retour le premier samedi du mois</h3>
              <p class="date">Publié le 3 février 2026</p>
              <p>Place de l'Église, de 8 h à 13 h. Les producteurs intéressés peuvent s'inscrire en mairie.</p>
            </article>
          </div>
          <aside>
            <section id="demarches">
              <h2>Horaires de la mairie</h2>
              <p>Lundi au vendredi : 9 h – 12 h<br />Mercredi : 14 h – 17 h 30<br />Samedi : 9 h – 11 h 30</p>
            </section>
            <section id="vie-locale">
              <h2>Agenda</h2>
              <p>8 mars : loto de l'école<br />12 mars : réunion publique éclairage<br />22 mars : repas des aînés</p>
            </section>
          </aside>
        </main>
        <footer id="contact">
          <div class="wrap">
            <p>Mairie de Saint-Exemple — 1 place de la Mairie, 18000 Saint-Exemple — 02 00 00 00 00</p>
            <p><a href="#actualites">Mentions légales</a> · <a href="#actualites">Accessibilité : partiellement conforme</a> · <a href="#actualites">Plan du site</a></p>
          </div>
        </footer>
        <script src="/widget.js" data-collectivite={DEMO_COLLECTIVITE} defer></script>
      </body>
    </html>
  )
}
