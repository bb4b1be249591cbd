// The CLI core without a process: argument parsing ready for the later verbs, and the declarative
// sources through --config.
import { describe, expect, it } from 'vitest'
import { parseArgs, runCli, type CliIo } from '../../crawler/cli-core.ts'
import { handWritten } from './helpers.ts'

function io(files: Record<string, string>) {
  const out: string[] = []
  const err: string[] = []
  const value: CliIo = {
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`)
      return files[p]!
    },
    now: () => new Date('2026-03-01T08:00:00Z'),
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  }
  return { io: value, out, err }
}

describe('crawl CLI core', () => {
  it('parses options in both spellings and keeps run/--replay for later', () => {
    expect(parseArgs(['parse', '--source=idf', '--url', 'https://x.fr/', 'f.json'])).toEqual({ verb: 'parse', source: 'idf', url: 'https://x.fr/', files: ['f.json'] })
    expect(parseArgs(['run', '--source', 'idf', '--replay', 'dir'])).toEqual({ verb: 'run', source: 'idf', replay: 'dir', files: [] })
    expect(() => parseArgs(['fetch'])).toThrow(/commande inconnue/)
    expect(() => parseArgs(['parse', '--colour', 'red'])).toThrow(/option inconnue/)
  })

  it('answers 2 for run (not yet) and for a missing file argument', () => {
    const a = io({})
    expect(runCli(['run', '--source', 'idf'], a.io)).toBe(2)
    expect(a.err.join('')).toMatch(/pas encore disponible/)
    const b = io({})
    expect(runCli(['parse', '--source', 'idf'], b.io)).toBe(2)
  })

  it('parses a page with a declarative config', () => {
    const { io: cliIo, out, err } = io({ 'example-page.yaml': handWritten('example-page.yaml'), 'page.html': handWritten('example-page.html') })
    expect(runCli(['parse', '--config', 'example-page.yaml', '--url', 'https://www.departement-exemple.fr/aides/', 'page.html'], cliIo)).toBe(0)
    expect((JSON.parse(out.join('')) as { id: string }[]).map((p) => p.id)).toEqual(['example-page-renovation-ecoles', 'example-page-voirie-rurale'])
    expect(err).toHaveLength(2)
  })
})
