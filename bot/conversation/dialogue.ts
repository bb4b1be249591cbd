// The eligibility dialogue, channel-agnostic: a turn (free text or a quick-reply choice) in,
// the new state and a Reply out. Slots are filled from whatever is said, whenever; the next
// question is the one whose answer most changes the candidate programmes; results can be
// asked for at any time. No LLM: understanding is rule-based (./understand/).
// This file composes the turn; its parts are understanding the answer (./answer.ts), choosing
// the next question (./questions.ts) and wording the reply (./wording.ts).
import { DEFAULT_COUNCIL_SETTINGS, withCouncil, type CouncilContext } from '../council-view.ts'
import type { CouncilSettings } from '../../core/council-view.ts'
import { councilCalendarIn, dialogueCouncil } from './council-said.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import type { Matcher, MatchResponse } from '../../content/matching.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { applyPendingAnswer, applyUnderstanding, narrowCandidates } from './answer.ts'
import { applicantPopulation, matchInput } from './match-input.ts'
import { findProgramme, mentionedProgrammes } from './programme-names.ts'
import { withPlanOffer } from './plan-offer.ts'
import { peersReply } from './peers-reply.ts'
import { asksForPeerProjects } from './understand/peer-question.ts'
import { ask, askCollectiviteChoice, nextQuestion } from './questions.ts'
import { RESULT_ACTIONS, type Reply, type SlotName } from './reply.ts'
import { initialState, type DialogueState } from './state.ts'
import { MAX_QUESTIONS_BEFORE_RESULTS, type TurnInput, type TurnOutput } from './turn.ts'
import { understand, type Understanding } from './understand/understand.ts'
import { deadlinesReply, excludedReply, greetingIfAny, resultsReply, WELCOME, whyReply } from './wording.ts'

export { MAX_QUESTIONS_BEFORE_RESULTS, RESULTS_SHOWN, type TurnInput, type TurnOutput } from './turn.ts'

export interface Dialogue {
  turn(state: DialogueState | undefined, input: TurnInput): Promise<TurnOutput>
}

export interface DialogueOptions {
  matcher: Matcher
  geography: Geography
  catalogue: () => Catalogue
  today: () => string
  /** The server's public URL (GUICHET_PUBLIC_URL), for absolute links in replies (the financing plan's); absent: paths. */
  publicUrl?: string
  /** The council calendar and margin assumed for the back-planning of deadlines (GUICHET_COUNCIL_*); default: the built-in ones. */
  council?: CouncilSettings
  /** « M'alerter des échéances »: subscribes with the e-mail found in `text`; undefined when none is there. */
  subscribe?: (state: DialogueState, text: string) => Promise<Reply | undefined>
}

export function createDialogue(options: DialogueOptions): Dialogue {
  // The options as given now: a caller changing its object later does not change this dialogue.
  const o: DialogueOptions = { ...options }
  return { turn: (previous, input) => turn(o, previous, input) }
}

