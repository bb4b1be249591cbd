/** @jsxImportSource hono/jsx */
// The admin pages: French, server-rendered, neutral look; every input has a label, errors are
// linked with aria-describedby and announced; focus is always visible. Shared pieces: the
// layout, a labelled field, a JSON value, a failed form's error summary, an audit table.
import type { Child } from 'hono/jsx'
import type { Account, AuditLog } from './ports.ts'
import { LegalLinks } from '../pages/legal-links.tsx'

const CSS = `
:root{--bg:#f6f6f4;--fg:#1b1b1d;--muted:#55555a;--line:#cfcfca;--accent:#0b5c6b;--bad:#a1261b;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);line-height:1.5}
header,main{max-width:1200px;margin:0 auto;padding:.8rem 1rem}header{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;border-bottom:1px solid var(--line)}
header nav a{margin-right:1rem;white-space:nowrap;display:inline-block}a{color:var(--accent)}
label{display:block;font-weight:600;margin:.5rem 0 .2rem}input,select,textarea{font:inherit;padding:.45rem;border:1px solid #85857f;border-radius:5px;width:100%;background:#fff;color:inherit}
input[type=checkbox]{width:auto}button{font:inherit;font-weight:600;background:var(--accent);color:#fff;border:0;border-radius:5px;padding:.5rem 1rem;cursor:pointer;margin:.3rem .3rem .3rem 0}
button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent)}
:focus-visible{outline:3px solid #e59f00;outline-offset:2px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.93rem}
.error{color:var(--bad);font-weight:600;margin:.2rem 0}.alert{border-left:5px solid var(--bad);background:#fff;padding:.6rem 1rem}
.ok{border-left:5px solid #1c6b33;background:#fff;padding:.6rem 1rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(260px,100%),1fr));gap:.8rem}.filters{display:flex;flex-wrap:wrap;gap:.8rem;align-items:end}
.filters>div{min-width:150px}pre{white-space:pre-wrap;word-break:break-word;font-size:.85rem;margin:0}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.8rem;margin:.8rem 0}
fieldset{border:1px solid var(--line);border-radius:8px;margin:.8rem 0;padding:.6rem .9rem;min-width:0}legend{font-weight:700}
.checks{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(230px,100%),1fr));gap:.1rem .8rem}label.check{font-weight:400;display:flex;gap:.4rem;align-items:baseline;margin:.15rem 0}
.hint{margin:0;color:var(--muted);font-size:.9rem}.diff-del{background:#fbe9e7}.diff-add{background:#e6f4ea}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
@media (max-width:760px){table{display:block;overflow-x:auto;max-width:100%}.filters>div{min-width:0;flex:1 1 100%}main,header{padding:.6rem .7rem}}
code,pre,p,li,label,dd{overflow-wrap:anywhere}a{overflow-wrap:anywhere}
`

export function Layout({ title, account, csrf, children }: { title: string; account?: Account; csrf?: string; children?: Child }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title} — Guichet administration</title>
        <style>{CSS}</style>
      </head>
      <body>
        <header>
          <strong>Guichet — administration</strong>
          {account ? (
            <>
              <nav aria-label="Administration">
                <a href="/admin">Programmes</a>
                <a href="/admin/crawl">Collectes</a>
                <a href="/admin/audit">Journal</a>
                {account.role === 'admin' ? <a href="/admin/sources/pages">Pages suivies</a> : null}
                {account.role === 'admin' ? <a href="/admin/alerts">Alertes</a> : null}
                {account.role === 'admin' ? <a href="/admin/accounts">Comptes</a> : null}
                {account.role === 'admin' ? <a href="/admin/privacy">Données personnelles</a> : null}
                <a href="/admin/import">Import YAML</a>
                <a href="/api/admin/export">Export YAML</a>
              </nav>
              <form method="post" action="/admin/logout" style="margin-left:auto">
                <input type="hidden" name="_csrf" value={csrf ?? ''} />
                <a href="/admin/compte">{account.email}</a> <span>({account.role === 'admin' ? 'administrateur' : 'éditeur'}) </span>
                <button type="submit" class="secondary">Se déconnecter</button>
              </form>
            </>
          ) : null}
        </header>
        <main id="contenu">
          <h1>{title}</h1>
          {children}
        </main>
        <footer><LegalLinks /></footer>
      </body>
    </html>
  )
}

/** A labelled input whose error is linked with aria-describedby. */
export function Field({ name, label, value, error, hint, type = 'text', multiline = false, rows = 4 }: { name: string; label: string; value: string; error?: string | undefined; hint?: string; type?: string; multiline?: boolean; rows?: number }) {
  const id = `f-${name}`
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div>
      <label for={id}>{label}</label>
      {hint ? <p id={`${id}-hint`} class="hint">{hint}</p> : null}
      {multiline ? (
        <textarea id={id} name={name} rows={rows} aria-invalid={error ? 'true' : undefined} aria-describedby={described}>{value}</textarea>
      ) : (
        <input id={id} name={name} type={type} value={value} aria-invalid={error ? 'true' : undefined} aria-describedby={described} />
      )}
      {error ? <p id={`${id}-error`} class="error">{error}</p> : null}
    </div>
  )
}

export function Json({ value }: { value: unknown }) {
  return <pre>{value === undefined ? '—' : JSON.stringify(value, null, 2)}</pre>
}

/** The errors of a failed form, each linked to its input. */
export function ErrorSummary({ errors, title }: { errors: Record<string, string>; title: string }) {
  const entries = Object.entries(errors)
  if (!entries.length) return null
  return (
    <div class="alert" role="alert" tabindex={-1} id="erreurs" autofocus>
      <h2>{title}</h2>
      <ul>{entries.map(([f, m]) => <li><a href={`#f-${f}`}>{m}</a></li>)}</ul>
    </div>
  )
}

/** Audit entries, most recent first: who did what, on which object, before and after. */
export function AuditTable({ entries }: { entries: Awaited<ReturnType<AuditLog['list']>> }) {
  return (
    <table>
      <thead><tr><th scope="col">Quand</th><th scope="col">Qui</th><th scope="col">Action</th><th scope="col">Objet</th><th scope="col">Avant</th><th scope="col">Après</th></tr></thead>
      <tbody>{entries.map((e) => <tr><td>{e.at}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td><td><Json value={e.before} /></td><td><Json value={e.after} /></td></tr>)}</tbody>
    </table>
  )
}
