// POST /api/messages for either SDK: the body is read and checked here (size, JSON, the fields
// the channel relies on: 400 naming the field, in French), then the SDK adapter processes the
// activity and says what to answer. A refused Bot Framework token is a 401 in one shape for both.
import { ConversationGoneError } from './conversation-gone-error.ts'
import { Hono } from 'hono'
import { z } from 'zod'
import type { Logger } from '../../../core/logger.ts'
import { errorResponse } from '../../http-errors.ts'
import { readJsonBody } from '../../read-json-body.ts'
import type { IncomingActivity, InvokeResponse } from './teams-activity.ts'
import { MAX_ACTIVITY_BODY_BYTES } from './teams-options.ts'

const account = (what: string) =>
  z
    .object(
      {
        id: z.string({ error: `identifiant ${what} attendu` }).min(1).max(256),
        name: z.string({ error: 'nom : texte attendu' }).max(256).optional(),
        aadObjectId: z.string({ error: 'identifiant Entra ID : texte attendu' }).max(64).optional(),
      },
      { error: 'objet attendu' },
    )
    .loose()
const optionalText = (max: number) => z.string({ error: 'texte attendu' }).max(max).optional()
const list = <T extends z.ZodType>(item: T, max: number) => z.array(item, { error: 'liste attendue' }).max(max).optional()

/**
 * The fields the channel and the SDKs rely on, checked the same way whichever SDK serves the
 * channel (the Agents SDK refuses a wrongly typed field where botbuilder lets it through);
 * everything else passes through to the SDK.
 */
export const IncomingActivitySchema = z
  .object({
    type: z.string({ error: 'type d\'activité attendu (texte)' }).min(1).max(64),
    id: z.string({ error: 'identifiant d\'activité : texte attendu' }).max(256).optional(),
    name: optionalText(256),
    action: optionalText(64),
    channelId: z.string({ error: 'canal attendu (msteams)' }).min(1).max(64),
    serviceUrl: z.url({ protocol: /^https?$/, error: 'URL http(s) attendue' }),
    conversation: z.object({ id: z.string({ error: 'identifiant de conversation attendu' }).min(1).max(1024) }, { error: 'objet conversation attendu' }).loose(),
    from: account('d\'expéditeur'),
    recipient: account('du bot'),
    text: z.string({ error: 'texte attendu' }).max(28_000, '28 000 caractères au plus').optional(),
    textFormat: optionalText(32),
    locale: optionalText(64),
    replyToId: optionalText(256),
    membersAdded: list(account('de membre'), 1000),
    membersRemoved: list(account('de membre'), 1000),
    entities: list(z.object({ type: z.string({ error: 'type d\'entité attendu' }).min(1).max(64) }, { error: 'objet attendu' }).loose(), 100),
    attachments: list(z.object({ contentType: z.string({ error: 'type de contenu attendu' }).min(1).max(256) }, { error: 'objet attendu' }).loose(), 50),
  })
  .loose()

/** The request carried no valid Bot Framework token (or the SDK refused it): answered 401 (403 when the SDK said so). */
export class TeamsUnauthorizedError extends Error {
  override readonly name = 'TeamsUnauthorizedError'
  constructor(
    message: string,
    readonly status: 401 | 403 = 401,
  ) {
    super(message)
  }
}

/** One activity through the SDK: the HTTP answer (200 and, for an invoke, its response). */
export type ProcessActivity = (authorization: string, activity: IncomingActivity) => Promise<InvokeResponse>

export function teamsHttpRoutes({ process, logger }: { process: ProcessActivity; logger: Logger }): Hono {
  const routes = new Hono()
  routes.onError((err, c) => errorResponse(c, err, logger))
  routes.post('/api/messages', async (c) => {
    const activity = (await readJsonBody(c, IncomingActivitySchema, { maxBytes: MAX_ACTIVITY_BODY_BYTES })) as unknown as IncomingActivity
    try {
      const answer = await process(c.req.header('authorization') ?? '', activity)
      if (answer.body !== undefined) return c.json(answer.body as object, answer.status as 200)
      return c.body(null, answer.status as 200)
    } catch (err) {
      if (!(err instanceof TeamsUnauthorizedError)) throw err
      logger.warn('teams request refused', { status: err.status, reason: err.message })
      return c.json({ error: { code: 'unauthorized', message: 'Jeton Bot Framework absent ou invalide / Missing or invalid Bot Framework token' } }, err.status)
    }
  })
  return routes
}

/**
 * A proactive send the connector refused: 403/404 become ConversationGoneError (the caller disables the
 * conversation), anything else is thrown as it came. Shared by both SDK adapters.
 */
export function throwSendFailure(failure: unknown, conversationId: string | undefined): never {
  const status = httpStatus(failure)
  if (status === 403 || status === 404) throw new ConversationGoneError(conversationId ?? '', status)
  throw failure
}

/** The HTTP status an SDK or connector error carries (botbuilder's AuthenticationError, RestError, the Agents SDK's HttpClientError). */
export function httpStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const e = err as { statusCode?: unknown; status?: unknown; response?: { status?: unknown } }
  const status = e.statusCode ?? e.status ?? e.response?.status
  return typeof status === 'number' ? status : undefined
}
