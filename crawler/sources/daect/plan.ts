// MEAE / DAECT: the calls page on diplomatie.gouv.fr (old URLs are reused for newer editions).
import type { SourcePlan } from '../../types.ts'

const PAGES = [
  'https://www.diplomatie.gouv.fr/fr/politique-etrangere-de-la-france/action-exterieure-des-collectivites-territoriales/appels-a-projets-et-fonds-en-soutien-a-la-cooperation-decentralisee/',
]

export const plan: SourcePlan = {
  sourceId: 'daect',
  label: 'MEAE – DAECT, appels à projets de coopération décentralisée',
  format: 'html',
  auth: { kind: 'none' },
  start: PAGES.map((url) => ({ url, method: 'GET', headers: { accept: 'text/html' }, kind: 'detail' })),
  politenessMs: 5_000,
}
