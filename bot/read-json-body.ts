// Reads a JSON request body within a size limit and validates it with a zod schema: every
// JSON edge of the API (chat, Teams, subscriptions) answers a too-large, malformed or invalid
// body the same way, with a 400 naming the field.
import type { Context } from 'hono'
import type { z } from 'zod'
import { ValidationError, zodIssues } from '../core/errors.ts'

export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S, { maxBytes, emptyAs }: { maxBytes: number; emptyAs?: unknown }): Promise<z.infer<S>> {
  const tooBig = () => new ValidationError([{ field: 'body', message: `corps de requête limité à ${maxBytes} octets` }])
  if (Number(c.req.header('content-length') ?? '0') > maxBytes) throw tooBig()
  const raw = await readLimited(c.req.raw, maxBytes, tooBig)
  let json: unknown
  try {
    json = emptyAs !== undefined && raw.trim() === '' ? emptyAs : JSON.parse(raw)
  } catch {
    throw new ValidationError([{ field: 'body', message: 'JSON invalide' }])
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
  return parsed.data
}

/**
 * The body as text, counted while it streams: a chunked body (no Content-Length) or one whose
 * Content-Length lies is cut off as soon as it passes the limit — never read whole into memory.
 */
export async function readLimited(request: Request, maxBytes: number, tooBig: () => Error): Promise<string> {
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      throw tooBig()
    }
    chunks.push(value)
  }
  const all = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    all.set(chunk, at)
    at += chunk.byteLength
  }
  return new TextDecoder().decode(all)
}
