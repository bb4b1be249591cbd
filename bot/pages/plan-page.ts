// The printable financing plan (GET /plan): one A4 page in French, print CSS, no script and no
// third-party resource — the table of aids, the totals, the collectivité's own share against
// the legal minimum, and what stays uncertain; links to the CSV and XLSX exports.
import { euros, share } from '../../core/financing-format.ts'
import type { FinancingPlan } from '../../core/financing-plan.ts'
import { LEVEL_LABELS } from '../../core/programme.ts'
import { legalLinksHtml } from './legal-layout.ts'

const CSS = `
@page{size:A4;margin:15mm}
*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;color:#1d1d1f;margin:0 auto;max-width:190mm;padding:1rem;line-height:1.4;font-size:11pt}
h1{font-size:1.5rem;color:#0b5c6b;margin:.2rem 0}h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
table{width:100%;border-collapse:collapse;font-size:10pt}th,td{border:1px solid #b8b8b3;padding:.3rem .4rem;vertical-align:top;text-align:left}
th{background:#eef3f4}td.num,th.num{text-align:right;white-space:nowrap}tfoot td{font-weight:600}
.uncertain{color:#8a5300}.unknown{color:#a1261b}.ok{color:#1c6b33}.bad{color:#a1261b}
.notes{font-size:9pt;color:#55555a}ul{margin:.2rem 0;padding-left:1.2rem}
.exports a{margin-right:1rem}.meta{color:#55555a;margin:0}
.scroll{overflow-x:auto}@media screen{.scroll table{min-width:540px}}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.4rem .8rem}
@media print{.exports,footer,.skip{display:none}body{padding:0}a{color:inherit;text-decoration:none}thead{display:table-header-group}tr{break-inside:avoid}}
`

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ESC[ch]!)

function page(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><link rel="icon" href="/favicon.svg"><style>${CSS}</style></head><body><a class="skip" href="#contenu">Aller au contenu</a><main id="contenu" tabindex="-1">${body}</main><footer class="notes">${legalLinksHtml()}</footer></body></html>`
}

function linesTable(plan: FinancingPlan): string {
  const rows = plan.lines
    .map((l) => {
      const cls = l.rate.certainty === 'unknown' ? 'unknown' : l.rate.certainty === 'known' ? '' : 'uncertain'
      return `<tr><td>${esc(l.name)}<div class="notes">${esc(l.funders.join(', '))} · ${esc(LEVEL_LABELS[l.level])} · ${l.status === 'eligible' ? 'éligible' : 'à confirmer'}</div>${l.notes.length ? `<div class="notes">${l.notes.map(esc).join('<br>')}</div>` : ''}</td>` +
        `<td class="${cls}">${esc(l.rate.label)}</td><td class="num">${l.ceiling === null ? '—' : esc(euros(l.ceiling))}</td>` +
        `<td class="num">${l.computed === null ? '—' : esc(euros(l.computed.high))}</td><td class="num">${l.planned === null ? '<span class="unknown">non compté</span>' : esc(euros(l.planned))}</td></tr>`
    })
    .join('')
  const t = plan.totals
  return `<table><thead><tr><th>Aide</th><th>Taux</th><th class="num">Plafond</th><th class="num">Montant calculé</th><th class="num">Montant retenu</th></tr></thead><tbody>${rows || '<tr><td colspan="5">Aucune aide trouvée pour ce projet.</td></tr>'}</tbody>` +
    `<tfoot><tr><td colspan="3">Total des aides publiques</td><td class="num">${esc(euros(t.aidsComputed))}</td><td class="num">${esc(euros(t.aids))}</td></tr>` +
    `<tr><td colspan="4">Part de la collectivité (${esc(share(t.ownShareRate))} du financement public)</td><td class="num">${esc(euros(t.ownShare))}</td></tr>` +
    (plan.privateFunding > 0 ? `<tr><td colspan="4">Financements privés</td><td class="num">${esc(euros(plan.privateFunding))}</td></tr>` : '') +
    `<tr><td colspan="4">Coût du projet (${plan.basis})</td><td class="num">${esc(euros(plan.budget))}</td></tr></tfoot></table>`
}

function ruleSection(plan: FinancingPlan): string {
  const r = plan.rule
  const min = r.minimumRate > 0 ? `au moins ${esc(share(r.minimumRate))} du financement public, soit ${esc(euros(r.minimumAmount))}` : 'aucune participation minimale (exception de la loi)'
  const verdict = r.respected ? `<p class="ok">La part de la collectivité (${esc(euros(plan.totals.ownShare))}) respecte ce minimum.</p>` : `<p class="bad">La part de la collectivité est sous ce minimum.</p>`
  const exceptions = r.exceptions.length ? `<ul>${r.exceptions.map((e) => `<li>${esc(e.label)} <span class="notes">(${esc(e.citation)})</span></li>`).join('')}</ul>` : ''
  return `<h2>Part minimale de la collectivité</h2><p>${esc(r.text)} <span class="notes">(${esc(r.article)})</span></p><p>Minimum : ${min}.</p>${verdict}` +
    (r.capReason ? `<p class="uncertain">${esc(r.capReason)}</p>` : '') + exceptions
}

export function renderPlanPage(props: { plan: FinancingPlan; links: { csv: string; xlsx: string; json: string } } | { error: string }): string {
  if ('error' in props) return page('Plan de financement — Guichet', `<h1>Plan de financement</h1><p class="bad" role="alert">${esc(props.error)}</p><p><a href="/">Retour à la recherche</a></p>`)
  const { plan, links } = props
  const outside = plan.outside.length ? `<h2>Hors plan</h2><ul>${plan.outside.map((o) => `<li>${esc(o.name)} : ${esc(o.reason)}</li>`).join('')}</ul>` : ''
  const check = [...plan.stacking, ...plan.uncertain]
  const body =
    `<h1>Plan de financement prévisionnel</h1><p class="meta">${esc(plan.collectivite.name)} · projet de ${esc(euros(plan.budget))} ${plan.basis} · brouillon établi par Guichet à partir des fiches des programmes : à confirmer auprès de chaque financeur.</p>` +
    `<p class="exports"><a href="${esc(links.csv)}">Télécharger en CSV (Excel)</a><a href="${esc(links.xlsx)}">Télécharger en XLSX</a><a href="${esc(links.json)}">JSON</a></p>` +
    `<h2 id="aides">Aides</h2><div class="scroll" role="region" aria-labelledby="aides" tabindex="0">${linesTable(plan)}</div>${ruleSection(plan)}${outside}` +
    (check.length ? `<h2>À vérifier</h2><ul>${check.map((u) => `<li>${esc(u)}</li>`).join('')}</ul>` : '')
  return page(`Plan de financement — ${plan.collectivite.name}`, body)
}
