// Teams conventions, on each SDK, with the activities Microsoft documents (test/teams/fixtures):
// the install welcome (personal, group chat, team; once per conversation, remembered in SQLite
// across restarts and SDKs), Universal Actions (Action.Execute answered by an invoke response,
// Action.Submit fallback), and the answer to invokes Guichet does not use (never 501).
import { describe, expect, it } from 'vitest'
import { ACTION_RECEIVED, FAILED, WELCOME_EXAMPLE } from '../../bot/channels/teams/teams-bot.ts'
import { TEAMS_SDKS, loadTeamsChannelFactory } from '../../bot/channels/teams/teams-channel.ts'
import { createSqliteConversationReferenceStore } from '../../runtime/node/teams-store.ts'
import { openDatabase } from '../../runtime/node/sqlite.ts'
import {
  BOT,
  USER,
  botAddedToGroupChat,
  botAddedToPersonalChat,
  botAddedToTeam,
  botRemoved,
  cardExecute,
  cardSubmit,
  channelMessage,
  installationUpdate,
  personalMessage,
  place,
  taskFetch,
  userAddedToTeam,
} from './teams-activities.ts'
import { buttonsOf, cardsOf, executeOf, findInput, submitOf, teamsHarness, textOf } from './teams-harness.ts'

const CARD = 'application/vnd.microsoft.card.adaptive'
const MESSAGE = 'application/vnd.microsoft.activity.message'
const ERROR = 'application/vnd.microsoft.error'

