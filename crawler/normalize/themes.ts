// Themes from a source's words: categories, tags, title and description matched against the
// synonyms of core/themes.ts (plus the category labels and English keywords the sources use).
// Never empty: when nothing matches, the source's closest generic theme is used.
import { THEMES, THEME_IDS, type ThemeId } from '../../core/themes.ts'
import { fold } from './text.ts'

/** Words the taxonomy does not list but the sources write: AT/IdF category labels, EU English tags. */
const EXTRA_SYNONYMS: Partial<Record<ThemeId, readonly string[]>> = {
  renovation_energetique: ['efficacite energetique', 'renovation', 'batiments et construction', 'energy efficiency', 'buildings'],
  energies_renouvelables: ['energie', 'energies', 'transition energetique', 'geothermie de surface', 'aerothermie', 'hydrogene', 'renewable energy', 'renewables', 'biomass', 'hydrogen', 'heat pump'],
  ecoles: ['education artistique', 'school', 'schools'],
  sport: ['sports', 'sportive', 'sportives', 'sportifs'],
  culture_patrimoine: ['arts plastiques', 'pratiques culturelles', 'pratiques artistiques', 'spectacle vivant', 'audiovisuel', 'cinema', 'musique', 'livre et lecture', 'arts', 'cultural', 'cultural heritage', 'heritage', 'creative'],
  mobilite: ['mobilites', 'transports', 'vehicules', 'mobility', 'transport', 'vehicles', 'charging'],
  eau_assainissement: ['assainissement des eaux', 'water'],
  biodiversite: ['nature', 'environnement', 'biodiversity', 'soil', 'soils', 'sols', 'ecosystem'],
  adaptation_climat: ['climate adaptation', 'resilience'],
  transition_ecologique: ['developpement durable', 'qualite de l\'air', 'climate', 'green deal', 'ecoconception', 'environmental performance'],
  dechets: ['biodechets', 'circular economy', 'waste'],
  numerique: ['digital agenda', 'cybersecurity', 'cybersecurite', 'data', 'artificial intelligence', 'ai', 'software', 'computer', 'semiconductors'],
  revitalisation_centre: ['amenagement du territoire', 'espaces publics'],
  logement: ['hebergement', 'housing'],
  sante: ['health', 'medical'],
  tourisme: ['tourism'],
  developpement_economique: ['economie', 'commerce & industrie', 'entreprise', 'industry', 'competitiveness', 'smes', 'pme', 'emploi, travail, formation', 'research and innovation'],
  ingenierie: ['ingenierie technique', 'ingenierie financiere'],
  cooperation_internationale: ['aict', 'cooperation & developpement', 'droits humains', 'developpement international', 'development cooperation', 'human rights'],
  cooperation_europeenne: ['europe', 'europeen', 'europeenne', 'european'],
  jeunesse_education: ['famille et enfance', 'enseignement superieur', 'education', 'training', 'youth', 'citoyennete'],
  inclusion_sociale: ['region solidaire', 'precarite', 'solidarites', 'lien social', 'discriminations', 'social economy', 'economie sociale', 'handicap'],
  alimentation_agriculture: ['alimentaire', 'agricole', 'agriculteurs', 'agriculture', 'food', 'farming', 'agronomy', 'fertilisation', 'circuits courts'],
  securite: ['securite civile'],
}

/** Synonyms too common in prose to count on their own when they only appear in a description. */
const WEAK_IN_PROSE = new Set(['renovation', 'conseil', 'accompagnement', 'classe', 'etude', 'etudes', 'formation', 'securite', 'eau', 'tri', 'route', 'pont', 'commerce', 'transport', 'climat', 'innovation', 'entreprises', 'emploi', 'donnees', 'data', 'ai', 'ia', 'internet', 'nature', 'environnement', 'energie', 'energies', 'europe', 'arts', 'economie', 'pat', 'step', 'enr', 'led', 'amo', 'ess', 'zan', 'thd'])

interface Matcher {
  theme: ThemeId
  /** The folded synonym: a text that does not contain it cannot match (a cheap test before the regex). */
  word: string
  /** One word of letters and digits: a lookup in the text's word set says as much as the regex. */
  single: boolean
  pattern: RegExp
  weak: boolean
}

const MATCHERS: Matcher[] = THEME_IDS.flatMap((theme) => {
  const words = [...THEMES[theme].synonyms, ...(EXTRA_SYNONYMS[theme] ?? [])].map((w) => fold(w))
  return [...new Set(words)].map((w) => ({ theme, word: w, single: /^[a-z0-9]+$/.test(w), pattern: new RegExp(`(^|[^a-z0-9])${escape(w)}s?($|[^a-z0-9])`), weak: WEAK_IN_PROSE.has(w) }))
})

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export interface ThemeInput {
  /** Category labels, tags, titles: any synonym counts. */
  strong: readonly (string | undefined)[]
  /** Descriptions: a theme needs two hits, or one non-generic synonym. */
  prose?: readonly (string | undefined)[]
  /** The closest generic theme for this source when nothing matches. */
  fallback: ThemeId
  /** Themes the source's own codes gave (ADEME thématiques…), kept first. */
  known?: readonly ThemeId[]
  max?: number
}

function matches(m: Matcher, folded: string, words: Set<string>): boolean {
  if (m.single) return words.has(m.word) || words.has(`${m.word}s`)
  return folded.includes(m.word) && m.pattern.test(folded)
}

function wordsOf(folded: string): Set<string> {
  return new Set(folded.split(/[^a-z0-9]+/))
}

export function themesFromText({ strong, prose = [], fallback, known = [], max = 4 }: ThemeInput): [ThemeId, ...ThemeId[]] {
  const scores = new Map<ThemeId, number>()
  const add = (theme: ThemeId, n: number) => scores.set(theme, (scores.get(theme) ?? 0) + n)
  for (const text of strong) {
    if (!text) continue
    const folded = fold(text)
    const words = wordsOf(folded)
    for (const m of MATCHERS) if (matches(m, folded, words)) add(m.theme, 3)
  }
  for (const text of prose) {
    if (!text) continue
    const folded = fold(text)
    const words = wordsOf(folded)
    const seen = new Map<ThemeId, number>()
    for (const m of MATCHERS) {
      if (!matches(m, folded, words)) continue
      seen.set(m.theme, (seen.get(m.theme) ?? 0) + (m.weak ? 1 : 2))
    }
    for (const [theme, n] of seen) if (n >= 2) add(theme, n)
  }
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || THEME_IDS.indexOf(a[0]) - THEME_IDS.indexOf(b[0])).map(([t]) => t)
  const themes = [...new Set([...known, ...ranked])].slice(0, max)
  return themes.length ? (themes as [ThemeId, ...ThemeId[]]) : [fallback]
}
