// Wordings for the generated evaluation (build-cases.ts): several French ways to describe a
// project of each theme, a stage, a budget, a partner country and a closed-list membership.
// Theme wordings use a synonym of their own theme (core/themes.ts) and, as far as French allows,
// none of another theme's — generated-cases.test.ts checks it, so that a case says what its
// programmes' examples say and nothing more.
import type { ClosedListId } from '../../../core/closed-lists.ts'
import type { Stage } from '../../../core/programme.ts'
import type { ThemeId } from '../../../core/themes.ts'

export const THEME_PHRASES: Record<ThemeId, string[]> = {
  renovation_energetique: ['la rénovation énergétique de nos bâtiments', 'l\'isolation et le remplacement de la chaudière d\'un bâtiment', 'une rénovation énergétique pour réduire la facture', 'des économies d\'énergie sur nos bâtiments'],
  energies_renouvelables: ['une chaufferie biomasse', 'des panneaux photovoltaïques en toiture', 'un réseau de chaleur alimenté au bois énergie', 'une installation de géothermie'],
  eclairage_public: ['le passage de l\'éclairage public en LED', 'le remplacement des lampadaires par des LED', 'la modernisation de l\'éclairage public'],
  ecoles: ['l\'agrandissement de l\'école primaire', 'un nouveau groupe scolaire', 'la réhabilitation de la cantine scolaire', 'la rénovation de l\'école'],
  equipements_publics: ['la rénovation de la salle des fêtes', 'la réhabilitation d\'un bâtiment communal', 'l\'aménagement de la salle polyvalente', 'la remise en état de l\'atelier municipal'],
  sport: ['la construction d\'un gymnase', 'la rénovation du stade', 'un nouveau city stade', 'la réhabilitation de la piscine'],
  culture_patrimoine: ['la restauration de l\'église', 'une nouvelle médiathèque', 'la mise en valeur du patrimoine', 'la rénovation du musée'],
  mobilite: ['une piste cyclable', 'une voie verte pour les vélos', 'des bornes de recharge pour véhicules électriques', 'un service de transport à la demande'],
  voirie: ['la réfection de la voirie', 'la sécurisation des trottoirs', 'la reprise de la chaussée et des trottoirs', 'la réparation d\'un pont'],
  eau_assainissement: ['la station d\'épuration', 'le renouvellement du réseau d\'eau potable', 'l\'assainissement collectif', 'la gestion des eaux pluviales'],
  biodiversite: ['la renaturation d\'une cour', 'la plantation de haies', 'la restauration d\'une zone humide', 'la désimperméabilisation et la végétalisation d\'une place'],
  adaptation_climat: ['l\'adaptation au changement climatique', 'la lutte contre les îlots de chaleur', 'la protection contre les inondations', 'la prévention des risques naturels'],
  transition_ecologique: ['la transition écologique du territoire', 'notre plan climat', 'la décarbonation de nos activités', 'une démarche bas carbone'],
  dechets: ['une ressourcerie', 'le tri des biodéchets', 'une nouvelle déchetterie', 'le compostage collectif'],
  numerique: ['la transformation numérique de nos services', 'un projet de ville intelligente', 'la cybersécurité de nos systèmes', 'l\'ouverture de nos données (open data)'],
  tres_haut_debit: ['le déploiement de la fibre optique', 'le très haut débit', 'la fibre pour les hameaux', 'le raccordement à la fibre'],
  wifi_public: ['un wifi public gratuit', 'des bornes wifi sur la place', 'un accès wi-fi public', 'un hotspot wifi gratuit'],
  reseaux_mobiles: ['la couverture mobile en 5G', 'une antenne relais pour une zone blanche', 'la téléphonie mobile en zone blanche', 'un réseau 5G'],
  inclusion_numerique: ['la médiation numérique', 'un conseiller numérique', 'la lutte contre l\'illectronisme', 'l\'inclusion numérique des habitants'],
  revitalisation_centre: ['la revitalisation du centre-bourg', 'la redynamisation du centre-ville', 'le maintien du dernier commerce', 'la revitalisation du centre-ville'],
  friches: ['la reconversion d\'une friche', 'la requalification d\'une friche industrielle', 'le recyclage foncier d\'une ancienne usine', 'la dépollution d\'une friche'],
  logement: ['la réhabilitation de logements communaux', 'la lutte contre l\'habitat indigne', 'du logement social', 'la rénovation de l\'habitat ancien'],
  tiers_lieux: ['un tiers-lieu', 'un espace de coworking', 'un fablab', 'un tiers lieu avec coworking'],
  services_publics: ['une maison France Services', 'l\'accueil du public en France Services', 'un espace France Services', 'notre France Services'],
  sante: ['une maison de santé', 'un centre de santé', 'un cabinet médical', 'la lutte contre le désert médical'],
  tourisme: ['l\'office de tourisme', 'un sentier de randonnée', 'le camping municipal', 'le développement touristique'],
  developpement_economique: ['une zone d\'activité', 'le soutien aux entreprises locales', 'l\'accueil d\'entreprises industrielles', 'le développement économique et l\'emploi'],
  ingenierie: ['une assistance à maîtrise d\'ouvrage', 'un chef de projet', 'de l\'ingénierie pour monter le projet', 'une mission d\'ingénierie'],
  cooperation_internationale: ['une coopération décentralisée', 'un projet de coopération internationale', 'un partenariat de coopération décentralisée', 'une action de solidarité internationale'],
  cooperation_europeenne: ['une coopération européenne', 'un projet transfrontalier', 'un réseau de villes européennes', 'un projet Interreg'],
  jeunesse_education: ['un projet pour les jeunes', 'la formation des jeunes', 'des échanges de jeunesse', 'l\'éducation des jeunes'],
  inclusion_sociale: ['la cohésion sociale', 'l\'aide aux seniors isolés', 'l\'inclusion des personnes en difficulté', 'le lien social dans les quartiers prioritaires'],
  accessibilite: ['la mise en accessibilité PMR', 'l\'accessibilité des bâtiments aux personnes handicapées', 'la mise en accessibilité de nos locaux', 'notre Ad\'AP'],
  alimentation_agriculture: ['un projet alimentaire territorial', 'les circuits courts', 'l\'agriculture locale', 'la sécurité alimentaire'],
  securite: ['la vidéoprotection', 'des caméras de vidéosurveillance', 'la police municipale', 'la prévention de la délinquance'],
}

