// French geography from the official Etalab data (@etalab/decoupage-administratif): communes,
// EPCI à fiscalité propre, départements and régions turned into CollectiviteProfile, with the
// lookups a mayor's words need (INSEE code, postal code, SIREN, names with typos, homonyms).
//
// Pure: the data is passed in (core/geography/etalab-data.ts loads the package's JSON), every map
// is built once in createGeography, profiles are made on demand (fresh objects, safe to mutate).
//
// Matching rule, shared by every name lookup:
// - names are compared on normalised keys (normalize.ts): case, accents, hyphens, apostrophes and
//   "St"/"Ste" do not matter;
// - 'exact': the normalised keys are equal; 'variant': equal once a leading article ("le", "la",
//   "les", "l'") or a trailing parenthesis is dropped on either side ("Havre" = "Le Havre",
//   "Réunion" = "La Réunion"); for EPCI, 'variant' also means the same name with another kind
//   ("CC du Pays de Fontainebleau" names the CA du Pays de Fontainebleau);
// - 'partial' (EPCI only): every word of the query is in the EPCI's name;
// - 'fuzzy': within maxTypos(query) edits (Damerau-Levenshtein): 0 up to 3 letters, 1 up to 5,
//   2 up to 10, 3 beyond. Candidates come from a trigram index (q-gram filter: a name within d
//   edits shares at least |trigrams(query)| - 3d trigrams with the query), so a lookup touches
//   only the posting lists of the query's trigrams and computes distances on the few survivors.
// findCommunes/findEpci return all of these, ranked by tier, distance, population. resolve()
// answers 'found' only for exact or variant matches (one candidate) and never auto-corrects a
// typo: a fuzzy-only match is 'notFound' with suggestions ("Vezelai" → "Vézelay (89)"), so that the
// API answers 404 with a "did you mean", and the dialogue asks rather than guesses.
//
// The geography is cut along its seams: types.ts (the Etalab records and this API), build.ts (the
// records and the profiles made of them), name-index.ts (the lookup tables and the searches, with
// trigram-index.ts and epci-names.ts), resolve.ts (resolve() and byCode()). This file composes them.
import type { CollectiviteProfile } from '../profile.ts'
import { buildRecords, createProfiles } from './build.ts'
import { createNameIndex, type Filter, type Hit } from './name-index.ts'
import { normalizeName } from './normalize.ts'
import { createResolver } from './resolve.ts'
import type { Geography, GeographyData, NameMatch } from './types.ts'

export type {
  EtalabCommune,
  EtalabCommuneType,
  EtalabDepartement,
  EtalabEpci,
  EtalabEpciMember,
  EtalabRegion,
  Geography,
  GeographyData,
  MatchKind,
  NameMatch,
  Resolution,
  ResolveResult,
  Suggestion,
} from './types.ts'
export { parseEpciKey } from './epci-names.ts'
export { profileLabel, toSuggestion } from './labels.ts'
export { COLLECTIVITE_CODE } from './resolve.ts'

export function createGeography(data: GeographyData): Geography {
  const records = buildRecords(data)
  const profiles = createProfiles(records)
  const index = createNameIndex(data, records, profiles)
  const { resolve, byCode } = createResolver(records, index, profiles)

  const toMatch = <T>(toProfile: (t: T) => CollectiviteProfile) => (h: Hit<T>): NameMatch => ({
    profile: toProfile(h.item),
    match: h.match,
    distance: h.distance,
  })

  return {
    communeByInsee: (code) => byCode(code, 'commune'),
    communesByPostalCode(postalCode) {
      return (records.byPostalCode.get(postalCode.trim()) ?? []).map(profiles.commune)
    },
    epciBySiren: (siren) => byCode(siren, 'epci'),
    departement: (codeOrName) => byCode(codeOrName, 'departement'),
    region: (codeOrName) => byCode(codeOrName, 'region'),
    findCommunes(name, opts = {}) {
      let filter: Filter | undefined
      if (opts.departement !== undefined) {
        const d = index.findDept(opts.departement)
        if (!d) return []
        filter = (c) => c.departement === d.code
      }
      return index.searchCommunes(normalizeName(name), filter, opts.limit ?? 10).map(toMatch(profiles.commune))
    },
    findEpci(name, opts = {}) {
      return index.searchEpci(name, opts.limit ?? 10).map(toMatch(profiles.epci))
    },
    resolve,
    byCode,
  }
}
