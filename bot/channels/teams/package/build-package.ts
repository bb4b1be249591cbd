// `npm run teams:package`: builds dist/guichet-teams.zip, the Teams app package to upload in
// the Teams admin center — manifest.json (validated against the official schema, offline),
// color.png (192×192) and outline.png (32×32). A build command, so Node APIs are fine here.
//
//   MICROSOFT_APP_ID=<bot app id> GUICHET_PUBLIC_URL=https://guichet.example.fr npm run teams:package
//   npm run teams:package -- --dev          # placeholder bot id and URL, for trying the package out
//   npm run teams:package -- --out other.zip
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { strToU8, zipSync } from 'fflate'
import { colorIcon, outlineIcon } from './icons.ts'
import { COLOR_ICON, MANIFEST_VERSION, OUTLINE_ICON, buildManifest, type ManifestOptions, type TeamsManifest } from './manifest.ts'
import { validateManifest } from './validate-manifest.ts'

/** Used by --dev only: an obviously fake id, so that a dev package is never mistaken for a real one. */
export const PLACEHOLDER_BOT_ID = '00000000-0000-4000-8000-000000000000'
export const PLACEHOLDER_PUBLIC_URL = 'https://guichet.example.fr'
export const DEFAULT_OUT = 'dist/guichet-teams.zip'

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/
// Fixed timestamps: the same inputs give the same zip, byte for byte.
const ZIP_TIME = new Date('2026-01-01T00:00:00Z')

export class PackageConfigError extends Error {
  override readonly name = 'PackageConfigError'
}

export interface TeamsPackage {
  manifest: TeamsManifest
  files: Record<string, Uint8Array>
  zip: Uint8Array
}

/** Builds the package and refuses a manifest that the official schema rejects. */
export function buildTeamsPackage(options: ManifestOptions): TeamsPackage {
  const manifest = buildManifest(options)
  const errors = validateManifest(manifest)
  if (errors.length) throw new PackageConfigError(`Le manifeste Teams ne respecte pas le schéma v${manifest.manifestVersion} :\n  ${errors.join('\n  ')}`)
  const files = {
    'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
    [COLOR_ICON]: colorIcon(),
    [OUTLINE_ICON]: outlineIcon(),
  }
  const zip = zipSync(Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { mtime: ZIP_TIME }]])), { level: 9 })
  return { manifest, files, zip }
}

/** The manifest options from the environment (MICROSOFT_APP_ID, GUICHET_PUBLIC_URL, …) and the flags. */
export function packageOptions(env: Record<string, string | undefined>, { dev = false, version }: { dev?: boolean; version: string }): ManifestOptions {
  const value = (...names: string[]) => names.map((n) => env[n]?.trim()).find((v) => v) || undefined
  const botId = value('MICROSOFT_APP_ID', 'MicrosoftAppId') ?? (dev ? PLACEHOLDER_BOT_ID : undefined)
  if (!botId) {
    throw new PackageConfigError(
      'MICROSOFT_APP_ID manque : c\'est l\'identifiant d\'application (client) de l\'inscription Entra ID du bot (ressource Azure Bot). ' +
        'Donnez-le, ou lancez `npm run teams:package -- --dev` pour un paquet d\'essai avec un identifiant fictif.',
    )
  }
  if (!GUID.test(botId)) throw new PackageConfigError(`MICROSOFT_APP_ID doit être un GUID (reçu : « ${botId} »)`)
  const appId = value('TEAMS_APP_ID') ?? botId
  if (!GUID.test(appId)) throw new PackageConfigError(`TEAMS_APP_ID doit être un GUID (reçu : « ${appId} »)`)
  const publicUrl = value('GUICHET_PUBLIC_URL') ?? (dev ? PLACEHOLDER_PUBLIC_URL : undefined)
  if (!publicUrl) throw new PackageConfigError('GUICHET_PUBLIC_URL manque : l\'adresse publique https de Guichet (ex. https://guichet.example.fr), ou --dev.')
  if (!/^https:\/\/[^/\s]+/.test(publicUrl)) throw new PackageConfigError(`GUICHET_PUBLIC_URL doit être une adresse https (reçu : « ${publicUrl} »)`)
  const privacyUrl = value('TEAMS_PRIVACY_URL')
  const termsOfUseUrl = value('TEAMS_TERMS_URL')
  const developerName = value('TEAMS_DEVELOPER_NAME')
  return {
    appId,
    botId,
    version: value('TEAMS_APP_VERSION') ?? version,
    publicUrl,
    manifestVersion: value('TEAMS_MANIFEST_VERSION') ?? MANIFEST_VERSION,
    ...(privacyUrl ? { privacyUrl } : {}),
    ...(termsOfUseUrl ? { termsOfUseUrl } : {}),
    ...(developerName ? { developerName } : {}),
  }
}

const HELP = `npm run teams:package [-- --dev] [-- --out <fichier.zip>]

  Construit ${DEFAULT_OUT}, le paquet d'application Teams à déposer dans le centre d'administration
  Teams : manifest.json (vérifié hors ligne contre le schéma officiel), color.png et outline.png.

  MICROSOFT_APP_ID      identifiant d'application (client) du bot Azure — obligatoire sans --dev
  GUICHET_PUBLIC_URL    adresse publique du service (https) — obligatoire sans --dev
  --dev                 identifiant et adresse fictifs, pour essayer le paquet
  --out <fichier>       autre chemin de sortie
  --help                cette aide
`

function main(argv: string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP)
    return
  }
  const dev = argv.includes('--dev')
  const outAt = argv.indexOf('--out')
  const out = resolve(outAt >= 0 && argv[outAt + 1] ? argv[outAt + 1]! : DEFAULT_OUT)
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
  const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string }
  try {
    const pkg = buildTeamsPackage(packageOptions(process.env, { dev, version }))
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, pkg.zip)
    const bot = pkg.manifest.bots[0]!.botId
    console.log(`${out} : manifeste v${pkg.manifest.manifestVersion} valide, bot ${bot}${dev ? ' (--dev : identifiant et adresse fictifs)' : ''}, ${pkg.zip.length} octets`)
  } catch (err) {
    if (err instanceof PackageConfigError) {
      console.error(`teams:package : ${err.message}`)
      process.exit(1)
    }
    throw err
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main(process.argv.slice(2))
