// robots.txt as sites write it: our group or the `*` one, longest match, Allow winning ties,
// wildcards, Crawl-delay, comments and odd spacing.
import { describe, expect, it } from 'vitest'
import { parseRobots, productToken } from '../../crawler/fetch/robots.ts'
import { DEFAULT_USER_AGENT } from '../../crawler/crawl-options.ts'

describe('robots.txt', () => {
  it('matches groups on the product token of the User-Agent', () => {
    expect(productToken(DEFAULT_USER_AGENT)).toBe('guichetbot')
    const text = 'User-agent: *\nDisallow: /\n\nUser-agent: GuichetBot\nDisallow: /prive/\n'
    const robots = parseRobots(text, DEFAULT_USER_AGENT)
    expect(robots.isAllowed('/aides/')).toBe(true)
    expect(robots.isAllowed('/prive/x')).toBe(false)
    // Another bot only gets the `*` group.
    expect(parseRobots(text, 'OtherBot/1.0').isAllowed('/aides/')).toBe(false)
  })

  it('uses the `*` group when none names us, and merges groups sharing user-agent lines', () => {
    const robots = parseRobots('# commentaire\nUser-agent: GPTBot\nUser-agent: *\nDisallow: /recherche # moteur interne\nDisallow: /*?print=\nDisallow: /*.pdf$\n', DEFAULT_USER_AGENT)
    expect(robots.isAllowed('/recherche?q=eau')).toBe(false)
    expect(robots.isAllowed('/aides/velo?print=1')).toBe(false)
    expect(robots.isAllowed('/docs/guide.pdf')).toBe(false)
    expect(robots.isAllowed('/docs/guide.pdf?v=2')).toBe(true)
    expect(robots.isAllowed('/aides/velo')).toBe(true)
  })

  it('lets the longest rule win, and Allow win a tie; an empty Disallow allows everything', () => {
    const robots = parseRobots('User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\nDisallow: /x\nAllow: /x\n', DEFAULT_USER_AGENT)
    expect(robots.isAllowed('/wp-admin/options.php')).toBe(false)
    expect(robots.isAllowed('/wp-admin/admin-ajax.php')).toBe(true)
    expect(robots.isAllowed('/x')).toBe(true)
    expect(parseRobots('User-agent: *\nDisallow:\n', DEFAULT_USER_AGENT).isAllowed('/tout')).toBe(true)
    expect(parseRobots('', DEFAULT_USER_AGENT).isAllowed('/tout')).toBe(true)
  })

  it('reads Crawl-delay in seconds (decimal point or comma) and always allows /robots.txt', () => {
    expect(parseRobots('User-agent: *\nCrawl-delay: 2\n', DEFAULT_USER_AGENT).crawlDelayMs).toBe(2000)
    expect(parseRobots('user-agent:guichetbot\ncrawl-delay: 0,5\n', DEFAULT_USER_AGENT).crawlDelayMs).toBe(500)
    expect(parseRobots('User-agent: *\nDisallow: /\n', DEFAULT_USER_AGENT).isAllowed('/robots.txt')).toBe(true)
  })

  it('matches percent-encoded paths against accented rules', () => {
    const robots = parseRobots('User-agent: *\nDisallow: /démarches/\n', DEFAULT_USER_AGENT)
    expect(robots.isAllowed(new URL('https://x.fr/démarches/1').pathname)).toBe(false)
  })
})
