// The eligibility dialogue, channel-agnostic: a turn (free text or a quick-reply choice) in,
// the new state and a Reply out. Slots are filled from whatever is said, whenever; the next
// question is the one whose answer most changes the candidate programmes; results can be
// asked for at any time. No LLM: understanding is rule-based (./understand/).
import { APPLICANT_TYPES, SYNDICAT_KINDS, type ApplicantType, type SyndicatKind } from '../../core/applicants.ts'
import { CLOSED_LISTS, type ClosedListId } from '../../core/closed-lists.ts'
import { countryName, EU_COUNTRIES } from '../../core/countries.ts'
import { factQuestion } from '../../core/missing-facts.ts'
import type { PrerequisiteId } from '../../core/prerequisites.ts'
import { eligibilityStatus, type MissingFact } from '../../core/eligibility.ts'
import { formatInt } from '../../core/french.ts'
import { profileLabel, type Geography } from '../../core/geography/geography.ts'
import type { Matcher, MatchInput, MatchResponse } from '../../core/matching.ts'
import { STAGES, type Programme, type Stage } from '../../core/programme.ts'
import type { CollectiviteProfile, ProjectFacts } from '../../core/profile.ts'
import { THEMES, type ThemeId } from '../../core/themes.ts'
import type { Catalogue } from '../../content/catalogue.ts'
import { RESULT_ACTIONS, type Choice, type Question, type Reply, type SlotName } from './reply.ts'
import { initialState, slotKey, type DialogueState } from './state.ts'
import { analyse, detectSyndicatKind, understand, type Understanding } from './understand/understand.ts'

export interface TurnInput {
  text?: string
  choice?: string
  /** The step of the question a card answers; an older step is a stale card. */
  step?: number
}

export interface TurnOutput {
  state: DialogueState
  reply: Reply
}

export interface Dialogue {
  turn(state: DialogueState | undefined, input: TurnInput): Promise<TurnOutput>
}

/** The most questions asked before the first results are shown. */
export const MAX_QUESTIONS_BEFORE_RESULTS = 3
/** How many results a reply carries. */
export const RESULTS_SHOWN = 10
const DONT_KNOW: Choice = { value: 'je ne sais pas', label: 'Je ne sais pas' }

export interface DialogueOptions {
  matcher: Matcher
  geography: Geography
  catalogue: () => Catalogue
  today: () => string
  /** « M'alerter des échéances »: subscribes with the e-mail found in `text`; undefined when none is there. */
  subscribe?: (state: DialogueState, text: string) => Promise<Reply | undefined>
}

