// The documents the SearchIndex contract runs on: a dozen real programmes from
// content/programmes/ (whichever of them parse today), mapped on a fixed day, plus hand-built
// documents that pin down one behaviour each (a synonym with no shared word, a deadline, …).
// Expectations are computed from the fixture itself, so the suite holds as the catalogue grows.
import { parseProgrammeFile } from '../../content/parse-programme-file.ts'
import { dayNumber } from '../../core/clock.ts'
import { THEMES, type ThemeId } from '../../core/themes.ts'
import { readProgrammeFiles } from '../../runtime/node/load-content.ts'
import { toSearchDocument, utcMidnight } from '../../search/document.ts'
import type { HardAttributes } from '../../search/hard-filter.ts'
import type { FacetName, SearchDocument, SearchFilters } from '../../search/search-index.ts'

export const FIXTURE_DAY = '2026-03-01'

const CURATED_IDS = [
  'detr',
  'dsil',
  'fonds_vert',
  'plan_france_thd',
  'wifi4eu',
  'bdt_edurenov',
  'bdt_intracting',
  'actee_fnccr',
  'elena_bei',
  'france_services',
  'fabriques_territoire',
  'petites_villes_de_demain',
  'crte',
  'dctciv_sport',
]

export function curatedDocuments(): SearchDocument[] {
  const wanted = new Set(CURATED_IDS.map((id) => `${id}.yaml`))
  const docs: SearchDocument[] = []
  for (const file of readProgrammeFiles()) {
    if (!wanted.has(file.name)) continue
    try {
      docs.push(toSearchDocument(parseProgrammeFile(file.name, file.text), FIXTURE_DAY))
    } catch {
      // A file another editor is halfway through: the suite runs on the others.
    }
  }
  return docs
}

type Defaulted = 'themeLabels' | 'shortName' | 'keywords' | 'nextDeadline' | keyof HardAttributes
function doc(d: Omit<SearchDocument, Defaulted> & Partial<HardAttributes> & { shortName?: string; keywords?: string[]; deadline?: string }): SearchDocument {
  const { deadline, ...rest } = d
  return {
    shortName: null,
    keywords: [],
    admittedAs: [],
    territoryZones: ['*'],
    territoryRegions: ['*'],
    territoryDepartements: ['*'],
    populationBounds: {},
    closedSpans: [],
    ...rest,
    themeLabels: d.themes.map((t: ThemeId) => THEMES[t].label),
    nextDeadline: deadline ? utcMidnight(deadline) : null,
  }
}

/** Hand-built documents, each there for one case of the contract. */
export const HAND_BUILT: SearchDocument[] = [
  doc({
    id: 'fixture_eclairage_led',
    name: "Modernisation de l'éclairage public communal",
    funders: ['Conseil départemental de la Nièvre'],
    summary: 'Subvention pour remplacer les luminaires vétustes par des LED et installer des horloges astronomiques.',
    themes: ['eclairage_public'],
    level: 'departemental',
    applicantTypes: ['commune'],
    status: 'open',
    deadline: '2026-04-15',
    // Hard rules for the contract's setAside cases: the Nièvre, its EPCI admitted by name, under 2,000 inhabitants, closed in summer 2026.
    admittedAs: ['epci:200090579'],
    territoryDepartements: ['58'],
    populationBounds: { commune_metro: { below: 2_000 }, commune_none: { below: 2_000 } },
    closedSpans: [{ from: dayNumber('2026-06-01'), until: dayNumber('2026-09-01') }],
  }),
  doc({
    // Says "très haut débit" but never "fibre", and carries no THD theme: only the synonym finds it.
    id: 'fixture_zones_activite',
    name: "Raccordement des zones d'activités au très haut débit",
    funders: ['Région Bourgogne-Franche-Comté'],
    summary: "Aide aux intercommunalités qui raccordent leurs zones d'activités économiques à un réseau très haut débit.",
    themes: ['developpement_economique'],
    level: 'regional',
    applicantTypes: ['epci'],
    status: 'forthcoming',
    deadline: '2026-09-30',
  }),
  doc({
    id: 'fixture_ecoles_rurales',
    name: 'Rénovation des écoles rurales',
    funders: ['Conseil départemental du Cantal'],
    summary: "Travaux d'isolation et de chauffage des écoles et des groupes scolaires des communes de moins de 3 500 habitants.",
    themes: ['ecoles', 'renovation_energetique'],
    level: 'departemental',
    applicantTypes: ['commune', 'syndicat'],
    status: 'open',
    deadline: '2026-05-31',
  }),
  doc({
    id: 'fixture_cantines',
    name: 'Équipement des cantines',
    funders: ['Conseil départemental du Cantal'],
    summary: 'Achat de matériel de cuisine pour la restauration scolaire en circuits courts.',
    themes: ['ecoles', 'alimentation_agriculture'],
    level: 'departemental',
    applicantTypes: ['commune'],
    status: 'closed',
  }),
  doc({
    id: 'fixture_coworking',
    // Never says "tiers-lieu" and has no tiers-lieux theme: found through tiers-lieu ↔ coworking.
    name: 'Espaces de coworking en milieu rural',
    funders: ['Région Occitanie'],
    summary: "Aménagement d'espaces de coworking dans des bâtiments communaux inoccupés.",
    themes: ['developpement_economique'],
    level: 'regional',
    applicantTypes: ['commune', 'epci', 'association'],
    status: 'permanent',
  }),
  doc({
    id: 'fixture_videoprotection',
    name: 'Fonds de prévention de la délinquance',
    shortName: 'FIPD',
    funders: ['État (préfecture de département)'],
    summary: "Cofinancement de l'installation de caméras de vidéosurveillance sur la voie publique.",
    themes: ['securite'],
    level: 'national',
    applicantTypes: ['commune', 'epci'],
    status: 'open',
    deadline: '2026-03-20',
  }),
  doc({
    id: 'fixture_ingenierie_epci',
    // Says "communauté de communes" but neither "EPCI" nor "intercommunalité": found through the synonyms.
    name: "Un chargé de mission pour la communauté de communes",
    funders: ['Région Bretagne'],
    summary: "Cofinancement d'un poste d'ingénierie pour préparer le projet de territoire.",
    themes: ['ingenierie'],
    level: 'regional',
    applicantTypes: ['epci'],
    status: 'recurring',
  }),
]

export function searchFixture(): SearchDocument[] {
  return [...curatedDocuments(), ...HAND_BUILT]
}

/** What a filter should keep, computed the plain way. */
export function matchesFilters(d: SearchDocument, f: SearchFilters): boolean {
  const anyOf = (values: readonly string[] | undefined, have: readonly string[]) => values === undefined || have.some((v) => values.includes(v))
  return (
    anyOf(f.level, [d.level]) &&
    anyOf(f.status, [d.status]) &&
    anyOf(f.themes, d.themes) &&
    anyOf(f.applicantTypes, d.applicantTypes) &&
    anyOf(f.funders, d.funders) &&
    anyOf(f.ids, [d.id])
  )
}

/** Facet counts over these documents, computed the plain way. */
export function countFacets(docs: readonly SearchDocument[], facets: readonly FacetName[]): Partial<Record<FacetName, Record<string, number>>> {
  const out: Partial<Record<FacetName, Record<string, number>>> = {}
  for (const f of facets) {
    const counts: Record<string, number> = {}
    for (const d of docs) {
      const v = d[f]
      for (const value of Array.isArray(v) ? new Set(v) : [v as string]) counts[value] = (counts[value] ?? 0) + 1
    }
    out[f] = counts
  }
  return out
}
