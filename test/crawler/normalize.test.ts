// The shared normalisation helpers: French prose dates and amounts, every date format the
// sources send, HTML to text, URLs, themes and applicant labels.
import { describe, expect, it } from 'vitest'
import { applicantsFromLabels } from '../../crawler/normalize/applicants.ts'
import { inferYear, toParisDay } from '../../crawler/normalize/dates.ts'
import { extractAmounts, extractRates, extractWindow, parseFrenchNumber } from '../../crawler/normalize/prose.ts'
import { territoryFromLabel } from '../../crawler/normalize/territory.ts'
import { themesFromText } from '../../crawler/normalize/themes.ts'
import { htmlToText, slugify } from '../../crawler/normalize/text.ts'
import { absoluteUrl, atAidUrl } from '../../crawler/normalize/urls.ts'

describe('French prose dates', () => {
  it.each([
    ['Les candidatures sont ouvertes sur www.cncd.fr du 1er mars au 6 mai 2024.', '2024-01-10', { opensAt: '2024-03-01', deadlines: ['2024-05-06'], yearInferred: false }],
    ['Date de lancement : 15 janvier 2023 | Date de clôture : 8 septembre 2023', '2023-02-01', { opensAt: '2023-01-15', deadlines: ['2023-09-08'], yearInferred: false }],
    ["deux dates limite de dépôts des lettres d'intention : 31 mars et 15 juin 2017.", '2017-01-01', { deadlines: ['2017-03-31', '2017-06-15'], yearInferred: false }],
    ['Dépôt des dossiers ouvert du 15 novembre au 15 janvier 2025', '2024-11-01', { opensAt: '2024-11-15', deadlines: ['2025-01-15'], yearInferred: false }],
    ['Date limite de dépôt : 31/03/2022', '2022-01-01', { deadlines: ['2022-03-31'], yearInferred: false }],
    ['Candidatures avant le 30 sept. 2025', '2025-01-01', { deadlines: ['2025-09-30'], yearInferred: false }],
    ['La délibération du 3 mars 2020 a créé le dispositif.', '2024-01-01', { deadlines: [], yearInferred: false }],
  ])('%s', (text, reference, expected) => {
    expect(extractWindow(text, reference)).toEqual(expected)
  })

  it('places a year-less "jusqu\'au 13 septembre" from the reference day', () => {
    // Read in May: the coming September.
    expect(extractWindow("Dossiers jusqu'au 13 septembre", '2024-05-01')).toEqual({ deadlines: ['2024-09-13'], yearInferred: true })
    // Read in October: the September just passed (a stale page), not next year's.
    expect(extractWindow("Dossiers jusqu'au 13 septembre", '2024-10-01').deadlines).toEqual(['2024-09-13'])
    // Read in January: this year's September.
    expect(extractWindow("Dossiers jusqu'au 13 septembre", '2025-01-20').deadlines).toEqual(['2025-09-13'])
    expect(inferYear(1, 15, '2024-12-01')).toBe(2025)
  })
})

describe('French amounts and rates', () => {
  it.each([
    ['entre 200 000 € et 1,5 M€', { min: 200_000, max: 1_500_000 }],
    ['compris entre 200 000 euros et 1 500 000 euros', { min: 200_000, max: 1_500_000 }],
    ["Montant de la subvention : entre 750 000 et 1 million d'euro", { min: 750_000, max: 1_000_000 }],
    ['Min. 3.000 € par projet', { min: 3_000 }],
    ['Le plafond de subvention est fixé 100 000 € par structure', { max: 100_000 }],
    ["dans la limite d’un plafond de 75 000 €", { max: 75_000 }],
    ['jusqu’à 2 M€ par lauréat', { max: 2_000_000 }],
    ['2.200.000 € à répartir entre les bénéficiaires', {}],
    ['Montant de la subvention : entre 400 00 et 600 000 euros', { unclear: 'entre 400 00 et 600 000 euros' }],
  ])('%s', (text, expected) => {
    expect(extractAmounts(text)).toEqual(expected)
  })

  it('reads French numbers and refuses odd digit groups', () => {
    expect(parseFrenchNumber('1,5')).toBe(1.5)
    expect(parseFrenchNumber('1 500 000')).toBe(1_500_000)
    expect(parseFrenchNumber('2.200.000')).toBe(2_200_000)
    expect(parseFrenchNumber('400 00')).toBeUndefined()
  })

  it.each([
    ['les aides aux investissements peuvent atteindre 15 % à 55 %', { min: 15, max: 55 }],
    ['Taux de cofinancement : entre 50% et 95% du total des coûts éligibles', { min: 50, max: 95 }],
    ["Taux de cofinancement : jusqu'à 90% du total", { max: 90 }],
    ['La subvention régionale est fixée à 50 % maximum de la dépense subventionnable', { max: 50 }],
    ['L’aide régionale correspond au maximum à 80 % du coût global', { max: 80 }],
    // The applicant's own share is not an aid rate.
    ['Un montant représentant au minimum 30 % du plan de financement est apporté par les collectivités', {}],
  ])('%s', (text, expected) => {
    expect(extractRates(text)).toEqual(expected)
  })
})

