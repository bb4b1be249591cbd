// Shared helpers of the crawler tests: recorded payloads from test/fixtures/sources, hand-written ones from
// fixtures/ beside this file, and a fixed fetch context.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { ParseContext } from '../../crawler/types.ts'

export const FETCHED_AT = '2026-03-01T09:00:00+01:00'

export function ctx(url: string, fetchedAt = FETCHED_AT): ParseContext {
  return { fetchedAt, url }
}

/** A recorded payload in test/fixtures/sources/ (see its PROVENANCE.md). */
export function recorded(path: string): string {
  return readFileSync(new URL(`../fixtures/sources/${path}`, import.meta.url), 'utf8')
}

export function recordedPath(path: string): string {
  return fileURLToPath(new URL(`../fixtures/sources/${path}`, import.meta.url))
}

/** A hand-written payload in test/crawler/fixtures/ (see the README there). */
export function handWritten(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
}

/** The page the example declarative source reads, recorded beside it in content/sources (shared with the back office's test). */
export function examplePage(): string {
  return readFileSync(new URL('../../content/sources/departement-exemple.recorded.html', import.meta.url), 'utf8')
}

export function handWrittenPath(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
}
