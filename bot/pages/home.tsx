/** @jsxImportSource hono/jsx */
// The home page: a French form where a person tries matching (commune, type, themes, free
// text) and reads the results. Server-rendered, works without JavaScript; own neutral look.
import { raw } from 'hono/html'
import { APPLICANT_TYPES } from '../../core/applicants.ts'
import { CALENDAR_STATUS_LABELS } from '../../core/calendar.ts'
import { formatDay } from '../../core/french.ts'
import type { MatchItem, MatchResponse } from '../../content/matching.ts'
import { peersOf, type PeerList } from '../../content/peers/peers.ts'
import { LEVEL_LABELS } from '../../core/programme.ts'
import { THEMES, type ThemeId } from '../../core/themes.ts'
import { profileLabel as describe } from '../../core/geography/geography.ts'
import { formatInt } from '../../core/french.ts'
import { LegalLinks } from './legal-links.tsx'

export interface HomeProps {
  values: Record<string, string>
  outcome?: { kind: 'results'; response: MatchResponse } | { kind: 'error'; message: string }
  today: string
}

const CSS = `
:root{--g-bg:#f7f7f5;--g-surface:#fff;--g-text:#1d1d1f;--g-muted:#55555a;--g-accent:#0b5c6b;--g-accent-text:#fff;--g-ok:#1c6b33;--g-warn:#8a5300;--g-bad:#a1261b;--g-border:#d6d6d2;--g-radius:10px;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
*{box-sizing:border-box}body{margin:0;background:var(--g-bg);color:var(--g-text);line-height:1.5}
header,main,footer{max-width:980px;margin:0 auto;padding:1rem}
header h1{margin:.2rem 0;font-size:1.8rem;color:var(--g-accent)}header p{margin:0;color:var(--g-muted)}
form{background:var(--g-surface);border:1px solid var(--g-border);border-radius:var(--g-radius);padding:1rem;display:grid;gap:.8rem}
.row{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.8rem}
label{font-weight:600;display:block;margin-bottom:.2rem}input[type=text],select,textarea{width:100%;padding:.55rem;border:1px solid #8b8b86;border-radius:6px;font:inherit;background:#fff;color:inherit}
fieldset{border:1px solid var(--g-border);border-radius:6px;padding:.5rem .8rem}legend{font-weight:600;padding:0 .3rem}
.themes{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:.1rem .8rem;font-size:.95rem}.themes label{font-weight:400;display:flex;gap:.4rem;align-items:flex-start;margin:0}
button{background:var(--g-accent);color:var(--g-accent-text);border:0;border-radius:6px;padding:.7rem 1.2rem;font:inherit;font-weight:600;cursor:pointer;justify-self:start}
button:focus-visible,input:focus-visible,select:focus-visible,a:focus-visible{outline:3px solid #f2a900;outline-offset:2px}
.hint{color:var(--g-muted);font-size:.9rem;margin:.1rem 0 0}
.alert{border-left:5px solid var(--g-bad);background:#fff;padding:.8rem 1rem;border-radius:6px}
.profile{background:var(--g-surface);border:1px solid var(--g-border);border-radius:var(--g-radius);padding:.8rem 1rem;margin:1rem 0}
ol.cards{list-style:none;padding:0;display:grid;gap:.8rem}
.card{background:var(--g-surface);border:1px solid var(--g-border);border-radius:var(--g-radius);padding:1rem}
.card h3{margin:0 0 .2rem;font-size:1.15rem}.card .meta{color:var(--g-muted);font-size:.92rem;margin:0 0 .5rem}
.badge{display:inline-block;border-radius:999px;padding:.05rem .6rem;font-size:.85rem;font-weight:600;margin-right:.4rem;border:1px solid currentColor}
.eligible{color:var(--g-ok)}.unknown{color:var(--g-warn)}.ineligible{color:var(--g-bad)}
.card ul{margin:.3rem 0;padding-left:1.2rem}.check li{color:var(--g-warn)}
details{margin-top:1rem}summary{cursor:pointer;font-weight:600}
footer{color:var(--g-muted);font-size:.85rem}
a{color:var(--g-accent)}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.4rem .8rem;z-index:1}
`

