// Partner countries for decentralised cooperation: ISO 3166-1 alpha-2 codes with French
// names, and the OECD DAC list of ODA recipients (the "pays éligibles à l'APD" that AFD's
// FICOL requires). The DAC list is the 2024-2025 one; the funder's own list prevails.

export const COUNTRY_NAMES: Record<string, string> = {
  AF: 'Afghanistan', ZA: 'Afrique du Sud', AL: 'Albanie', DZ: 'Algérie', DE: 'Allemagne', AO: 'Angola',
  AR: 'Argentine', AM: 'Arménie', AZ: 'Azerbaïdjan', BD: 'Bangladesh', BE: 'Belgique', BZ: 'Belize',
  BJ: 'Bénin', BT: 'Bhoutan', BY: 'Biélorussie', BO: 'Bolivie', BA: 'Bosnie-Herzégovine', BW: 'Botswana',
  BR: 'Brésil', BF: 'Burkina Faso', BI: 'Burundi', KH: 'Cambodge', CM: 'Cameroun', CA: 'Canada',
  CV: 'Cap-Vert', CF: 'Centrafrique', CL: 'Chili', CN: 'Chine', CO: 'Colombie', KM: 'Comores',
  CG: 'Congo', CD: 'République démocratique du Congo', CR: 'Costa Rica', CI: "Côte d'Ivoire", CU: 'Cuba',
  DJ: 'Djibouti', DM: 'Dominique', EG: 'Égypte', SV: 'Salvador', EC: 'Équateur', ER: 'Érythrée',
  ES: 'Espagne', SZ: 'Eswatini', ET: 'Éthiopie', FJ: 'Fidji', GA: 'Gabon', GM: 'Gambie', GE: 'Géorgie',
  GH: 'Ghana', GD: 'Grenade', GT: 'Guatemala', GN: 'Guinée', GW: 'Guinée-Bissau', GQ: 'Guinée équatoriale',
  GY: 'Guyana', HT: 'Haïti', HN: 'Honduras', IN: 'Inde', ID: 'Indonésie', IQ: 'Irak', IR: 'Iran',
  IT: 'Italie', JM: 'Jamaïque', JP: 'Japon', JO: 'Jordanie', KZ: 'Kazakhstan', KE: 'Kenya',
  KG: 'Kirghizistan', KI: 'Kiribati', XK: 'Kosovo', LA: 'Laos', LS: 'Lesotho', LB: 'Liban', LR: 'Libéria',
  LY: 'Libye', MK: 'Macédoine du Nord', MG: 'Madagascar', MY: 'Malaisie', MW: 'Malawi', MV: 'Maldives',
  ML: 'Mali', MA: 'Maroc', MH: 'Îles Marshall', MU: 'Maurice', MR: 'Mauritanie', MX: 'Mexique',
  FM: 'Micronésie', MD: 'Moldavie', MN: 'Mongolie', ME: 'Monténégro', MZ: 'Mozambique', MM: 'Birmanie',
  NA: 'Namibie', NR: 'Nauru', NP: 'Népal', NI: 'Nicaragua', NE: 'Niger', NG: 'Nigeria', OM: 'Oman',
  UG: 'Ouganda', UZ: 'Ouzbékistan', PK: 'Pakistan', PW: 'Palaos', PS: 'Territoires palestiniens',
  PA: 'Panama', PG: 'Papouasie-Nouvelle-Guinée', PY: 'Paraguay', PE: 'Pérou', PH: 'Philippines',
  PL: 'Pologne', PT: 'Portugal', RW: 'Rwanda', LC: 'Sainte-Lucie', VC: 'Saint-Vincent-et-les-Grenadines',
  SB: 'Îles Salomon', WS: 'Samoa', ST: 'Sao Tomé-et-Principe', SN: 'Sénégal', RS: 'Serbie', SL: 'Sierra Leone',
  SO: 'Somalie', SD: 'Soudan', SS: 'Soudan du Sud', LK: 'Sri Lanka', SR: 'Suriname', SY: 'Syrie',
  TJ: 'Tadjikistan', TZ: 'Tanzanie', TD: 'Tchad', TH: 'Thaïlande', TL: 'Timor oriental', TG: 'Togo',
  TO: 'Tonga', TN: 'Tunisie', TM: 'Turkménistan', TR: 'Turquie', TV: 'Tuvalu', UA: 'Ukraine', UY: 'Uruguay',
  VU: 'Vanuatu', VE: 'Venezuela', VN: 'Viêt Nam', YE: 'Yémen', ZM: 'Zambie', ZW: 'Zimbabwe',
  GB: 'Royaume-Uni', US: 'États-Unis', CH: 'Suisse', AD: 'Andorre', MC: 'Monaco', LU: 'Luxembourg',
  NL: 'Pays-Bas', IE: 'Irlande', GR: 'Grèce', RO: 'Roumanie', BG: 'Bulgarie', HU: 'Hongrie', CZ: 'Tchéquie',
  SK: 'Slovaquie', SI: 'Slovénie', HR: 'Croatie', AT: 'Autriche', DK: 'Danemark', SE: 'Suède', FI: 'Finlande',
  NO: 'Norvège', IS: 'Islande', EE: 'Estonie', LV: 'Lettonie', LT: 'Lituanie', CY: 'Chypre', MT: 'Malte',
  IL: 'Israël', KR: 'Corée du Sud', AU: 'Australie', NZ: 'Nouvelle-Zélande', SA: 'Arabie saoudite',
  AE: 'Émirats arabes unis', QA: 'Qatar', RU: 'Russie', TW: 'Taïwan', SG: 'Singapour', DO: 'République dominicaine',
  TT: 'Trinité-et-Tobago', BB: 'Barbade', BS: 'Bahamas', AG: 'Antigua-et-Barbuda', KN: 'Saint-Christophe-et-Niévès',
  SC: 'Seychelles', KP: 'Corée du Nord',
  AI: 'Anguilla', AW: 'Aruba', BQ: 'Pays-Bas caribéens (Bonaire, Saint-Eustache, Saba)', CW: 'Curaçao', SX: 'Saint-Martin (partie néerlandaise)',
  MS: 'Montserrat', VG: 'Îles Vierges britanniques', KY: 'Îles Caïmans', TC: 'Îles Turques-et-Caïques', PR: 'Porto Rico', VI: 'Îles Vierges des États-Unis',
}

