// Project themes and search terms from the mayor's words. The base vocabulary is the synonyms of
// core/themes.ts; the variants below add what mayors actually type (plurals and spellings the
// stemmer does not join, everyday words, abbreviations). Each match gives a theme and a term
// (the canonical spelling, for search). A negated word goes to `remove`; its theme is removed only
// when no other word of the same theme is asked for ("pas les lampadaires, l'éclairage public": the
// lampadaires term goes, the éclairage theme stays).
import { THEMES, type ThemeId } from '../../../core/themes.ts'
import { PhraseMatcher, type PhraseSpec } from './phrases.ts'
import { asText, type Text } from './text.ts'

/** Extra spellings, by theme: "variant" (its own term) or "variant=canonical term". */
const EXTRAS: Partial<Record<ThemeId, string[]>> = {
  eclairage_public: [
    'éclairage', 'éclairage publique=éclairage public', 'éclairage de la commune=éclairage public', 'éclairage des rues=éclairage public',
    'lampadaire=lampadaires', 'luminaire=luminaires', 'candélabre=candélabres', 'réverbères=lampadaires', 'ampoules=LED', 'leds=LED',
    'points lumineux', 'extinction de l\'éclairage=extinction nocturne', 'éclairage nocturne=éclairage public',
  ],
  tres_haut_debit: ['fibre optique', 'fibrer=fibre', 'fibrage=fibre', 'débit internet=internet', 'connexion internet=internet'],
  // Wi-fi spellings belong to the public wi-fi theme (its own programmes: WiFi4EU), not to the fibre.
  wifi_public: ['wi fi=wifi', 'wi fi public=wifi public', 'wify=wifi', 'wiffi=wifi', 'réseau wifi=wifi', 'borne wifi=wifi', 'hotspot=wifi'],
  reseaux_mobiles: [
    'antenne relais', 'antennes relais=antenne relais', 'pylône', 'couverture réseau=couverture mobile', 'zones blanches=zone blanche',
    'réseau mobile', 'réseau de téléphonie mobile=téléphonie mobile', 'réseau téléphonique mobile=téléphonie mobile', 'couverture téléphonique=couverture mobile',
  ],
  tiers_lieux: ['tiers lieu=tiers-lieu', 'tierslieu=tiers-lieu', 'tier lieu=tiers-lieu', 'espace de coworking=coworking', 'co working=coworking', 'fab lab=fablab'],
  ecoles: [
    'école', 'école primaire', 'école maternelle', 'maternelle=école maternelle', 'groupe scolaire', 'scolaire=bâtiment scolaire',
    'cour de récréation=cour d\'école', 'cour de récré=cour d\'école', 'préau', 'salle de classe=classe', 'cantine scolaire=cantine',
    'rpi=école', 'regroupement pédagogique=école', 'écoles', 'cours d\'école=cour d\'école', 'restaurant scolaire=cantine', 'cantines=cantine',
  ],
  renovation_energetique: [
    'chaudière', 'isolation thermique=isolation', 'isolation des combles=isolation', 'combles=isolation', 'rénovation thermique=rénovation énergétique',
    'passoire énergétique=passoire thermique', 'fenêtres=menuiseries', 'huisseries=menuiseries', 'chauffage au fioul=chauffage',
    'fioul=chauffage', 'dpe=audit énergétique', 'économies d\'énergies=économies d\'énergie', 'consommation d\'énergie=économies d\'énergie',
    'facture énergétique=économies d\'énergie', 'rénovation des bâtiments=rénovation énergétique', 'thermique=rénovation énergétique',
    'eau chaude sanitaire', 'production d\'eau chaude=eau chaude sanitaire', 'eau chaude=eau chaude sanitaire', 'chauffe-eau=eau chaude sanitaire',
    'ballon d\'eau chaude=eau chaude sanitaire', 'cumulus=eau chaude sanitaire',
  ],
  energies_renouvelables: [
    'énergies renouvelables=énergie renouvelable', 'granulés de bois=granulés', 'granulé=granulés', 'pellets=granulés',
    'chaudière bois=chaufferie bois', 'chaudière à granulés=granulés', 'chaufferie', 'panneaux photovoltaïques=photovoltaïque',
    'centrale solaire=solaire', 'ombrières=photovoltaïque', 'ombrière=photovoltaïque', 'éoliennes=éolien', 'éolienne=éolien',
    'hydroélectricité', 'biogaz=méthanisation', 'réseaux de chaleur=réseau de chaleur', 'réseau chaleur=réseau de chaleur',
    'chaufferie bois et réseau de chaleur=réseau de chaleur', 'chauffe-eau solaire=solaire thermique', 'eau chaude solaire=solaire thermique', 'solaire thermique',
  ],
  securite: [
    'vidéo protection=vidéoprotection', 'video-protection=vidéoprotection', 'vidéo surveillance=vidéosurveillance', 'caméra=caméras',
    'caméras de surveillance=vidéoprotection', 'caméras de vidéoprotection=vidéoprotection', 'poteaux incendie=défense incendie',
    'bornes incendie=défense incendie', 'bâche incendie=défense incendie', 'réserve incendie=défense incendie',
  ],
  voirie: [
    'voiries=voirie', 'routes=route', 'chemins ruraux=voirie', 'chemin rural=voirie', 'chemins communaux=voirie', 'chemin communal=voirie',
    'enrobé=voirie', 'goudron=voirie', 'nids de poule=voirie', 'nid de poule=voirie', 'trottoirs=trottoir', 'rue=voirie', 'rues=voirie',
    'carrefour=voirie', 'rond point=voirie', 'ralentisseurs=sécurité routière', 'ralentisseur=sécurité routière',
    'signalisation=voirie', 'aménagement de voirie=voirie', 'réfection de voirie=voirie', 'place du village=place publique',
    'place de la mairie=place publique', 'place de l\'église=place publique', 'stationnement=parking',
  ],
  sport: [
    'piscines=piscine', 'bassin de natation=piscine', 'centre aquatique=piscine', 'terrain de football=terrain de foot',
    'terrain multisport=city stade', 'city-stade=city stade', 'salle omnisports=gymnase', 'tennis', 'vestiaires', 'équipements sportifs=équipement sportif',
    'sportif=sport', 'sportifs=sport', 'sportive=sport', 'sportives=sport', 'pumptrack=skatepark', 'skate park=skatepark',
  ],
  revitalisation_centre: [
    'centre-bourg', 'cœur de village=centre-bourg', 'coeur de bourg=centre-bourg', 'centre du village=centre-bourg', 'centre ancien=centre-bourg',
    'cœur de ville=centre-ville', 'épicerie=dernier commerce', 'épicerie communale=dernier commerce', 'multiple rural=dernier commerce',
    'bar restaurant=dernier commerce', 'commerce de proximité=commerces de proximité', 'commerces=commerce', 'boulangerie=dernier commerce',
  ],
  friches: ['friche industrielle=friche', 'friche commerciale=friche', 'site pollué=dépollution', 'ancienne usine=friche', 'bâtiment abandonné=friche', 'bâtiment désaffecté=friche'],
  eau_assainissement: [
    'assainissement collectif=assainissement', 'assainissement non collectif=assainissement', 'spanc=assainissement', 'station d\'épuration',
    'lagunage=assainissement', 'lagune=assainissement', 'réseau d\'assainissement=assainissement', 'eaux usées=assainissement',
    'château d\'eau=eau potable', 'réservoir d\'eau=eau potable', 'forage=eau potable', 'canalisations=réseau d\'eau',
    'compteurs d\'eau=réseau d\'eau', 'réseaux d\'eau=réseau d\'eau', 'ruissellement=eaux pluviales', 'pluvial=eaux pluviales',
    'stations d\'épuration=station d\'épuration', 'steu=station d\'épuration',
    'alimentation en eau potable=eau potable', 'alimentation en eau=eau potable', 'adduction d\'eau=eau potable', 'adduction d\'eau potable=eau potable',
    'distribution d\'eau potable=eau potable', 'distribution de l\'eau=eau potable', 'réseau d\'eau potable=réseau d\'eau', 'réseau d\'adduction=réseau d\'eau',
    'réseau d\'eaux usées=assainissement', 'réseau de distribution d\'eau=réseau d\'eau',
  ],
  cooperation_internationale: [
    'coopération', 'jumelage', 'jumelée=jumelage', 'jumelé=jumelage', 'jumeler=jumelage', 'ville jumelle', 'commune jumelle=ville jumelle',
    'villes jumelles=ville jumelle', 'coopération décentralisée', 'solidarité internationale', 'partenariat international',
    'ville partenaire=coopération décentralisée', 'commune partenaire=coopération décentralisée',
  ],
  cooperation_europeenne: ['erasmus=échange européen', 'jumelage européen=coopération européenne', 'programme européen=coopération européenne'],
  numerique: [
    'informatique=numérique', 'ordinateurs=numérique', 'tablettes=numérique', 'logiciels=logiciel', 'site web=site internet',
    'cyber sécurité=cybersécurité', 'cyberattaque=cybersécurité', 'application mobile=numérique', 'tbi=numérique',
  ],
  mobilite: [
    'vélos=vélo', 'pistes cyclables=piste cyclable', 'bornes électriques=bornes de recharge', 'borne de recharge=bornes de recharge',
    'borne électrique=bornes de recharge', 'irve=bornes de recharge', 'aire de covoiturage=covoiturage', 'tad=transport à la demande',
    'mobilités douces=mobilité', 'mobilité douce=mobilité', 'liaison douce=mobilité', 'voie douce=voie verte', 'autopartage=mobilité',
  ],
  culture_patrimoine: ['église', 'clocher=église', 'orgue=patrimoine', 'chapelle=patrimoine', 'vitraux=patrimoine', 'vitrail=patrimoine', 'monument aux morts=patrimoine', 'salle de spectacle=culture', 'cinéma=culture', 'école de musique=culture'],
  equipements_publics: [
    'salle des fêtes', 'salle communale=salle polyvalente', 'bâtiments communaux=bâtiment communal', 'atelier technique=local technique',
    'ateliers municipaux=atelier municipal', 'hôtel de ville=mairie', 'agrandissement de la mairie=mairie', 'rénovation de la mairie=mairie',
  ],
  sante: ['maison de santé', 'médecins=médecin', 'cabinet médical', 'maison médicale=maison de santé', 'centre médical=centre de santé', 'pluridisciplinaire=maison de santé'],
  dechets: ['déchetterie', 'décheterie=déchetterie', 'composteurs=compostage', 'composteur=compostage', 'points d\'apport volontaire=tri', 'ordures ménagères=déchets'],
  biodiversite: ['haie=haies', 'plantation d\'arbres=arbres', 'végétaliser=végétalisation', 'désimperméabiliser=désimperméabilisation', 'mare=zones humides', 'verger=arbres', 'renaturer=renaturation', 'débitumer=désimperméabilisation'],
  adaptation_climat: ['inondations=inondation', 'crues=inondation', 'crue=inondation', 'îlots de chaleur=îlot de chaleur', 'îlot de fraîcheur=îlot de chaleur', 'canicules=canicule', 'réchauffement climatique=changement climatique'],
  logement: ['logements=logement', 'logement communal=logements communaux', 'logements sociaux=logement social'],
  services_publics: ['maison france services', 'agence postale=services au public', 'agence postale communale=services au public'],
  accessibilite: ['accessibilité pmr=accessibilité', 'rampe d\'accès=mise en accessibilité', 'ascenseur=mise en accessibilité'],
  alimentation_agriculture: ['circuit court=circuits courts', 'maraîchage=agriculture', 'agriculteurs=agriculture', 'forêts=forêt'],
  jeunesse_education: ['centre de loisirs=enfance', 'accueil de loisirs=enfance', 'alsh=enfance', 'conseil municipal des jeunes=jeunesse'],
  inclusion_numerique: ['conseillers numériques=conseiller numérique'],
  tourisme: ['aire de camping-car=tourisme', 'camping-car=tourisme', 'gîte=tourisme', 'gîtes=tourisme', 'office du tourisme=office de tourisme', 'véloroute=itinérance'],
  developpement_economique: ['zone artisanale=zone d\'activité', 'zae=zone d\'activité', 'pépinière d\'entreprises=entreprises'],
  ingenierie: ['faisabilité=étude', 'étude de faisabilité=étude'],
}

