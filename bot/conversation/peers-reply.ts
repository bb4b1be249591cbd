// The answer to « qu'ont financé des communes comme la mienne ? » (understand/peer-question.ts): the
// Fonds vert 2023 projects most comparable to the collectivité, for its project's themes — same
// département first, then région — and the département's count and median amount per measure.
// Always said to be 2023 Fonds vert data, never an eligibility judgement.
import { formatEuros, plural } from '../../core/french.ts'
import { THEMES } from '../../core/themes.ts'
import { loadPeers, PEERS_TITLE, peerList, type PeerList, type Peers } from '../../content/peers/peers.ts'
import { PEERS_SOURCE } from '../../content/peers/projects.ts'
import { ask } from './questions.ts'
import { RESULT_ACTIONS } from './reply.ts'
import type { DialogueState } from './state.ts'
import type { TurnOutput } from './turn.ts'

const NOT_ELIGIBILITY = 'Ce sont des exemples de projets retenus en 2023, pas un critère d’éligibilité : les mesures du Fonds vert changent chaque année.'

export function peersReply(state: DialogueState, peers: Peers = loadPeers()): TurnOutput {
  const profile = state.collectivite
  if (!profile) return ask(state, ['Pour vous montrer ce qu’ont obtenu des communes comparables, j’ai besoin de savoir d’où vous m’écrivez.'], 'collectivite')
  const themes = state.themes.filter((t) => peers.projects.some((p) => p.themes.includes(t)))
  const list = peerList(peers, profile, themes, 5)
  const about = themes.length ? ` pour ${themes.slice(0, 3).map((t) => THEMES[t].label.toLowerCase()).join(', ')}` : ''
  const messages: string[] = []
  if (state.themes.length && !themes.length) messages.push('Le Fonds vert 2023 n’avait pas de mesure pour ce projet : voici les projets comparables toutes mesures confondues.')
  if (!list) {
    messages.push(`Je n’ai trouvé aucun projet comparable${about} parmi les lauréats du Fonds vert 2023 (${PEERS_SOURCE}).`)
    return { state, reply: { messages: messages.map((text) => ({ text })), actions: RESULT_ACTIONS } }
  }
  // « département Yonne (89) »: no article to get wrong (de l'Yonne, du Cher, de la Nièvre).
  const place = profile.departement ? `${profile.departement.name} (${profile.departement.code})` : profile.name
  messages.push(`${PEERS_TITLE}${about}, les plus proches de ${profile.name} d’abord (${PEERS_SOURCE}) :`)
  messages.push(list.projects.map((p) => `• ${p.commune ?? `Département ${p.departement}`} — ${p.project} : ${p.amount} (${p.measure})`).join('\n'))
  const dept = profile.departement?.code ?? (profile.type === 'departement' ? profile.code : undefined)
  const stats = dept ? peers.stats({ departement: dept, ...(themes.length ? { themes } : {}) }) : []
  if (stats.length) messages.push(`En 2023, département ${place} : ${stats.slice(0, 4).map((s) => `${s.measure.label} — ${plural(s.count, 'projet', 'projets')}, montant médian ${formatEuros(Math.round(s.medianCents / 100))}`).join(' ; ')}.`)
  messages.push(NOT_ELIGIBILITY)
  return { state, reply: { messages: messages.map((text) => ({ text })), peers: list satisfies PeerList, actions: RESULT_ACTIONS } }
}