async function turn(o: DialogueOptions, previous: DialogueState | undefined, input: TurnInput): Promise<TurnOutput> {
  const { geography, catalogue, today, subscribe } = o
  let state: DialogueState = previous ? structuredClone(previous) : initialState()
  const messages: string[] = []
  const text = (input.choice ?? input.text ?? '').trim()

  if (!previous && !text) {
    return ask(state, [WELCOME], 'collectivite')
  }

  if (input.choice !== undefined && input.step !== undefined && input.step !== state.step) return staleCard(state)

  const expected = state.pending?.slot
  let u = understand(text, { geography, today: today(), ...(expected && expected !== 'email' ? { expectedSlot: expected } : {}) })

  if (u.intents.includes('reset')) {
    state = initialState()
    return ask(state, ['C\'est reparti de zéro.', WELCOME], 'collectivite')
  }

  // « Notre conseil se réunit le premier mardi du mois »: kept for the back-planning of the deadlines.
  const councilSaid = councilCalendarIn(text)
  if (councilSaid) {
    state.councilCalendar = councilSaid
    messages.push(`C'est noté : votre conseil se réunit ${/^\d/.test(councilSaid) ? `les ${councilSaid}` : `le ${councilSaid}`}. Je calcule les dates de délibération avec ce calendrier.`)
    if (state.resultsShown && state.collectivite) return results(o, state, messages, undefined, true)
  }

  if (state.pending?.slot === 'email' && subscribe && !u.intents.includes('reset')) {
    const answered = await answerEmail(state, input, u, text, subscribe)
    if (answered) return answered
  }

  // A quick reply answers the pending question directly, and is not read again as free text
  // (a commune's INSEE code can be another commune's postal code).
  // Homonyms offered: « 35 », « Ille-et-Vilaine » or « celle du Doubs » narrows them by département.
  if (narrowCandidates(state, input, u, messages, geography)) u = { ...u, collectivite: undefined }
  const answered = applyPendingAnswer(state, input, u, geography)
  if (answered && input.choice !== undefined) u = { ...u, collectivite: undefined, themes: { add: [], remove: [] }, terms: { add: [], remove: [] } }
  applyUnderstanding(state, u, messages, geography)
  // A programme named in the project (« candidater au FICOL ») joins the search; one asked about (« pourquoi la DETR ? ») does not.
  if (!u.intents.includes('why')) for (const term of mentionedProgrammes(text, catalogue())) if (!state.terms.includes(term)) state.terms.push(term)

  if (asksForPeerProjects(text)) return peersReply(state)
  if (u.intents.includes('why')) return explainWhy(o, state, u.whyAbout)
  if (u.intents.includes('showExcluded') || input.choice === 'excluded') return showExcluded(o, state)
  if (input.choice === 'alerts' || u.intents.includes('alerts')) return showDeadlines(o, state)
  return nextStep(o, state, input, u, messages, expected)
}

/**
 * After the turn's words are in the state: the question to ask next, or the results. The
 * collectivité comes first: nothing can be decided without it. A question is never asked
 * twice in a row: when the answer to it was not understood, the dialogue goes on without.
 */
async function nextStep(o: DialogueOptions, state: DialogueState, input: TurnInput, u: Understanding, messages: string[], expected: SlotName | undefined): Promise<TurnOutput> {
  const wantsResults = u.intents.includes('showResults')
  const refine = input.choice === 'refine' || u.intents.includes('refine')
  if (!state.collectivite) {
    if (state.candidates?.length) return askCollectiviteChoice(state, messages)
    const stuck = expected === 'collectivite' && !state.unknown.includes('collectivite')
    if (stuck) {
      state.unknown.push('collectivite')
      messages.push('Je ne reconnais pas la collectivité. Je continue sans : donnez le nom exact ou le code postal de la commune quand vous voulez, je vérifierai alors l\'éligibilité.')
    }
    if (wantsResults || state.unknown.includes('collectivite')) {
      if (!stuck) messages.push('Sans collectivité je ne peux pas vérifier l\'éligibilité : voici les programmes qui correspondent au projet, à confirmer.')
      return results(o, state, messages)
    }
    return ask(state, messages.length ? messages : [greetingIfAny(u)].filter(Boolean) as string[], 'collectivite')
  }
  if (state.themes.length === 0 && state.terms.length === 0 && !state.unknown.includes('themes') && !wantsResults) {
    if (expected !== 'themes') return ask(state, messages, 'themes')
    state.unknown.push('themes')
    messages.push('Je n\'ai pas reconnu le projet : voici les programmes ouverts à votre collectivité. Décrivez le projet en quelques mots pour affiner.')
  }

  const current = await o.matcher.match(matchInput(state))
  const budgetLeft = state.resultsShown ? (refine ? 1 : 0) : MAX_QUESTIONS_BEFORE_RESULTS - state.questionsBeforeResults
  if (!wantsResults && budgetLeft > 0) {
    const next = nextQuestion(state, current, o.catalogue(), o.today())
    if (next) return ask(state, messages, next.slot, next)
  }
  if (refine && state.resultsShown) messages.push('Je n\'ai plus de question qui changerait la liste.')
  return results(o, state, messages, current, wantsResults)
}