/** Words of theme vocabularies that, in these phrases, mean something else. */
const BLOCKERS = [
  'conseil municipal', 'conseil communautaire', 'conseil départemental', 'conseil régional', 'conseil d\'administration',
  'le conseil', 'du conseil', 'au conseil', 'en conseil', 'conseiller municipal', 'conseillère municipale', 'conseillers municipaux',
  'feuille de route', 'en route', 'mode d\'emploi', 'mairie de', 'mairie d', 'mairie du', 'mairie des', 'secrétaire de mairie',
  'secrétariat de mairie', 'en mairie', 'monument classé', 'site classé',
  'bâtiment classé', 'classé au titre', 'la poste',
  // A theme word that, in these phrases, names no project: "l'alimentation électrique" of a building, "de l'eau dans le gaz".
  'alimentation électrique', 'alimentation en électricité', 'de l\'eau dans le gaz', 'mettre l\'eau à la bouche',
  // « au stade des études »: the stage of a project, not a stadium.
  'au stade de', 'au stade des', 'au stade d', 'à ce stade', 'à quel stade', 'à un stade', 'stade du projet', 'stade d\'avancement',
]

/** Written in capitals as a term. */
const ACRONYMS = new Set(['led', 'thd', 'enr', 'zfe', 'pcaet', 'msp', 'pmr', 'opah', 'zan', 'pat', 'ia', 'ess', 'gemapi', 'step', '5g', '4g', 'amo'])

