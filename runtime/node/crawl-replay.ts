// `crawl --replay <dir>`: reads a recorded-responses folder (manifest.json: URL → status,
// headers, body file relative to the folder) from disk and serves it as the crawler's fetch.
import { existsSync, readFileSync } from 'node:fs'
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
  // Every recorded file is checked before the crawl starts: a missing one is a clear error now,
  // not a « network error » retried later.
  const missing = parsed.data.entries.map((r, i) => ({ i, file: r.file })).filter((r) => r.file !== undefined && !existsSync(resolve(dir, r.file)))
  if (missing.length) throw new ContentError(path, missing.map((m) => ({ field: `entries.${m.i}.file`, message: `fichier enregistré introuvable : ${resolve(dir, m.file!)}` })))
  return { manifest: parsed.data, read: (file) => readFileSync(resolve(dir, file), 'utf8') }
}

export function loadReplayFetch(dir: string): FetchLike {
  return createReplayFetch(loadReplayManifest(dir))
}

export function loadReplayResponder(dir: string): ReturnType<typeof createReplayResponder> {
  return createReplayResponder(loadReplayManifest(dir))
}
