// The ConversationReferenceStore port: where the Teams channel keeps one conversation
// reference per conversation (a channel thread is its own conversation), so that alerts can
// write first (proactive messages). SQLite on Node (runtime/node/teams-store.ts).
import type { ConversationReference } from './teams-activity.ts'

/** Where a Teams conversation happens: a one-to-one chat, a group chat, or a team channel. */
export type TeamsConversationKind = 'personal' | 'groupChat' | 'channel'

export interface StoredConversationReference {
  conversationId: string
  /** What the Bot Connector needs to write into the conversation (no activityId). */
  reference: Partial<ConversationReference>
  tenantId: string | null
  kind: TeamsConversationKind
  /** The user's Entra ID object id, in personal chats only. */
  userAadId: string | null
  welcomedAt: Date | null
  updatedAt: Date
  /** Why proactive messages stopped (`uninstalled`, `forbidden`, `notFound`); null while usable. */
  disabledReason: string | null
}

export interface ConversationReferenceInput {
  conversationId: string
  reference: ConversationReference
  tenantId: string | null
  kind: TeamsConversationKind
  userAadId: string | null
}

export interface ConversationReferenceStore {
  /** Upserts the reference; a conversation that writes to us again is usable again (disabled_reason cleared). */
  save(input: ConversationReferenceInput, now: Date): Promise<void>
  get(conversationId: string): Promise<StoredConversationReference | undefined>
  /** Usable references (not disabled), optionally of one tenant, most recent first. */
  list(filter?: { tenantId?: string; kind?: TeamsConversationKind }): Promise<StoredConversationReference[]>
  /**
   * Marks the conversation welcomed; true only for the first call since the install (the
   * install sends both conversationUpdate and installationUpdate: one welcome, not two).
   */
  markWelcomed(conversationId: string, now: Date): Promise<boolean>
  /** Stops proactive messages (uninstall, or a 403/404 from the connector); forgets the welcome. */
  disable(conversationId: string, reason: string, now: Date): Promise<void>
}
