// A dialogue Reply as Teams activities: the text (minus the result lines, which the cards
// show), then a question card or the results carousel, then the follow-up actions card. Two
// or three activities per turn, to stay well under the connector's per-conversation rate.
import type { Reply } from '../../conversation/reply.ts'
import { ADAPTIVE_CARD_CONTENT_TYPE, MAX_CAROUSEL_CARDS, actionsCard, programmeCard, questionCard, type AdaptiveCard } from './cards.ts'
import type { TeamsConversationKind } from './conversation-reference-store.ts'
import { withPlanAction } from './plan-card.ts'
import type { Attachment, OutgoingActivity, SuggestedAction } from './teams-activity.ts'

/** Under Teams' message size limit (about 28 KB), with room for the envelope. */
export const MAX_ACTIVITY_CHARS = 24_000

export function cardAttachment(card: AdaptiveCard): Attachment {
  return { contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }
}

/** Markdown paragraphs: Teams folds single newlines, so every line becomes its own paragraph. */
export function teamsText(lines: string[]): string {
  return lines
    .flatMap((l) => l.split('\n'))
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n\n')
}

/**
 * The activities of a reply: `preface` lines come before the dialogue's text, `postscript` lines
 * after it (and after a question asked in words).
 */
export function replyActivities(reply: Reply, { kind, preface = [], postscript = [] }: { kind: TeamsConversationKind; preface?: string[]; postscript?: string[] }): OutgoingActivity[] {
  // Programmes arrive as `results` and become cards: messages never repeat them.
  const lines = [...preface, ...reply.messages.map((m) => m.text)]
  const question = reply.question
  const choices = question?.choices?.slice(0, 3) ?? []
  if (question && choices.length === 0) {
    lines.push(question.text)
    if (kind !== 'personal') lines.push('Répondez en mentionnant @Guichet.')
  }
  lines.push(...postscript)

  const first: OutgoingActivity = { type: 'message' }
  if (lines.length) Object.assign(first, { text: teamsText(lines), textFormat: 'markdown' })
  if (question && choices.length) {
    first.attachments = [cardAttachment(questionCard(question, kind))]
    // Suggested actions reach the bot only where it hears every message: the personal chat.
    if (kind === 'personal') {
      const actions: SuggestedAction[] = choices.map((c) => ({ type: 'imBack', title: c.label, value: c.label }))
      first.suggestedActions = { to: [], actions }
    }
  } else if (reply.results?.length) {
    first.attachmentLayout = 'carousel'
    const attachments = reply.results.slice(0, MAX_CAROUSEL_CARDS).map((r) => cardAttachment(programmeCard(r)))
    first.attachments = attachments
    // Teams refuses bot messages beyond about 28 KB: the least relevant cards go first.
    while (attachments.length > 1 && JSON.stringify(first).length > MAX_ACTIVITY_CHARS) attachments.pop()
  }

  const activities: OutgoingActivity[] = []
  if (first.text || first.attachments) activities.push(first)
  if (reply.actions?.length) activities.push({ type: 'message', attachments: [cardAttachment(withPlanAction(actionsCard(reply.actions), reply.plan))] })
  return activities
}
