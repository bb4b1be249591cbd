// POST /api/chat: the web channel of the dialogue. Bodies are at most 4 KB and strictly
// validated; sessions persist in the SessionStore and expire after 30 idle days.
//
// A session row is written only when a turn leaves something worth keeping: a turn that learned
// nothing (an empty first turn, « bonjour », words it could not read) leaves the greeting state —
// the collectivité question pending, no fact — which needs no row. A new sessionId carries its
// creation time (`t<base-36 ms>_<32 hex>`), so an id the store does not hold is told apart: younger
// than the idle limit, it is a conversation still at the greeting (the next turn starts from that
// state, and the first turn worth keeping is saved under that same id); older, it expired (said to
// the visitor, who starts over). A new row is saved with its client (rate-limit key) as owner:
// SESSION_MAX_PER_CLIENT at most, the client's least recently used evicted beyond.
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Clock } from '../../../core/clock.ts'
import type { Dialogue } from '../../conversation/dialogue.ts'
import { absolutePlanOffer } from '../../conversation/plan-offer.ts'
import { isExpired, SESSION_TTL_DAYS, type SessionStore } from '../../conversation/session-store.ts'
import type { DialogueState } from '../../conversation/state.ts'
import { readJsonBody } from '../../read-json-body.ts'

export const MAX_CHAT_BODY_BYTES = 4096
/** A sessionId Guichet gives: `t` + creation time (ms, base 36) + `_` + 128 random bits in hex. */
const SESSION_ID = /^t([0-9a-z]{1,11})_[0-9a-f]{32}$/

export function newSessionId(now: Date, random: () => string = () => crypto.randomUUID()): string {
  return `t${now.getTime().toString(36)}_${random().replaceAll('-', '').slice(0, 32)}`
}

/** When Guichet gave this sessionId; undefined for other ids (older UUIDs, made-up ones). */
export function sessionCreatedAt(id: string): Date | undefined {
  const m = SESSION_ID.exec(id)
  return m ? new Date(parseInt(m[1]!, 36)) : undefined
}

export const ChatRequestSchema = z
  .object({
    sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'identifiant de session invalide').optional(),
    text: z.string().max(1000, '1 000 caractères au plus').optional(),
    choice: z.string().min(1).max(200).optional(),
    step: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((b) => !(b.text !== undefined && b.choice !== undefined), { message: 'text ou choice, pas les deux', path: ['choice'] })

export interface ChatRoutesOptions {
  dialogue: Dialogue
  sessions: SessionStore
  clock: Clock
  /** 32 random hex digits (or a UUID) for a new sessionId. */
  random?: () => string
  /** The client a new session belongs to (its rate-limit key); undefined = no owner, no cap (in-process calls). */
  ownerOf?: (c: Context) => string | undefined
  /** Sessions kept per client (SESSION_MAX_PER_CLIENT). */
  maxPerClient?: number
}

/** JSON with sorted keys and no undefined: two states that say the same compare equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))) : v))
}

export function chatRoutes({ dialogue, sessions, clock, random = () => crypto.randomUUID(), ownerOf = () => undefined, maxPerClient = 50 }: ChatRoutesOptions): Hono {
  const app = new Hono()
  // The state an empty first turn leaves (deterministic: no search runs before the collectivité is known).
  let greeting: Promise<{ state: DialogueState; key: string }> | undefined
  const greetingState = () => (greeting ??= dialogue.turn(undefined, {}).then(({ state }) => ({ state, key: canonical(state) })))

  app.post('/api/chat', async (c) => {
    const body = await readJsonBody(c, ChatRequestSchema, { maxBytes: MAX_CHAT_BODY_BYTES, emptyAs: {} })
    const now = clock.now()
    const stored = body.sessionId ? await sessions.load(body.sessionId) : undefined
    const created = body.sessionId && !stored ? sessionCreatedAt(body.sessionId) : undefined
    // Not stored but given lately: a conversation still at the greeting. Stored and idle too long, or unknown and old: expired.
    const atGreeting = created !== undefined && created.getTime() <= now.getTime() && now.getTime() - created.getTime() <= SESSION_TTL_DAYS * 86_400_000
    const expired = (stored !== undefined && isExpired(stored, now)) || (body.sessionId !== undefined && !stored && !atGreeting)
    const live = stored && !expired ? stored : undefined
    const previous = live ? live.state : atGreeting ? structuredClone((await greetingState()).state) : undefined
    const { state, reply } = await dialogue.turn(previous, {
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.choice !== undefined ? { choice: body.choice } : {}),
      ...(body.step !== undefined ? { step: body.step } : {}),
    })
    const sessionId = live || atGreeting ? body.sessionId! : newSessionId(now, random)
    if (live) await sessions.save(sessionId, state, now)
    else if (canonical(state) !== (await greetingState()).key) {
      const client = ownerOf(c)
      await sessions.save(sessionId, state, now, client !== undefined ? { client, max: maxPerClient } : undefined)
    }
    const messages = expired ? [{ text: 'Votre conversation précédente a expiré : reprenons.' }, ...reply.messages] : reply.messages
    return c.json({
      sessionId,
      messages,
      ...(reply.question ? { question: { slot: reply.question.slot, text: reply.question.text, step: reply.question.step, ...(reply.question.choices ? { choices: reply.question.choices } : {}) } } : {}),
      ...(reply.results ? { results: reply.results } : {}),
      ...(reply.excluded ? { excluded: reply.excluded } : {}),
      ...(reply.peers ? { peers: reply.peers } : {}),
      ...(reply.actions ? { actions: reply.actions } : {}),
      ...(reply.plan ? { plan: absolutePlanOffer(reply.plan, new URL(c.req.url).origin) } : {}),
    })
  })
  return app
}
