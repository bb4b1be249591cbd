// The crawl and Teams paths of the OpenAPI document (bot/openapi.ts) — where each runs is said by
// bot/openapi/runtimes.ts: the crawl runs and events (their queries from the zod schemas the routes validate
// with), and the Bot Framework messaging endpoint /api/messages.
import { EventsQuerySchema, RunsQuerySchema } from '../api/crawl-routes.ts'
import { arr, error, invalid, json, obj, ok, type Paths, pathParam, queryParameters, ref } from './kit.ts'

/** The crawl and Teams paths, in the document's order. */
export function crawlAndTeamsPaths(): Paths {
  return { ...crawlPaths(), ...teamsPaths() }
}

function crawlPaths(): Paths {
  return {
    '/api/crawl/runs': {
      get: {
        tags: ['crawl'],
        operationId: 'listCrawlRuns',
        summary: 'Crawl runs, latest first: per-source fetched/new/updated/unchanged/failed counts and errors',
        parameters: queryParameters(RunsQuerySchema, { limit: 'How many runs' }),
        responses: { 200: ok('Runs', obj({ runs: arr(ref('CrawlRun')) })), 400: invalid() },
      },
    },
    '/api/crawl/runs/{id}': {
      get: {
        tags: ['crawl'],
        operationId: 'getCrawlRun',
        summary: 'One crawl run (among the latest hundred)',
        parameters: [pathParam('id', 'Run id')],
        responses: { 200: ok('The run', obj({ run: ref('CrawlRun') })), 404: error('Unknown run (error.field id)') },
      },
    },
    '/api/crawl/events': {
      get: {
        tags: ['crawl'],
        operationId: 'listCrawlEvents',
        summary: 'Changes seen by crawls (new programme, deadline moved, closed early, new edition), oldest first',
        parameters: queryParameters(EventsQuerySchema, { since: 'Only events after this instant (ISO 8601 with offset)', afterId: 'Only events after this id (paging)', limit: 'How many events' }, { since: { examples: ['2026-03-01T00:00:00Z'] } }),
        responses: { 200: ok('Events', obj({ events: arr(ref('CrawlEvent')) })), 400: invalid() },
      },
    },
  }
}

function teamsPaths(): Paths {
  return {
    '/api/messages': {
      post: {
        tags: ['teams'],
        operationId: 'postTeamsActivity',
        summary: 'Microsoft Teams: the Bot Framework messaging endpoint',
        description: 'Called by the Bot Connector. Authenticated (Bot Framework JWT) when MicrosoftAppId, MicrosoftAppPassword and MicrosoftAppTenantId are set; open for local use otherwise.',
        security: [{ botFramework: [] }, {}],
        requestBody: {
          required: true,
          description: 'At most 256 KB',
          content: {
            'application/json': {
              schema: ref('TeamsActivity'),
              example: {
                type: 'message',
                id: 'f:1234567890',
                channelId: 'msteams',
                serviceUrl: 'https://smba.trafficmanager.net/emea/',
                conversation: { id: 'a:1Xb2C3d4E5f6', conversationType: 'personal' },
                from: { id: '29:1AbCdEf', name: 'Marie Dupont' },
                recipient: { id: '28:guichet-bot', name: 'Guichet' },
                text: 'Quelles aides pour rénover l\'école de Saint-Amand-Montrond ?',
              },
            },
          },
        },
        responses: {
          200: { description: 'Handled (an invoke activity gets its JSON answer)', content: json({ type: 'object' }) },
          400: error('Not an activity (error.field names the field), or over 256 KB'),
          401: error('Missing or invalid Bot Framework token (code unauthorized)'),
          403: error('Token not valid for this bot (code unauthorized)'),
        },
      },
    },
  }
}
