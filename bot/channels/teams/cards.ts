// Adaptive Cards 1.5 for Teams, built by hand from the channel-agnostic Reply model: a question
// card (choices + a button carrying the dialogue step, so a stale card is recognised), one card
// per programme (funder, amount or rate, deadline with J-n, reasons, official link), a card of
// follow-up actions, and the answered question that replaces a question card. Pure JSON: no SDK.
//
// Buttons are Universal Actions: `Action.Execute` (Adaptive Cards 1.4+, answered by an
// `adaptiveCard/action` invoke that can replace the card) with an `Action.Submit` of the same
// data as `fallback` for clients without Universal Actions, each inside an ActionSet, which is
// where older Teams clients honour `fallback`. Microsoft: « Universal Actions for Adaptive Cards »
// (https://learn.microsoft.com/en-us/adaptive-cards/authoring-cards/universal-action-model#teams)
// and « Work with Universal Actions »
// (https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/work-with-universal-actions-for-adaptive-cards#backward-compatibility).
import { jMinus } from '../../../core/calendar.ts'
import type { MatchItem } from '../../../content/matching.ts'
import { peersOf } from '../../../content/peers/peers.ts'
import type { Action, Question } from '../../conversation/reply.ts'
import type { TeamsConversationKind } from './conversation-reference-store.ts'

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive'
export const ADAPTIVE_CARD_VERSION = '1.5'
/** Teams shows at most 10 cards in a carousel. */
export const MAX_CAROUSEL_CARDS = 10

export type CardElement = Record<string, unknown> & { type: string }

export interface AdaptiveCard {
  type: 'AdaptiveCard'
  $schema: string
  version: typeof ADAPTIVE_CARD_VERSION
  body: CardElement[]
  actions?: CardElement[]
}

/** What a card's button sends back (merged with the inputs: `choice`), as Action.Execute data or Action.Submit value. */
export type CardSubmitData = { guichet: 'answer'; step: number; slot: string } | { guichet: 'action'; value: string }

/** The Action.Execute verbs Guichet's cards use: the same word as `data.guichet`. */
export const CARD_VERBS = ['answer', 'action'] as const
export type CardVerb = (typeof CARD_VERBS)[number]

/** The id of the ChoiceSet input: its value arrives as `value.choice`. */
export const CHOICE_INPUT_ID = 'choice'

function card(body: CardElement[], actions?: CardElement[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    body,
    ...(actions?.length ? { actions } : {}),
  }
}

const text = (value: string, extra: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text: value, wrap: true, ...extra })

/** A Universal Action button: Action.Execute, falling back to an Action.Submit with the same data. */
export function executeAction(title: string, data: CardSubmitData): CardElement {
  return { type: 'Action.Execute', verb: data.guichet, title, data, fallback: { type: 'Action.Submit', title, data } }
}

/** Buttons in the body, in an ActionSet: older Teams clients only honour `fallback` there. */
const actionSet = (actions: CardElement[]): CardElement => ({ type: 'ActionSet', actions })

/** How to answer freely, which differs in a channel (the bot only hears @mentions there). */
export function freeTextHint(kind: TeamsConversationKind): string {
  return kind === 'personal' ? 'Vous pouvez aussi répondre librement dans la conversation.' : 'Vous pouvez aussi répondre librement en mentionnant @Guichet.'
}

/** A question with choices: expanded radio buttons and one submit carrying the dialogue step. */
export function questionCard(question: Question, kind: TeamsConversationKind): AdaptiveCard {
  const choices = (question.choices ?? []).slice(0, 3)
  const data: CardSubmitData = { guichet: 'answer', step: question.step, slot: question.slot }
  return card(
    [
      text(question.text, { weight: 'Bolder' }),
      {
        type: 'Input.ChoiceSet',
        id: CHOICE_INPUT_ID,
        style: 'expanded',
        isRequired: true,
        errorMessage: 'Choisissez une réponse.',
        choices: choices.map((c) => ({ title: c.label, value: c.value })),
      },
      text(freeTextHint(kind), { isSubtle: true, size: 'Small' }),
      actionSet([executeAction('Répondre', data)]),
    ],
  )
}

