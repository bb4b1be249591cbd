// The Bot Framework activity shapes the Teams channel reads and writes, as plain JSON types of
// its own: the rest of the channel (dialogue glue, cards, stores) never names an SDK type, so
// botbuilder and the Microsoft 365 Agents SDK can be swapped behind the port (teams-options.ts).
// Field names follow the Bot Framework Activity schema
// (https://github.com/microsoft/Agents/blob/main/specs/activity/protocol-activity.md).

export interface ChannelAccount {
  id: string
  name?: string
  aadObjectId?: string
  role?: string
}

export interface ConversationAccount {
  id: string
  name?: string
  /** `personal`, `groupChat` or `channel` in Teams. */
  conversationType?: string
  tenantId?: string
  isGroup?: boolean
}

/** What the Bot Connector needs to write into a conversation again (proactive messages). */
export interface ConversationReference {
  activityId?: string
  user?: ChannelAccount
  bot?: ChannelAccount
  conversation: ConversationAccount
  channelId: string
  serviceUrl: string
  locale?: string
}

/** An activity Teams POSTs to /api/messages: the fields the channel reads. */
export interface IncomingActivity {
  type: string
  id?: string
  /** Invoke and event activities: `adaptiveCard/action`, `task/fetch`… */
  name?: string
  /** installationUpdate: `add`, `remove` (or `add-upgrade`, `remove-upgrade`). */
  action?: string
  text?: string
  value?: unknown
  replyToId?: string
  channelId: string
  serviceUrl: string
  locale?: string
  from: ChannelAccount
  recipient: ChannelAccount
  conversation: ConversationAccount
  membersAdded?: ChannelAccount[]
  membersRemoved?: ChannelAccount[]
  channelData?: unknown
}

export interface Attachment {
  contentType: string
  content?: unknown
}

export interface SuggestedAction {
  type: 'imBack'
  title: string
  value: string
}

/** An activity the channel sends. */
export interface OutgoingActivity {
  type: string
  text?: string
  textFormat?: 'markdown' | 'plain' | 'xml'
  attachments?: Attachment[]
  attachmentLayout?: 'list' | 'carousel'
  suggestedActions?: { to: string[]; actions: SuggestedAction[] }
}

/** What an invoke activity is answered with: the HTTP status and JSON body of the response. */
export interface InvokeResponse {
  status: number
  body?: unknown
}

/** The conversation reference of an incoming activity (as botbuilder and the Agents SDK build it). */
export function conversationReferenceOf(activity: IncomingActivity): ConversationReference {
  return {
    ...(activity.id ? { activityId: activity.id } : {}),
    user: activity.from,
    bot: activity.recipient,
    conversation: activity.conversation,
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    ...(activity.locale ? { locale: activity.locale } : {}),
  }
}
