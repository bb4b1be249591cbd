// The Teams channel over real HTTP, on each SDK (botbuilder + teams-ai, and the Microsoft 365
// Agents SDK): documented Teams activities POSTed to /api/messages on a Node server (the Teams
// routes mounted beside the real app), a local Bot Connector at serviceUrl capturing the
// replies, the SQLite session and conversation-reference stores. The same suite for both.
import { describe, expect, it } from 'vitest'
import { ConversationGoneError } from '../../bot/channels/teams/conversation-gone-error.ts'
import { TEAMS_SDKS } from '../../bot/channels/teams/teams-channel.ts'
import {
  BOT,
  TENANT_ID,
  USER,
  botAddedToPersonalChat,
  botAddedToTeam,
  cardSubmit,
  channelMessage,
  groupChatMessage,
  installationUpdate,
  personalMessage,
  userAddedToTeam,
} from './teams-activities.ts'
import { cardsOf, findInput, submitOf, teamsHarness, textOf } from './teams-harness.ts'

describe.each(TEAMS_SDKS)('Teams channel on %s', (sdk) => {
  const h = teamsHarness(sdk)

  it('is served by the SDK asked for', () => {
    expect(h.channel.sdk).toBe(sdk)
    expect(h.channel.authEnabled).toBe(false)
  })

  describe('personal chat', () => {
    it('install: one welcome asking for the collectivité (not two: Teams sends installationUpdate and conversationUpdate), reference stored', async () => {
      const where = h.personal()
      const first = await h.post(installationUpdate(where, 'add', 'personal'))
      expect(first.status).toBe(200)
      expect(first.replies).toHaveLength(1)
      expect(first.replies[0]!.activity.text).toMatch(/^Bonjour ! Je suis Guichet/)
      expect(first.replies[0]!.activity.text).toMatch(/Pour quelle collectivité cherchez-vous un financement \?/)
      expect(first.replies[0]!.activity).toMatchObject({ type: 'message', textFormat: 'markdown', from: { id: BOT.id }, recipient: { id: USER.id } })
      const again = await h.post(botAddedToPersonalChat(where))
      expect(again.status).toBe(200)
      expect(again.replies).toHaveLength(0)

      const stored = h.row(where.conversationId)
      expect(stored).toMatchObject({ tenant_id: TENANT_ID, channel_kind: 'personal', user_aad_id: USER.aadObjectId, disabled_reason: null })
      // The latest activity's reference: the documented one-to-one conversationUpdate carries no conversation.tenantId (channelData does).
      expect(JSON.parse(stored!.reference!)).toMatchObject({ channelId: 'msteams', serviceUrl: h.connector.serviceUrl, bot: { id: BOT.id }, user: { id: USER.id }, conversation: { id: where.conversationId, conversationType: 'personal' } })
      expect(JSON.parse(stored!.reference!).activityId).toBeUndefined()
    })

    it('a question with choices is an Adaptive Card 1.5 (expanded ChoiceSet, a button carrying the step) plus three suggested actions; a submit answers it; an old card gets a polite answer', async () => {
      const where = h.personal()
      await h.post(installationUpdate(where, 'add', 'personal'))
      const named = await h.post(personalMessage(where, 'Vézelay'))
      expect(named.replies).toHaveLength(1)
      const reply = named.replies[0]!
      expect(reply.replyToId).toBeDefined()
      expect(reply.activity.text).toMatch(/C'est noté : Vézelay \(89\), 476 habitants\./)
      const [card] = cardsOf(reply)
      expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' })
      expect(card.body[0].text).toMatch(/^Quel est votre projet \?/)
      const input = findInput(card)
      expect(input).toMatchObject({ id: 'choice', style: 'expanded', isRequired: true })
      expect(input.choices).toEqual([
        { title: 'Rénovation énergétique', value: 'renovation_energetique' },
        { title: 'Éclairage public', value: 'eclairage_public' },
        { title: 'Centre-bourg', value: 'revitalisation_centre' },
      ])
      expect(submitOf(card)).toMatchObject({ type: 'Action.Submit', title: 'Répondre', data: { guichet: 'answer', slot: 'themes', step: 2 } })
      expect(JSON.stringify(card)).toMatch(/répondre librement dans la conversation/)
      expect(reply.activity.suggestedActions.actions).toEqual([
        { type: 'imBack', title: 'Rénovation énergétique', value: 'Rénovation énergétique' },
        { type: 'imBack', title: 'Éclairage public', value: 'Éclairage public' },
        { type: 'imBack', title: 'Centre-bourg', value: 'Centre-bourg' },
      ])

      // Teams merges the card's data with its inputs into value.
      const answered = await h.post(cardSubmit(where, 'personal', { ...submitOf(card).data, choice: 'renovation_energetique' }))
      const [next] = cardsOf(answered.replies[0]!)
      // A renovation could be a school's: the school-only programme's scope is asked.
      expect(next.body[0].text).toBe('Le projet porte-t-il sur : bâtiments scolaires (écoles, collèges et lycées) ?')
      expect(submitOf(next).data).toMatchObject({ guichet: 'answer', slot: 'scope', step: 3 })

      const stale = await h.post(cardSubmit(where, 'personal', { ...submitOf(card).data, choice: 'eclairage_public', msteams: { type: 'messageBack' } }))
      expect(stale.replies[0]!.activity.text).toBe('Cette question n\'est plus d\'actualité : la conversation a avancé depuis.')
      expect(cardsOf(stale.replies[0]!)[0].body[0].text).toBe('Le projet porte-t-il sur : bâtiments scolaires (écoles, collèges et lycées) ?')

      // A tapped suggested action comes back as its label: it answers the pending question.
      const results = await h.post(personalMessage(where, 'Non'))
      expect(results.replies.length).toBe(2)
      const [carousel, follow] = results.replies
      expect(carousel!.activity.text).toMatch(/^Pour Vézelay \(89\), 476 habitants et votre projet \(rénovation énergétique/)
      expect(carousel!.activity.text).not.toMatch(/^• /m)
      expect(carousel!.activity.attachmentLayout).toBe('carousel')
      const programmes = cardsOf(carousel!)
      expect(programmes.length).toBeGreaterThan(0)
      expect(programmes.length).toBeLessThanOrEqual(10)
      for (const p of programmes) {
        expect(p).toMatchObject({ type: 'AdaptiveCard', version: '1.5' })
        expect(p.body[0]).toMatchObject({ type: 'TextBlock', style: 'heading' })
        expect(p.actions[0]).toMatchObject({ type: 'Action.OpenUrl', title: 'Page officielle', url: expect.stringMatching(/^https:\/\//) })
      }
      const detr = programmes.find((p: any) => p.body[0].text === "Dotation d'équipement des territoires ruraux (DETR)")
      expect(JSON.stringify(detr)).toMatch(/Éligible/)
      expect(detr.body.find((e: any) => e.type === 'FactSet').facts).toEqual(expect.arrayContaining([{ title: 'Aide', value: 'De 20 à 80 % du projet' }]))
      const actions = cardsOf(follow!)[0]
      expect(['M\'alerter des échéances', 'Affiner', 'Voir les programmes écartés'].map((title) => submitOf(actions, title).data)).toEqual([
        { guichet: 'action', value: 'alerts' },
        { guichet: 'action', value: 'refine' },
        { guichet: 'action', value: 'excluded' },
      ])

      const excluded = await h.post(cardSubmit(where, 'personal', { guichet: 'action', value: 'excluded' }))
      expect(excluded.replies[0]!.activity.text).toMatch(/^Programmes écartés pour Vézelay \(89\)/)
    })

    it('a submit without a choice, or with unreadable data, gets a French answer and no dialogue turn', async () => {
      const where = h.personal()
      await h.post(installationUpdate(where, 'add', 'personal'))
      const named = await h.post(personalMessage(where, 'Vézelay'))
      const data = submitOf(cardsOf(named.replies[0]!)[0]).data
      const empty = await h.post(cardSubmit(where, 'personal', { ...data }))
      expect(empty.replies[0]!.activity.text).toBe('Choisissez une réponse dans la liste, ou répondez librement.')
      expect(cardsOf(empty.replies[0]!)[0].body[0].text).toMatch(/^Quel est votre projet/)
      const garbled = await h.post(cardSubmit(where, 'personal', { guichet: 'answer', step: 'deux' }))
      expect(garbled.replies[0]!.activity.text).toMatch(/^Je n'ai pas pu lire cette réponse/)
    })
  })

  describe('team channel', () => {
    it('install in a team: one welcome in the channel; another member joining gets none', async () => {
      const root = h.channelRoot()
      const installed = await h.post(installationUpdate(root, 'add', 'channel'))
      expect(installed.replies).toHaveLength(1)
      expect(installed.replies[0]!.activity.text).toMatch(/Bonjour ! Je suis Guichet/)
      expect(installed.replies[0]!.activity.text).toMatch(/Répondez en mentionnant @Guichet\./)
      expect((await h.post(botAddedToTeam(root))).replies).toHaveLength(0)
      expect((await h.post(userAddedToTeam(root))).replies).toHaveLength(0)
      expect(h.row(root.conversationId)).toMatchObject({ channel_kind: 'channel', tenant_id: TENANT_ID, user_aad_id: null })
    })

    it('one full dialogue to results in a thread: @mention stripped, question card, card submit, results with J-n and the official link', async () => {
      const where = h.thread()
      const first = await h.post(channelMessage(where, 'Grenoble'))
      expect(first.status).toBe(200)
      expect(first.replies).toHaveLength(1)
      const named = first.replies[0]!
      // Replies go to the thread: the conversation id carries the root message id.
      expect(named.conversationId).toBe(where.conversationId)
      expect(named.activity.text).toMatch(/C'est noté : Grenoble \(38\), 156\s140 habitants\./)
      expect(named.activity.text).not.toMatch(/<at>|Guichet Grenoble/)
      expect(named.activity.suggestedActions).toBeUndefined()
      const themes = cardsOf(named)[0]
      expect(JSON.stringify(themes)).toMatch(/en mentionnant @Guichet/)

      const project = await h.post(channelMessage(where, "un projet d'innovation urbaine pour le logement"))
      const question = cardsOf(project.replies[0]!)[0]
      expect(question.body[0].text).toBe('Votre commune est-elle retenue dans le programme Action Cœur de Ville ?')
      expect(findInput(question).choices.map((c: any) => c.title)).toEqual(['Oui', 'Non', 'Je ne sais pas'])

      const results = await h.post(cardSubmit(where, 'channel', { ...submitOf(question).data, choice: 'non' }))
      const carousel = results.replies[0]!
      expect(carousel.activity.text).toMatch(/^Pour Grenoble \(38\), 156\s140 habitants/)
      const eui = cardsOf(carousel).find((p: any) => p.body[0].text === 'European Urban Initiative – Innovative Actions (appel 4)')
      expect(eui).toBeDefined()
      const text = JSON.stringify(eui.body)
      expect(text).toMatch(/Union européenne \(FEDER\), Commission européenne/)
      expect(text).toMatch(/"text":"J-106"/)
      expect(text).toMatch(/Ouvert jusqu'au 15 juin 2026 \(J-106\)/)
      expect(text).toMatch(/Éligible/)
      expect(text).toMatch(/Pourquoi/)
      expect(text).toMatch(/À vérifier/)
      expect(eui.actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Page officielle', url: 'https://www.urban-initiative.eu/' })

      const stored = h.row(where.conversationId)
      expect(stored).toMatchObject({ channel_kind: 'channel', tenant_id: TENANT_ID })
      expect(JSON.parse(stored!.reference!).conversation).toMatchObject({ id: where.conversationId, conversationType: 'channel' })
    })

    it('"@Guichet" alone repeats the pending question', async () => {
      const where = h.thread()
      await h.post(channelMessage(where, 'Grenoble'))
      const again = await h.post(channelMessage(where, ''))
      expect(again.replies[0]!.activity.text).toBe('Je vous écoute.')
      expect(cardsOf(again.replies[0]!)[0].body[0].text).toMatch(/^Quel est votre projet/)
    })
  })

  describe('group chat', () => {
    it('a mention in a group chat starts the dialogue; its reference is a groupChat one', async () => {
      const where = h.groupChat()
      const r = await h.post(groupChatMessage(where, 'Bonjour'))
      expect(r.replies[0]!.activity.text).toMatch(/Bonjour ! Je suis Guichet/)
      expect(h.row(where.conversationId)).toMatchObject({ channel_kind: 'groupChat', user_aad_id: null })
    })
  })

  describe('uninstall and proactive messages', () => {
    it('uninstall disables the reference; a reinstall welcomes again', async () => {
      const where = h.personal()
      await h.post(installationUpdate(where, 'add', 'personal'))
      const removed = await h.post(installationUpdate(where, 'remove', 'personal'))
      expect(removed.replies).toHaveLength(0)
      expect(h.row(where.conversationId)).toMatchObject({ disabled_reason: 'uninstalled', welcomed_at: null })
      expect((await h.references.list({ tenantId: TENANT_ID })).map((r) => r.conversationId)).not.toContain(where.conversationId)
      const back = await h.post(installationUpdate(where, 'add', 'personal'))
      expect(back.replies).toHaveLength(1)
      expect(h.row(where.conversationId)).toMatchObject({ disabled_reason: null })
    })

    it('sendProactive writes into a stored conversation; a 403 from the connector is a ConversationGoneError', async () => {
      const where = h.personal()
      await h.post(installationUpdate(where, 'add', 'personal'))
      const stored = await h.references.get(where.conversationId)
      expect(stored).toMatchObject({ kind: 'personal', tenantId: TENANT_ID, userAadId: USER.aadObjectId, disabledReason: null })
      const mark = h.connector.captured.length
      const sent = await h.channel.sendProactive(stored!.reference, { type: 'message', text: 'Rappel : la DETR ferme dans 7 jours (J-7).' })
      expect(sent?.id).toMatch(/^reply-/)
      const [alert] = h.connector.since(mark, where.conversationId)
      expect(alert!.activity).toMatchObject({ type: 'message', text: 'Rappel : la DETR ferme dans 7 jours (J-7).', conversation: { id: where.conversationId }, from: { id: BOT.id } })

      h.connector.refuse(where.conversationId, 403)
      const err = await h.channel.sendProactive(stored!.reference, 'Rappel').catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ConversationGoneError)
      expect(err).toMatchObject({ status: 403, reason: 'forbidden', conversationId: where.conversationId })
      await h.references.disable(where.conversationId, (err as ConversationGoneError).reason, h.services.clock.now())
      expect((await h.references.get(where.conversationId))!.disabledReason).toBe('forbidden')
    })
  })

  describe('failures', () => {
    it('a dialogue that fails gets a polite French answer in the conversation, and the HTTP answer stays 200', async () => {
      const broken = h.create(h.options({ dialogue: { turn: async () => Promise.reject(new Error('index down')) } }))
      const where = h.personal()
      const r = await h.postTo(broken, personalMessage(where, 'Vézelay'))
      expect(r.status).toBe(200)
      expect(r.replies.map((c) => c.activity.text)).toEqual(['Désolé, une erreur est survenue de mon côté : réessayez dans un instant.'])
    })

    it('a 404 from the connector on a proactive message is a ConversationGoneError too', async () => {
      const where = h.personal()
      await h.post(installationUpdate(where, 'add', 'personal'))
      h.connector.refuse(where.conversationId, 404)
      const stored = await h.references.get(where.conversationId)
      await expect(h.channel.sendProactive(stored!.reference, 'Rappel')).rejects.toMatchObject({ name: 'ConversationGoneError', status: 404, reason: 'notFound' })
    })
  })

  describe('alerts', () => {
    it('« M\'alerter des échéances » subscribes this conversation when alerts are plugged in (subscribeAlerts)', async () => {
      const calls: { conversationId: string; collectivite?: string }[] = []
      const withAlerts = h.create(
        h.options({
          subscribeAlerts: async ({ conversationId, state }) => {
            calls.push({ conversationId, ...(state.collectivite ? { collectivite: state.collectivite.name } : {}) })
            return { messages: [{ text: 'C\'est noté : je vous préviendrai ici.' }] }
          },
        }),
      )
      const where = h.personal()
      await h.postTo(withAlerts, personalMessage(where, "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED"))
      const r = await h.postTo(withAlerts, cardSubmit(where, 'personal', { guichet: 'action', value: 'alerts' }))
      expect(calls).toEqual([{ conversationId: where.conversationId, collectivite: 'Vézelay' }])
      expect(r.replies[0]!.activity.text).toBe('C\'est noté : je vous préviendrai ici.')
    })

    it('without subscribeAlerts, the button lists the deadlines, as on the web', async () => {
      const where = h.personal()
      await h.post(personalMessage(where, "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED"))
      const r = await h.post(cardSubmit(where, 'personal', { guichet: 'action', value: 'alerts' }))
      // The harness's server has no GUICHET_PUBLIC_URL: no alert can leave, the dialogue says so.
      expect(textOf(r.replies)).toMatch(/Les prochaines échéances de vos programmes :[\s\S]*Les rappels par e-mail \(J-30, J-7, J-1\) ne sont pas activés sur ce Guichet\./)
    })
  })

  describe('POST /api/messages at the edge', () => {
    // Never reach a connector: refused before the SDK sees them.
    const valid = () => personalMessage({ serviceUrl: 'http://127.0.0.1:9/', conversationId: 'a:1edgecases' }, 'Bonjour')
    it.each([
      ['a body that is not an activity', () => ({ hello: 'world' }), 'type'],
      ['no conversation id', () => ({ ...valid(), conversation: { conversationType: 'personal' } }), 'conversation.id'],
      ['a serviceUrl that is not a URL', () => ({ ...valid(), serviceUrl: 'smba' }), 'serviceUrl'],
      ['a serviceUrl that is not http(s)', () => ({ ...valid(), serviceUrl: 'file:///etc/passwd' }), 'serviceUrl'],
      ['no from', () => ({ ...valid(), from: undefined }), 'from'],
      ['a member without id', () => ({ ...valid(), type: 'conversationUpdate', membersAdded: [{}] }), 'membersAdded.0.id'],
      ['entities that are not a list', () => ({ ...valid(), entities: 'x' }), 'entities'],
      ['a locale that is not text', () => ({ ...valid(), locale: 5 }), 'locale'],
      ['a sender name that is not text', () => ({ ...valid(), from: { id: USER.id, name: 42 } }), 'from.name'],
    ])('%s → 400 naming the field, nothing sent', async (_name, body, field) => {
      const r = await h.post(body())
      expect(r.status).toBe(400)
      expect(r.body.error.field).toBe(field)
      expect(r.replies).toHaveLength(0)
    })

    it('a field only the SDK reads, wrongly typed, is never a 500: botbuilder lets it through, the Agents SDK refuses it (400 naming it)', async () => {
      const where = h.personal()
      const r = await h.post({ ...personalMessage(where, 'Bonjour'), timestamp: '' })
      if (sdk === 'agents') {
        expect(r.status).toBe(400)
        expect(r.body.error.field).toBe('timestamp')
        expect(r.replies).toHaveLength(0)
      } else {
        expect(r.status).toBe(200)
        expect(r.replies).toHaveLength(1)
      }
    })

    it('invalid JSON → 400 body', async () => {
      const r = await h.post('{"type": "message"')
      expect(r.status).toBe(400)
      expect(r.body.error.field).toBe('body')
    })

    it('the rest of the app is still served beside the Teams route', async () => {
      const res = await h.get('/api/health')
      expect(res.status).toBe(200)
    })
  })

  describe('authentication', () => {
    const secured = () => h.create(h.options({ config: { appId: '0d9c4f4e-6a4b-4f43-9e8f-5b2c1d0e7a11', appPassword: 'secret', tenantId: TENANT_ID } }))

    it('is on when MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId are set: a request without a Bot Framework token is refused (401), nothing sent', async () => {
      const channel = secured()
      expect(channel.authEnabled).toBe(true)
      const r = await h.postTo(channel, personalMessage(h.personal(), 'Bonjour'))
      expect(r.status).toBe(401)
      expect(r.body.error.code).toBe('unauthorized')
      expect(r.replies).toHaveLength(0)
    })

    it('a malformed Authorization header is refused (401), nothing sent', async () => {
      const channel = secured()
      const where = h.personal()
      const mark = h.connector.captured.length
      const res = await channel.routes.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic Z3VpY2hldDpndWljaGV0' }, body: JSON.stringify(personalMessage(where, 'Bonjour')) })
      expect(res.status).toBe(401)
      expect(h.connector.since(mark, where.conversationId)).toHaveLength(0)
    })

    it('a token the Bot Framework did not issue (another issuer, no valid signature) is refused (401), nothing sent', async () => {
      const channel = secured()
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url')
      const now = Math.floor(Date.now() / 1000)
      const token = [b64({ alg: 'RS256', typ: 'JWT', kid: 'forged' }), b64({ iss: 'https://issuer.example', aud: '0d9c4f4e-6a4b-4f43-9e8f-5b2c1d0e7a11', exp: now + 600, nbf: now - 10 }), b64({ sig: 'none' })].join('.')
      const where = h.personal()
      const mark = h.connector.captured.length
      const res = await channel.routes.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(personalMessage(where, 'Bonjour')) })
      expect(res.status).toBe(401)
      expect(h.connector.since(mark, where.conversationId)).toHaveLength(0)
    })

    it('half a configuration is refused at start-up, in French', () => {
      expect(() => h.create(h.options({ config: { appId: 'x' } }))).toThrow(/MicrosoftAppId, MicrosoftAppPassword et MicrosoftAppTenantId vont ensemble/)
    })
  })
})
