// `npx tsx test/eval/generated/build-cases.ts`: builds the generated evaluation set
// (cases.json) from the curated programmes' own examples — never from the matcher's output.
//
// Every example dated 2026-03-01 (the evaluation's fixed day) that names a commune, EPCI,
// département or région becomes part of a case: the collectivité's real name from the Etalab
// geography, the applicant, the project in French from its themes (phrases.ts), stage, budget,
// partner country, closed-list memberships, a syndicat's population. Examples of several
// programmes about the same collectivité and the same project facts are combined into one case,
// each carrying its own expectation:
// - `eligible` → the programme must be in the top 10 (and, when its scope, partner country or
//   closed list is this project's, in the top 3);
// - `ineligible` or `unknown` → the programme must not be shown as eligible.
// Each case's first message comes in three styles (terse; polite and long; typos, no accents,
// capitals), and a hash of the case id puts it in the development or the hold-out half.
import { createHash } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { EU_COUNTRIES, countryName } from '../../../core/countries.ts'
import { CLOSED_LISTS, type ClosedListId } from '../../../core/closed-lists.ts'
import etalabData from '../../../core/geography/etalab-json.cjs'
import { loadEtalabGeography } from '../../../core/geography/etalab-data.ts'
import type { Programme, ProgrammeExample, RuleName, Stage } from '../../../core/programme.ts'
import type { CollectiviteProfile } from '../../../core/profile.ts'
import { THEMES, type ThemeId } from '../../../core/themes.ts'
import { loadCuratedProgrammes } from '../../../runtime/node/load-content.ts'
import { CLOSED_LIST_PHRASES, COUNTRY_FORMS, STAGE_PHRASES, THEME_PHRASES } from './phrases.ts'

export const EVAL_DAY = '2026-03-01'
export const CASES_FILE = new URL('./cases.json', import.meta.url).pathname

export type Half = 'dev' | 'holdout'
export type Trap = 'threshold' | 'applicant type' | 'zone' | 'closed call' | 'excluded country' | 'scope' | 'budget' | 'closed list' | 'prerequisite'

/** What the understanding of the first message should read. */
export interface ExpectedSlots {
  collectivite: { type: CollectiviteProfile['type']; code: string }
  applicantType: string
  /** True when the applicant is the collectivité's own type (the understanding may then say nothing). */
  applicantIsDefault: boolean
  themes: ThemeId[]
  stage?: Stage
  budget?: number
  partnerCountry?: string
}

/** What the case knows, to answer the dialogue's questions (anything else: « je ne sais pas »). */
export interface CaseFacts {
  applicant: string
  applicantPopulation?: number
  syndicatKind?: string
  density?: number
  themes: ThemeId[]
  notThemes?: ThemeId[]
  stage?: Stage
  budget?: number
  location?: 'france' | 'abroad'
  partnerCountry?: string
  partnerCountries?: string[]
  foreignPartners?: boolean
  frenchPartners?: number
  closedLists?: Partial<Record<ClosedListId, boolean>>
  prerequisites?: Partial<Record<string, boolean>>
}

export interface CaseSource {
  programme: string
  /** Index of the example in the programme's `examples:`. */
  example: number
  expect: ProgrammeExample['expect']
  rule?: RuleName
}

export interface GeneratedCase {
  id: string
  half: Half
  collectivite: { type: CollectiviteProfile['type']; code: string; name: string; population?: number; region?: string; zone: string }
  matrix: { collectiviteType: string; sizeBand: string; region: string; overseas: boolean; themes: ThemeId[]; traps: Trap[] }
  styles: { terse: string; polite: string; typos: string }
  /** GET /api/match query (q carries the project in words; the other facts as parameters). */
  query: Record<string, string>
  facts: CaseFacts
  expectTop10: string[]
  expectTop3: string[]
  mustNotBeEligible: string[]
  expectedSlots: ExpectedSlots
  sources: CaseSource[]
}

// ---------------------------------------------------------------------------------------------

