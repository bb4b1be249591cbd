// A mayor's conversation through the real HTTP chat route (Node server on a free port, SQLite
// sessions): the project, then « qu'ont financé des communes comme la mienne ? » — the answer lists
// Fonds vert 2023 projects from the mayor's département first, with amounts, the source, and the
// département's count and median per measure, computed here from the raw Yonne rows.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

const RAW = readFileSync(new URL('../fixtures/peers/fonds-vert-2023-yonne-89.csv', import.meta.url), 'utf8')
/** Amounts of the Yonne's lighting renewals (démarche 69022), in cents, read from the raw lines. */
const lighting = RAW.trim().split('\n').filter((l) => l.includes(';69022;')).map((l) => Number(l.split(';').at(-1)!.replace(/\D/g, '')))
const sorted = [...lighting].sort((a, b) => a - b)
const medianCents = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : Math.round((sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2)
const euros = (cents: number) => `${Math.round(cents / 100).toLocaleString('fr-FR')}\u00a0€`

let services: Awaited<ReturnType<typeof startServices>>
let server: Awaited<ReturnType<typeof serveOnFreePort>>
let base = ''
async function chat(body: unknown) {
  const res = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as any }
}

beforeAll(async () => {
  services = await startServices()
  server = await serveOnFreePort(services.app.fetch)
  base = `http://127.0.0.1:${server.port}`
})
afterAll(async () => {
  await server.close()
  services.dispose()
})

describe('« qu’ont financé des communes comme la mienne ? » in the chat', () => {
  it('the Fonds vert result carries comparable projects, then the question gets the Yonne’s funded projects with amounts', async () => {
    const first = await chat({ text: 'Bonjour, je suis maire de Vézelay, on veut passer l\'éclairage public en LED' })
    expect(first.status).toBe(200)
    const fondsVert = first.body.results.find((r: any) => r.id === 'fonds_vert')
    expect(fondsVert.peers.title).toBe('Projets financés en 2023 par le Fonds vert dans des communes comparables')
    expect(fondsVert.peers.source).toBe('Fonds vert 2023, données publiques de l’État')
    expect(fondsVert.peers.projects[0].departement).toBe('89')

    const second = await chat({ sessionId: first.body.sessionId, text: 'Et qu\'ont financé des communes comme la mienne ?' })
    expect(second.status).toBe(200)
    const text = second.body.messages.map((m: any) => m.text).join('\n')
    expect(text).toContain('Projets financés en 2023 par le Fonds vert dans des communes comparables pour éclairage public')
    expect(text).toContain('Fonds vert 2023, données publiques de l’État')
    expect(text).toContain('pas un critère d’éligibilité')
    // The five listed are Yonne lighting renewals, with their amounts.
    expect(second.body.peers.projects).toHaveLength(5)
    for (const p of second.body.peers.projects) {
      expect(p.departement).toBe('89')
      expect(p.measure).toBe('Rénovation des parcs de luminaires d’éclairage public')
      expect(lighting).toContain(p.amountCents)
      expect(text).toContain(`${p.project} : ${p.amount}`)
    }
    // The département's count and median, as computed from the raw rows.
    expect(lighting).toHaveLength(11)
    expect(text).toContain(`département Yonne (89) : Rénovation des parcs de luminaires d’éclairage public — 11 projets, montant médian ${euros(medianCents)}`)
  })

  it('a paraphrase before any collectivité asks for it first, then answers for the neighbours once it is known', async () => {
    const first = await chat({ text: 'Vous avez des exemples de projets financés dans le coin ?' })
    expect(first.body.question.slot).toBe('collectivite')
    expect(first.body.messages.map((m: any) => m.text).join(' ')).toMatch(/communes comparables/)
    const second = await chat({ sessionId: first.body.sessionId, text: 'Auxerre' })
    expect(second.body.question?.slot ?? 'results').not.toBe('collectivite')
    const third = await chat({ sessionId: first.body.sessionId, text: 'qu\'ont obtenu les communes voisines ?' })
    expect(third.body.peers.projects[0].departement).toBe('89')
    expect(third.body.peers.projects[0].commune).toMatch(/\(89\)$/)
  })
})
