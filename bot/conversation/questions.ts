// Choosing the next question, and asking it: for each fact still open, how many of the programmes
// worth showing would change status with the answer; the question that changes the most is asked
// (when it changes enough), worded with its quick replies, and remembered in the state.
import { APPLICANT_TYPES, SYNDICAT_KINDS } from '../../core/applicants.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import type { MatchResponse } from '../../content/matching.ts'
import { CLOSED_LISTS, type ClosedListId } from '../../core/closed-lists.ts'
import { countryName } from '../../core/countries.ts'
import { eligibilityStatus, type MissingFact } from '../../core/eligibility.ts'
import { profileLabel } from '../../core/geography/geography.ts'
import { factQuestion } from '../../core/missing-facts.ts'
import type { PrerequisiteId } from '../../core/prerequisites.ts'
import type { ProjectFacts } from '../../core/profile.ts'
import { STAGES, type Programme, type Stage } from '../../core/programme.ts'
import { THEMES, type ThemeId } from '../../core/themes.ts'
import { appliesAsOther, matchInput } from './match-input.ts'
import type { Choice, Question, SlotName } from './reply.ts'
import { slotKey, type DialogueState } from './state.ts'
import { RESULTS_SHOWN, type TurnOutput } from './turn.ts'

export const DONT_KNOW: Choice = { value: 'je ne sais pas', label: 'Je ne sais pas' }
/** The question on what the project is about, asked instead of several programmes' scope questions. */
export const ANY_SCOPE = 'scope:*'
const YES_NO: Choice[] = [{ value: 'oui', label: 'Oui' }, { value: 'non', label: 'Non' }, DONT_KNOW]
/** Budgets tried to weigh the budget question: a study, a small and a large investment, a major programme. */
const BUDGET_PROBES = [30_000, 250_000, 2_000_000, 40_000_000]
const STAGE_CHOICE_LABELS: Record<Stage, string> = { etude: 'Études', travaux: 'Travaux', fonctionnement: 'Fonctionnement' }
const STAGE_PRIOR: Record<Stage, number> = { etude: 0.25, travaux: 0.65, fonctionnement: 0.1 }

type Candidate = { score: number; q: Omit<Question, 'step'> }

/** What weighing a question needs: the facts known, the programmes it could change, and how much a set of answers changes them. */
interface Weighing {
  state: DialogueState
  facts: ProjectFacts
  programmes: Programme[]
  /** Expected number of programmes whose status changes, over the possible answers. */
  impact: (variants: ProjectFacts[]) => number
  /** Not answered « je ne sais pas » and not asked yet. */
  open: (key: string) => boolean
}

/**
 * The question whose answer most changes the candidate set: for each fact still open, the
 * expected number of top candidates whose status would change, over the possible answers.
 */
export function nextQuestion(state: DialogueState, current: MatchResponse, catalogue: Catalogue, day: string): Omit<Question, 'step'> | undefined {
  // Only what would be shown, and only what fits the project well, is worth a question.
  const best = Math.max(0, ...current.results.map((r) => r.score))
  // Ranked by relevance alone: an « à vérifier » programme that fits the project is exactly what a question can settle.
  const top = [...current.results].sort((a, b) => b.score - a.score).slice(0, RESULTS_SHOWN).filter((r) => r.score >= 0.4 * best)
  const programmes = top.map((r) => catalogue.get(r.id)).filter((p): p is Programme => !!p)
  const facts = matchInput(state).facts!
  const profile = state.collectivite
  const baseline = new Map(programmes.map((p) => [p.id, eligibilityStatus(p, profile, facts, day).status]))
  const impact = (variants: ProjectFacts[]) => {
    let changes = 0
    for (const v of variants) for (const p of programmes) if (eligibilityStatus(p, profile, v, day).status !== baseline.get(p.id)) changes++
    return changes / variants.length
  }
  const open = (key: string) => !state.unknown.includes(key) && !state.asked.includes(key)
  const weighing: Weighing = { state, facts, programmes, impact, open }
  const candidates: Candidate[] = []

  const missing = new Set<MissingFact>(top.flatMap((r) => r.eligibility.missing as MissingFact[]))
  for (const fact of missing) {
    const candidate = missingFactQuestion(fact, weighing)
    if (candidate) candidates.push(candidate)
  }
  candidates.push(...stageAndApplicantQuestions(weighing))
  mergeScopeQuestions(candidates)
  candidates.sort((a, b) => b.score - a.score)
  const pick = candidates[0]
  // Below half a programme of expected change, a question costs the mayor more than it brings.
  return pick && pick.score >= 0.5 ? pick.q : undefined
}

