// The one theme taxonomy of Guichet: programme files, search facets, the dialogue's
// understanding of free text and the alerts all speak these ids. Synonyms are lowercase
// French words or expressions (accents allowed: matching folds them) that a mayor would type.

export const THEMES = {
  renovation_energetique: {
    label: 'Rénovation énergétique des bâtiments',
    synonyms: ['rénovation énergétique', 'isolation', 'isoler', 'chaudière', 'chauffage', 'performance énergétique', 'économies d\'énergie', 'passoire thermique', 'menuiseries', 'double vitrage', 'pompe à chaleur', 'ventilation', 'audit énergétique', 'décret tertiaire', 'sobriété énergétique'],
  },
  energies_renouvelables: {
    label: 'Énergies renouvelables et chaleur renouvelable',
    synonyms: ['énergie renouvelable', 'enr', 'photovoltaïque', 'panneaux solaires', 'solaire', 'biomasse', 'granulés', 'bois énergie', 'chaufferie bois', 'géothermie', 'réseau de chaleur', 'méthanisation', 'éolien', 'autoconsommation', 'chaleur renouvelable'],
  },
  eclairage_public: {
    label: 'Éclairage public',
    synonyms: ['éclairage public', 'éclairage', 'led', 'lampadaires', 'candélabres', 'luminaires', 'pollution lumineuse', 'extinction nocturne'],
  },
  ecoles: {
    label: 'Écoles et bâtiments scolaires',
    synonyms: ['école', 'groupe scolaire', 'bâtiment scolaire', 'collège', 'lycée', 'cantine', 'restauration scolaire', 'cour d\'école', 'cour oasis', 'crèche', 'périscolaire', 'classe'],
  },
  equipements_publics: {
    label: 'Bâtiments et équipements publics',
    synonyms: ['équipement public', 'bâtiment communal', 'mairie', 'salle des fêtes', 'salle polyvalente', 'bâtiment public', 'cimetière', 'local technique', 'atelier municipal'],
  },
  sport: {
    label: 'Équipements sportifs',
    synonyms: ['sport', 'piscine', 'gymnase', 'stade', 'terrain de foot', 'city stade', 'salle de sport', 'équipement sportif', 'dojo', 'skatepark'],
  },
  culture_patrimoine: {
    label: 'Culture et patrimoine',
    synonyms: ['patrimoine', 'église', 'monument historique', 'musée', 'bibliothèque', 'médiathèque', 'culture', 'théâtre', 'lavoir', 'château', 'restauration du patrimoine'],
  },
  mobilite: {
    label: 'Mobilités',
    synonyms: ['mobilité', 'vélo', 'piste cyclable', 'voie verte', 'transport', 'covoiturage', 'bornes de recharge', 'véhicule électrique', 'pôle d\'échanges', 'gare', 'navette', 'transport à la demande', 'zfe'],
  },
  voirie: {
    label: 'Voirie et espaces publics',
    synonyms: ['voirie', 'route', 'chaussée', 'trottoir', 'place publique', 'aménagement de bourg', 'espace public', 'parking', 'pont', 'ouvrage d\'art', 'sécurité routière'],
  },
  eau_assainissement: {
    label: 'Eau potable et assainissement',
    synonyms: ['eau potable', 'assainissement', 'station d\'épuration', 'step', 'réseau d\'eau', 'eaux pluviales', 'captage', 'fuites', 'eau', 'gestion de l\'eau', 'rivière', 'gemapi'],
  },
  biodiversite: {
    label: 'Biodiversité, nature en ville et renaturation',
    synonyms: ['biodiversité', 'renaturation', 'désimperméabilisation', 'nature en ville', 'haies', 'arbres', 'végétalisation', 'trame verte', 'zones humides', 'espaces verts'],
  },
  adaptation_climat: {
    label: 'Adaptation au changement climatique et risques naturels',
    synonyms: ['adaptation', 'changement climatique', 'canicule', 'îlot de chaleur', 'inondation', 'risques naturels', 'érosion', 'trait de côte', 'sécheresse', 'incendie', 'feux de forêt', 'submersion'],
  },
  transition_ecologique: {
    label: 'Transition écologique et climat',
    synonyms: ['transition écologique', 'climat', 'neutralité carbone', 'bas carbone', 'plan climat', 'pcaet', 'décarbonation', 'sobriété'],
  },
  dechets: {
    label: 'Déchets et économie circulaire',
    synonyms: ['déchets', 'économie circulaire', 'recyclage', 'réemploi', 'biodéchets', 'compostage', 'tri', 'ressourcerie', 'déchetterie'],
  },
  numerique: {
    label: 'Numérique et services numériques',
    synonyms: ['numérique', 'digital', 'smart city', 'ville intelligente', 'données', 'open data', 'jumeau numérique', 'intelligence artificielle', 'ia', 'cybersécurité', 'dématérialisation', 'logiciel', 'site internet'],
  },
  tres_haut_debit: {
    label: 'Très haut débit et fibre',
    synonyms: ['très haut débit', 'thd', 'fibre', 'fibre optique', 'internet', 'haut débit', 'raccordement', 'réseau d\'initiative publique', 'rip'],
  },
  wifi_public: {
    label: 'Wi-Fi public',
    synonyms: ['wifi', 'wi-fi', 'wifi public', 'wi-fi public', 'wifi gratuit', 'borne wifi', 'bornes wifi', 'hotspot', 'accès internet sans fil'],
  },
  reseaux_mobiles: {
    label: 'Téléphonie mobile et 5G',
    synonyms: ['5g', '4g', 'zone blanche', 'téléphonie mobile', 'couverture mobile', 'antenne relais', 'pylône', 'réseau mobile', 'edge computing'],
  },
  inclusion_numerique: {
    label: 'Inclusion numérique',
    synonyms: ['inclusion numérique', 'conseiller numérique', 'médiation numérique', 'illectronisme', 'fracture numérique', 'aidants numériques'],
  },
  revitalisation_centre: {
    label: 'Revitalisation des centres-villes et centres-bourgs',
    synonyms: ['centre-bourg', 'centre bourg', 'centre-ville', 'centre ville', 'revitalisation', 'commerce', 'commerces de proximité', 'dernier commerce', 'halles', 'marché couvert', 'vacance commerciale', 'attractivité'],
  },
  friches: {
    label: 'Friches et foncier',
    synonyms: ['friche', 'friches', 'foncier', 'recyclage foncier', 'dépollution', 'reconversion', 'zan', 'sobriété foncière', 'renouvellement urbain'],
  },
  logement: {
    label: 'Logement et habitat',
    synonyms: ['logement', 'habitat', 'logement social', 'habitat indigne', 'opah', 'rénovation de l\'habitat', 'logements communaux'],
  },
  tiers_lieux: {
    label: 'Tiers-lieux',
    synonyms: ['tiers-lieu', 'tiers-lieux', 'tiers lieu', 'coworking', 'fablab', 'espace de travail partagé', 'fabrique de territoire'],
  },
  services_publics: {
    label: 'Services au public',
    synonyms: ['france services', 'maison france services', 'service public', 'services au public', 'accueil du public', 'guichet'],
  },
  sante: {
    label: 'Santé',
    synonyms: ['santé', 'maison de santé', 'centre de santé', 'médecin', 'désert médical', 'msp', 'cabinet médical'],
  },
  tourisme: {
    label: 'Tourisme',
    synonyms: ['tourisme', 'touristique', 'camping', 'office de tourisme', 'randonnée', 'sentier', 'itinérance'],
  },
  developpement_economique: {
    label: 'Développement économique et emploi',
    synonyms: ['développement économique', 'industrie', 'zone d\'activité', 'entreprises', 'emploi', 'ess', 'économie sociale et solidaire', 'artisanat', 'innovation'],
  },
  ingenierie: {
    label: 'Ingénierie et accompagnement de projet',
    synonyms: ['ingénierie', 'étude', 'études', 'assistance à maîtrise d\'ouvrage', 'amo', 'chef de projet', 'accompagnement', 'diagnostic', 'conseil'],
  },
  cooperation_internationale: {
    label: 'Coopération décentralisée et solidarité internationale',
    synonyms: ['coopération décentralisée', 'coopération internationale', 'coopération', 'jumelage', 'ville jumelle', 'solidarité internationale', 'action extérieure', 'partenariat international', 'aide au développement'],
  },
  cooperation_europeenne: {
    label: 'Coopération européenne et transfrontalière',
    synonyms: ['coopération européenne', 'transfrontalier', 'transfrontalière', 'interreg', 'échange européen', 'réseau de villes européennes'],
  },
  jeunesse_education: {
    label: 'Jeunesse, éducation et formation',
    synonyms: ['jeunesse', 'jeunes', 'éducation', 'formation', 'volontariat', 'service civique', 'enfance'],
  },
  inclusion_sociale: {
    label: 'Cohésion sociale et inclusion',
    synonyms: ['inclusion', 'cohésion sociale', 'égalité femmes-hommes', 'solidarité', 'handicap', 'seniors', 'vieillissement', 'quartiers prioritaires'],
  },
  accessibilite: {
    label: 'Accessibilité',
    synonyms: ['accessibilité', 'personnes handicapées', 'pmr', 'ad\'ap', 'mise en accessibilité'],
  },
  alimentation_agriculture: {
    label: 'Alimentation et agriculture',
    synonyms: ['alimentation', 'agriculture', 'sécurité alimentaire', 'projet alimentaire territorial', 'pat', 'circuits courts', 'forêt'],
  },
  securite: {
    label: 'Sécurité et prévention',
    synonyms: ['vidéoprotection', 'vidéosurveillance', 'caméras', 'sécurité', 'prévention de la délinquance', 'police municipale', 'défense incendie'],
  },
} as const satisfies Record<string, { label: string; synonyms: readonly string[] }>

