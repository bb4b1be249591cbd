// The crawler CLI, as a pure function: arguments and injected I/O in, an exit code out. The
// thin entry (runtime/node/crawl-cli.ts) wires it to node:fs, process and the Node runtime's store.
//
//   [run] [--source <id>] [--replay <dir>]     crawl all enabled sources (or one), from the
//                                              network or from recorded responses
//   parse --source <id> [--url <u>] [--fetched-at <iso>] [--config <yaml>] <file>
//
// run: stdout one line per source (status and counts), stderr the errors; exit 0 when every
// source crawled succeeded (skipped ones included), 1 when one failed, 3 when another live run
// holds the lease (a killed run's is taken over at once). parse: stdout the normalised programmes as a JSON array, stderr one line per record
// error (`source field: message (raw: …)`); exit 0 even with record errors. Both: 2 with a
// one-line message when a file cannot be read or parsed at all, the source is unknown, or the
// usage is wrong.
import { ContentError, ParseError } from '../core/errors.ts'
import type { CrawlRun } from './crawl-store.ts'
import { CrawlLockedError, UnknownSourceError } from './run-crawl.ts'
import { createDeclarativeSource, parseDeclarativeSource } from './declarative/parse.ts'
import { SOURCE_IDS, findSource } from './sources/index.ts'
import type { CrawlSource } from './types.ts'
import { formatRecordError } from './format-error.ts'

export { formatRecordError }

export interface CliIo {
  /** Throws when the file cannot be read. */
  readFile(path: string): string
  now(): Date
  stdout(text: string): void
  stderr(text: string): void
  /** Runs a crawl into the runtime's store (absent where no store is wired: `run` then answers 2). */
  crawl?(request: { source?: string; replay?: string }): Promise<CrawlRun>
}

export const VERBS = ['parse', 'run'] as const
export type Verb = (typeof VERBS)[number]

export interface CliArgs {
  verb: Verb
  source?: string
  url?: string
  fetchedAt?: string
  config?: string
  /** `run --replay <dir>`: recorded responses (dir/manifest.json) instead of the network. */
  replay?: string
  files: string[]
}

const OPTIONS: Record<string, keyof Omit<CliArgs, 'verb' | 'files'>> = {
  '--source': 'source',
  '--url': 'url',
  '--fetched-at': 'fetchedAt',
  '--config': 'config',
  '--replay': 'replay',
}

export const USAGE = 'usage: crawl parse --source <id> [--url <url>] [--fetched-at <iso>] [--config <source.yaml>] <fichier>'
export const RUN_USAGE = 'usage: crawl [run] [--source <id>] [--replay <dossier>]'

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliArgs {
  // No verb (`npm run crawl`, `npm run crawl -- --source idf`) means run.
  const [verb, ...rest] = argv.length === 0 || argv[0]!.startsWith('--') ? ['run', ...argv] : argv
  if (!verb || !(VERBS as readonly string[]).includes(verb)) throw new UsageError(`commande inconnue « ${verb} » (${VERBS.join(', ')})`)
  const args: CliArgs = { verb: verb as Verb, files: [] }
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!
    const [flag, inline] = token.startsWith('--') && token.includes('=') ? [token.slice(0, token.indexOf('=')), token.slice(token.indexOf('=') + 1)] : [token, undefined]
    const key = OPTIONS[flag]
    if (key) {
      const value = inline ?? rest[++i]
      if (value === undefined || value === '') throw new UsageError(`valeur manquante pour ${flag}`)
      args[key] = value
    } else if (token.startsWith('--')) throw new UsageError(`option inconnue ${token}`)
    else args.files.push(token)
  }
  return args
}

function oneLine(message: string): string {
  return message.split('\n')[0]!.trim()
}

function resolveSource(args: CliArgs, io: CliIo): CrawlSource {
  if (args.config) {
    let yamlText: string
    try {
      yamlText = io.readFile(args.config)
    } catch (err) {
      throw new UsageError(`configuration illisible ${args.config}: ${(err as Error).message}`)
    }
    const config = parseDeclarativeSource(args.config, yamlText)
    if (args.source && args.source !== config.id) throw new UsageError(`--source ${args.source} ne correspond pas à la configuration (${config.id})`)
    return createDeclarativeSource(config)
  }
  if (!args.source) throw new UsageError('--source manquant')
  const source = findSource(args.source)
  if (!source) throw new UsageError(`source inconnue « ${args.source} » (sources : ${SOURCE_IDS.join(', ')})`)
  return source
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width)
}

/** One line per source: `idf  ok  pages 1 (304: 1)  programmes 3  new 0  updated 0  unchanged 3 …`. */
export function formatRun(run: CrawlRun): string {
  const lines = run.sources.map((s) => {
    const counts = s.status === 'skipped' ? '' : `pages ${s.fetched} (304 : ${s.notModified}, échecs : ${s.failed})  programmes ${s.programmes}  nouveaux ${s.new}  modifiés ${s.updated}  inchangés ${s.unchanged}  retirés ${s.gone}  erreurs de fiche ${s.recordErrors}`
    const stale = s.markedStale ? `  marqués périmés ${s.markedStale}` : ''
    const failures = s.consecutiveFailures ? `  échecs consécutifs ${s.consecutiveFailures}` : ''
    return `${pad(s.sourceId, 20)} ${pad(s.status, 8)} ${counts}${stale}${failures}`.trimEnd()
  })
  return `${lines.join('\n')}\ncollecte ${run.id} : ${run.status} en ${Math.round(run.durationMs ?? 0)} ms\n`
}

