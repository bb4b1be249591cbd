// The one eligibility evaluator: (programme, profile, project facts) → eligible | ineligible |
// unknown, with reasons in French. Matching, the dialogue's next question and the alerts all
// call this; no other code decides eligibility.
//
// - A decidable rule that fails makes the programme ineligible, with that rule's reason.
// - A decidable rule whose fact is missing makes it unknown and names the fact (the dialogue asks it).
// - Conditions no program can decide never demote: they travel as "à vérifier" notes.
import { APPLICANT_TYPES, ZONE_LABELS, type ApplicantType } from './applicants.ts'
import { CLOSED_LISTS, type ClosedListId } from './closed-lists.ts'
import { countryName, ODA_RECIPIENTS } from './countries.ts'
import { formatInt } from './french.ts'
import type { PopulationRule, Programme, Stage } from './programme.ts'
import type { CollectiviteProfile, ProjectFacts } from './profile.ts'

export type EligibilityStatus = 'eligible' | 'ineligible' | 'unknown'

/** A fact the evaluator needed and did not have: what the dialogue should ask next. */
export type MissingFact = 'collectivite' | 'applicantType' | 'population' | 'partnerCountry' | `closedList:${ClosedListId}`

export type RuleName = 'calendar' | 'applicant' | 'epciKind' | 'territory' | 'population' | 'closedList' | 'partnerCountry' | 'stage'

export interface RuleOutcome {
  rule: RuleName
  outcome: 'pass' | 'fail' | 'missing'
  text: string
  fact?: MissingFact
}

export interface EligibilityResult {
  status: EligibilityStatus
  /** French reasons, failures first, then missing facts, then what matched. */
  reasons: string[]
  /** What remains to check with the funder ("à vérifier"): never demotes the programme. */
  toCheck: string[]
  /** Facts that would settle an `unknown`. */
  missing: MissingFact[]
  rules: RuleOutcome[]
}

const STAGE_NOUNS: Record<Stage, string> = { etude: 'les études', travaux: 'les travaux', fonctionnement: 'le fonctionnement' }

const APPLICANT_NOUN: Record<ApplicantType, string> = {
  commune: 'Commune',
  epci: 'Intercommunalité',
  syndicat: 'Syndicat',
  petr: 'PETR',
  departement: 'Département',
  region: 'Région',
  collectivite_outre_mer: "Collectivité d'outre-mer",
  etablissement_public: 'Établissement public',
  groupement_collectivites: 'Groupement de collectivités',
  association: 'Association',
  entreprise: 'Entreprise',
}

