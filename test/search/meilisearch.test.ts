// The SearchIndex contract against a real Meilisearch (MEILI_HOST, optional MEILI_API_KEY).
// vitest.config.ts leaves this file out when MEILI_HOST is unset. Each run uses its own index
// uids and deletes them afterwards, temporary indexes included.
import { Meilisearch } from 'meilisearch'
import { afterAll } from 'vitest'
import { createMeilisearchSearchIndex } from '../../search/meilisearch/meilisearch-search-index.ts'
import { runSearchIndexContract } from './search-index.contract.ts'

const host = process.env.MEILI_HOST!
const apiKey = process.env.MEILI_API_KEY || undefined
const run = `guichet_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`
let made = 0

runSearchIndexContract('meilisearch', async () =>
  createMeilisearchSearchIndex({ host, ...(apiKey ? { apiKey } : {}), indexUid: `${run}_${made++}`, batchSize: 500 }),
)

afterAll(async () => {
  const client = new Meilisearch({ host, ...(apiKey ? { apiKey } : {}) })
  const { results } = await client.getRawIndexes({ limit: 1000 })
  for (const { uid } of results) if (uid.startsWith(run)) await client.deleteIndex(uid).waitTask()
})
