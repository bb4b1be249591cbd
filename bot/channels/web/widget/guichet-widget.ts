// The widget itself: a launcher button and a non-modal chat dialog in a shadow root, talking
// to POST /api/chat. Accessibility (RGAA 4 / WCAG 2.1 AA): labelled launcher, role="dialog"
// named by its heading, the conversation in role="log", "Guichet écrit…" in role="status",
// focus moved into the panel on open and back to the launcher on close, Esc closes, quick
// replies are buttons, results are lists of headed cards with links.
import { ChatRejectedError, createChatClient, type ChatClient } from './chat-client.ts'
import { botTurn, h, messageBubble } from './render.ts'
import { WIDGET_CSS } from './styles.ts'
import { createTranscriptStore, type TranscriptStore } from './transcript-store.ts'
import type { ChatRequest, ChatResponse, Turn } from './types.ts'

export interface WidgetOptions {
  /** Base URL of the Guichet server (the widget's own origin by default). */
  api: string
  /** INSEE code, SIREN or name of the collectivité: sent as the first turn of a new conversation. */
  collectivite?: string
  /** Accent colour, a shortcut for --guichet-accent. */
  accent?: string
  /** Waits between attempts when the server does not answer (the first attempt is immediate). */
  retryDelaysMs?: number[]
  client?: ChatClient
  store?: TranscriptStore
}

const WRITING = 'Guichet écrit…'
const RETRYING = 'Désolé, Guichet ne répond pas pour le moment. Je réessaie dans un instant…'
const GAVE_UP = 'Guichet reste injoignable pour l\'instant. Vérifiez votre connexion, puis choisissez « Réessayer ».'
const REJECTED = 'Je n\'ai pas pu traiter ce message. Reformulez-le, ou choisissez « Recommencer » en haut de la fenêtre.'

const ICON_CHAT = 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z'
const ICON_RESTART = 'M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z'
const ICON_CLOSE = 'M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z'

function icon(path: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  const p = document.createElementNS(ns, 'path')
  p.setAttribute('d', path)
  p.setAttribute('fill', 'currentColor')
  svg.append(p)
  return svg
}