/** OECD DAC list of ODA recipients (2024-2025 reporting), ISO alpha-2. */
export const ODA_RECIPIENTS: ReadonlySet<string> = new Set([
  'AF', 'AO', 'BD', 'BJ', 'BF', 'BI', 'KH', 'CF', 'TD', 'KM', 'CD', 'DJ', 'ER', 'ET', 'GM', 'GN', 'GW', 'HT', 'KI',
  'LA', 'LS', 'LR', 'MG', 'MW', 'ML', 'MR', 'MZ', 'MM', 'NP', 'NE', 'RW', 'SN', 'SL', 'SB', 'SO', 'SS', 'SD', 'TZ',
  'TL', 'TG', 'TV', 'UG', 'YE', 'ZM',
  'BT', 'BO', 'CV', 'CM', 'CG', 'CI', 'EG', 'SV', 'SZ', 'FM', 'GH', 'HN', 'IN', 'ID', 'IR', 'KE', 'KG', 'MN', 'MA',
  'NI', 'NG', 'PK', 'PG', 'PH', 'WS', 'ST', 'LK', 'SY', 'TJ', 'TN', 'UA', 'UZ', 'VU', 'VN', 'PS', 'ZW',
  'AL', 'DZ', 'AR', 'AM', 'AZ', 'BY', 'BZ', 'BA', 'BW', 'BR', 'CN', 'CO', 'CR', 'CU', 'DM', 'DO', 'EC', 'GQ', 'FJ',
  'GA', 'GE', 'GD', 'GT', 'GY', 'IQ', 'JM', 'JO', 'KZ', 'XK', 'LB', 'LY', 'MY', 'MV', 'MH', 'MU', 'MX', 'MD', 'ME',
  'NA', 'MK', 'PW', 'PA', 'PY', 'PE', 'LC', 'VC', 'RS', 'SR', 'TH', 'TO', 'TR', 'TM', 'VE', 'NR', 'SC',
])

/**
 * The least developed countries (PMA), as the DAC list of ODA recipients names them for 2024 and
 * 2025 flows: the first block of ODA_RECIPIENTS. Co-financing ceilings of the French foreign
 * ministry's calls depend on it (70 % in an LDC, 50 % in another ODA recipient, 30 % elsewhere).
 */
export const LDC: ReadonlySet<string> = new Set([
  'AF', 'AO', 'BD', 'BJ', 'BF', 'BI', 'KH', 'CF', 'TD', 'KM', 'CD', 'DJ', 'ER', 'ET', 'GM', 'GN', 'GW', 'HT', 'KI',
  'LA', 'LS', 'LR', 'MG', 'MW', 'ML', 'MR', 'MZ', 'MM', 'NP', 'NE', 'RW', 'SN', 'SL', 'SB', 'SO', 'SS', 'SD', 'TZ',
  'TL', 'TG', 'TV', 'UG', 'YE', 'ZM',
])

/** Where the two lists come from, shown beside a rate that depends on them. */
export const COUNTRY_LISTS_SOURCE = {
  label: 'liste CAD de l\'OCDE des bénéficiaires de l\'aide publique au développement, flux 2024 et 2025 (dont pays les moins avancés)',
  url: 'https://www.oecd.org/fr/topics/sub-issues/oda-eligibility-and-conditions/dac-list-of-oda-recipients.html',
  asOf: '2024-01-01',
} as const

/** Member states of the European Union. */
export const EU_COUNTRIES: ReadonlySet<string> = new Set(['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'])
/** European countries outside the Union with which projects are usually carried out in Europe. */
export const EUROPEAN_NON_EU: ReadonlySet<string> = new Set(['AD', 'CH', 'NO', 'IS', 'LI', 'MC', 'GB', 'SM', 'VA'])

export type PartnerCategory = 'ldc' | 'oda' | 'other'
export const PARTNER_CATEGORY_LABELS: Record<PartnerCategory, string> = {
  ldc: 'pays parmi les moins avancés',
  oda: 'pays éligible à l\'aide publique au développement',
  other: 'pays non éligible à l\'aide publique au développement',
}

export function partnerCategory(code: string): PartnerCategory {
  return LDC.has(code) ? 'ldc' : ODA_RECIPIENTS.has(code) ? 'oda' : 'other'
}

export function countryName(code: string): string {
  return COUNTRY_NAMES[code] ?? code
}
