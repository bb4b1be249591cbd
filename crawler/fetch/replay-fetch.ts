// Recorded responses instead of the network: a manifest (URL → status, headers, file or inline
// body) served as a fetch function, so `crawl --replay <dir>` runs the same code after fetch as
// a live crawl. Each body gets an ETag (a hash of its text) unless the entry records a
// Last-Modified; If-None-Match and If-Modified-Since are honoured, so a second replay exercises
// the 304 path too. Reading files is injected: this module stays
// runtime-agnostic (runtime/node/crawl-replay.ts reads them from disk).
import { z } from 'zod'
import type { FetchLike } from './polite-fetch.ts'

export const ReplayEntrySchema = z
  .object({
    /** The crawl source the response belongs to (the bench groups fixtures by it). */
    source: z.string().optional(),
    method: z.enum(['GET', 'POST']).default('GET'),
    url: z.url(),
    status: z.number().int().min(100).max(599).default(200),
    headers: z.record(z.string(), z.string()).default({}),
    /** Path of the body, relative to the manifest's folder. */
    file: z.string().optional(),
    /** Inline body (robots.txt, small JSON). */
    body: z.string().optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((e) => e.file === undefined || e.body === undefined, { message: 'file ou body, pas les deux', path: ['body'] })

export const ReplayManifestSchema = z
  .object({
    description: z.string().optional(),
    entries: z.array(ReplayEntrySchema),
  })
  .strict()

export type ReplayEntry = z.infer<typeof ReplayEntrySchema>
export type ReplayManifest = z.infer<typeof ReplayManifestSchema>

export interface ReplayAnswer {
  status: number
  headers: Record<string, string>
  body: string
}

/** FNV-1a over UTF-16 code units: a stable, dependency-free ETag for a body. */
export function textHash(text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(16).padStart(8, '0')
}

function key(method: string, url: string): string {
  let href = url
  try {
    href = new URL(url).href
  } catch {
    // kept as given: it will simply not match
  }
  return `${method.toUpperCase()} ${href}`
}

/**
 * Answers (method, URL, request headers) from the manifest: the recorded status, headers and
 * body, a 304 when If-None-Match names the body's ETag, a 404 when nothing was recorded.
 */
export function createReplayResponder({ manifest, read }: { manifest: ReplayManifest; read: (file: string) => string }) {
  const byKey = new Map(manifest.entries.map((e) => [key(e.method, e.url), e] as const))
  const bodies = new Map<ReplayEntry, string>()
  const bodyOf = (e: ReplayEntry) => {
    let text = bodies.get(e)
    if (text === undefined) {
      text = e.body ?? (e.file ? read(e.file) : '')
      bodies.set(e, text)
    }
    return text
  }
  return function respond(method: string, url: string, requestHeaders: Headers = new Headers()): ReplayAnswer {
    const entry = byKey.get(key(method, url))
    if (!entry) return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `non enregistré : ${method} ${url}` }
    const body = bodyOf(entry)
    const headers: Record<string, string> = Object.fromEntries(Object.entries(entry.headers).map(([h, v]) => [h.toLowerCase(), v]))
    // An entry that records Last-Modified is validated by date only, so both paths get exercised.
    if (entry.status >= 200 && entry.status < 300 && method === 'GET' && !headers.etag && !headers['last-modified']) headers.etag = `"${textHash(body)}"`
    const ifNoneMatch = requestHeaders.get('if-none-match')
    const ifModifiedSince = requestHeaders.get('if-modified-since')
    if (ifNoneMatch !== null) {
      if (headers.etag && ifNoneMatch.split(/\s*,\s*/).includes(headers.etag)) return { status: 304, headers: { etag: headers.etag }, body: '' }
    } else if (ifModifiedSince && headers['last-modified'] && Date.parse(headers['last-modified']) <= Date.parse(ifModifiedSince)) {
      return { status: 304, headers: { 'last-modified': headers['last-modified'] }, body: '' }
    }
    return { status: entry.status, headers, body }
  }
}

/** A fetch function over the manifest (no network, no delay). */
export function createReplayFetch(options: { manifest: ReplayManifest; read: (file: string) => string }): FetchLike {
  const respond = createReplayResponder(options)
  return async (input, init) => {
    const answer = respond(init?.method ?? 'GET', input, new Headers(init?.headers))
    const nullBody = answer.status === 304 || answer.status === 204
    return new Response(nullBody ? null : answer.body, { status: answer.status, headers: answer.headers })
  }
}
