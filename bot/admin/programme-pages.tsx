/** @jsxImportSource hono/jsx */
// The programme pages of the admin desk: the filtered listing, a programme's page (notices, state,
// provenance, the edit form, the bot's preview, its examples replayed, merging, the values by
// origin, its history) and the creation form. Rendering only: programmes-admin.tsx reads the
// requests and programme-desk.ts the data.
import { CALENDAR_STATUSES, CALENDAR_STATUS_LABELS } from '../../core/calendar.ts'
import { AVAILABILITY_LABELS, type Availability } from '../../core/availability.ts'
import type { Matcher } from '../../content/matching.ts'
import { LEVELS, LEVEL_LABELS, type Programme, type RuleName } from '../../core/programme.ts'
import { THEMES } from '../../core/themes.ts'
import { sourceOf, versionOf, type ProgrammeDesk, type ProgrammeDetail } from './programme-desk.ts'
import type { Account, AuditEntry, OverridePatch } from './ports.ts'
import { programmeToForm, type FormValues } from './programme-form-map.ts'
import { ProgrammeFields } from './programme-form.tsx'
import { AuditTable, ErrorSummary, Field, Json, Layout } from './views.tsx'

/** Who looks at a page: the session's account and its CSRF token. */
export interface Viewer { account: Account; csrf: string }

/** A form that failed or is previewed: the values as typed, their errors, a conflict or the preview flag. */
export interface FailedForm { values: FormValues; errors: Record<string, string>; conflict?: string; previewing?: boolean }

type Listing = Awaited<ReturnType<ProgrammeDesk['listingPage']>>

/** The programmes, filtered (the filters as a GET form), one page of them, and links to the others. */
export function ProgrammeListPage({ viewer, query, listing, sources }: { viewer: Viewer; query: Record<string, string>; listing: Listing; sources: string[] }) {
  const { programmes: rows, total, page, perPage } = listing
  const pages = Math.max(1, Math.ceil(total / perPage))
  const pageLink = (n: number) => `/admin?${new URLSearchParams({ ...query, page: String(n) }).toString()}`
  return (
    <Layout title="Programmes" account={viewer.account} csrf={viewer.csrf}>
      <form method="get" action="/admin" class="filters" role="search" aria-label="Filtrer les programmes">
        <div><label for="q">Rechercher</label><input id="q" name="q" type="search" value={query['q'] ?? ''} /></div>
        <div><label for="source">Source</label><select id="source" name="source"><option value="">Toutes</option>{sources.map((s) => <option value={s} selected={query['source'] === s}>{s}</option>)}</select></div>
        <div><label for="level">Niveau</label><select id="level" name="level"><option value="">Tous</option>{LEVELS.map((l) => <option value={l} selected={query['level'] === l}>{LEVEL_LABELS[l]}</option>)}</select></div>
        <div><label for="status">Calendrier</label><select id="status" name="status"><option value="">Tous</option>{CALENDAR_STATUSES.map((s) => <option value={s} selected={query['status'] === s}>{CALENDAR_STATUS_LABELS[s]}</option>)}</select></div>
        <div><label><input type="checkbox" name="stale" value="1" checked={!!query['stale']} /> Périmés</label></div>
        <div><label><input type="checkbox" name="expired" value="1" checked={!!query['expired']} /> Clos ou terminés</label></div>
        <div><label><input type="checkbox" name="crawlErrors" value="1" checked={!!query['crawlErrors']} /> Erreurs de collecte</label></div>
        <div><label><input type="checkbox" name="unverified" value="1" checked={!!query['unverified']} /> Non vérifiés</label></div>
        <div><label for="hidden">Masqués</label><select id="hidden" name="hidden"><option value="">Tous</option><option value="1" selected={query['hidden'] === '1'}>Masqués</option><option value="0" selected={query['hidden'] === '0'}>Publiés</option></select></div>
        <div><button type="submit">Filtrer</button></div>
      </form>
      <p role="status">{total} programme(s){pages > 1 ? ` — page ${page} sur ${pages}` : ''} · <a href="/admin/nouveau-programme">Créer un programme</a></p>
      <table>
        <caption class="sr">Programmes</caption>
        <thead><tr><th scope="col">Programme</th><th scope="col">Source</th><th scope="col">Niveau</th><th scope="col">Calendrier</th><th scope="col">État</th></tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td><a href={`/admin/programmes/${encodeURIComponent(r.id)}`}>{r.name}</a><br /><small>{r.id}</small></td>
              <td>{r.source}</td><td>{LEVEL_LABELS[r.level]}</td><td>{CALENDAR_STATUS_LABELS[r.status]}{r.closesAt ? ` — clôture ${r.closesAt}` : ''}</td>
              <td>{[r.mergedInto ? `fusionné dans ${r.mergedInto}` : r.hidden ? 'masqué' : 'publié', r.overridden ? 'modifié' : '', r.stale ? 'périmé' : '', r.expired ? 'clos' : '', r.crawlErrors ? `${r.crawlErrors} erreur(s) de collecte` : '', r.verifiedAt ? `vérifié le ${r.verifiedAt}` : 'non vérifié'].filter(Boolean).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 ? (
        <nav aria-label="Pages de résultats" class="filters">
          {page > 1 ? <a href={pageLink(page - 1)} rel="prev">Page précédente</a> : null}
          <span>Page {page} sur {pages}</span>
          {page < pages ? <a href={pageLink(page + 1)} rel="next">Page suivante</a> : null}
        </nav>
      ) : null}
    </Layout>
  )
}

