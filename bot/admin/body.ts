// The back office's body readers: JSON through the public API's reader (bot/read-json-body.ts,
// a 400 naming the field) within the desk's 1 MB, and forms through one reader and a zod schema
// that maps the fields as typed (a form never fails here: its page answers what is wrong).
import type { Context } from 'hono'
import { z } from 'zod'
import { ValidationError, zodIssues } from '../../core/errors.ts'
import { readJsonBody } from '../read-json-body.ts'
import type { FormValues } from './programme-form-map.ts'

/** The desk's body limit (the bodyLimit middleware answers 413 before this reader sees more). */
export const ADMIN_JSON_MAX_BYTES = 1024 * 1024

/** The import's body limit (its files are checked again at 5 MB of content). */
export const ADMIN_IMPORT_MAX_BYTES = 6 * 1024 * 1024

/** A JSON body validated by `schema`: malformed JSON, or a body the schema refuses, is a 400 naming the field. */
export async function readAdminJson<S extends z.ZodType>(c: Context, schema: S, maxBytes = ADMIN_JSON_MAX_BYTES): Promise<z.infer<S>> {
  // A form body already read by the CSRF guard cannot be JSON: the same answer as malformed JSON.
  if (c.req.raw.bodyUsed) throw new ValidationError([{ field: 'body', message: 'JSON invalide' }])
  return readJsonBody(c, schema, { maxBytes })
}

/** `schema` applied to a value already read (a form's fields, a body's part): a refusal is a 400 naming the fields. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input)
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
  return parsed.data
}

/** A form body mapped by `schema` (the CSRF token and any other field left to the schema). */
export async function readForm<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  return schema.parse(await c.req.parseBody())
}

/** Every field of a form as typed (a list for repeated inputs, files left out), without its CSRF token. */
export async function readFormValues(c: Context): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true })
  const out: FormValues = {}
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue
    if (typeof v === 'string') out[k] = v
    else if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string')
  }
  return out
}

/** A form input as text: '' when absent or a file. */
export const formText = z.unknown().optional().transform((v) => (typeof v === 'string' ? v : ''))
/** A form input as text without its surrounding blanks. */
export const formTrimmed = formText.transform((v) => v.trim())
/** A switch sent as a hidden input: true only for '1'. */
export const formFlag = z.unknown().optional().transform((v) => v === '1')
