// ADEME "Agir pour la transition" dispositifs API: one call, credentials in two headers.
import type { SourcePlan } from '../../types.ts'

export const plan: SourcePlan = {
  sourceId: 'ademe-agir',
  label: 'ADEME – Agir pour la transition',
  format: 'json',
  auth: {
    kind: 'headers',
    headers: { client_id: 'ADEME_CLIENT_ID', client_secret: 'ADEME_CLIENT_SECRET' },
    note: 'Identifiants délivrés par l\'ADEME (API des dispositifs d\'aide).',
  },
  start: [
    {
      // The endpoint is configuration in Aides-territoires' importer; this is the API's public base.
      url: 'https://api.agirpourlatransition.ademe.fr/dispositifs',
      method: 'GET',
      headers: { accept: 'application/json' },
      kind: 'list',
    },
  ],
  politenessMs: 1_000,
}
