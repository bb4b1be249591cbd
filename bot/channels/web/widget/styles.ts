// The widget's stylesheet, scoped by its shadow root. Its own neutral look (no DSFR, no
// Marianne). Colours are checked for contrast ≥ 4.5:1 on their backgrounds (text) and ≥ 3:1
// (borders, focus ring).
//
// Theming — set any of these on the element, in the host page's CSS:
//   guichet-widget { --guichet-accent: #6b2c91; }
// or give the accent on the script tag: <script src=".../widget.js" data-accent="#6b2c91" defer>
//   --guichet-accent       buttons, links, the visitor's messages   (default #0b5c6b)
//   --guichet-accent-text  text on the accent colour                (default #ffffff)
//   --guichet-bg           panel background                         (default #ffffff)
//   --guichet-surface      conversation background                  (default #f4f5f3)
//   --guichet-text         main text                                (default #1d1d1f)
//   --guichet-muted        secondary text                           (default #55575a)
//   --guichet-border       separators and card borders              (default #c9cbc6)
//   --guichet-focus        keyboard focus ring                      (default #b34700)
//   --guichet-radius       corner radius of the panel and cards     (default 12px)
//   --guichet-font         font stack                               (default the system UI font)
// Pick an accent dark enough for white text (contrast ≥ 4.5:1).
//
// The :host rules are !important on purpose: for !important declarations the shadow tree wins
// over the host page, so a page rule like `* { all: unset !important }` cannot reach the
// widget. Sizes are in px, not rem, because the page's root font size is not ours.
export const WIDGET_CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;top:auto!important;left:auto!important;right:0!important;bottom:0!important;width:0!important;height:0!important;margin:0!important;padding:0!important;border:0!important;overflow:visible!important;z-index:2147483000!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;clip-path:none!important;pointer-events:auto!important;direction:ltr!important;
--guichet-accent:#0b5c6b;--guichet-accent-text:#fff;--guichet-bg:#fff;--guichet-surface:#f4f5f3;--guichet-text:#1d1d1f;--guichet-muted:#55575a;--guichet-border:#c9cbc6;--guichet-focus:#b34700;--guichet-radius:12px;
--guichet-font:system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,"Helvetica Neue",Arial,sans-serif}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{font:400 15px/1.45 var(--guichet-font);color:var(--guichet-text);color-scheme:light;text-align:left;letter-spacing:normal;word-spacing:normal;text-transform:none;-webkit-font-smoothing:antialiased}
button,input{font:inherit;color:inherit;margin:0}
p,h2,h3,ol,ul,form,section{margin:0}
button{cursor:pointer}
:focus-visible{outline:3px solid var(--guichet-focus);outline-offset:2px}
.sr-only{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher{position:fixed;right:20px;bottom:20px;display:inline-flex;align-items:center;gap:10px;min-height:52px;padding:0 22px 0 18px;border:2px solid transparent;border-radius:999px;background:var(--guichet-accent);color:var(--guichet-accent-text);font-weight:600;font-size:16px;box-shadow:0 6px 20px rgba(0,0,0,.22)}
.launcher:hover{filter:brightness(1.08)}
.launcher svg{width:22px;height:22px;flex:none}
.panel{position:fixed;right:20px;bottom:20px;display:flex;flex-direction:column;width:min(420px,calc(100vw - 40px));height:min(680px,calc(100vh - 40px));background:var(--guichet-bg);border:1px solid var(--guichet-border);border-radius:var(--guichet-radius);box-shadow:0 12px 40px rgba(0,0,0,.25);overflow:hidden}
.head{display:grid;grid-template-columns:1fr auto auto;align-items:center;gap:0 4px;padding:10px 10px 10px 18px;border-bottom:1px solid var(--guichet-border);background:var(--guichet-bg)}
.title{font-size:17px;font-weight:700;line-height:1.3;min-width:0}
.subtitle{grid-column:1/-1;margin-top:-2px;font-size:13px;line-height:1.35;color:var(--guichet-muted)}
.tool{display:inline-flex;align-items:center;justify-content:center;min-width:40px;min-height:40px;padding:0 10px;border:2px solid transparent;border-radius:8px;background:transparent;color:var(--guichet-text);font-size:13px;font-weight:600}
.tool:hover{background:var(--guichet-surface)}
.tool svg{width:20px;height:20px}
.log{position:relative;flex:1;min-height:0;overflow-y:auto;overflow-x:hidden;display:flex;flex-direction:column;gap:10px;padding:16px;background:var(--guichet-surface);overscroll-behavior:contain}
.msg{position:relative;max-width:92%;padding:9px 13px;border-radius:14px;white-space:pre-line;overflow-wrap:anywhere}
.bot{align-self:flex-start;background:var(--guichet-bg);border:1px solid var(--guichet-border);border-bottom-left-radius:4px}
.user{align-self:flex-end;background:var(--guichet-accent);color:var(--guichet-accent-text);border:1px solid transparent;border-bottom-right-radius:4px}
.notice{align-self:stretch;max-width:none;padding:8px 12px;border-radius:8px;border:1px solid #b8860b;border-left-width:5px;background:#fffbea;color:#5c4300}
.block{align-self:stretch;display:flex;flex-direction:column;gap:10px}
.cards{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
.card{position:relative;background:var(--guichet-bg);border:1px solid var(--guichet-border);border-radius:calc(var(--guichet-radius) - 2px);padding:12px 14px;overflow-wrap:anywhere}
.card h3{margin:0;font-size:16px;line-height:1.3}
.card p,.card details{margin:4px 0 0}
.label{font-weight:600}
.meta{color:var(--guichet-muted);font-size:13.5px}
.badges{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}
.badge{display:inline-block;padding:1px 9px;border-radius:999px;border:1px solid currentColor;font-size:13px;font-weight:600}
.eligible{color:#1b5e2e;background:#e6f4ea}
.unknown{color:#7a4300;background:#fdf1dc}
.ineligible{color:#9b2418;background:#fdecea}
.when{font-size:14px}
.when.soon{font-weight:700}
.why{font-size:14px}
.card details{margin-top:6px;font-size:14px}
.card summary{cursor:pointer;font-weight:600;color:var(--guichet-text)}
.card ul{margin:4px 0 0;padding-left:18px}
.card a{display:inline-block;margin-top:8px;color:var(--guichet-accent);font-weight:600;text-decoration:underline;text-underline-offset:2px}
.card a:hover{text-decoration-thickness:2px}
.replies{display:flex;flex-wrap:wrap;gap:6px;padding:10px 16px 0;border-top:1px solid var(--guichet-border);background:var(--guichet-bg)}
.reply{min-height:36px;padding:4px 12px;border:2px solid var(--guichet-accent);border-radius:999px;background:var(--guichet-bg);color:var(--guichet-accent);font-size:14px;font-weight:600;text-align:left}
.reply:hover{background:var(--guichet-accent);color:var(--guichet-accent-text)}
.status:empty{min-height:0;padding:0}
.status{min-height:23px;padding:4px 16px 0;font-size:13px;color:var(--guichet-muted);background:var(--guichet-bg)}
.composer{display:flex;gap:8px;padding:10px 16px 16px;background:var(--guichet-bg)}
.composer input{flex:1;min-width:0;min-height:44px;padding:9px 12px;border:1px solid #6f716e;border-radius:10px;background:#fff;color:var(--guichet-text);font-size:16px}
.composer input::placeholder{color:#6a6c69;opacity:1}
.legal{margin:0;padding:0 16px 8px;font-size:12px;color:var(--guichet-muted);background:var(--guichet-bg)}
.legal a{color:var(--guichet-muted);text-decoration:underline}
.send{min-height:44px;padding:0 16px;border:2px solid transparent;border-radius:10px;background:var(--guichet-accent);color:var(--guichet-accent-text);font-weight:600}
.send:hover,.reply:hover,.launcher:hover{box-shadow:0 0 0 1px var(--guichet-accent)}
@media (max-width:480px){
.panel{inset:0;width:100%;height:100%;border:0;border-radius:0}
.launcher{right:12px;bottom:12px;padding:0 18px 0 14px}
.log{padding:12px}
.head{padding:8px 6px 8px 12px}.title{font-size:16px}.subtitle{font-size:12.5px}
.reply{padding:4px 10px;font-size:13.5px}
.replies{padding:8px 12px 0}.composer{padding:8px 12px 12px}.status{padding:4px 12px 0}
}
@media (prefers-reduced-motion:no-preference){
.panel{animation:guichet-in .16s ease-out}
@keyframes guichet-in{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}
}
@media (forced-colors:active){.badge,.card,.msg,.reply,.send,.launcher{border:1px solid CanvasText}}
`
