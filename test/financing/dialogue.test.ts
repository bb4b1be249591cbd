// A mayor's French conversation that ends with a financing plan: through the real chat route
// (POST /api/chat on a Node server) the budget said in words (« 250 k€ ») brings « Voir le plan
// de financement », whose links give a plan with the right sums and own share; and in Teams the
// follow-up card carries the same plan as Action.OpenUrl buttons (the real Teams routes, a local
// Bot Connector capturing the replies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDialogue } from '../../bot/conversation/dialogue.ts'
import { parisDay } from '../../core/clock.ts'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'
import { personalMessage } from '../teams/teams-activities.ts'
import { buttonsOf, cardsOf, teamsHarness } from '../teams/teams-harness.ts'

describe('the web chat', () => {
  let s: Awaited<ReturnType<typeof startServices>>
  let server: { port: number; close(): Promise<void> }
  let base = ''
  beforeAll(async () => {
    s = await startServices()
    server = await serveOnFreePort(s.app.fetch)
    base = `http://127.0.0.1:${server.port}`
  })
  afterAll(async () => {
    await server.close()
    s.dispose()
  })
  const chat = async (body: unknown) => (await (await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as any

  it('no budget said: no plan offered; « budget de 250 k€ » then offers it, and its plan adds up', async () => {
    const first = await chat({ text: 'Bonjour, je suis maire de Saint-Amand-Montrond, nous voulons rénover l\'école' })
    expect(first.results?.length).toBeGreaterThan(0)
    expect(first.plan).toBeUndefined()

    // The budget changes no programme's status: the list is not shown again, but the plan is offered for it.
    const second = await chat({ sessionId: first.sessionId, text: 'Le budget est de 250 k€' })
    expect(second.messages.map((m: { text: string }) => m.text).join(' ')).toMatch(/Rien ne change/)
    const shown: { id: string }[] = second.results ?? first.results
    const offer = second.plan
    expect(offer).toMatchObject({ label: 'Voir le plan de financement' })
    expect(offer.text).toMatch(/^Pour un budget de 250\s000\s€ \(compté hors taxes\)/)
    // Absolute against the chat request's origin: the widget runs on town websites.
    expect(offer.page.startsWith(`${base}/plan?`)).toBe(true)
    const query = new URL(offer.page).searchParams
    expect(query.get('commune')).toBe('18197')
    expect(query.get('budget')).toBe('250000')
    expect(query.get('programmes')!.split(',')).toEqual(shown.map((r) => r.id))

    // The plan behind the link: DETR at its 80 % ceiling (250 000 × 80 % = 200 000 €), the others with
    // no known rate not counted; the commune keeps 250 000 − 200 000 = 50 000 € = 20 % of the public funding.
    const json = (await (await fetch(offer.page.replace('/plan?', '/api/plan?'))).json()) as any
    const plan = json.plan
    const detr = plan.lines.find((l: any) => l.id === 'detr')
    expect(detr).toMatchObject({ rate: { label: '20 à 80 %' }, planned: 200_000 })
    for (const l of plan.lines.filter((x: any) => x.rate.certainty === 'unknown')) expect(l.planned).toBeNull()
    const counted = plan.lines.reduce((sum: number, l: any) => sum + (l.planned ?? 0), 0)
    expect(counted).toBe(plan.totals.aids)
    expect(plan.totals.aids + plan.totals.ownShare).toBe(250_000)
    expect(plan.totals).toMatchObject({ aids: 200_000, ownShare: 50_000 })
    expect(plan.rule).toMatchObject({ minimumAmount: 50_000, respected: true })
    // Loans (EduRénov, Banque des Territoires) are shown outside the plan, not counted.
    expect(plan.outside.map((o: any) => o.id)).toEqual(expect.arrayContaining(['bdt_edurenov']))

    // The page and the exports behind the other links answer.
    const page = await fetch(offer.page)
    expect(page.status).toBe(200)
    expect(await page.text()).toMatch(/Part de la collectivité/)
    expect((await fetch(offer.csv)).headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect((await fetch(offer.xlsx)).status).toBe(200)
  })
})

describe('Teams', () => {
  const h = teamsHarness('botbuilder')

  it('the follow-up card carries « Voir le plan de financement » as Action.OpenUrl when the public URL is known', async () => {
    const s = h.services
    const dialogue = createDialogue({ matcher: s.matcher, geography: s.geography, catalogue: s.catalogue, today: () => parisDay(s.clock.now()), publicUrl: 'https://guichet.example.fr' })
    const channel = h.create(h.options({ dialogue }))
    const where = h.personal()
    const posted = await h.postTo(channel, personalMessage(where, 'Maire de Saint-Amand-Montrond : rénovation de l\'école, budget de 250 000 €'))
    const cards = posted.replies.flatMap(cardsOf)
    const buttons = cards.flatMap(buttonsOf)
    const open = buttons.find((b: any) => b.type === 'Action.OpenUrl' && b.title === 'Voir le plan de financement')
    expect(open).toBeDefined()
    const url = new URL(open.url)
    expect(url.origin + url.pathname).toBe('https://guichet.example.fr/plan')
    expect(url.searchParams.get('budget')).toBe('250000')
    expect(url.searchParams.get('commune')).toBe('18197')
    expect(buttons.find((b: any) => b.title === 'Plan en XLSX')?.url).toMatch(/^https:\/\/guichet\.example\.fr\/api\/plan\.xlsx\?/)
    // The same plan through this server: 200 000 € of aids and a 50 000 € own share.
    const res = await h.get(`/api/plan?${url.searchParams.toString()}`)
    const { plan } = (await res.json()) as any
    expect(plan.totals).toMatchObject({ aids: 200_000, ownShare: 50_000 })
  })
})
