// The Teams install welcome names the privacy notice when the server knows its public address
// (GUICHET_PUBLIC_URL), on each SDK, through the real channel and a fake Bot Connector; the
// example stays the welcome's last line. The app package's privacy link is the same page.
import { describe, expect, it } from 'vitest'
import { WELCOME_EXAMPLE } from '../../bot/channels/teams/teams-bot.ts'
import { TEAMS_SDKS } from '../../bot/channels/teams/teams-channel.ts'
import { buildManifest } from '../../bot/channels/teams/package/manifest.ts'
import { botAddedToPersonalChat } from '../teams/teams-activities.ts'
import { teamsHarness } from '../teams/teams-harness.ts'

describe.each(TEAMS_SDKS)('the Teams welcome on %s', (sdk) => {
  const h = teamsHarness(sdk)

  it('links the privacy notice, the example last', async () => {
    const channel = h.create(h.options({ privacyUrl: 'https://guichet.example.fr/confidentialite' }))
    const r = await h.postTo(channel, botAddedToPersonalChat(h.personal()))
    expect(r.replies).toHaveLength(1)
    const text = r.replies[0]!.activity.text as string
    expect(text).toContain('Vos données personnelles et vos droits : https://guichet.example.fr/confidentialite')
    expect(text).toMatch(new RegExp(`Par exemple : « ${WELCOME_EXAMPLE} »\\.$`))
  })

  it('says nothing of it without a public address (no link that would lead nowhere)', async () => {
    const r = await h.post(botAddedToPersonalChat(h.personal()))
    expect(r.replies[0]!.activity.text).not.toContain('confidentialite')
  })
})

describe('the Teams app package', () => {
  it('points its privacy link at the privacy notice', () => {
    const m = buildManifest({ appId: '00000000-0000-4000-8000-000000000001', botId: '00000000-0000-4000-8000-000000000002', version: '1.0.0', publicUrl: 'https://guichet.example.fr' })
    expect((m.developer as { privacyUrl: string }).privacyUrl).toBe('https://guichet.example.fr/confidentialite')
  })
})
