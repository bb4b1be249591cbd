// The one place where errors become HTTP answers: 400 names the field, 404 suggests,
// anything else is a logged 500 with no internals leaked.
import type { Context } from 'hono'
import { requestIdOf, routePatternOf } from './request-log.ts'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { ConflictError, NotFoundError, ValidationError, zodIssues } from '../core/errors.ts'
import type { Logger } from '../core/logger.ts'

export interface ErrorBody {
  error: {
    code: string
    message: string
    field?: string
    issues?: { field: string; message: string }[]
    suggestions?: { label: string; code: string }[]
    candidates?: unknown[]
    requestId?: string
  }
}

/** Thrown when a name matches several collectivités: 400 with the candidates to choose from. */
export class AmbiguousError extends Error {
  override readonly name = 'AmbiguousError'
  constructor(
    message: string,
    readonly field: string,
    readonly candidates: unknown[],
  ) {
    super(message)
  }
}

export function errorResponse(c: Context, err: unknown, logger: Logger): Response {
  const send = (status: ContentfulStatusCode, body: ErrorBody) => c.json(body, status)
  if (err instanceof z.ZodError) err = new ValidationError(zodIssues(err.issues))
  // c.req.parseBody() on a form body that does not parse (multipart without its boundary, cut short): the body is at fault, not the server.
  if (isUnreadableForm(err)) err = new ValidationError([{ field: 'body', message: 'formulaire illisible (multipart/form-data ou application/x-www-form-urlencoded attendu)' }])
  if (err instanceof ValidationError) {
    // An issue on the whole value (a JSON body that is an array, a number, null…) has an empty path: it names the body.
    const issues = err.issues.map((i) => (i.field === '' ? { ...i, field: 'body' } : i))
    const first = issues[0]
    return send(400, {
      error: {
        code: 'invalid_request',
        message: `Paramètre invalide « ${first?.field ?? '?'} » : ${first?.message ?? ''} / Invalid parameter "${first?.field ?? '?'}"`,
        ...(first ? { field: first.field } : {}),
        issues,
      },
    })
  }
  if (err instanceof AmbiguousError) {
    return send(400, { error: { code: 'ambiguous', message: err.message, field: err.field, candidates: err.candidates } })
  }
  if (err instanceof ConflictError) {
    return send(409, { error: { code: 'conflict', message: err.message, ...(err.field ? { field: err.field } : {}) } })
  }
  if (err instanceof NotFoundError) {
    return send(404, {
      error: { code: 'not_found', message: err.message, ...(err.field ? { field: err.field } : {}), suggestions: err.suggestions },
    })
  }
  // The route pattern, not the path (a path may hold a token); the request id links the user's report to this line.
  const requestId = requestIdOf(c)
  logger.error('unhandled error', { ...(requestId ? { requestId } : {}), method: c.req.method, route: routePatternOf(c), error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) })
  return send(500, { error: { code: 'internal', message: `Erreur interne : réessayez dans un instant${requestId ? ` (référence ${requestId})` : ''}. / Internal error.`, ...(requestId ? { requestId } : {}) } })
}

/** The TypeError undici's Request.formData() throws on a malformed form body (what Hono's parseBody calls). */
function isUnreadableForm(err: unknown): boolean {
  return err instanceof TypeError && /parse body as FormData/i.test(err.message)
}
