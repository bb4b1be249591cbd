// GET /api/council: the council back-planning of one deadline (core/council-view.ts) — the last
// useful council, « délibération à prendre avant le … », the latest convocation under the CGCT
// delays, or the flag when the deadline falls before the next council. The collectivité gives its
// kind, population and council calendar (the server's GUICHET_COUNCIL_CALENDAR otherwise); with
// `programme`, whether its file states a deliberation.
import { Hono } from 'hono'
import { z } from 'zod'
import type { Catalogue } from '../../content/catalogue.ts'
import { parisDay, type Clock } from '../../core/clock.ts'
import type { Config } from '../../core/config.ts'
import { COUNCIL_BODIES } from '../../core/council.ts'
import { CouncilCalendarText } from '../../core/council-calendar.ts'
import { councilView } from '../../core/council-view.ts'
import { NotFoundError, ValidationError, zodIssues } from '../../core/errors.ts'
import { councilSettings } from '../council-view.ts'

const isoDay = z.iso.date('date AAAA-MM-JJ attendue')

export const CouncilQuerySchema = z
  .object({
    deadline: isoDay.describe('Date limite de dépôt (AAAA-MM-JJ)'),
    kind: z.enum(COUNCIL_BODIES, { error: `type de collectivité inconnu; valeurs admises : ${COUNCIL_BODIES.join(', ')}` }).describe('Qui délibère'),
    population: z.coerce.number({ error: 'population attendue (nombre)' }).int('population entière attendue').positive('population positive attendue').max(1e8).optional().describe('Population (commune, groupement)'),
    largestMember: z.coerce.number({ error: 'population attendue (nombre)' }).int('population entière attendue').positive('population positive attendue').max(1e8).optional().describe('EPCI ou syndicat : population de sa commune la plus peuplée (CGCT L5211-1)'),
    calendar: CouncilCalendarText.optional().describe('Calendrier du conseil : « deuxième jeudi du mois » ou dates AAAA-MM-JJ séparées par des virgules'),
    marginDays: z.coerce.number({ error: 'nombre de jours attendu' }).int('nombre entier attendu').min(0, '0 au moins').max(60, '60 au plus').optional().describe('Jours entre le vote et la délibération exécutoire'),
    programme: z.string().trim().min(1).max(200).optional().describe('Identifiant du programme : dit si son dossier exige une délibération'),
  })
  .strict()

export function councilRoutes(deps: { config: Config; clock: Clock; catalogue: () => Catalogue }): Hono {
  const app = new Hono()
  app.get('/api/council', (c) => {
    const parsed = CouncilQuerySchema.safeParse(c.req.query())
    if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
    const q = parsed.data
    const today = parisDay(deps.clock.now())
    if (q.deadline < today) throw new ValidationError([{ field: 'deadline', message: `date limite passée (aujourd'hui : ${today})` }])
    const programme = q.programme ? deps.catalogue().get(q.programme) : undefined
    if (q.programme && !programme) throw new NotFoundError(`Programme inconnu : « ${q.programme} » / Unknown programme`, 'programme')
    const settings = councilSettings(deps.config, { ...(q.calendar ? { calendar: q.calendar } : {}), ...(q.marginDays !== undefined ? { marginDays: q.marginDays } : {}) })
    const view = councilView({
      ...(programme ? { programme } : {}),
      deadline: q.deadline,
      deadlineEstimated: false,
      body: q.kind,
      today,
      settings,
      ...(q.population !== undefined ? { population: q.population } : {}),
      ...(q.largestMember !== undefined ? { largestMember: q.largestMember } : {}),
    })
    return c.json({ today, ...(programme ? { programme: { id: programme.id, name: programme.name } } : {}), council: view })
  })
  return app
}