const hash = (s: string) => createHash('sha256').update(s).digest()
/** A deterministic pick among options, seeded by a string. */
const pick = <T>(options: readonly T[], seed: string): T => options[hash(seed).readUInt32BE(0) % options.length]!

export function halfOf(id: string): Half {
  return hash(`half:${id}`)[0]! % 2 === 0 ? 'dev' : 'holdout'
}

export function trapOf(rule: RuleName): Trap {
  switch (rule) {
    case 'population':
      return 'threshold'
    case 'applicant':
    case 'epciKind':
    case 'syndicatKind':
      return 'applicant type'
    case 'territory':
      return 'zone'
    case 'availability':
      return 'closed call'
    case 'partnerCountry':
    case 'partners':
      return 'excluded country'
    case 'scope':
    case 'stage':
      return 'scope'
    case 'budget':
      return 'budget'
    case 'closedList':
      return 'closed list'
    case 'prerequisite':
      return 'prerequisite'
  }
}

export function sizeBand(population: number | undefined): string {
  if (population === undefined) return 'n/a (département, région)'
  if (population < 1000) return '< 1 000'
  if (population < 5000) return '1 000 – 4 999'
  if (population < 20000) return '5 000 – 19 999'
  if (population < 100000) return '20 000 – 99 999'
  return '≥ 100 000'
}

/**
 * The themes a case describes. An example's own themes; for one without, a theme its programme's
 * facts let through (the cooperation theme when a partner country is named, else the scope's
 * first theme, else the programme's first) — but none when the example's status depends on the
 * project being undescribed (an « à confirmer » by scope or by a suspension of some themes).
 */
export function caseThemes(p: Programme, e: ProgrammeExample): ThemeId[] {
  if (e.themes?.length) return [...e.themes]
  const themeSuspension = !!p.suspension?.themes
  if (e.expect === 'unknown' && (e.rule === 'scope' || (e.rule === 'availability' && themeSuspension))) return []
  if (e.rule === 'availability' && themeSuspension) return []
  const scope = p.eligibility.scope
  const allowed = (t: ThemeId) => !scope || (scope.themes.includes(t) && !scope.excludedThemes.includes(t))
  // The example says nothing of the project's topic: the programme's own (its scope, else its first
  // theme), with the cooperation a partner country makes it — never the cooperation alone, which would
  // describe no project the programme is made for.
  const own = scope ? scope.themes[0]! : p.themes.find((t) => !p.suspension?.themes?.includes(t))
  const country = e.partnerCountry ?? e.partnerCountries?.[0]
  if (country) {
    const coop: ThemeId = EU_COUNTRIES.has(country) || ['CH', 'AD', 'NO', 'GB'].includes(country) ? 'cooperation_europeenne' : 'cooperation_internationale'
    const themes = [...new Set([coop, ...(own ? [own] : [])])].filter(allowed)
    if (themes.length) return themes
  }
  return own ? [own] : []
}

/** An eligible example's programme is a best fit when what singles it out is this project's. */
function bestFitRank(p: Programme, e: ProgrammeExample, themes: ThemeId[]): number | undefined {
  if (e.expect !== 'eligible') return undefined
  const el = p.eligibility
  if (e.partnerCountry && el.partnerCountry?.countries?.includes(e.partnerCountry) && el.partnerCountry.countries.length <= 3) return 0
  if (el.closedList && e.closedLists?.[el.closedList] === true) return 1
  if (el.scope && el.scope.themes.length <= 4 && themes.some((t) => el.scope!.themes.includes(t))) return 2 + el.scope.themes.length / 10
  return undefined
}

// ---------------------------------------------------------------------------------------------
// French

const LIAISON: Record<number, [string, string]> = {
  // typeLiaison (INSEE TNCC): [« de … » form, the bare name with its article]
  0: ['de ', ''],
  1: ['d\'', ''],
  2: ['du ', 'le '],
  3: ['de la ', 'la '],
  4: ['des ', 'les '],
  5: ['de l\'', 'l\''],
}
const liaisonOf = new Map<string, number>()
for (const d of etalabData.departements) liaisonOf.set(`departement:${d.code}`, d.typeLiaison ?? 0)
for (const r of etalabData.regions) liaisonOf.set(`region:${r.code}`, r.typeLiaison ?? 0)

