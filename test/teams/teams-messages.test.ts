// The Teams channel over real HTTP: Teams-shaped activities POSTed to /api/messages on a Node
// server (the Teams routes mounted beside the real app), a local Bot Connector at serviceUrl
// capturing the replies, the SQLite session and conversation-reference stores.
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConversationGoneError } from '../../bot/channels/teams/conversation-gone-error.ts'
import type { ConversationReferenceStore } from '../../bot/channels/teams/conversation-reference-store.ts'
import { createTeamsChannel, type TeamsChannel } from '../../bot/channels/teams/teams-channel.ts'
import { silentLogger } from '../../core/logger.ts'
import { createSqliteConversationReferenceStore } from '../../runtime/node/teams-store.ts'
import { startServices } from '../helpers/node-services.ts'
import { startFakeBotConnector, type CapturedActivity, type FakeBotConnector } from './fake-bot-connector.ts'
import {
  BOT,
  CHANNEL_ROOT,
  TENANT_ID,
  USER,
  botAddedToPersonalChat,
  botAddedToTeam,
  cardSubmit,
  channelConversation,
  channelMessage,
  groupConversation,
  installationUpdate,
  personalConversation,
  personalMessage,
  userAddedToTeam,
} from './teams-activities.ts'

let services: Awaited<ReturnType<typeof startServices>>
let connector: FakeBotConnector
let references: ConversationReferenceStore
let channel: TeamsChannel
let server: ServerType
let base = ''
let n = 0

beforeAll(async () => {
  connector = await startFakeBotConnector()
  services = await startServices()
  references = createSqliteConversationReferenceStore(services.db)
  channel = createTeamsChannel({ dialogue: services.dialogue, sessions: services.sessions, references, config: {}, logger: silentLogger, clock: services.clock })
  const app = new Hono()
  app.route('/', channel.routes)
  app.route('/', services.app)
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
})

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await connector.close()
  services.dispose()
})

/** A fresh conversation of each kind, so that tests do not share sessions. */
function personal() {
  return { serviceUrl: connector.serviceUrl, conversationId: `a:1${'x'.repeat(20)}${++n}personalchat` }
}
function thread(messageId = String(1_481_567_603_816 + ++n)) {
  return { serviceUrl: connector.serviceUrl, conversationId: `${CHANNEL_ROOT};messageid=${messageId}` }
}

async function post(activity: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; replies: CapturedActivity[] }> {
  const mark = connector.captured.length
  const conversationId = (activity as { conversation?: { id?: string } })?.conversation?.id
  const res = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof activity === 'string' ? activity : JSON.stringify(activity) })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null, replies: connector.since(mark, conversationId) }
}

