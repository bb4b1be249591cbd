// The crawler's configuration from the environment: defaults, the User-Agent's contact URL,
// the source list checked against the registry, credentials named by the plans.
import { describe, expect, it } from 'vitest'
import { CREDENTIAL_ENV_NAMES, CRAWL_ENV_FIELDS, DEFAULT_USER_AGENT, parseCrawlOptions } from '../../crawler/crawl-options.ts'

describe('crawler configuration', () => {
  it('has defaults that need nothing set: nightly at 02:30, 1 s between requests to a host, stale after 3 failures', () => {
    expect(parseCrawlOptions({})).toEqual({
      userAgent: 'GuichetBot/0.1 (+https://github.com/guichet; contact: admin)',
      delayMs: 1_000,
      timeoutMs: 30_000,
      maxRetries: 3,
      schedule: '30 2 * * *',
      staleAfter: 3,
      sources: [],
      credentials: Object.fromEntries(CREDENTIAL_ENV_NAMES.map((n) => [n, undefined])),
    })
    expect(DEFAULT_USER_AGENT).toMatch(/^GuichetBot\//)
  })

  it('puts CRAWL_CONTACT_URL in the User-Agent and reads the other variables', () => {
    const s = parseCrawlOptions({ CRAWL_CONTACT_URL: 'https://guichet.example.fr/robot', CRAWL_DELAY_MS: '2500', CRAWL_SCHEDULE: 'off', CRAWL_STALE_AFTER: '5', CRAWL_SOURCES: ' idf , culture ', AT_API_TOKEN: 'x', ADEME_CLIENT_ID: '' })
    expect(s).toMatchObject({ userAgent: 'GuichetBot/0.1 (+https://guichet.example.fr/robot)', delayMs: 2500, schedule: undefined, staleAfter: 5, sources: ['idf', 'culture'] })
    expect(s.credentials).toMatchObject({ AT_API_TOKEN: 'x', ADEME_CLIENT_ID: undefined })
  })

  it('refuses an unknown source, a bad URL, a bad schedule, naming the variable', () => {
    expect(() => parseCrawlOptions({ CRAWL_SOURCES: 'idf,Occitanie !' })).toThrow(/CRAWL_SOURCES: identifiants de sources attendus/)
    // A page source's id is only known when a crawl runs: accepted here, reported by the run if it matches nothing.
    expect(parseCrawlOptions({ CRAWL_SOURCES: 'idf,ma-page-suivie' }).sources).toEqual(['idf', 'ma-page-suivie'])
    expect(() => parseCrawlOptions({ CRAWL_CONTACT_URL: 'mailto:admin@x.fr' })).toThrow(/CRAWL_CONTACT_URL/)
    expect(() => parseCrawlOptions({ CRAWL_SCHEDULE: 'toutes les nuits' })).toThrow(/CRAWL_SCHEDULE/)
    expect(() => parseCrawlOptions({ CRAWL_DELAY_MS: '-1' })).toThrow(/CRAWL_DELAY_MS/)
  })

  it('documents every credential variable a plan names', () => {
    expect(CREDENTIAL_ENV_NAMES.sort()).toEqual(['ADEME_CLIENT_ID', 'ADEME_CLIENT_SECRET', 'AT_API_TOKEN', 'MANCHE_API_PASSWORD', 'MANCHE_API_USERNAME', 'WELCOME_EUROPE_API_KEY'])
    for (const name of CREDENTIAL_ENV_NAMES) expect(Object.keys(CRAWL_ENV_FIELDS)).toContain(name)
  })
})
