// GET /api/crawl/runs (latest first: per-source counts and errors), GET /api/crawl/runs/:id and
// GET /api/crawl/events (what changed, for the alerts; `since` is compared in UTC). Read-only; run records carry no
// secrets (credential values are redacted by the runner before anything is stored).
import { Hono } from 'hono'
import { z } from 'zod'
import { NotFoundError, ValidationError, zodIssues } from '../../core/errors.ts'
import type { CrawlStore } from '../../crawler/crawl-store.ts'

export const RunsQuerySchema = z
  .object({
    limit: z.coerce.number({ error: 'nombre entier attendu' }).int('nombre entier attendu').min(1, '1 au moins').max(100, '100 au plus').default(20),
  })
  .strict()

export const EventsQuerySchema = z
  .object({
    since: z.iso.datetime({ offset: true, error: 'instant ISO-8601 attendu (ex. 2026-03-01T00:00:00Z)' }).optional(),
    afterId: z.coerce.number({ error: 'nombre entier attendu' }).int().min(0).optional(),
    limit: z.coerce.number({ error: 'nombre entier attendu' }).int('nombre entier attendu').min(1, '1 au moins').max(1000, '1 000 au plus').default(200),
  })
  .strict()

function parse<T>(schema: z.ZodType<T>, query: Record<string, string>): T {
  const parsed = schema.safeParse(query)
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error.issues))
  return parsed.data
}

export function crawlRoutes({ store }: { store: Pick<CrawlStore, 'listRuns' | 'events'> }): Hono {
  const app = new Hono()

  app.get('/api/crawl/runs', async (c) => {
    const { limit } = parse(RunsQuerySchema, c.req.query())
    return c.json({ runs: await store.listRuns(limit) })
  })

  app.get('/api/crawl/runs/:id', async (c) => {
    const id = c.req.param('id')
    // Runs are few; the latest hundred cover any id worth asking for.
    const run = (await store.listRuns(100)).find((r) => r.id === id)
    if (!run) throw new NotFoundError(`Collecte inconnue : « ${id} » / Unknown crawl run`, 'id')
    return c.json({ run })
  })

  app.get('/api/crawl/events', async (c) => {
    const { since, afterId, limit } = parse(EventsQuerySchema, c.req.query())
    return c.json({ events: await store.events({ ...(since ? { since: new Date(since).toISOString() } : {}), ...(afterId !== undefined ? { afterId } : {}), limit }) })
  })

  return app
}
