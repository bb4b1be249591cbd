// Every scripted conversation, played through POST /api/chat with GUICHET_NOW=2026-03-01.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServices } from '../helpers/node-services.ts'
import { loadConversations, play, type ChatReply } from './script.ts'

let s: Awaited<ReturnType<typeof startServices>>
beforeAll(async () => {
  s = await startServices()
})
afterAll(() => s.dispose())

const post = async (body: unknown) => {
  const res = await s.app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as ChatReply }
}

const conversations = loadConversations()

describe('scripted conversations', () => {
  it('there are at least 25 of them', () => {
    expect(conversations.length).toBeGreaterThanOrEqual(25)
  })

  it.each(conversations.map((c) => [c.file, c] as const))('%s', async (_file, conv) => {
    const t = await play(post, conv)
    conv.turns.forEach((turn, i) => {
      if (!turn.expect) return
      const r = t.replies[i]!
      const got = r.results?.length && !r.question ? 'results' : (r.question?.slot ?? 'none')
      expect(got, `turn ${i + 1} (« ${turn.user ?? turn.choice} ») — ${r.messages.map((m) => m.text).join(' | ')}`).toBe(turn.expect)
    })
    const top10 = t.finalResults.slice(0, 10).map((r) => r.id)
    for (const id of conv.top10) expect(top10, `${id} in the top 10`).toContain(id)
    const shown = t.finalResults.map((r) => r.id)
    for (const id of conv.notShown) expect(shown, `${id} must not be shown`).not.toContain(id)
    for (const id of conv.toCheck) expect(t.finalResults.find((r) => r.id === id)?.eligibility.status, `${id} à vérifier`).toBe('unknown')
  })
})
