// Subscribing from a conversation (« M'alerter des échéances »): the dialogue's state already
// holds the collectivité, who applies, the project's themes and closed-list answers, and the
// programmes just shown — they become the subscription, with an e-mail (pending until
// confirmed) or the Teams conversation it came from (active at once). Answers in French.
import { ValidationError } from '../../core/errors.ts'
import type { Reply } from '../conversation/reply.ts'
import { RESULT_ACTIONS } from '../conversation/reply.ts'
import type { DialogueState } from '../conversation/state.ts'
import type { AlertsService, CreatedSubscription } from './alerts-service.ts'
import { profileName } from './render.ts'
import { normaliseLeadTimes, type NewCallsFrequency, type SubscriptionSource } from './subscription.ts'

export type DialogueChannel = { email: string } | { teamsConversationId: string }

/** An e-mail address written in a chat message, if any. */
export function findEmail(text: string): string | undefined {
  return text.match(/[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/)?.[0]
}

export async function subscribeFromDialogue(
  service: AlertsService,
  state: DialogueState,
  channel: DialogueChannel,
  options: { source?: SubscriptionSource; leadTimes?: number[]; newCalls?: NewCallsFrequency; baseUrl?: string } = {},
): Promise<{ subscription: CreatedSubscription; reply: Reply }> {
  if (!state.collectivite) throw new ValidationError([{ field: 'collectivite', message: 'dites d\'abord pour quelle collectivité' }])
  const source = options.source ?? ('email' in channel ? 'dialogue' : 'teams')
  const created = await service.create(
    {
      profile: state.collectivite,
      facts: {
        ...(state.applicantType ? { applicantType: state.applicantType } : {}),
        ...(state.stage ? { stage: state.stage } : {}),
        ...(state.partnerCountry ? { partnerCountry: state.partnerCountry } : {}),
        closedLists: state.closedLists,
      },
      themes: state.themes,
      programmes: state.lastResults,
      channels: 'email' in channel ? { email: channel.email } : { teamsConversationId: channel.teamsConversationId },
      ...(options.leadTimes ? { leadTimes: options.leadTimes } : {}),
      newCalls: options.newCalls ?? 'weekly',
      source,
    },
    options.baseUrl ? { baseUrl: options.baseUrl } : {},
  )
  const leads = normaliseLeadTimes(options.leadTimes).map((l) => `J-${l}`)
  const when = leads.length > 1 ? `${leads.slice(0, -1).join(', ')} et ${leads.at(-1)}` : leads[0]
  const what = `${state.lastResults.length ? 'des programmes que je viens de vous montrer, ' : ''}des nouveaux appels pour ${profileName(state.collectivite)}`
  const text =
    'email' in channel
      ? `C'est noté ! Je viens d'envoyer un e-mail de confirmation à ${channel.email} : cliquez sur le lien qu'il contient pour recevoir les rappels (${when} avant chaque date limite) ${what}. Sans confirmation, vous ne recevrez rien. Chaque message contient un lien pour se désabonner en un clic.`
      : `C'est noté : je vous préviendrai ici ${when} avant chaque date limite ${what}. Chaque message contient un lien pour se désabonner.`
  return {
    subscription: created,
    reply: { messages: [{ text }, { text: `Vous pouvez aussi ajouter ces échéances à votre agenda Outlook : ${created.icsUrl}` }], actions: RESULT_ACTIONS.filter((a) => a.value !== 'alerts') },
  }
}
