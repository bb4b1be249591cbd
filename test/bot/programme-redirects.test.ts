// GET /api/programmes/:id for an id that is not in the catalogue, through the real Node
// composition after a real (replayed) crawl: a crawled copy of a curated programme leads to it
// (301, as a merged duplicate does); an unknown id is a 404.
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServices } from '../helpers/node-services.ts'

const REPLAY = resolve(import.meta.dirname, '../crawler/replay')
let s: Awaited<ReturnType<typeof startServices>>

beforeAll(async () => {
  s = await startServices({}, { crawlReplayDir: REPLAY })
  await s.crawler.run({ replayDir: REPLAY })
}, 60_000)
afterAll(() => s?.dispose())

describe('a programme id that is not in the catalogue', () => {
  it('leads a crawled copy of a curated programme to it', async () => {
    const crawledIds = (await s.crawler.store.allRows()).map((r) => r.programme.id)
    const copy = crawledIds.find((id) => s.catalogueIdOf(id) !== id && s.catalogue().get(s.catalogueIdOf(id)))
    expect(copy, 'a crawled copy of a curated programme in the replay').toBeDefined()
    expect(s.catalogue().get(copy!)).toBeUndefined()
    const res = await s.app.request(`/api/programmes/${encodeURIComponent(copy!)}`)
    expect(res.status).toBe(301)
    expect(res.headers.get('location')).toBe(`/api/programmes/${encodeURIComponent(s.catalogueIdOf(copy!))}`)
    expect((await s.app.request(res.headers.get('location')!)).status).toBe(200)
  })

  it('answers 404 naming the field for an id nothing stands for', async () => {
    const res = await s.app.request('/api/programmes/nulle-part')
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe('id')
  })
})
