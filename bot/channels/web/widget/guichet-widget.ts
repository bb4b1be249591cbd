// The widget itself: a launcher button and a non-modal chat dialog in a shadow root, talking
// to POST /api/chat. Accessibility (RGAA 4 / WCAG 2.1 AA): labelled launcher, role="dialog"
// named by its heading, the conversation in role="log", "Guichet écrit…" in role="status",
// focus moved into the panel on open and back to the launcher on close, Esc closes, quick
// replies are buttons, results are lists of headed cards with links.
//
// The pieces: panel.ts builds the DOM, render.ts draws each turn, chat-client.ts talks to the
// server and retries; here, the conversation (its state and its turns) and the event handlers.
import { createChatClient, withRetries, type ChatClient } from './chat-client.ts'
import { buildWidgetDom, scrollTo, setReplies, type WidgetDom } from './panel.ts'
import { renderTurn, replyButton } from './render.ts'
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

type Reply = Omit<ChatResponse, 'sessionId'>
type Send = (body: Omit<ChatRequest, 'sessionId'>, echo?: string) => Promise<void>

/** The bot's latest reply in the transcript. */
function lastReply(turns: Turn[]): Reply | undefined {
  for (let i = turns.length - 1; i >= 0; i--) {
    const t = turns[i]!
    if (t.who === 'bot') return t.reply
  }
  return undefined
}

/** The quick replies a bot reply offers: up to three of its question's choices, then its actions. */
function suggestionsFor(reply: Reply | undefined, send: Send): HTMLButtonElement[] {
  if (!reply) return []
  const q = reply.question
  const choices = (q?.choices ?? []).slice(0, 3).map((c) => replyButton(c.label, () => void send({ choice: c.value, step: q!.step }, c.label)))
  const actions = (reply.actions ?? []).map((a) => replyButton(a.label, () => void send({ choice: a.value }, a.label)))
  return [...choices, ...actions]
}

/** Draws a turn at the end of the log. */
function drawTurn(log: HTMLElement, turn: Turn): HTMLElement[] {
  const nodes = renderTurn(turn)
  log.append(...nodes)
  return nodes
}

/** The transcript: the server session and the turns, drawn in the log and kept in the tab's storage. */
function createTranscript(log: HTMLElement, store: TranscriptStore) {
  let sessionId: string | undefined
  let turns: Turn[] = []

  function save(): void {
    if (sessionId) store.save({ sessionId, turns })
  }

  function add(turn: Turn): HTMLElement {
    turns.push(turn)
    return drawTurn(log, turn)[0]!
  }

  return {
    save,
    /** The request for this turn, in this session once the server has given one. */
    request: (body: Omit<ChatRequest, 'sessionId'>): ChatRequest => ({ ...(sessionId ? { sessionId } : {}), ...body }),
    said: (text: string) => add({ who: 'user', text }),
    notice: (text: string) => add({ who: 'notice', text }),
    /** The server's answer: its session kept, the turn saved, then drawn. */
    answered(res: ChatResponse): { reply: Reply; nodes: HTMLElement[] } {
      sessionId = res.sessionId
      const { sessionId: _, ...reply } = res
      const turn: Turn = { who: 'bot', reply }
      turns.push(turn)
      save()
      return { reply, nodes: drawTurn(log, turn) }
    },
    lastReply: () => lastReply(turns),
    /** The saved conversation, drawn again; false when there is none. */
    restore(): boolean {
      const saved = store.load()
      if (!saved) return false
      sessionId = saved.sessionId
      turns = saved.turns
      for (const t of turns) drawTurn(log, t)
      return true
    },
    clear(): void {
      store.clear()
      sessionId = undefined
      turns = []
      log.replaceChildren()
    },
  }
}

interface Conversation {
  /** Draws the saved conversation, or starts a new one; the first opening only. */
  startOnce(): void
  restart(): void
  /** The composer's text, sent unless empty or a request is in flight. */
  submit(): void
}

