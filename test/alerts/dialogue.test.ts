// Subscribing from the conversation: a French dialogue reaches results, « M'alerter des
// échéances » is chosen, an e-mail is given; the subscription carries the collectivité, the
// project's themes and the programmes shown, waits for confirmation, then reminds on J-30.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findEmail, subscribeFromDialogue } from '../../bot/alerts/dialogue-subscription.ts'
import { createMemoryMailSender } from '../../bot/alerts/senders.ts'
import type { DialogueState } from '../../bot/conversation/state.ts'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { composeAlerts, type AlertsServices } from '../../runtime/node/alerts-services.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { movableClock, schoolCall, SECRET } from './helpers.ts'

const CALL = schoolCall('test_renovation_ecole', ['2026-04-15'], { themes: ['renovation_energetique', 'ecoles'] })
const dir = mkdtempSync(join(tmpdir(), 'guichet-alerts-dialogue-'))
const clock = movableClock('2026-03-01')
const mail = createMemoryMailSender()
let services: NodeServices
let alerts: AlertsServices

beforeAll(async () => {
  services = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01' }), { logger: silentLogger, programmes: [...loadCuratedProgrammes(), CALL] })
  alerts = composeAlerts({ db: services.db, config: { ...parseAlertsConfig({ ALERTS_SECRET: SECRET }), GUICHET_PUBLIC_URL: 'https://guichet.test' }, clock, logger: silentLogger, catalogue: services.catalogue, geography: services.geography, mail })
})
afterAll(() => {
  services.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('subscribing from the dialogue', () => {
  it('turns the conversation into a pending e-mail subscription, then reminds', async () => {
    let state: DialogueState | undefined
    let out = await services.dialogue.turn(state, { text: 'Mairie de Vézelay : rénovation énergétique de l\'école' })
    state = out.state
    for (let i = 0; i < 4 && !out.reply.results; i++) {
      out = await services.dialogue.turn(state, out.reply.question?.choices?.length ? { choice: 'je ne sais pas', step: out.reply.question.step } : { text: 'je ne sais pas' })
      state = out.state
    }
    expect(out.reply.actions?.map((a) => a.label)).toContain('M\'alerter des échéances')
    const asked = await services.dialogue.turn(state, { choice: 'alerts' })
    state = asked.state

    const email = findEmail('Oui, sur secretariat.mairie@vezelay.example merci')
    expect(email).toBe('secretariat.mairie@vezelay.example')
    const { subscription, reply } = await subscribeFromDialogue(alerts.service, state, { email: email! })
    expect(subscription.status).toBe('pending_confirmation')
    expect(reply.messages[0]!.text).toContain('Je viens d\'envoyer un e-mail de confirmation à secretariat.mairie@vezelay.example')
    expect(reply.messages[0]!.text).toContain('J-30, J-7 et J-1')
    expect(reply.messages[1]!.text).toMatch(/calendar\.ics\?token=/)

    const stored = (await alerts.store.getSubscription(subscription.id))!
    expect(stored.source).toBe('dialogue')
    expect(stored.profile.code).toBe('89446')
    expect(stored.themes).toEqual(expect.arrayContaining(['renovation_energetique', 'ecoles']))
    expect(stored.programmes).toEqual(state.lastResults)
    expect(mail.sent.map((m) => m.subject)).toEqual(['Confirmez votre abonnement aux alertes Guichet'])

    const token = new URL(mail.sent[0]!.text.match(/https:\/\/guichet\.test\/alerts\/confirm\?token=\S+/)![0]).searchParams.get('token')!
    expect((await alerts.service.confirm(token)).outcome).toBe('confirmed')
    clock.set('2026-03-16')
    await alerts.runDigest()
    const digest = mail.sent.at(-1)!
    expect(digest.text).toContain(`${CALL.name} (${CALL.shortName}) — État : clôture le 15 avril 2026, dans 30 jours (J-30).`)
    expect(digest.text).toContain('Voici les alertes Guichet pour Vézelay (89).')
  })

  it('needs a collectivité', async () => {
    const { initialState } = await import('../../bot/conversation/state.ts')
    await expect(subscribeFromDialogue(alerts.service, initialState(), { email: 'a@b.example' })).rejects.toThrow(/collectivite/)
  })
})
