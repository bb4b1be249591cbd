import { defineConfig } from 'vitest/config'

// The Meilisearch contract run needs a server: it joins the suite only when MEILI_HOST is set.
const meili = process.env.MEILI_HOST ? [] : ['test/search/meilisearch.test.ts']

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['node_modules/**', ...meili],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The browser for the browser tests (test/helpers/chromium-setup.ts): system one or the npm-packaged one.
    globalSetup: ['test/helpers/chromium-setup.ts'],
  },
})
