// Understanding the answer: what one turn's words (or quick reply) change in the state — the
// pending question answered, homonyms narrowed by département, and everything else the message
// says (collectivité, applicant, project, stage, budget, partners…), whenever it is said.
import { APPLICANT_TYPES, SYNDICAT_KINDS, type ApplicantType, type SyndicatKind } from '../../core/applicants.ts'
import type { ClosedListId } from '../../core/closed-lists.ts'
import { EU_COUNTRIES } from '../../core/countries.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { STAGES, type Stage } from '../../core/programme.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { THEMES, type ThemeId } from '../../core/themes.ts'
import { appliesAsOther } from './match-input.ts'
import { ANY_SCOPE, DONT_KNOW } from './questions.ts'
import type { Question } from './reply.ts'
import { slotKey, type DialogueState } from './state.ts'
import type { TurnInput } from './turn.ts'
import { analyse, detectSyndicatKind, type CollectiviteUnderstanding, type Understanding } from './understand/understand.ts'
import { describeProfile, UNNAMED } from './wording.ts'

/** The answer to the pending question, if this turn is one; true when it was taken (the question is then settled). */
export function applyPendingAnswer(state: DialogueState, input: TurnInput, u: Understanding, geography: Geography): boolean {
  const q = state.pending
  if (!q) return false
  // Each reading says true (taken), false (an answer, but not a usable one) or undefined (try the next).
  return answerDontKnow(state, q, input, u) ?? answerClosedList(state, q, input, u) ?? answerFact(state, q, input, u) ?? answerKind(state, q, input) ?? answerChoice(state, q, input.choice, geography) ?? false
}

/** « Je ne sais pas »: never asked again. */
function answerDontKnow(state: DialogueState, q: Question, input: TurnInput, u: Understanding): true | undefined {
  if (!(u.intents.includes('dontKnow') || input.choice === DONT_KNOW.value)) return undefined
  const key = slotKey(q.slot, q.fact ?? q.closedList)
  if (!state.unknown.includes(key)) state.unknown.push(key)
  state.pending = undefined
  return true
}

/** « Oui » or « non » to a closed list (« êtes-vous Petites villes de demain ? »). */
function answerClosedList(state: DialogueState, q: Question, input: TurnInput, u: Understanding): true | undefined {
  const choice = input.choice
  // A « non » that names another list (« on n'est pas Action Cœur de Ville non plus ») answers that list, not the one asked.
  const aboutOtherList = !!u.closedLists && !(q.closedList && q.closedList in u.closedLists)
  if (q.slot === 'closedList' && q.closedList && !aboutOtherList && !(input.choice === undefined && (u.applicantType || u.collectivite))) {
    const yes = choice === 'oui' || (u.intents.includes('yes') && !u.intents.includes('no'))
    const no = choice === 'non' || u.intents.includes('no')
    if (yes || no) {
      state.closedLists[q.closedList as ClosedListId] = yes
      state.pending = undefined
      return true
    }
  }
  return undefined
}

/** A figure (population, partners, density, budget) or a yes/no (scope, prerequisite, partners abroad) for the fact asked. */
function answerFact(state: DialogueState, q: Question, input: TurnInput, u: Understanding): boolean | undefined {
  const choice = input.choice
  const yes = choice === 'oui' || (choice === undefined && u.intents.includes('yes') && !u.intents.includes('no'))
  const no = choice === 'non' || (choice === undefined && u.intents.includes('no'))
  const count = firstNumber(input.text ?? choice ?? '')
  if (q.slot === 'population' && state.collectivite && count !== undefined && count > 0) {
    // The applicant's own population: a syndicat's is not the commune's; an official figure is never replaced.
    if (appliesAsOther(state)) state.applicantPopulation = count
    else if (!state.collectivite.code || state.collectivite.population === undefined) state.collectivite = { ...state.collectivite, population: count }
    state.pending = undefined
    return true
  }
  if ((q.slot === 'scope' || q.slot === 'prerequisite' || q.slot === 'foreignPartners') && (yes || no)) {
    if (q.slot === 'scope' && q.fact === ANY_SCOPE) {
      // « oui »/« non » says nothing about which kind: wait for a kind or « je ne sais pas ».
      return false
    } else if (q.slot === 'scope' && q.fact) {
      const theme = q.fact.slice('scope:'.length) as ThemeId
      if (yes) addTheme(state, theme)
      else state.notThemes = [...new Set([...(state.notThemes ?? []), theme])]
    } else if (q.slot === 'prerequisite' && q.fact) {
      state.prerequisites = { ...state.prerequisites, [q.fact.slice('prerequisite:'.length)]: yes }
    } else if (q.slot === 'foreignPartners') {
      state.foreignPartners = yes
    }
    state.pending = undefined
    return true
  }
  if ((q.slot === 'frenchPartners' || q.slot === 'density') && count !== undefined && count > 0) {
    if (q.slot === 'frenchPartners') state.frenchPartners = count
    else state.density = count
    state.pending = undefined
    return true
  }
  if (q.slot === 'budget' && u.budget !== undefined) {
    state.budget = u.budget
    state.pending = undefined
    return true
  }
  return undefined
}