/** A programme's page; `failed` re-renders a refused or previewed edit with what was typed. */
export function ProgrammePage({ viewer, saved, d, failed, mergeErrors = {}, history }: { viewer: Viewer; saved: boolean; d: ProgrammeDetail; failed?: FailedForm | undefined; mergeErrors?: Record<string, string>; history: AuditEntry[] }) {
  const { csrf } = viewer
  const e = failed?.errors ?? {}
  return (
    <Layout title={d.effective.name} account={viewer.account} csrf={csrf}>
      {saved ? <p class="ok" role="status">Modification enregistrée.</p> : null}
      <ErrorSummary errors={{ ...e, ...mergeErrors }} title={failed ? "La fiche n'a pas été enregistrée" : 'La fusion n\'a pas été faite'} />
      <ProgrammeNotices d={d} failed={failed} csrf={csrf} />
      <ProgrammeState d={d} failed={failed} csrf={csrf} />

      <ProvenanceSection d={d} />

      <h2>Modifier</h2>
      <EditForm d={d} failed={failed} csrf={csrf} />

      <h2 id="apercu">{failed?.previewing ? 'Aperçu dans le bot (non enregistré)' : 'Aperçu dans le bot'}</h2>
      <ProgrammePreview item={d.preview} availability={d.availability} today={d.today} />

      <h2 id="exemples">{failed?.previewing ? 'Exemples rejoués sur la fiche modifiée (non enregistrée)' : 'Exemples rejoués'}</h2>
      <ExamplesTable runs={d.examples} coverage={d.coverage} />

      {d.mergedInto ? null : (
        <>
          <h2>Fusionner un doublon</h2>
          <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/merge`} class="card" novalidate>
            <input type="hidden" name="_csrf" value={csrf} />
            <p>Cette fiche sera retirée du catalogue ; ses sources restent attachées au programme conservé, et son adresse redirige vers lui.</p>
            <Field name="into" label="Identifiant du programme à conserver" value="" error={mergeErrors['into'] ?? mergeErrors['id']} />
            <button type="submit" class="secondary">Fusionner dans ce programme</button>
          </form>
          {d.duplicates.length ? (
            <>
              <h3>Doublons possibles</h3>
              <table><thead><tr><th scope="col">Programme</th><th scope="col">Indices</th><th scope="col">Actions</th></tr></thead>
                <tbody>{d.duplicates.map((x) => (
                  <tr><td><a href={`/admin/programmes/${encodeURIComponent(x.id)}`}>{x.name}</a><br /><small>{x.id}</small></td><td>{x.why.join(' ; ')}</td>
                    <td>
                      <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/merge`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="into" value={x.id} /><button type="submit" class="secondary" aria-label={`Fusionner cette fiche dans ${x.id}`}>Fusionner cette fiche dans celle-ci</button></form>
                      <form method="post" action={`/admin/programmes/${encodeURIComponent(x.id)}/merge`} style="display:inline"><input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="into" value={d.id} /><button type="submit" class="secondary" aria-label={`Fusionner ${x.id} dans cette fiche`}>Fusionner celle-ci dans cette fiche</button></form>
                    </td></tr>
                ))}</tbody></table>
            </>
          ) : null}
        </>
      )}

      <ValuesByOrigin d={d} />

      <h2>Historique</h2>
      <AuditTable entries={history} />
    </Layout>
  )
}

