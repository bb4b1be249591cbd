// Teams activities for the tests, built from the shapes Microsoft documents (test/teams/fixtures,
// each file naming its documentation page) and placed in the test's world: serviceUrl at the
// fake Bot Connector, a fresh conversation id, one bot, one user and one tenant (the pages each
// use their own), the scope asked for. fixtures/README.md lists what is changed, and why.
// Ids keep Teams' prefixes: 29: users, 28: bots, a: personal conversations, 19:…@thread channels
// and group chats.
import { readFileSync } from 'node:fs'

let counter = 1_700_000_000_000

export const BOT_APP_ID = 'c9e8c047-2a74-40a2-b28a-b162d5f5327c'
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const BOT = { id: `28:${BOT_APP_ID}`, name: 'Guichet' }
export const USER = {
  id: '29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQtHieVkKilBZ9XHoq9j7Zaqt7CZ-NJWi7me2kHTL3Bw',
  name: 'Megan Bowen',
  aadObjectId: '7faf8ab2-3d56-4244-b585-20c8a42ed2b8',
}
const TEAM = { id: '19:efa9296d959346209fea44151c742e73@thread.skype' }
const GENERAL = { id: '19:efa9296d959346209fea44151c742e73@thread.skype' }
/** The team's General channel: where an install in a team lands (conversation id = channel id). */
export const CHANNEL_ROOT = GENERAL.id

export interface Where {
  serviceUrl: string
  conversationId: string
}

export type Scope = 'personal' | 'channel' | 'groupChat'
/** A scope, or (as older tests pass it) a conversation object naming its conversationType. */
export type ScopeLike = Scope | { conversationType: string }

export const personalConversation = () => ({ conversationType: 'personal' })
export const groupConversation = () => ({ conversationType: 'groupChat', isGroup: true })
export const channelConversation = () => ({ conversationType: 'channel', isGroup: true })

function scopeName(scope: ScopeLike): Scope {
  const type = typeof scope === 'string' ? scope : scope.conversationType
  return type === 'channel' || type === 'groupChat' ? type : 'personal'
}

type Json = Record<string, any>

export const FIXTURES = [
  'message-personal',
  'message-channel-mention',
  'message-card-submit',
  'conversation-update-bot-added-to-team',
  'conversation-update-bot-added-personal',
  'conversation-update-members-removed',
  'installation-update-add',
  'invoke-adaptive-card-action',
  'invoke-task-fetch',
] as const
export type FixtureName = (typeof FIXTURES)[number]

/** A fixture as stored: the documented activity and its `_source`. */
export function rawFixture(name: FixtureName): Json {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Json
}

/** Conversation and channelData of each scope, as the documentation pages show them. */
function scopeOf(scope: Scope): { conversation: Json; channelData: Json } {
  const tenant = { id: TENANT_ID }
  if (scope === 'personal') return { conversation: { conversationType: 'personal', tenantId: TENANT_ID }, channelData: { tenant } }
  if (scope === 'groupChat') return { conversation: { isGroup: true, conversationType: 'groupChat', tenantId: TENANT_ID }, channelData: { tenant } }
  return { conversation: { isGroup: true, conversationType: 'channel', tenantId: TENANT_ID }, channelData: { channel: GENERAL, team: TEAM, tenant } }
}

