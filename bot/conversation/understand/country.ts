// The partner country of a decentralised cooperation, as ISO alpha-2: country names from
// core/countries.ts (accents, case, hyphens and articles do not matter: "du Sénégal", "au Maroc",
// "en Côte d'Ivoire", "aux États-Unis"), common other names ("Palestine", "RDC", "Québec",
// "Vietnam") and demonyms in every gender and number ("une commune libanaise", "des villes
// ukrainiennes", "burkinabè"). Names that are also ordinary words or first names ("Dominique",
// "Maurice", "Chili", "Grenade") count only after an article or a preposition. The phrase
// "une ville du Sénégal" is consumed so that its "ville" is not taken for the applicant.
import { COUNTRY_NAMES } from '../../../core/countries.ts'
import { foldFrench } from '../../../core/french.ts'
import { PhraseMatcher, type PhraseSpec } from './phrases.ts'
import { asText, consume, type Text } from './text.ts'

const OTHER_NAMES: Record<string, string[]> = {
  PS: ['palestine', 'gaza', 'cisjordanie'],
  CD: ['rdc', 'congo kinshasa', 'congo-kinshasa', 'république démocratique du congo'],
  CG: ['congo brazzaville', 'congo-brazzaville', 'république du congo'],
  CA: ['québec', 'quebec'],
  VN: ['vietnam', 'viet-nam'],
  GB: ['angleterre', 'grande-bretagne', 'écosse', 'pays de galles', 'irlande du nord', 'uk'],
  US: ['usa', 'amérique', 'états unis d\'amérique'],
  NL: ['hollande'],
  CZ: ['république tchèque'],
  CF: ['république centrafricaine'],
  MM: ['myanmar'],
  KR: ['corée'],
  MU: ['île maurice', 'ile maurice'],
  CV: ['cap vert'],
  GN: ['guinée conakry'],
  BF: ['burkina'],
  TL: ['timor'],
  MK: ['macédoine'],
  BA: ['bosnie'],
  SZ: ['swaziland'],
  IQ: ['iraq'],
  TW: ['taiwan'],
  AE: ['émirats', 'emirats arabes unis'],
  DE: ['rfa'],
}

