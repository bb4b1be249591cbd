// The Bot Connector refused a proactive message because the bot is no longer in that
// conversation (403) or the conversation does not exist (404): never retried; alerts disable
// the conversation (ConversationReferenceStore.disable) and move on.

export class ConversationGoneError extends Error {
  override readonly name = 'ConversationGoneError'
  constructor(
    readonly conversationId: string,
    readonly status: 403 | 404,
  ) {
    super(`Teams conversation ${conversationId} refused the message (${status === 403 ? 'bot removed or blocked' : 'conversation not found'})`)
  }

  /** The value to store as disabled_reason. */
  get reason(): 'forbidden' | 'notFound' {
    return this.status === 403 ? 'forbidden' : 'notFound'
  }
}
