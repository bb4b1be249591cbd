// Each detector of bot/conversation/understand on its own, with the phrasing mayors use: accents
// or not, capitals or not, typos, plurals, texting, negations and corrections.
import { describe, expect, it } from 'vitest'
import {
  analyse,
  detectApplicantType,
  detectBudget,
  detectClosedLists,
  detectIntents,
  detectPartnerCountry,
  detectPopulation,
  detectStage,
  detectThemes,
  detectTiming,
  negatedWords,
  parseAmount,
} from '../../bot/conversation/understand/understand.ts'

describe('analyse', () => {
  it('folds accents, keeps case, knows what follows punctuation', () => {
    const t = analyse('Bonjour, CA de l’Œuvre à Saint-Amand')
    expect(t.tokens.map((x) => x.word)).toEqual(['bonjour', 'ca', 'de', 'l', 'oeuvre', 'a', 'saint', 'amand'])
    expect(t.tokens[1]).toMatchObject({ upper: true, breakBefore: true })
    expect(t.tokens[6]).toMatchObject({ capitalized: true, breakBefore: false })
    expect(t.tokens.find((x) => x.word === 'lampadaires')).toBeUndefined()
    expect(analyse('lampadaires tiers-lieux eaux locaux').tokens.map((x) => x.stem)).toEqual(['lampadaire', 'tier', 'lieu', 'eau', 'local'])
  })
})

describe('negations and corrections', () => {
  const neg = (s: string): string[] => negatedWords(analyse(s))

  it('"pas", "sans", "ni", "plutôt … que", "au lieu de"', () => {
    expect(neg('pas la fibre, le wifi')).toEqual(['la', 'fibre'])
    expect(neg('on ne veut pas de travaux')).toEqual(['de', 'travaux'])
    expect(neg('sans la voirie')).toEqual(['la', 'voirie'])
    expect(neg('ni la voirie ni l\'éclairage')).toEqual(['la', 'voirie', 'l', 'eclairage'])
    expect(neg('plutôt l\'éclairage que la voirie')).toEqual(['la', 'voirie'])
    expect(neg('l\'éclairage plutôt que la voirie')).toEqual(['la', 'voirie'])
    expect(neg('au lieu de la voirie')).toEqual(['de', 'la', 'voirie'])
    expect(neg('nous ne sommes pas PVD')).toEqual(['pvd'])
  })

  it('"pas que", "pas seulement", "pourquoi pas", "pas sûr" negate nothing; a new clause ends the scope', () => {
    expect(neg('pas que la voirie')).toEqual([])
    expect(neg('pas seulement la fibre')).toEqual([])
    expect(neg('pourquoi pas la DETR')).toEqual([])
    expect(neg('pas sûr que ce soit la fibre')).toEqual([])
    expect(neg('ce n\'est pas une commune c\'est un EPCI')).toEqual(['une', 'commune'])
    expect(neg('pas la fibre mais le wifi')).toEqual(['la', 'fibre'])
  })
})

