// The anonymised understanding log's text (core/privacy/anonymise.ts): mayors' sentences as they
// type them, with e-mails, phones, collectivité and person names gone and the words of the need kept.
import { describe, expect, it } from 'vitest'
import { anonymiseText } from '../../core/privacy/anonymise.ts'

describe('anonymiseText', () => {
  it.each([
    ['Bonjour, je suis Jean Dupont, maire de Vézelay : jean.dupont@mairie-vezelay.fr ou 06 12 34 56 78',
      ['Vézelay'], 'Bonjour, je suis [nom], maire de [collectivité] : [e-mail] ou [téléphone]'],
    ['Jean-Pierre MARTIN, secrétaire de mairie. Nous voulons rénover l’école (DETR ?)', [],
      '[nom], secrétaire de mairie. Nous voulons rénover l’école (DETR ?)'],
    ['mairie de saint-pere sous vezelay, +33 3 86 33 21 11, contact M. Bernard', ['Saint-Père'],
      'mairie de [collectivité] sous vezelay, [téléphone], contact M. [nom]'],
    ['je m\'appelle claire leroy et la commune de vezelay a 420 habitants, budget 250 000 €', ['Vézelay'],
      'je m\'appelle [nom] et la commune de [collectivité] a 420 habitants, budget 250 000 €'],
    ['Rénovation énergétique de la salle des fêtes, FEDER ou fonds vert ? Voir https://mairie.example/projet?nom=dupont', [],
      'Rénovation énergétique de la salle des fêtes, FEDER ou fonds vert ? Voir [lien]'],
    ['Notre SIREN : 218 904 460, Mme Claire Leroy', [], 'Notre SIREN : [code], Mme [nom]'],
    ['pouvez-vous me dire si 2 m de haut suffit', [], 'pouvez-vous me dire si 2 m de haut suffit'],
  ])('%s', (text, collectivites, expected) => {
    expect(anonymiseText(text, { collectivites })).toBe(expected)
  })

  it('drops private-use characters a text could use to pass as a label', () => {
    expect(anonymiseText('a\uE000b@c.fr')).toBe('[e-mail]')
  })
})
