// SEDIA search: POST multipart (JSON parts query/languages/sort), paged with pageNumber in the
// query string until pageNumber × pageSize reaches totalResults. `apiKey=SEDIA` is a public
// constant, not a secret.
import type { PlannedRequest, SourcePlan } from '../../types.ts'
import { safeJson, withQuery, withUrl } from '../../normalize/paging.ts'
import { isRecord } from '../../normalize/payload.ts'

const PAGE_SIZE = 50
const SEARCH = `https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***&pageSize=${PAGE_SIZE}&pageNumber=1`

/** Grant topics (type 1; 2 and 8 are other call kinds), forthcoming or open. */
export const SEDIA_QUERY = {
  bool: {
    must: [{ terms: { type: ['1', '2', '8'] } }, { terms: { status: ['31094501', '31094502'] } }],
  },
}

const first: PlannedRequest = {
  url: SEARCH,
  method: 'POST',
  headers: { accept: 'application/json' },
  body: () => ({
    kind: 'multipart',
    parts: [
      { name: 'query', contentType: 'application/json', value: JSON.stringify(SEDIA_QUERY) },
      { name: 'languages', contentType: 'application/json', value: JSON.stringify(['fr', 'en']) },
      { name: 'sort', contentType: 'application/json', value: JSON.stringify({ order: 'DESC', field: 'startDate' }) },
    ],
  }),
  kind: 'list',
}

export const plan: SourcePlan = {
  sourceId: 'eu-sedia',
  label: 'Commission européenne – portail Funding & Tenders (SEDIA)',
  format: 'json',
  auth: { kind: 'none' },
  start: [first],
  next(payload, request) {
    const data = safeJson(payload)
    if (!isRecord(data)) return null
    const page = Number(data.pageNumber)
    const size = Number(data.pageSize) || PAGE_SIZE
    const total = Number(data.totalResults)
    if (!Number.isFinite(page) || !Number.isFinite(total) || page * size >= total) return null
    if (!Array.isArray(data.results) || data.results.length === 0) return null
    return withUrl(request, withQuery(request.url, { pageNumber: page + 1 }))
  },
  politenessMs: 2_000,
}
