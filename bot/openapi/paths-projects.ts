// The peer-projects path of the OpenAPI document (bot/openapi.ts): GET /api/projects, the projects the
// Fonds vert funded in 2023 (content/peers), its query from the zod schema the route validates with.
import { MEASURES } from '../../content/peers/measures.ts'
import { POPULATION_BANDS } from '../../content/peers/comparable.ts'
import { BENEFICIARY_TYPES } from '../../content/peers/beneficiary.ts'
import { ProjectsQuerySchema } from '../api/projects-routes.ts'
import { arr, error, int, invalid, obj, ok, type Json, type Paths, queryParameters, str } from './kit.ts'

const nullable = (schema: Json): Json => ({ oneOf: [schema, { type: 'null' }] })

/** A funded project as GET /api/projects lists it (also the items of MatchItem.peers, worded). */
export function peerProjectSchema(): Json {
  return obj(
    {
      id: { ...str, description: 'Dossier number on demarches-simplifiees.fr' },
      departement: { ...str, examples: ['89'] },
      region: { ...str, description: 'INSEE code of the région' },
      commune: { ...obj({ code: str, name: str, population: int }, ['code', 'name']), description: 'Where the project is; absent for projects carried at département level' },
      measure: obj({ id: { ...str, enum: MEASURES.map((m) => m.id) }, label: str }),
      themes: { ...arr(str), description: 'Guichet theme ids the measure funds' },
      project: str,
      beneficiary: obj({ name: str, siren: str, type: { ...str, enum: [...BENEFICIARY_TYPES] } }, ['name', 'type']),
      amountCents: { ...int, description: 'Amount committed by the State, in euro cents' },
      amount: { ...str, description: 'The amount in French (« 21 667 € »)' },
      band: { ...nullable({ ...str, enum: POPULATION_BANDS.map((b) => b.id) }), description: 'Population band of the commune' },
      scope: { ...str, enum: ['departement', 'region', 'france'], description: 'With collectivite: where it stands from that collectivité' },
    },
    ['id', 'departement', 'region', 'measure', 'themes', 'project', 'beneficiary', 'amountCents', 'amount'],
  )
}

export function projectsPaths(): Paths {
  return {
    '/api/projects': {
      get: {
        tags: ['matching'],
        operationId: 'listFundedProjects',
        summary: 'Projects funded by the Fonds vert in 2023 (State open data): examples, never an eligibility criterion',
        description: 'The 10,782 projects of the Fonds vert 2023 laureates (« Fonds vert 2023, données publiques de l’État »; provenance in content/peers/PROVENANCE.md), filtered. With `collectivite`, the most comparable first: same département, then same région, then France (same population band only), closest population band and population first. `stats` gives, per département and measure of the filtered set, the count and the median amount.',
        parameters: queryParameters(ProjectsQuerySchema, {
          theme: 'Guichet theme id (GET /api/themes): projects of the measures funding it',
          measure: `Fonds vert 2023 measure (démarche number): ${MEASURES.map((m) => `${m.id} ${m.label}`).join('; ')}`,
          departement: 'Département code (89, 2A, 971…)',
          band: `Population band of the project's commune: ${POPULATION_BANDS.map((b) => `${b.id} (${b.label})`).join(', ')}`,
          collectivite: 'INSEE code of a commune or SIREN of an EPCI: rank by comparability with it',
          limit: 'Maximum projects (default 20)',
        }),
        responses: {
          200: ok('The projects, with the source and the per-département statistics', obj({
            source: { ...str, const: 'Fonds vert 2023, données publiques de l’État' },
            note: str,
            collectivite: obj({ code: str, name: str, type: str }),
            total: { ...int, description: 'Projects matching the filters' },
            projects: arr(peerProjectSchema()),
            stats: arr(obj({ departement: str, measure: obj({ id: str, label: str }), count: int, medianCents: int, totalCents: int })),
            bands: arr(obj({ id: str, label: str })),
          }, ['source', 'note', 'total', 'projects', 'stats', 'bands'])),
          400: invalid(),
          404: error('Unknown collectivité (error.field collectivite)'),
        },
      },
    },
  }
}

/** MatchItem.peers and ChatResponse.peers: a few comparable funded projects, worded (content/peers/peers.ts PeerList). */
export function peerListSchema(): Json {
  return {
    ...obj({
      title: { ...str, const: 'Projets financés en 2023 par le Fonds vert dans des communes comparables' },
      source: { ...str, const: 'Fonds vert 2023, données publiques de l’État' },
      projects: arr(obj({
        commune: { ...nullable(str), description: '« Asquins (89) »; null for a project carried at département level' },
        departement: str,
        scope: { ...str, enum: ['departement', 'region', 'france'] },
        measure: str,
        project: str,
        beneficiary: str,
        amountCents: int,
        amount: { ...str, description: '« 21 667 € »' },
      })),
    }),
    description: 'Fonds vert 2023 projects of comparable communes (same département first, then région): examples, never used for eligibility',
  }
}
