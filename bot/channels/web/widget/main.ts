// Entry of widget.js: one line on any site,
//   <script src="https://<host>/widget.js" data-collectivite="<INSEE or SIREN>" defer></script>
// The API origin is the script's own origin, so the widget works embedded on another site.
// Optional attributes: data-accent (a CSS colour), data-api (another Guichet server).
import { mountWidget } from './guichet-widget.ts'

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript
  if (current instanceof HTMLScriptElement) return current
  const all = document.querySelectorAll<HTMLScriptElement>('script[src*="widget.js"]')
  return all[all.length - 1] ?? null
}

function boot(script: HTMLScriptElement | null): void {
  if (document.querySelector('guichet-widget[data-guichet]')) return
  const data = script?.dataset ?? {}
  const api = new URL(data.api ?? script?.src ?? location.href, location.href).origin
  mountWidget({ api, ...(data.collectivite ? { collectivite: data.collectivite } : {}), ...(data.accent ? { accent: data.accent } : {}) })
}

const script = ownScript()
if (document.body) boot(script)
else document.addEventListener('DOMContentLoaded', () => boot(script), { once: true })