function listFr(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`
}

/**
 * Collects rule outcomes. With `detail` off (the matching of a whole catalogue), no text is
 * built and nothing but the status and missing facts is kept: the same rules, far less work.
 */
class Outcomes {
  fails = 0
  missing: MissingFact[] | null = null
  readonly rules: RuleOutcome[] | null
  readonly toCheck: string[] | null
  constructor(readonly detail: boolean) {
    this.rules = detail ? [] : null
    this.toCheck = detail ? [] : null
  }
  add(rule: RuleName, outcome: RuleOutcome['outcome'], text: string | false, fact?: MissingFact): void {
    if (outcome === 'fail') this.fails++
    else if (outcome === 'missing') {
      this.missing ??= []
      if (!this.missing.includes(fact!)) this.missing.push(fact!)
    }
    if (this.rules) this.rules.push(fact ? { rule, outcome, text: text as string, fact } : { rule, outcome, text: text as string })
  }
  check(text: string | false): void {
    if (this.toCheck) this.toCheck.push(text as string)
  }
}

/** The full answer, with French reasons and notes: for what is shown to a person. */
export function evaluateEligibility(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts = {}): EligibilityResult {
  const o = evaluate(programme, profile, facts, true)
  const rules = o.rules!
  const reasons: string[] = []
  for (const r of rules) if (r.outcome === 'fail') reasons.push(r.text)
  for (const r of rules) if (r.outcome === 'missing') reasons.push(r.text)
  for (const r of rules) if (r.outcome === 'pass') reasons.push(r.text)
  return { status: statusOf(o), reasons, toCheck: o.toCheck!, missing: o.missing ?? [], rules }
}

/** Status and missing facts only, without texts: the same rules, for scanning a whole catalogue. */
export function eligibilityStatus(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts = {}): { status: EligibilityStatus; missing: readonly MissingFact[] } {
  const o = evaluate(programme, profile, facts, false)
  return { status: statusOf(o), missing: o.missing ?? NONE }
}

const NONE: readonly MissingFact[] = []

function statusOf(o: Outcomes): EligibilityStatus {
  return o.fails > 0 ? 'ineligible' : o.missing ? 'unknown' : 'eligible'
}

function evaluate(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts, detail: boolean): Outcomes {
  const o = new Outcomes(detail)
  const el = programme.eligibility

  if (programme.calendar.kind === 'ended') {
    o.add('calendar', 'fail', 'Programme terminé : il n\'accepte plus de nouvelles candidatures')
  }

  const applicant: ApplicantType | undefined = facts.applicantType ?? profile?.type
  if (!applicant) {
    o.add('applicant', 'missing', 'Collectivité non précisée : dites-nous qui porte le projet', 'collectivite')
  } else if (!el.applicants.includes(applicant)) {
    o.add('applicant', 'fail', detail && `Réservé aux ${listFr(el.applicants.map((a) => APPLICANT_TYPES[a].plural))} : les ${APPLICANT_TYPES[applicant].plural} ne peuvent pas déposer`)
  } else {
    o.add('applicant', 'pass', detail && `Ouvert aux ${APPLICANT_TYPES[applicant].plural}`)
  }

  if (applicant === 'epci' && el.epciKinds) {
    const kind = profile?.type === 'epci' ? profile.epci?.kind : undefined
    if (!kind) o.add('epciKind', 'missing', detail && `Réservé à certaines intercommunalités (${el.epciKinds.join(', ')}) : précisez la vôtre`, 'applicantType')
    else if (!el.epciKinds.includes(kind)) o.add('epciKind', 'fail', detail && `Réservé aux intercommunalités de type ${el.epciKinds.join(', ')}`)
    else o.add('epciKind', 'pass', detail && `Ouvert aux intercommunalités de type ${kind}`)
  }

  if (el.territory) evaluateTerritory(programme, profile, o)

  if (applicant && el.population.length > 0) evaluatePopulation(el.population, applicant, profile, o)

  if (el.closedList) {
    const list = CLOSED_LISTS[el.closedList]
    const member = facts.closedLists?.[el.closedList]
    if (member === true) o.add('closedList', 'pass', detail && `Membre de la liste ${list.label}`)
    else if (member === false) o.add('closedList', 'fail', detail && `Réservé aux collectivités retenues dans ${list.label}`)
    else o.add('closedList', 'missing', detail && `Réservé aux collectivités retenues dans ${list.label} : à préciser`, `closedList:${el.closedList}`)
  }
  for (const id of el.excludedClosedLists) {
    const list = CLOSED_LISTS[id]
    const member = facts.closedLists?.[id]
    if (member === true) o.add('closedList', 'fail', detail && `Les collectivités retenues dans ${list.label} en sont exclues`)
    else if (member === undefined) o.check(detail && `Les collectivités retenues dans ${list.label} en sont exclues`)
  }

  if (el.partnerCountry) {
    const pc = el.partnerCountry
    const country = facts.partnerCountry
    if (!country) {
      o.add('partnerCountry', 'missing', detail && `Exige un partenaire à l'étranger (${pc.label}) : dans quel pays ?`, 'partnerCountry')
    } else if (pc.countries && !pc.countries.includes(country)) {
      o.add('partnerCountry', 'fail', detail && `Réservé aux coopérations avec ${listFr(pc.countries.map(countryName))} : pas ${countryName(country)}`)
    } else if (pc.group === 'oda' && !ODA_RECIPIENTS.has(country)) {
      o.add('partnerCountry', 'fail', detail && `${countryName(country)} n'est pas un pays éligible à l'aide publique au développement`)
    } else {
      o.add('partnerCountry', 'pass', detail && `Partenariat avec ${countryName(country)} : admis (${pc.label})`)
    }
  }

  if (el.stages) {
    if (facts.stage && !el.stages.includes(facts.stage)) {
      o.add('stage', 'fail', detail && `Ne finance pas ${STAGE_NOUNS[facts.stage]} : seulement ${listFr(el.stages.map((s) => STAGE_NOUNS[s]))}`)
    } else if (facts.stage) {
      o.add('stage', 'pass', detail && `Finance ${STAGE_NOUNS[facts.stage]}`)
    } else {
      o.check(detail && stageNote(programme))
    }
  }
  if (o.toCheck) o.toCheck.push(...staticNotes(programme))
  return o
}

function evaluateTerritory(programme: Programme, profile: CollectiviteProfile | undefined, o: Outcomes): void {
  const t = programme.eligibility.territory!
  if (!profile) {
    if (t.zones || t.regions || t.departements || t.communes) {
      o.add('territory', 'missing', o.detail && `Réservé au territoire suivant : ${t.label}`, 'collectivite')
    }
    return
  }
  const region = profile.region?.code
  const dept = profile.departement?.code
  let failure: 'in' | 'out' | undefined
  if (t.zones && !t.zones.includes(profile.zone)) failure = 'in'
  else if (t.regions && !(region && t.regions.includes(region))) failure = 'in'
  // A région applies to a départemental scheme only if one of its départements is named; we cannot tell here.
  else if (t.departements && !(dept && t.departements.includes(dept))) failure = 'in'
  else if (t.communes && !(profile.type === 'commune' && t.communes.includes(profile.code))) failure = 'in'
  else if (region && t.excludedRegions?.includes(region)) failure = 'out'
  else if (dept && t.excludedDepartements?.includes(dept)) failure = 'out'
  if (failure) {
    const where = o.detail && (profile.type === 'commune' ? `${profile.name} (${profile.departement?.code ?? ''})` : profile.name)
    o.add('territory', 'fail', o.detail && (failure === 'in' ? `Hors territoire (${t.label}) : ${where} n'en fait pas partie` : `Territoire exclu (${t.label}) : ${where} en fait partie`))
    return
  }
  const restricted = t.zones || t.regions || t.departements || t.communes
  o.add('territory', 'pass', o.detail && (restricted ? `Territoire couvert : ${t.label}` : `Ouvert sur tout le territoire (${t.label})`))
}