describe('dates from every source format, in Europe/Paris', () => {
  it.each([
    ['2024-05-06', '2024-05-06'],
    ['2023-12-31T23:59:59+01:00', '2023-12-31'],
    ['2027-04-08T00:00:00.000+0000', '2027-04-08'],
    ['2024-02-07T17:00:00.000+0000', '2024-02-07'],
    ['2019-07-07T22:00:00.000Z', '2019-07-08'],
    ['20230112', '2023-01-12'],
    ['Sat, 21 Dec 19 11:00:28 +0100', '2019-12-21'],
    ['Thu, 19 Dec 19 23:30:00 GMT', '2019-12-20'],
    ['04/07/24', '2024-07-04'],
    ['1er mars 2024', '2024-03-01'],
    ['15 août 2022', '2022-08-15'],
  ])('%s → %s', (raw, day) => {
    expect(toParisDay(raw)).toMatchObject({ ok: true, day })
  })

  it('repairs "2022-07-28T11: 40: 47+02: 00" and says so', () => {
    expect(toParisDay('2022-07-28T11: 40: 47+02: 00')).toEqual({ ok: true, day: '2022-07-28', repaired: true })
  })

  it.each(['2023-02-30', '31/13/2026', 'bientôt', '2024-13-01T00:00:00Z'])('refuses %s', (raw) => {
    expect(toParisDay(raw).ok).toBe(false)
  })
})

describe('text and URLs', () => {
  it('turns HTML into one line of plain text, entities decoded, scripts and escaped tags gone', () => {
    expect(htmlToText('<p>OP&Eacute;RATIONS<br>Actions&#8230; l&rsquo;eau&nbsp;potable</p><ul><li>a</li><li>b</li></ul><script>x()</script>')).toBe('OPÉRATIONS Actions… l’eau potable a b')
    expect(htmlToText('&lt;p&gt;Texte &lt;strong&gt;échappé&lt;/strong&gt;&lt;/p&gt;')).toBe('Texte échappé')
    expect(htmlToText(null)).toBe('')
    expect(htmlToText('ligne\r\n\r\n  suivante&#13;')).toBe('ligne suivante')
  })

  it('repairs "https: //" and resolves relative Aides-territoires paths', () => {
    expect(absoluteUrl('https: //agirpourlatransition.ademe.fr/x')).toEqual({ ok: true, url: 'https://agirpourlatransition.ademe.fr/x', repaired: true })
    expect(absoluteUrl('www.cncd.fr')).toMatchObject({ ok: true, url: 'https://www.cncd.fr/' })
    expect(absoluteUrl('javascript:alert(1)').ok).toBe(false)
    expect(absoluteUrl('pas une url').ok).toBe(false)
    expect(atAidUrl('/aides/f707-financer-un-projet-de-cooperation-decentralisee/', null)).toBe('https://aides-territoires.beta.gouv.fr/aides/f707-financer-un-projet-de-cooperation-decentralisee/')
    expect(atAidUrl(null, 'fonds-vert')).toBe('https://aides-territoires.beta.gouv.fr/aides/fonds-vert/')
  })

  it('makes id slugs that match the Programme id pattern', () => {
    expect(slugify('HORIZON-CL5-2027-03-D5-05')).toBe('horizon-cl5-2027-03-d5-05')
    expect(slugify('Aide à l’achat d’équipements « sportifs »')).toBe('aide-a-l-achat-d-equipements-sportifs')
  })
})

describe('themes, applicants and territory', () => {
  it('maps French words and category labels to theme ids, never empty', () => {
    expect(themesFromText({ strong: ['Rénovation énergétique des écoles'], fallback: 'ingenierie' })).toEqual(['renovation_energetique', 'ecoles'])
    expect(themesFromText({ strong: ['Alimentation'], fallback: 'ingenierie' })).toEqual(['alimentation_agriculture'])
    expect(themesFromText({ strong: ['Zzz'], prose: ['rien à voir'], fallback: 'cooperation_internationale' })).toEqual(['cooperation_internationale'])
    // One generic word in a description is not enough.
    expect(themesFromText({ strong: [], prose: ['Un accompagnement du conseil départemental.'], fallback: 'ingenierie' })).toEqual(['ingenierie'])
  })

  it('maps AT and other sources\' audience labels', () => {
    expect(applicantsFromLabels(['Communes', 'Intercommunalités / Pays', 'Départements', 'Régions', 'Associations', 'Entreprises privées', 'Particuliers'])).toEqual({
      applicants: ['commune', 'epci', 'petr', 'departement', 'region', 'association', 'entreprise'],
      setAside: ['Particuliers'],
      unknown: [],
    })
    expect(applicantsFromLabels(['EPCI à fiscalité propre', "Collectivités d'outre-mer à statuts particuliers"]).applicants).toEqual(['epci', 'collectivite_outre_mer'])
    expect(applicantsFromLabels(['Collectivité Territoriale & Entité Affiliée']).applicants).toEqual(['commune', 'epci', 'syndicat', 'departement', 'region', 'groupement_collectivites'])
    expect(applicantsFromLabels(['Martiens']).unknown).toEqual(['Martiens'])
  })

  it('finds département and région codes from a perimeter name', () => {
    expect(territoryFromLabel('Drôme')).toEqual({ label: 'Drôme', departements: ['26'], level: 'departemental' })
    expect(territoryFromLabel('Île-de-France')).toEqual({ label: 'Île-de-France', regions: ['11'], level: 'regional' })
    expect(territoryFromLabel('- France entière -')).toEqual({ label: 'France', level: 'national' })
    expect(territoryFromLabel('Communes littorales')).toEqual({ label: 'Communes littorales' })
  })
})