async function results(o: DialogueOptions, state: DialogueState, messages: string[], computed?: MatchResponse, force = false): Promise<TurnOutput> {
  const response = withCouncil(computed ?? (await o.matcher.match(matchInput(state))), councilContext(o, state))
  return withPlanOffer(resultsReply(state, messages, response, force), o.publicUrl)
}

async function explainWhy(o: DialogueOptions, state: DialogueState, about: string | undefined): Promise<TurnOutput> {
  const response = await o.matcher.match({ ...matchInput(state), limit: 200, excludedLimit: 200 })
  const target = findProgramme(about, response.results.map((r) => r.id).concat(response.excluded.map((e) => e.id)), o.catalogue()) ?? state.lastResults[0]
  return whyReply(state, response, target, o.catalogue())
}

async function showExcluded(o: DialogueOptions, state: DialogueState): Promise<TurnOutput> {
  return excludedReply(state, await o.matcher.match({ ...matchInput(state), excludedLimit: 10 }))
}

async function showDeadlines(o: DialogueOptions, state: DialogueState): Promise<TurnOutput> {
  return deadlinesReply(state, withCouncil(await o.matcher.match(matchInput(state)), councilContext(o, state)), !!o.subscribe)
}

/** What the back-planning of the deadlines needs from the dialogue: the catalogue, the calendar, who applies. */
function councilContext(o: DialogueOptions, state: DialogueState): CouncilContext {
  const population = applicantPopulation(state)
  return {
    catalogue: o.catalogue(),
    settings: dialogueCouncil(o.council ?? DEFAULT_COUNCIL_SETTINGS, state.councilCalendar),
    ...(state.applicantType ? { applicant: state.applicantType } : {}),
    ...(population !== undefined ? { applicantPopulation: population } : {}),
  }
}

/** A card from an older question: nothing is changed, the question pending (or the result actions) is shown again. */
function staleCard(state: DialogueState): TurnOutput {
  const pending = state.pending
  const msg = 'Cette question n\'est plus d\'actualité : la conversation a avancé depuis.'
  return { state, reply: { messages: [{ text: msg }], ...(pending ? { question: pending } : {}), ...(state.resultsShown && !pending ? { actions: RESULT_ACTIONS } : {}) } }
}

/**
 * The answer to « à quelle adresse e-mail ? »: the subscription made, an address asked again,
 * or « non » (the dialogue then goes on: undefined when the turn is to be read as usual).
 */
async function answerEmail(state: DialogueState, input: TurnInput, u: Understanding, text: string, subscribe: NonNullable<DialogueOptions['subscribe']>): Promise<TurnOutput | undefined> {
  if (u.intents.includes('dontKnow') || u.intents.includes('no') || input.choice !== undefined) {
    state.pending = undefined
    if (input.choice === undefined) return { state, reply: { messages: [{ text: 'D\'accord, pas d\'alerte pour le moment.' }], actions: RESULT_ACTIONS } }
    return undefined
  }
  try {
    const reply = await subscribe(state, text)
    if (reply) {
      state.pending = undefined
      return { state, reply }
    }
    return { state, reply: { messages: [{ text: 'Je n\'ai pas trouvé d\'adresse e-mail dans votre message. Écrivez-la simplement, par exemple secretariat@mairie-exemple.fr.' }], question: state.pending } }
  } catch (err) {
    const why = err instanceof Error ? err.message.split(' / ')[0] : ''
    return { state, reply: { messages: [{ text: `Je n'ai pas pu enregistrer l'alerte${why ? ` (${why})` : ''}. Vérifiez l'adresse et réessayez.` }], question: state.pending } }
  }
}
