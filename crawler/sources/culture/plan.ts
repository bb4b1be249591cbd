// Ministère de la Culture online procedures: `limit`/`offset` pages of 20 until `count`.
import type { SourcePlan } from '../../types.ts'
import { safeJson, withQuery, withUrl } from '../../normalize/paging.ts'
import { isRecord } from '../../normalize/payload.ts'

const LIMIT = 20

export const plan: SourcePlan = {
  sourceId: 'culture',
  label: 'Ministère de la Culture – démarches en ligne',
  format: 'json',
  auth: { kind: 'none' },
  start: [
    {
      url: `https://www.culture.gouv.fr/api/online-procedures?limit=${LIMIT}&offset=0`,
      method: 'GET',
      headers: { accept: 'application/json' },
      kind: 'list',
    },
  ],
  next(payload, request) {
    const data = safeJson(payload)
    if (!isRecord(data) || !Array.isArray(data.results) || data.results.length === 0) return null
    const url = new URL(request.url)
    const offset = Number(url.searchParams.get('offset') ?? 0) + data.results.length
    const count = Number(data.count)
    if (!Number.isFinite(count) || offset >= count) return null
    return withUrl(request, withQuery(request.url, { limit: LIMIT, offset }))
  },
  politenessMs: 1_000,
}