/** « de l'Isère », « du Lot », « de la Creuse ». */
function deName(kind: 'departement' | 'region', code: string, name: string): string {
  const [de] = LIAISON[liaisonOf.get(`${kind}:${code}`) ?? 0] ?? LIAISON[0]!
  return `${de}${name}`
}

export function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/g, 'oe').replace(/Œ/g, 'OE')
}

function formatNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
}

function budgetWords(n: number, style: 'terse' | 'polite' | 'typos'): string {
  if (style === 'terse') return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6} M€` : `${formatNumber(n)} €`
  if (style === 'polite') return n >= 1e6 && n % 1e6 === 0 ? `${n / 1e6} millions d'euros` : `${formatNumber(n)} euros`
  return `${n} euros`
}

function countryDe(code: string): string {
  return COUNTRY_FORMS[code]?.de ?? `du pays suivant : ${countryName(code)}`
}
function countryEn(code: string): string {
  return COUNTRY_FORMS[code]?.en ?? `(pays : ${countryName(code)})`
}

const SYNDICAT_WORDS: Record<string, string> = {
  energie: 'syndicat d\'énergie',
  eau: 'syndicat des eaux',
  mixte: 'syndicat mixte',
  communes: 'syndicat intercommunal (SIVOM)',
}

interface Who {
  terse: string
  polite: string
  typos: string
}

/** The collectivité and the applicant, in the three styles. */
function who(profile: CollectiviteProfile, f: CaseFacts, seed: string): Who {
  const dep = profile.departement
  const depDe = dep ? deName('departement', dep.code, dep.name) : ''
  let base: Who
  if (profile.type === 'commune') {
    const inDep = dep ? ` (${dep.name})` : ''
    base = {
      terse: `${profile.name}${dep ? ` (${dep.code})` : ''}`,
      polite: pick([`je suis maire de ${profile.name}${inDep}.`, `je suis secrétaire de mairie à ${profile.name}, commune ${depDe}.`, `j'écris au nom de la commune de ${profile.name}${inDep}.`], seed + 'p'),
      typos: `mairie de ${profile.name} ${dep?.name ?? ''}`.trim(),
    }
  } else if (profile.type === 'epci') {
    base = {
      terse: profile.name,
      polite: pick([`je travaille pour ${profile.name}.`, `je suis chargé de mission à ${profile.name}.`, `j'écris au nom de l'intercommunalité ${profile.name}.`], seed + 'p'),
      typos: profile.name,
    }
  } else if (profile.type === 'departement') {
    const de = deName('departement', profile.code, profile.name)
    base = {
      terse: `Département ${de}`,
      polite: pick([`je suis chargée de mission au conseil départemental ${de}.`, `j'écris au nom du Département ${de}.`, `je travaille à la direction des finances du département ${de}.`], seed + 'p'),
      typos: `departement ${de}`,
    }
  } else {
    const label = profile.code === '94' ? 'Collectivité de Corse' : `Région ${profile.name}`
    base = {
      terse: label,
      polite: pick([`je travaille pour la ${label}.`, `j'écris au nom de la ${label}.`, `je suis chargé de mission à la ${label}.`], seed + 'p'),
      typos: label,
    }
  }
  const defaultApplicant = profile.type
  if (f.applicant === defaultApplicant) return base
  const pop = f.applicantPopulation !== undefined ? ` de ${formatNumber(f.applicantPopulation)} habitants` : ''
  const name = profile.type === 'commune' ? `${profile.name}${dep ? ` (${dep.name})` : ''}` : base.terse
  switch (f.applicant) {
    case 'syndicat': {
      const s = SYNDICAT_WORDS[f.syndicatKind ?? ''] ?? 'syndicat intercommunal'
      return { terse: `${s}${pop}, ${name}`, polite: `je suis directeur d'un ${s}${pop} dont le siège est à ${name}.`, typos: `${s}${pop} ${name}` }
    }
    case 'association':
      return { terse: `association, ${name}`, polite: `je préside une association de ${name}.`, typos: `association de ${name}` }
    case 'entreprise':
      return { terse: `entreprise privée, ${name}`, polite: `je dirige une entreprise privée installée à ${name}.`, typos: `entreprise privee a ${name}` }
    case 'petr':
      return { terse: `PETR, ${name}`, polite: `je travaille pour le PETR (pôle d'équilibre territorial et rural) autour de ${name}.`, typos: `petr autour de ${name}` }
    case 'groupement_collectivites':
      return {
        terse: `groupement de collectivités${pop}, ${name}`,
        polite: `je représente un groupement de collectivités${pop} dont fait partie ${name}.`,
        typos: `groupement de collectivites${pop} avec ${name}`,
      }
    case 'etablissement_public': {
      // A département's public establishment is its SDIS; a commune's, its CCAS.
      if (profile.type === 'departement') {
        const de = deName('departement', profile.code, profile.name)
        return { terse: `SDIS ${de}`, polite: `je travaille au SDIS (service départemental d'incendie et de secours) ${de}.`, typos: `sdis ${de}` }
      }
      return { terse: `CCAS de ${profile.name}`, polite: `je travaille au CCAS (établissement public) de ${profile.name}.`, typos: `ccas de ${profile.name}` }
    }
    case 'collectivite_outre_mer':
      return { terse: `Collectivité de ${profile.name}`, polite: `j'écris au nom de la Collectivité de ${profile.name}.`, typos: `collectivite de ${profile.name}` }
    case 'commune':
      return { terse: `commune de ${name}`, polite: `j'écris au nom de la commune de ${name}.`, typos: `commune de ${name}` }
    case 'epci':
      return { terse: `intercommunalité de ${name}`, polite: `je travaille pour l'intercommunalité de ${name}.`, typos: `interco de ${name}` }
    default:
      return { terse: `${f.applicant}, ${name}`, polite: `je représente un porteur (${f.applicant}) de ${name}.`, typos: `${f.applicant} ${name}` }
  }
}

