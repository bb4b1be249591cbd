// The shell of the service's information pages (privacy notice, accessibility statement): the
// home page's neutral look, no script and no third-party resource, and the footer every page of
// the service carries — the links to the privacy notice and to the accessibility statement with
// the conformance state (RGAA: « Accessibilité : non conforme » on every page).
import { ACCESSIBILITY_STATE } from './accessibility-state.ts'

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ESC[ch]!)

export const PRIVACY_PATH = '/confidentialite'
export const ACCESSIBILITY_PATH = '/accessibilite'

/** The footer's links, as HTML (plan page, information pages); the home page writes the same in JSX. */
export function legalLinksHtml(): string {
  return `<nav aria-label="Informations légales" class="legal"><a href="${PRIVACY_PATH}">Politique de confidentialité</a> · <a href="${ACCESSIBILITY_PATH}">Accessibilité : ${ACCESSIBILITY_STATE}</a></nav>`
}

const CSS = `
:root{--g-bg:#f7f7f5;--g-surface:#fff;--g-text:#1d1d1f;--g-muted:#55555a;--g-accent:#0b5c6b;--g-border:#d6d6d2;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
*{box-sizing:border-box}body{margin:0;background:var(--g-bg);color:var(--g-text);line-height:1.55}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.4rem .8rem;z-index:1}
header,main,footer{max-width:980px;margin:0 auto;padding:1rem}
header p{margin:0}header a{font-weight:600}
h1{font-size:1.8rem;color:var(--g-accent);margin:.2rem 0 .6rem}h2{font-size:1.3rem;margin:1.8rem 0 .5rem}h3{font-size:1.1rem;margin:1.2rem 0 .4rem}
.scroll{overflow-x:auto;border:1px solid var(--g-border);border-radius:8px;background:var(--g-surface)}
table{border-collapse:collapse;width:100%;min-width:720px;font-size:.93rem}th,td{border-bottom:1px solid var(--g-border);padding:.45rem .55rem;text-align:left;vertical-align:top}
thead th{background:#eef3f4}tbody th{font-weight:600}
.placeholder{background:#fff4d6;padding:0 .25rem;border-radius:3px}
.note{color:var(--g-muted);font-size:.92rem}
a{color:var(--g-accent)}a:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
footer{color:var(--g-muted);font-size:.9rem;border-top:1px solid var(--g-border);margin-top:2rem}
code{font-size:.9em;background:#ecece8;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}
`

/** A whole information page: skip link, header back to the service, the body in <main>, the footer. */
export function legalPage(title: string, body: string): string {
  return (
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${esc(title)} — Guichet</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${CSS}</style></head><body>` +
    `<a class="skip" href="#contenu">Aller au contenu</a>` +
    `<header><p><a href="/">Guichet</a> — le guichet unique des financements des collectivités</p></header>` +
    `<main id="contenu" tabindex="-1">${body}</main>` +
    `<footer>${legalLinksHtml()}</footer></body></html>`
  )
}