function display(term: string): string {
  return ACRONYMS.has(term) ? term.toUpperCase() : term
}

export interface ThemeHit {
  theme: ThemeId
  term: string
  negated: boolean
  start: number
  end: number
}

function specs(): PhraseSpec<{ theme: ThemeId; term: string }>[] {
  const out: PhraseSpec<{ theme: ThemeId; term: string }>[] = []
  for (const b of BLOCKERS) out.push([b, null])
  // Extras first: where an extra and a synonym are the same words, the extra's canonical term wins ("wi-fi" → "wifi").
  for (const [id, extras] of Object.entries(EXTRAS) as [ThemeId, string[]][]) {
    for (const e of extras) {
      const [phrase, term] = e.split('=') as [string, string | undefined]
      out.push([phrase, { theme: id, term: display(term ?? phrase) }])
    }
  }
  for (const [id, def] of Object.entries(THEMES) as [ThemeId, { synonyms: readonly string[] }][]) {
    for (const s of def.synonyms) out.push([s, { theme: id, term: display(s) }])
  }
  return out
}

export const THEME_VOCABULARY = new PhraseMatcher(specs(), { fuzzy: true })

/** Every theme word of the message, in order, with its negation. */
export function findThemeWords(input: string | Text): ThemeHit[] {
  const text = asText(input)
  return THEME_VOCABULARY.match(text).map((m) => ({ theme: m.value.theme, term: m.value.term, negated: m.negated, start: m.start, end: m.end }))
}