function projectWords(f: CaseFacts, seed: string): string {
  if (!f.themes.length) return 'un projet pour notre territoire'
  return f.themes.map((t, i) => pick(THEME_PHRASES[t], `${seed}:${t}:${i}`)).join(' et ')
}

/** One typo in a long word that is not a name: a doubled or a swapped letter (« eclairrage »). */
function typo(word: string, seed: string): string {
  const i = 2 + (hash(seed).readUInt8(0) % Math.max(1, word.length - 4))
  if (hash(seed)[1]! % 2 === 0) return word.slice(0, i) + word[i] + word.slice(i)
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2)
}

function withTypos(text: string, protectedWords: Set<string>, seed: string): string {
  const words = text.split(' ')
  const candidates = words.map((w, i) => [w, i] as const).filter(([w]) => /^[a-z]{7,}$/.test(w) && !protectedWords.has(w))
  let done = 0
  for (const [w, i] of candidates) {
    if (done >= 2) break
    if (hash(`${seed}:${i}`)[0]! % 3 === 0 || (done === 0 && i === candidates.at(-1)![1])) {
      words[i] = typo(w, `${seed}:${i}`)
      done++
    }
  }
  return words.join(' ')
}

export function messages(profile: CollectiviteProfile, f: CaseFacts, id: string): GeneratedCase['styles'] {
  const w = who(profile, f, id)
  const project = projectWords(f, `${id}:project`)
  const country = f.partnerCountry
  const others = (f.partnerCountries ?? []).filter((c) => c !== country)
  const members = Object.entries(f.closedLists ?? {}).filter(([, v]) => v).map(([k]) => k as ClosedListId)
  const stage = f.stage

  // Terse.
  const t: string[] = [project]
  if (country) t.push(`partenaire ${countryName(country)}`)
  if (others.length) t.push(`partenaires ${others.map(countryName).join(' et ')}`)
  if (f.foreignPartners === false) t.push('sans partenaire étranger')
  if (f.location === 'abroad' && !country) t.push('action à l\'étranger')
  // Every style carries the same facts: where the project takes place decides cooperation programmes.
  if (f.location === 'france') t.push('réalisé en France')
  if (stage) t.push(pick(STAGE_PHRASES[stage].terse, `${id}:st`))
  if (f.budget !== undefined) t.push(budgetWords(f.budget, 'terse'))
  for (const m of members) t.push(CLOSED_LISTS[m].label)
  if (f.notThemes?.length) t.push(`pas ${f.notThemes.map((n) => THEMES[n].label.toLowerCase()).join(', ')}`)
  const terse = `${w.terse} : ${t.join(', ')}`

  // Polite and long.
  const greet = pick(['Bonjour,', 'Bonjour Madame, Monsieur,', 'Madame, Monsieur, bonjour.'], `${id}:g`)
  const p: string[] = [`${greet} ${greet.endsWith('.') ? w.polite.replace(/^./, (c) => c.toUpperCase()) : w.polite}`]
  let sentence = `Nous portons un projet qui concerne ${project}`
  if (country) sentence += f.location === 'france' ? `, avec une collectivité partenaire ${countryDe(country)}, mené ici en France` : `, en coopération avec une collectivité ${countryDe(country)}, réalisé ${countryEn(country)}`
  else if (f.location === 'abroad') sentence += ', mené à l\'étranger chez une collectivité partenaire'
  if (others.length) sentence += `, avec des partenaires ${others.map(countryEn).join(' et ')}`
  if (f.location === 'france' && !country) sentence += ', réalisé en France'
  p.push(sentence + '.')
  if (f.foreignPartners === false) p.push('Nous le menons seuls, sans partenaire étranger.')
  if (f.notThemes?.length) p.push(`Précision : le projet ne porte pas sur ${f.notThemes.map((n) => THEMES[n].label.toLowerCase()).join(' ni sur ')}.`)
  if (stage) p.push(`${pick(STAGE_PHRASES[stage].polite, `${id}:sp`)}.`.replace(/^./, (c) => c.toUpperCase()))
  if (f.budget !== undefined) p.push(`Le budget est d'environ ${budgetWords(f.budget, 'polite')}.`)
  for (const m of members) p.push(`${CLOSED_LIST_PHRASES[m]}.`.replace(/^./, (c) => c.toUpperCase()))
  p.push(pick(['Pourriez-vous m\'indiquer les financements auxquels nous pourrions prétendre ? Merci d\'avance.', 'Quelles aides pourrions-nous solliciter ? Je vous remercie par avance de votre retour.', 'Je souhaiterais connaître les subventions mobilisables. Bien cordialement.'], `${id}:end`))
  const polite = p.join(' ')

  // Typos, no accents, capitals.
  const countries = [country, ...others].filter((c): c is string => !!c).map(countryName).join(' ')
  const protectedWords = new Set(stripAccents(`${profile.name} ${profile.departement?.name ?? ''} ${w.typos} ${countries}`).toLowerCase().split(/[^a-z]+/))
  let body = stripAccents(`${w.typos}, ${t.join(', ')}, quelles aides`).toLowerCase().replace(/\s+/g, ' ').trim()
  body = withTypos(body, protectedWords, `${id}:typo`)
  const mode = hash(`${id}:caps`)[0]! % 3
  const typos = mode === 0 ? body.toUpperCase() : mode === 1 ? `slt ${body} ??` : `${body.replace(/^./, (c) => c.toUpperCase())} svp`
  return { terse, polite, typos }
}