export function renderHome({ values, outcome, today }: HomeProps) {
  const chosenThemes = new Set((values.themes ?? '').split(',').filter(Boolean))
  return '<!doctype html>' + (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Guichet — les financements pour votre collectivité</title>
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <style>{raw(CSS)}</style>
      </head>
      <body>
        <a class="skip" href="#contenu">Aller au contenu</a>
        <header>
          <h1>Guichet</h1>
          <p>Le guichet unique des financements pour les communes, intercommunalités, départements et régions : qui finance quoi, pour qui, et jusqu'à quand.</p>
        </header>
        <main id="contenu" tabindex={-1}>
          <form method="get" action="/#resultats" aria-labelledby="form-title">
            <h2 id="form-title" style="margin:0;font-size:1.2rem">Trouver les financements d'un projet</h2>
            <div class="row">
              <div>
                <label for="commune">Votre commune</label>
                <input type="text" id="commune" name="commune" value={values.commune ?? ''} placeholder="Saint-Amand-Montrond, 18197 ou 18200" autocomplete="off" aria-describedby="commune-hint" />
                <p class="hint" id="commune-hint">Nom, code INSEE ou code postal. Pour un homonyme, ajoutez le département : « Saint-Denis (974) ».</p>
              </div>
              <div>
                <label for="applicant">Qui porte le projet ?</label>
                <select id="applicant" name="applicant">
                  <option value="">La commune elle-même</option>
                  {Object.entries(APPLICANT_TYPES).map(([id, t]) => (
                    <option value={id} selected={values.applicant === id}>{t.label}</option>
                  ))}
                </select>
              </div>
            </div>
            <div>
              <label for="q">Votre projet, en quelques mots</label>
              <input type="text" id="q" name="q" value={values.q ?? ''} placeholder="rénovation énergétique de l'école, éclairage public en LED…" maxlength={500} />
            </div>
            <div class="row">
              <div>
                <label for="budget">Budget du projet, en euros (facultatif)</label>
                <input type="text" inputmode="numeric" id="budget" name="budget" value={values.budget ?? ''} placeholder="250000" aria-describedby="budget-hint" />
                <p class="hint" id="budget-hint">Certains programmes ne financent que des projets d'une certaine taille.</p>
              </div>
              <div>
                <label for="population">Population du porteur, s'il n'est pas la commune (facultatif)</label>
                <input type="text" inputmode="numeric" id="population" name="population" value={values.population ?? ''} placeholder="ex. 25000 pour un syndicat" />
              </div>
            </div>
            <fieldset>
              <legend>Thèmes (facultatif)</legend>
              <div class="themes">
                {(Object.keys(THEMES) as ThemeId[]).map((id) => (
                  <label><input type="checkbox" name="themes" value={id} checked={chosenThemes.has(id)} /> {THEMES[id].label}</label>
                ))}
              </div>
            </fieldset>
            <button type="submit">Voir les financements</button>
          </form>
          {outcome?.kind === 'error' && (
            <p class="alert" role="alert" id="resultats" tabindex={-1} autofocus>{outcome.message}</p>
          )}
          {outcome?.kind === 'results' && <Results response={outcome.response} />}
        </main>
        <footer>
          <p>Situation au {formatDay(today)}. Les conditions « à vérifier » et les dates marquées comme estimées doivent être confirmées auprès du financeur. API : <a href="/api/openapi.json">/api/openapi.json</a>.</p>
          <LegalLinks />
        </footer>
      </body>
    </html>
  )
}

/** After a search the results take the focus (autofocus), and the page scrolls to them (the form's action ends in #resultats). */
function Results({ response }: { response: MatchResponse }) {
  const p = response.profile
  const eligible = response.results.filter((r) => r.eligibility.status === 'eligible')
  const unknown = response.results.filter((r) => r.eligibility.status === 'unknown')
  return (
    <section aria-labelledby="results-title" id="resultats" tabindex={-1} autofocus>
      {p && (
        <div class="profile">
          <strong>{describe(p)}</strong>
          {p.population !== undefined && <> — {formatInt(p.population)} habitants</>}
          {p.region && <> — {p.region.name}</>}
          {p.epci && p.type === 'commune' && <> — {p.epci.name}</>}
        </div>
      )}
      <h2 id="results-title">{response.totals.results === 0 ? 'Aucun programme ne correspond' : `${response.totals.results} programme${response.totals.results > 1 ? 's' : ''} pour ce projet`}</h2>
      {eligible.length > 0 && <><h3>Éligibles</h3><Cards items={eligible} /></>}
      {unknown.length > 0 && <><h3>À confirmer</h3><Cards items={unknown} /></>}
      {response.excluded.length > 0 && (
        <details>
          <summary>Programmes écartés ({response.totals.excluded}{response.totals.excludedComplete ? '' : '+'})</summary>
          <ul>
            {response.excluded.map((e) => (
              <li><strong>{e.name}</strong> : {e.reasons.join(' ; ')}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}

function Cards({ items }: { items: MatchItem[] }) {
  return (
    <ol class="cards">
      {items.map((r) => (
        <li class="card">
          <h4 style="margin:0;font-size:1.1rem">{r.name}</h4>
          <p class="meta">
            <span class={`badge ${r.eligibility.status}`}>{r.eligibility.status === 'eligible' ? 'Éligible' : 'À confirmer'}</span>
            <span class="badge">{CALENDAR_STATUS_LABELS[r.calendar.status]}</span>
            {r.funders.join(', ')} · {LEVEL_LABELS[r.level]}
          </p>
          <p style="margin:.2rem 0 .5rem">{r.summary}</p>
          <p style="margin:.2rem 0"><strong>Calendrier :</strong> {r.calendar.label}</p>
          {r.aid.label && <p style="margin:.2rem 0"><strong>Aide :</strong> {r.aid.label}</p>}
          <p style="margin:.2rem 0"><strong>Pourquoi :</strong></p>
          <ul>{r.eligibility.reasons.map((x) => <li>{x}</li>)}</ul>
          {r.eligibility.questions.length > 0 && (
            <>
              <p style="margin:.2rem 0"><strong>Pour confirmer :</strong></p>
              <ul>{r.eligibility.questions.map((q) => <li>{q.question}</li>)}</ul>
            </>
          )}
          {r.eligibility.toCheck.length > 0 && (
            <>
              <p style="margin:.2rem 0"><strong>À vérifier :</strong></p>
              <ul class="check">{r.eligibility.toCheck.map((x) => <li>{x}</li>)}</ul>
            </>
          )}
          <Peers list={peersOf(r)} />
          <p style="margin:.2rem 0"><a href={r.url} rel="noopener">Page officielle<span class="visually-hidden"> : {r.name}</span></a></p>
        </li>
      ))}
    </ol>
  )
}

/** Fonds vert 2023 projects of comparable communes (content/peers), with amounts: examples, never eligibility. */
function Peers({ list }: { list: PeerList | undefined }) {
  if (!list?.projects.length) return null
  return (
    <details class="peers">
      <summary>{list.title}</summary>
      <ul>{list.projects.map((p) => <li>{p.commune ?? `Département ${p.departement}`} — {p.project} : <strong>{p.amount}</strong></li>)}</ul>
      <p class="meta">Source : {list.source}. Des exemples, pas un critère d’éligibilité.</p>
    </details>
  )
}