export const STAGE_PHRASES: Record<Stage, { terse: string[]; polite: string[] }> = {
  etude: { terse: ['étude', 'phase études', 'études préalables'], polite: ['nous en sommes au stade des études', 'nous lançons une étude de faisabilité', 'le projet est en phase d\'études'] },
  travaux: { terse: ['travaux', 'phase travaux', 'travaux en 2026'], polite: ['les travaux doivent démarrer cette année', 'nous passons à la phase travaux', 'le chantier est prévu pour cette année'] },
  fonctionnement: { terse: ['fonctionnement', 'frais de fonctionnement', 'dépenses de fonctionnement'], polite: ['il s\'agit de financer le fonctionnement', 'nous cherchons à couvrir les frais de fonctionnement', 'ce sont des dépenses de fonctionnement'] },
}

/** « au Sénégal », « du Sénégal »: the French prepositions of the partner countries the examples name (fallback: « partenaire : X »). */
export const COUNTRY_FORMS: Record<string, { de: string; en: string }> = {
  SN: { de: 'du Sénégal', en: 'au Sénégal' },
  BJ: { de: 'du Bénin', en: 'au Bénin' },
  ML: { de: 'du Mali', en: 'au Mali' },
  BF: { de: 'du Burkina Faso', en: 'au Burkina Faso' },
  VN: { de: 'du Viêt Nam', en: 'au Viêt Nam' },
  MA: { de: 'du Maroc', en: 'au Maroc' },
  UA: { de: 'd\'Ukraine', en: 'en Ukraine' },
  MG: { de: 'de Madagascar', en: 'à Madagascar' },
  LB: { de: 'du Liban', en: 'au Liban' },
  TN: { de: 'de Tunisie', en: 'en Tunisie' },
  TG: { de: 'du Togo', en: 'au Togo' },
  MX: { de: 'du Mexique', en: 'au Mexique' },
  CA: { de: 'du Canada', en: 'au Canada' },
  PS: { de: 'des Territoires palestiniens', en: 'dans les Territoires palestiniens' },
  NE: { de: 'du Niger', en: 'au Niger' },
  MD: { de: 'de Moldavie', en: 'en Moldavie' },
  LA: { de: 'du Laos', en: 'au Laos' },
  JO: { de: 'de Jordanie', en: 'en Jordanie' },
  HT: { de: 'd\'Haïti', en: 'en Haïti' },
  EC: { de: 'd\'Équateur', en: 'en Équateur' },
  CM: { de: 'du Cameroun', en: 'au Cameroun' },
  DE: { de: 'd\'Allemagne', en: 'en Allemagne' },
  IT: { de: 'd\'Italie', en: 'en Italie' },
  ES: { de: 'd\'Espagne', en: 'en Espagne' },
  NL: { de: 'des Pays-Bas', en: 'aux Pays-Bas' },
  BE: { de: 'de Belgique', en: 'en Belgique' },
}

export const CLOSED_LIST_PHRASES: Record<ClosedListId, string> = {
  action_coeur_de_ville: 'nous sommes retenus dans Action Cœur de Ville',
  petites_villes_de_demain: 'nous sommes lauréats Petites villes de demain',
  villages_avenir: 'nous faisons partie des Villages d\'avenir',
  territoires_industrie: 'notre territoire est labellisé Territoires d\'industrie',
  crte: 'nous avons signé un CRTE',
  leader_gal: 'nous sommes dans le périmètre d\'un GAL LEADER',
  bfc_centralites_rurales: 'nous sommes une centralité rurale retenue par la Région (C2R)',
}
