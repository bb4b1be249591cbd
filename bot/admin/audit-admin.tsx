/** @jsxImportSource hono/jsx */
// The audit log of the admin desk: every change, who made it, before and after — as JSON and as
// a page filtered by object, actor and action, the most recent first, older ones by page.
import type { Hono } from 'hono'
import { z } from 'zod'
import type { AdminDeps } from './admin-deps.ts'
import type { AdminEnv, AdminModule } from './kit.ts'
import { AuditTable, Layout } from './views.tsx'

const AuditQuerySchema = z.object({
  target: z.string().max(300).optional(), actor: z.string().max(200).optional(), action: z.string().max(100).optional(),
  beforeId: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(200),
})
const auditQuery = (query: Record<string, string>) => {
  const q = AuditQuerySchema.parse(Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '')))
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as z.infer<typeof AuditQuerySchema>
}

export function auditModule(deps: Pick<AdminDeps, 'audit'>): AdminModule {
  return (app: Hono<AdminEnv>) => {
    app.get('/api/admin/audit', async (c) => c.json({ entries: await deps.audit.list(auditQuery(c.req.query())) }))
    app.get('/admin/audit', async (c) => {
      const query = c.req.query()
      const q = auditQuery(query)
      const entries = await deps.audit.list(q)
      const older = entries.length === q.limit ? `/admin/audit?${new URLSearchParams({ ...query, beforeId: String(entries.at(-1)!.id) }).toString()}` : undefined
      return c.html(
        <Layout title="Journal des modifications" account={c.get('account')} csrf={c.get('csrf')}>
          <form method="get" action="/admin/audit" class="filters" role="search" aria-label="Filtrer le journal">
            <div><label for="a-target">Objet (ex. programme:detr)</label><input id="a-target" name="target" value={query['target'] ?? ''} /></div>
            <div><label for="a-actor">Qui (e-mail)</label><input id="a-actor" name="actor" value={query['actor'] ?? ''} /></div>
            <div><label for="a-action">Action (début, ex. programme.)</label><input id="a-action" name="action" value={query['action'] ?? ''} /></div>
            <div><button type="submit">Filtrer</button></div>
          </form>
          <p role="status">{entries.length} entrée(s){entries.length === q.limit ? ' (les plus récentes)' : ''}</p>
          <AuditTable entries={entries} />
          {older ? <p><a href={older}>Entrées plus anciennes</a></p> : null}
        </Layout>,
      )
    })
  }
}
