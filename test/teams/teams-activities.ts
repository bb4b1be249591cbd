// Teams-shaped activities as Microsoft documents them (Teams bot docs: "Conversation basics",
// "Channel and group conversations", "Conversation events", "installationUpdate", "Card
// actions"), with serviceUrl pointing at the fake Bot Connector. Ids keep Teams' prefixes:
// 29: users, 28: bots, a: personal conversations, 19:…@thread channels and group chats.
let counter = 1_700_000_000_000

export const BOT_APP_ID = 'c9e8c047-2a74-40a2-b28a-b162d5f5327c'
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const BOT = { id: `28:${BOT_APP_ID}`, name: 'Guichet' }
export const USER = {
  id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
  name: 'Megan Bowen',
  aadObjectId: '7faf80fc-2a8b-4f1f-8e18-0c0c7a7f5ab9',
}

export interface Where {
  serviceUrl: string
  conversationId: string
}

const clientInfo = { type: 'clientInfo', locale: 'fr-FR', country: 'FR', platform: 'Web', timezone: 'Europe/Paris' }

function base(where: Where, conversation: Record<string, unknown>, channelData: Record<string, unknown>) {
  const now = new Date()
  return {
    id: String(++counter),
    timestamp: now.toISOString(),
    localTimestamp: now.toISOString(),
    serviceUrl: where.serviceUrl,
    channelId: 'msteams',
    from: USER,
    conversation: { tenantId: TENANT_ID, ...conversation, id: where.conversationId },
    recipient: BOT,
    locale: 'fr-FR',
    channelData: { tenant: { id: TENANT_ID }, ...channelData },
  }
}

export const personalConversation = () => ({ conversationType: 'personal' })
export const groupConversation = () => ({ conversationType: 'groupChat', isGroup: true })
export const channelConversation = () => ({ conversationType: 'channel', isGroup: true })

const TEAM = { id: '19:efa9296d959346209fea44151c742e73@thread.tacv2', name: 'Mairie — Services techniques', aadGroupId: '0a4bb0a0-1d27-4a0a-9d65-0e2c3d1e5a10' }
const GENERAL = { id: '19:efa9296d959346209fea44151c742e73@thread.tacv2', name: 'Général' }

/** A message in a personal chat, with the tenant in channelData as Teams sends it. */
export function personalMessage(where: Where, text: string) {
  return { ...base(where, personalConversation(), {}), type: 'message', textFormat: 'plain', text, entities: [clientInfo] }
}

/** A message in a team channel: the bot hears it because it is @mentioned; the thread is in conversation.id. */
export function channelMessage(where: Where, text: string) {
  const mention = `<at>${BOT.name}</at>`
  return {
    ...base(where, channelConversation(), { teamsChannelId: GENERAL.id, teamsTeamId: TEAM.id, channel: GENERAL, team: TEAM }),
    type: 'message',
    textFormat: 'plain',
    text: `${mention} ${text}`,
    entities: [{ type: 'mention', mentioned: BOT, text: mention }, clientInfo],
  }
}

/** A card's Action.Submit: a message with no text and the card data merged with the inputs as value. */
export function cardSubmit(where: Where, conversation: Record<string, unknown>, value: Record<string, unknown>, replyToId = 'card-1') {
  return { ...base(where, conversation, { source: { name: 'message' }, legacy: { replyToId } }), type: 'message', replyToId, value }
}

/** The bot added to a team (or a chat): conversationUpdate with the bot in membersAdded. */
export function botAddedToTeam(where: Where) {
  return {
    ...base(where, channelConversation(), { team: TEAM, eventType: 'teamMemberAdded' }),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
  }
}

export function botAddedToPersonalChat(where: Where) {
  return { ...base(where, personalConversation(), {}), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] }
}

/** Someone else joins the team: no welcome. */
export function userAddedToTeam(where: Where) {
  return {
    ...base(where, channelConversation(), { team: TEAM, eventType: 'teamMemberAdded' }),
    type: 'conversationUpdate',
    membersAdded: [{ id: '29:1b2c3d4e5f', aadObjectId: '00aa11bb-2cc3-4dd4-8ee5-6ff7a8b9c0d1' }],
  }
}

export function installationUpdate(where: Where, action: 'add' | 'remove', conversation: Record<string, unknown>) {
  const team = conversation.conversationType === 'channel' ? { team: TEAM, channel: GENERAL, settings: { selectedChannel: { id: GENERAL.id } } } : {}
  return { ...base(where, conversation, { source: { name: 'message' }, ...team }), type: 'installationUpdate', action, entities: [clientInfo] }
}

export const CHANNEL_ROOT = GENERAL.id
