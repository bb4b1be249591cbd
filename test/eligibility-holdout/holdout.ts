// The eligibility hold-out set (cases.yaml): cases written from programme-facts.json by someone
// who had not read the code, kept apart from development. Each is played through the real app —
// GET /api/match, or a French conversation through POST /api/chat answering every question
// « je ne sais pas » — and scored: programmes the facts exclude that are shown as eligible (the
// figure that must be 0), shown at all, and programmes the facts allow that were excluded.
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { z } from 'zod'

const Case = z
  .object({
    id: z.string(),
    kind: z.enum(['match', 'chat']),
    query: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    turns: z.array(z.string()).optional(),
    mustNotBeEligible: z.array(z.object({ id: z.string(), why: z.string() })).default([]),
    shouldBeObtainable: z.array(z.string()).default([]),
  })
  .strict()
export type HoldoutCase = z.infer<typeof Case>

export function loadHoldout(file = new URL('./cases.yaml', import.meta.url).pathname): HoldoutCase[] {
  return z.array(Case).parse(parse(readFileSync(file, 'utf8')))
}

interface Item {
  id: string
  eligibility: { status: string }
}
export interface CaseOutcome {
  id: string
  kind: 'match' | 'chat'
  /** Programmes the facts exclude, shown as eligible. */
  eligibleWrongly: string[]
  /** …shown at all (eligible or « à confirmer »). */
  shownWrongly: string[]
  /** Programmes the facts allow, found among the excluded (or nowhere). */
  missedObtainable: string[]
  error?: string
}

type Request = (path: string, init?: RequestInit) => Promise<Response>

export async function playCase(request: Request, c: HoldoutCase): Promise<CaseOutcome> {
  let results: Item[] = []
  let excluded: string[] = []
  if (c.kind === 'match') {
    const qs = new URLSearchParams(Object.entries(c.query ?? {}).map(([k, v]) => [k, String(v)]))
    if (!qs.has('limit')) qs.set('limit', '200')
    const res = await request(`/api/match?${qs}`)
    if (res.status !== 200) return { id: c.id, kind: c.kind, eligibleWrongly: [], shownWrongly: [], missedObtainable: [], error: `HTTP ${res.status}: ${(await res.text()).slice(0, 200)}` }
    const body = (await res.json()) as { results: Item[]; excluded: { id: string }[] }
    results = body.results
    excluded = body.excluded.map((e) => e.id)
  } else {
    const post = async (body: object) => {
      const res = await request('/api/chat', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      return (await res.json()) as { sessionId: string; question?: { slot: string }; results?: Item[] }
    }
    let reply = await post({ text: c.turns![0]! })
    const sessionId = reply.sessionId
    for (const t of c.turns!.slice(1)) reply = await post({ sessionId, text: t })
    for (let i = 0; i < 6 && reply.question; i++) reply = await post({ sessionId, text: 'je ne sais pas' })
    if (!reply.results) reply = await post({ sessionId, text: 'montre-moi les résultats' })
    results = reply.results ?? []
    const more = await post({ sessionId, choice: 'excluded' })
    excluded = ((more as { excluded?: { id: string }[] }).excluded ?? []).map((e) => e.id)
  }
  const eligible = new Set(results.filter((r) => r.eligibility.status === 'eligible').map((r) => r.id))
  const shown = new Set(results.map((r) => r.id))
  return {
    id: c.id,
    kind: c.kind,
    eligibleWrongly: c.mustNotBeEligible.map((m) => m.id).filter((id) => eligible.has(id)),
    shownWrongly: c.mustNotBeEligible.map((m) => m.id).filter((id) => shown.has(id)),
    missedObtainable: c.shouldBeObtainable.filter((id) => excluded.includes(id)),
  }
}
