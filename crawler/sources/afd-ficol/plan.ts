// AFD FICOL: no feed; the AFD page and the relay pages of each yearly edition.
import type { SourcePlan } from '../../types.ts'

const PAGES = [
  'https://www.afd.fr/fr/la-ficol-un-tremplin-pour-laction-exterieure-des-territoires-francais',
  'https://www.oc-cooperation.org/appel-projet/financements-des-collectivites-territoriales-francaises-ficol-2024-2/',
]

export const plan: SourcePlan = {
  sourceId: 'afd-ficol',
  label: 'AFD – FICOL',
  format: 'html',
  auth: { kind: 'none' },
  start: PAGES.map((url) => ({ url, method: 'GET', headers: { accept: 'text/html' }, kind: 'detail' })),
  politenessMs: 5_000,
}