/** The question settling one fact a top programme is missing, weighed; undefined when it is not to be asked. */
function missingFactQuestion(fact: MissingFact, { state, facts, programmes, impact, open }: Weighing): Candidate | undefined {
  if (fact.startsWith('closedList:')) {
    const id = fact.slice('closedList:'.length) as ClosedListId
    if (!open(slotKey('closedList', id))) return undefined
    const typical: { min?: number; max?: number } = CLOSED_LISTS[id].typicalPopulation
    const pop = state.collectivite?.population
    // Lists are drawn from towns of a typical size: far outside it, the question is unlikely to matter.
    const likely = pop === undefined || ((typical.min === undefined || pop >= typical.min / 2) && (typical.max === undefined || pop <= typical.max * 2))
    const score = impact([true, false].map((m) => ({ ...facts, closedLists: { ...facts.closedLists, [id]: m } }))) * (likely ? 1 : 0.3)
    return { score, q: { slot: 'closedList', closedList: id, text: CLOSED_LISTS[id].question, choices: [{ value: 'oui', label: 'Oui' }, { value: 'non', label: 'Non' }, DONT_KNOW] } }
  } else if (fact === 'partnerCountry' && open('partnerCountry') && (state.themes.includes('cooperation_internationale') || state.themes.includes('cooperation_europeenne'))) {
    const countries = partnerCountryChoices(programmes)
    const score = impact(countries.map((c) => ({ ...facts, partnerCountry: c.value })).concat([{ ...facts, partnerCountry: 'DE' }]))
    return { score: Math.max(score, 1), q: { slot: 'partnerCountry', text: 'Avec quel pays se fait la coopération ? Dites-moi le pays de la collectivité partenaire.', choices: countries } }
  } else if (fact === 'population' && open('population')) {
    return { score: impact([{ ...facts }]) + 1, q: { slot: 'population', text: populationQuestion(state) } }
  } else if (fact.startsWith('scope:') && open(fact) && open(ANY_SCOPE)) {
    const theme = fact.slice('scope:'.length) as ThemeId
    const label = programmes.find((p) => p.eligibility.scope?.themes[0] === theme)?.eligibility.scope?.label
    const score = impact([{ ...facts, themes: [...(facts.themes ?? []), theme] }, { ...facts, notThemes: [...(facts.notThemes ?? []), theme] }])
    return { score, q: { slot: 'scope', fact, text: factQuestion(fact, label), choices: YES_NO } }
  } else if (fact.startsWith('prerequisite:') && open(fact)) {
    const id = fact.slice('prerequisite:'.length) as PrerequisiteId
    const score = impact([true, false].map((done) => ({ ...facts, prerequisites: { ...facts.prerequisites, [id]: done } })))
    return { score, q: { slot: 'prerequisite', fact, text: factQuestion(fact), choices: YES_NO } }
  } else if (fact === 'foreignPartners' && open('foreignPartners')) {
    const score = impact([true, false].map((v) => ({ ...facts, foreignPartners: v })))
    return { score, q: { slot: 'foreignPartners', text: factQuestion(fact), choices: YES_NO } }
  } else if (fact === 'budget' && open('budget')) {
    const score = impact(BUDGET_PROBES.map((b) => ({ ...facts, budget: b })))
    return { score, q: { slot: 'budget', text: 'Quel est le budget approximatif du projet, en euros (même un ordre de grandeur) ?', choices: [DONT_KNOW] } }
  } else if (fact === 'frenchPartners' && open('frenchPartners')) {
    const score = impact([1, 5].map((n) => ({ ...facts, frenchPartners: n })))
    return { score, q: { slot: 'frenchPartners', text: factQuestion(fact), choices: [DONT_KNOW] } }
  } else if (fact === 'density' && open('density')) {
    const score = impact([100, 300].map((d) => ({ ...facts, density: d })))
    return { score, q: { slot: 'density', text: 'Quelle est la densité de votre intercommunalité, en habitants par km² (population divisée par la superficie) ?', choices: [DONT_KNOW] } }
  } else if (fact === 'syndicatKind' && open('syndicatKind')) {
    const score = impact(SYNDICAT_KINDS.map((k) => ({ ...facts, syndicatKind: k })))
    return { score, q: { slot: 'syndicatKind', text: factQuestion(fact), choices: [{ value: 'energie', label: 'Énergie' }, { value: 'eau', label: 'Eau ou assainissement' }, { value: 'mixte', label: 'Syndicat mixte' }] } }
  } else if (fact === 'partnerCountries' && open('partnerCountries')) {
    return { score: 1, q: { slot: 'partnerCountries', text: factQuestion(fact), choices: [DONT_KNOW] } }
  } else if (fact === 'applicantType' && open('applicantType')) {
    return { score: 1, q: { slot: 'applicantType', text: 'Qui portera le projet ?', choices: applicantChoices(state) } }
  }
  return undefined
}

/** The stage of the project and who carries it: asked even when no programme names them missing, if the answer matters. */
function stageAndApplicantQuestions({ state, facts, impact, open }: Weighing): Candidate[] {
  const candidates: Candidate[] = []
  if (!state.stage && open('stage')) {
    // Most projects brought to a funding desk are investments: answers are weighted accordingly.
    const score = STAGES.reduce((sum, st) => sum + STAGE_PRIOR[st] * impact([{ ...facts, stage: st }]), 0)
    if (score >= 1) candidates.push({ score, q: { slot: 'stage', text: 'Où en est le projet ?', choices: STAGES.map((s) => ({ value: s, label: STAGE_CHOICE_LABELS[s] })) } })
  }
  if (!state.applicantType && state.collectivite?.type === 'commune' && open('applicantType')) {
    // Commune or its intercommunalité: only worth asking if that changes something.
    const score = impact([{ ...facts, applicantType: 'epci' }])
    if (score >= 2) candidates.push({ score: score / 2, q: { slot: 'applicantType', text: 'Qui portera le projet : la commune ou l\'intercommunalité ?', choices: applicantChoices(state) } })
  }
  return candidates
}

