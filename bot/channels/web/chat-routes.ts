// POST /api/chat: the web channel of the dialogue. Bodies are at most 4 KB and strictly
// validated; sessions persist in the SessionStore and expire after 30 idle days.
import { Hono } from 'hono'
import { z } from 'zod'
import type { Clock } from '../../../core/clock.ts'
import type { Dialogue } from '../../conversation/dialogue.ts'
import { isExpired, type SessionStore } from '../../conversation/session-store.ts'
import { readJsonBody } from '../../read-json-body.ts'

export const MAX_CHAT_BODY_BYTES = 4096

export const ChatRequestSchema = z
  .object({
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'identifiant de session invalide').optional(),
    text: z.string().max(1000, '1 000 caractères au plus').optional(),
    choice: z.string().min(1).max(200).optional(),
    step: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((b) => !(b.text !== undefined && b.choice !== undefined), { message: 'text ou choice, pas les deux', path: ['choice'] })

export function chatRoutes({ dialogue, sessions, clock, newId = () => crypto.randomUUID() }: { dialogue: Dialogue; sessions: SessionStore; clock: Clock; newId?: () => string }): Hono {
  const app = new Hono()
  app.post('/api/chat', async (c) => {
    const body = await readJsonBody(c, ChatRequestSchema, { maxBytes: MAX_CHAT_BODY_BYTES, emptyAs: {} })
    const now = clock.now()
    const stored = body.sessionId ? await sessions.load(body.sessionId) : undefined
    const expired = stored !== undefined && isExpired(stored, now)
    const sessionId = stored && !expired ? body.sessionId! : newId()
    const { state, reply } = await dialogue.turn(stored && !expired ? stored.state : undefined, {
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.choice !== undefined ? { choice: body.choice } : {}),
      ...(body.step !== undefined ? { step: body.step } : {}),
    })
    await sessions.save(sessionId, state, now)
    const messages = expired || (body.sessionId && !stored) ? [{ text: 'Votre conversation précédente a expiré : reprenons.' }, ...reply.messages] : reply.messages
    return c.json({
      sessionId,
      messages,
      ...(reply.question ? { question: { slot: reply.question.slot, text: reply.question.text, step: reply.question.step, ...(reply.question.choices ? { choices: reply.question.choices } : {}) } } : {}),
      ...(reply.results ? { results: reply.results } : {}),
      ...(reply.excluded ? { excluded: reply.excluded } : {}),
      ...(reply.actions ? { actions: reply.actions } : {}),
    })
  })
  return app
}
