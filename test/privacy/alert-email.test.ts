// The alert e-mails link the privacy notice: a subscription made from the dialogue on the real Node
// composition (SQLite file), confirmed, then a digest: its text and HTML footers lead to
// <public URL>/confidentialite, beside the manage and unsubscribe links.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { subscribeFromDialogue } from '../../bot/alerts/dialogue-subscription.ts'
import { createMemoryMailSender } from '../../bot/alerts/senders.ts'
import type { DialogueState } from '../../bot/conversation/state.ts'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { parseAlertsConfig } from '../../runtime/node/alerts-config.ts'
import { composeAlerts, type AlertsServices } from '../../runtime/node/alerts-services.ts'
import { composeNode, type NodeServices } from '../../runtime/node/compose.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'
import { movableClock, schoolCall, SECRET } from '../alerts/helpers.ts'

const CALL = schoolCall('test_renovation_ecole', ['2026-04-15'], { themes: ['renovation_energetique', 'ecoles'] })
const dir = mkdtempSync(join(tmpdir(), 'guichet-privacy-mail-'))
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

describe('the alert e-mails', () => {
  it('link the privacy notice in the digest footer, text and HTML', async () => {
    let out = await services.dialogue.turn(undefined, { text: 'Mairie de Vézelay : rénovation énergétique de l\'école' })
    let state: DialogueState = out.state
    for (let i = 0; i < 4 && !out.reply.results; i++) {
      out = await services.dialogue.turn(state, out.reply.question?.choices?.length ? { choice: 'je ne sais pas', step: out.reply.question.step } : { text: 'je ne sais pas' })
      state = out.state
    }
    state = (await services.dialogue.turn(state, { choice: 'alerts' })).state
    await subscribeFromDialogue(alerts.service, state, { email: 'secretariat.mairie@vezelay.example' })
    const token = new URL(mail.sent[0]!.text.match(/https:\/\/guichet\.test\/alerts\/confirm\?token=\S+/)![0]).searchParams.get('token')!
    expect((await alerts.service.confirm(token)).outcome).toBe('confirmed')
    clock.set('2026-03-16')
    await alerts.runDigest()
    const digest = mail.sent.at(-1)!
    expect(digest.text).toContain('J-30')
    expect(digest.text).toContain('Vos données personnelles et vos droits : https://guichet.test/confidentialite')
    expect(digest.html).toContain('<a href="https://guichet.test/confidentialite">Données personnelles</a>')
  })
})
