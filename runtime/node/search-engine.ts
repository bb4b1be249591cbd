// The search index the Node server starts with: the embedded one, or Meilisearch when MEILI_HOST
// is set. Meilisearch is checked at start-up (GET /health, as its documentation describes:
// 200 {"status":"available"}), retried with backoff; if it still does not answer, the server stops
// with one clear line (StartupError), or starts on the embedded index with a warning when
// MEILI_FALLBACK=embedded. Never a stack trace for a server that is simply not there.
import type { Config } from '../../core/config.ts'
import type { Logger } from '../../core/logger.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { createMeilisearchSearchIndex } from '../../search/meilisearch/meilisearch-search-index.ts'
import type { SearchIndex } from '../../search/search-index.ts'

/** A start-up failure the operator can fix: printed as one line, exit code 1. */
export class StartupError extends Error {
  override name = 'StartupError'
}

type MeiliConfig = Pick<Config, 'MEILI_HOST' | 'MEILI_API_KEY' | 'MEILI_INDEX' | 'MEILI_START_ATTEMPTS' | 'MEILI_FALLBACK'>

export interface SearchEngineOptions {
  fetch?: typeof globalThis.fetch
  sleep?: (ms: number) => Promise<void>
  /** Per attempt. */
  timeoutMs?: number
}

/** Why Meilisearch did not answer as available, or undefined when it did. */
async function healthProblem(host: string, { fetch = globalThis.fetch, timeoutMs = 2_000 }: SearchEngineOptions): Promise<string | undefined> {
  try {
    const res = await fetch(new URL('/health', host), { signal: AbortSignal.timeout(timeoutMs) })
    if (!res.ok) return `HTTP ${res.status}`
    const body = (await res.json().catch(() => undefined)) as { status?: unknown } | undefined
    return body?.status === 'available' ? undefined : `réponse inattendue de /health (${JSON.stringify(body)?.slice(0, 80)})`
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code
    return cause ?? (err as Error).name ?? String(err)
  }
}

export async function openSearchIndex(config: MeiliConfig, logger: Pick<Logger, 'warn'>, options: SearchEngineOptions = {}): Promise<SearchIndex> {
  const host = config.MEILI_HOST
  if (!host) return createEmbeddedSearchIndex()
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  let problem: string | undefined
  for (let attempt = 1; attempt <= config.MEILI_START_ATTEMPTS; attempt++) {
    problem = await healthProblem(host, options)
    if (!problem) return createMeilisearchSearchIndex({ host, ...(config.MEILI_API_KEY ? { apiKey: config.MEILI_API_KEY } : {}), indexUid: config.MEILI_INDEX })
    logger.warn('Meilisearch ne répond pas', { host, attempt, of: config.MEILI_START_ATTEMPTS, problem })
    if (attempt < config.MEILI_START_ATTEMPTS) await sleep(500 * 2 ** (attempt - 1))
  }
  const what = `Meilisearch injoignable à ${host} après ${config.MEILI_START_ATTEMPTS} essai(s) (${problem})`
  if (config.MEILI_FALLBACK === 'embedded') {
    logger.warn(`${what} : démarrage sur l'index intégré (MEILI_FALLBACK=embedded). La recherche ne passera pas par Meilisearch avant un redémarrage.`)
    return createEmbeddedSearchIndex()
  }
  throw new StartupError(`${what}. Vérifiez MEILI_HOST (et que le serveur répond à GET /health), ou mettez MEILI_FALLBACK=embedded pour démarrer sur l'index intégré.`)
}
