/** @jsxImportSource hono/jsx */
// The programme form of the back office: every overridable field of the Programme schema, the
// eligibility rules included (publics, admitted statuses, stages, territory, population
// thresholds, closed lists, partner country, partners, scope, location, budget, prerequisites),
// the availability facts (calendar cycle, last edition, adoption, suspension) and the examples,
// as labelled inputs. The form maps to Programme fields and back; the schema then validates the
// result and each error is shown next to the input that edits its path. Lists of structured
// entries (admitted collectivités, examples) are edited as YAML. The markup is here; the mapping
// between a Programme and the form's values is programme-form-map.ts.
import { APPLICANT_TYPES, APPLICANT_TYPE_IDS, EPCI_KINDS, SYNDICAT_KINDS, SYNDICAT_KIND_LABELS, ZONES, ZONE_LABELS } from '../../core/applicants.ts'
import { CLOSED_LISTS, CLOSED_LIST_IDS } from '../../core/closed-lists.ts'
import { PREREQUISITES, PREREQUISITE_IDS } from '../../core/prerequisites.ts'
import { CALENDAR_KINDS, INSTRUMENTS, INSTRUMENT_LABELS, LEVELS, LEVEL_LABELS, STAGES, STAGE_LABELS } from '../../core/programme.ts'
import { THEMES, THEME_IDS } from '../../core/themes.ts'
import { Field } from './views.tsx'
import { arr, populationRowCount, str, type FormValues } from './programme-form-map.ts'

const UNCERTAIN_FIELDS = ['eligibility', 'population', 'territory', 'aid', 'calendar', 'links', 'existence', 'partnerCountry'] as const
const CALENDAR_KIND_LABELS: Record<(typeof CALENDAR_KINDS)[number], string> = { permanent: 'guichet permanent', oneOff: 'appel unique', recurring: 'appel récurrent', ended: 'programme terminé' }
const CYCLE_LABELS = { annual: 'annuel (une édition attendue chaque cycle)', irregular: 'irrégulier (rien n\'est attendu avant une annonce)' } as const
const LOCATION_LABELS = { france: 'en France (un partenariat européen compte comme tel)', abroad: 'à l\'étranger, chez le partenaire' } as const

/** A group of checkboxes in a fieldset, its error linked from the fieldset. */
function Checks({ name, legend, options, values, error, hint }: { name: string; legend: string; options: readonly { value: string; label: string }[]; values: string[]; error?: string | undefined; hint?: string }) {
  const id = `f-${name}`
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <fieldset id={id} tabindex={-1} aria-describedby={described} aria-invalid={error ? 'true' : undefined}>
      <legend>{legend}</legend>
      {hint ? <p id={`${id}-hint`} class="hint">{hint}</p> : null}
      <div class="checks">
        {options.map((o, i) => (
          <label class="check"><input type="checkbox" id={`${id}-${i}`} name={name} value={o.value} checked={values.includes(o.value)} /> {o.label}</label>
        ))}
      </div>
      {error ? <p id={`${id}-error`} class="error">{error}</p> : null}
    </fieldset>
  )
}

function Select({ name, label, options, value, error, empty }: { name: string; label: string; options: readonly { value: string; label: string }[]; value: string; error?: string | undefined; empty?: string }) {
  const id = `f-${name}`
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {empty !== undefined ? <option value="">{empty}</option> : null}
        {options.map((o) => <option value={o.value} selected={value === o.value}>{o.label}</option>)}
      </select>
      {error ? <p id={`${id}-error`} class="error">{error}</p> : null}
    </div>
  )
}

function Check({ name, label, checked, error }: { name: string; label: string; checked: boolean; error?: string | undefined }) {
  const id = `f-${name}`
  return (
    <div>
      <label class="check" for={id}><input type="checkbox" id={id} name={name} value="1" checked={checked} aria-describedby={error ? `${id}-error` : undefined} /> {label}</label>
      {error ? <p id={`${id}-error`} class="error">{error}</p> : null}
    </div>
  )
}

const opts = <T extends string>(ids: readonly T[], label: (id: T) => string) => ids.map((id) => ({ value: id, label: label(id) }))