export type ThemeId = keyof typeof THEMES
export const THEME_IDS = Object.keys(THEMES) as [ThemeId, ...ThemeId[]]

export function themeLabel(id: ThemeId): string {
  return THEMES[id].label
}

/**
 * Broader themes: a programme filed under the broader theme is partly relevant to a project of
 * the narrower one (public Wi-Fi is "numérique" for a dotation that lists no "très haut débit").
 * Used for relevance only, never for eligibility.
 */
export const BROADER_THEMES: Partial<Record<ThemeId, ThemeId[]>> = {
  tres_haut_debit: ['numerique'],
  wifi_public: ['tres_haut_debit', 'numerique'],
  reseaux_mobiles: ['tres_haut_debit', 'numerique'],
  inclusion_numerique: ['numerique', 'services_publics'],
  eclairage_public: ['equipements_publics', 'renovation_energetique'],
  ecoles: ['equipements_publics'],
  sport: ['equipements_publics'],
  culture_patrimoine: ['equipements_publics'],
  renovation_energetique: ['transition_ecologique'],
  energies_renouvelables: ['transition_ecologique'],
  biodiversite: ['transition_ecologique'],
  adaptation_climat: ['transition_ecologique'],
  dechets: ['transition_ecologique'],
  friches: ['revitalisation_centre'],
  tiers_lieux: ['revitalisation_centre'],
  voirie: ['mobilite'],
  sante: ['services_publics'],
}