export function createDialogue({ matcher, geography, catalogue, today, subscribe }: DialogueOptions): Dialogue {
  async function turn(previous: DialogueState | undefined, input: TurnInput): Promise<TurnOutput> {
    let state: DialogueState = previous ? structuredClone(previous) : initialState()
    const messages: string[] = []
    const text = (input.choice ?? input.text ?? '').trim()

    if (!previous && !text) {
      return ask(state, [WELCOME], 'collectivite')
    }

    if (input.choice !== undefined && input.step !== undefined && input.step !== state.step) {
      const pending = state.pending
      const msg = 'Cette question n\'est plus d\'actualité : la conversation a avancé depuis.'
      return { state, reply: { messages: [{ text: msg }], ...(pending ? { question: pending } : {}), ...(state.resultsShown && !pending ? { actions: RESULT_ACTIONS } : {}) } }
    }

    const expected = state.pending?.slot
    let u = understand(text, { geography, today: today(), ...(expected && expected !== 'email' ? { expectedSlot: expected } : {}) })

    if (u.intents.includes('reset')) {
      state = initialState()
      return ask(state, ['C\'est reparti de zéro.', WELCOME], 'collectivite')
    }

    if (state.pending?.slot === 'email' && subscribe && !u.intents.includes('reset')) {
      if (u.intents.includes('dontKnow') || u.intents.includes('no') || input.choice !== undefined) {
        state.pending = undefined
        if (input.choice === undefined) return { state, reply: { messages: [{ text: 'D\'accord, pas d\'alerte pour le moment.' }], actions: RESULT_ACTIONS } }
      } else {
        try {
          const reply = await subscribe(state, text)
          if (reply) {
            state.pending = undefined
            return { state, reply }
          }
          return { state, reply: { messages: [{ text: 'Je n\'ai pas trouvé d\'adresse e-mail dans votre message. Écrivez-la simplement, par exemple secretariat@mairie-exemple.fr.' }], question: state.pending } }
        } catch (err) {
          const why = err instanceof Error ? err.message.split(' / ')[0] : ''
          return { state, reply: { messages: [{ text: `Je n'ai pas pu enregistrer l'alerte${why ? ` (${why})` : ''}. Vérifiez l'adresse et réessayez.` }], question: state.pending } }
        }
      }
    }

    // A quick reply answers the pending question directly, and is not read again as free text
    // (a commune's INSEE code can be another commune's postal code).
    // Homonyms offered: « 35 », « Ille-et-Vilaine » or « celle du Doubs » narrows them by département.
    if (narrowCandidates(state, input, u, messages)) u = { ...u, collectivite: undefined }
    const answered = applyPendingAnswer(state, input, u)
    if (answered && input.choice !== undefined) u = { ...u, collectivite: undefined, themes: { add: [], remove: [] }, terms: { add: [], remove: [] } }
    applyUnderstanding(state, u, messages)
    // A programme named in the project (« candidater au FICOL ») joins the search; one asked about (« pourquoi la DETR ? ») does not.
    if (!u.intents.includes('why')) for (const term of mentionedProgrammes(text)) if (!state.terms.includes(term)) state.terms.push(term)

    if (u.intents.includes('why')) return explainWhy(state, u.whyAbout)
    if (u.intents.includes('showExcluded') || input.choice === 'excluded') return showExcluded(state)
    if (input.choice === 'alerts' || u.intents.includes('alerts')) return showDeadlines(state)
    const wantsResults = u.intents.includes('showResults')
    const refine = input.choice === 'refine' || u.intents.includes('refine')

    // The collectivité comes first: nothing can be decided without it. A question is never asked
    // twice in a row: when the answer to it was not understood, the dialogue goes on without.
    if (!state.collectivite) {
      if (state.candidates?.length) return askCollectiviteChoice(state, messages)
      const stuck = expected === 'collectivite' && !state.unknown.includes('collectivite')
      if (stuck) {
        state.unknown.push('collectivite')
        messages.push('Je ne reconnais pas la collectivité. Je continue sans : donnez le nom exact ou le code postal de la commune quand vous voulez, je vérifierai alors l\'éligibilité.')
      }
      if (wantsResults || state.unknown.includes('collectivite')) {
        if (!stuck) messages.push('Sans collectivité je ne peux pas vérifier l\'éligibilité : voici les programmes qui correspondent au projet, à confirmer.')
        return results(state, messages)
      }
      return ask(state, messages.length ? messages : [greetingIfAny(u)].filter(Boolean) as string[], 'collectivite')
    }
    if (state.themes.length === 0 && state.terms.length === 0 && !state.unknown.includes('themes') && !wantsResults) {
      if (expected !== 'themes') return ask(state, messages, 'themes')
      state.unknown.push('themes')
      messages.push('Je n\'ai pas reconnu le projet : voici les programmes ouverts à votre collectivité. Décrivez le projet en quelques mots pour affiner.')
    }

    const current = await matcher.match(matchInput(state))
    const budgetLeft = state.resultsShown ? (refine ? 1 : 0) : MAX_QUESTIONS_BEFORE_RESULTS - state.questionsBeforeResults
    if (!wantsResults && budgetLeft > 0) {
      const next = nextQuestion(state, current)
      if (next) return ask(state, messages, next.slot, next)
    }
    if (refine && state.resultsShown) messages.push('Je n\'ai plus de question qui changerait la liste.')
    return results(state, messages, current, wantsResults)
  }

  function applyPendingAnswer(state: DialogueState, input: TurnInput, u: Understanding): boolean {
    const q = state.pending
    if (!q) return false
    const key = slotKey(q.slot, q.fact ?? q.closedList)
    const choice = input.choice
    if (u.intents.includes('dontKnow') || choice === DONT_KNOW.value) {
      if (!state.unknown.includes(key)) state.unknown.push(key)
      state.pending = undefined
      return true
    }
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
    if (choice !== undefined) {
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
    }
    return false
  }

  function applyUnderstanding(state: DialogueState, u: Understanding, messages: string[]): void {
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
      const dept = c.departement
      const region = c.region ?? (dept?.region ? geography.region(dept.region.code) : undefined)
      const type = c.type ?? 'commune'
      const base = state.collectivite?.type === type && !state.collectivite.code ? state.collectivite : undefined
      const profile: CollectiviteProfile = {
        type,
        name: UNNAMED[type],
        code: '',
        ...(c.population !== undefined ? { population: c.population } : base?.population !== undefined ? { population: base.population } : {}),
        ...(dept ? { departement: { code: dept.code, name: dept.name } } : base?.departement ? { departement: base.departement } : {}),
        ...(region ? { region: { code: region.code, name: region.name } } : base?.region ? { region: base.region } : {}),
        zone: dept?.zone ?? region?.zone ?? base?.zone ?? 'metro',
      }
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
    if (u.applicantType) {
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

  function matchInput(state: DialogueState): MatchInput {
    const facts: ProjectFacts = {
      ...(state.applicantType ? { applicantType: state.applicantType } : {}),
      themes: state.themes,
      ...(state.stage ? { stage: state.stage } : {}),
      ...(state.budget !== undefined ? { budget: state.budget } : {}),
      ...(state.partnerCountry ? { partnerCountry: state.partnerCountry } : {}),
      closedLists: state.closedLists,
      ...(state.notThemes?.length ? { notThemes: state.notThemes } : {}),
      ...(applicantPopulation(state) !== undefined ? { applicantPopulation: applicantPopulation(state) } : {}),
      ...(state.syndicatKind ? { syndicatKind: state.syndicatKind } : {}),
      ...(state.density !== undefined ? { density: state.density } : {}),
      ...(state.foreignPartners !== undefined ? { foreignPartners: state.foreignPartners } : {}),
      ...(state.partnerCountries?.length ? { partnerCountries: state.partnerCountries } : {}),
      ...(state.frenchPartners !== undefined ? { frenchPartners: state.frenchPartners } : {}),
      ...(state.prerequisites ? { prerequisites: state.prerequisites } : {}),
      ...(state.location ? { location: state.location } : {}),
    }
    const q = [...state.terms, ...state.themes.map((t) => THEMES[t].label)].join(' ')
    return {
      ...(state.collectivite ? { profile: state.collectivite } : {}),
      facts,
      ...(q ? { q } : {}),
      ...(state.themes.length ? { themes: state.themes } : {}),
      limit: 15,
      excludedLimit: 0,
    }
  }

  /**
   * The question whose answer most changes the candidate set: for each fact still open, the
   * expected number of top candidates whose status would change, over the possible answers.
   */
  function nextQuestion(state: DialogueState, current: MatchResponse): Omit<Question, 'step'> | undefined {
    // Only what would be shown, and only what fits the project well, is worth a question.
    const best = Math.max(0, ...current.results.map((r) => r.score))
    // Ranked by relevance alone: an « à vérifier » programme that fits the project is exactly what a question can settle.
    const top = [...current.results].sort((a, b) => b.score - a.score).slice(0, RESULTS_SHOWN).filter((r) => r.score >= 0.4 * best)
    const programmes = top.map((r) => catalogue().get(r.id)).filter((p): p is Programme => !!p)
    const facts = matchInput(state).facts!
    const profile = state.collectivite
    const day = today()
    const baseline = new Map(programmes.map((p) => [p.id, eligibilityStatus(p, profile, facts, day).status]))
    const impact = (variants: ProjectFacts[]) => {
      let changes = 0
      for (const v of variants) for (const p of programmes) if (eligibilityStatus(p, profile, v, day).status !== baseline.get(p.id)) changes++
      return changes / variants.length
    }
    const open = (key: string) => !state.unknown.includes(key) && !state.asked.includes(key)
    const candidates: { score: number; q: Omit<Question, 'step'> }[] = []

    const missing = new Set<MissingFact>(top.flatMap((r) => r.eligibility.missing as MissingFact[]))
    for (const fact of missing) {
      if (fact.startsWith('closedList:')) {
        const id = fact.slice('closedList:'.length) as ClosedListId
        if (!open(slotKey('closedList', id))) continue
        const typical: { min?: number; max?: number } = CLOSED_LISTS[id].typicalPopulation
        const pop = profile?.population
        // Lists are drawn from towns of a typical size: far outside it, the question is unlikely to matter.
        const likely = pop === undefined || ((typical.min === undefined || pop >= typical.min / 2) && (typical.max === undefined || pop <= typical.max * 2))
        const score = impact([true, false].map((m) => ({ ...facts, closedLists: { ...facts.closedLists, [id]: m } }))) * (likely ? 1 : 0.3)
        candidates.push({ score, q: { slot: 'closedList', closedList: id, text: CLOSED_LISTS[id].question, choices: [{ value: 'oui', label: 'Oui' }, { value: 'non', label: 'Non' }, DONT_KNOW] } })
      } else if (fact === 'partnerCountry' && open('partnerCountry') && (state.themes.includes('cooperation_internationale') || state.themes.includes('cooperation_europeenne'))) {
        const countries = partnerCountryChoices(programmes)
        const score = impact(countries.map((c) => ({ ...facts, partnerCountry: c.value })).concat([{ ...facts, partnerCountry: 'DE' }]))
        candidates.push({ score: Math.max(score, 1), q: { slot: 'partnerCountry', text: 'Avec quel pays se fait la coopération ? Dites-moi le pays de la collectivité partenaire.', choices: countries } })
      } else if (fact === 'population' && open('population')) {
        candidates.push({ score: impact([{ ...facts }]) + 1, q: { slot: 'population', text: populationQuestion(state) } })
      } else if (fact.startsWith('scope:') && open(fact) && open(ANY_SCOPE)) {
        const theme = fact.slice('scope:'.length) as ThemeId
        const label = programmes.find((p) => p.eligibility.scope?.themes[0] === theme)?.eligibility.scope?.label
        const score = impact([{ ...facts, themes: [...(facts.themes ?? []), theme] }, { ...facts, notThemes: [...(facts.notThemes ?? []), theme] }])
        candidates.push({ score, q: { slot: 'scope', fact, text: factQuestion(fact, label), choices: YES_NO } })
      } else if (fact.startsWith('prerequisite:') && open(fact)) {
        const id = fact.slice('prerequisite:'.length) as PrerequisiteId
        const score = impact([true, false].map((done) => ({ ...facts, prerequisites: { ...facts.prerequisites, [id]: done } })))
        candidates.push({ score, q: { slot: 'prerequisite', fact, text: factQuestion(fact), choices: YES_NO } })
      } else if (fact === 'foreignPartners' && open('foreignPartners')) {
        const score = impact([true, false].map((v) => ({ ...facts, foreignPartners: v })))
        candidates.push({ score, q: { slot: 'foreignPartners', text: factQuestion(fact), choices: YES_NO } })
      } else if (fact === 'budget' && open('budget')) {
        const score = impact(BUDGET_PROBES.map((b) => ({ ...facts, budget: b })))
        candidates.push({ score, q: { slot: 'budget', text: 'Quel est le budget approximatif du projet, en euros (même un ordre de grandeur) ?', choices: [DONT_KNOW] } })
      } else if (fact === 'frenchPartners' && open('frenchPartners')) {
        const score = impact([1, 5].map((n) => ({ ...facts, frenchPartners: n })))
        candidates.push({ score, q: { slot: 'frenchPartners', text: factQuestion(fact), choices: [DONT_KNOW] } })
      } else if (fact === 'density' && open('density')) {
        const score = impact([100, 300].map((d) => ({ ...facts, density: d })))
        candidates.push({ score, q: { slot: 'density', text: 'Quelle est la densité de votre intercommunalité, en habitants par km² (population divisée par la superficie) ?', choices: [DONT_KNOW] } })
      } else if (fact === 'syndicatKind' && open('syndicatKind')) {
        const score = impact(SYNDICAT_KINDS.map((k) => ({ ...facts, syndicatKind: k })))
        candidates.push({ score, q: { slot: 'syndicatKind', text: factQuestion(fact), choices: [{ value: 'energie', label: 'Énergie' }, { value: 'eau', label: 'Eau ou assainissement' }, { value: 'mixte', label: 'Syndicat mixte' }] } })
      } else if (fact === 'partnerCountries' && open('partnerCountries')) {
        candidates.push({ score: 1, q: { slot: 'partnerCountries', text: factQuestion(fact), choices: [DONT_KNOW] } })
      } else if (fact === 'applicantType' && open('applicantType')) {
        candidates.push({ score: 1, q: { slot: 'applicantType', text: 'Qui portera le projet ?', choices: applicantChoices(state) } })
      }
    }
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
    // Several programmes that each fund one kind of project: one question on what the project is
    // about settles them all, instead of one yes/no per programme.
    const scopes = candidates.filter((c) => c.q.slot === 'scope')
    if (scopes.length > 1) {
      const themes = [...scopes].sort((a, b) => b.score - a.score).map((c) => c.q.fact!.slice('scope:'.length) as ThemeId)
      const merged = { score: scopes.reduce((sum, c) => sum + c.score, 0), q: { slot: 'scope' as const, fact: ANY_SCOPE, text: 'Sur quoi porte précisément le projet ? Plusieurs programmes ne financent qu\'un type de projet.', choices: themes.slice(0, 3).map((t) => ({ value: t, label: THEMES[t].label })) } }
      candidates.splice(0, candidates.length, ...candidates.filter((c) => c.q.slot !== 'scope'), merged)
    }
    candidates.sort((a, b) => b.score - a.score)
    const pick = candidates[0]
    // Below half a programme of expected change, a question costs the mayor more than it brings.
    return pick && pick.score >= 0.5 ? pick.q : undefined
  }

  function ask(state: DialogueState, messages: string[], slot: SlotName, preset?: Omit<Question, 'step'>): TurnOutput {
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
  function askCollectiviteChoice(state: DialogueState, messages: string[]): TurnOutput {
    const cands = state.candidates!
    const name = cands[0]!.name
    const sameName = cands.every((c) => c.name === name)
    const narrow = cands.length > 3 ? ' Choisissez-la, ou indiquez son département (nom ou numéro).' : ''
    const text = sameName ? `${cands.length} collectivités s'appellent ${name}. Laquelle est la vôtre ?${narrow}` : `Laquelle de ces collectivités est la vôtre ?${narrow}`
    return ask(state, messages, 'collectivite', { slot: 'collectivite', text, choices: cands.map((c) => ({ value: c.code, label: profileLabel(c) })) })
  }

  /**
   * While homonyms are offered, an answer that names a département (« 35 », « Ille-et-Vilaine », « celle
   * du Doubs ») keeps the candidates there: one left is the collectivité, several are offered again.
   * True when the answer was taken that way (the message then names no collectivité of its own).
   */
  function narrowCandidates(state: DialogueState, input: TurnInput, u: Understanding, messages: string[]): boolean {
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

  async function results(state: DialogueState, messages: string[], computed?: MatchResponse, force = false): Promise<TurnOutput> {
    const response = computed ?? (await matcher.match(matchInput(state)))
    const shown = response.results.slice(0, RESULTS_SHOWN)
    const key = shown.map((r) => `${r.id}:${r.eligibility.status}`).join(',')
    // An answer that changes nothing says so, instead of showing the same list again.
    if (!force && state.resultsShown && state.lastShownKey === key && shown.length > 0) {
      state.pending = undefined
      messages.push('Rien ne change : les programmes proposés et leur statut restent les mêmes. Dites « montre-moi » pour revoir la liste.')
      return { state, reply: { messages: messages.map((text) => ({ text })), actions: RESULT_ACTIONS } }
    }
    state.pending = undefined
    state.resultsShown = true
    state.lastResults = shown.map((r) => r.id)
    state.lastShownKey = key
    const eligible = shown.filter((r) => r.eligibility.status === 'eligible').length
    const toCheck = shown.length - eligible
    const who = state.collectivite ? describeProfile(state.collectivite, state.applicantType) : 'votre collectivité'
    const project = projectLabel(state)
    if (shown.length === 0) {
      messages.push(`Je n'ai trouvé aucun programme ouvert à ${who} pour ${project}. Essayez de décrire le projet autrement, ou voyez les programmes écartés et leurs raisons.`)
    } else {
      const parts = [eligible ? `${eligible} programme${eligible > 1 ? 's' : ''} éligible${eligible > 1 ? 's' : ''}` : '', toCheck ? `${toCheck} à confirmer` : ''].filter(Boolean)
      // The programmes themselves travel as `results`: each channel renders them as cards.
      messages.push(`Pour ${who} et ${project}, voici ${parts.join(' et ')}${response.totals.results > shown.length ? ` (les ${shown.length} plus pertinents sur ${response.totals.results})` : ''} :`)
    }
    return { state, reply: { messages: messages.map((text) => ({ text })), results: shown, actions: RESULT_ACTIONS } }
  }

  async function explainWhy(state: DialogueState, about: string | undefined): Promise<TurnOutput> {
    const response = await matcher.match({ ...matchInput(state), limit: 200, excludedLimit: 200 })
    const all = [...response.results]
    const target = findProgramme(about, all.map((r) => r.id).concat(response.excluded.map((e) => e.id))) ?? state.lastResults[0]
    if (!target) return { state, reply: { messages: [{ text: 'Je n\'ai encore montré aucun programme : dites-moi votre collectivité et votre projet.' }] } }
    const item = all.find((r) => r.id === target)
    if (item) {
      const lines = [`${item.name} — ${item.eligibility.status === 'eligible' ? 'éligible' : 'à confirmer'} :`, ...item.eligibility.reasons.map((r) => `• ${r}`)]
      if (item.eligibility.questions.length) lines.push('Pour confirmer :', ...item.eligibility.questions.map((q) => `• ${q.question}`))
      if (item.eligibility.toCheck.length) lines.push('À vérifier auprès du financeur :', ...item.eligibility.toCheck.map((r) => `• ${r}`))
      lines.push(`Calendrier : ${item.calendar.label}.`)
      // What placed it in the list, strongest first (core/ranking.ts).
      const placed = (item.ranking ?? []).filter((s) => s.points >= 0.01).map((s) => s.label)
      const rank = all.findIndex((r) => r.id === item.id) + 1
      if (placed.length) lines.push(`Classé ${rank === 1 ? '1er' : `${rank}e`} pour ce projet grâce à : ${placed.join(', ')}.`)
      return { state, reply: { messages: [{ text: lines.join('\n') }], actions: RESULT_ACTIONS } }
    }
    const ex = response.excluded.find((e) => e.id === target)
    if (ex) return { state, reply: { messages: [{ text: [`${ex.name} — écarté pour ${state.collectivite ? describeProfile(state.collectivite, state.applicantType) : 'votre collectivité'}, parce que :`, ...ex.reasons.map((r) => `• ${r}`)].join('\n') }], actions: RESULT_ACTIONS } }
    const p = catalogue().get(target)
    return { state, reply: { messages: [{ text: p ? `${p.name} ne correspond pas à votre projet tel que vous l'avez décrit.` : 'Je ne connais pas ce programme.' }] } }
  }

  async function showExcluded(state: DialogueState): Promise<TurnOutput> {
    const response = await matcher.match({ ...matchInput(state), excludedLimit: 10 })
    const ex = response.excluded.slice(0, 10)
    // The programmes travel as `excluded`; the message only introduces them.
    const lines = ex.length ? [`Programmes écartés pour ${state.collectivite ? describeProfile(state.collectivite, state.applicantType) : 'votre collectivité'}, avec leurs raisons :`] : ['Aucun programme n\'est écarté.']
    return { state, reply: { messages: [{ text: lines.join('\n') }], excluded: ex, actions: RESULT_ACTIONS.filter((a) => a.value !== 'excluded') } }
  }

  async function showDeadlines(state: DialogueState): Promise<TurnOutput> {
    const response = await matcher.match(matchInput(state))
    const dated = response.results.slice(0, RESULTS_SHOWN).filter((r) => r.calendar.closesAt || r.calendar.nextWindow)
    const lines = dated.length
      ? ['Les prochaines échéances de vos programmes :', ...dated.map((r) => `• ${r.shortName ?? r.name} : ${r.calendar.label}`)]
      : ['Aucun de ces programmes n\'a de date limite connue pour l\'instant.']
    if (!subscribe || !state.collectivite) {
      lines.push('Les rappels par e-mail (J-30, J-7, J-1) ne sont pas activés sur ce Guichet.')
      return { state, reply: { messages: [{ text: lines.join('\n') }], actions: RESULT_ACTIONS.filter((a) => a.value !== 'alerts') } }
    }
    state.step++
    const question: Question = { slot: 'email', step: state.step, text: 'À quelle adresse e-mail dois-je envoyer les rappels (J-30, J-7, J-1) avant chaque date limite ? Vous recevrez d\'abord un lien de confirmation.' }
    state.pending = question
    return { state, reply: { messages: [{ text: lines.join('\n') }], question } }
  }

  function findProgramme(about: string | undefined, ids: string[]): string | undefined {
    if (!about) return undefined
    const norm = fold(about)
    const programmes = ids.map((id) => catalogue().get(id)).filter((p): p is Programme => !!p)
    // Its own short name or id first ("la DETR" is the DETR, not the fund that merges it), then its name, then keywords.
    const passes: ((p: Programme) => string[])[] = [(p) => [p.id, p.shortName ?? ''], (p) => [p.name], (p) => p.keywords]
    for (const names of passes) {
      for (const p of programmes) {
        const folded = names(p).map(fold).filter((n) => n.length >= 3)
        if (folded.some((n) => ` ${norm} `.includes(` ${n} `) || (n.length > 6 && n.includes(norm) && norm.length >= 4))) return p.id
      }
    }
    return undefined
  }

  /** Programmes named by the user ("le FICOL", "la DETR"): their short names join the search terms. */
  function mentionedProgrammes(text: string): string[] {
    if (!text) return []
    const words = ` ${fold(text)} `
    const found = new Set<string>()
    for (const [folded, name] of programmeNames(catalogue())) if (words.includes(folded)) found.add(name)
    return [...found]
  }

  return { turn }
}

// Short names and acronyms of a catalogue's programmes, folded once per catalogue.
const namesByCatalogue = new WeakMap<Catalogue, Map<string, string>>()
function programmeNames(catalogue: Catalogue): Map<string, string> {
  let names = namesByCatalogue.get(catalogue)
  if (!names) {
    names = new Map()
    for (const p of catalogue.all()) {
      const candidates = [p.shortName, ...p.keywords.filter((k) => /^[A-ZÉ0-9][A-ZÉ0-9 -]{2,}$/.test(k))]
      for (const n of candidates) if (n && n.length >= 3 && !names.has(` ${fold(n)} `)) names.set(` ${fold(n)} `, n)
    }
    namesByCatalogue.set(catalogue, names)
  }
  return names
}



/** The question on what the project is about, asked instead of several programmes' scope questions. */
const ANY_SCOPE = 'scope:*'
/** An unnamed collectivité, by type: its name in the profile and the noun that describes it. */
const UNNAMED: Record<CollectiviteProfile['type'], string> = { commune: 'Votre commune', epci: 'Votre intercommunalité', departement: 'Votre département', region: 'Votre région' }
const UNNAMED_NOUN: Record<CollectiviteProfile['type'], string> = { commune: 'commune', epci: 'intercommunalité', departement: 'département', region: 'région' }
const YES_NO: Choice[] = [{ value: 'oui', label: 'Oui' }, { value: 'non', label: 'Non' }, DONT_KNOW]
/** Budgets tried to weigh the budget question: a study, a small and a large investment, a major programme. */
const BUDGET_PROBES = [30_000, 250_000, 2_000_000, 40_000_000]

function firstNumber(text: string): number | undefined {
  const m = text.replace(/(\d)[\s\u00a0\u202f.](?=\d{3}\b)/g, '$1').match(/\d+/)
  const n = m ? Number(m[0]) : NaN
  return Number.isFinite(n) ? n : undefined
}

/** The applicant is another body than the collectivité of the profile (a syndicat for a commune). */
function appliesAsOther(state: DialogueState): boolean {
  return !!state.applicantType && !!state.collectivite && state.applicantType !== state.collectivite.type
}

/**
 * The applicant's population when it is another body: as answered, or the figure said with an
 * unnamed collectivité (« syndicat des eaux de 85 000 habitants dans le Loiret »), which is the
 * syndicat's own — never an official commune's.
 */
function applicantPopulation(state: DialogueState): number | undefined {
  if (state.applicantPopulation !== undefined) return state.applicantPopulation
  return appliesAsOther(state) && state.collectivite && !state.collectivite.code ? state.collectivite.population : undefined
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

const WELCOME = 'Bonjour ! Je suis Guichet : je trouve les financements auxquels votre collectivité a droit, avec leurs dates limites.'

const STAGE_CHOICE_LABELS: Record<Stage, string> = { etude: 'Études', travaux: 'Travaux', fonctionnement: 'Fonctionnement' }
const STAGE_PRIOR: Record<Stage, number> = { etude: 0.25, travaux: 0.65, fonctionnement: 0.1 }

function greetingIfAny(u: Understanding): string | undefined {
  return u.intents.includes('greeting') ? WELCOME : undefined
}

function addTheme(state: DialogueState, t: ThemeId): void {
  if (!state.themes.includes(t)) state.themes.push(t)
  if (state.notThemes?.includes(t)) state.notThemes = state.notThemes.filter((x) => x !== t)
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

/** Who applies, in words: « votre syndicat de 22 000 habitants (Loiret) », « Vézelay (89), 402 habitants ». */
function describeProfile(p: CollectiviteProfile, applicant?: ApplicantType): string {
  const pop = p.population !== undefined ? `${formatInt(p.population)} habitants` : ''
  if (!p.code) {
    // An unnamed collectivité described by its size and place: the body that applies, as said.
    const where = p.departement ? ` (${p.departement.name})` : ''
    const noun = applicant === 'syndicat' ? 'syndicat' : applicant === 'petr' ? 'PETR' : applicant && applicant !== p.type ? 'structure' : UNNAMED_NOUN[p.type]
    return pop ? `votre ${noun} de ${pop}${where}` : `votre ${noun}${where}`
  }
  if (applicant && applicant !== p.type && applicant === 'syndicat') return `votre syndicat (territoire : ${profileLabel(p)})`
  return pop ? `${profileLabel(p)}, ${pop}` : profileLabel(p)
}

function projectLabel(state: DialogueState): string {
  if (state.themes.length) return `votre projet (${state.themes.slice(0, 3).map((t) => THEMES[t].label.toLowerCase()).join(', ')})`
  if (state.terms.length) return `votre projet (${state.terms.slice(0, 3).join(', ')})`
  return 'votre projet'
}

function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

