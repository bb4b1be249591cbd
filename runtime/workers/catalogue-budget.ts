// The catalogue's budget on Workers. Each isolate holds the whole catalogue (the curated programmes
// and the crawled rows of the D1 crawl store) and has 128 MB: measured by
// test/bench/workers-memory-bench.ts (`node --expose-gc --import tsx test/bench/workers-memory-bench.ts`),
// a programme costs about 5 KB held and about 13 KB at a rebuild's peak (the previous catalogue,
// the new one, its search documents and their JSON alive at once); with the geography (15 MB) and
// a margin for the code, one request and the runtime, 6,500 programmes fit. Past that the isolate
// would die out of memory at a rebuild, silently.
//
// The choice when a rebuild would exceed WORKERS_MAX_PROGRAMMES: keep serving, truncated, rather
// than refuse. The curated programmes (bundled, and the back office's) are always kept whole —
// they are the reviewed part of the catalogue; the crawled rows fill the room left, the most
// recently changed first, so the rows left out are those changed least recently (a crawl that
// brings a new call puts it in). Refusing would leave every user without an answer for the sake of
// the rows that do not fit. The Worker logs one error per such rebuild, naming the figure and the
// setting, and /api/ready reports it (checks.catalogue, ok false) until the catalogue fits again.
import { z } from 'zod'
import type { Logger } from '../../core/logger.ts'
import type { CrawledRow } from '../../crawler/crawl-store.ts'

export const MAX_PROGRAMMES_VAR = 'WORKERS_MAX_PROGRAMMES'
/** The measured budget of a 128 MB isolate (see above). */
export const DEFAULT_MAX_PROGRAMMES = 6_500

const Setting = z.string().regex(/^[0-9]+$/).transform(Number).pipe(z.number().int().min(1))

/** WORKERS_MAX_PROGRAMMES, the default when unset or empty (a bad value names the variable). */
export function maxProgrammes(env: Record<string, unknown>): number {
  const raw = env[MAX_PROGRAMMES_VAR]
  if (raw === undefined || raw === '') return DEFAULT_MAX_PROGRAMMES
  const parsed = Setting.safeParse(raw)
  if (!parsed.success) throw new Error(`Configuration invalide : ${MAX_PROGRAMMES_VAR} attend un nombre entier de programmes, au moins 1 (reçu « ${String(raw)} »)`)
  return parsed.data
}

/** What /api/ready says of the catalogue's size (checks.catalogue). */
export interface CatalogueBudgetCheck {
  /** The catalogue fits the budget: nothing left out. */
  ok: boolean
  /** The programmes the last rebuild read: the bundled curated ones plus the crawled rows listed (before any left out). */
  programmes: number
  limit: number
  /** Crawled rows left out of the catalogue, the least recently changed. */
  leftOut: number
  problem?: string
}

export interface CatalogueBudget {
  /** The crawled layer as the catalogue service reads it: the rows that fit. */
  crawled: { allRows(): Promise<readonly CrawledRow[]> }
  /** The catalogue service's onRebuilt: the figures of the rebuild that was swapped in become the check's. */
  rebuilt(): void
  check(): CatalogueBudgetCheck
}

function problemOf(programmes: number, limit: number, leftOut: number): string {
  return (
    `Catalogue trop grand pour un isolat Workers : ${programmes} programmes pour ${MAX_PROGRAMMES_VAR}=${limit} ; ` +
    `les ${leftOut} programmes collectés modifiés le moins récemment sont laissés de côté. / ` +
    `Catalogue over the isolate's budget: ${programmes} programmes for ${MAX_PROGRAMMES_VAR}=${limit}; the ${leftOut} crawled rows changed least recently are left out.`
  )
}

/** The most recently changed first (then last seen, then id, so that the same rows are kept at each rebuild). */
function byRecentChange(a: CrawledRow, b: CrawledRow): number {
  if (a.lastChanged !== b.lastChanged) return a.lastChanged < b.lastChanged ? 1 : -1
  if (a.lastSeen !== b.lastSeen) return a.lastSeen < b.lastSeen ? 1 : -1
  return a.programme.id < b.programme.id ? -1 : a.programme.id > b.programme.id ? 1 : 0
}

export function catalogueBudget(options: { crawled: { allRows(): Promise<readonly CrawledRow[]> }; curated: number; limit: number; logger: Pick<Logger, 'error'> }): CatalogueBudget {
  const { curated, limit, logger } = options
  let current: CatalogueBudgetCheck = curated <= limit ? { ok: true, programmes: curated, limit, leftOut: 0 } : { ok: false, programmes: curated, limit, leftOut: 0, problem: problemOf(curated, limit, 0) }
  let pending = current
  return {
    crawled: {
      async allRows() {
        const rows = await options.crawled.allRows()
        // Rows gone from their source are left out of the catalogue anyway (content/crawled-layers.ts).
        const listed = rows.filter((r) => !r.goneAt)
        const programmes = curated + listed.length
        const room = Math.max(0, limit - curated)
        if (programmes <= limit) {
          pending = { ok: true, programmes, limit, leftOut: 0 }
          return rows
        }
        const kept = [...listed].sort(byRecentChange).slice(0, room)
        const leftOut = listed.length - kept.length
        pending = { ok: false, programmes, limit, leftOut, problem: problemOf(programmes, limit, leftOut) }
        logger.error(`workers catalogue over budget: ${programmes} programmes for ${MAX_PROGRAMMES_VAR}=${limit}, the ${leftOut} crawled rows changed least recently left out`, { programmes, limit, leftOut, setting: MAX_PROGRAMMES_VAR })
        return kept
      },
    },
    rebuilt() {
      current = pending
    },
    check: () => current,
  }
}