/** Every input of the programme form (the caller wraps it in a <form> with its CSRF token and button). */
// Over 80 lines: the inputs in page order, one line each, read as the page they make.
export function ProgrammeFields({ v, e, withId = false }: { v: FormValues; e: Record<string, string>; withId?: boolean }) {
  const s = (k: string) => str(v[k])
  const rows = Math.max(populationRowCount(v), 1)
  return (
    <>
      <fieldset><legend>Identité</legend>
        <div class="grid">
          {withId ? <Field name="id" label="Identifiant" hint="minuscules, chiffres, _ ou - ; ne change plus ensuite" value={s('id')} error={e['id']} /> : null}
          <Field name="name" label="Nom" value={s('name')} error={e['name']} />
          <Field name="shortName" label="Nom court" value={s('shortName')} error={e['shortName']} />
          <Select name="level" label="Niveau" value={s('level')} error={e['level']} options={opts(LEVELS, (l) => LEVEL_LABELS[l])} />
        </div>
        <Field name="funders" label="Financeurs" hint="un par ligne" value={s('funders')} error={e['funders']} multiline />
        <Checks name="instruments" legend="Instruments" values={arr(v['instruments'])} error={e['instruments']} options={opts(INSTRUMENTS, (i) => INSTRUMENT_LABELS[i])} />
        <Field name="summary" label="Résumé" value={s('summary')} error={e['summary']} multiline />
        <Checks name="themes" legend="Thèmes" values={arr(v['themes'])} error={e['themes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <Field name="keywords" label="Mots-clés" hint="séparés par des virgules" value={s('keywords')} error={e['keywords']} />
        <Field name="statusNote" label="Actualité du programme" value={s('statusNote')} error={e['statusNote']} />
      </fieldset>

      <fieldset><legend>Éligibilité</legend>
        <Checks name="applicants" legend="Porteurs admis" values={arr(v['applicants'])} error={e['applicants']} options={opts(APPLICANT_TYPE_IDS, (a) => APPLICANT_TYPES[a].label)} />
        <Checks name="epciKinds" legend="Catégories d'EPCI admises" hint="aucune case = toutes" values={arr(v['epciKinds'])} error={e['epciKinds']} options={opts(EPCI_KINDS, (k) => k)} />
        <Checks name="syndicatKinds" legend="Types de syndicats admis" hint="aucune case = tous" values={arr(v['syndicatKinds'])} error={e['syndicatKinds']} options={opts(SYNDICAT_KINDS, (k) => SYNDICAT_KIND_LABELS[k])} />
        <Field name="admitted" label="Collectivités admises en plus des types de porteurs (YAML)" multiline rows={5} value={s('admitted')} error={e['admitted']}
          hint="statuts particuliers, villes retenues : une entrée par collectivité, « - label: Collectivité de Corse » puis regions, departements, epcis (SIREN) ou communes (INSEE) entre guillemets, ex. « regions: ['94'] » ; vide = aucune" />
        <Checks name="stages" legend="Étapes financées" hint="aucune case = toutes" values={arr(v['stages'])} error={e['stages']} options={opts(STAGES, (st) => STAGE_LABELS[st])} />
        <h3>Territoire</h3>
        <div class="grid">
          <Field name="territoryLabel" label="Territoire (en clair)" hint="vide = partout" value={s('territoryLabel')} error={e['territoryLabel']} />
          <Field name="territoryRegions" label="Codes des régions admises" value={s('territoryRegions')} error={e['territoryRegions']} />
          <Field name="territoryDepartements" label="Codes des départements admis" value={s('territoryDepartements')} error={e['territoryDepartements']} />
          <Field name="territoryCommunes" label="Codes INSEE des communes admises" value={s('territoryCommunes')} error={e['territoryCommunes']} />
          <Field name="territoryEpcis" label="SIREN des intercommunalités admises" hint="avec les communes : l'une ou l'autre liste suffit" value={s('territoryEpcis')} error={e['territoryEpcis']} />
          <Field name="territoryExcludedRegions" label="Régions exclues" value={s('territoryExcludedRegions')} error={e['territoryExcludedRegions']} />
          <Field name="territoryExcludedDepartements" label="Départements exclus" value={s('territoryExcludedDepartements')} error={e['territoryExcludedDepartements']} />
        </div>
        <Checks name="territoryZones" legend="Zones admises" hint="aucune case = toutes" values={arr(v['territoryZones'])} error={e['territoryZones']} options={opts(ZONES, (z) => ZONE_LABELS[z])} />
        <Checks name="territoryExcludedEpciKinds" legend="Catégories d'EPCI exclues (« hors métropole »)" hint="une commune membre d'un tel EPCI, ou l'EPCI lui-même, est écartée" values={arr(v['territoryExcludedEpciKinds'])} error={e['territoryExcludedEpciKinds']} options={opts(EPCI_KINDS, (k) => k)} />
        <h3>Seuils de population</h3>
        <p class="hint">Une ligne par règle ; une ligne laissée vide n'est pas enregistrée. Porteurs : identifiants séparés par des virgules ({APPLICANT_TYPE_IDS.join(', ')}).</p>
        {Array.from({ length: rows }, (_, i) => (
          <div class="card" role="group" aria-label={`Seuil de population ${i + 1}`}>
            <div class="grid">
              <Field name={`pop.${i}.applicants`} label={`Règle ${i + 1} : porteurs`} value={s(`pop.${i}.applicants`)} error={e[`pop.${i}.applicants`]} />
              <Select name={`pop.${i}.zone`} label={`Règle ${i + 1} : zone`} value={s(`pop.${i}.zone`)} error={e[`pop.${i}.zone`]} empty="toutes" options={opts(ZONES, (z) => ZONE_LABELS[z])} />
              <Field name={`pop.${i}.min`} label={`Règle ${i + 1} : population minimale`} value={s(`pop.${i}.min`)} error={e[`pop.${i}.min`]} />
              <Field name={`pop.${i}.max`} label={`Règle ${i + 1} : population maximale`} value={s(`pop.${i}.max`)} error={e[`pop.${i}.max`]} />
              <Check name={`pop.${i}.maxExclusive`} label={`Règle ${i + 1} : plafond exclu (« moins de »)`} checked={s(`pop.${i}.maxExclusive`) === '1'} error={e[`pop.${i}.maxExclusive`]} />
              <Field name={`pop.${i}.conditionalAbove`} label={`Règle ${i + 1} : sous condition au-delà de`} value={s(`pop.${i}.conditionalAbove`)} error={e[`pop.${i}.conditionalAbove`]} />
            </div>
            <Field name={`pop.${i}.condition`} label={`Règle ${i + 1} : condition`} value={s(`pop.${i}.condition`)} error={e[`pop.${i}.condition`]} />
            <div class="grid">
              <Field name={`pop.${i}.centreMax`} label={`Règle ${i + 1} : au-delà du maximum, éligible si la commune-centre a au plus (hab.)`} value={s(`pop.${i}.centreMax`)} error={e[`pop.${i}.centreMax`]} />
              <Field name={`pop.${i}.densityMax`} label={`Règle ${i + 1} : au-delà du maximum, éligible si la densité est d'au plus (hab./km²)`} value={s(`pop.${i}.densityMax`)} error={e[`pop.${i}.densityMax`]} />
            </div>
          </div>
        ))}
        <h3>Listes fermées et partenaires</h3>
        <div class="grid">
          <Select name="closedList" label="Liste fermée exigée" value={s('closedList')} error={e['closedList']} empty="aucune" options={opts(CLOSED_LIST_IDS, (l) => CLOSED_LISTS[l].label)} />
          <Field name="partnerLabel" label="Partenaire étranger exigé (en clair)" value={s('partnerLabel')} error={e['partnerLabel']} />
          <Field name="partnerCountries" label="Pays partenaires admis (codes ISO, ex. SN, MA)" value={s('partnerCountries')} error={e['partnerCountries']} />
          <Field name="partnerExcludedCountries" label="Pays partenaires exclus (codes ISO)" value={s('partnerExcludedCountries')} error={e['partnerExcludedCountries']} />
          <Check name="partnerOda" label="Pays éligibles à l'aide publique au développement (liste CAD)" checked={s('partnerOda') === '1'} error={e['partnerOda']} />
        </div>
        <Checks name="excludedClosedLists" legend="Listes dont les membres sont exclus" values={arr(v['excludedClosedLists'])} error={e['excludedClosedLists']} options={opts(CLOSED_LIST_IDS, (l) => CLOSED_LISTS[l].label)} />
        <h3>Partenariat exigé</h3>
        <div class="grid">
          <Field name="partnersLabel" label="Partenariat exigé (en clair)" hint="vide = aucun" value={s('partnersLabel')} error={e['partnersLabel']} />
          <Check name="partnersForeign" label="Au moins un partenaire d'un autre pays" checked={s('partnersForeign') === '1'} error={e['partnersForeign']} />
          <Field name="partnersCountries" label="Au moins un partenaire de l'un de ces pays (codes ISO, ex. ES, AD)" value={s('partnersCountries')} error={e['partnersCountries']} />
          <Field name="partnersMinCountries" label="Nombre minimal de pays, France comprise" value={s('partnersMinCountries')} error={e['partnersMinCountries']} />
          <Field name="partnersMinFrench" label="Nombre minimal de collectivités françaises, porteur compris" value={s('partnersMinFrench')} error={e['partnersMinFrench']} />
        </div>
        <h3>Champ du projet</h3>
        <Field name="scopeLabel" label="Champ du programme (en clair)" hint="vide = pas de champ : les thèmes classent seulement" value={s('scopeLabel')} error={e['scopeLabel']} />
        <Checks name="scopeThemes" legend="Thèmes du champ : le projet doit porter sur l'un d'eux" values={arr(v['scopeThemes'])} error={e['scopeThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <Checks name="scopeOpenThemes" legend="Thèmes qui laissent la question ouverte (Guichet demande)" values={arr(v['scopeOpenThemes'])} error={e['scopeOpenThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <Checks name="scopeExcludedThemes" legend="Thèmes hors champ" values={arr(v['scopeExcludedThemes'])} error={e['scopeExcludedThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
        <div class="grid">
          <Select name="location" label="Lieu du projet" value={s('location')} error={e['location']} empty="indifférent" options={opts(['france', 'abroad'] as const, (l) => LOCATION_LABELS[l])} />
          <Field name="budgetMin" label="Coût total minimal du projet (€)" value={s('budgetMin')} error={e['budgetMin']} />
          <Field name="budgetMax" label="Coût total maximal du projet (€)" value={s('budgetMax')} error={e['budgetMax']} />
        </div>
        <Field name="budgetBasis" label="D'où vient le seuil de coût" hint="requis avec un coût minimal ou maximal" value={s('budgetBasis')} error={e['budgetBasis']} />
        <Checks name="prerequisites" legend="Prérequis que la collectivité doit déjà remplir" values={arr(v['prerequisites'])} error={e['prerequisites']} options={opts(PREREQUISITE_IDS, (x) => PREREQUISITES[x].label)} />
        <Field name="conditions" label="Conditions à vérifier" hint="une par ligne" value={s('conditions')} error={e['conditions']} multiline />
      </fieldset>

      <fieldset><legend>Calendrier</legend>
        <div class="grid">
          <Select name="calendarKind" label="Type de calendrier" value={s('calendarKind')} error={e['calendarKind']} options={opts(CALENDAR_KINDS, (k) => CALENDAR_KIND_LABELS[k])} />
          <Field name="editionLabel" label="Édition (la plus récente)" value={s('editionLabel')} error={e['editionLabel']} />
          <Field name="opensAt" label="Ouverture" hint="AAAA-MM-JJ" value={s('opensAt')} error={e['opensAt']} />
          <Field name="deadlines" label="Dates limites" hint="AAAA-MM-JJ, séparées par des virgules" value={s('deadlines')} error={e['deadlines']} />
          <Check name="estimated" label="Dates estimées (à confirmer)" checked={s('estimated') === '1'} error={e['estimated']} />
          <Check name="editionFinal" label="Édition annoncée comme la dernière" checked={s('editionFinal') === '1'} error={e['editionFinal']} />
          <Select name="calendarCycle" label="Rythme d'un appel récurrent" value={s('calendarCycle') || 'annual'} error={e['calendarCycle']} options={opts(['annual', 'irregular'] as const, (k) => CYCLE_LABELS[k])} />
          <Field name="windowOpens" label="Ouverture habituelle" hint="MM-JJ" value={s('windowOpens')} error={e['windowOpens']} />
          <Field name="windowCloses" label="Clôture habituelle" hint="MM-JJ" value={s('windowCloses')} error={e['windowCloses']} />
        </div>
        <Field name="calendarNote" label="Note de calendrier" value={s('calendarNote')} error={e['calendarNote']} />
      </fieldset>

      <fieldset><legend>Adoption et suspension</legend>
        <Check name="proposed" label="Mesure seulement proposée, pas adoptée (jamais présentée comme obtenable)" checked={s('proposed') === '1'} error={e['proposed']} />
        <div class="grid">
          <Field name="suspensionFrom" label="Suspendu depuis" hint="AAAA-MM-JJ ; vide = pas de suspension" value={s('suspensionFrom')} error={e['suspensionFrom']} />
          <Field name="suspensionUntil" label="Reprise annoncée" hint="AAAA-MM-JJ" value={s('suspensionUntil')} error={e['suspensionUntil']} />
        </div>
        <Field name="suspensionNote" label="Ce qui est suspendu" value={s('suspensionNote')} error={e['suspensionNote']} />
        <Checks name="suspensionThemes" legend="Thèmes seuls suspendus" hint="aucune case = tout le programme" values={arr(v['suspensionThemes'])} error={e['suspensionThemes']} options={opts(THEME_IDS, (t) => THEMES[t].label)} />
      </fieldset>

      <fieldset><legend>Aide</legend>
        <div class="grid">
          <Field name="rateMin" label="Taux min. (%)" value={s('rateMin')} error={e['rateMin']} />
          <Field name="rateMax" label="Taux max. (%)" value={s('rateMax')} error={e['rateMax']} />
          <Field name="amountMin" label="Montant min. (€)" value={s('amountMin')} error={e['amountMin']} />
          <Field name="amountMax" label="Montant max. (€)" value={s('amountMax')} error={e['amountMax']} />
        </div>
        <Field name="aidNotes" label="Notes sur l'aide" value={s('aidNotes')} error={e['aidNotes']} />
        <h3>Taux maximal selon le pays partenaire</h3>
        <div class="grid">
          <Field name="rateLdc" label="Pays parmi les moins avancés (%)" value={s('rateLdc')} error={e['rateLdc']} />
          <Field name="rateOda" label="Autre pays éligible à l'APD (%)" value={s('rateOda')} error={e['rateOda']} />
          <Field name="rateOther" label="Pays non éligible à l'APD (%)" value={s('rateOther')} error={e['rateOther']} />
          <Field name="rateMultiCountry" label="Projet multi-pays (%)" value={s('rateMultiCountry')} error={e['rateMultiCountry']} />
        </div>
        <Field name="rateBasis" label="Règle des taux par pays et son année" hint="requise avec un taux par pays, ex. « règles 2025 du MEAE »" value={s('rateBasis')} error={e['rateBasis']} />
      </fieldset>

      <fieldset><legend>Liens</legend>
        <div class="grid">
          <Field name="official" label="Page officielle" type="url" value={s('official')} error={e['official']} />
          <Field name="apply" label="Page de dépôt" type="url" value={s('apply')} error={e['apply']} />
        </div>
      </fieldset>

      <Field name="uncertain" label="Incertitudes affichées" hint={`une par ligne, « partie : ce qui est incertain » ; parties : ${UNCERTAIN_FIELDS.join(', ')}`} value={s('uncertain')} error={e['uncertain']} multiline />

      <Field name="examples" label="Exemples (YAML)" multiline rows={12} value={s('examples')} error={e['examples']}
        hint="une entrée par cas, rejouée par l'évaluateur : about (le cas en une phrase), la collectivité (commune, epci, departement ou region, code entre guillemets), les faits du projet (themes, stage, budget…), date (AAAA-MM-JJ), expect (eligible, unknown ou ineligible) et rule (la règle qui écarte ou dont le fait manque)" />
    </>
  )
}
