// Reads the curated catalogue (content/programmes/*.yaml) from disk for the Node runtime.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseProgrammeFiles } from '../../content/parse-programme-file.ts'
import type { Programme } from '../../core/programme.ts'

export const CONTENT_DIR = new URL('../../content/programmes/', import.meta.url).pathname

export function readProgrammeFiles(dir = CONTENT_DIR): { name: string; text: string }[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }))
}

export function loadCuratedProgrammes(dir = CONTENT_DIR): Programme[] {
  return parseProgrammeFiles(readProgrammeFiles(dir))
}
