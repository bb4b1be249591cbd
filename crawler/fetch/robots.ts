// A small robots.txt reader (RFC 9309, plus the common Crawl-delay extension): the groups that
// name our product token (else the `*` group), Allow/Disallow with `*` and `$`, the longest
// matching rule winning and Allow winning a tie. Pure: the polite fetcher fetches the file.

export interface Robots {
  /** Whether this path (with its query string) may be fetched by the agent. */
  isAllowed(pathAndQuery: string): boolean
  /** The group's Crawl-delay in milliseconds, or undefined when the file sets none. */
  readonly crawlDelayMs: number | undefined
}

interface Rule {
  allow: boolean
  pattern: string
  regex: RegExp
}

interface Group {
  agents: string[]
  rules: Rule[]
  crawlDelayMs?: number
}

/** RFC 9309 asks crawlers to read at least 500 KiB; what comes after is ignored. */
const MAX_BYTES = 512 * 1024

export const ALLOW_ALL: Robots = { isAllowed: () => true, crawlDelayMs: undefined }
export const DISALLOW_ALL: Robots = { isAllowed: (path) => path === '/robots.txt', crawlDelayMs: undefined }

/** "GuichetBot/0.1 (+https://…)" → "guichetbot": the token robots.txt groups are matched on. */
export function productToken(userAgent: string): string {
  return (userAgent.trim().split(/[\s/]/)[0] ?? '').toLowerCase()
}

function toRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$')
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => normalisePath(part).replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  return new RegExp(`^${body}${anchored ? '$' : ''}`)
}

/** Percent-encodes what a browser would, so that "/é" in the file matches "/%C3%A9" in a URL. */
function normalisePath(path: string): string {
  return path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c)).replace(/%[0-9a-f]{2}/g, (m) => m.toUpperCase())
}

export function parseRobots(text: string, userAgent: string): Robots {
  const token = productToken(userAgent)
  const groups: Group[] = []
  let current: Group | undefined
  let lastWasAgent = false
  for (const rawLine of text.slice(0, MAX_BYTES).split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim()
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const field = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] }
        groups.push(current)
      }
      current.agents.push((value.split('/')[0] ?? '').trim().toLowerCase())
      lastWasAgent = true
      continue
    }
    lastWasAgent = false
    if (!current) continue // rules before any user-agent line belong to no group
    if (field === 'allow' || field === 'disallow') {
      if (value === '') continue // "Disallow:" with no path allows everything: no rule
      const pattern = value.startsWith('/') || value.startsWith('*') ? value : `/${value}`
      current.rules.push({ allow: field === 'allow', pattern, regex: toRegex(pattern) })
    } else if (field === 'crawl-delay') {
      const seconds = Number(value.replace(',', '.'))
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelayMs = Math.round(seconds * 1000)
    }
  }

  const named = groups.filter((g) => g.agents.includes(token))
  const chosen = named.length ? named : groups.filter((g) => g.agents.includes('*'))
  const rules = chosen.flatMap((g) => g.rules)
  const delays = chosen.map((g) => g.crawlDelayMs).filter((d): d is number => d !== undefined)
  const crawlDelayMs = delays.length ? Math.max(...delays) : undefined

  return {
    crawlDelayMs,
    isAllowed(pathAndQuery) {
      const path = normalisePath(pathAndQuery || '/')
      if (path === '/robots.txt') return true
      let best: Rule | undefined
      for (const rule of rules) {
        if (!rule.regex.test(path)) continue
        if (!best || rule.pattern.length > best.pattern.length || (rule.pattern.length === best.pattern.length && rule.allow && !best.allow)) best = rule
      }
      return best ? best.allow : true
    },
  }
}