// ---------------------------------------------------------------------------------------------

interface Group {
  profile: CollectiviteProfile
  facts: CaseFacts
  members: { p: Programme; e: ProgrammeExample; index: number }[]
}

function factsOf(p: Programme, e: ProgrammeExample, profile: CollectiviteProfile): CaseFacts {
  const f: CaseFacts = { applicant: e.applicant ?? profile.type, themes: caseThemes(p, e) }
  if (e.applicantPopulation !== undefined) f.applicantPopulation = e.applicantPopulation
  if (e.syndicatKind) f.syndicatKind = e.syndicatKind
  if (e.density !== undefined) f.density = e.density
  if (e.notThemes?.length) f.notThemes = [...e.notThemes]
  if (e.stage) f.stage = e.stage
  if (e.budget !== undefined) f.budget = e.budget
  if (e.location) f.location = e.location
  if (e.partnerCountry) f.partnerCountry = e.partnerCountry
  if (e.partnerCountries?.length) f.partnerCountries = [...e.partnerCountries]
  if (e.foreignPartners !== undefined) f.foreignPartners = e.foreignPartners
  if (e.frenchPartners !== undefined) f.frenchPartners = e.frenchPartners
  if (e.closedLists) f.closedLists = { ...e.closedLists }
  if (e.prerequisites) f.prerequisites = { ...e.prerequisites }
  return f
}