describe('detectThemes', () => {
  it('words, abbreviations and multi-word synonyms', () => {
    expect(detectThemes('on veut passer l\'éclairage public en LED').themes.add).toEqual(['eclairage_public'])
    expect(detectThemes('changer les lampadaires').themes.add).toEqual(['eclairage_public'])
    expect(detectThemes('la fibre et le THD').themes.add).toEqual(['tres_haut_debit'])
    expect(detectThemes('du wi-fi public').terms.add).toEqual(['wifi public'])
    expect(detectThemes('du wi-fi dans la salle').terms.add).toEqual(['wifi'])
    expect(detectThemes('un tiers-lieu').themes.add).toEqual(['tiers_lieux'])
    expect(detectThemes('des tiers lieux').terms.add).toEqual(['tiers-lieu'])
    expect(detectThemes('remplacer la chaudière fioul par des granulés').themes.add).toEqual(['renovation_energetique', 'energies_renouvelables'])
    expect(detectThemes('isolation des combles').themes.add).toEqual(['renovation_energetique'])
    expect(detectThemes('vidéoprotection').themes.add).toEqual(['securite'])
    expect(detectThemes('réfection de la voirie communale').themes.add).toEqual(['voirie'])
    expect(detectThemes('la piscine intercommunale').themes.add).toEqual(['sport'])
    expect(detectThemes('revitaliser le centre-bourg').themes.add).toEqual(['revitalisation_centre'])
    expect(detectThemes('une friche industrielle').themes.add).toEqual(['friches'])
    expect(detectThemes('eau potable et assainissement').themes.add).toEqual(['eau_assainissement'])
    expect(detectThemes('coopération et jumelage').themes.add).toEqual(['cooperation_internationale'])
    expect(detectThemes('réseau de chaleur').terms.add).toEqual(['réseau de chaleur'])
  })

  it('no accents, capitals, plurals', () => {
    expect(detectThemes('ECLAIRAGE PUBLIC').themes.add).toEqual(['eclairage_public'])
    expect(detectThemes('les ecoles du village').themes.add).toEqual(['ecoles'])
    expect(detectThemes('des cameras de videoprotection').themes.add).toEqual(['securite'])
    expect(detectThemes('les piscines').terms.add).toEqual(['piscine'])
  })

  it('one typo on words of six letters or more', () => {
    expect(detectThemes('eclairrage').themes.add).toEqual(['eclairage_public'])
    expect(detectThemes('videoprotecion').themes.add).toEqual(['securite'])
    expect(detectThemes('assainisement').themes.add).toEqual(['eau_assainissement'])
    expect(detectThemes('la piscinne').themes.add).toEqual(['sport'])
  })

  it('no false friends: short synonyms on word boundaries, look-alike common words', () => {
    expect(detectThemes('le réseau du bureau').themes.add).toEqual([]) // "eau" inside words
    expect(detectThemes('commune de 400 habitants').themes.add).toEqual([]) // habitants ≠ habitat
    expect(detectThemes('dans notre intérêt').themes.add).toEqual([]) // intérêt ≠ internet
    expect(detectThemes('financer un salaire').themes.add).toEqual([]) // salaire ≠ solaire
    expect(detectThemes('une patate').themes.add).toEqual([]) // "pat"
    expect(detectThemes('le conseil municipal a voté').themes.add).toEqual([]) // conseil ≠ ingénierie
    expect(detectThemes('mairie de Vézelay').themes.add).toEqual([])
    expect(detectThemes('l\'église est un monument classé').themes.add).toEqual(['culture_patrimoine'])
    expect(detectThemes('la feuille de route').themes.add).toEqual([])
  })

  it('negations: a negated word goes to remove; its theme only when no other word keeps it', () => {
    expect(detectThemes('pas la fibre, le wifi')).toEqual({ themes: { add: ['wifi_public'], remove: ['tres_haut_debit'] }, terms: { add: ['wifi'], remove: ['fibre'] } })
    expect(detectThemes('plutôt l\'éclairage que la voirie')).toEqual({
      themes: { add: ['eclairage_public'], remove: ['voirie'] },
      terms: { add: ['éclairage'], remove: ['voirie'] },
    })
    expect(detectThemes('on veut des bornes de recharge, pas de piste cyclable').terms).toEqual({ add: ['bornes de recharge'], remove: ['piste cyclable'] })
    expect(detectThemes('ni la voirie ni l\'éclairage').themes.remove).toEqual(['voirie', 'eclairage_public'])
  })
})

