// Département de la Manche aid guide: one JSON call behind HTTP basic auth (as Aides-territoires
// imports it).
import type { SourcePlan } from '../../types.ts'

export const plan: SourcePlan = {
  sourceId: 'manche',
  label: 'Département de la Manche – guide des aides',
  format: 'json',
  auth: { kind: 'basic', userEnv: 'MANCHE_API_USERNAME', passwordEnv: 'MANCHE_API_PASSWORD' },
  start: [
    {
      // The exact endpoint is given by the Département with the credentials: set it in config.
      url: 'https://www.manche.fr/api/guide-des-aides/aides',
      method: 'GET',
      headers: { accept: 'application/json' },
      kind: 'list',
    },
  ],
  politenessMs: 1_000,
}
