// The Teams tests' world, once per SDK: the real Node services (SQLite in a temp folder, the real
// dialogue), the channel built by the SDK's factory (loadTeamsChannelFactory, as TEAMS_SDK picks
// it) mounted beside the real app on a Node HTTP server, and a fake Bot Connector at serviceUrl
// capturing the replies. Call teamsHarness() inside a describe: it registers its own hooks.
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll } from 'vitest'
import type { ConversationReferenceStore } from '../../bot/channels/teams/conversation-reference-store.ts'
import { loadTeamsChannelFactory, type TeamsChannel, type TeamsChannelFactory, type TeamsChannelOptions, type TeamsSdk } from '../../bot/channels/teams/teams-channel.ts'
import { silentLogger } from '../../core/logger.ts'
import { createSqliteConversationReferenceStore } from '../../runtime/node/teams-store.ts'
import { startServices } from '../helpers/node-services.ts'
import { startFakeBotConnector, type CapturedActivity, type FakeBotConnector } from './fake-bot-connector.ts'
import { CHANNEL_ROOT, type Where } from './teams-activities.ts'

export interface Posted {
  status: number
  body: any
  /** What the bot sent to the connector in the activity's conversation during the request. */
  replies: CapturedActivity[]
}

export interface TeamsHarness {
  readonly sdk: TeamsSdk
  readonly services: Awaited<ReturnType<typeof startServices>>
  readonly connector: FakeBotConnector
  readonly references: ConversationReferenceStore
  readonly channel: TeamsChannel
  readonly create: TeamsChannelFactory
  /** The options the harness's channel was built with (real dialogue, SQLite stores, no credentials). */
  options(overrides?: Partial<TeamsChannelOptions>): TeamsChannelOptions
  /** POSTs an activity (or a raw body) to /api/messages over HTTP. */
  post(activity: unknown, headers?: Record<string, string>): Promise<Posted>
  /** GETs a path of the server (the real app is mounted beside the Teams routes). */
  get(path: string): Promise<Response>
  /** POSTs an activity to another channel's routes (no HTTP server), capturing the replies the same way. */
  postTo(channel: TeamsChannel, activity: unknown): Promise<Posted>
  /** A fresh conversation of each kind, so that tests do not share sessions. */
  personal(): Where
  thread(): Where
  groupChat(): Where
  /** A team's channel root, fresh per harness (an install in a team lands there). */
  channelRoot(): Where
  /** The conversation_references row of a conversation. */
  row(conversationId: string): Record<string, string | null> | undefined
}

let n = 0

export function teamsHarness(sdk: TeamsSdk): TeamsHarness {
  let services!: TeamsHarness['services']
  let connector!: FakeBotConnector
  let references!: ConversationReferenceStore
  let channel!: TeamsChannel
  let create!: TeamsChannelFactory
  let server!: ServerType
  let base = ''

  const options = (overrides: Partial<TeamsChannelOptions> = {}): TeamsChannelOptions => ({
    dialogue: services.dialogue,
    sessions: services.sessions,
    references,
    config: {},
    logger: silentLogger,
    clock: services.clock,
    sdk,
    ...overrides,
  })

  beforeAll(async () => {
    connector = await startFakeBotConnector()
    services = await startServices({ TEAMS_SDK: sdk })
    references = createSqliteConversationReferenceStore(services.db)
    create = await loadTeamsChannelFactory(sdk)
    channel = create(options())
    const app = new Hono()
    app.route('/', channel.routes)
    app.route('/', services.app)
    await new Promise<void>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        base = `http://127.0.0.1:${info.port}`
        resolve()
      })
    })
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await connector.close()
    services.dispose()
  })

  const body = (activity: unknown) => (typeof activity === 'string' ? activity : JSON.stringify(activity))
  const conversationOf = (activity: unknown) => (activity as { conversation?: { id?: string } })?.conversation?.id
  async function answer(res: Response, mark: number, activity: unknown): Promise<Posted> {
    const text = await res.text()
    return { status: res.status, body: text ? JSON.parse(text) : null, replies: connector.since(mark, conversationOf(activity)) }
  }

  return {
    sdk,
    get services() {
      return services
    },
    get connector() {
      return connector
    },
    get references() {
      return references
    },
    get channel() {
      return channel
    },
    get create() {
      return create
    },
    options,
    async post(activity, headers = {}) {
      const mark = connector.captured.length
      const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: body(activity) })
      return answer(res, mark, activity)
    },
    get: (path) => fetch(`${base}${path}`),
    async postTo(other, activity) {
      const mark = connector.captured.length
      const res = await other.routes.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(activity) })
      return answer(res, mark, activity)
    },
    personal: () => ({ serviceUrl: connector.serviceUrl, conversationId: `a:1${'x'.repeat(20)}${++n}${sdk}personalchat` }),
    thread: () => ({ serviceUrl: connector.serviceUrl, conversationId: `${CHANNEL_ROOT};messageid=${1_481_567_603_816 + ++n}` }),
    groupChat: () => ({ serviceUrl: connector.serviceUrl, conversationId: `19:${'g'.repeat(24)}${String(++n).padStart(8, '0')}@thread.v2` }),
    channelRoot: () => ({ serviceUrl: connector.serviceUrl, conversationId: `19:${String(++n).padStart(32, '0')}@thread.tacv2` }),
    row: (conversationId) => services.db.prepare('SELECT * FROM conversation_references WHERE conversation_id = ?').get(conversationId) as Record<string, string | null> | undefined,
  }
}

export const cardsOf = (r: CapturedActivity) => (r.activity.attachments ?? []).filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a: any) => a.content)
export const textOf = (replies: CapturedActivity[]) => replies.map((r) => r.activity.text ?? '').join('\n')
export const findInput = (card: any) => card.body.find((e: any) => e.type === 'Input.ChoiceSet')
/** A card's buttons: the actions of its ActionSets (where Universal Actions live) and of `actions`. */
export const buttonsOf = (card: any): any[] => [...card.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions), ...(card.actions ?? [])]
/** The Action.Execute button of a card (the first one, or the one with that title). */
export const executeOf = (card: any, title?: string) => buttonsOf(card).find((a: any) => a.type === 'Action.Execute' && (title === undefined || a.title === title))
/** What an older client sends instead: the Action.Submit fallback of that button. */
export const submitOf = (card: any, title?: string) => executeOf(card, title)?.fallback
