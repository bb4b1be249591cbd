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

export function evaluateEligibility(programme: Programme, profile: CollectiviteProfile | undefined, facts: ProjectFacts = {}): EligibilityResult {
  const rules: RuleOutcome[] = []
  const toCheck: string[] = []
  const el = programme.eligibility

  if (programme.calendar.kind === 'ended') {
    rules.push({ rule: 'calendar', outcome: 'fail', text: 'Programme terminé : il n\'accepte plus de nouvelles candidatures' })
  }

  const applicant: ApplicantType | undefined = facts.applicantType ?? profile?.type
  if (!applicant) {
    rules.push({ rule: 'applicant', outcome: 'missing', fact: 'collectivite', text: 'Collectivité non précisée : dites-nous qui porte le projet' })
  } else if (!el.applicants.includes(applicant)) {
    const who = listFr(el.applicants.map((a) => APPLICANT_TYPES[a].plural))
    rules.push({ rule: 'applicant', outcome: 'fail', text: `Réservé aux ${who} : les ${APPLICANT_TYPES[applicant].plural} ne peuvent pas déposer` })
  } else {
    rules.push({ rule: 'applicant', outcome: 'pass', text: `Ouvert aux ${APPLICANT_TYPES[applicant].plural}` })
  }

  if (applicant === 'epci' && el.epciKinds) {
    const kind = profile?.type === 'epci' ? profile.epci?.kind : undefined
    if (!kind) rules.push({ rule: 'epciKind', outcome: 'missing', fact: 'applicantType', text: `Réservé à certaines intercommunalités (${el.epciKinds.join(', ')}) : précisez la vôtre` })
    else if (!el.epciKinds.includes(kind)) rules.push({ rule: 'epciKind', outcome: 'fail', text: `Réservé aux intercommunalités de type ${el.epciKinds.join(', ')}` })
    else rules.push({ rule: 'epciKind', outcome: 'pass', text: `Ouvert aux intercommunalités de type ${kind}` })
  }

  if (el.territory) evaluateTerritory(programme, profile, rules)

  if (applicant) evaluatePopulation(el.population, applicant, profile, rules, toCheck)

  if (el.closedList) {
    const list = CLOSED_LISTS[el.closedList]
    const member = facts.closedLists?.[el.closedList]
    if (member === true) rules.push({ rule: 'closedList', outcome: 'pass', text: `Membre de la liste ${list.label}` })
    else if (member === false) rules.push({ rule: 'closedList', outcome: 'fail', text: `Réservé aux collectivités retenues dans ${list.label}` })
    else rules.push({ rule: 'closedList', outcome: 'missing', fact: `closedList:${el.closedList}`, text: `Réservé aux collectivités retenues dans ${list.label} : à préciser` })
  }
  for (const id of el.excludedClosedLists) {
    const list = CLOSED_LISTS[id]
    const member = facts.closedLists?.[id]
    if (member === true) rules.push({ rule: 'closedList', outcome: 'fail', text: `Les collectivités retenues dans ${list.label} en sont exclues` })
    else if (member === undefined) toCheck.push(`Les collectivités retenues dans ${list.label} en sont exclues`)
  }

  if (el.partnerCountry) {
    const pc = el.partnerCountry
    const country = facts.partnerCountry
    if (!country) {
      rules.push({ rule: 'partnerCountry', outcome: 'missing', fact: 'partnerCountry', text: `Exige un partenaire à l'étranger (${pc.label}) : dans quel pays ?` })
    } else if (pc.countries && !pc.countries.includes(country)) {
      rules.push({ rule: 'partnerCountry', outcome: 'fail', text: `Réservé aux coopérations avec ${listFr(pc.countries.map(countryName))} : pas ${countryName(country)}` })
    } else if (pc.group === 'oda' && !ODA_RECIPIENTS.has(country)) {
      rules.push({ rule: 'partnerCountry', outcome: 'fail', text: `${countryName(country)} n'est pas un pays éligible à l'aide publique au développement` })
    } else {
      rules.push({ rule: 'partnerCountry', outcome: 'pass', text: `Partenariat avec ${countryName(country)} : admis (${pc.label})` })
    }
  }

  if (el.stages) {
    if (facts.stage && !el.stages.includes(facts.stage)) {
      rules.push({ rule: 'stage', outcome: 'fail', text: `Ne finance pas ${STAGE_NOUNS[facts.stage]} : seulement ${listFr(el.stages.map((s) => STAGE_NOUNS[s]))}` })
    } else if (facts.stage) {
      rules.push({ rule: 'stage', outcome: 'pass', text: `Finance ${STAGE_NOUNS[facts.stage]}` })
    } else {
      toCheck.push(stageNote(programme))
    }
  }
  toCheck.push(...staticNotes(programme))

  const reasons: string[] = []
  const missing: MissingFact[] = []
  for (const r of rules) if (r.outcome === 'fail') reasons.push(r.text)
  for (const r of rules) {
    if (r.outcome !== 'missing') continue
    reasons.push(r.text)
    if (!missing.includes(r.fact!)) missing.push(r.fact!)
  }
  const failed = reasons.length - rules.filter((r) => r.outcome === 'missing').length
  for (const r of rules) if (r.outcome === 'pass') reasons.push(r.text)
  const status: EligibilityStatus = failed > 0 ? 'ineligible' : missing.length > 0 ? 'unknown' : 'eligible'
  return { status, reasons, toCheck, missing, rules }
}

