// Scripted French conversations (test/conversations/*.yaml): the schema, and a runner that
// plays one through POST /api/chat of a running app and records what the user saw.
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { z } from 'zod'

const Turn = z
  .object({
    user: z.string().optional(),
    choice: z.string().optional(),
    /** Expected: the slot of the question asked back, or "results". */
    expect: z.string().optional(),
  })
  .strict()

export const ConversationSchema = z
  .object({
    title: z.string(),
    turns: z.array(Turn).min(1),
    /** Programme ids that must be in the top 10 of the final results. */
    top10: z.array(z.string()).default([]),
    /** Programme ids that must not appear among the results (ineligible for this collectivité). */
    notShown: z.array(z.string()).default([]),
    /** Ids that must appear with status unknown (« à vérifier »), not eligible. */
    toCheck: z.array(z.string()).default([]),
  })
  .strict()

export type Conversation = z.infer<typeof ConversationSchema> & { file: string }

export function loadConversations(dir = new URL('./', import.meta.url).pathname): Conversation[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ ...ConversationSchema.parse(parse(readFileSync(dir + file, 'utf8'))), file }))
}

export interface ChatReply {
  sessionId: string
  messages: { text: string }[]
  question?: { slot: string; text: string; choices?: { value: string; label: string }[]; step?: number }
  results?: { id: string; eligibility: { status: string } }[]
  actions?: { value: string; label: string }[]
}

export interface Transcript {
  replies: ChatReply[]
  /** Questions asked before the first reply with results. */
  questionsBeforeResults: number
  finalResults: { id: string; eligibility: { status: string } }[]
}

export async function play(post: (body: unknown) => Promise<{ status: number; body: ChatReply }>, conv: Conversation): Promise<Transcript> {
  const replies: ChatReply[] = []
  let sessionId: string | undefined
  let questions = 0
  let sawResults = false
  let finalResults: Transcript['finalResults'] = []
  for (const t of conv.turns) {
    const body = { ...(sessionId ? { sessionId } : {}), ...(t.user !== undefined ? { text: t.user } : {}), ...(t.choice !== undefined ? { choice: t.choice } : {}) }
    const res = await post(body)
    if (res.status !== 200) throw new Error(`${conv.file}: HTTP ${res.status} for ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`)
    sessionId = res.body.sessionId
    replies.push(res.body)
    // « recommencer » starts a new dialogue: its questions are counted afresh.
    if (res.body.messages.some((m) => m.text.startsWith('C\'est reparti de zéro'))) {
      questions = 0
      sawResults = false
    }
    if (res.body.results?.length) {
      sawResults = true
      finalResults = res.body.results
    }
    if (res.body.question && !sawResults) questions++
  }
  return { replies, questionsBeforeResults: questions, finalResults }
}
