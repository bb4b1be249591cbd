// « Voir le plan de financement »: once the conversation knows the collectivité and the project's
// budget (« budget de 250 000 € », « 250 k€ »), a reply with programmes offers the draft financing
// plan of those programmes — the printable page and its CSV and XLSX exports (bot/api/plan-routes.ts).
// The links are absolute when the server's public URL is known (Teams needs it), else paths that the
// widget resolves against its server.
import { formatEuros } from '../../core/french.ts'
import type { PlanOffer } from './reply.ts'
import type { DialogueState } from './state.ts'
import type { TurnOutput } from './turn.ts'

export const PLAN_OFFER_LABEL = 'Voir le plan de financement'

/** The plan's query for this conversation: the collectivité, the budget, the programmes shown, the themes. */
export function planQuery(state: DialogueState, ids: string[]): URLSearchParams | undefined {
  const c = state.collectivite
  if (!c || state.budget === undefined || ids.length === 0) return undefined
  const q = new URLSearchParams()
  q.set(c.type, c.code)
  q.set('budget', String(state.budget))
  q.set('programmes', ids.join(','))
  if (state.themes.length) q.set('themes', state.themes.join(','))
  if (state.partnerCountry) q.set('partnerCountry', state.partnerCountry)
  return q
}

export function planOffer(state: DialogueState, ids: string[], publicUrl?: string): PlanOffer | undefined {
  const q = planQuery(state, ids)
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

/**
 * A reply showing programmes, with the plan offered when the budget is known — also the reply that
 * says the list does not change (a budget given after the results changes no status, but now the
 * plan can be drawn): its programmes are the ones last shown.
 */
export function withPlanOffer(out: TurnOutput, publicUrl?: string): TurnOutput {
  const ids = out.reply.results?.length ? out.reply.results.map((r) => r.id) : out.state.resultsShown && out.reply.actions?.length ? out.state.lastResults : []
  const offer = planOffer(out.state, ids, publicUrl)
  return offer ? { ...out, reply: { ...out.reply, plan: offer } } : out
}

/** The offer's links made absolute against `origin` (the request's, when no public URL is set): the widget runs on other sites. */
export function absolutePlanOffer(offer: PlanOffer, origin: string): PlanOffer {
  const abs = (u: string) => (/^https?:\/\//.test(u) ? u : `${origin}${u}`)
  return { ...offer, page: abs(offer.page), csv: abs(offer.csv), xlsx: abs(offer.xlsx) }
}
