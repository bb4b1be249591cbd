// Plugs the Teams channel (bot/channels/teams: stored conversation references and botbuilder's
// sendProactive) into the alerts' TeamsNotifier port. A ConversationGoneError (403/404 from the
// connector) disables the conversation reference and becomes a ChannelGoneError, so the alert
// channel is switched off with its reason.
import type { ChannelGoneError as AlertChannelGone, TeamsActivity, TeamsNotifier } from '../../bot/alerts/senders.ts'
import { ChannelGoneError } from '../../bot/alerts/senders.ts'
import type { ConversationReferenceStore, StoredConversationReference } from '../../bot/channels/teams/conversation-reference-store.ts'

type SendProactive = (reference: StoredConversationReference['reference'], activity: TeamsActivity) => Promise<unknown>

export function createTeamsChannelNotifier({ references, sendProactive, now = () => new Date() }: { references: Pick<ConversationReferenceStore, 'get' | 'disable'>; sendProactive: SendProactive; now?: () => Date }): TeamsNotifier {
  return {
    async knows(conversationId) {
      const r = await references.get(conversationId)
      return r !== undefined && r.disabledReason === null
    },
    async send(conversationId, activity) {
      const r = await references.get(conversationId)
      if (!r) throw new ChannelGoneError('conversation Teams inconnue')
      if (r.disabledReason) throw new ChannelGoneError(`conversation Teams désactivée (${r.disabledReason})`)
      try {
        await sendProactive(r.reference, activity)
      } catch (err) {
        const gone = err as { name?: string; status?: number; reason?: string }
        if (gone?.name === 'ConversationGoneError' && (gone.status === 403 || gone.status === 404)) {
          await references.disable(conversationId, gone.reason ?? String(gone.status), now())
          throw new ChannelGoneError(`Teams ${gone.status} (${gone.status === 403 ? 'application désinstallée ou bloquée' : 'conversation introuvable'})`, gone.status) satisfies AlertChannelGone
        }
        throw err
      }
    },
  }
}
