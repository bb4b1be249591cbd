// « Qu'ont financé des communes comme la mienne ? » as a class of questions: asking what comparable or
// neighbouring collectivités obtained, or for examples of funded projects. The phrases were written
// before the detector; the HELD_OUT ones were never run while it was written (kept to measure it).
import { describe, expect, it } from 'vitest'
import { asksForPeerProjects } from '../../bot/conversation/understand/peer-question.ts'

const ASKS = [
  'qu\'ont financé des communes comme la mienne ?',
  'exemples de projets financés',
  'qu\'ont obtenu les communes voisines ?',
  'Quels projets ont été financés chez nous ?',
  'Montrez-moi des projets similaires déjà subventionnés',
  'Qu\'est-ce que d\'autres mairies ont réussi à faire financer ?',
  'Des communes de ma taille ont-elles eu le Fonds vert ?',
  'avez-vous des exemples de communes aidées ?',
  'qu ont finance les autres communes du departement',
]

const HELD_OUT = [
  'Vous avez des exemples de villages qui ont décroché une subvention pour ça ?',
  'Combien ont touché les autres communes du département ?',
  'ça a marché pour qui, ce genre de projet, dans le coin ?',
  'Quelles collectivités proches ont été aidées pour des projets pareils ?',
]

const NOT = [
  'quelles aides pour rénover l\'école ?',
  'le projet est financé à 50 % par la région',
  'nous avons déjà obtenu la DETR',
  'exemple : une salle des fêtes',
  'oui',
  'Vézelay',
  'combien de temps pour obtenir une réponse ?',
  'je suis maire de Vézelay, on veut passer l\'éclairage public en LED',
  'pourquoi la DETR ?',
  'la commune voisine porte le projet avec nous',
]

describe('asking what comparable collectivités got funded', () => {
  it.each(ASKS)('« %s » asks for peer projects', (s) => expect(asksForPeerProjects(s)).toBe(true))
  it.each(HELD_OUT)('held out: « %s » asks for peer projects', (s) => expect(asksForPeerProjects(s)).toBe(true))
  it.each(NOT)('« %s » does not', (s) => expect(asksForPeerProjects(s)).toBe(false))
})
