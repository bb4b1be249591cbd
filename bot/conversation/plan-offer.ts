// « Voir le plan de financement »: once the conversation knows the collectivité and the project's
// budget (« budget de 250 000 € », « 250 k€ »), a reply with programmes offers the draft financing
// plan of those programmes — the printable page and its CSV and XLSX exports (bot/api/plan-routes.ts).
// The links are absolute when the server's public URL is known (Teams needs it), else paths that the
// widget resolves against its server.
import type { MatchItem } from '../../content/matching.ts'
import { formatEuros } from '../../core/french.ts'
import type { PlanOffer } from './reply.ts'
import type { DialogueState } from './state.ts'
import type { TurnOutput } from './turn.ts'

export const PLAN_OFFER_LABEL = 'Voir le plan de financement'

/** The plan's query for this conversation: the collectivité, the budget, the programmes shown, the themes. */
export function planQuery(state: DialogueState, items: MatchItem[]): URLSearchParams | undefined {
  const c = state.collectivite
  if (!c || state.budget === undefined || items.length === 0) return undefined
  const q = new URLSearchParams()
  q.set(c.type, c.code)
  q.set('budget', String(state.budget))
  q.set('programmes', items.map((i) => i.id).join(','))
  if (state.themes.length) q.set('themes', state.themes.join(','))
  if (state.partnerCountry) q.set('partnerCountry', state.partnerCountry)
  return q
}

export function planOffer(state: DialogueState, items: MatchItem[], publicUrl?: string): PlanOffer | undefined {
  const q = planQuery(state, items)
  if (!q) return undefined
  const base = (publicUrl ?? '').replace(/\/+$/, '')
  const s = q.toString()
  return {
    label: PLAN_OFFER_LABEL,
    text: `Pour un budget de ${formatEuros(state.budget!)} (compté hors taxes) : le plan de financement prévisionnel de ces programmes (montants selon les taux connus, part de la collectivité, minimum légal de 20 %).`,
    page: `${base}/plan?${s}`,
    csv: `${base}/api/plan.csv?${s}`,
    xlsx: `${base}/api/plan.xlsx?${s}`,
  }
}

/** A reply showing programmes, with the plan offered when the budget is known. */
export function withPlanOffer(out: TurnOutput, publicUrl?: string): TurnOutput {
  const offer = out.reply.results?.length ? planOffer(out.state, out.reply.results, publicUrl) : undefined
  return offer ? { ...out, reply: { ...out.reply, plan: offer } } : out
}

/** The offer's links made absolute against `origin` (the request's, when no public URL is set): the widget runs on other sites. */
export function absolutePlanOffer(offer: PlanOffer, origin: string): PlanOffer {
  const abs = (u: string) => (/^https?:\/\//.test(u) ? u : `${origin}${u}`)
  return { ...offer, page: abs(offer.page), csv: abs(offer.csv), xlsx: abs(offer.xlsx) }
}
