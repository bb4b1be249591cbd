// Wording the reply: who applies and what the project is, in words, and the replies built from a
// matcher's answer — the results, « pourquoi ? », the programmes set aside and the deadlines.
// Nothing here asks the matcher: the dialogue (./dialogue.ts) does, and hands the answer over.
import type { ApplicantType } from '../../core/applicants.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import type { MatchResponse } from '../../content/matching.ts'
import { formatInt } from '../../core/french.ts'
import { profileLabel } from '../../core/geography/geography.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { THEMES } from '../../core/themes.ts'
import { councilMessage } from '../council-view.ts'
import { RESULT_ACTIONS, type Question } from './reply.ts'
import type { DialogueState } from './state.ts'
import { RESULTS_SHOWN, type TurnOutput } from './turn.ts'
import type { Understanding } from './understand/understand.ts'

export const WELCOME = 'Bonjour ! Je suis Guichet : je trouve les financements auxquels votre collectivité a droit, avec leurs dates limites.'

export function greetingIfAny(u: Understanding): string | undefined {
  return u.intents.includes('greeting') ? WELCOME : undefined
}

/** An unnamed collectivité, by type: its name in the profile and the noun that describes it. */
export const UNNAMED: Record<CollectiviteProfile['type'], string> = { commune: 'Votre commune', epci: 'Votre intercommunalité', departement: 'Votre département', region: 'Votre région' }
const UNNAMED_NOUN: Record<CollectiviteProfile['type'], string> = { commune: 'commune', epci: 'intercommunalité', departement: 'département', region: 'région' }

/** Who applies, in words: « votre syndicat de 22 000 habitants (Loiret) », « Vézelay (89), 402 habitants ». */
export function describeProfile(p: CollectiviteProfile, applicant?: ApplicantType): string {
  const pop = p.population !== undefined ? `${formatInt(p.population)} habitants` : ''
  if (!p.code) {
    // An unnamed collectivité described by its size and place: the body that applies, as said.
    const where = p.departement ? ` (${p.departement.name})` : ''
    const noun = applicant === 'syndicat' ? 'syndicat' : applicant === 'petr' ? 'PETR' : applicant && applicant !== p.type ? 'structure' : UNNAMED_NOUN[p.type]
    return pop ? `votre ${noun} de ${pop}${where}` : `votre ${noun}${where}`
  }
  if (applicant && applicant !== p.type && applicant === 'syndicat') return `votre syndicat (territoire : ${profileLabel(p)})`
  return pop ? `${profileLabel(p)}, ${pop}` : profileLabel(p)
}

function projectLabel(state: DialogueState): string {
  if (state.themes.length) return `votre projet (${state.themes.slice(0, 3).map((t) => THEMES[t].label.toLowerCase()).join(', ')})`
  if (state.terms.length) return `votre projet (${state.terms.slice(0, 3).join(', ')})`
  return 'votre projet'
}

/** The applicant as a reply names it: described, or « votre collectivité » while it is unknown. */
function who(state: DialogueState): string {
  return state.collectivite ? describeProfile(state.collectivite, state.applicantType) : 'votre collectivité'
}

/** The results shown (and remembered for « pourquoi ? »), or « rien ne change » when the same list would be shown again unasked. */
export function resultsReply(state: DialogueState, messages: string[], response: MatchResponse, force: boolean): TurnOutput {
  const shown = response.results.slice(0, RESULTS_SHOWN)
  const key = shown.map((r) => `${r.id}:${r.eligibility.status}`).join(',')
  // An answer that changes nothing says so, instead of showing the same list again.
  if (!force && state.resultsShown && state.lastShownKey === key && shown.length > 0) {
    state.pending = undefined
    messages.push('Rien ne change : les programmes proposés et leur statut restent les mêmes. Dites « montre-moi » pour revoir la liste.')
    return { state, reply: { messages: messages.map((text) => ({ text })), actions: RESULT_ACTIONS } }
  }
  state.pending = undefined
  state.resultsShown = true
  state.lastResults = shown.map((r) => r.id)
  state.lastShownKey = key
  const eligible = shown.filter((r) => r.eligibility.status === 'eligible').length
  const toCheck = shown.length - eligible
  const project = projectLabel(state)
  if (shown.length === 0) {
    messages.push(`Je n'ai trouvé aucun programme ouvert à ${who(state)} pour ${project}. Essayez de décrire le projet autrement, ou voyez les programmes écartés et leurs raisons.`)
  } else {
    const parts = [eligible ? `${eligible} programme${eligible > 1 ? 's' : ''} éligible${eligible > 1 ? 's' : ''}` : '', toCheck ? `${toCheck} à confirmer` : ''].filter(Boolean)
    // The programmes themselves travel as `results`: each channel renders them as cards.
    messages.push(`Pour ${who(state)} et ${project}, voici ${parts.join(' et ')}${response.totals.results > shown.length ? ` (les ${shown.length} plus pertinents sur ${response.totals.results})` : ''} :`)
  }
  // The councils: for each shown programme with a deadline, the last useful council (bot/council-view.ts).
  const council = councilMessage(shown)
  if (council) messages.push(council)
  return { state, reply: { messages: messages.map((text) => ({ text })), results: shown, actions: RESULT_ACTIONS } }
}