describe('detectStage', () => {
  it('said clearly', () => {
    expect(detectStage('on lance une étude de faisabilité')).toBe('etude')
    expect(detectStage('un diagnostic')).toBe('etude')
    expect(detectStage('une AMO')).toBe('etude')
    expect(detectStage('les travaux commencent')).toBe('travaux')
    expect(detectStage('construction d\'une salle')).toBe('travaux')
    expect(detectStage('on veut rénover l\'école')).toBe('travaux')
    expect(detectStage('achat d\'un véhicule')).toBe('travaux')
    expect(detectStage('installer des panneaux solaires')).toBe('travaux')
    expect(detectStage('financer un poste de chargé de mission')).toBe('fonctionnement')
    expect(detectStage('le salaire de l\'animateur')).toBe('fonctionnement')
  })

  it('a phase noun beats a project verb; a correction decides; a tie says nothing', () => {
    expect(detectStage('une étude pour rénover l\'école')).toBe('etude')
    expect(detectStage('pas des travaux, une étude')).toBe('etude')
    expect(detectStage('une étude puis les travaux')).toBeUndefined()
    expect(detectStage('la salle des fêtes')).toBeUndefined()
    expect(detectStage('l\'agence postale')).toBeUndefined()
    expect(detectStage('on aimerait échanger')).toBeUndefined()
  })
})

describe('parseAmount / detectBudget', () => {
  it('units, separators and words', () => {
    expect(parseAmount('200 k€')).toBe(200000)
    expect(parseAmount('200k€')).toBe(200000)
    expect(parseAmount('200 K€')).toBe(200000)
    expect(parseAmount('1,5 M€')).toBe(1500000)
    expect(parseAmount('1.5 million')).toBe(1500000)
    expect(parseAmount('environ 80 000 euros')).toBe(80000)
    expect(parseAmount('80 000 €')).toBe(80000)
    expect(parseAmount('80.000€')).toBe(80000)
    expect(parseAmount('2 millions d\'euros')).toBe(2000000)
    expect(parseAmount('300 000')).toBe(300000)
    expect(parseAmount('300 000 HT')).toBe(300000)
    expect(parseAmount('80 mille euros')).toBe(80000)
    expect(parseAmount('deux cent mille euros')).toBe(200000)
    expect(parseAmount('un million et demi')).toBe(1500000)
    expect(parseAmount('1 million et demi')).toBe(1500000)
    expect(parseAmount('0,5 M€')).toBe(500000)
  })

  it('a bare number is a budget when asked for or introduced', () => {
    expect(detectBudget('300 000', { expectedSlot: 'budget' })).toBe(300000)
    expect(detectBudget('300 000')).toBeUndefined()
    expect(detectBudget('coût estimé 45 000, subvention DETR demandée 18 000 €')).toBe(45000)
    expect(detectBudget('un projet à 500 000')).toBe(500000)
    expect(detectBudget('entre 100 et 150 k€')).toBe(150000)
    expect(detectBudget('une subvention de 50 k€ sur un projet de 200 k€')).toBe(200000)
  })

  it('never a population, a year, a count, a distance or a percentage', () => {
    expect(detectBudget('commune de 400 hab.')).toBeUndefined()
    expect(detectBudget('400 habitants', { expectedSlot: 'budget' })).toBeUndefined()
    expect(detectBudget('en 2027')).toBeUndefined()
    expect(detectBudget('en 2027', { expectedSlot: 'budget' })).toBeUndefined()
    expect(detectBudget('30 lampadaires')).toBeUndefined()
    expect(detectBudget('200 km de routes')).toBeUndefined()
    expect(detectBudget('subvention à 80 %')).toBeUndefined()
    expect(detectBudget('une salle de 200 m2')).toBeUndefined()
    expect(detectBudget('la 4G et la 5G')).toBeUndefined()
    expect(detectBudget('5k habitants')).toBeUndefined()
  })
})

describe('detectPopulation', () => {
  it('with a unit, after a collectivité noun, with a bound', () => {
    expect(detectPopulation('commune de 400 hab.')?.population).toBe(400)
    expect(detectPopulation('village de 1 200 âmes')?.population).toBe(1200)
    expect(detectPopulation('une commune de 400')?.population).toBe(400)
    expect(detectPopulation('moins de 2 000 habitants')?.population).toBe(1999)
    expect(detectPopulation('plus de 10 000 habitants')?.population).toBe(10001)
    expect(detectPopulation('un budget de 400 000 €')).toBeUndefined()
    expect(detectPopulation('400')).toBeUndefined()
    expect(detectPopulation('400', { bare: true })?.population).toBe(400)
  })
})