/** A kind named: the theme of the project (the « sur quoi porte le projet ? » question), a syndicat's kind. */
function answerKind(state: DialogueState, q: Question, input: TurnInput): true | undefined {
  const choice = input.choice
  if (q.slot === 'scope' && q.fact === ANY_SCOPE && choice && choice in THEMES) {
    addTheme(state, choice as ThemeId)
    state.pending = undefined
    return true
  }
  if (q.slot === 'syndicatKind') {
    const kind = (choice && (SYNDICAT_KINDS as readonly string[]).includes(choice) ? choice : detectSyndicatKind(analyse(input.text ?? ''))) as SyndicatKind | undefined
    if (kind) {
      state.syndicatKind = kind
      state.pending = undefined
      return true
    }
  }
  return undefined
}

/** A quick reply for the question's slot: a collectivité offered, who applies, the stage, a theme, a country. */
function answerChoice(state: DialogueState, q: Question, choice: string | undefined, geography: Geography): true | undefined {
  if (choice === undefined) return undefined
  switch (q.slot) {
    case 'collectivite': {
      const p = state.candidates?.find((c) => c.code === choice) ?? geography.communeByInsee(choice) ?? geography.epciBySiren(choice)
      if (p) {
        state.collectivite = p
        state.candidates = undefined
        state.pending = undefined
        return true
      }
      break
    }
    case 'applicantType':
      if (choice in APPLICANT_TYPES) {
        state.applicantType = choice as ApplicantType
        state.pending = undefined
        return true
      }
      break
    case 'stage':
      if ((STAGES as readonly string[]).includes(choice)) {
        state.stage = choice as Stage
        state.pending = undefined
        return true
      }
      break
    case 'themes':
      if (choice in THEMES) {
        addTheme(state, choice as ThemeId)
        state.pending = undefined
        return true
      }
      break
    case 'partnerCountry':
      if (/^[A-Z]{2}$/.test(choice)) {
        state.partnerCountry = choice
        state.pending = undefined
        return true
      }
      break
  }
  return undefined
}

/** Everything the message says, whatever was asked: each fact understood goes into the state (and settles its question). */
export function applyUnderstanding(state: DialogueState, u: Understanding, messages: string[], geography: Geography): void {
  applyCollectivite(state, u, messages, geography)
  applyApplicant(state, u, messages, geography)
  applyProject(state, u)
  applyProjectFacts(state, u)
}