function matchQuery(profile: CollectiviteProfile, f: CaseFacts, q: string): Record<string, string> {
  const out: Record<string, string> = {}
  out[profile.type] = profile.code
  out.applicant = f.applicant
  out.q = q
  if (f.stage) out.stage = f.stage
  if (f.budget !== undefined) out.budget = String(f.budget)
  if (f.partnerCountry) out.partnerCountry = f.partnerCountry
  const member = Object.entries(f.closedLists ?? {}).filter(([, v]) => v).map(([k]) => k)
  const notMember = Object.entries(f.closedLists ?? {}).filter(([, v]) => !v).map(([k]) => k)
  if (member.length) out.member = member.join(',')
  if (notMember.length) out.notMember = notMember.join(',')
  if (f.applicantPopulation !== undefined) out.population = String(f.applicantPopulation)
  if (f.syndicatKind) out.syndicatKind = f.syndicatKind
  if (f.density !== undefined) out.density = String(f.density)
  if (f.location) out.location = f.location
  if (f.foreignPartners !== undefined) out.partners = f.foreignPartners ? 'yes' : 'no'
  if (f.partnerCountries?.length) out.partnerCountries = f.partnerCountries.join(',')
  if (f.frenchPartners !== undefined) out.frenchPartners = String(f.frenchPartners)
  if (f.notThemes?.length) out.notThemes = f.notThemes.join(',')
  const done = Object.entries(f.prerequisites ?? {}).filter(([, v]) => v).map(([k]) => k)
  const missing = Object.entries(f.prerequisites ?? {}).filter(([, v]) => !v).map(([k]) => k)
  if (done.length) out.prerequisites = done.join(',')
  if (missing.length) out.missingPrerequisites = missing.join(',')
  return out
}

