// What the Teams channel's two sides share: the options and the port (TeamsChannel) every SDK
// implementation fills, the credentials check, the body limit. The SDK selector
// (teams-channel.ts) and the implementations (botbuilder-channel.ts, agents-channel.ts,
// teams-http.ts, teams-bot.ts) import this; it imports none of them.
import type { Hono } from 'hono'
import type { Clock } from '../../../core/clock.ts'
import { CONFIG_FIELDS, TEAMS_SDKS } from '../../../core/config.ts'
import type { Logger } from '../../../core/logger.ts'
import type { Dialogue } from '../../conversation/dialogue.ts'
import type { Reply } from '../../conversation/reply.ts'
import type { SessionStore } from '../../conversation/session-store.ts'
import type { DialogueState } from '../../conversation/state.ts'
import type { ConversationReferenceStore } from './conversation-reference-store.ts'
import type { ConversationReference, OutgoingActivity } from './teams-activity.ts'

/** The SDKs that can serve the channel (TEAMS_SDK, declared in core/config.ts). */
export { TEAMS_SDKS }
export type TeamsSdk = (typeof TEAMS_SDKS)[number]
/** The SDK when none is chosen: TEAMS_SDK's default. */
export const DEFAULT_TEAMS_SDK: TeamsSdk = CONFIG_FIELDS.TEAMS_SDK.default

/** Bot Framework credentials; all three set = auth on (single-tenant bot), none = local use. */
export interface TeamsConfig {
  /** MicrosoftAppId: the bot's Entra ID app (client) id. */
  appId?: string | undefined
  /** MicrosoftAppPassword: its client secret. */
  appPassword?: string | undefined
  /** MicrosoftAppTenantId: the tenant the app registration lives in. */
  tenantId?: string | undefined
}

export interface TeamsCredentials {
  appId: string
  appPassword: string
  tenantId: string
}

export interface TeamsChannelOptions {
  dialogue: Dialogue
  sessions: SessionStore
  references: ConversationReferenceStore
  config: TeamsConfig
  logger: Logger
  clock?: Clock
  /** Which SDK serves the channel (default botbuilder); read by the lazy loader (runtime/node/lazy-teams.ts). */
  sdk?: TeamsSdk
  /** Local development only: activities accepted without credentials, and replies to loopback serviceUrls (runtime/node/lazy-teams.ts). */
  devUnauthenticated?: boolean
  /**
   * « M'alerter des échéances » pressed in Teams: subscribes this conversation to deadline
   * alerts (bot/alerts). Without it, the dialogue lists the deadlines, as on the web.
   */
  subscribeAlerts?: (request: { conversationId: string; state: DialogueState }) => Promise<Reply>
  /** The privacy notice's address (GUICHET_PUBLIC_URL/confidentialite), named in the welcome; absent without a public URL. */
  privacyUrl?: string
}

export interface TeamsChannel {
  /** POST /api/messages. */
  routes: Hono
  authEnabled: boolean
  /** The SDK serving the channel. */
  sdk: TeamsSdk
  /**
   * Writes into a stored conversation (deadline alerts). Throws ConversationGoneError on a
   * 403/404 from the connector: the caller disables that conversation.
   */
  sendProactive(reference: Partial<ConversationReference>, activity: OutgoingActivity | string): Promise<{ id?: string } | undefined>
}

export type TeamsChannelFactory = (options: TeamsChannelOptions) => TeamsChannel

/** Activities are small; a body beyond this is not Teams talking. */
export const MAX_ACTIVITY_BODY_BYTES = 256 * 1024

export const HALF_CONFIGURED = 'Teams : MicrosoftAppId, MicrosoftAppPassword et MicrosoftAppTenantId vont ensemble (les trois pour Teams, aucun pour un usage local)'

/** The credentials when all three are set, undefined when none is; half a configuration throws (in French). */
export function teamsCredentials(config: TeamsConfig): TeamsCredentials | undefined {
  const { appId, appPassword, tenantId } = config
  const given = [appId, appPassword, tenantId].filter((v) => v !== undefined && v !== '').length
  if (given === 0) return undefined
  if (given < 3) throw new Error(HALF_CONFIGURED)
  return { appId: appId!, appPassword: appPassword!, tenantId: tenantId! }
}
