// URLs as sources send them → absolute http(s) URLs: "https: //host" repaired, relative paths
// resolved against the page or API they came from, Aides-territoires aid paths made public.
export const AT_BASE = 'https://aides-territoires.beta.gouv.fr'

export type UrlResult = { ok: true; url: string; repaired: boolean } | { ok: false; reason: string }

export function absoluteUrl(raw: unknown, base?: string): UrlResult {
  if (raw === null || raw === undefined || raw === '') return { ok: false, reason: 'URL absente' }
  if (typeof raw !== 'string') return { ok: false, reason: `URL attendue, reçu ${typeof raw}` }
  let text = raw.trim().replace(/&amp;/g, '&')
  let repaired = false
  // "https: //host", "https:/ /host", "http ://host": a formatter's spaces.
  const spaced = /^(https?)\s*:\s*\/\s*\/\s*/i.exec(text)
  if (spaced && spaced[0] !== `${spaced[1]}://`) {
    text = `${spaced[1]!.toLowerCase()}://${text.slice(spaced[0].length)}`
    repaired = true
  }
  if (/^www\./i.test(text)) {
    text = `https://${text}`
    repaired = true
  }
  if (/\s/.test(text)) {
    const compact = text.replace(/\s+/g, '')
    if (!/^https?:\/\//i.test(compact)) return { ok: false, reason: `URL illisible: ${raw}` }
    text = compact
    repaired = true
  }
  try {
    const url = base ? new URL(text, base) : new URL(text)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `URL non http(s): ${raw}` }
    return { ok: true, url: url.href, repaired }
  } catch {
    return { ok: false, reason: `URL illisible: ${raw}` }
  }
}

/** The public page of an Aides-territoires aid: relative `/aides/<slug>/` or a bare slug. */
export function atAidUrl(url: unknown, slug: unknown): string | undefined {
  if (typeof url === 'string' && url.trim()) {
    const r = absoluteUrl(url, AT_BASE)
    if (r.ok) return r.url
  }
  if (typeof slug === 'string' && /^[\w-]+$/.test(slug.trim())) return `${AT_BASE}/aides/${slug.trim()}/`
  return undefined
}