/** A documented activity placed in the test's world (see fixtures/README.md), in another scope if asked. */
export function place(name: FixtureName, where: Where, scope?: Scope): Json {
  const { _source, ...doc } = rawFixture(name)
  const docBot: string = doc.recipient.id
  const docUser = String(doc.from?.id ?? '').toLowerCase()
  const member = (m: Json): Json => (m.id === docBot ? { ...m, id: BOT.id } : String(m.id).toLowerCase() === docUser ? { ...m, id: USER.id, aadObjectId: USER.aadObjectId } : m)
  const activity: Json = {
    ...doc,
    id: String(++counter),
    serviceUrl: where.serviceUrl,
    from: { ...doc.from, ...USER },
    recipient: { ...doc.recipient, ...BOT },
  }
  if (scope) {
    const scoped = scopeOf(scope)
    activity.conversation = { ...scoped.conversation, id: where.conversationId }
    activity.channelData = { ...scoped.channelData, ...(scope === 'channel' && doc.channelData?.settings ? { settings: doc.channelData.settings } : {}) }
  } else {
    activity.conversation = { ...doc.conversation, id: where.conversationId, ...(doc.conversation.tenantId ? { tenantId: TENANT_ID } : {}) }
    activity.channelData = { ...doc.channelData, ...(doc.channelData?.tenant ? { tenant: { id: TENANT_ID } } : {}) }
  }
  if (doc.membersAdded) activity.membersAdded = doc.membersAdded.map(member)
  if (doc.membersRemoved) activity.membersRemoved = doc.membersRemoved.map(member)
  if (doc.entities) {
    activity.entities = doc.entities.map((e: Json) => (e.type === 'mention' && e.mentioned?.id === docBot ? { ...e, mentioned: BOT, text: `<at>${BOT.name}</at>` } : e))
  }
  return activity
}

/** A message in a personal chat (the page's text/html copy of its text goes with the text). */
export function personalMessage(where: Where, text: string): Json {
  const { attachments: _html, ...activity } = place('message-personal', where)
  return { ...activity, text }
}

/** A message in a team channel's thread: the bot hears it because it is @mentioned. */
export function channelMessage(where: Where, text: string): Json {
  return { ...place('message-channel-mention', where), text: `<at>${BOT.name}</at> ${text}` }
}

/** A message @mentioning the bot in a group chat. */
export function groupChatMessage(where: Where, text: string): Json {
  return { ...place('message-channel-mention', where, 'groupChat'), text: `<at>${BOT.name}</at> ${text}` }
}

/** A card's Action.Submit: a message with no text and the card data merged with the inputs as value. */
export function cardSubmit(where: Where, scope: ScopeLike, value: Json, replyToId = 'card-1'): Json {
  const { text: _none, ...activity } = place('message-card-submit', where, scopeName(scope))
  return { ...activity, value, replyToId }
}

/** A card's Action.Execute: an adaptiveCard/action invoke carrying the action's verb and data (merged with the inputs). */
export function cardExecute(where: Where, scope: ScopeLike, action: { verb?: unknown; data?: Json; type?: string }, replyToId = 'card-1'): Json {
  const activity = place('invoke-adaptive-card-action', where, scopeName(scope))
  return { ...activity, value: { ...activity.value, action: { type: 'Action.Execute', id: '', ...action } }, replyToId }
}

/** An invoke Guichet does not use: a task module fetch. */
export function taskFetch(where: Where, scope: ScopeLike): Json {
  return place('invoke-task-fetch', where, scopeName(scope))
}

/** The bot added to a team: conversationUpdate with the bot alone in membersAdded. */
export function botAddedToTeam(where: Where): Json {
  return place('conversation-update-bot-added-to-team', where)
}

/** The bot added to a one-to-one chat: conversationUpdate with the bot and the user in membersAdded. */
export function botAddedToPersonalChat(where: Where): Json {
  return place('conversation-update-bot-added-personal', where)
}

/** The bot added to a group chat: the team shape in the group chat scope. */
export function botAddedToGroupChat(where: Where): Json {
  return place('conversation-update-bot-added-to-team', where, 'groupChat')
}

/** Someone else joins the team: no welcome. */
export function userAddedToTeam(where: Where): Json {
  return { ...place('conversation-update-bot-added-to-team', where), membersAdded: [{ id: '29:1b2c3d4e5f', aadObjectId: '00aa11bb-2cc3-4dd4-8ee5-6ff7a8b9c0d1' }] }
}

/** The bot removed from a conversation: conversationUpdate with the bot in membersRemoved. */
export function botRemoved(where: Where, scope: ScopeLike): Json {
  return { ...place('conversation-update-members-removed', where, scopeName(scope)), membersRemoved: [{ id: BOT.id }] }
}

export function installationUpdate(where: Where, action: 'add' | 'remove', scope: ScopeLike): Json {
  const name = scopeName(scope)
  return { ...place('installation-update-add', where, name === 'channel' ? undefined : name), action }
}