/** The preview and conflict notices, and the merged-into banner with its undo. */
function ProgrammeNotices({ d, failed, csrf }: { d: ProgrammeDetail; failed?: FailedForm | undefined; csrf: string }) {
  return (
    <>
      {failed?.previewing ? <p class="ok" role="status">Aperçu des modifications ci-dessous : <strong>rien n'est encore enregistré</strong>. <a href="#apercu">Voir l'aperçu</a></p> : null}
      {failed?.conflict ? (
        <div class="alert" role="alert" tabindex={-1} id="erreurs" autofocus>
          <h2>La fiche n'a pas été enregistrée</h2>
          <p>{failed.conflict}</p>
          <p>Vos saisies sont conservées ci-dessous ; la colonne « Valeur publiée » montre la version enregistrée. <a href={`/admin/programmes/${encodeURIComponent(d.id)}`}>Recharger la fiche</a> pour repartir de celle-ci.</p>
        </div>
      ) : null}
      {d.mergedInto ? (
        <div class="alert" role="note">
          <p>Cette fiche est <strong>fusionnée dans <a href={`/admin/programmes/${encodeURIComponent(d.mergedInto)}`}>{d.mergedInto}</a></strong> : elle n'est plus publiée et son adresse publique redirige vers ce programme.</p>
          <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/unmerge`}><input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary">Annuler la fusion</button></form>
        </div>
      ) : null}
    </>
  )
}

/** Identity, origin, publication and verification, the availability today, and the hide / verify buttons. */
function ProgrammeState({ d, failed, csrf }: { d: ProgrammeDetail; failed?: FailedForm | undefined; csrf: string }) {
  return (
    <>
      <p>Identifiant <code>{d.id}</code> · origine {d.origin === 'file' ? 'fichier curé' : d.origin === 'back-office' ? 'créé dans l\'administration' : `collecte (${sourceOf(d.base)})`} · {d.override?.hidden ? 'masqué' : 'publié'} · {d.override?.verifiedAt ? `vérifié par ${d.override.verifiedBy} le ${d.override.verifiedAt.slice(0, 10)}` : d.effective.verifiedAt ? `vérifié le ${d.effective.verifiedAt}` : 'non vérifié'}
        {' '}· <a href={`/api/admin/export/programmes/${encodeURIComponent(d.id)}.yaml`}>Télécharger le YAML</a></p>
      <p id="disponibilite"><strong>Calendrier :</strong> {d.preview.calendar.label} · <AvailabilityLine a={d.availability} today={d.today} unsaved={!!failed?.previewing} /></p>
      <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/hide`} style="display:inline">
        <input type="hidden" name="_csrf" value={csrf} /><input type="hidden" name="hidden" value={d.override?.hidden ? '0' : '1'} />
        <button type="submit" class="secondary">{d.override?.hidden ? 'Republier' : 'Masquer (dépublier)'}</button>
      </form>
      <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}/verify`} style="display:inline">
        <input type="hidden" name="_csrf" value={csrf} /><button type="submit" class="secondary">Marquer comme vérifié</button>
      </form>
    </>
  )
}

/** Where the programme comes from (every source and merged fiche), and the latest crawl's errors on it. */
function ProvenanceSection({ d }: { d: ProgrammeDetail }) {
  const prov = d.base.provenance
  return (
    <>
      <h2>Provenance</h2>
      <ul>
        <li>{prov.kind === 'curated' ? <>Sources citées : {prov.sources.map((u, i) => <>{i ? ', ' : ''}<a href={u} rel="noopener noreferrer">{u}</a></>)}</> : <>Collecté sur « {prov.sourceId} » : <a href={prov.originUrl} rel="noopener noreferrer">{prov.originUrl}</a>, lu le {prov.fetchedAt}</>}</li>
        {d.crawled.map((r) => <li>Vu aussi sur « {r.sourceId} »{r.via !== d.id ? ` (via ${r.via})` : ''} : <a href={r.programme.provenance.kind === 'crawled' ? r.programme.provenance.originUrl : r.programme.links.official} rel="noopener noreferrer">{r.programme.provenance.kind === 'crawled' ? r.programme.provenance.originUrl : r.programme.links.official}</a> — dernière lecture le {r.lastSeen.slice(0, 10)}{r.stale ? ' (source en échec : périmé ?)' : ''}</li>)}
        {d.merged.map((m) => <li>Fiche fusionnée <a href={`/admin/programmes/${encodeURIComponent(m.id)}`}>{m.id}</a>{m.programme ? <> — {m.programme.provenance.kind === 'curated' ? `sources : ${m.programme.provenance.sources.join(', ')}` : `collectée sur « ${m.programme.provenance.sourceId} » : ${m.programme.provenance.originUrl}`}</> : null}</li>)}
      </ul>
      {d.crawlErrors.length ? (
        <>
          <h3>Erreurs de la dernière collecte</h3>
          <table><thead><tr><th scope="col">Source</th><th scope="col">Champ</th><th scope="col">Erreur</th><th scope="col">Valeur brute</th></tr></thead>
            <tbody>{d.crawlErrors.map((x) => <tr><td>{x.sourceId}<br /><small>{x.at}</small></td><td>{x.field}</td><td>{x.message}</td><td><pre>{x.raw || '—'}</pre></td></tr>)}</tbody></table>
        </>
      ) : null}
    </>
  )
}

/** The edit form, carrying the override version it started from. */
function EditForm({ d, failed, csrf }: { d: ProgrammeDetail; failed?: FailedForm | undefined; csrf: string }) {
  const v = failed?.values ?? programmeToForm(d.effective)
  const e = failed?.errors ?? {}
  return (
    <form method="post" action={`/admin/programmes/${encodeURIComponent(d.id)}`} class="card" novalidate>
      <input type="hidden" name="_csrf" value={csrf} />
      <input type="hidden" name="_version" value={failed?.conflict ? versionOf(d.override ?? undefined) : (typeof failed?.values['_version'] === 'string' ? failed.values['_version'] : versionOf(d.override ?? undefined))} />
      <ProgrammeFields v={v} e={e} />
      <button type="submit">Enregistrer</button>
      <button type="submit" name="_action" value="preview" class="secondary">Prévisualiser sans enregistrer</button>
    </form>
  )
}

const FIELDS = ['name', 'shortName', 'funders', 'level', 'instruments', 'summary', 'themes', 'keywords', 'eligibility', 'aid', 'calendar', 'adopted', 'suspension', 'links', 'uncertain', 'statusNote', 'examples'] as const

/** Each field in every layer: curated file, admin change, crawl, and the value served. */
function ValuesByOrigin({ d }: { d: ProgrammeDetail }) {
  return (
    <>
      <h2>Valeurs par origine</h2>
      <table>
        <thead><tr><th scope="col">Champ</th><th scope="col">Fichier curé</th><th scope="col">Modification admin</th><th scope="col">Collecte</th><th scope="col">Valeur publiée</th></tr></thead>
        <tbody>
          {FIELDS.map((f) => (
            <tr>
              <th scope="row">{f}</th>
              <td><Json value={d.curated?.[f]} /></td>
              <td><Json value={d.override?.patch[f as keyof OverridePatch]} /></td>
              <td>{d.crawled.length ? d.crawled.map((r) => <div><small>{r.sourceId} (lu le {r.lastSeen.slice(0, 10)}{r.stale ? ', périmé' : ''})</small><Json value={r.programme[f]} /></div>) : '—'}</td>
              <td><Json value={d.effective[f]} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  )
}

/** The creation form (an id, then every field of the programme form). */
export function NewProgrammePage({ viewer, v, e }: { viewer: Viewer; v: FormValues; e: Record<string, string> }) {
  const { csrf } = viewer
  return (
    <Layout title="Nouveau programme" account={viewer.account} csrf={csrf}>
      <p>Le programme est enregistré comme fiche curée (exportable en YAML) et publié dès sa création. N'inventez rien : chaque fait doit venir de la page officielle.</p>
      <ErrorSummary errors={e} title="Le programme n'a pas été créé" />
      <form method="post" action="/admin/nouveau-programme" class="card" novalidate>
        <input type="hidden" name="_csrf" value={csrf} />
        <ProgrammeFields v={v} e={e} withId />
        <button type="submit">Créer le programme</button>
      </form>
    </Layout>
  )
}

/** The starting point of the creation form (only defaults; every fact comes from the editor). */
export const BLANK: Programme = {
  id: 'nouveau', name: '-', funders: ['-'], level: 'national', instruments: ['grant'], summary: '-', themes: ['equipements_publics'], keywords: [],
  eligibility: { applicants: ['commune'], population: [], excludedClosedLists: [], conditions: [], admitted: [], prerequisites: [] },
  aid: {}, calendar: { kind: 'permanent', editions: [] }, adopted: true, examples: [], links: { official: 'https://exemple.invalid/' }, provenance: { kind: 'curated', sources: ['https://exemple.invalid/'] }, uncertain: [],
}

const RULE_LABELS: Record<RuleName, string> = {
  availability: 'disponibilité', applicant: 'type de porteur', epciKind: 'catégorie d\'EPCI', syndicatKind: 'type de syndicat', territory: 'territoire',
  population: 'population', closedList: 'liste fermée', partnerCountry: 'pays partenaire', partners: 'partenariat', stage: 'étape du projet',
  scope: 'champ du projet', budget: 'coût du projet', prerequisite: 'prérequis',
}
const EXPECT_LABELS = { eligible: 'éligible', unknown: 'à confirmer', ineligible: 'écarté' } as const

/** The availability on the server's today, in French (a partial suspension names its themes and what holds otherwise). */
function AvailabilityLine({ a, today, unsaved = false }: { a: Availability; today: string; unsaved?: boolean }) {
  return (
    <span><strong>Disponibilité au {today}{unsaved ? ' (fiche modifiée)' : ''} :</strong> {AVAILABILITY_LABELS[a.status]} — {a.text}
      {a.onlyFor ? <> (seulement pour : {a.onlyFor.map((t) => THEMES[t].label).join(', ')} ; sinon : {AVAILABILITY_LABELS[a.otherwise!.status]} — {a.otherwise!.text})</> : null}
    </span>
  )
}

/** A programme's examples replayed through the evaluator, with whether each holds, and the rules its examples leave uncovered. */
function ExamplesTable({ runs, coverage: cov }: { runs: { about: string; date: string; expect: 'eligible' | 'unknown' | 'ineligible'; rule: RuleName | null; status: 'eligible' | 'unknown' | 'ineligible' | null; ok: boolean; problem: string | null }[]; coverage: { rule: RuleName; positive: boolean; negative: boolean }[] }) {
  const failing = runs.filter((r) => !r.ok).length
  const noPass = cov.filter((x) => !x.positive).map((x) => RULE_LABELS[x.rule])
  const noFail = cov.filter((x) => !x.negative).map((x) => RULE_LABELS[x.rule])
  return (
    <>
      <p role="status">{runs.length ? `${runs.length} exemple(s) : ${runs.length - failing} tiennent, ${failing} ne tiennent pas.` : 'Aucun exemple : ajoutez-en dans le champ « Exemples (YAML) ».'}</p>
      {runs.length ? (
        <table>
          <caption class="sr">Exemples du programme</caption>
          <thead><tr><th scope="col">Cas</th><th scope="col">Date</th><th scope="col">Attendu</th><th scope="col">Obtenu</th><th scope="col">Résultat</th></tr></thead>
          <tbody>{runs.map((r) => (
            <tr class={r.ok ? undefined : 'diff-del'}>
              <td>{r.about}</td><td>{r.date}</td>
              <td>{EXPECT_LABELS[r.expect]}{r.rule ? ` (règle : ${RULE_LABELS[r.rule]})` : ''}</td>
              <td>{r.status ? EXPECT_LABELS[r.status] : '—'}</td>
              <td>{r.ok ? 'tient' : <strong class="error">ne tient pas : {r.problem}</strong>}</td>
            </tr>
          ))}</tbody>
        </table>
      ) : null}
      <h3>Couverture des règles</h3>
      {cov.length && !noPass.length && !noFail.length ? <p>Chaque règle décidable a un exemple qui la passe et un exemple qu'elle écarte.</p> : (
        <ul>
          <li>Règles sans exemple qui les passe : {noPass.length ? noPass.join(', ') : 'aucune'}</li>
          <li>Règles sans exemple écarté par elles : {noFail.length ? noFail.join(', ') : 'aucune'}</li>
        </ul>
      )}
    </>
  )
}

/** The programme as the widget and Teams show it in a result list (without a collectivité's profile). */
function ProgrammePreview({ item, availability: a, today }: { item: ReturnType<Matcher['present']>; availability: Availability; today: string }) {
  const cal = item.calendar
  return (
    <div class="card" aria-label="Aperçu">
      <h3>{item.shortName && !item.name.includes(item.shortName) ? `${item.name} (${item.shortName})` : item.name}</h3>
      <p class="hint">{item.funders.join(', ')} · {LEVEL_LABELS[item.level]}</p>
      <p>{item.summary}</p>
      <p><strong>Calendrier :</strong> {cal.label}{cal.daysLeft !== undefined && cal.status === 'open' ? ` (J-${cal.daysLeft})` : ''}{cal.estimated ? ' — estimation, à confirmer' : ''}</p>
      <p><AvailabilityLine a={a} today={today} /></p>
      <p><strong>Aide :</strong> {item.aid.label ?? 'non précisée'}{item.aid.uncertain ? ' (à confirmer)' : ''}</p>
      {item.eligibility.toCheck.length ? <ul>{item.eligibility.toCheck.map((t) => <li>À vérifier : {t}</li>)}</ul> : null}
      {item.uncertain.length ? <ul>{item.uncertain.map((u) => <li>Incertain ({u.field}) : {u.note}</li>)}</ul> : null}
      <p><a href={item.url} rel="noopener noreferrer">Page officielle</a>{item.applyUrl ? <> · <a href={item.applyUrl} rel="noopener noreferrer">Déposer un dossier</a></> : null}</p>
    </div>
  )
}

/** The creation form's first values: the blank programme's defaults, no fact filled in. */
export const blankForm = (): FormValues => ({ ...programmeToForm(BLANK), name: '', summary: '', funders: '', official: '', themes: [], applicants: [], instruments: ['grant'], id: '' })