const cardsOf = (r: CapturedActivity) => (r.activity.attachments ?? []).filter((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive').map((a: any) => a.content)
const textOf = (replies: CapturedActivity[]) => replies.map((r) => r.activity.text ?? '').join('\n')
const findInput = (card: any) => card.body.find((e: any) => e.type === 'Input.ChoiceSet')
const submitOf = (card: any) => card.actions.find((a: any) => a.type === 'Action.Submit')

function row(conversationId: string) {
  return services.db.prepare('SELECT * FROM conversation_references WHERE conversation_id = ?').get(conversationId) as Record<string, string | null> | undefined
}

describe('personal chat', () => {
  it('install: one welcome asking for the collectivité (not two: Teams sends installationUpdate and conversationUpdate), reference stored', async () => {
    const where = personal()
    const first = await post(installationUpdate(where, 'add', personalConversation()))
    expect(first.status).toBe(200)
    expect(first.replies).toHaveLength(1)
    expect(first.replies[0]!.activity.text).toMatch(/^Bonjour ! Je suis Guichet/)
    expect(first.replies[0]!.activity.text).toMatch(/Pour quelle collectivité cherchez-vous un financement \?/)
    expect(first.replies[0]!.activity).toMatchObject({ type: 'message', textFormat: 'markdown', from: { id: BOT.id }, recipient: { id: USER.id } })
    const again = await post(botAddedToPersonalChat(where))
    expect(again.status).toBe(200)
    expect(again.replies).toHaveLength(0)

    const stored = row(where.conversationId)
    expect(stored).toMatchObject({ tenant_id: TENANT_ID, channel_kind: 'personal', user_aad_id: USER.aadObjectId, disabled_reason: null })
    expect(JSON.parse(stored!.reference!)).toMatchObject({ channelId: 'msteams', serviceUrl: connector.serviceUrl, bot: { id: BOT.id }, user: { id: USER.id }, conversation: { id: where.conversationId, tenantId: TENANT_ID } })
    expect(JSON.parse(stored!.reference!).activityId).toBeUndefined()
  })

  it('a question with choices is an Adaptive Card 1.5 (expanded ChoiceSet, submit carrying the step) plus three suggested actions; a submit answers it; an old card gets a polite answer', async () => {
    const where = personal()
    await post(installationUpdate(where, 'add', personalConversation()))
    const named = await post(personalMessage(where, 'Vézelay'))
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
    expect(submitOf(card)).toMatchObject({ title: 'Répondre', data: { guichet: 'answer', slot: 'themes', step: 2 } })
    expect(JSON.stringify(card)).toMatch(/répondre librement dans la conversation/)
    expect(reply.activity.suggestedActions.actions).toEqual([
      { type: 'imBack', title: 'Rénovation énergétique', value: 'Rénovation énergétique' },
      { type: 'imBack', title: 'Éclairage public', value: 'Éclairage public' },
      { type: 'imBack', title: 'Centre-bourg', value: 'Centre-bourg' },
    ])

    // Teams merges the card's data with its inputs into value.
    const answered = await post(cardSubmit(where, personalConversation(), { ...submitOf(card).data, choice: 'renovation_energetique' }))
    const [next] = cardsOf(answered.replies[0]!)
    // A renovation could be a school's: the school-only programme's scope is asked.
    expect(next.body[0].text).toBe('Le projet porte-t-il sur : bâtiments scolaires (écoles, collèges et lycées) ?')
    expect(submitOf(next).data).toMatchObject({ guichet: 'answer', slot: 'scope', step: 3 })

    const stale = await post(cardSubmit(where, personalConversation(), { ...submitOf(card).data, choice: 'eclairage_public', msteams: { type: 'messageBack' } }))
    expect(stale.replies[0]!.activity.text).toBe('Cette question n\'est plus d\'actualité : la conversation a avancé depuis.')
    expect(cardsOf(stale.replies[0]!)[0].body[0].text).toBe('Le projet porte-t-il sur : bâtiments scolaires (écoles, collèges et lycées) ?')

    // A tapped suggested action comes back as its label: it answers the pending question.
    const results = await post(personalMessage(where, 'Non'))
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
    const actions = cardsOf(follow!)[0].actions
    expect(actions.map((a: any) => [a.title, a.data])).toEqual([
      ["M'alerter des échéances", { guichet: 'action', value: 'alerts' }],
      ['Affiner', { guichet: 'action', value: 'refine' }],
      ['Voir les programmes écartés', { guichet: 'action', value: 'excluded' }],
    ])

    const excluded = await post(cardSubmit(where, personalConversation(), { guichet: 'action', value: 'excluded' }))
    expect(excluded.replies[0]!.activity.text).toMatch(/^Programmes écartés pour Vézelay \(89\)/)
  })

  it('a submit without a choice, or with unreadable data, gets a French answer and no dialogue turn', async () => {
    const where = personal()
    await post(installationUpdate(where, 'add', personalConversation()))
    const named = await post(personalMessage(where, 'Vézelay'))
    const data = submitOf(cardsOf(named.replies[0]!)[0]).data
    const empty = await post(cardSubmit(where, personalConversation(), { ...data }))
    expect(empty.replies[0]!.activity.text).toBe('Choisissez une réponse dans la liste, ou répondez librement.')
    expect(cardsOf(empty.replies[0]!)[0].body[0].text).toMatch(/^Quel est votre projet/)
    const garbled = await post(cardSubmit(where, personalConversation(), { guichet: 'answer', step: 'deux' }))
    expect(garbled.replies[0]!.activity.text).toMatch(/^Je n'ai pas pu lire cette réponse/)
  })
})

describe('team channel', () => {
  it('install in a team: one welcome in the channel; another member joining gets none', async () => {
    const root = { serviceUrl: connector.serviceUrl, conversationId: CHANNEL_ROOT }
    const installed = await post(installationUpdate(root, 'add', channelConversation()))
    expect(installed.replies).toHaveLength(1)
    expect(installed.replies[0]!.activity.text).toMatch(/Bonjour ! Je suis Guichet/)
    expect(installed.replies[0]!.activity.text).toMatch(/Répondez en mentionnant @Guichet\./)
    expect((await post(botAddedToTeam(root))).replies).toHaveLength(0)
    expect((await post(userAddedToTeam(root))).replies).toHaveLength(0)
    expect(row(CHANNEL_ROOT)).toMatchObject({ channel_kind: 'channel', tenant_id: TENANT_ID, user_aad_id: null })
  })

  it('one full dialogue to results in a thread: @mention stripped, question card, card submit, results with J-n and the official link', async () => {
    const where = thread()
    const first = await post(channelMessage(where, 'Grenoble'))
    expect(first.status).toBe(200)
    expect(first.replies).toHaveLength(1)
    const named = first.replies[0]!
    // Replies go to the thread: the conversation id carries the root message id.
    expect(named.conversationId).toBe(where.conversationId)
    expect(named.activity.text).toMatch(/C'est noté : Grenoble \(38\), 156 140 habitants\./)
    expect(named.activity.text).not.toMatch(/<at>|Guichet Grenoble/)
    expect(named.activity.suggestedActions).toBeUndefined()
    const themes = cardsOf(named)[0]
    expect(JSON.stringify(themes)).toMatch(/en mentionnant @Guichet/)

    const project = await post(channelMessage(where, "un projet d'innovation urbaine pour le logement"))
    const question = cardsOf(project.replies[0]!)[0]
    expect(question.body[0].text).toBe('Votre commune est-elle retenue dans le programme Action Cœur de Ville ?')
    expect(findInput(question).choices.map((c: any) => c.title)).toEqual(['Oui', 'Non', 'Je ne sais pas'])

    const results = await post(cardSubmit(where, channelConversation(), { ...submitOf(question).data, choice: 'non' }))
    const carousel = results.replies[0]!
    expect(carousel.activity.text).toMatch(/^Pour Grenoble \(38\), 156 140 habitants/)
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

    const stored = row(where.conversationId)
    expect(stored).toMatchObject({ channel_kind: 'channel', tenant_id: TENANT_ID })
    expect(JSON.parse(stored!.reference!).conversation).toMatchObject({ id: where.conversationId, conversationType: 'channel' })
  })

  it('"@Guichet" alone repeats the pending question', async () => {
    const where = thread()
    await post(channelMessage(where, 'Grenoble'))
    const again = await post(channelMessage(where, ''))
    expect(again.replies[0]!.activity.text).toBe('Je vous écoute.')
    expect(cardsOf(again.replies[0]!)[0].body[0].text).toMatch(/^Quel est votre projet/)
  })
})

describe('group chat', () => {
  it('a mention in a group chat starts the dialogue; its reference is a groupChat one', async () => {
    const where = { serviceUrl: connector.serviceUrl, conversationId: `19:${'g'.repeat(32)}@thread.v2` }
    const msg = { ...channelMessage(where, 'Bonjour'), conversation: { ...groupConversation(), tenantId: TENANT_ID, id: where.conversationId }, channelData: { tenant: { id: TENANT_ID } } }
    const r = await post(msg)
    expect(r.replies[0]!.activity.text).toMatch(/Bonjour ! Je suis Guichet/)
    expect(row(where.conversationId)).toMatchObject({ channel_kind: 'groupChat', user_aad_id: null })
  })
})

describe('uninstall and proactive messages', () => {
  it('uninstall disables the reference; a reinstall welcomes again', async () => {
    const where = personal()
    await post(installationUpdate(where, 'add', personalConversation()))
    const removed = await post(installationUpdate(where, 'remove', personalConversation()))
    expect(removed.replies).toHaveLength(0)
    expect(row(where.conversationId)).toMatchObject({ disabled_reason: 'uninstalled', welcomed_at: null })
    expect((await references.list({ tenantId: TENANT_ID })).map((r) => r.conversationId)).not.toContain(where.conversationId)
    const back = await post(installationUpdate(where, 'add', personalConversation()))
    expect(back.replies).toHaveLength(1)
    expect(row(where.conversationId)).toMatchObject({ disabled_reason: null })
  })

  it('sendProactive writes into a stored conversation; a 403 from the connector is a ConversationGoneError', async () => {
    const where = personal()
    await post(installationUpdate(where, 'add', personalConversation()))
    const stored = await references.get(where.conversationId)
    expect(stored).toMatchObject({ kind: 'personal', tenantId: TENANT_ID, userAadId: USER.aadObjectId, disabledReason: null })
    const mark = connector.captured.length
    const sent = await channel.sendProactive(stored!.reference, { type: 'message', text: 'Rappel : la DETR ferme dans 7 jours (J-7).' })
    expect(sent?.id).toMatch(/^reply-/)
    const [alert] = connector.since(mark, where.conversationId)
    expect(alert!.activity).toMatchObject({ type: 'message', text: 'Rappel : la DETR ferme dans 7 jours (J-7).', conversation: { id: where.conversationId } })

    connector.refuse(where.conversationId, 403)
    const err = await channel.sendProactive(stored!.reference, 'Rappel').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConversationGoneError)
    expect(err).toMatchObject({ status: 403, reason: 'forbidden', conversationId: where.conversationId })
    await references.disable(where.conversationId, (err as ConversationGoneError).reason, services.clock.now())
    expect((await references.get(where.conversationId))!.disabledReason).toBe('forbidden')
  })
})

describe('failures', () => {
  it('a dialogue that fails gets a polite French answer in the conversation, and the HTTP answer stays 200', async () => {
    const broken = createTeamsChannel({
      dialogue: { turn: async () => Promise.reject(new Error('index down')) },
      sessions: services.sessions,
      references,
      config: {},
      logger: silentLogger,
    })
    const where = personal()
    const mark = connector.captured.length
    const res = await broken.routes.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(where, 'Vézelay')) })
    expect(res.status).toBe(200)
    expect(connector.since(mark, where.conversationId).map((c) => c.activity.text)).toEqual(['Désolé, une erreur est survenue de mon côté : réessayez dans un instant.'])
  })

  it('a 404 from the connector on a proactive message is a ConversationGoneError too', async () => {
    const where = personal()
    await post(installationUpdate(where, 'add', personalConversation()))
    connector.refuse(where.conversationId, 404)
    const stored = await references.get(where.conversationId)
    await expect(channel.sendProactive(stored!.reference, 'Rappel')).rejects.toMatchObject({ name: 'ConversationGoneError', status: 404, reason: 'notFound' })
  })
})

