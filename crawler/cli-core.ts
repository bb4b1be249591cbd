// The crawler CLI, as a pure function: arguments and injected I/O in, an exit code out. The
// thin entry (crawler/cli.ts) wires it to node:fs and process. Verbs: `parse` now; `run` and
// `--replay` are parsed already so that the fetching side can plug in later.
//
//   parse --source <id> [--url <u>] [--fetched-at <iso>] [--config <yaml>] <file>
//
// stdout: the normalised programmes as a JSON array. stderr: one line per record error
// (`source field: message (raw: …)`). Exit 0 even with record errors; 2 with a one-line message
// when the file cannot be read or parsed at all, the source is unknown, or the usage is wrong.
import { ContentError, ParseError } from '../core/errors.ts'
import { createDeclarativeSource, parseDeclarativeSource } from './declarative/parse.ts'
import { SOURCE_IDS, findSource } from './sources/index.ts'
import type { CrawlSource, RecordError } from './types.ts'

export interface CliIo {
  /** Throws when the file cannot be read. */
  readFile(path: string): string
  now(): Date
  stdout(text: string): void
  stderr(text: string): void
}

export const VERBS = ['parse', 'run'] as const
export type Verb = (typeof VERBS)[number]

export interface CliArgs {
  verb: Verb
  source?: string
  url?: string
  fetchedAt?: string
  config?: string
  /** `run --replay <dir>`: re-parse recorded payloads instead of fetching (later). */
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

class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): CliArgs {
  const [verb, ...rest] = argv
  if (!verb || !(VERBS as readonly string[]).includes(verb)) throw new UsageError(verb ? `commande inconnue « ${verb} » (${VERBS.join(', ')})` : 'commande manquante')
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

function formatRaw(raw: unknown): string {
  let text: string
  try {
    text = typeof raw === 'string' ? JSON.stringify(raw) : (JSON.stringify(raw) ?? String(raw))
  } catch {
    text = String(raw)
  }
  text = text.replace(/\s+/g, ' ')
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

export function formatRecordError(e: RecordError): string {
  const record = e.recordId ? ` [fiche ${e.recordId}]` : ''
  return `${e.source} ${e.field}: ${e.message}${record} (raw: ${formatRaw(e.raw)})`
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

export function runCli(argv: readonly string[], io: CliIo): number {
  try {
    const args = parseArgs(argv)
    if (args.verb === 'run') throw new UsageError('la commande « run » n\'est pas encore disponible : utiliser « parse »')
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