describe.each(TEAMS_SDKS)('Teams conventions on %s', (sdk) => {
  const h = teamsHarness(sdk)

  describe('welcome', () => {
    it('personal scope: the documented conversationUpdate (the bot and the user in membersAdded) gets one short French welcome: what Guichet does, how to start, an example', async () => {
      const where = h.personal()
      const added = botAddedToPersonalChat(where)
      expect(added.membersAdded.map((m: { id: string }) => m.id)).toEqual([BOT.id, USER.id])
      const r = await h.post(added)
      expect(r.status).toBe(200)
      expect(r.replies).toHaveLength(1)
      const welcome = r.replies[0]!.activity
      expect(welcome).toMatchObject({ type: 'message', textFormat: 'markdown', from: { id: BOT.id }, recipient: { id: USER.id } })
      expect(welcome.text).toMatch(/^Bonjour ! Je suis Guichet : je trouve les financements auxquels votre collectivité a droit, avec leurs dates limites\./)
      expect(welcome.text).toMatch(/Pour quelle collectivité cherchez-vous un financement \?/)
      expect(welcome.text).toMatch(new RegExp(`Par exemple : « ${WELCOME_EXAMPLE} »\\.$`))
      expect(welcome.text.length).toBeLessThan(400)
      expect(welcome.attachments).toBeUndefined()
      expect(h.row(where.conversationId)).toMatchObject({ channel_kind: 'personal', welcomed_at: expect.any(String) })

      // The installationUpdate Teams also sends, and any repeat of the conversationUpdate: nothing more.
      expect((await h.post(installationUpdate(where, 'add', 'personal'))).replies).toHaveLength(0)
      expect((await h.post(botAddedToPersonalChat(where))).replies).toHaveLength(0)
    })

    it('the conversationUpdate and the installationUpdate of one install arriving together: one welcome', async () => {
      const where = h.personal()
      const mark = h.connector.captured.length
      const answers = await Promise.all([h.post(botAddedToPersonalChat(where)), h.post(installationUpdate(where, 'add', 'personal')), h.post(botAddedToPersonalChat(where))])
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
      expect(h.connector.since(mark, where.conversationId).map((c) => c.activity.text)).toEqual([expect.stringMatching(/^Bonjour ! Je suis Guichet/)])
    })

    it('the example of the welcome is understood: collectivité and project in one go', async () => {
      const where = h.personal()
      await h.post(botAddedToPersonalChat(where))
      const r = await h.post(personalMessage(where, WELCOME_EXAMPLE))
      expect(textOf(r.replies)).toMatch(/Vézelay \(89\)/)
      expect(textOf(r.replies)).toMatch(/éclairage public/i)
    })

    it('group chat: the bot added gets one welcome, whose example @mentions Guichet; a repeat gets none', async () => {
      const where = h.groupChat()
      const r = await h.post(botAddedToGroupChat(where))
      expect(r.replies).toHaveLength(1)
      expect(r.replies[0]!.activity.text).toMatch(/^Bonjour ! Je suis Guichet/)
      expect(r.replies[0]!.activity.text).toMatch(/Répondez en mentionnant @Guichet\./)
      expect(r.replies[0]!.activity.text).toMatch(new RegExp(`Par exemple : « @Guichet ${WELCOME_EXAMPLE} »\\.$`))
      expect(h.row(where.conversationId)).toMatchObject({ channel_kind: 'groupChat', welcomed_at: expect.any(String) })
      expect((await h.post(botAddedToGroupChat(where))).replies).toHaveLength(0)
      expect((await h.post(installationUpdate(where, 'add', 'groupChat'))).replies).toHaveLength(0)
    })

    it('team: the documented conversationUpdate (the bot alone in membersAdded) welcomes in the channel once; the installationUpdate and a member joining do not', async () => {
      const root = h.channelRoot()
      const r = await h.post(botAddedToTeam(root))
      expect(r.replies).toHaveLength(1)
      expect(r.replies[0]!.conversationId).toBe(root.conversationId)
      expect(r.replies[0]!.activity.text).toMatch(/^Bonjour ! Je suis Guichet/)
      expect((await h.post(installationUpdate(root, 'add', 'channel'))).replies).toHaveLength(0)
      expect((await h.post(userAddedToTeam(root))).replies).toHaveLength(0)
      expect((await h.post(botAddedToTeam(root))).replies).toHaveLength(0)
    })

    it('the bot is whoever activity.recipient is: the documented ids as Teams sent them, not the test bot, still welcome once', async () => {
      const where = h.personal()
      const documentedBot = { id: '28:f5d48856-5b42-41a0-8c3a-c5f944b679b0', name: 'SongsuggesterBot' }
      const documented = { ...place('conversation-update-bot-added-personal', where), recipient: documentedBot, membersAdded: [{ id: documentedBot.id }, { id: USER.id, aadObjectId: USER.aadObjectId }] }
      const r = await h.post(documented)
      expect(r.replies).toHaveLength(1)
      expect(r.replies[0]!.activity.from.id).toBe('28:f5d48856-5b42-41a0-8c3a-c5f944b679b0')
      // A conversationUpdate that adds only people is no install.
      const other = h.personal()
      expect((await h.post({ ...botAddedToPersonalChat(other), membersAdded: [{ id: USER.id }] })).replies).toHaveLength(0)
    })

    it('remembered in SQLite: after a restart (the database reopened, a new channel) and with the other SDK, no second welcome', async () => {
      const where = h.personal()
      expect((await h.post(botAddedToPersonalChat(where))).replies).toHaveLength(1)
      const db = openDatabase(h.services.config.GUICHET_DATA_DIR)
      try {
        const references = createSqliteConversationReferenceStore(db)
        for (const other of TEAMS_SDKS) {
          const restarted = (await loadTeamsChannelFactory(other))(h.options({ references, sdk: other }))
          expect((await h.postTo(restarted, botAddedToPersonalChat(where))).replies).toHaveLength(0)
          expect((await h.postTo(restarted, installationUpdate(where, 'add', 'personal'))).replies).toHaveLength(0)
        }
        expect((await references.get(where.conversationId))?.welcomedAt).toBeInstanceOf(Date)
      } finally {
        db.close()
      }
    })

    it('removing the bot (conversationUpdate membersRemoved) forgets the welcome: a new install welcomes again', async () => {
      const where = h.personal()
      await h.post(botAddedToPersonalChat(where))
      expect((await h.post(botRemoved(where, 'personal'))).replies).toHaveLength(0)
      expect(h.row(where.conversationId)).toMatchObject({ disabled_reason: 'uninstalled', welcomed_at: null })
      expect((await h.post(botAddedToPersonalChat(where))).replies).toHaveLength(1)
    })
  })

  describe('Universal Actions', () => {
    /** The themes question of a fresh personal conversation, and its card. */
    async function themesCard() {
      const where = h.personal()
      const named = await h.post(personalMessage(where, 'Vézelay'))
      return { where, card: cardsOf(named.replies[0]!)[0] }
    }

    it('card buttons are Action.Execute (cards 1.5 ≥ 1.4) with an Action.Submit of the same data as fallback, inside an ActionSet', async () => {
      const { card } = await themesCard()
      expect(Number(card.version)).toBeGreaterThanOrEqual(1.4)
      expect(card.actions).toBeUndefined()
      const set = card.body.find((e: any) => e.type === 'ActionSet')
      const data = { guichet: 'answer', step: expect.any(Number), slot: 'themes' }
      expect(set.actions).toEqual([{ type: 'Action.Execute', verb: 'answer', title: 'Répondre', data, fallback: { type: 'Action.Submit', title: 'Répondre', data } }])
      expect(set.actions[0].fallback.data).toEqual(set.actions[0].data)
    })

    it('Action.Execute on a question: HTTP 200, the answered card replaces the question, the next question follows in the conversation', async () => {
      const { where, card } = await themesCard()
      const button = executeOf(card)
      const r = await h.post(cardExecute(where, 'personal', { verb: button.verb, data: { ...button.data, choice: 'renovation_energetique' } }))
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ statusCode: 200, type: CARD })
      expect(r.body.value).toMatchObject({ type: 'AdaptiveCard', version: '1.5' })
      expect(r.body.value.body.map((e: any) => e.text)).toEqual([card.body[0].text, 'Réponse : Rénovation énergétique'])
      expect(buttonsOf(r.body.value)).toEqual([])
      expect(r.replies).toHaveLength(1)
      expect(cardsOf(r.replies[0]!)[0].body[0].text).toBe('Le projet porte-t-il sur : bâtiments scolaires (écoles, collèges et lycées) ?')
    })

    it('Action.Execute on an old card: a message response, and the current question again', async () => {
      const { where, card } = await themesCard()
      const button = executeOf(card)
      await h.post(cardExecute(where, 'personal', { verb: 'answer', data: { ...button.data, choice: 'renovation_energetique' } }))
      const stale = await h.post(cardExecute(where, 'personal', { verb: 'answer', data: { ...button.data, choice: 'eclairage_public' } }))
      expect(stale.status).toBe(200)
      expect(stale.body).toEqual({ statusCode: 200, type: MESSAGE, value: 'Cette question n\'est plus d\'actualité : la conversation a avancé depuis.' })
      expect(cardsOf(stale.replies[0]!)[0].body[0].text).toMatch(/^Le projet porte-t-il sur/)
    })

    it('Action.Execute without a choice: a message response asking for one; the question comes again', async () => {
      const { where, card } = await themesCard()
      const r = await h.post(cardExecute(where, 'personal', { verb: 'answer', data: executeOf(card).data }))
      expect(r.body).toEqual({ statusCode: 200, type: MESSAGE, value: 'Choisissez une réponse dans la liste, ou répondez librement.' })
      expect(findInput(cardsOf(r.replies[0]!)[0])).toBeDefined()
    })

    it('Action.Execute on a follow-up button (after results, in a channel thread): a message response, the reply in the thread', async () => {
      const where = h.thread()
      const results = await h.post(channelMessage(where, "Vézelay, on veut passer l'éclairage public en LED"))
      const follow = results.replies.map(cardsOf).flat().find((c: any) => executeOf(c, 'Voir les programmes écartés'))
      const button = executeOf(follow, 'Voir les programmes écartés')
      expect(button).toMatchObject({ verb: 'action', data: { guichet: 'action', value: 'excluded' }, fallback: { type: 'Action.Submit', data: { guichet: 'action', value: 'excluded' } } })
      const r = await h.post(cardExecute(where, 'channel', { verb: button.verb, data: button.data }))
      expect(r.body).toEqual({ statusCode: 200, type: MESSAGE, value: ACTION_RECEIVED })
      expect(r.replies[0]!.conversationId).toBe(where.conversationId)
      expect(r.replies[0]!.activity.text).toMatch(/^Programmes écartés pour Vézelay \(89\)/)
    })

    it('the Action.Submit fallback (older clients) answers the same question', async () => {
      const { where, card } = await themesCard()
      const r = await h.post(cardSubmit(where, 'personal', { ...submitOf(card).data, choice: 'eclairage_public' }))
      expect(r.status).toBe(200)
      expect(r.body).toBeNull()
      expect(r.replies.length).toBeGreaterThan(0)
      expect(textOf(r.replies)).not.toMatch(/plus d'actualité/)
      // The question is answered: the same button pressed again is an old card.
      const again = await h.post(cardExecute(where, 'personal', { verb: 'answer', data: { ...executeOf(card).data, choice: 'eclairage_public' } }))
      expect(again.body).toMatchObject({ statusCode: 200, type: MESSAGE, value: expect.stringMatching(/plus d'actualité/) })
    })

    it('an unknown verb gets the documented error response (400, application/vnd.microsoft.error), nothing sent', async () => {
      const where = h.personal()
      const r = await h.post(cardExecute(where, 'personal', { verb: 'food', data: { item: 'vegan' } }))
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ statusCode: 400, type: ERROR, value: { code: 'NotSupported', message: 'The verb \'food\' is not supported.' } })
      expect(r.replies).toHaveLength(0)
    })

    it('an adaptiveCard/action that is not an Action.Execute, or has no action, is a bad request (400 error response)', async () => {
      const where = h.personal()
      const submit = await h.post(cardExecute(where, 'personal', { type: 'Action.Submit', verb: 'answer', data: {} }))
      expect(submit.body).toMatchObject({ statusCode: 400, type: ERROR, value: { code: 'NotSupported' } })
      const empty = cardExecute(where, 'personal', {})
      const none = await h.post({ ...empty, value: { trigger: 'manual' } })
      expect(none.body).toMatchObject({ statusCode: 400, type: ERROR, value: { code: 'BadRequest' } })
      expect([...submit.replies, ...none.replies]).toHaveLength(0)
    })

    it('a failure while answering an Action.Execute: the documented 500 error response (HTTP 200), and the apology in the conversation', async () => {
      const broken = h.create(h.options({ dialogue: { turn: async () => Promise.reject(new Error('index down')) } }))
      const where = h.personal()
      const r = await h.postTo(broken, cardExecute(where, 'personal', { verb: 'answer', data: { guichet: 'answer', step: 2, slot: 'themes', choice: 'eclairage_public' } }))
      expect(r.status).toBe(200)
      expect(r.body).toEqual({ statusCode: 500, type: ERROR, value: { code: 'InternalError', message: FAILED } })
      expect(r.replies.map((c) => c.activity.text)).toEqual([FAILED])
    })
  })

  describe('other invokes', () => {
    it('an invoke Guichet does not use (task/fetch) is acknowledged: 200, no body, nothing sent — never 501', async () => {
      const where = h.personal()
      const r = await h.post(taskFetch(where, 'personal'))
      expect(r.status).toBe(200)
      expect(r.body).toBeNull()
      expect(r.replies).toHaveLength(0)
    })

    it.each(['composeExtension/query', 'signin/verifyState', 'config/fetch', 'tab/fetch'])('%s → 200, not 501', async (name) => {
      const r = await h.post({ ...taskFetch(h.personal(), 'channel'), name })
      expect(r.status).toBe(200)
      expect(r.replies).toHaveLength(0)
    })
  })
})
