// Validates a Teams manifest against the official JSON schema, read offline from
// @microsoft/app-manifest (build/json-schemas/teams/v<version>/), with ajv (draft-04, as the
// schemas are) and the formats they use. Node only: a build command, not the server.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import AjvDraft04 from 'ajv-draft-04'
import addFormats from 'ajv-formats'

function schemasDir(): string {
  const pkg = createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json')
  return join(dirname(pkg), 'build', 'json-schemas', 'teams')
}

/** The manifest versions whose schema ships offline, oldest first (v1.2 … v1.30; no devPreview). */
export function shippedManifestVersions(): string[] {
  return readdirSync(schemasDir())
    .filter((d) => /^v\d+\.\d+$/.test(d))
    .map((d) => d.slice(1))
    .sort((a, b) => a.split('.').map(Number).reduce((acc, n, i) => acc || n - Number(b.split('.')[i]), 0))
}

export function loadManifestSchema(version: string): Record<string, unknown> {
  const file = join(schemasDir(), `v${version}`, 'MicrosoftTeams.schema.json')
  if (!existsSync(file)) throw new Error(`Pas de schéma de manifeste Teams v${version} dans @microsoft/app-manifest (versions : ${shippedManifestVersions().join(', ')})`)
  // The published schemas use \a and \v in regular expressions, which JSON and JavaScript do not accept as such.
  const text = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b')
  return JSON.parse(text) as Record<string, unknown>
}

/** The schema errors of a manifest, as "path message" lines; empty when valid. */
export function validateManifest(manifest: { manifestVersion: string }): string[] {
  const ajv = new AjvDraft04.default({ allErrors: true, strictTypes: false })
  addFormats.default(ajv, ['uri', 'email', 'regex'])
  const validate = ajv.compile(loadManifestSchema(manifest.manifestVersion))
  if (validate(manifest)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`)
}