export interface ThemesAndTerms {
  themes: { add: ThemeId[]; remove: ThemeId[] }
  terms: { add: string[]; remove: string[] }
}

/** Themes asked for and ruled out, and the project words behind them. */
export function detectThemes(input: string | Text, opts: { background?: readonly [number, number] } = {}): ThemesAndTerms {
  let hits = findThemeWords(input)
  // Words inside the applicant's own name (« syndicat des eaux », « SIVU scolaire ») say what the body
  // does, not what this project is: they count only when the message names no other theme.
  const bg = opts.background
  if (bg) {
    const inName = (h: ThemeHit) => h.start >= bg[0] && h.end <= bg[1]
    if (hits.some((h) => !inName(h) && !h.negated)) hits = hits.filter((h) => !inName(h))
  }
  // « pas de biodiversité, nature en ville ni renaturation »: words of the SAME theme listed right
  // after a negated one stay negated (« pas la fibre, le wifi » names another theme: a correction).
  for (let k = 1; k < hits.length; k++) {
    const h = hits[k]!
    const prev = hits[k - 1]!
    if (!h.negated && prev.negated && prev.theme === h.theme && h.start - prev.end <= 3) hits[k] = { ...h, negated: true }
  }
  const add: ThemeId[] = []
  const termsAdd: string[] = []
  const termsRemove: string[] = []
  for (const h of hits) {
    if (h.negated) {
      if (!termsRemove.includes(h.term)) termsRemove.push(h.term)
    } else {
      if (!add.includes(h.theme)) add.push(h.theme)
      if (!termsAdd.includes(h.term)) termsAdd.push(h.term)
    }
  }
  const remove: ThemeId[] = []
  for (const h of hits) if (h.negated && !add.includes(h.theme) && !remove.includes(h.theme)) remove.push(h.theme)
  return {
    themes: { add, remove },
    terms: { add: termsAdd, remove: termsRemove.filter((t) => !termsAdd.includes(t)) },
  }
}
