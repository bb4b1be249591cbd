// The Teams channel's port: what the rest of Guichet uses (POST /api/messages as Hono routes,
// whether Bot Framework authentication is on, proactive messages), whichever SDK serves it:
// botbuilder + teams-ai (`botbuilder-channel.ts`, archived by Microsoft on 2025-12-31) or the
// Microsoft 365 Agents SDK (`agents-channel.ts`). Chosen by TEAMS_SDK; nothing here imports an
// SDK, and loadTeamsChannelFactory() imports only the chosen one. The shared pieces (options,
// port, credentials, body limit) live in teams-options.ts, which the implementations import;
// they are re-exported here for the rest of Guichet.
import { DEFAULT_TEAMS_SDK, type TeamsChannelFactory, type TeamsSdk } from './teams-options.ts'

export {
  DEFAULT_TEAMS_SDK,
  MAX_ACTIVITY_BODY_BYTES,
  TEAMS_SDKS,
  teamsCredentials,
  type TeamsChannel,
  type TeamsChannelFactory,
  type TeamsChannelOptions,
  type TeamsSdk,
} from './teams-options.ts'

/** The chosen SDK's channel factory: the SDK is imported here, on first call, and only that one. */
export async function loadTeamsChannelFactory(sdk: TeamsSdk = DEFAULT_TEAMS_SDK): Promise<TeamsChannelFactory> {
  if (sdk === 'agents') return (await import('./agents-channel.ts')).createAgentsTeamsChannel
  return (await import('./botbuilder-channel.ts')).createBotbuilderTeamsChannel
}
