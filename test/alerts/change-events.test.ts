// The crawler's CrawlStore is a ChangeEventSource as it is: the alerts read its change events
// (deadline moved, closed early, new edition) without an adapter.
import { describe, expect, it } from 'vitest'
import type { ChangeEventSource } from '../../bot/alerts/change-events.ts'
import { summaryFacts } from '../../bot/alerts/change-events.ts'
import { createMemoryCrawlStore } from '../../crawler/memory-crawl-store.ts'

describe('change events from the crawler', () => {
  it('come from a CrawlStore through the ChangeEventSource port', async () => {
    const source: ChangeEventSource = createMemoryCrawlStore()
    expect(await source.events({ afterId: 0, limit: 10 })).toEqual([])
  })

  it('read the crawler summaries (deadline, edition)', () => {
    expect(summaryFacts({ deadline: '2026-04-30', name: 'DETR', url: 'https://example.org' })).toEqual({ deadline: '2026-04-30', name: 'DETR', url: 'https://example.org' })
    expect(summaryFacts({ name: 'X', edition: { label: '2027', deadlines: ['2027-03-01'] } })).toEqual({ deadline: '2027-03-01', edition: '2027', name: 'X' })
    expect(summaryFacts(null)).toEqual({})
  })
})