export function buildCases(programmes: Programme[] = loadCuratedProgrammes()): GeneratedCase[] {
  const geography = loadEtalabGeography()
  const groups = new Map<string, Group>()
  for (const p of programmes) {
    p.examples.forEach((e, index) => {
      if (e.date !== EVAL_DAY) return
      const profile = e.commune ? geography.communeByInsee(e.commune) : e.epci ? geography.epciBySiren(e.epci) : e.departement ? geography.departement(e.departement) : e.region ? geography.region(e.region) : undefined
      if (!profile) return
      const facts = factsOf(p, e, profile)
      const key = JSON.stringify([profile.type, profile.code, facts])
      const g = groups.get(key) ?? { profile, facts, members: [] }
      g.members.push({ p, e, index })
      groups.set(key, g)
    })
  }
  const cases: GeneratedCase[] = []
  for (const [key, g] of groups) {
    const { profile, facts } = g
    const slug = (g.members[0]!.p.id + '-' + profile.name).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 50)
    const id = `${slug}-${hash(key).toString('hex').slice(0, 6)}`
    const styles = messages(profile, facts, id)
    const q = projectWords(facts, `${id}:project`)
    const expectTop10 = [...new Set(g.members.filter((m) => m.e.expect === 'eligible').map((m) => m.p.id))]
    const mustNotBeEligible = [...new Set(g.members.filter((m) => m.e.expect !== 'eligible').map((m) => m.p.id))]
    const fits = g.members
      .map((m) => ({ id: m.p.id, rank: bestFitRank(m.p, m.e, facts.themes) }))
      .filter((x): x is { id: string; rank: number } => x.rank !== undefined)
      .sort((a, b) => a.rank - b.rank)
    const expectTop3 = [...new Set(fits.map((x) => x.id))].slice(0, 3)
    const traps = [...new Set(g.members.filter((m) => m.e.rule && m.e.expect !== 'eligible').map((m) => trapOf(m.e.rule!)))]
    const slots: ExpectedSlots = {
      collectivite: { type: profile.type, code: profile.code },
      applicantType: facts.applicant,
      applicantIsDefault: facts.applicant === profile.type,
      themes: facts.themes,
      ...(facts.stage && { stage: facts.stage }),
      ...(facts.budget !== undefined && { budget: facts.budget }),
      ...(facts.partnerCountry && { partnerCountry: facts.partnerCountry }),
    }
    cases.push({
      id,
      half: halfOf(id),
      collectivite: { type: profile.type, code: profile.code, name: profile.name, ...(profile.population !== undefined && { population: profile.population }), ...(profile.region && { region: profile.region.name }), zone: profile.zone },
      matrix: {
        collectiviteType: facts.applicant === profile.type ? profile.type : `${facts.applicant} (${profile.type})`,
        sizeBand: sizeBand(facts.applicantPopulation ?? profile.population),
        region: profile.type === 'region' ? profile.name : profile.region?.name ?? '?',
        overseas: profile.zone !== 'metro',
        themes: facts.themes,
        traps,
      },
      styles,
      query: matchQuery(profile, facts, q),
      facts,
      expectTop10,
      expectTop3,
      mustNotBeEligible,
      expectedSlots: slots,
      sources: g.members.map((m) => ({ programme: m.p.id, example: m.index, expect: m.e.expect, ...(m.e.rule && { rule: m.e.rule }) })),
    })
  }
  return cases.sort((a, b) => a.id.localeCompare(b.id))
}

/** Counts per cell of the matrix, for the report. */
export function coverage(cases: GeneratedCase[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = { half: {}, collectiviteType: {}, sizeBand: {}, region: {}, overseas: {}, theme: {}, trap: {}, expectation: {} }
  const inc = (dim: string, k: string) => (out[dim]![k] = (out[dim]![k] ?? 0) + 1)
  for (const c of cases) {
    inc('half', c.half)
    inc('collectiviteType', c.matrix.collectiviteType)
    inc('sizeBand', c.matrix.sizeBand)
    inc('region', c.matrix.region)
    inc('overseas', c.matrix.overseas ? 'outre-mer' : 'métropole')
    for (const t of c.matrix.themes.length ? c.matrix.themes : ['(aucun thème dit)']) inc('theme', t)
    for (const t of c.matrix.traps.length ? c.matrix.traps : ['(none: eligible only)']) inc('trap', t)
    if (c.expectTop10.length) inc('expectation', 'top 10')
    if (c.expectTop3.length) inc('expectation', 'top 3')
    if (c.mustNotBeEligible.length) inc('expectation', 'must not be eligible')
  }
  for (const dim of Object.keys(out)) out[dim] = Object.fromEntries(Object.entries(out[dim]!).sort((a, b) => b[1] - a[1]))
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const cases = buildCases()
  writeFileSync(CASES_FILE, JSON.stringify(cases, null, 1) + '\n')
  console.log(`${cases.length} cases written to ${CASES_FILE}`)
  for (const [dim, counts] of Object.entries(coverage(cases))) console.log(`${dim}: ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(' · ')}`)
}