/** What replaces a question card once answered through Action.Execute: the question and the answer, no more buttons. */
export function answeredCard(question: Question, answer: string): AdaptiveCard {
  return card([text(question.text, { weight: 'Bolder' }), text(`Réponse : ${answer}`, { color: 'Good', spacing: 'Small' })])
}

/** One programme: name as heading, funder, status, aid, calendar with J-n, reasons, link. */
export function programmeCard(item: MatchItem): AdaptiveCard {
  const eligible = item.eligibility.status === 'eligible'
  const badges: CardElement[] = [
    { type: 'Column', width: 'auto', items: [text(eligible ? 'Éligible' : 'À confirmer', { weight: 'Bolder', color: eligible ? 'Good' : 'Warning' })] },
  ]
  const days = item.calendar.daysLeft
  if (days !== undefined) {
    badges.push({ type: 'Column', width: 'auto', items: [text(jMinus(days), { weight: 'Bolder', color: days <= 7 ? 'Attention' : days <= 30 ? 'Warning' : 'Default' })] })
  }
  const body: CardElement[] = [
    text(item.name, { style: 'heading', size: 'Medium', weight: 'Bolder' }),
    text(item.funders.join(', '), { isSubtle: true, spacing: 'None' }),
    { type: 'ColumnSet', columns: badges },
    {
      type: 'FactSet',
      facts: [
        { title: 'Aide', value: item.aid.label ?? 'Montant non communiqué' },
        { title: 'Calendrier', value: item.calendar.label },
        ...(item.council ? [{ title: 'Conseil', value: item.council.label }, { title: 'Délibération', value: item.council.deliberationLabel }] : []),
      ],
    },
  ]
  const reasons = item.eligibility.reasons.slice(0, 3)
  if (reasons.length) body.push(text('Pourquoi', { weight: 'Bolder', spacing: 'Medium' }), text(bullets(reasons), { spacing: 'None' }))
  const questions = (item.eligibility.questions ?? []).map((q) => q.question)
  if (questions.length) body.push(text('Pour confirmer', { weight: 'Bolder', spacing: 'Medium' }), text(bullets(questions), { spacing: 'None' }))
  const toCheck = item.eligibility.toCheck.slice(0, 3)
  if (toCheck.length) body.push(text('À vérifier', { weight: 'Bolder', spacing: 'Medium' }), text(bullets(toCheck), { spacing: 'None' }))
  const peers = peersOf(item)
  if (peers?.projects.length) body.push(text(peers.title, { weight: 'Bolder', spacing: 'Medium' }), text(bullets(peers.projects.map((p) => `${p.commune ?? `Département ${p.departement}`} — ${p.project} : ${p.amount}`)), { spacing: 'None' }), text(`Source : ${peers.source}. Des exemples, pas un critère d’éligibilité.`, { isSubtle: true, size: 'Small', spacing: 'None' }))
  const actions: CardElement[] = [{ type: 'Action.OpenUrl', title: 'Page officielle', url: item.url }]
  if (item.applyUrl && item.applyUrl !== item.url) actions.push({ type: 'Action.OpenUrl', title: 'Déposer un dossier', url: item.applyUrl })
  return card(body, actions)
}

/** The follow-up actions after results (alerts, refine, excluded programmes). */
export function actionsCard(actions: Action[]): AdaptiveCard {
  return card([text('Et maintenant ?', { weight: 'Bolder' }), actionSet(actions.map((a) => executeAction(a.label, { guichet: 'action', value: a.value })))])
}

function bullets(lines: string[]): string {
  // Adaptive Card TextBlocks render "- " lines as a list; a leading hyphen in the text itself must not start a new item.
  return lines.map((l) => `- ${l.replace(/\n+/g, ' ')}`).join('\n')
}
