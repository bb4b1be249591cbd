// « Voir le plan de financement » on the Teams follow-up card: the offer's sentence and Action.OpenUrl
// buttons to the printable plan and its XLSX export. Teams opens absolute URLs only: without
// GUICHET_PUBLIC_URL the plan's links are paths, and the card is left as it was.
import type { PlanOffer } from '../../conversation/reply.ts'
import type { AdaptiveCard } from './cards.ts'

export function withPlanAction(card: AdaptiveCard, plan: PlanOffer | undefined): AdaptiveCard {
  if (!plan || !/^https:\/\/|^http:\/\//.test(plan.page)) return card
  return {
    ...card,
    body: [...card.body, { type: 'TextBlock', text: plan.text, wrap: true, spacing: 'Medium' }],
    actions: [...(card.actions ?? []), { type: 'Action.OpenUrl', title: plan.label, url: plan.page }, { type: 'Action.OpenUrl', title: 'Plan en XLSX', url: plan.xlsx }],
  }
}