function evaluateTerritory(programme: Programme, profile: CollectiviteProfile | undefined, rules: RuleOutcome[]): void {
  const t = programme.eligibility.territory!
  if (!profile) {
    if (t.zones || t.regions || t.departements || t.communes) {
      rules.push({ rule: 'territory', outcome: 'missing', fact: 'collectivite', text: `Réservé au territoire suivant : ${t.label}` })
    }
    return
  }
  const region = profile.region?.code
  const dept = profile.departement?.code
  let failure: string | undefined
  if (t.zones && !t.zones.includes(profile.zone)) failure = `Réservé à : ${t.label}`
  else if (t.regions && !(region && t.regions.includes(region))) failure = `Réservé à : ${t.label}`
  // A région applies to a départemental scheme only if one of its départements is named; we cannot tell here.
  else if (t.departements && !(dept && t.departements.includes(dept))) failure = `Réservé à : ${t.label}`
  else if (t.communes && !(profile.type === 'commune' && t.communes.includes(profile.code))) failure = `Réservé à : ${t.label}`
  else if (region && t.excludedRegions?.includes(region)) failure = `Exclu : ${t.label}`
  else if (dept && t.excludedDepartements?.includes(dept)) failure = `Exclu : ${t.label}`
  if (failure) {
    const where = profile.type === 'commune' ? `${profile.name} (${profile.departement?.code ?? ''})` : profile.name
    rules.push({ rule: 'territory', outcome: 'fail', text: `${failure} : ${where} n'en fait pas partie` })
    return
  }
  const restricted = t.zones || t.regions || t.departements || t.communes
  rules.push({ rule: 'territory', outcome: 'pass', text: restricted ? `Territoire couvert : ${t.label}` : `Ouvert sur tout le territoire (${t.label})` })
}

function evaluatePopulation(
  all: PopulationRule[],
  applicant: ApplicantType,
  profile: CollectiviteProfile | undefined,
  rules: RuleOutcome[],
  toCheck: string[],
): void {
  const zone = profile?.zone
  const applicable = all.filter((r) => r.applicants.includes(applicant) && (!r.zone || !zone || r.zone === zone))
  if (applicable.length === 0) return
  const pop = applicant === profile?.type ? profile.population : undefined
  const noun = APPLICANT_NOUN[applicant]
  if (pop === undefined) {
    const bounds = applicable.map(describeBounds).join(' ; ')
    rules.push({ rule: 'population', outcome: 'missing', fact: 'population', text: `Seuil de population (${bounds}) : population du porteur à préciser` })
    return
  }
  // Zone-specific rules win over zone-less ones for the same applicant.
  const specific = applicable.filter((r) => r.zone)
  const chosen = specific.length > 0 ? specific : applicable
  const who = `${noun} de ${formatInt(pop)} hab.`
  for (const r of chosen) {
    if (r.min !== undefined && pop < r.min) {
      rules.push({ rule: 'population', outcome: 'fail', text: `${who} : sous le seuil minimal de ${formatInt(r.min)} hab.${inZone(r)}` })
      continue
    }
    if (r.max !== undefined && (r.maxInclusive ? pop > r.max : pop >= r.max)) {
      const bound = r.maxInclusive ? `plafond de ${formatInt(r.max)} hab.` : `seuil de moins de ${formatInt(r.max)} hab.`
      rules.push({ rule: 'population', outcome: 'fail', text: `${who} : au-dessus du ${bound}${inZone(r)}` })
      continue
    }
    if (r.conditionalAbove !== undefined && pop <= r.conditionalAbove) {
      rules.push({ rule: 'population', outcome: 'pass', text: `${who} : éligible d'office (${formatInt(r.conditionalAbove)} hab. ou moins${inZone(r)})` })
      continue
    }
    if (r.conditionalAbove !== undefined) {
      toCheck.push(`${r.condition![0]!.toUpperCase()}${r.condition!.slice(1)}`)
    }
    const parts: string[] = []
    if (r.max !== undefined) parts.push(`sous le plafond de ${formatInt(r.max)} hab.${inZone(r)}`)
    if (r.min !== undefined) parts.push(`au-dessus du seuil de ${formatInt(r.min)} hab.${inZone(r)}`)
    if (parts.length === 0 && r.conditionalAbove !== undefined) parts.push(`au-delà de ${formatInt(r.conditionalAbove)} hab.${inZone(r)}, sous condition`)
    rules.push({ rule: 'population', outcome: 'pass', text: `${who} : ${parts.join(' et ')}` })
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
