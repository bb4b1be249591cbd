// The CLI core without a process: argument parsing (no verb means run), the run verb over an
// injected crawl (summary, exit codes), and the declarative sources through --config.
import { UnknownSourceError } from '../../crawler/run-crawl.ts'
import { describe, expect, it } from 'vitest'
import { parseArgs, runCli, type CliIo } from '../../crawler/cli-core.ts'
import type { CrawlRun, SourceRunStats } from '../../crawler/crawl-store.ts'
import { CrawlLockedError } from '../../crawler/run-crawl.ts'
import { handWritten, examplePage } from './helpers.ts'

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

function stats(sourceId: string, over: Partial<SourceRunStats> = {}): SourceRunStats {
  return { sourceId, status: 'ok', fetched: 1, notModified: 1, failed: 0, programmes: 3, new: 0, updated: 0, unchanged: 3, gone: 0, markedStale: 0, consecutiveFailures: 0, recordErrors: 1, errors: ['idf aid: montant illisible (raw: "x")'], durationMs: 5, ...over }
}

function run(status: CrawlRun['status']): CrawlRun {
  const sources = status === 'ok' ? [stats('idf')] : [stats('idf'), stats('daect', { status: 'failed', errors: ['HTTP 503 après 4 tentative(s)'], consecutiveFailures: 1 })]
  return { id: 'r1', trigger: 'cli', startedAt: '2026-03-01T01:30:00.000Z', endedAt: '2026-03-01T01:30:00.000Z', durationMs: 12, status, sources, errors: [] }
}

describe('crawl CLI core', () => {
  it('parses options in both spellings; no verb means run', () => {
    expect(parseArgs(['parse', '--source=idf', '--url', 'https://x.fr/', 'f.json'])).toEqual({ verb: 'parse', source: 'idf', url: 'https://x.fr/', files: ['f.json'] })
    expect(parseArgs(['run', '--source', 'idf', '--replay', 'dir'])).toEqual({ verb: 'run', source: 'idf', replay: 'dir', files: [] })
    expect(parseArgs([])).toEqual({ verb: 'run', files: [] })
    expect(parseArgs(['--source', 'idf'])).toEqual({ verb: 'run', source: 'idf', files: [] })
    expect(parseArgs(['--replay=test/crawler/replay'])).toEqual({ verb: 'run', replay: 'test/crawler/replay', files: [] })
    expect(() => parseArgs(['fetch'])).toThrow(/commande inconnue/)
    expect(() => parseArgs(['parse', '--colour', 'red'])).toThrow(/option inconnue/)
  })

  it('answers 2 for a missing file argument, an unknown source, or run where no store is wired', async () => {
    const b = io({})
    expect(runCli(['parse', '--source', 'idf'], b.io)).toBe(2)
    const c = io({})
    expect(await runCli(['--source', 'Nulle Part'], { ...c.io, crawl: async () => run('ok') })).toBe(2)
    expect(c.err.join('')).toMatch(/source inconnue « Nulle Part »/)
    // A page-source-shaped id goes to the crawl, which knows the page sources; unknown there too: 2, one line.
    const c2 = io({})
    expect(await runCli(['--source', 'nulle-part'], { ...c2.io, crawl: async (r) => { throw new UnknownSourceError(`source inconnue « ${r.source} » (sources : idf)`) } })).toBe(2)
    expect(c2.err).toEqual(['crawl: source inconnue « nulle-part » (sources : idf)\n'])
    const d = io({})
    expect(await runCli(['run'], d.io)).toBe(2)
    expect(d.err.join('')).toMatch(/collecte indisponible/)
    const e = io({})
    expect(await runCli(['run', 'fichier.json'], { ...e.io, crawl: async () => run('ok') })).toBe(2)
  })

  it('runs a crawl: one line per source on stdout, errors on stderr, 0 when all went well', async () => {
    const { io: cliIo, out, err } = io({})
    const asked: unknown[] = []
    const code = await runCli(['--source', 'idf', '--replay', 'rec'], { ...cliIo, crawl: async (r) => (asked.push(r), run('ok')) })
    expect(code).toBe(0)
    expect(asked).toEqual([{ source: 'idf', replay: 'rec' }])
    expect(out.join('')).toMatch(/^idf\s+ok\s+pages 1 \(304 : 1, échecs : 0\)\s+programmes 3\s+nouveaux 0\s+modifiés 0\s+inchangés 3/m)
    expect(out.join('')).toMatch(/collecte r1 : ok en 12 ms/)
    // Record error lines already start with their source: not repeated.
    expect(err.join('')).toBe('idf aid: montant illisible (raw: "x")\n')
  })

  it('answers 1 when a source failed, 3 when another run holds the lock', async () => {
    const a = io({})
    expect(await runCli([], { ...a.io, crawl: async () => run('partial') })).toBe(1)
    expect(a.err.join('')).toMatch(/^daect: HTTP 503/m)
    const b = io({})
    expect(await runCli([], { ...b.io, crawl: async () => { throw new CrawlLockedError() } })).toBe(3)
    expect(b.err.join('')).toMatch(/déjà en cours/)
  })

  it('parses a page with a declarative config', () => {
    const { io: cliIo, out, err } = io({ 'example-page.yaml': handWritten('example-page.yaml'), 'page.html': examplePage() })
    expect(runCli(['parse', '--config', 'example-page.yaml', '--url', 'https://www.departement-exemple.fr/aides/', 'page.html'], cliIo)).toBe(0)
    expect((JSON.parse(out.join('')) as { id: string }[]).map((p) => p.id)).toEqual(['example-page-renovation-ecoles', 'example-page-voirie-rurale'])
    expect(err).toHaveLength(2)
  })
})