/** The collectivité found, homonyms to choose from, what is known of an unnamed one, or a name not found (with suggestions). */
function applyCollectivite(state: DialogueState, u: Understanding, messages: string[], geography: Geography): void {
  const c = u.collectivite
  if (c?.kind === 'found') {
    const previous = state.collectivite
    const changed = previous?.code !== c.profile.code
    state.collectivite = c.profile
    state.candidates = undefined
    // Another collectivité applies as itself unless this same message says otherwise (handled below);
    // a body said before it (« une association », « le syndicat ») still applies, now with its territory.
    if (changed && previous?.code && state.applicantType === previous.type) state.applicantType = undefined
    if (state.pending?.slot === 'collectivite') state.pending = undefined
    messages.push(`C'est noté : ${describeProfile(c.profile)}.`)
  } else if (c?.kind === 'ambiguous') {
    state.candidates = c.candidates
    state.collectivite = undefined
  } else if (c?.kind === 'partial' && state.collectivite?.code && !c.departement && !c.region) {
    // A figure said about a collectivité already named: the official one stays; said of a syndicat, it is the syndicat's.
    if (c.population !== undefined && appliesAsOther({ ...state, applicantType: u.applicantType ?? state.applicantType })) state.applicantPopulation = c.population
  } else if (c?.kind === 'partial') {
    const profile = unnamedProfile(state, c, geography)
    state.collectivite = profile
    if (state.pending?.slot === 'collectivite') state.pending = undefined
    messages.push(`C'est noté : ${describeProfile(profile, u.applicantType ?? state.applicantType)}.`)
  } else if (c?.kind === 'notFound' && (state.pending?.slot === 'collectivite' || !state.collectivite)) {
    const hint = c.suggestions.length ? ` Vouliez-vous dire ${c.suggestions.slice(0, 3).map((s) => s.label).join(', ')} ?` : ''
    messages.push(`Je ne trouve pas « ${c.query} ».${hint}`)
    if (c.suggestions.length) {
      state.candidates = c.suggestions.slice(0, 3).map((s) => geography.communeByInsee(s.code) ?? geography.epciBySiren(s.code)).filter((p): p is CollectiviteProfile => !!p)
    }
  }
}

/** An unnamed collectivité (« commune de 400 habitants dans l'Yonne »): what is said, completing what an unnamed one of the same type already had. */
function unnamedProfile(state: DialogueState, c: Extract<CollectiviteUnderstanding, { kind: 'partial' }>, geography: Geography): CollectiviteProfile {
  const dept = c.departement
  const region = c.region ?? (dept?.region ? geography.region(dept.region.code) : undefined)
  const type = c.type ?? 'commune'
  const base = state.collectivite?.type === type && !state.collectivite.code ? state.collectivite : undefined
  return {
    type,
    name: UNNAMED[type],
    code: '',
    ...(c.population !== undefined ? { population: c.population } : base?.population !== undefined ? { population: base.population } : {}),
    ...(dept ? { departement: { code: dept.code, name: dept.name } } : base?.departement ? { departement: base.departement } : {}),
    ...(region ? { region: { code: region.code, name: region.name } } : base?.region ? { region: base.region } : {}),
    zone: dept?.zone ?? region?.zone ?? base?.zone ?? 'metro',
  }
}

/** Who applies; « c'est un EPCI » while the collectivité is a commune: its intercommunalité becomes the collectivité. */
function applyApplicant(state: DialogueState, u: Understanding, messages: string[], geography: Geography): void {
  if (!u.applicantType) return
  state.applicantType = u.applicantType
  if (state.pending?.slot === 'applicantType') state.pending = undefined
  // "c'est un EPCI" while the collectivité is a commune: look for its intercommunalité.
  if (u.applicantType === 'epci' && state.collectivite?.type === 'commune' && state.collectivite.epci) {
    const epci = geography.epciBySiren(state.collectivite.epci.siren)
    if (epci) {
      state.collectivite = epci
      messages.push(`D'accord : c'est ${epci.name} qui porte le projet.`)
    }
  }
}

/** The project: themes and words added or ruled out. */
function applyProject(state: DialogueState, u: Understanding): void {
  for (const t of u.themes.remove) {
    // « pas la fibre », « le projet ne porte pas sur les écoles »: what the project is known not to be about.
    state.themes = state.themes.filter((x) => x !== t)
    if (!u.themes.add.includes(t)) state.notThemes = [...new Set([...(state.notThemes ?? []), t])]
  }
  for (const t of u.themes.add) addTheme(state, t)
  const removed = new Set(u.terms.remove.map((t) => t.toLowerCase()))
  state.terms = state.terms.filter((t) => !removed.has(t.toLowerCase()))
  for (const t of u.terms.add) if (!state.terms.some((x) => x.toLowerCase() === t.toLowerCase())) state.terms.push(t)
  if ((u.themes.add.length || u.terms.add.length) && (state.pending?.slot === 'themes' || state.pending?.fact === ANY_SCOPE)) state.pending = undefined
}

