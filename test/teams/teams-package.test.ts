// `npm run teams:package`: the Teams app zip holds a manifest valid against the official
// schema (read offline from @microsoft/app-manifest) and the two icons at their sizes.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync, unzlibSync, strFromU8 } from 'fflate'
import { describe, expect, it } from 'vitest'
import { PLACEHOLDER_BOT_ID, PackageConfigError, buildTeamsPackage, packageOptions } from '../../bot/channels/teams/package/build-package.ts'
import { MANIFEST_VERSION, buildManifest } from '../../bot/channels/teams/package/manifest.ts'
import { pngHeader } from '../../bot/channels/teams/package/png.ts'
import { shippedManifestVersions, validateManifest } from '../../bot/channels/teams/package/validate-manifest.ts'

const BOT_ID = '0d9c4f4e-6a4b-4f43-9e8f-5b2c1d0e7a11'
const env = { MICROSOFT_APP_ID: BOT_ID, GUICHET_PUBLIC_URL: 'https://guichet.cd89.fr' }

/** The RGBA pixels of an unfiltered 8-bit RGBA PNG (what png.ts writes). */
function pixels(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const idat: Uint8Array[] = []
  for (let at = 8; at < png.length; ) {
    const len = view.getUint32(at)
    if (strFromU8(png.subarray(at + 4, at + 8)) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len))
    at += 12 + len
  }
  const { width, height } = pngHeader(png)
  const raw = unzlibSync(Uint8Array.from(idat.flatMap((c) => [...c])))
  const out = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 4)]).toBe(0)
    out.set(raw.subarray(y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4)), y * width * 4)
  }
  return out
}

describe('npm run teams:package', () => {
  it('zips manifest.json (valid against the official schema, at the newest shipped version) and both icons', () => {
    const { zip } = buildTeamsPackage(packageOptions(env, { version: '0.1.0' }))
    const files = unzipSync(zip)
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png'])
    const manifest = JSON.parse(strFromU8(files['manifest.json']!))
    expect(validateManifest(manifest)).toEqual([])
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION)
    expect(shippedManifestVersions()).toContain(MANIFEST_VERSION)
    expect(manifest.$schema).toBe(`https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`)
    expect(manifest).toMatchObject({ id: BOT_ID, version: '0.1.0', icons: { color: 'color.png', outline: 'outline.png' }, validDomains: ['guichet.cd89.fr'] })
    expect(manifest.bots).toEqual([expect.objectContaining({ botId: BOT_ID, scopes: ['personal', 'team', 'groupChat'] })])
    expect(manifest.developer.websiteUrl).toBe('https://guichet.cd89.fr/')
    expect(manifest.description.short.length).toBeLessThanOrEqual(80)
  })

  it('draws a 192×192 color icon and a 32×32 outline icon that is white on transparent', () => {
    const files = unzipSync(buildTeamsPackage(packageOptions(env, { version: '0.1.0' })).zip)
    expect(pngHeader(files['color.png']!)).toEqual({ width: 192, height: 192, bitDepth: 8, colorType: 6 })
    expect(pngHeader(files['outline.png']!)).toEqual({ width: 32, height: 32, bitDepth: 8, colorType: 6 })
    const color = pixels(files['color.png']!)
    expect(new Set(Array.from({ length: color.length / 4 }, (_, i) => color[i * 4 + 3])).size).toBe(1) // opaque
    const outline = pixels(files['outline.png']!)
    const alphas = Array.from({ length: outline.length / 4 }, (_, i) => outline[i * 4 + 3]!)
    for (let i = 0; i < outline.length; i += 4) {
      if (outline[i + 3]! > 0) expect([outline[i], outline[i + 1], outline[i + 2]]).toEqual([255, 255, 255])
    }
    expect(alphas.filter((a) => a === 0).length).toBeGreaterThan(100)
    expect(alphas.filter((a) => a === 255).length).toBeGreaterThan(100)
  })

  it('the same inputs give the same zip', () => {
    const a = buildTeamsPackage(packageOptions(env, { version: '0.1.0' })).zip
    const b = buildTeamsPackage(packageOptions(env, { version: '0.1.0' })).zip
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
  })

  it('the schema check is real: a manifest the schema refuses is named, field by field', () => {
    const bad = { ...buildManifest({ appId: 'pas-un-guid', botId: BOT_ID, version: '0.1.0', publicUrl: 'https://guichet.cd89.fr' }), accentColor: undefined }
    const errors = validateManifest(JSON.parse(JSON.stringify(bad)))
    expect(errors.join('\n')).toMatch(/\/id/)
    expect(errors.join('\n')).toMatch(/accentColor/)
  })

  it('an older schema can be chosen (TEAMS_MANIFEST_VERSION) and still validates', () => {
    const { manifest } = buildTeamsPackage(packageOptions({ ...env, TEAMS_MANIFEST_VERSION: '1.17' }, { version: '0.1.0' }))
    expect(manifest.manifestVersion).toBe('1.17')
  })

  it('without MICROSOFT_APP_ID it fails with a clear message; --dev uses a placeholder GUID', () => {
    expect(() => packageOptions({ GUICHET_PUBLIC_URL: 'https://guichet.cd89.fr' }, { version: '0.1.0' })).toThrow(PackageConfigError)
    expect(() => packageOptions({ GUICHET_PUBLIC_URL: 'https://guichet.cd89.fr' }, { version: '0.1.0' })).toThrow(/MICROSOFT_APP_ID manque/)
    expect(() => packageOptions({ MICROSOFT_APP_ID: 'abc', GUICHET_PUBLIC_URL: 'https://x.fr' }, { version: '0.1.0' })).toThrow(/GUID/)
    expect(() => packageOptions({ MICROSOFT_APP_ID: BOT_ID, GUICHET_PUBLIC_URL: 'http://guichet.cd89.fr' }, { version: '0.1.0' })).toThrow(/https/)
    const dev = packageOptions({}, { dev: true, version: '0.1.0' })
    expect(dev.botId).toBe(PLACEHOLDER_BOT_ID)
    expect(validateManifest(buildManifest(dev))).toEqual([])
  })

  it('the npm script writes the zip where asked, and exits 1 with the message when the bot id is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guichet-teams-'))
    try {
      const out = join(dir, 'guichet-teams.zip')
      const script = 'bot/channels/teams/package/build-package.ts'
      const ok = spawnSync(process.execPath, ['--import', 'tsx', script, '--out', out], { env: { ...process.env, ...env }, encoding: 'utf8' })
      expect(ok.status, ok.stderr).toBe(0)
      expect(Object.keys(unzipSync(readFileSync(out)))).toContain('manifest.json')
      const { MICROSOFT_APP_ID: _a, MicrosoftAppId: _b, ...rest } = process.env
      const missing = spawnSync(process.execPath, ['--import', 'tsx', script, '--out', out], { env: { ...rest, GUICHET_PUBLIC_URL: env.GUICHET_PUBLIC_URL }, encoding: 'utf8' })
      expect(missing.status).toBe(1)
      expect(missing.stderr).toMatch(/MICROSOFT_APP_ID manque/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
