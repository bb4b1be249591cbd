// The project's stage (core/programme.ts STAGES), only when clearly said. Phase nouns ("étude",
// "diagnostic", "AMO", "travaux", "fonctionnement", "poste") are strong; project verbs
// ("rénover", "construire", "installer", "achat") are weak and count only when no phase noun is
// there ("une étude pour rénover l'école" is an étude). Two stages said with the same strength
// and neither ruled out give no answer: the dialogue asks.
import type { Stage } from '../../../core/programme.ts'
import { PhraseMatcher, type PhraseSpec } from './phrases.ts'
import { asText, type Text } from './text.ts'

interface StageWord {
  stage: Stage
  strong: boolean
}

const WORDS: Record<Stage, { strong: string[]; weak: string[] }> = {
  etude: {
    strong: [
      'étude', 'études', 'étude de faisabilité', 'faisabilité', 'diagnostic', 'amo', 'assistance à maîtrise d\'ouvrage', 'maîtrise d\'œuvre',
      'moe', 'audit', 'audit énergétique', 'pré-étude', 'préétude', 'avant-projet', 'esquisse', 'conception',
      'schéma directeur', 'bureau d\'études', 'phase étude', 'étudier',
    ],
    weak: ['réfléchir', 'réflexion', 'accompagnement', 'ingénierie'],
  },
  travaux: {
    strong: ['travaux', 'chantier', 'investissement', 'investissements', 'phase travaux', 'réalisation'],
    weak: [
      'construction', 'construire', 'rénover', 'rénovation', 'réhabiliter', 'réhabilitation', 'restaurer', 'restauration', 'achat', 'acheter',
      'acquisition', 'acquérir', 'installer', 'installation', 'équiper', 'aménager', 'aménagement', 'remplacer', 'remplacement', 'agrandir',
      'agrandissement', 'extension', 'mise aux normes', 'mettre aux normes', 'refaire', 'réfection', 'créer un', 'créer une', 'création d\'un',
      'création d\'une', 'démolir', 'démolition', 'reconstruire', 'isoler', 'passer en', 'passer à', 'passer au', 'passer l\'éclairage',
      'moderniser', 'modernisation', 'changer', 'changement', 'convertir', 'conversion', 'déployer', 'déploiement', 'doter', 'poser',
    ],
  },
  fonctionnement: {
    strong: [
      'fonctionnement', 'frais de fonctionnement', 'dépenses de fonctionnement', 'poste', 'salaire', 'salaires', 'charges de personnel',
      'masse salariale', 'recrutement', 'recruter', 'embaucher', 'embauche', 'financer un poste', 'animateur', 'animatrice',
    ],
    weak: ['animation', 'animer', 'sensibilisation', 'événement', 'événements', 'fête', 'festival'],
  },
}

const BLOCKERS = [
  'la poste', 'agence postale', 'bureau de poste', 'poste source', 'poste de transformation', 'poste de secours', 'restauration scolaire',
  'restauration collective', 'salle des fêtes', 'comité des fêtes', 'mise en place', 'études supérieures',
]

function specs(): PhraseSpec<StageWord>[] {
  const out: PhraseSpec<StageWord>[] = BLOCKERS.map((b) => [b, null] as const)
  for (const [stage, { strong, weak }] of Object.entries(WORDS) as [Stage, { strong: string[]; weak: string[] }][]) {
    for (const w of strong) out.push([w, { stage, strong: true }])
    for (const w of weak) out.push([w, { stage, strong: false }])
  }
  return out
}

export const STAGE_VOCABULARY = new PhraseMatcher(specs(), { fuzzy: true })

export function detectStage(input: string | Text): Stage | undefined {
  const hits = STAGE_VOCABULARY.match(asText(input))
  const ruledOut = new Set(hits.filter((h) => h.negated).map((h) => h.value.stage))
  const positive = hits.filter((h) => !h.negated && !ruledOut.has(h.value.stage))
  for (const strong of [true, false]) {
    const stages = [...new Set(positive.filter((h) => h.value.strong === strong).map((h) => h.value.stage))]
    if (stages.length === 1) return stages[0]
    if (stages.length > 1) return undefined
  }
  return undefined
}