describe('detectTiming', () => {
  const t = (s: string, today = '2026-03-15') => detectTiming(s, { today })

  it('seasons relative to today', () => {
    expect(t('avant l\'été')).toEqual({ label: 'avant l\'été', before: '2026-06-21' })
    expect(t('avant l\'ete', '2026-07-10')?.before).toBe('2027-06-21')
    expect(t('au printemps')).toEqual({ label: 'au printemps', before: '2026-06-20' })
    expect(t('à l\'automne')?.before).toBe('2026-12-20')
    expect(t('au printemps 2027')).toEqual({ label: 'au printemps 2027', before: '2027-06-20', year: 2027 })
    expect(t('le projet a été voté')).toBeUndefined() // "été" the participle
  })

  it('years, end of year, relative periods', () => {
    expect(t('en 2027')).toEqual({ label: 'en 2027', year: 2027 })
    expect(t('d\'ici 2027')).toEqual({ label: 'd\'ici 2027', before: '2027-12-31', year: 2027 })
    expect(t('avant 2027')).toEqual({ label: 'avant 2027', before: '2027-01-01' })
    expect(t('début 2027')).toMatchObject({ before: '2027-03-31', year: 2027 })
    expect(t('d\'ici la fin de l\'année')).toEqual({ label: 'd\'ici la fin de l\'année', before: '2026-12-31', year: 2026 })
    expect(t('l\'an prochain')).toEqual({ label: 'l\'an prochain', year: 2027 })
    expect(t('l\'année prochaine')?.year).toBe(2027)
    expect(t('d\'ici 6 mois')?.before).toBe('2026-09-15')
    expect(t('dans deux ans')?.year).toBe(2028)
    expect(t('depuis 2020 je suis maire')).toBeUndefined()
    expect(t('en 2020 on a refait la place')).toBeUndefined()
  })

  it('months, dates, the rentrée, as soon as possible', () => {
    expect(t('en septembre')).toEqual({ label: 'en septembre', before: '2026-09-30' })
    expect(t('en février')?.before).toBe('2027-02-28')
    expect(t('avant septembre')?.before).toBe('2026-09-01')
    expect(t('fin mars 2027')?.before).toBe('2027-03-31')
    expect(t('avant le 15 mars')?.before).toBe('2026-03-15')
    expect(t('d\'ici le 30 juin')?.before).toBe('2026-06-30')
    expect(t('pour la rentrée')?.before).toBe('2026-09-01')
    expect(t('dès que possible')).toEqual({ label: 'dès que possible' })
    expect(t('au plus vite')?.label).toBe('au plus vite')
    expect(t('c\'est urgent')?.label).toBe('urgent')
  })

  it('a year said apart dates a season', () => {
    expect(t('on vise l\'été, en 2027')).toMatchObject({ year: 2027 })
  })
})

