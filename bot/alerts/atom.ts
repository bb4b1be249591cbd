// The Atom feed (RFC 4287) of new programmes, for a filter (themes, level, territory): what a
// feed reader or an intranet portlet shows. Entries are programmes by the day Guichet first
// saw them (or, for the catalogue it started with, the day they were last verified).
import { LEVEL_LABELS, type Programme } from '../../core/programme.ts'
import { THEMES } from '../../core/themes.ts'

export function escapeXml(s: string): string {
  // XML 1.0 forbids most control characters even escaped: drop them.
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

export interface FeedEntry {
  programme: Programme
  /** YYYY-MM-DD. */
  day: string
  calendar: string
}

export function buildAtomFeed({ selfUrl, siteUrl, title, entries, now }: { selfUrl: string; siteUrl: string; title: string; entries: FeedEntry[]; now: Date }): string {
  const updated = entries.length ? `${entries.map((e) => e.day).sort().at(-1)}T00:00:00Z` : now.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
    `<id>${escapeXml(selfUrl)}</id>`,
    `<title>${escapeXml(title)}</title>`,
    `<subtitle>Nouveaux programmes de financement pour les collectivités, repérés par Guichet</subtitle>`,
    `<link rel="self" type="application/atom+xml" href="${escapeXml(selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${escapeXml(siteUrl)}"/>`,
    `<updated>${updated}</updated>`,
    '<author><name>Guichet</name></author>',
    '<generator>Guichet</generator>',
  ]
  for (const e of entries) {
    const p = e.programme
    out.push(
      '<entry>',
      `<id>tag:guichet,2026:programme:${escapeXml(p.id)}</id>`,
      `<title>${escapeXml(p.shortName && !p.name.includes(p.shortName) ? `${p.name} (${p.shortName})` : p.name)}</title>`,
      `<link rel="alternate" type="text/html" href="${escapeXml(p.links.official)}"/>`,
      `<updated>${e.day}T00:00:00Z</updated>`,
      `<published>${e.day}T00:00:00Z</published>`,
      `<author><name>${escapeXml(p.funders.join(', '))}</name></author>`,
      ...p.themes.map((t) => `<category term="${t}" label="${escapeXml(THEMES[t].label)}"/>`),
      `<category term="level:${p.level}" label="${escapeXml(LEVEL_LABELS[p.level])}"/>`,
      `<summary type="text">${escapeXml(`${p.summary} — ${e.calendar}`)}</summary>`,
      '</entry>',
    )
  }
  out.push('</feed>')
  return `${out.join('\n')}\n`
}