function evaluatePopulation(all: PopulationRule[], applicant: ApplicantType, profile: CollectiviteProfile | undefined, o: Outcomes): void {
  const zone = profile?.zone
  let applicable: PopulationRule[] | undefined
  let specific = false
  for (const r of all) {
    if (!r.applicants.includes(applicant) || (r.zone && zone && r.zone !== zone)) continue
    ;(applicable ??= []).push(r)
    if (r.zone) specific = true
  }
  if (!applicable) return
  const pop = applicant === profile?.type ? profile.population : undefined
  if (pop === undefined) {
    o.add('population', 'missing', o.detail && `Seuil de population (${applicable.map(describeBounds).join(' ; ')}) : population du porteur à préciser`, 'population')
    return
  }
  const detail = o.detail
  const who = detail && `${APPLICANT_NOUN[applicant]} de ${formatInt(pop)} hab.`
  for (const r of applicable) {
    // Zone-specific rules win over zone-less ones for the same applicant.
    if (specific && !r.zone) continue
    if (r.min !== undefined && pop < r.min) {
      o.add('population', 'fail', detail && `${who} : sous le seuil minimal de ${formatInt(r.min)} hab.${inZone(r)}`)
      continue
    }
    if (r.max !== undefined && (r.maxInclusive ? pop > r.max : pop >= r.max)) {
      o.add('population', 'fail', detail && `${who} : au-dessus du plafond ${r.maxInclusive ? `de ${formatInt(r.max)} hab.` : `(moins de ${formatInt(r.max)} hab. exigés)`}${inZone(r)}`)
      continue
    }
    if (r.conditionalAbove !== undefined && pop <= r.conditionalAbove) {
      o.add('population', 'pass', detail && `${who} : éligible d'office (${formatInt(r.conditionalAbove)} hab. ou moins${inZone(r)})`)
      continue
    }
    if (!detail) {
      o.add('population', 'pass', false)
      continue
    }
    if (r.conditionalAbove !== undefined) o.check(`${r.condition![0]!.toUpperCase()}${r.condition!.slice(1)}`)
    const parts: string[] = []
    if (r.max !== undefined) parts.push(`sous le plafond de ${formatInt(r.max)} hab.${inZone(r)}`)
    if (r.min !== undefined) parts.push(`au-dessus du seuil de ${formatInt(r.min)} hab.${inZone(r)}`)
    if (parts.length === 0 && r.conditionalAbove !== undefined) parts.push(`au-delà de ${formatInt(r.conditionalAbove)} hab.${inZone(r)}, sous condition`)
    o.add('population', 'pass', `${who} : ${parts.join(' et ')}`)
  }
}

// Per-programme texts that do not depend on who asks: built once, reused by every evaluation.
const stageNotes = new WeakMap<Programme, string>()
const notes = new WeakMap<Programme, string[]>()

function stageNote(p: Programme): string {
  let note = stageNotes.get(p)
  if (note === undefined) {
    note = `Finance seulement ${listFr(p.eligibility.stages!.map((s) => STAGE_NOUNS[s]))}`
    stageNotes.set(p, note)
  }
  return note
}

/** The conditions no program can decide, and the uncertain eligibility facts: always « à vérifier ». */
function staticNotes(p: Programme): string[] {
  let list = notes.get(p)
  if (!list) {
    list = [...p.eligibility.conditions]
    for (const u of p.uncertain) {
      if (u.field === 'eligibility' || u.field === 'population' || u.field === 'territory' || u.field === 'partnerCountry' || u.field === 'existence') {
        list.push(`À confirmer auprès du financeur : ${u.note}`)
      }
    }
    notes.set(p, list)
  }
  return list
}

function inZone(r: PopulationRule): string {
  return r.zone ? ` en ${ZONE_LABELS[r.zone]}` : ''
}

function describeBounds(r: PopulationRule): string {
  const who = r.applicants.map((a) => APPLICANT_TYPES[a].plural).join('/')
  const zone = r.zone ? ` (${ZONE_LABELS[r.zone]})` : ''
  const parts: string[] = []
  if (r.min !== undefined) parts.push(`au moins ${formatInt(r.min)} hab.`)
  if (r.max !== undefined) parts.push(`${r.maxInclusive ? 'au plus' : 'moins de'} ${formatInt(r.max)} hab.`)
  if (r.conditionalAbove !== undefined) parts.push(`sous condition au-delà de ${formatInt(r.conditionalAbove)} hab.`)
  return `${who}${zone} : ${parts.join(', ')}`
}
