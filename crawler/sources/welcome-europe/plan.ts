// Welcome Europe calls export (private API, header auth). Pagination is not documented: one call.
import type { SourcePlan } from '../../types.ts'

export const plan: SourcePlan = {
  sourceId: 'welcome-europe',
  label: 'Welcome Europe – appels européens',
  format: 'json',
  auth: {
    kind: 'headers',
    headers: { Authorization: 'WELCOME_EUROPE_API_KEY' },
    note: 'Accès sur abonnement : la valeur complète de l\'en-tête est fournie par Welcome Europe.',
  },
  start: [
    {
      // Endpoint given with the subscription; set it in config.
      url: 'https://www.welcomeurope.com/wp-json/welcomeurope/v1/calls',
      method: 'GET',
      headers: { accept: 'application/json' },
      kind: 'list',
    },
  ],
  politenessMs: 2_000,
}
