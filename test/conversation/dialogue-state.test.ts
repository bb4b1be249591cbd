// The dialogue's state, through POST /api/chat of the real composition: a question is never asked
// twice in a row, a fact the mayor cannot give lets the dialogue go on, and an answer that changes
// nothing says so instead of repeating the list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServices } from '../helpers/node-services.ts'

let s: Awaited<ReturnType<typeof startServices>>
beforeAll(async () => {
  s = await startServices()
})
afterAll(() => s.dispose())

interface Reply {
  sessionId: string
  messages: { text: string }[]
  question?: { slot: string; text: string; fact?: string }
  results?: { id: string; eligibility: { status: string } }[]
}
async function conversation(...turns: string[]): Promise<Reply[]> {
  const replies: Reply[] = []
  let sessionId: string | undefined
  for (const text of turns) {
    const res = await s.app.request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...(sessionId ? { sessionId } : {}), text }) })
    const r = (await res.json()) as Reply
    sessionId = r.sessionId
    replies.push(r)
  }
  return replies
}
const asked = (r: Reply) => (r.question ? `${r.question.slot}:${r.question.fact ?? ''}` : undefined)

describe('dialogue state', () => {
  it('an unrecognised collectivité is not asked for again and again: the dialogue goes on without it', async () => {
    const [first, second] = await conversation('Bonjour, on voudrait rénover la salle des fêtes', 'Trucmachinville-sur-Rien')
    expect(first!.question?.slot).toBe('collectivite')
    expect(second!.question?.slot).not.toBe('collectivite')
    expect(second!.messages.map((m) => m.text).join(' ')).toMatch(/Je ne reconnais pas la collectivité\. Je continue sans/)
    expect(second!.results?.length).toBeGreaterThan(0)
  })

  it('no question is ever asked twice in a row, whatever the answers', async () => {
    const replies = await conversation('maire de Saint-Flour', 'euh', 'je sais pas trop', 'bof', 'montre-moi')
    for (let i = 1; i < replies.length; i++) if (asked(replies[i]!)) expect(asked(replies[i]!)).not.toBe(asked(replies[i - 1]!))
    expect(replies.at(-1)!.results?.length).toBeGreaterThan(0)
  })

  it('« je ne sais pas » to a question moves on, and that question does not come back', async () => {
    const replies = await conversation('maire de Vézelay, éclairage public en LED', 'je ne sais pas', 'je ne sais pas', 'je ne sais pas', 'je ne sais pas')
    const questions = replies.map(asked).filter(Boolean)
    expect(new Set(questions).size).toBe(questions.length)
    expect(replies.some((r) => r.results?.length)).toBe(true)
  })

  it('an answer that changes nothing says « rien ne change » instead of repeating the list; « montre-moi » shows it again', async () => {
    const replies = await conversation('maire de Vézelay, éclairage public en LED', 'travaux', 'montre-moi', 'on est bien en phase travaux', 'montre-moi')
    const shown = replies.findIndex((r) => r.results?.length)
    expect(shown).toBeGreaterThanOrEqual(0)
    const same = replies[3]!
    expect(same.results).toBeUndefined()
    expect(same.messages.at(-1)!.text).toMatch(/^Rien ne change/)
    expect(replies[4]!.results?.length).toBeGreaterThan(0)
  })

  it('homonyms: every one is offered, and the département narrows them', async () => {
    const [first, second] = await conversation('Bonjour, je suis maire de Sainte-Marie, on veut rénover l\'école', 'Ille-et-Vilaine')
    // Nine communes are called Sainte-Marie (08, 15, 25, 32, 35, 58, 65, 972, 974): all offered, not three.
    const choices = (first!.question as { choices?: { value: string; label: string }[] }).choices ?? []
    expect(first!.question?.slot).toBe('collectivite')
    expect(choices.map((c) => c.value).sort()).toEqual(['08390', '15198', '25523', '32388', '35294', '58253', '65391', '97228', '97418'])
    expect(first!.question?.text).toMatch(/indiquez son département/)
    expect(second!.messages.map((m) => m.text).join(' ')).toMatch(/C'est noté : Sainte-Marie \(35\)/)
    expect(second!.results?.length).toBeGreaterThan(0)
    // A département number works the same; one outside the list says so and keeps asking.
    const [, byNumber] = await conversation('maire de Sainte-Marie, rénovation de l\'école', 'celle du 25')
    expect(byNumber!.messages.map((m) => m.text).join(' ')).toMatch(/Sainte-Marie \(25\)/)
    const [, none] = await conversation('maire de Sainte-Marie, rénovation de l\'école', '89')
    expect(none!.messages.map((m) => m.text).join(' ')).toMatch(/Aucune des collectivités proposées/)
    expect(none!.question?.slot).toBe('collectivite')
  })
})