describe('alerts', () => {
  it('« M\'alerter des échéances » subscribes this conversation when alerts are plugged in (subscribeAlerts)', async () => {
    const calls: { conversationId: string; collectivite?: string }[] = []
    const withAlerts = createTeamsChannel({
      dialogue: services.dialogue,
      sessions: services.sessions,
      references,
      config: {},
      logger: silentLogger,
      clock: services.clock,
      subscribeAlerts: async ({ conversationId, state }) => {
        calls.push({ conversationId, ...(state.collectivite ? { collectivite: state.collectivite.name } : {}) })
        return { messages: [{ text: 'C\'est noté : je vous préviendrai ici.' }] }
      },
    })
    const where = personal()
    const say = async (activity: unknown) => {
      const mark = connector.captured.length
      await withAlerts.routes.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) })
      return connector.since(mark, where.conversationId)
    }
    await say(personalMessage(where, "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED"))
    const replies = await say(cardSubmit(where, personalConversation(), { guichet: 'action', value: 'alerts' }))
    expect(calls).toEqual([{ conversationId: where.conversationId, collectivite: 'Vézelay' }])
    expect(replies[0]!.activity.text).toBe('C\'est noté : je vous préviendrai ici.')
  })

  it('without subscribeAlerts, the button lists the deadlines, as on the web', async () => {
    const where = personal()
    await post(personalMessage(where, "Bonjour, je suis maire de Vézelay, on veut passer l'éclairage public en LED"))
    const r = await post(cardSubmit(where, personalConversation(), { guichet: 'action', value: 'alerts' }))
    expect(textOf(r.replies)).toMatch(/rappels \(J-30, J-7, J-1\)/)
  })
})

