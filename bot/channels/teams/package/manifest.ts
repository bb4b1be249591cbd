// The Teams app manifest of Guichet: one conversational bot (personal chat, group chats, team
// channels), French texts, icons from ./icons.ts. Pure: the values come from the caller
// (build-package.ts reads them from the environment).
import { ACCENT_COLOR } from './icons.ts'

/**
 * The newest manifest schema shipped offline by @microsoft/app-manifest when this was written.
 * An older one (TEAMS_MANIFEST_VERSION) can be chosen if a tenant refuses it: the manifest
 * below uses nothing newer than v1.13.
 */
export const MANIFEST_VERSION = '1.30'

export const COLOR_ICON = 'color.png'
export const OUTLINE_ICON = 'outline.png'

export interface ManifestOptions {
  /** The Teams app id (a GUID); usually the bot id. */
  appId: string
  /** The bot's Microsoft App ID (MICROSOFT_APP_ID). */
  botId: string
  /** The app version (semver). */
  version: string
  /** GUICHET_PUBLIC_URL: the developer's website, and the default privacy and terms pages. */
  publicUrl: string
  privacyUrl?: string
  termsOfUseUrl?: string
  developerName?: string
  manifestVersion?: string
}

export type TeamsManifest = Record<string, unknown> & { manifestVersion: string; id: string; bots: ({ botId: string } & Record<string, unknown>)[] }

export function buildManifest({ appId, botId, version, publicUrl, privacyUrl, termsOfUseUrl, developerName = 'Guichet', manifestVersion = MANIFEST_VERSION }: ManifestOptions): TeamsManifest {
  const site = publicUrl.replace(/\/+$/, '')
  const host = new URL(site).host
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`,
    manifestVersion,
    version,
    id: appId,
    localizationInfo: { defaultLanguageTag: 'fr-fr' },
    developer: {
      name: developerName.slice(0, 32),
      websiteUrl: `${site}/`,
      privacyUrl: privacyUrl ?? `${site}/confidentialite`,
      termsOfUseUrl: termsOfUseUrl ?? `${site}/`,
    },
    name: { short: 'Guichet', full: 'Guichet : les financements des collectivités' },
    description: {
      short: 'Les financements auxquels votre collectivité a droit, et leurs dates limites.',
      full:
        'Guichet trouve les financements publics auxquels une collectivité a droit (État, Région, Europe, agences, Banque des Territoires…) ' +
        'et dit pourquoi : dites le nom de votre commune ou de votre intercommunalité et votre projet, Guichet pose au plus quelques questions ' +
        'puis montre les programmes éligibles ou à vérifier, avec le montant ou le taux, la date limite (J-n) et le lien vers la page officielle. ' +
        'En équipe, mentionnez @Guichet dans un canal ou une conversation de groupe.',
    },
    icons: { color: COLOR_ICON, outline: OUTLINE_ICON },
    accentColor: ACCENT_COLOR,
    bots: [
      {
        botId,
        scopes: ['personal', 'team', 'groupChat'],
        supportsFiles: false,
        isNotificationOnly: false,
        // Shown when @Guichet is typed in a channel or a group chat; the personal chat opens with a welcome instead.
        commandLists: [
          {
            scopes: ['team', 'groupChat'],
            commands: [
              { title: 'voir les résultats', description: 'Les programmes trouvés jusqu\'ici, sans autre question' },
              { title: 'programmes écartés', description: 'Les programmes écartés et leurs raisons' },
              { title: 'recommencer', description: 'Reprendre la recherche de zéro' },
            ],
          },
        ],
      },
    ],
    permissions: ['identity', 'messageTeamMembers'],
    validDomains: [host],
  }
}