/**
 * Several programmes that each fund one kind of project: one question on what the project is
 * about settles them all, instead of one yes/no per programme (in place, at the end of the list).
 */
function mergeScopeQuestions(candidates: Candidate[]): void {
  const scopes = candidates.filter((c) => c.q.slot === 'scope')
  if (scopes.length > 1) {
    const themes = [...scopes].sort((a, b) => b.score - a.score).map((c) => c.q.fact!.slice('scope:'.length) as ThemeId)
    const merged = { score: scopes.reduce((sum, c) => sum + c.score, 0), q: { slot: 'scope' as const, fact: ANY_SCOPE, text: 'Sur quoi porte précisément le projet ? Plusieurs programmes ne financent qu\'un type de projet.', choices: themes.slice(0, 3).map((t) => ({ value: t, label: THEMES[t].label })) } }
    candidates.splice(0, candidates.length, ...candidates.filter((c) => c.q.slot !== 'scope'), merged)
  }
}

function populationQuestion(state: DialogueState): string {
  if (appliesAsOther(state)) {
    return state.applicantType === 'syndicat'
      ? 'Combien d\'habitants compte le syndicat (la population de ses communes membres) ?'
      : `Combien d'habitants compte le porteur du projet (${APPLICANT_TYPES[state.applicantType!].label.toLowerCase()}) ?`
  }
  const type = state.collectivite?.type
  return type === 'epci' ? 'Combien d\'habitants compte votre intercommunalité ?' : type === 'departement' ? 'Combien d\'habitants compte votre département ?' : 'Combien d\'habitants compte votre commune ?'
}

function applicantChoices(state: DialogueState): Choice[] {
  const epci = state.collectivite?.type === 'commune' ? state.collectivite.epci : undefined
  return [
    { value: 'commune', label: 'La commune' },
    { value: 'epci', label: epci ? `L'intercommunalité (${epci.name})` : 'L\'intercommunalité' },
    { value: 'syndicat', label: 'Un syndicat' },
  ]
}

function partnerCountryChoices(programmes: Programme[]): Choice[] {
  // Countries with a programme of their own (bilateral funds) first: naming them changes the most.
  const bilateral = programmes.map((p) => p.eligibility.partnerCountry?.countries).filter((c): c is string[] => !!c && c.length <= 2).flat()
  const codes = [...new Set([...bilateral, 'SN', 'MA', 'BF'])].slice(0, 3)
  return codes.map((c) => ({ value: c, label: countryName(c) }))
}

/** Asks the question on `slot` (worded here, or `preset` as chosen): the next step, pending, remembered as asked. */
export function ask(state: DialogueState, messages: string[], slot: SlotName, preset?: Omit<Question, 'step'>): TurnOutput {
  state.step++
  let question: Question
  if (preset) question = { ...preset, step: state.step }
  else if (slot === 'collectivite') question = { slot, step: state.step, text: 'Pour quelle collectivité cherchez-vous un financement ? Donnez le nom de la commune (ou son code postal), de l\'intercommunalité, du département ou de la région.' }
  else if (slot === 'themes') question = { slot, step: state.step, text: 'Quel est votre projet ? Décrivez-le en quelques mots, par exemple « rénover l\'école », « éclairage public en LED » ou « créer un tiers-lieu ».', choices: [{ value: 'renovation_energetique', label: 'Rénovation énergétique' }, { value: 'eclairage_public', label: 'Éclairage public' }, { value: 'revitalisation_centre', label: 'Centre-bourg' }] }
  else question = { slot, step: state.step, text: 'Pouvez-vous préciser ?' }
  state.pending = question
  const key = slotKey(question.slot, question.fact ?? question.closedList)
  if (!state.asked.includes(key)) state.asked.push(key)
  if (!state.resultsShown) state.questionsBeforeResults++
  return { state, reply: { messages: messages.map((text) => ({ text })), question } }
}

/** Every homonym is offered (« Sainte-Marie » names nine communes), and the département narrows them. */
export function askCollectiviteChoice(state: DialogueState, messages: string[]): TurnOutput {
  const cands = state.candidates!
  const name = cands[0]!.name
  const sameName = cands.every((c) => c.name === name)
  const narrow = cands.length > 3 ? ' Choisissez-la, ou indiquez son département (nom ou numéro).' : ''
  const text = sameName ? `${cands.length} collectivités s'appellent ${name}. Laquelle est la vôtre ?${narrow}` : `Laquelle de ces collectivités est la vôtre ?${narrow}`
  return ask(state, messages, 'collectivite', { slot: 'collectivite', text, choices: cands.map((c) => ({ value: c.code, label: profileLabel(c) })) })
}