function adoptStyles(root: ShadowRoot, css: string): void {
  // A constructed sheet is not subject to the host page's style-src policy; <style> is the fallback.
  try {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    root.adoptedStyleSheets = [sheet]
  } catch {
    root.append(h('style', {}, css))
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export function mountWidget(options: WidgetOptions): HTMLElement {
  const { api, collectivite, accent, retryDelaysMs = [1000, 3000] } = options
  const client = options.client ?? createChatClient({ api })
  const store = options.store ?? createTranscriptStore(`guichet:${new URL(api).origin}`)

  const host = document.createElement('guichet-widget')
  host.setAttribute('data-guichet', '')
  if (accent && /^(#[0-9a-f]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%/]+\))$/i.test(accent.trim())) host.style.setProperty('--guichet-accent', accent.trim())
  const shadow = host.attachShadow({ mode: 'open' })
  adoptStyles(shadow, WIDGET_CSS)

  const launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'guichet-panel' }, icon(ICON_CHAT), h('span', {}, 'Trouver un financement'))
  const restart = h('button', { type: 'button', class: 'tool', title: 'Recommencer la conversation' }, icon(ICON_RESTART), h('span', { class: 'sr-only' }, 'Recommencer la conversation'))
  const close = h('button', { type: 'button', class: 'tool', title: 'Fermer' }, icon(ICON_CLOSE), h('span', { class: 'sr-only' }, 'Fermer Guichet'))
  const log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation avec Guichet', tabindex: '0' })
  const replies = h('div', { class: 'replies', role: 'group', 'aria-label': 'Réponses rapides', hidden: true })
  const status = h('p', { class: 'status', role: 'status' })
  const input = h('input', { id: 'guichet-input', type: 'text', name: 'message', autocomplete: 'off', maxlength: '1000', placeholder: 'Votre message…', enterkeyhint: 'send' })
  const form = h(
    'form',
    { class: 'composer' },
    h('label', { for: 'guichet-input', class: 'sr-only' }, 'Votre message à Guichet'),
    input,
    h('button', { type: 'submit', class: 'send' }, 'Envoyer'),
  )
  const panel = h(
    'section',
    { id: 'guichet-panel', class: 'panel', role: 'dialog', 'aria-labelledby': 'guichet-title', 'aria-describedby': 'guichet-subtitle', hidden: true },
    h(
      'div',
      { class: 'head' },
      h('h2', { id: 'guichet-title', class: 'title' }, 'Guichet des financements'),
      restart,
      close,
      h('p', { id: 'guichet-subtitle', class: 'subtitle' }, 'Les aides auxquelles votre collectivité a droit, avec leurs dates limites.'),
    ),
    log,
    replies,
    status,
    form,
  )
  shadow.append(h('div', { class: 'root', lang: 'fr' }, panel, launcher))

  let sessionId: string | undefined
  let turns: Turn[] = []
  let started = false
  let busy = false

  function save(): void {
    if (sessionId) store.save({ sessionId, turns })
  }

  function append(nodes: HTMLElement[]): void {
    log.append(...nodes)
  }

  /** Shows the start of the latest exchange, or the bottom when it is short. */
  function scrollTo(node: HTMLElement | undefined): void {
    if (node) log.scrollTop = Math.max(0, node.offsetTop - 12)
  }

  function setReplies(buttons: HTMLButtonElement[]): void {
    const hadFocus = replies.contains(shadow.activeElement)
    replies.replaceChildren(...buttons)
    replies.hidden = buttons.length === 0
    // The pressed quick reply is gone: keep the keyboard user in the panel, on the message field.
    if (hadFocus) input.focus()
  }

  function replyButton(label: string, run: () => void): HTMLButtonElement {
    const b = h('button', { type: 'button', class: 'reply' }, label)
    b.addEventListener('click', run)
    return b
  }

  function suggestionsFor(reply: Omit<ChatResponse, 'sessionId'> | undefined): HTMLButtonElement[] {
    if (!reply) return []
    const q = reply.question
    const choices = (q?.choices ?? []).slice(0, 3).map((c) => replyButton(c.label, () => void send({ choice: c.value, step: q!.step }, c.label)))
    const actions = (reply.actions ?? []).map((a) => replyButton(a.label, () => void send({ choice: a.value }, a.label)))
    return [...choices, ...actions]
  }

  function renderTurn(turn: Turn): HTMLElement[] {
    if (turn.who === 'user') return [messageBubble('user', turn.text)]
    if (turn.who === 'notice') return [messageBubble('notice', turn.text)]
    return botTurn(turn.reply)
  }

  function notice(text: string): HTMLElement {
    const turn: Turn = { who: 'notice', text }
    turns.push(turn)
    const [node] = renderTurn(turn)
    append([node!])
    return node!
  }

  /** Sends one turn, retrying while the server is unavailable. `echo` is what the visitor said. */
  async function send(body: Omit<ChatRequest, 'sessionId'>, echo?: string): Promise<void> {
    if (busy) return
    busy = true
    setReplies([])
    let first: HTMLElement | undefined
    if (echo !== undefined) {
      const turn: Turn = { who: 'user', text: echo }
      turns.push(turn)
      first = renderTurn(turn)[0]
      append([first!])
      scrollTo(first)
      save()
    }
    status.textContent = WRITING
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await client({ ...(sessionId ? { sessionId } : {}), ...body })
          sessionId = res.sessionId
          const { sessionId: _, ...reply } = res
          const turn: Turn = { who: 'bot', reply }
          turns.push(turn)
          save()
          const nodes = renderTurn(turn)
          append(nodes)
          status.textContent = ''
          busy = false
          setReplies(suggestionsFor(reply))
          scrollTo(first ?? nodes[0])
          return
        } catch (err) {
          if (err instanceof ChatRejectedError) {
            status.textContent = ''
            busy = false
            scrollTo(notice(REJECTED))
            setReplies(suggestionsFor(lastReply()))
            return
          }
          if (attempt >= retryDelaysMs.length) {
            status.textContent = ''
            busy = false
            scrollTo(notice(GAVE_UP))
            setReplies([replyButton('Réessayer', () => void send(body))])
            return
          }
          if (attempt === 0) scrollTo(notice(RETRYING))
          await sleep(retryDelaysMs[attempt]!)
        }
      }
    } finally {
      save()
    }
  }

  function lastReply(): Omit<ChatResponse, 'sessionId'> | undefined {
    for (let i = turns.length - 1; i >= 0; i--) {
      const t = turns[i]!
      if (t.who === 'bot') return t.reply
    }
    return undefined
  }

  function start(): void {
    started = true
    const saved = store.load()
    if (saved) {
      sessionId = saved.sessionId
      turns = saved.turns
      for (const t of turns) append(renderTurn(t))
      setReplies(suggestionsFor(lastReply()))
      log.scrollTop = log.scrollHeight
      return
    }
    // A new conversation starts from the page's collectivité when the site gave one.
    const code = collectivite?.trim().slice(0, 200)
    void send(code ? { text: code } : {})
  }

  function openPanel(): void {
    panel.hidden = false
    launcher.hidden = true
    launcher.setAttribute('aria-expanded', 'true')
    if (!started) start()
    input.focus()
  }

  function closePanel(): void {
    panel.hidden = true
    launcher.hidden = false
    launcher.setAttribute('aria-expanded', 'false')
    launcher.focus()
  }

  launcher.addEventListener('click', openPanel)
  close.addEventListener('click', closePanel)
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.isComposing) {
      e.preventDefault()
      e.stopPropagation()
      closePanel()
    }
  })
  restart.addEventListener('click', () => {
    if (busy) return
    store.clear()
    sessionId = undefined
    turns = []
    log.replaceChildren()
    setReplies([])
    input.focus()
    start()
  })
  form.addEventListener('submit', (e) => {
    e.preventDefault()
    const text = input.value.trim()
    if (!text || busy) return
    input.value = ''
    void send({ text }, text)
  })

  document.body.append(host)
  return host
}