async function runCrawlVerb(args: CliArgs, io: CliIo): Promise<number> {
  try {
    if (args.files.length) throw new UsageError(`argument inattendu « ${args.files[0]} » — ${RUN_USAGE}`)
    if (args.url || args.fetchedAt || args.config) throw new UsageError(`--url, --fetched-at et --config vont avec « parse » — ${RUN_USAGE}`)
    // A page source (content/sources or the back office) is known only to the crawl itself.
    if (args.source && !findSource(args.source) && !/^[a-z0-9][a-z0-9-]*$/.test(args.source)) throw new UsageError(`source inconnue « ${args.source} » (sources : ${SOURCE_IDS.join(', ')}, ou une page suivie)`)
    if (!io.crawl) throw new UsageError('collecte indisponible dans cet environnement')
    const run = await io.crawl({ ...(args.source ? { source: args.source } : {}), ...(args.replay ? { replay: args.replay } : {}) })
    io.stdout(formatRun(run))
    for (const s of run.sources) for (const e of s.status === 'ok' ? s.errors : s.errors.slice(0, 5)) io.stderr(`${e.startsWith(`${s.sourceId} `) ? '' : `${s.sourceId}: `}${oneLine(e)}\n`)
    for (const e of run.errors) io.stderr(`crawl: ${oneLine(e)}\n`)
    return run.status === 'ok' ? 0 : 1
  } catch (err) {
    if (err instanceof CrawlLockedError) {
      io.stderr(`crawl: ${err.message}\n`)
      return 3
    }
    if (err instanceof UsageError || err instanceof ContentError || err instanceof UnknownSourceError) {
      io.stderr(`crawl: ${oneLine(err.message)}\n`)
      return 2
    }
    io.stderr(`crawl: erreur interne : ${oneLine((err as Error)?.message ?? String(err))}\n`)
    return 1
  }
}

export const HELP = `npm run crawl -- [run] [--source <id>] [--replay <dossier>]
npm run crawl -- parse --source <id> [--url <url>] [--fetched-at <iso>] [--config <source.yaml>] <fichier>
npm run crawl -- --help

  run (par défaut)   collecte toutes les sources actives (ou --source <id>) dans la base SQLite
                     (GUICHET_DATA_DIR), depuis le réseau, ou depuis des réponses enregistrées
                     avec --replay <dossier> (un manifest.json : URL → fichier ; exemple :
                     --replay test/crawler/replay, hors ligne). Une ligne par source sur stdout.
  parse              lit un fichier enregistré avec l'analyseur d'une source (--source, ou
                     --config pour une source déclarative) et écrit les programmes en JSON.

Sources : ${SOURCE_IDS.join(', ')} (et les pages suivies de content/sources).
Environnement : GUICHET_DATA_DIR (dossier de la base), GUICHET_NOW (date fixe), CRAWL_* (voir README).
Code de sortie : 0 réussi, 1 une source a échoué, 2 usage ou fichier illisible, 3 une autre collecte est en cours.
`

/** `parse` answers at once; `run` answers a promise. */
export function runCli(argv: readonly string[], io: CliIo): number | Promise<number> {
  if (argv.some((a) => a === '--help' || a === '-h' || a === 'help')) {
    io.stdout(HELP)
    return 0
  }
  try {
    const args = parseArgs(argv)
    if (args.verb === 'run') return runCrawlVerb(args, io)
    if (args.files.length !== 1) throw new UsageError(args.files.length ? 'un seul fichier à la fois' : `fichier manquant — ${USAGE}`)
    const source = resolveSource(args, io)
    const file = args.files[0]!
    let payload: string
    try {
      payload = io.readFile(file)
    } catch (err) {
      throw new UsageError(`fichier illisible ${file}: ${oneLine((err as Error).message)}`)
    }
    const fetchedAt = args.fetchedAt ?? io.now().toISOString()
    if (Number.isNaN(Date.parse(fetchedAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(fetchedAt)) throw new UsageError(`--fetched-at doit être un instant ISO-8601 (reçu ${fetchedAt})`)
    const url = args.url ?? source.plan.start[0]?.url ?? 'https://example.invalid/'
    const result = source.parse(payload, { fetchedAt, url })
    io.stdout(`${JSON.stringify(result.records, null, 2)}\n`)
    for (const e of result.errors) io.stderr(`${formatRecordError(e)}\n`)
    return 0
  } catch (err) {
    if (err instanceof UsageError || err instanceof ParseError || err instanceof ContentError) {
      io.stderr(`crawl: ${oneLine(err.message)}\n`)
      return 2
    }
    io.stderr(`crawl: erreur interne : ${oneLine((err as Error)?.message ?? String(err))}\n`)
    return 1
  }
}
