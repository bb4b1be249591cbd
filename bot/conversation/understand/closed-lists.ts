// Closed-list memberships the collectivité tells us (core/closed-lists.ts): "on est Petites villes
// de demain", "lauréat PVD", "commune ACV" → true; "nous ne sommes pas PVD" → false. A question
// ("est-ce qu'on est PVD ?") or a wish ("on est candidat à Villages d'avenir") tells nothing. A bare
// "oui"/"non" answering the closed-list question is an intent (yes/no), which the dialogue maps.
import type { ClosedListId } from '../../../core/closed-lists.ts'
import { PhraseMatcher, type PhraseSpec } from './phrases.ts'
import { asText, clauseEnd, type Text } from './text.ts'

const WORDS: Record<ClosedListId, string[]> = {
  petites_villes_de_demain: ['petites villes de demain', 'petite ville de demain', 'pvd', 'programme pvd'],
  action_coeur_de_ville: ['action cœur de ville', 'action coeur de ville', 'acv', 'programme acv', 'programme cœur de ville', 'action cœur de villes'],
  villages_avenir: ['villages d\'avenir', 'village d\'avenir', 'villages avenir', 'village avenir', 'villages de l\'avenir'],
  territoires_industrie: ['territoires d\'industrie', 'territoire d\'industrie', 'territoires industrie'],
  crte: [
    'crte', 'contrat de relance et de transition écologique', 'contrat pour la réussite de la transition écologique',
    'contrat de réussite de la transition écologique', 'contrat territorial de relance et de transition écologique',
  ],
  leader_gal: ['gal leader', 'groupe d\'action locale', 'territoire leader', 'périmètre leader', 'gal'],
  bfc_centralites_rurales: ['centralité rurale', 'centralités rurales', 'c2r', 'centralité rurale en région'],
}

/** In the same clause, these make a mention a wish or a question, not a membership. */
const NOT_YET = new Set([
  'candidat', 'candidate', 'candidats', 'candidature', 'candidater', 'postuler', 'postule', 'espere', 'esperons', 'aimerait', 'aimerions',
  'aimerais', 'voudrait', 'voudrions', 'voudrais', 'souhaite', 'souhaitons', 'souhaiterait', 'devenir', 'etre', 'comment', 'quoi',
  'sais', 'savoir', 'connait', 'connais', 'eligible', 'eligibles',
])

function specs(): PhraseSpec<ClosedListId>[] {
  return (Object.entries(WORDS) as [ClosedListId, string[]][]).flatMap(([id, words]) => words.map((w) => [w, id] as const))
}

export const CLOSED_LIST_VOCABULARY = new PhraseMatcher(specs())

/** Memberships said in the message; consumes the list names so that "villes" is not a commune. */
export function detectClosedLists(input: string | Text): Partial<Record<ClosedListId, boolean>> | undefined {
  const text = asText(input)
  const out: Partial<Record<ClosedListId, boolean>> = {}
  let any = false
  for (const m of CLOSED_LIST_VOCABULARY.match(text, { consume: true })) {
    if (clauseEnd(text, m.end - 1) === '?') continue
    let from = m.start
    while (from > 0 && !text.tokens[from]!.breakBefore) from--
    let to = m.end
    while (to < text.tokens.length && !text.tokens[to]!.breakBefore) to++
    const clause = text.tokens.slice(from, to).filter((t) => t.index < m.start || t.index >= m.end)
    if (!m.negated && clause.some((t) => NOT_YET.has(t.word))) continue
    out[m.value] = !m.negated
    any = true
  }
  return any ? out : undefined
}
