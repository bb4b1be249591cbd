// Classes of misreading found by the generated evaluation, each fixed by its mechanism: hyphenated
// names whose first word is a commune noun ("Bourg-…", "Ville-…"), a commune followed by its
// département without punctuation, a name with its département in brackets after any applicant
// noun, a département named "du département de …", EPCIs typed in lowercase or inside another cue,
// themes ruled out after the verb or with "ne porte pas sur", partner countries that are also common
// words and several partners in one message. Every sentence here was misread before.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { understand, type SlotName, type Understanding } from '../../bot/conversation/understand/understand.ts'

let geography: Geography
beforeAll(() => {
  geography = loadEtalabGeography()
})

const u = (text: string, expectedSlot?: SlotName): Understanding => understand(text, { geography, today: '2026-03-15', ...(expectedSlot && { expectedSlot }) })
const name = (text: string): string | undefined => {
  const c = u(text).collectivite
  return c?.kind === 'found' ? `${c.profile.type}:${c.profile.code}` : c ? c.kind : undefined
}

describe('hyphenated names that begin with a commune noun', () => {
  it('"Bourg-…" and "Ville-…" are names, not "bourg" or "ville" cues', () => {
    expect(name('Je suis adjointe au maire de Bourg-de-Péage (Drôme), nous voulons rénover le gymnase')).toBe('commune:26057')
    expect(name('la commune de Bourg-Saint-Andéol veut isoler l\'école')).toBe('commune:07042')
    expect(name('MAIRIE DE VILLE-D\'AVRAY HAUTS-DE-SEINE, ECLAIRAGE PUBLIC')).toBe('commune:92077')
  })
})

describe('a commune followed by its département without punctuation', () => {
  it('in capitals and in lowercase, accents or not', () => {
    expect(name('mairie de bourg-saint-maurice savoie, la voirie')).toBe('commune:73054')
    expect(name('MAIRIE DE MILLAU AVEYRON, LA RENOVATION DU GYMNASE')).toBe('commune:12145')
    expect(name('mairie de privas ardeche, les vestiaires du stade')).toBe('commune:07186')
  })
})

describe('an applicant noun followed by its commune', () => {
  it('the bracketed département makes the name a commune; the noun stays the applicant', () => {
    expect(u('association, Quimper (Finistère) : rénovation du club-house')).toMatchObject({ applicantType: 'association', collectivite: { kind: 'found', profile: { code: '29232' } } })
    expect(u('Je préside une association de Millau (Aveyron) qui anime un tiers-lieu')).toMatchObject({ applicantType: 'association', collectivite: { kind: 'found', profile: { code: '12145' } } })
    expect(u('syndicat des eaux, Privas (Ardèche) : le réseau d\'assainissement')).toMatchObject({ applicantType: 'syndicat', collectivite: { kind: 'found', profile: { code: '07186' } } })
    expect(u('Petr autour d\'aurillac (cantal), une voie verte')).toMatchObject({ applicantType: 'petr', collectivite: { kind: 'found', profile: { code: '15014' } } })
    expect(u('groupement de collectivités avec Quimper (Finistère), une étude')).toMatchObject({ applicantType: 'groupement_collectivites', collectivite: { kind: 'found', profile: { code: '29232' } } })
    expect(u('entreprise privée, Rodez (Aveyron) : une chaufferie bois')).toMatchObject({ applicantType: 'entreprise', collectivite: { kind: 'found', profile: { code: '12202' } } })
  })

  it('"CCAS de Millau": the capitalised name after the body\'s noun', () => {
    expect(u('Le CCAS de Millau voudrait équiper la résidence autonomie')).toMatchObject({ applicantType: 'etablissement_public', collectivite: { kind: 'found', profile: { code: '12145' } } })
  })

  it('a syndicat\'s population is no département code', () => {
    expect(name('syndicat intercommunal de 45 000 habitants, Privas (Ardèche) : la cantine')).toBe('commune:07186')
  })

  it('enterprises as the project\'s object are no applicant', () => {
    expect(u('mairie de Vézelay, aide aux entreprises privées').applicantType).toBe('commune')
  })
})

describe('a département named "du département de …"', () => {
  it('is who speaks when no other collectivité is named', () => {
    expect(u('Je suis chargée de mission au service des routes du département de la Savoie. Nous voulons sécuriser un pont.')).toMatchObject({ applicantType: 'departement', collectivite: { kind: 'found', profile: { code: '73' } } })
    expect(name('Bonjour, au nom du Département du Gers, nous voulons rénover un collège')).toBe('departement:32')
    expect(name('DEPARTEMENT DE LA SAVOIE, SECURISATION D\'UN PONT')).toBe('departement:73')
  })

  it('but not after a commune, and a funder is no applicant', () => {
    expect(name('nous sommes une commune rurale du département de l\'Yonne, 300 habitants')).not.toBe('departement:89')
    expect(u('Vézelay (89) : rénovation de la halle, projet retenu par la Région')).toMatchObject({ collectivite: { profile: { code: '89446' } } })
    expect(u('Vézelay (89) : rénovation de la halle, projet retenu par la Région').applicantType).toBeUndefined()
  })
})

describe('EPCIs typed loosely', () => {
  it('"ca", "cc", "cu" in lowercase, when the geography knows the name exactly', () => {
    expect(name('ca du pays basque, des pistes cyclables')).toBe('epci:200067106')
    expect(name('slt cc du grand figeac des bornes')).toBe('epci:200067361')
    expect(name('slt montpellier mediterranee metropole, le tramway')).toBe('epci:243400017')
  })

  it('a cue inside another cue, and a heading after the kind', () => {
    expect(name('Bonjour, je représente l\'intercommunalité CC Cœur de Savoie, nous voulons créer une voie verte')).toBe('epci:200041010')
    expect(name('Montpellier Méditerranée Métropole : le tramway')).toBe('epci:243400017')
  })
})

describe('themes ruled out', () => {
  it('"ne porte pas sur", and a subject "ne sont pas concernées"', () => {
    expect(u('le projet ne porte pas sur la voirie mais sur l\'éclairage public').themes).toEqual({ add: ['eclairage_public'], remove: ['voirie'] })
    expect(u('rénovation de la mairie, les écoles ne sont pas concernées').themes.remove).toEqual(['ecoles'])
    expect(u('je ne suis pas sûr que la voirie soit éligible').themes.add).toEqual(['voirie'])
  })

  it('wi-fi is the public wi-fi theme', () => {
    expect(u('installer des bornes wifi sur la place').themes.add).toContain('wifi_public')
    expect(u('un accès wi-fi gratuit sur la place').themes.add).toContain('wifi_public')
  })
})

describe('partner countries', () => {
  it('a country that is also a common word, after "partenaire"', () => {
    expect(u('partenaire Niger, forage de puits').partnerCountry).toBe('NE')
    expect(u('le fleuve Niger traverse').partnerCountry).toBeUndefined()
  })

  it('several partners, the first the main one', () => {
    expect(u('jumelage, partenaires Espagne et Portugal')).toMatchObject({ partnerCountry: 'ES', partnerCountries: ['ES', 'PT'] })
    expect(u('coopération avec le Niger et le Mali').partnerCountries).toEqual(['NE', 'ML'])
  })
})
