// Synonyms shared by both search engines: groups of equivalent expressions (written once, by
// hand) and one-way expansions from each theme synonym of core/themes.ts to that theme's label,
// so that "lampadaires" finds the programmes tagged « Éclairage public ». The embedded engine
// expands queries with them; Meilisearch receives the same map as its `synonyms` setting.
import { THEMES, type ThemeId } from '../core/themes.ts'

/** Expressions that mean the same thing to a mayor: each one finds the others. */
export const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['thd', 'très haut débit', 'fibre', 'fibre optique'],
  ['led', 'éclairage', 'leds'],
  ['epci', 'intercommunalité', 'interco', 'com com', 'comcom', 'communauté de communes'],
  ['wifi', 'wi-fi', 'wi fi'],
  ['tiers-lieu', 'tiers lieu', 'coworking', 'espace de travail partagé'],
  ['vidéoprotection', 'vidéosurveillance', 'caméras de surveillance'],
  ['école', 'groupe scolaire', 'bâtiment scolaire'],
  ['cantine', 'restauration scolaire'],
  ['médiathèque', 'bibliothèque'],
  ['salle des fêtes', 'salle polyvalente'],
  ['mairie', 'hôtel de ville'],
  ['photovoltaïque', 'panneaux solaires', 'solaire', 'pv'],
  ['bornes de recharge', 'irve', 'recharge électrique'],
  ['vélo', 'piste cyclable', 'cyclable'],
  ['msp', 'maison de santé', 'maison de santé pluriprofessionnelle'],
  ['step', "station d'épuration"],
  ['pompe à chaleur', 'pac'],
  ['zfe', 'zone à faibles émissions'],
  ['zan', 'zéro artificialisation nette'],
  ['enr', 'énergies renouvelables', 'énergie renouvelable'],
  ['ia', 'intelligence artificielle'],
  ['pmr', 'personnes à mobilité réduite'],
  ['ess', 'économie sociale et solidaire'],
  ['amo', "assistance à maîtrise d'ouvrage"],
  ['pcaet', 'plan climat'],
  ['crte', 'contrat de relance et de transition écologique', 'contrat pour la réussite de la transition écologique'],
  ['ue', 'union européenne', 'europe', 'européen'],
  ['ademe', 'agence de la transition écologique'],
  ['anct', 'agence nationale de la cohésion des territoires'],
  ['bdt', 'banque des territoires'],
  ['afd', 'agence française de développement'],
  ['feder', 'fonds européen de développement régional'],
  ['detr', "dotation d'équipement des territoires ruraux"],
  ['dsil', "dotation de soutien à l'investissement local"],
  ['pvd', 'petites villes de demain'],
  ['acv', 'action cœur de ville'],
  ['rénovation énergétique', 'performance énergétique', 'efficacité énergétique'],
]

/**
 * The synonym map both engines use: each expression (as written, accents kept) maps to the
 * expressions a query containing it should also find. Groups map every member to the others;
 * theme synonyms map one way to the theme's label (searching the label does not pull in every
 * synonym, which would drown "eau" in "rivière" and "gemapi").
 */
export function synonymMap(): Map<string, string[]> {
  const map = new Map<string, Set<string>>()
  const add = (from: string, to: string) => {
    const key = from.toLowerCase()
    const value = to.toLowerCase()
    if (key === value) return
    let set = map.get(key)
    if (!set) map.set(key, (set = new Set()))
    set.add(value)
  }
  for (const group of SYNONYM_GROUPS) for (const a of group) for (const b of group) add(a, b)
  for (const id of Object.keys(THEMES) as ThemeId[]) {
    const { label, synonyms } = THEMES[id]
    for (const s of synonyms) add(s, label)
  }
  return new Map([...map].map(([k, v]) => [k, [...v]]))
}