/** The other facts: stage, budget, timing, partner country, syndicat's kind, location, prerequisites, partners abroad, closed lists. */
function applyProjectFacts(state: DialogueState, u: Understanding): void {
  if (u.stage) {
    state.stage = u.stage
    if (state.pending?.slot === 'stage') state.pending = undefined
  }
  if (u.budget !== undefined) state.budget = u.budget
  if (u.timing) state.timing = u.timing
  if (u.partnerCountry) {
    state.partnerCountry = u.partnerCountry
    if (!state.themes.includes('cooperation_internationale') && !EU_COUNTRIES.has(u.partnerCountry)) addTheme(state, 'cooperation_internationale')
    if (state.pending?.slot === 'partnerCountry' || state.pending?.slot === 'partnerCountries') state.pending = undefined
  }
  if (u.syndicatKind) state.syndicatKind = u.syndicatKind
  if (u.location) state.location = u.location
  for (const [id, done] of Object.entries(u.prerequisites ?? {})) state.prerequisites = { ...state.prerequisites, [id]: done }
  if (u.foreignPartners !== undefined) {
    state.foreignPartners = u.foreignPartners
    if (state.pending?.slot === 'foreignPartners') state.pending = undefined
  }
  for (const [id, member] of Object.entries(u.closedLists ?? {})) {
    state.closedLists[id as ClosedListId] = member
    if (state.pending?.slot === 'closedList' && state.pending.closedList === id) state.pending = undefined
  }
}

/**
 * While homonyms are offered, an answer that names a département (« 35 », « Ille-et-Vilaine », « celle
 * du Doubs ») keeps the candidates there: one left is the collectivité, several are offered again.
 * True when the answer was taken that way (the message then names no collectivité of its own).
 */
export function narrowCandidates(state: DialogueState, input: TurnInput, u: Understanding, messages: string[], geography: Geography): boolean {
  const cands = state.candidates
  if (state.pending?.slot !== 'collectivite' || !cands?.length || input.choice !== undefined || !input.text) return false
  const c = u.collectivite
  if (c?.kind === 'found' && cands.some((x) => x.code === c.profile.code && x.type === c.profile.type)) return false
  const departements = new Set<string>()
  if (c?.kind === 'found' && c.profile.type === 'departement') departements.add(c.profile.code)
  for (const m of input.text.matchAll(/(?:^|[\s(])(\d{2,3}|2[ab])(?=$|[\s),.])/gi)) {
    const d = geography.departement(m[1]!.toLowerCase())
    if (d) departements.add(d.code)
  }
  if (!departements.size) {
    const d = geography.departement(input.text.trim().replace(/^(?:celle |celui )?(?:de la |de l'|du |des |de |dans l'|dans la |dans le |en |l'|la |le )/i, '').replace(/[.!?\s]+$/, ''))
    if (d) departements.add(d.code)
  }
  if (!departements.size) return false
  const kept = cands.filter((x) => (x.departement && departements.has(x.departement.code)) || (x.type === 'departement' && departements.has(x.code)))
  if (!kept.length) {
    messages.push(`Aucune des collectivités proposées n'est dans ce département.`)
    return true
  }
  if (kept.length === 1) {
    state.collectivite = kept[0]!
    state.candidates = undefined
    state.pending = undefined
    messages.push(`C'est noté : ${describeProfile(kept[0]!)}.`)
    return true
  }
  state.candidates = kept
  return true
}

function firstNumber(text: string): number | undefined {
  const m = text.replace(/(\d)[\s\u00a0\u202f.](?=\d{3}\b)/g, '$1').match(/\d+/)
  const n = m ? Number(m[0]) : NaN
  return Number.isFinite(n) ? n : undefined
}

function addTheme(state: DialogueState, t: ThemeId): void {
  if (!state.themes.includes(t)) state.themes.push(t)
  if (state.notThemes?.includes(t)) state.notThemes = state.notThemes.filter((x) => x !== t)
}
