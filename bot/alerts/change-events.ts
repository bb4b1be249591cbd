// The ChangeEventSource port: what changed in programmes since a cursor (a deadline moved, a
// call closed early, a new edition). The crawler's CrawlStore fits it as it is (its `events`
// method); tests use the in-memory source below. `before`/`after` are small summaries.
import type { ChangeKind } from './delivery.ts'
import { CHANGE_KINDS } from './delivery.ts'

export interface ChangeEvent {
  id?: number
  programmeId: string
  kind: string
  before: unknown
  after: unknown
  at: string
}

export interface ChangeEventSource {
  /** Oldest first; `afterId` is exclusive. */
  events(query?: { afterId?: number; limit?: number }): Promise<ChangeEvent[]>
}

export function isAlertChange(kind: string): kind is ChangeKind {
  return (CHANGE_KINDS as readonly string[]).includes(kind)
}

export function createMemoryChangeEventSource(initial: ChangeEvent[] = []): ChangeEventSource & { push(e: Omit<ChangeEvent, 'id'>): ChangeEvent } {
  const list: ChangeEvent[] = []
  const push = (e: Omit<ChangeEvent, 'id'>) => {
    const withId = { ...e, id: list.length + 1 }
    list.push(withId)
    return withId
  }
  for (const e of initial) push(e)
  return {
    push,
    async events({ afterId = 0, limit = 1000 } = {}) {
      return list.filter((e) => (e.id ?? 0) > afterId).slice(0, limit)
    },
  }
}

/** The deadline and edition a crawl summary names, whatever its exact shape. */
export function summaryFacts(value: unknown): { deadline?: string | null; edition?: string | null; name?: string; url?: string } {
  if (!value || typeof value !== 'object') return {}
  const v = value as Record<string, unknown>
  const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined)
  const edition = v.edition
  const editionLabel = typeof edition === 'string' ? edition : edition && typeof edition === 'object' ? str((edition as Record<string, unknown>).label) : undefined
  const editionDeadline = edition && typeof edition === 'object' ? ((edition as Record<string, unknown>).deadlines as unknown[] | undefined)?.at(-1) : undefined
  const deadline = str(v.deadline) ?? str(editionDeadline)
  const name = str(v.name)
  const url = str(v.url)
  return { ...(deadline ? { deadline } : {}), ...(editionLabel ? { edition: editionLabel } : {}), ...(name ? { name } : {}), ...(url ? { url } : {}) }
}