describe('POST /api/messages at the edge', () => {
  // Built at collection time: these never reach a connector.
  const valid = () => personalMessage({ serviceUrl: 'http://127.0.0.1:9/', conversationId: 'a:1edgecases' }, 'Bonjour')
  it.each([
    ['a body that is not an activity', { hello: 'world' }, 'type'],
    ['no conversation id', { ...valid(), conversation: { conversationType: 'personal' } }, 'conversation.id'],
    ['a serviceUrl that is not a URL', { ...valid(), serviceUrl: 'smba' }, 'serviceUrl'],
    ['a serviceUrl that is not http(s)', { ...valid(), serviceUrl: 'file:///etc/passwd' }, 'serviceUrl'],
    ['no from', { ...valid(), from: undefined }, 'from'],
  ])('%s → 400 naming the field, nothing sent', async (_name, body, field) => {
    const r = await post(body)
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe(field)
    expect(r.replies).toHaveLength(0)
  })

  it('invalid JSON → 400 body', async () => {
    const r = await post('{"type": "message"')
    expect(r.status).toBe(400)
    expect(r.body.error.field).toBe('body')
  })

  it('the rest of the app is still served beside the Teams route', async () => {
    const res = await fetch(`${base}/api/health`)
    expect(res.status).toBe(200)
  })
})

describe('authentication', () => {
  it('is on when MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId are set: a request without a Bot Framework token is refused (401)', async () => {
    const secured = createTeamsChannel({
      dialogue: services.dialogue,
      sessions: services.sessions,
      references,
      config: { appId: '0d9c4f4e-6a4b-4f43-9e8f-5b2c1d0e7a11', appPassword: 'secret', tenantId: TENANT_ID },
      logger: silentLogger,
    })
    expect(secured.authEnabled).toBe(true)
    const mark = connector.captured.length
    const res = await secured.routes.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(personal(), 'Bonjour')) })
    expect(res.status).toBe(401)
    expect(((await res.json()) as any).error.code).toBe('unauthorized')
    expect(connector.captured.length).toBe(mark)
  })

  it('half a configuration is refused at start-up, in French', () => {
    expect(() => createTeamsChannel({ dialogue: services.dialogue, sessions: services.sessions, references, config: { appId: 'x' }, logger: silentLogger })).toThrow(/MicrosoftAppId, MicrosoftAppPassword et MicrosoftAppTenantId vont ensemble/)
  })
})
