// The peer projects where the Teams channel and the home page show a result: the Fonds vert card
// carries the Fonds vert 2023 projects of comparable communes with their amounts (the ones GET
// /api/projects ranks first), and in Teams « qu'ont financé des communes comme la mienne ? » is answered
// with the Yonne's projects. Real HTTP: /api/messages with a local Bot Connector, GET / on the same app.
import { describe, expect, it } from 'vitest'
import { TEAMS_SDKS } from '../../bot/channels/teams/teams-channel.ts'
import { installationUpdate, personalMessage } from '../teams/teams-activities.ts'
import { cardsOf, teamsHarness, textOf } from '../teams/teams-harness.ts'

const TITLE = 'Projets financés en 2023 par le Fonds vert dans des communes comparables'

describe('peer projects in Teams and on the home page', () => {
  const h = teamsHarness(TEAMS_SDKS[0])

  it('a Teams conversation: the Fonds vert card lists comparable Yonne projects, then the question gets them with the département’s median', async () => {
    const api = await (await h.get('/api/projects?collectivite=89446&theme=eclairage_public&limit=3')).json() as any
    const where = h.personal()
    await h.post(installationUpdate(where, 'add', 'personal'))
    const posted = await h.post(personalMessage(where, 'Je suis maire de Vézelay, on veut passer l\'éclairage public en LED, les travaux commencent cet été'))
    const cards = posted.replies.flatMap(cardsOf)
    const fondsVert = cards.find((c: any) => c.body[0]?.text?.startsWith('Fonds vert'))
    expect(fondsVert, textOf(posted.replies)).toBeDefined()
    const texts = fondsVert.body.map((e: any) => e.text ?? '')
    expect(texts).toContain(TITLE)
    const list = texts[texts.indexOf(TITLE) + 1] as string
    expect(list.split('\n')).toEqual(api.projects.map((p: any) => `- ${p.commune.name} (89) — ${p.project} : ${p.amount}`))
    expect(texts.join('\n')).toContain('Source : Fonds vert 2023, données publiques de l’État.')

    const asked = await h.post(personalMessage(where, 'Qu\'ont obtenu les communes voisines ?'))
    const answer = textOf(asked.replies)
    expect(answer).toContain(`${TITLE} pour éclairage public`)
    expect(answer).toContain(`${api.projects[0].commune.name} (89) — ${api.projects[0].project} : ${api.projects[0].amount}`)
    expect(answer).toMatch(/En 2023, département Yonne \(89\) : Rénovation des parcs de luminaires d’éclairage public — 11 projets, montant médian/)
  })

  it('the home page’s Fonds vert card shows the same comparable projects', async () => {
    const api = await (await h.get('/api/projects?collectivite=89446&theme=eclairage_public&limit=3')).json() as any
    const html = await (await h.get('/?commune=89446&themes=eclairage_public')).text()
    const card = html.split('<li class="card">').find((c) => /<h4[^>]*>Fonds vert/.test(c))!
    expect(card).toContain(`<summary>${TITLE}</summary>`)
    for (const p of api.projects) expect(card).toContain(`${p.amount}</strong>`)
    expect(card).toContain('Source : Fonds vert 2023, données publiques de l’État.')
  })
})
