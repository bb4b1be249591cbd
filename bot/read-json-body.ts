// Reads a JSON request body within a size limit and validates it with a zod schema: every
// JSON edge of the API (chat, Teams, subscriptions) answers a too-large, malformed or invalid
// body the same way, with a 400 naming the field.
import type { Context } from 'hono'
import type { z } from 'zod'
import { ValidationError, zodIssues } from '../core/errors.ts'

export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S, { maxBytes, emptyAs }: { maxBytes: number; emptyAs?: unknown }): Promise<z.infer<S>> {
  const tooBig = () => new ValidationError([{ field: 'body', message: `corps de requête limité à ${maxBytes} octets` }])
  if (Number(c.req.header('content-length') ?? '0') > maxBytes) throw tooBig()
  const raw = await c.req.text()
  if (new TextEncoder().encode(raw).length > maxBytes) throw tooBig()
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
