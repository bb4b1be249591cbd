// A TeamsNotifier speaking the Bot Connector REST protocol with fetch only:
// POST {serviceUrl}/v3/conversations/{conversationId}/activities, bearer token when configured.
// 403/404 (app uninstalled, conversation gone) → ChannelGoneError; anything else non-2xx →
// DeliveryFailedError (retried by the ledger). The Teams channel's own sendProactive
// (botbuilder) plugs in through runtime/node/alerts-teams.ts instead; this one serves tests
// against a local connector and deployments that only need proactive sends.
import { ChannelGoneError, DeliveryFailedError, type TeamsActivity, type TeamsNotifier } from './senders.ts'

export interface ConversationLookup {
  /** The service URL of a known, usable conversation; undefined when unknown or disabled. */
  serviceUrl(conversationId: string): Promise<string | undefined>
  /** Called on 403/404: the conversation is no longer usable. */
  disable?(conversationId: string, reason: string): Promise<void>
}

export function createBotConnectorNotifier({
  conversations,
  fetch: fetchFn = fetch,
  token = async () => undefined,
  timeoutMs = 10_000,
}: {
  conversations: ConversationLookup
  fetch?: typeof fetch
  /** A Bot Framework access token (client credentials); none for a local connector. */
  token?: () => Promise<string | undefined>
  timeoutMs?: number
}): TeamsNotifier {
  return {
    async knows(conversationId) {
      return (await conversations.serviceUrl(conversationId)) !== undefined
    },
    async send(conversationId, activity: TeamsActivity) {
      const serviceUrl = await conversations.serviceUrl(conversationId)
      if (!serviceUrl) throw new ChannelGoneError('conversation Teams inconnue ou désactivée')
      const bearer = await token()
      let res: Response
      try {
        res = await fetchFn(`${serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent(conversationId)}/activities`, {
          method: 'POST',
          signal: AbortSignal.timeout(timeoutMs),
          headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
          body: JSON.stringify(activity),
        })
      } catch (err) {
        throw new DeliveryFailedError(`Bot Connector unreachable: ${(err as Error).name}`)
      }
      await res.body?.cancel().catch(() => {})
      if (res.status === 403 || res.status === 404) {
        const reason = res.status === 403 ? 'forbidden' : 'notFound'
        await conversations.disable?.(conversationId, reason)
        throw new ChannelGoneError(`Teams ${res.status} (${res.status === 403 ? 'application désinstallée ou bloquée' : 'conversation introuvable'})`, res.status)
      }
      if (!res.ok) throw new DeliveryFailedError(`Bot Connector answered ${res.status}`, res.status)
    },
  }
}