describe('detectPartnerCountry', () => {
  it('country names with articles and prepositions', () => {
    expect(detectPartnerCountry('avec une ville du Sénégal')).toBe('SN')
    expect(detectPartnerCountry('un partenariat au Maroc')).toBe('MA')
    expect(detectPartnerCountry('en Côte d\'Ivoire')).toBe('CI')
    expect(detectPartnerCountry('aux États-Unis')).toBe('US')
    expect(detectPartnerCountry('avec le Burkina Faso')).toBe('BF')
    expect(detectPartnerCountry('au senegal')).toBe('SN')
    expect(detectPartnerCountry('en RDC')).toBe('CD')
    expect(detectPartnerCountry('au Vietnam')).toBe('VN')
    expect(detectPartnerCountry('en Palestine')).toBe('PS')
  })

  it('demonyms in every gender and number', () => {
    expect(detectPartnerCountry('jumelage avec une commune libanaise')).toBe('LB')
    expect(detectPartnerCountry('des villes sénégalaises')).toBe('SN')
    expect(detectPartnerCountry('une commune marocaine')).toBe('MA')
    expect(detectPartnerCountry('une ville ukrainienne')).toBe('UA')
    expect(detectPartnerCountry('une municipalité mexicaine')).toBe('MX')
    expect(detectPartnerCountry('un village malien')).toBe('ML')
    expect(detectPartnerCountry('une commune burkinabè')).toBe('BF')
    expect(detectPartnerCountry('une ville tunisienne')).toBe('TN')
    expect(detectPartnerCountry('une commune béninoise')).toBe('BJ')
    expect(detectPartnerCountry('une ville haïtienne')).toBe('HT')
    expect(detectPartnerCountry('une province vietnamienne')).toBe('VN')
    expect(detectPartnerCountry('une commune camerounaise')).toBe('CM')
    expect(detectPartnerCountry('une ville ivoirienne')).toBe('CI')
    expect(detectPartnerCountry('une commune malgache')).toBe('MG')
    expect(detectPartnerCountry('une municipalité québécoise')).toBe('CA')
    expect(detectPartnerCountry('une ville palestinienne')).toBe('PS')
  })

  it('corrections, languages and first names', () => {
    expect(detectPartnerCountry('pas avec le Maroc, avec la Tunisie')).toBe('TN')
    expect(detectPartnerCountry('des cours d\'anglais')).toBeUndefined()
    expect(detectPartnerCountry('Dominique, adjoint au maire')).toBeUndefined()
    expect(detectPartnerCountry('avec la Dominique')).toBe('DM')
    expect(detectPartnerCountry('un projet pour l\'océan Indien')).toBeUndefined()
    expect(detectPartnerCountry('la rénovation de l\'école')).toBeUndefined()
  })
})

describe('detectClosedLists', () => {
  it('memberships said, denied, asked or wished', () => {
    expect(detectClosedLists('on est Petites villes de demain')).toEqual({ petites_villes_de_demain: true })
    expect(detectClosedLists('lauréat PVD')).toEqual({ petites_villes_de_demain: true })
    expect(detectClosedLists('commune ACV')).toEqual({ action_coeur_de_ville: true })
    expect(detectClosedLists('nous ne sommes pas PVD')).toEqual({ petites_villes_de_demain: false })
    expect(detectClosedLists('on n\'est pas encore Villages d\'avenir')).toEqual({ villages_avenir: false })
    expect(detectClosedLists('la commune est labellisée Territoires d\'industrie, on a signé le CRTE')).toEqual({ territoires_industrie: true, crte: true })
    expect(detectClosedLists('on est lauréat PVD et ACV')).toEqual({ petites_villes_de_demain: true, action_coeur_de_ville: true })
    expect(detectClosedLists('est-ce qu\'on est PVD ?')).toBeUndefined()
    expect(detectClosedLists('on a candidaté à Villages d\'avenir')).toBeUndefined()
    expect(detectClosedLists('oui')).toBeUndefined() // the dialogue maps yes/no to the list it asked about
  })
})

describe('detectApplicantType', () => {
  it('synonyms', () => {
    const cases: [string, string][] = [
      ['la commune', 'commune'], ['la mairie', 'commune'], ['une petite ville', 'commune'], ['notre village', 'commune'],
      ['un EPCI', 'epci'], ['l\'intercommunalité', 'epci'], ['l\'interco', 'epci'], ['la com com', 'epci'], ['la comcom', 'epci'],
      ['la CC', 'epci'], ['la CA', 'epci'], ['la CU', 'epci'], ['l\'agglo', 'epci'], ['la communauté de communes', 'epci'],
      ['la communauté d\'agglomération', 'epci'], ['la communauté urbaine', 'epci'], ['la métropole', 'epci'],
      ['le syndicat', 'syndicat'], ['un SIVU', 'syndicat'], ['le SIVOM', 'syndicat'], ['le syndicat mixte', 'syndicat'], ['le SDE', 'syndicat'],
      ['le PETR', 'petr'], ['nous sommes un pays', 'petr'], ['le département', 'departement'], ['le conseil départemental', 'departement'],
      ['la région', 'region'], ['le conseil régional', 'region'], ['une association', 'association'], ['le CCAS', 'etablissement_public'],
      ['le SDIS', 'etablissement_public'],
    ]
    for (const [text, type] of cases) expect(detectApplicantType(text), text).toBe(type)
  })

  it('corrections, frames and places', () => {
    expect(detectApplicantType('non, c\'est un EPCI')).toBe('epci')
    expect(detectApplicantType('ce n\'est pas une commune, c\'est un syndicat mixte')).toBe('syndicat')
    expect(detectApplicantType('je suis maire, et c\'est pour le syndicat des eaux')).toBe('syndicat')
    expect(detectApplicantType('ça coûte cher')).toBeUndefined() // "ça" is not the CA
    expect(detectApplicantType('dans le département')).toBeUndefined()
    expect(detectApplicantType('en région')).toBeUndefined()
    expect(detectApplicantType('revitaliser le centre-ville')).toBeUndefined()
    expect(detectApplicantType('Petites villes de demain')).toBeUndefined()
    expect(detectApplicantType('avec un pays africain')).toBeUndefined()
  })
})

