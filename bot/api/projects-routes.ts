// GET /api/projects: the projects funded by the Fonds vert in 2023 (State open data, content/peers),
// filtered by theme, measure, département and population band; with a collectivité, the most comparable
// first (same département, then région, then France). Every answer names its source; these data are
// never used to decide eligibility.
import { Hono } from 'hono'
import { z } from 'zod'
import { DEPARTEMENT_CODE, COMMUNE_CODE } from '../../core/codes.ts'
import { NotFoundError, ValidationError, zodIssues } from '../../core/errors.ts'
import type { Geography } from '../../core/geography/geography.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { POPULATION_BAND_IDS, POPULATION_BANDS, populationBand, type ComparableProject } from '../../content/peers/comparable.ts'
import { MEASURES } from '../../content/peers/measures.ts'
import { loadPeers, peerLine, queryOf, type Peers } from '../../content/peers/peers.ts'
import { PEERS_SOURCE, type PeerProject } from '../../content/peers/projects.ts'

const MEASURE_IDS = MEASURES.map((m) => m.id) as [string, ...string[]]

export const ProjectsQuerySchema = z
  .object({
    theme: z.enum(THEME_IDS, { error: 'thème inconnu (voir GET /api/themes)' }).optional().describe('Thème Guichet (un projet en relève quand sa mesure finance ce thème)'),
    measure: z.enum(MEASURE_IDS, { error: `mesure inconnue; valeurs admises : ${MEASURE_IDS.join(', ')}` }).optional().describe('Mesure du Fonds vert 2023 (numéro de démarche)'),
    departement: z.string().trim().toUpperCase().regex(DEPARTEMENT_CODE, 'code de département attendu (ex. 89, 2A, 971)').optional().describe('Code du département'),
    band: z.enum(POPULATION_BAND_IDS, { error: `tranche de population inconnue; valeurs admises : ${POPULATION_BAND_IDS.join(', ')}` }).optional().describe('Tranche de population de la commune du projet'),
    collectivite: z.string().trim().regex(new RegExp(`${COMMUNE_CODE.source}|^\\d{9}$`, 'i'), 'code INSEE de commune ou SIREN d’EPCI attendu').optional().describe('Code INSEE ou SIREN : les projets les plus comparables d’abord'),
    limit: z.coerce.number({ error: 'nombre entier attendu' }).int('nombre entier attendu').min(1, '1 au moins').max(200, '200 au plus').default(20),
  })
  .strict()
export type ProjectsQuery = z.infer<typeof ProjectsQuerySchema>

export function projectsRoutes({ geography, peers = loadPeers }: { geography: Geography; peers?: () => Peers }): Hono {
  const app = new Hono()
  app.get('/api/projects', (c) => {
    const parsed = ProjectsQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const q = parsed.data
    if (q.departement && !geography.departement(q.departement)) throw new ValidationError([{ field: 'departement', message: `département inconnu : « ${q.departement} »` }])
    const profile = q.collectivite ? geography.byCode(q.collectivite) : undefined
    if (q.collectivite && !profile) throw new NotFoundError(`Collectivité inconnue : « ${q.collectivite} » / Unknown collectivité`, 'collectivite')
    const all = peers()
    const selected = select(all.projects, q)
    const ranked: Array<PeerProject & Partial<Pick<ComparableProject, 'scope'>>> = profile
      ? all.comparable({ ...queryOf(profile), ...(q.measure ? { measure: q.measure } : {}), ...(q.theme ? { themes: [q.theme] } : {}), ...(q.band ? { band: q.band } : {}), limit: Number.MAX_SAFE_INTEGER }).filter((p) => !q.departement || p.departement === q.departement)
      : [...selected].sort((a, b) => a.departement.localeCompare(b.departement) || b.amountCents - a.amountCents || a.id.localeCompare(b.id))
    return c.json({
      source: PEERS_SOURCE,
      note: 'Projets lauréats du Fonds vert en 2023 : des exemples, jamais un critère d’éligibilité.',
      ...(profile ? { collectivite: { code: profile.code, name: profile.name, type: profile.type } } : {}),
      total: ranked.length,
      projects: ranked.slice(0, q.limit).map((p) => ({ ...p, ...(p.commune ? { band: populationBand(p.commune.population) ?? null } : {}), amount: peerLine({ ...p, scope: p.scope ?? 'france' }).amount })),
      stats: all.stats({ ...(q.departement ? { departement: q.departement } : {}), ...(q.measure ? { measure: q.measure } : {}), ...(q.theme ? { themes: [q.theme] } : {}) }),
      bands: POPULATION_BANDS.map(({ id, label }) => ({ id, label })),
    })
  })
  return app
}

function select(projects: readonly PeerProject[], q: ProjectsQuery): PeerProject[] {
  return projects.filter((p) =>
    (!q.theme || p.themes.includes(q.theme)) &&
    (!q.measure || p.measure.id === q.measure) &&
    (!q.departement || p.departement === q.departement) &&
    (!q.band || populationBand(p.commune?.population) === q.band))
}