/** Masculine singular demonyms; feminine and plural forms are derived. */
const DEMONYMS: Record<string, string[]> = {
  SN: ['sénégalais'], MA: ['marocain'], LB: ['libanais'], UA: ['ukrainien'], MX: ['mexicain'], ML: ['malien'], BF: ['burkinabè', 'burkinabé', 'burkinabe'],
  TN: ['tunisien'], BJ: ['béninois'], HT: ['haïtien'], VN: ['vietnamien'], CM: ['camerounais'], CI: ['ivoirien'], MG: ['malgache'],
  CA: ['québécois', 'canadien'], PS: ['palestinien'], DZ: ['algérien'], TG: ['togolais'], NE: ['nigérien'], NG: ['nigérian'], GN: ['guinéen'],
  MR: ['mauritanien'], CG: ['congolais'], GA: ['gabonais'], TD: ['tchadien'], DE: ['allemand'], IT: ['italien'], ES: ['espagnol'],
  PT: ['portugais'], PL: ['polonais'], RO: ['roumain'], BE: ['belge'], GB: ['britannique', 'anglais', 'écossais', 'gallois'], US: ['américain'],
  BR: ['brésilien'], CN: ['chinois'], JP: ['japonais'], IN: ['indien'], AM: ['arménien'], GE: ['géorgien'], MD: ['moldave'], KH: ['cambodgien'],
  LA: ['laotien'], CL: ['chilien'], CO: ['colombien'], PE: ['péruvien'], BO: ['bolivien'], AR: ['argentin'], CU: ['cubain'], GR: ['grec'],
  TR: ['turc'], IL: ['israélien'], JO: ['jordanien'], EG: ['égyptien'], LY: ['libyen'], SY: ['syrien'], IQ: ['irakien'], AF: ['afghan'],
  KE: ['kényan', 'kenyan'], RW: ['rwandais'], BI: ['burundais'], ET: ['éthiopien'], GH: ['ghanéen'], CV: ['cap-verdien', 'capverdien'],
  KM: ['comorien'], DJ: ['djiboutien'], MU: ['mauricien'], TZ: ['tanzanien'], MZ: ['mozambicain'], ZA: ['sud-africain'], UZ: ['ouzbek'],
  KZ: ['kazakh'], MN: ['mongol'], NP: ['népalais'], BD: ['bangladais'], PK: ['pakistanais'], ID: ['indonésien'], PH: ['philippin'],
  TH: ['thaïlandais'], MM: ['birman'], LK: ['sri-lankais', 'srilankais'], IR: ['iranien'], RS: ['serbe'], BA: ['bosnien'], XK: ['kosovar'],
  AL: ['albanais'], MK: ['macédonien'], HR: ['croate'], SI: ['slovène'], SK: ['slovaque'], CZ: ['tchèque'], HU: ['hongrois'], BG: ['bulgare'],
  AT: ['autrichien'], NL: ['néerlandais', 'hollandais'], DK: ['danois'], SE: ['suédois'], NO: ['norvégien'], FI: ['finlandais'], IS: ['islandais'],
  IE: ['irlandais'], LU: ['luxembourgeois'], EE: ['estonien'], LV: ['letton'], LT: ['lituanien'], CY: ['chypriote'], MT: ['maltais'], RU: ['russe'],
  BY: ['biélorusse'], DO: ['dominicain'], JM: ['jamaïcain'], NI: ['nicaraguayen'], SV: ['salvadorien'], GT: ['guatémaltèque'], HN: ['hondurien'],
  CR: ['costaricien'], PA: ['panaméen'], VE: ['vénézuélien'], EC: ['équatorien'], UY: ['uruguayen'], PY: ['paraguayen'], AU: ['australien'],
  NZ: ['néo-zélandais'], KR: ['coréen', 'sud-coréen'], TW: ['taïwanais'], SG: ['singapourien'], SA: ['saoudien'], QA: ['qatari', 'qatarien'],
  YE: ['yéménite'], OM: ['omanais'], SL: ['sierra-léonais'], LR: ['libérien'], GM: ['gambien'], AO: ['angolais'], ZM: ['zambien'],
  ZW: ['zimbabwéen'], NA: ['namibien'], BW: ['botswanais'], MW: ['malawite', 'malawien'], UG: ['ougandais'], SO: ['somalien'], SD: ['soudanais'],
  ER: ['érythréen'], CF: ['centrafricain'], ST: ['santoméen'], SC: ['seychellois'], FJ: ['fidjien'], CH: ['suisse'], AZ: ['azerbaïdjanais'],
  KG: ['kirghize'], TJ: ['tadjik'], TM: ['turkmène'], GW: ['bissau-guinéen'], GQ: ['équato-guinéen'], SS: ['sud-soudanais'],
}

/** Names that are also common words or first names: only after an article or a preposition. */
const GUARDED = new Set(['dominique', 'maurice', 'chili', 'grenade', 'georgie', 'salvador', 'inde', 'niger', 'oman', 'jordanie', 'guinee', 'samoa', 'tonga', 'palaos', 'nauru', 'tuvalu', 'kiribati'])
// "partenaire Niger", "partenaires : Niger et Mali", "pays partenaire : Inde": a partner names a country.
const GUARD_WORDS = ['du', 'de', 'd', 'la', 'le', 'l', 'au', 'aux', 'en', 'avec', 'des', 'vers', 'pour', 'partenaire', 'partenaires', 'et', 'ou']

