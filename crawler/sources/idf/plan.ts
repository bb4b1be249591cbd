// Région Île-de-France guide des aides: the whole catalogue in one public call (top=2500).
import type { SourcePlan } from '../../types.ts'

export const plan: SourcePlan = {
  sourceId: 'idf',
  label: 'Région Île-de-France – guide des aides',
  format: 'json',
  auth: { kind: 'none' },
  start: [
    {
      url: 'https://mesdemarches.iledefrance.fr/guide-des-aides/api/public/tenants/cridfprd/aides?top=2500',
      method: 'GET',
      headers: { accept: 'application/json' },
      kind: 'list',
    },
  ],
  politenessMs: 1_000,
}
