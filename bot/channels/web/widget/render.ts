// DOM builders for what the server says: messages, programme cards, excluded programmes.
// Server text only ever goes through textContent (never innerHTML), and links only to http(s).
import type { ChatResponse, ExcludedItem, MatchItem, Turn } from './types.ts'
import { planBlock } from './plan-block.ts'
import type { PeerList, WithPeers } from '../../../../content/peers/peers.ts'

type Attrs = Record<string, string | boolean | undefined>
type Child = Node | string | null | undefined | false

/** Creates an element; string children become text nodes, attributes set as given. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    node.setAttribute(name, value === true ? '' : value)
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child)
  return node
}

const STATUS_LABELS: Record<string, string> = { eligible: 'Éligible', unknown: 'À confirmer', ineligible: 'Écarté' }

/** The reply's messages: programmes themselves arrive as `results` / `excluded` and are rendered as cards. */
export function visibleMessages(reply: Omit<ChatResponse, 'sessionId'>): string[] {
  return reply.messages.map((m) => m.text).filter((t) => t.trim() !== '')
}

export function messageBubble(who: 'user' | 'bot' | 'notice', text: string): HTMLElement {
  const speaker = who === 'user' ? 'Vous : ' : who === 'bot' ? 'Guichet : ' : ''
  return h('p', { class: `msg ${who}` }, speaker ? h('span', { class: 'sr-only' }, speaker) : null, text)
}

export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined
  try {
    const u = new URL(url)
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : undefined
  } catch {
    return undefined
  }
}

export function resultCard(item: MatchItem): HTMLElement {
  const status = item.eligibility.status
  const { calendar } = item
  const soon = calendar.status === 'open' && calendar.daysLeft !== undefined && calendar.daysLeft <= 30
  const href = safeUrl(item.url)
  const toCheck = item.eligibility.toCheck
  return h(
    'li',
    { class: 'card' },
    h('h3', {}, item.name),
    item.funders.length ? h('p', { class: 'meta' }, h('span', { class: 'sr-only' }, 'Financeur : '), item.funders.join(' · ')) : null,
    h(
      'p',
      { class: 'badges' },
      h('span', { class: `badge ${status}` }, STATUS_LABELS[status] ?? status),
      item.aid.label ? h('span', { class: 'badge aid' }, item.aid.label) : null,
    ),
    h('p', { class: soon ? 'when soon' : 'when' }, h('span', { class: 'label' }, 'Calendrier : '), calendar.label),
    item.council ? h('p', { class: item.council.beforeNextCouncil ? 'when soon council' : 'when council' }, h('span', { class: 'label' }, 'Conseil : '), item.council.label) : null,
    item.council ? h('p', { class: 'when deliberation' }, h('span', { class: 'label' }, 'Délibération : '), item.council.deliberationLabel) : null,
    item.eligibility.reasons.length ? h('p', { class: 'why' }, h('span', { class: 'label' }, 'Pourquoi : '), item.eligibility.reasons.join(' ; ')) : null,
    item.eligibility.questions?.length ? h('p', { class: 'why' }, h('span', { class: 'label' }, 'Pour confirmer : '), item.eligibility.questions.map((q) => q.question).join(' ')) : null,
    toCheck.length
      ? h('details', {}, h('summary', {}, `À vérifier (${toCheck.length})`), h('ul', {}, ...toCheck.map((t) => h('li', {}, t))))
      : null,
    peersBlock((item as WithPeers<MatchItem>).peers),
    href
      ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, 'Page officielle', h('span', { class: 'sr-only' }, ` : ${item.name} (nouvelle fenêtre)`))
      : null,
  )
}

/** Fonds vert 2023 projects of comparable communes (content/peers): examples with amounts, never eligibility. */
export function peersBlock(list: PeerList | undefined): HTMLElement | null {
  if (!list?.projects.length) return null
  return h(
    'details',
    { class: 'peers' },
    h('summary', {}, list.title),
    h('ul', {}, ...list.projects.map((p) => h('li', {}, `${p.commune ?? `Département ${p.departement}`} — ${p.project} : `, h('strong', {}, p.amount)))),
    h('p', { class: 'meta' }, `Source : ${list.source}. Des exemples, pas un critère d’éligibilité.`),
  )
}

export function resultList(items: MatchItem[]): HTMLElement {
  return h('ol', { class: 'cards', 'aria-label': `${items.length} programme${items.length > 1 ? 's' : ''} proposé${items.length > 1 ? 's' : ''}` }, ...items.map(resultCard))
}

export function excludedList(items: ExcludedItem[]): HTMLElement {
  return h(
    'ul',
    { class: 'cards', 'aria-label': 'Programmes écartés' },
    ...items.map((e) =>
      h('li', { class: 'card' }, h('h3', {}, e.name), h('p', { class: 'badges' }, h('span', { class: 'badge ineligible' }, 'Écarté')), e.reasons.length ? h('p', { class: 'why' }, h('span', { class: 'label' }, 'Parce que : '), e.reasons.join(' ; ')) : null),
    ),
  )
}

/** One bot turn: its messages, then its cards. */
export function botTurn(reply: Omit<ChatResponse, 'sessionId'>): HTMLElement[] {
  const out: HTMLElement[] = visibleMessages(reply).map((t) => messageBubble('bot', t))
  if (reply.question && !reply.messages.some((m) => m.text === reply.question!.text)) out.push(messageBubble('bot', reply.question.text))
  if (reply.results?.length) out.push(h('div', { class: 'block' }, resultList(reply.results)))
  if (reply.plan) out.push(h('div', { class: 'block' }, planBlock(reply.plan)))
  if (reply.excluded?.length) out.push(h('div', { class: 'block' }, excludedList(reply.excluded)))
  return out
}

/** One line of the transcript, as drawn in the log. */
export function renderTurn(turn: Turn): HTMLElement[] {
  if (turn.who === 'user') return [messageBubble('user', turn.text)]
  if (turn.who === 'notice') return [messageBubble('notice', turn.text)]
  return botTurn(turn.reply)
}

/** A quick reply: a button that runs `run` when pressed. */
export function replyButton(label: string, run: () => void): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'reply' }, label)
  b.addEventListener('click', run)
  return b
}