describe('detectIntents', () => {
  const i = (s: string) => detectIntents(s).intents

  it('each intent, the way people type it', () => {
    expect(i('recommencer')).toEqual(['reset'])
    expect(i('on recommence')).toEqual(['reset'])
    expect(i('reprendre à zéro')).toEqual(['reset'])
    expect(i('pourquoi ?')).toEqual(['why'])
    expect(i('montre-moi déjà ce que tu as')).toEqual(['showResults'])
    expect(i('voir les résultats')).toEqual(['showResults'])
    expect(i('qu\'est-ce que j\'ai droit')).toEqual(['showResults'])
    for (const s of ['je ne sais pas', 'aucune idée', 'je sais pas', 'jsp', 'ne sais pas', 'chais pas']) expect(i(s), s).toEqual(['dontKnow'])
    for (const s of ['oui', 'ouais', 'exact', 'tout à fait', 'bien sûr', 'Oui !', 'ok']) expect(i(s), s).toEqual(['yes'])
    for (const s of ['non', 'pas du tout', 'nan', 'bah non']) expect(i(s), s).toEqual(['no'])
    expect(i('m\'alerter')).toEqual(['alerts'])
    expect(i('une alerte')).toEqual(['alerts'])
    expect(i('prévenez-moi')).toEqual(['alerts'])
    expect(i('affiner')).toEqual(['refine'])
    expect(i('les programmes écartés')).toEqual(['showExcluded'])
    expect(i('écartés')).toEqual(['showExcluded'])
    expect(i('bonjour')).toEqual(['greeting'])
    expect(i('salut')).toEqual(['greeting'])
    expect(i('merci')).toEqual(['thanks'])
    expect(i('aide')).toEqual(['help'])
    expect(i('help')).toEqual(['help'])
  })

  it('"pourquoi …" says what about; "pourquoi pas …" asks for the excluded ones', () => {
    expect(detectIntents('pourquoi la DETR ?')).toEqual({ intents: ['why'], whyAbout: 'DETR' })
    expect(detectIntents('pourquoi pas la DSIL ?')).toEqual({ intents: ['showExcluded'], whyAbout: 'DSIL' })
    expect(detectIntents('pourquoi ?')).toEqual({ intents: ['why'] })
    expect(i('pourquoi pas')).toEqual(['yes'])
    expect(i('c\'est pourquoi on vous écrit')).toEqual([])
  })

  it('no false intents from fact words', () => {
    expect(i('assainissement non collectif')).toEqual([])
    expect(i('une aide pour rénover l\'école du village')).toEqual([])
    expect(i('je ne sais pas')).not.toContain('no')
    expect(i('un système d\'alerte inondation')).toEqual([])
    expect(i('le montant exact est de 200 k€')).toEqual([])
    expect(i('non, c\'est un EPCI')).toEqual(['no'])
    expect(i('Non merci')).toEqual(['no'])
    expect(i('oui merci')).toEqual(['yes', 'thanks'])
  })
})