/** The conversation in the panel: its transcript and the one request in flight. */
function createConversation(dom: WidgetDom, { client, store, retryDelaysMs, collectivite }: { client: ChatClient; store: TranscriptStore; retryDelaysMs: number[]; collectivite: string | undefined }): Conversation {
  const transcript = createTranscript(dom.log, store)
  let started = false
  let busy = false

  /** The server's answer: drawn, its quick replies offered, the start of the exchange shown. */
  function answered(res: ChatResponse, first: HTMLElement | undefined): void {
    const { reply, nodes } = transcript.answered(res)
    dom.status.textContent = ''
    busy = false
    setReplies(dom, suggestionsFor(reply, send))
    scrollTo(dom.log, first ?? nodes[0])
  }

  /** Sends one turn, retrying while the server is unavailable. `echo` is what the visitor said. */
  async function send(body: Omit<ChatRequest, 'sessionId'>, echo?: string): Promise<void> {
    if (busy) return
    busy = true
    setReplies(dom, [])
    let first: HTMLElement | undefined
    if (echo !== undefined) {
      first = transcript.said(echo)
      scrollTo(dom.log, first)
      transcript.save()
    }
    dom.status.textContent = WRITING
    try {
      const ask = async () => answered(await client(transcript.request(body)), first)
      const outcome = await withRetries(ask, retryDelaysMs, () => scrollTo(dom.log, transcript.notice(RETRYING)))
      if (outcome === 'answered') return
      dom.status.textContent = ''
      busy = false
      if (outcome === 'rejected') {
        scrollTo(dom.log, transcript.notice(REJECTED))
        setReplies(dom, suggestionsFor(transcript.lastReply(), send))
      } else {
        scrollTo(dom.log, transcript.notice(GAVE_UP))
        setReplies(dom, [replyButton('Réessayer', () => void send(body))])
      }
    } finally {
      transcript.save()
    }
  }

  function start(): void {
    started = true
    if (transcript.restore()) {
      setReplies(dom, suggestionsFor(transcript.lastReply(), send))
      dom.log.scrollTop = dom.log.scrollHeight
      return
    }
    // A new conversation starts from the page's collectivité when the site gave one.
    const code = collectivite?.trim().slice(0, 200)
    void send(code ? { text: code } : {})
  }

  return {
    startOnce() {
      if (!started) start()
    },
    restart() {
      if (busy) return
      transcript.clear()
      setReplies(dom, [])
      dom.input.focus()
      start()
    },
    submit() {
      const text = dom.input.value.trim()
      if (!text || busy) return
      dom.input.value = ''
      void send({ text }, text)
    },
  }
}

/** Opening and closing (launcher, close button, Esc), restarting, sending from the composer. */
function handleEvents(dom: WidgetDom, conversation: Conversation): void {
  const { launcher, panel, input } = dom
  function openPanel(): void {
    panel.hidden = false
    launcher.hidden = true
    launcher.setAttribute('aria-expanded', 'true')
    conversation.startOnce()
    input.focus()
  }

  function closePanel(): void {
    panel.hidden = true
    launcher.hidden = false
    launcher.setAttribute('aria-expanded', 'false')
    launcher.focus()
  }

  launcher.addEventListener('click', openPanel)
  dom.close.addEventListener('click', closePanel)
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.isComposing) {
      e.preventDefault()
      e.stopPropagation()
      closePanel()
    }
  })
  dom.restart.addEventListener('click', () => conversation.restart())
  dom.form.addEventListener('submit', (e) => {
    e.preventDefault()
    conversation.submit()
  })
}

export function mountWidget(options: WidgetOptions): HTMLElement {
  const { api, collectivite, accent, retryDelaysMs = [1000, 3000] } = options
  const client = options.client ?? createChatClient({ api })
  const store = options.store ?? createTranscriptStore(`guichet:${new URL(api).origin}`)
  const dom = buildWidgetDom(accent, api)
  handleEvents(dom, createConversation(dom, { client, store, retryDelaysMs, collectivite }))
  document.body.append(dom.host)
  return dom.host
}
