// Aides-territoires API: JWT from the personal API key, then the paginated aid list. The
// `next` link of each page is absolute (or null at the end).
import type { SourcePlan } from '../../types.ts'
import { safeJson, withUrl } from '../../normalize/paging.ts'
import { isRecord } from '../../normalize/payload.ts'

export const plan: SourcePlan = {
  sourceId: 'aides-territoires',
  label: 'Aides-territoires (API)',
  format: 'json',
  auth: {
    kind: 'token-exchange',
    exchangeUrl: 'https://aides-territoires.beta.gouv.fr/api/connexion/',
    keyHeader: 'X-AUTH-TOKEN',
    keyEnv: 'AT_API_TOKEN',
    tokenField: 'token',
    ttlSeconds: 86_400,
  },
  start: [
    {
      url: 'https://aides-territoires.beta.gouv.fr/api/aids/?targeted_audiences=commune&targeted_audiences=epci&itemsPerPage=100&page=1',
      method: 'GET',
      headers: { accept: 'application/json' },
      kind: 'list',
    },
  ],
  next(payload, request) {
    const data = safeJson(payload)
    if (!isRecord(data) || typeof data.next !== 'string' || !data.next) return null
    try {
      return withUrl(request, new URL(data.next, request.url).href)
    } catch {
      return null
    }
  },
  politenessMs: 1_000,
}