function forms(masculine: string): string[] {
  const out = [masculine]
  const plain = foldFrench(masculine)
  if (/(ais|ois|s)$/.test(plain)) out.push(`${masculine}e`, `${masculine}es`)
  else if (/e$/.test(plain)) out.push(`${masculine}s`)
  else if (/en$/.test(plain)) out.push(`${masculine}s`, `${masculine}ne`, `${masculine}nes`)
  else if (plain === 'turc') out.push('turcs', 'turque', 'turques')
  else if (plain === 'grec') out.push('grecs', 'grecque', 'grecques')
  else out.push(`${masculine}s`, `${masculine}e`, `${masculine}es`)
  return out
}

function specs(): PhraseSpec<string>[] {
  const out: PhraseSpec<string>[] = [
    ['amérique latine', null], ['amérique du sud', null], ['amérique centrale', null], ['amérique du nord', null], ['océan indien', null],
    ['suisse normande', null],
  ]
  const add = (name: string, code: string): void => {
    const key = foldFrench(name)
    out.push([name, code, GUARDED.has(key) ? { after: GUARD_WORDS } : undefined])
  }
  for (const [code, name] of Object.entries(COUNTRY_NAMES)) add(name, code)
  for (const [code, names] of Object.entries(OTHER_NAMES)) for (const n of names) add(n, code)
  for (const [code, names] of Object.entries(DEMONYMS)) for (const n of names) for (const f of forms(n)) out.push([f, code])
  return out
}


export const COUNTRY_VOCABULARY = new PhraseMatcher(specs())

/** A collectivité noun before the country ("une ville du Sénégal", "une commune libanaise"). */
const PARTNER_NOUNS = new Set(['ville', 'villes', 'commune', 'communes', 'collectivite', 'collectivites', 'municipalite', 'municipalites', 'region', 'regions', 'province', 'localite', 'village', 'villages', 'partenaire', 'partenaires', 'departement', 'district', 'cercle'])

/** Demonyms that are also languages: "cours d'anglais", "en espagnol" name no partner. */
const LANGUAGES = new Set(['anglais', 'allemand', 'espagnol', 'italien', 'chinois', 'portugais', 'russe', 'japonais', 'polonais', 'grec', 'turc', 'arabe', 'neerlandais'])
const LANGUAGE_CUES = new Set(['d', 'en', 'l', 'parle', 'parler', 'parlent', 'langue', 'cours', 'traduction', 'traduire'])

export function detectPartnerCountry(input: string | Text): string | undefined {
  return detectPartnerCountries(input)[0]
}

/** Every partner country named ("partenaires Allemagne et Italie"), the main one (the first) first; none ruled out. */
export function detectPartnerCountries(input: string | Text): string[] {
  const text = asText(input)
  const hits = COUNTRY_VOCABULARY.match(text).filter((h) => {
    const word = text.tokens[h.start]!.word
    const prev = h.start > 0 ? text.tokens[h.start - 1]!.word : ''
    const prev2 = h.start > 1 ? text.tokens[h.start - 2]!.word : ''
    // "maire de …" names a commune even when it sounds like a country.
    return !(LANGUAGES.has(word) && LANGUAGE_CUES.has(prev)) && !(/^(de|d|du|des)$/.test(prev) && /^(maire|mairie)$/.test(prev2))
  })
  for (const h of hits) {
    consume(text, h.start, h.end)
    // Take "une ville du", "une commune" before the country along with it.
    for (let k = h.start - 1; k >= Math.max(0, h.start - 4); k--) {
      if (PARTNER_NOUNS.has(text.tokens[k]!.word)) {
        consume(text, k, h.start)
        break
      }
      if (text.tokens[k + 1]!.breakBefore) break
    }
  }
  const ruledOut = new Set(hits.filter((h) => h.negated).map((h) => h.value))
  const out: string[] = []
  for (const h of hits) if (h.value && !h.negated && !ruledOut.has(h.value) && !out.includes(h.value)) out.push(h.value)
  return out
}

/** EU member states: a partner there means European cooperation rather than international solidarity. */
export { EU_COUNTRIES } from '../../../core/countries.ts'
