// « M'alerter des échéances » in the chat, over real HTTP on the Node composition: every alert
// carries links, and without GUICHET_PUBLIC_URL they would point at the server's own address
// (http://localhost:PORT). So without it the dialogue asks for no address, sends no confirmation
// and says in French that e-mail reminders are not on here; an address typed anyway subscribes
// nothing. With it, the confirmation e-mail leaves with links on the public URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveOnFreePort, startServices } from '../helpers/node-services.ts'

const SECRET = { ALERTS_SECRET: 'dialogue-public-url-secret-0123456789abcdef' }

type Served = { services: Awaited<ReturnType<typeof startServices>>; server: Awaited<ReturnType<typeof serveOnFreePort>> }

async function boot(env: Record<string, string>): Promise<Served> {
  const services = await startServices({ ...SECRET, ...env })
  return { services, server: await serveOnFreePort(services.app.fetch) }
}

async function chat(s: Served, body: Record<string, unknown>): Promise<{ sessionId: string; messages: { text: string }[]; question?: { slot: string }; results?: unknown[] }> {
  const res = await fetch(`http://127.0.0.1:${s.server.port}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  expect(res.status).toBe(200)
  return (await res.json()) as never
}

/** The chat up to « M'alerter des échéances », then an address typed. */
async function askForAlerts(s: Served, email: string) {
  const first = await chat(s, { text: 'Bonjour, je suis maire de Vézelay, on veut passer l\'éclairage public en LED' })
  expect(first.results?.length).toBeGreaterThan(0)
  const alerts = await chat(s, { sessionId: first.sessionId, choice: 'alerts' })
  const typed = await chat(s, { sessionId: first.sessionId, text: `mon adresse : ${email}` })
  return { alerts, typed }
}

const outbox = (s: Served) => s.services.db.prepare('SELECT subscription_id, recipient, subject, text, html FROM alert_outbox ORDER BY id').all() as { recipient: string; subject: string; text: string; html: string }[]
const subscriptions = (s: Served) => (s.services.db.prepare('SELECT COUNT(*) AS n FROM alert_subscriptions').get() as { n: number }).n

describe('the chat without GUICHET_PUBLIC_URL', () => {
  let s: Served
  beforeAll(async () => void (s = await boot({})), 60_000)
  afterAll(async () => {
    await s?.server.close()
    s?.services.dispose()
  })

  it('lists the deadlines, says e-mail reminders are not on here, asks for no address and sends nothing', async () => {
    const { alerts, typed } = await askForAlerts(s, 'secretariat@mairie-vezelay.fr')
    const said = alerts.messages.map((m) => m.text).join('\n')
    expect(said).toContain('Les prochaines échéances de vos programmes')
    expect(said).toContain('Les rappels par e-mail (J-30, J-7, J-1) ne sont pas activés sur ce Guichet.')
    expect(alerts.question).toBeUndefined()
    // The address typed anyway is not taken as a subscription.
    expect(typed.messages.map((m) => m.text).join('\n')).not.toContain('e-mail de confirmation')
    expect(subscriptions(s)).toBe(0)
    expect(outbox(s)).toEqual([])
  })

  it('and /api/ready names the variable to set', async () => {
    const res = await fetch(`http://127.0.0.1:${s.server.port}/api/ready`)
    expect(((await res.json()) as { checks: { alerts: { problem?: string } } }).checks.alerts.problem).toContain('GUICHET_PUBLIC_URL')
  })
})

describe('the chat with GUICHET_PUBLIC_URL', () => {
  let s: Served
  beforeAll(async () => void (s = await boot({ GUICHET_PUBLIC_URL: 'https://guichet.mairie.example' })), 60_000)
  afterAll(async () => {
    await s?.server.close()
    s?.services.dispose()
  })

  it('asks for the address and sends the confirmation e-mail with links on the public URL only', async () => {
    const { alerts, typed } = await askForAlerts(s, 'secretariat@mairie-vezelay.fr')
    expect(alerts.question?.slot).toBe('email')
    expect(typed.messages[0]!.text).toContain('Je viens d\'envoyer un e-mail de confirmation à secretariat@mairie-vezelay.fr')
    expect(subscriptions(s)).toBe(1)
    const [mail, ...more] = outbox(s)
    expect(more).toEqual([])
    expect(mail).toMatchObject({ recipient: 'secretariat@mairie-vezelay.fr', subject: 'Confirmez votre abonnement aux alertes Guichet' })
    const links = [...`${mail!.text} ${mail!.html}`.matchAll(/https?:\/\/[^\s"<>]+/g)].map((m) => m[0])
    expect(links.length).toBeGreaterThanOrEqual(3)
    for (const link of links) expect(link.startsWith('https://guichet.mairie.example/'), link).toBe(true)
    expect(mail!.text).toContain('https://guichet.mairie.example/alerts/confirm?token=')
  })
})
