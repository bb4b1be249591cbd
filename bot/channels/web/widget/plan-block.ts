// « Voir le plan de financement » in the widget: a card with the offer's sentence and three links
// (the printable plan, CSV, XLSX), opened in a new tab. Only http(s) links are drawn; text through
// textContent, as everywhere in the widget.
import type { PlanOffer } from '../../../conversation/reply.ts'

function link(href: string, label: string, hint: string): HTMLAnchorElement | null {
  if (!/^https?:\/\//.test(href)) return null
  const a = document.createElement('a')
  a.href = href
  a.target = '_blank'
  a.rel = 'noopener noreferrer'
  a.textContent = label
  const sr = document.createElement('span')
  sr.className = 'sr-only'
  sr.textContent = ` ${hint} (nouvelle fenêtre)`
  a.append(sr)
  return a
}

export function planBlock(offer: PlanOffer): HTMLElement {
  const card = document.createElement('div')
  card.className = 'card plan'
  const title = document.createElement('h3')
  title.textContent = offer.label
  const p = document.createElement('p')
  p.className = 'meta'
  p.textContent = offer.text
  card.append(title, p)
  const links = [link(offer.page, offer.label, ': page imprimable'), link(offer.csv, 'CSV (Excel)', ': plan de financement'), link(offer.xlsx, 'XLSX', ': plan de financement')]
  const row = document.createElement('p')
  for (const a of links) if (a) row.append(a, ' ')
  card.append(row)
  return card
}
