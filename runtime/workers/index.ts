// The Cloudflare Workers entry: the same Hono app as Node, with the embedded index built from
// the bundled catalogue on first request (per isolate), the widget built at build time
// (runtime/workers/build.ts), and config from the Worker's bindings.
import type { Hono } from 'hono'
import { createApp } from '../../bot/app.ts'
import { createClientAddress } from '../../bot/client-address.ts'
import { createCatalogueService } from '../../content/catalogue-service.ts'
import { fixedClock, parisDay, systemClock } from '../../core/clock.ts'
import { parseConfig } from '../../core/config.ts'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import { createLogger } from '../../core/logger.ts'
import { createMatcher } from '../../content/matching.ts'
import { ProgrammeSchema } from '../../core/programme.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import { createDialogue } from '../../bot/conversation/dialogue.ts'
import { createMemorySessionStore } from './memory-session-store.ts'
import catalogueJson from './catalogue.generated.json' with { type: 'json' }
import widgetJson from './widget.generated.json' with { type: 'json' }

type Env = Record<string, string | undefined>

let app: Promise<Hono> | undefined

async function compose(env: Env): Promise<Hono> {
  const config = parseConfig(env)
  const logger = createLogger({ level: config.LOG_LEVEL })
  const clock = config.GUICHET_NOW ? fixedClock(config.GUICHET_NOW) : systemClock
  // The same catalogue service as Node, with the curated layer only (no crawl store nor back office on Workers yet).
  const index = createEmbeddedSearchIndex()
  const catalogues = createCatalogueService({ curated: (catalogueJson as unknown as unknown[]).map((p) => ProgrammeSchema.parse(p)), index, today: () => parisDay(clock.now()), logger })
  await catalogues.rebuild()
  const catalogue = catalogues.current
  const matcher = createMatcher({ catalogue, index, clock })
  const geography = loadEtalabGeography()
  const dialogue = createDialogue({ matcher, geography, catalogue, today: () => parisDay(clock.now()) })
  // Rate limits and the session cap count per CF-Connecting-IP (set by Cloudflare, not by the client); the
  // in-memory counts are per isolate: a deployment wanting one count across isolates adds a Rate Limiting binding.
  return createApp({ config, clock, logger, geography, catalogue, index, matcher, dialogue, sessions: createMemorySessionStore(), clientAddress: createClientAddress({ cloudflare: true }), widgetScript: async () => (widgetJson as unknown as { script: string }).script, nodeOnlyOperations: false })
}

export default {
  async fetch(request: Request, env: Env, ctx: unknown): Promise<Response> {
    app ??= compose(env)
    return (await app).fetch(request, env, ctx as never)
  },
}
