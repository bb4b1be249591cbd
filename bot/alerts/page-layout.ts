// The frame of the alerts' French pages (confirmation, unsubscribing, the management page): the
// service's own neutral look (the home page's colours, bot/pages/home.tsx), a header, a main
// landmark and a footer, lang="fr", no script and no external resource. Every value is escaped
// by the callers with escapeHtml.
import { escapeHtml } from './render.ts'
import { legalLinksHtml } from '../pages/legal-layout.ts'

const CSS = `
:root{--g-bg:#f7f7f5;--g-surface:#fff;--g-text:#1d1d1f;--g-muted:#55555a;--g-accent:#0b5c6b;--g-ok:#1c6b33;--g-warn:#8a5300;--g-bad:#a1261b;--g-border:#d6d6d2;--g-radius:10px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
*{box-sizing:border-box}body{margin:0;background:var(--g-bg);color:var(--g-text);line-height:1.5}
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem}
header p{margin:0;font-size:1.3rem;font-weight:700}header a{color:var(--g-accent);text-decoration:none}
h1{font-size:1.5rem;margin:.3rem 0 1rem;color:var(--g-accent)}h2{font-size:1.15rem;margin:0 0 .6rem}
section,form.card{background:var(--g-surface);border:1px solid var(--g-border);border-radius:var(--g-radius);padding:1rem;margin:0 0 1rem}
dl{display:grid;grid-template-columns:minmax(9rem,auto) 1fr;gap:.3rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}
fieldset{border:1px solid var(--g-border);border-radius:6px;padding:.5rem .8rem;margin:0 0 .8rem}legend{font-weight:600;padding:0 .3rem}
.choices{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.15rem .8rem}
.choices label,.inline label{display:flex;gap:.4rem;align-items:flex-start;font-weight:400}
.inline{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem}
label.field{display:block;font-weight:600;margin:.4rem 0 .2rem}input[type=text]{padding:.45rem;border:1px solid #8b8b86;border-radius:6px;font:inherit;width:7rem}
button{background:var(--g-accent);color:#fff;border:0;border-radius:6px;padding:.65rem 1.1rem;font:inherit;font-weight:600;cursor:pointer}
button.danger{background:var(--g-bad)}button.secondary{background:#fff;color:var(--g-accent);border:2px solid var(--g-accent)}
button:focus-visible,input:focus-visible,a:focus-visible,[tabindex]:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
.hint{color:var(--g-muted);font-size:.92rem;margin:.2rem 0 .6rem}
.notice{border-left:5px solid var(--g-ok);background:var(--g-surface);padding:.7rem 1rem;border-radius:6px;margin:0 0 1rem}
.notice.error{border-left-color:var(--g-bad)}.notice.warn{border-left-color:var(--g-warn)}
.state-active{color:var(--g-ok);font-weight:600}.state-paused,.state-pending{color:var(--g-warn);font-weight:600}.state-off{color:var(--g-bad);font-weight:600}
.field-error{color:var(--g-bad);font-weight:600;margin:.2rem 0}
ul{margin:.2rem 0;padding-left:1.2rem}
footer{color:var(--g-muted);font-size:.88rem}a{color:var(--g-accent)}
`

/** A notice at the top of the page: what a step did (status) or what went wrong (alert), taking the focus. */
export interface Notice {
  kind: 'ok' | 'error' | 'warn'
  text: string
}

export function notice(n: Notice | undefined): string {
  if (!n) return ''
  const role = n.kind === 'error' ? 'alert' : 'status'
  return `<p class="notice${n.kind === 'ok' ? '' : ` ${n.kind}`}" role="${role}" id="message" tabindex="-1" autofocus>${escapeHtml(n.text)}</p>`
}

/** The whole page: `title` is the h1 and the window title; `body` is HTML already escaped. */
export function alertsPage(title: string, body: string, n?: Notice): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} — Guichet</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><style>${CSS}</style>
</head><body><header><p><a href="/">Guichet</a></p></header><main><h1>${escapeHtml(title)}</h1>${notice(n)}${body}</main>
<footer><p>Guichet : les financements des collectivités et les alertes avant leurs dates limites. Vos alertes ne servent qu'à vous prévenir ; vous pouvez les suspendre, les exporter ou les effacer à tout moment depuis le lien « Gérer mon abonnement » de nos messages.</p>${legalLinksHtml()}</footer></body></html>`
}
