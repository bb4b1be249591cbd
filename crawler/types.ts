// The contract every crawl source speaks: a declarative fetch plan (what to ask for, how to page,
// which credentials by env var name) and a pure parse (payload text → Programme records plus
// record errors). Nothing here fetches: crawler/run-crawl.ts executes plans through an injected
// polite fetch (crawler/fetch/), and runtime/node/crawl-job.ts wires it to the network and SQLite.
import type { Programme } from '../core/programme.ts'

/** Where and when a payload was fetched: provenance and relative links hang on it. */
export interface ParseContext {
  /** ISO-8601 instant with offset (`2026-03-01T09:00:00+01:00`); also the reference day for year-less prose dates. */
  fetchedAt: string
  /** The URL the payload came from. */
  url: string
}

/**
 * One record (or one field of a record) that could not be taken as is. The record may still be
 * in `records` (the field was dropped or repaired) or be left out (the message says so).
 * Never retried: a ParseError-class problem, reported with the raw value.
 */
export interface RecordError {
  source: string
  recordId?: string
  /** The programme the record became when it was kept (the field was dropped or repaired). */
  programmeId?: string
  field: string
  message: string
  raw: unknown
}

export interface ParseResult {
  records: Programme[]
  errors: RecordError[]
}

/** Pure: throws ParseError only when the payload as a whole has not the expected shape. */
export type ParseFn = (payload: string, ctx: ParseContext) => ParseResult

// ---------------------------------------------------------------------------------------------
// Fetch plans: data, no behaviour beyond pure functions of a payload.

export type PlannedBody =
  | { kind: 'json'; value: unknown }
  /** multipart/form-data; each part sent as its own blob with a content type (SEDIA wants JSON parts). */
  | { kind: 'multipart'; parts: { name: string; contentType: string; value: string }[] }

export interface PlannedRequest {
  url: string
  method: 'GET' | 'POST'
  headers?: Record<string, string>
  /** Built on demand so that a paging step can change it (SEDIA pages with the query string, not the body). */
  body?: () => PlannedBody
  /** `list` pages feed `next`; `detail` pages come from `follow` (one programme each). */
  kind: 'list' | 'detail'
}

/** Credentials a source needs, named by env var: the runtime reads them, never the crawler. */
export type AuthNeed =
  | { kind: 'none' }
  /** Static headers whose values come from env vars, e.g. ADEME `client_id`/`client_secret`. */
  | { kind: 'headers'; headers: Record<string, string>; note?: string }
  /** Aides-territoires: POST the API key in `X-AUTH-TOKEN` to get a JWT, then `Authorization: Bearer <jwt>`. */
  | { kind: 'token-exchange'; exchangeUrl: string; keyHeader: string; keyEnv: string; tokenField: string; ttlSeconds: number }
  | { kind: 'basic'; userEnv: string; passwordEnv: string }

export interface SourcePlan {
  sourceId: string
  label: string
  /** What the payloads are: the runner and the CLI use it for messages, the parser checks it. */
  format: 'json' | 'xml' | 'html'
  auth: AuthNeed
  start: PlannedRequest[]
  /** The next list page after this one, or null at the end (or when the payload cannot tell). */
  next?: (payload: string, request: PlannedRequest) => PlannedRequest | null
  /** Detail pages named by a list payload (Nouvelle-Aquitaine RSS → fiche pages). */
  follow?: (payload: string, request: PlannedRequest) => PlannedRequest[]
  /** Minimum delay between two requests to this host, in ms (the polite fetcher honours it). */
  politenessMs: number
}

export interface CrawlSource {
  id: string
  plan: SourcePlan
  parse: ParseFn
}
