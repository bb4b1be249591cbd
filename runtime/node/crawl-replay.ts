// `crawl --replay <dir>`: reads a recorded-responses folder (manifest.json: URL → status,
// headers, body file relative to the folder) from disk and serves it as the crawler's fetch.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ContentError, zodIssues } from '../../core/errors.ts'
import { createReplayFetch, createReplayResponder, ReplayManifestSchema, type ReplayManifest } from '../../crawler/fetch/replay-fetch.ts'
import type { FetchLike } from '../../crawler/fetch/polite-fetch.ts'

export function loadReplayManifest(dir: string): { manifest: ReplayManifest; read: (file: string) => string } {
  const path = resolve(dir, 'manifest.json')
  let json: unknown
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new ContentError(path, [{ field: '', message: `manifeste illisible : ${(err as Error).message.split('\n')[0]}` }])
  }
  const parsed = ReplayManifestSchema.safeParse(json)
  if (!parsed.success) throw new ContentError(path, zodIssues(parsed.error.issues))
  return { manifest: parsed.data, read: (file) => readFileSync(resolve(dir, file), 'utf8') }
}

export function loadReplayFetch(dir: string): FetchLike {
  return createReplayFetch(loadReplayManifest(dir))
}

export function loadReplayResponder(dir: string): ReturnType<typeof createReplayResponder> {
  return createReplayResponder(loadReplayManifest(dir))
}