/** « Pourquoi ? » about programme `target` (undefined: nothing shown yet), from a wide matcher answer. */
export function whyReply(state: DialogueState, response: MatchResponse, target: string | undefined, catalogue: Catalogue): TurnOutput {
  if (!target) return { state, reply: { messages: [{ text: 'Je n\'ai encore montré aucun programme : dites-moi votre collectivité et votre projet.' }] } }
  const all = [...response.results]
  const item = all.find((r) => r.id === target)
  if (item) {
    const lines = [`${item.name} — ${item.eligibility.status === 'eligible' ? 'éligible' : 'à confirmer'} :`, ...item.eligibility.reasons.map((r) => `• ${r}`)]
    if (item.eligibility.questions.length) lines.push('Pour confirmer :', ...item.eligibility.questions.map((q) => `• ${q.question}`))
    if (item.eligibility.toCheck.length) lines.push('À vérifier auprès du financeur :', ...item.eligibility.toCheck.map((r) => `• ${r}`))
    lines.push(`Calendrier : ${item.calendar.label}.`)
    // What placed it in the list, strongest first (core/ranking.ts).
    const placed = (item.ranking ?? []).filter((s) => s.points >= 0.01).map((s) => s.label)
    const rank = all.findIndex((r) => r.id === item.id) + 1
    if (placed.length) lines.push(`Classé ${rank === 1 ? '1er' : `${rank}e`} pour ce projet grâce à : ${placed.join(', ')}.`)
    return { state, reply: { messages: [{ text: lines.join('\n') }], actions: RESULT_ACTIONS } }
  }
  const ex = response.excluded.find((e) => e.id === target)
  if (ex) return { state, reply: { messages: [{ text: [`${ex.name} — écarté pour ${who(state)}, parce que :`, ...ex.reasons.map((r) => `• ${r}`)].join('\n') }], actions: RESULT_ACTIONS } }
  const p = catalogue.get(target)
  return { state, reply: { messages: [{ text: p ? `${p.name} ne correspond pas à votre projet tel que vous l'avez décrit.` : 'Je ne connais pas ce programme.' }] } }
}

/** The programmes set aside, with their reasons (the first ten of the matcher's answer). */
export function excludedReply(state: DialogueState, response: MatchResponse): TurnOutput {
  const ex = response.excluded.slice(0, 10)
  // The programmes travel as `excluded`; the message only introduces them.
  const lines = ex.length ? [`Programmes écartés pour ${who(state)}, avec leurs raisons :`] : ['Aucun programme n\'est écarté.']
  return { state, reply: { messages: [{ text: lines.join('\n') }], excluded: ex, actions: RESULT_ACTIONS.filter((a) => a.value !== 'excluded') } }
}

/** The deadlines of the results shown; with `canSubscribe`, the question of the e-mail address for reminders. */
export function deadlinesReply(state: DialogueState, response: MatchResponse, canSubscribe: boolean): TurnOutput {
  const dated = response.results.slice(0, RESULTS_SHOWN).filter((r) => r.calendar.closesAt || r.calendar.nextWindow)
  const lines = dated.length
    ? ['Les prochaines échéances de vos programmes :', ...dated.map((r) => `• ${r.shortName ?? r.name} : ${r.calendar.label}${r.council ? ` — ${r.council.label.replace(/^./, (c) => c.toLowerCase())}` : ''}`)]
    : ['Aucun de ces programmes n\'a de date limite connue pour l\'instant.']
  if (!canSubscribe || !state.collectivite) {
    lines.push('Les rappels par e-mail (J-30, J-7, J-1) ne sont pas activés sur ce Guichet.')
    return { state, reply: { messages: [{ text: lines.join('\n') }], actions: RESULT_ACTIONS.filter((a) => a.value !== 'alerts') } }
  }
  state.step++
  const question: Question = { slot: 'email', step: state.step, text: 'À quelle adresse e-mail dois-je envoyer les rappels (J-30, J-7, J-1) avant chaque date limite ? Vous recevrez d\'abord un lien de confirmation.' }
  state.pending = question
  return { state, reply: { messages: [{ text: lines.join('\n') }], question } }
}
