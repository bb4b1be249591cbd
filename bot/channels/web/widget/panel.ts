// The widget's fixed DOM: the <guichet-widget> element, its shadow root with the widget's
// styles, the launcher and the dialog's parts (heading, tools, log, quick replies, status,
// composer); and the two changes the conversation makes to it besides new turns (the quick
// replies shown, the log's scroll).
import { ACCESSIBILITY_STATE } from '../../../pages/accessibility-state.ts'
import { h } from './render.ts'
import { WIDGET_CSS } from './styles.ts'

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

/** The parts of the widget the conversation and the event handlers touch. */
export interface WidgetDom {
  host: HTMLElement
  shadow: ShadowRoot
  launcher: HTMLButtonElement
  restart: HTMLButtonElement
  close: HTMLButtonElement
  panel: HTMLElement
  log: HTMLDivElement
  replies: HTMLDivElement
  status: HTMLParagraphElement
  input: HTMLInputElement
  form: HTMLFormElement
}

/** The host element, themed by `accent` when it is a plain CSS colour, with its styled shadow root. */
function widgetHost(accent: string | undefined): { host: HTMLElement; shadow: ShadowRoot } {
  const host = document.createElement('guichet-widget')
  host.setAttribute('data-guichet', '')
  if (accent && /^(#[0-9a-f]{3,8}|[a-z]+|(rgb|hsl)a?\([\d\s.,%/]+\))$/i.test(accent.trim())) host.style.setProperty('--guichet-accent', accent.trim())
  const shadow = host.attachShadow({ mode: 'open' })
  adoptStyles(shadow, WIDGET_CSS)
  return { host, shadow }
}

/** The whole widget, closed (the launcher shown, the dialog hidden), not yet in the page. */
/** The links to the service's privacy notice and accessibility statement, opened in a new tab (the host page stays). */
function legalLinks(api: string): HTMLElement {
  const root = api.replace(/\/+$/, '')
  const a = (path: string, label: string) => h('a', { href: `${root}${path}`, target: '_blank', rel: 'noopener' }, label, h('span', { class: 'sr-only' }, ' (nouvel onglet)'))
  return h('p', { class: 'legal' }, a('/confidentialite', 'Données personnelles'), ' · ', a('/accessibilite', `Accessibilité : ${ACCESSIBILITY_STATE}`))
}

export function buildWidgetDom(accent: string | undefined, api = ''): WidgetDom {
  const { host, shadow } = widgetHost(accent)
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
    legalLinks(api),
  )
  shadow.append(h('div', { class: 'root', lang: 'fr' }, panel, launcher))
  return { host, shadow, launcher, restart, close, panel, log, replies, status, input, form }
}

/** Shows these quick replies (none: the group is hidden). */
export function setReplies({ shadow, replies, input }: WidgetDom, buttons: HTMLButtonElement[]): void {
  const hadFocus = replies.contains(shadow.activeElement)
  replies.replaceChildren(...buttons)
  replies.hidden = buttons.length === 0
  // The pressed quick reply is gone: keep the keyboard user in the panel, on the message field.
  if (hadFocus) input.focus()
}

/** Shows the start of the latest exchange, or the bottom when it is short. */
export function scrollTo(log: HTMLElement, node: HTMLElement | undefined): void {
  if (node) log.scrollTop = Math.max(0, node.offsetTop - 12)
}
