// Nouvelle-Aquitaine: the RSS feed, then each fiche page it links (guid).
import { load } from 'cheerio/slim'
import type { PlannedRequest, SourcePlan } from '../../types.ts'

export const plan: SourcePlan = {
  sourceId: 'nouvelle-aquitaine',
  label: 'Région Nouvelle-Aquitaine – les aides',
  format: 'xml',
  auth: { kind: 'none' },
  start: [{ url: 'https://les-aides.nouvelle-aquitaine.fr/fiches-rss.xml', method: 'GET', headers: { accept: 'application/rss+xml, application/xml' }, kind: 'list' }],
  follow(payload) {
    if (!/<item\b/i.test(payload)) return []
    const $ = load(payload, { xml: true })
    const urls = new Set<string>()
    $('item').each((_, el) => {
      const guid = $(el).find('guid').first().text().trim() || $(el).find('link').first().text().trim()
      try {
        const url = new URL(guid.replace(/^(https?)\s*:\s*\/\s*\//i, '$1://'))
        if (url.hostname.endsWith('nouvelle-aquitaine.fr')) urls.add(url.href)
      } catch {
        // An unreadable guid is reported by the feed's parse; nothing to follow.
      }
    })
    return [...urls].map((url): PlannedRequest => ({ url, method: 'GET', headers: { accept: 'text/html' }, kind: 'detail' }))
  },
  politenessMs: 2_000,
}
