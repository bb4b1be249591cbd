// Crawled rows into catalogue layers: cross-source duplicates become one programme with every
// source as provenance; a crawled copy of a curated programme fills only the gaps its file
// leaves; stale rows are marked, gone rows left out; generic pages shared by several curated
// programmes never decide a match.
import { describe, expect, it } from 'vitest'
import { createCatalogue } from '../../content/catalogue.ts'
import type { Programme } from '../../core/programme.ts'
import { fillCuratedGaps, layerCrawled } from '../../content/crawled-layers.ts'
import type { CrawledRow } from '../../crawler/crawl-store.ts'
import { canonicalUrl, dedupeKey } from '../../crawler/dedupe.ts'
import { buildProgramme } from '../builders/programme.ts'

function crawled(id: string, sourceId: string, over: Parameters<typeof buildProgramme>[0] = {}): Programme {
  const url = over.links?.official ?? `https://example.org/${id}`
  return buildProgramme({ id, name: `Programme ${id}`, links: { official: url }, provenance: { kind: 'crawled', sourceId, originUrl: url, fetchedAt: '2026-03-01T09:00:00+01:00' }, ...over })
}

function row(programme: Programme, over: Partial<CrawledRow> = {}): CrawledRow {
  return {
    programme,
    sourceId: programme.provenance.kind === 'crawled' ? programme.provenance.sourceId : 'curated',
    dedupeKey: dedupeKey(programme),
    canonicalUrl: canonicalUrl(programme.links.official),
    firstSeen: '2026-03-01T01:00:00.000Z',
    lastSeen: '2026-03-01T01:00:00.000Z',
    lastChanged: '2026-03-01T01:00:00.000Z',
    stale: false,
    goneAt: null,
    ...over,
  }
}

const velo = { name: 'Appel à projets Vélo et territoires 2026', funders: ['ADEME'], calendar: { kind: 'oneOff' as const, editions: [{ deadlines: ['2026-06-30'] }] } }

describe('catalogue layers from crawled rows', () => {
  it('keeps one programme for a call relayed by Aides-territoires, a région and Welcome Europe, with every source', () => {
    const region = crawled('idf-velo', 'idf', { ...velo, aid: { rateMax: 50 }, links: { official: 'https://www.ademe.fr/velo-2026/' } })
    const at = crawled('aides-territoires-velo', 'aides-territoires', { ...velo, links: { official: 'https://ademe.fr/velo-2026?utm_source=at' } })
    const we = crawled('welcome-europe-velo', 'welcome-europe', { ...velo, name: 'L\'appel à projets « Vélo et territoires » 2026', links: { official: 'https://www.welcomeurope.com/appels/velo' } })
    const other = crawled('culture-musee', 'culture')
    const layers = layerCrawled({ curated: [], rows: [row(at), row(region), row(we), row(other)] })
    expect(layers.crawled.map((p) => p.id)).toEqual(['idf-velo', 'culture-musee'])
    expect(layers.provenance.get('idf-velo')).toEqual([
      { sourceId: 'aides-territoires', originUrl: 'https://ademe.fr/velo-2026?utm_source=at' },
      { sourceId: 'welcome-europe', originUrl: 'https://www.welcomeurope.com/appels/velo' },
    ])
    expect(layers.standsFor.get('welcome-europe-velo')).toBe('idf-velo')
  })

  it('lets a curated programme win: crawled copies fill only what its file leaves out', () => {
    const file = buildProgramme({ id: 'velo_territoires', name: 'Vélo et territoires (fiche curée)', summary: 'Résumé écrit à la main.', funders: ['ADEME'], calendar: { kind: 'oneOff' }, links: { official: 'https://www.ademe.fr/velo-2026/' }, provenance: { kind: 'curated', sources: ['https://www.ademe.fr/velo-2026/'] }, eligibility: { applicants: ['commune'] } })
    const copy = crawled('idf-velo', 'idf', { ...velo, summary: 'Résumé de la source.', shortName: 'AAP Vélo', aid: { rateMax: 50, amountMax: 100_000 }, links: { official: 'https://ademe.fr/velo-2026', apply: 'https://depot.example.org/velo' }, eligibility: { applicants: ['commune', 'epci', 'association'], territory: { label: 'Île-de-France', regions: ['11'] } } })
    const layers = layerCrawled({ curated: [file], rows: [row(copy)] })
    expect(layers.crawled).toEqual([])
    const merged = layers.curated[0]!
    expect(merged).toMatchObject({ id: 'velo_territoires', name: file.name, summary: file.summary, eligibility: file.eligibility, provenance: file.provenance, funders: file.funders })
    expect(merged.shortName).toBe('AAP Vélo')
    expect(merged.aid).toEqual({ rateMax: 50, amountMax: 100_000 })
    expect(merged.links).toEqual({ official: file.links.official, apply: 'https://depot.example.org/velo' })
    expect(merged.calendar.editions).toEqual([{ deadlines: ['2026-06-30'], estimated: false }])
    expect(layers.provenance.get('velo_territoires')).toEqual([{ sourceId: 'idf', originUrl: 'https://ademe.fr/velo-2026' }])
    // In the catalogue, the curated id stands alone.
    expect(createCatalogue(layers).all().map((p) => p.id)).toEqual(['velo_territoires'])
  })

  it('never replaces a field the curated file sets', () => {
    const file = buildProgramme({ shortName: 'FICHE', aid: { amountMax: 5 }, calendar: { kind: 'recurring', editions: [{ label: '2025', deadlines: ['2025-09-12'] }] }, links: { official: 'https://example.org/a', apply: 'https://example.org/depot' } })
    const copy = crawled('x', 'src', { shortName: 'AUTRE', aid: { rateMax: 80 }, calendar: { kind: 'recurring', editions: [{ label: '2026', deadlines: ['2026-09-11'] }] }, links: { official: 'https://example.org/a', apply: 'https://ailleurs.example.org/' } })
    expect(fillCuratedGaps(file, [copy])).toEqual(file)
  })

  it('does not match on a page several curated programmes cite (a ministry\'s generic page)', () => {
    const generic = 'https://www.diplomatie.gouv.fr/fr/action-exterieure/'
    const a = buildProgramme({ id: 'a', name: 'Appel Jeunesse', links: { official: generic }, provenance: { kind: 'curated', sources: [generic] } })
    const b = buildProgramme({ id: 'b', name: 'Appel Sport', links: { official: generic }, provenance: { kind: 'curated', sources: [generic] } })
    const page = crawled('daect-x', 'daect', { name: 'Appel à projets Numérique 2026', links: { official: generic } })
    const layers = layerCrawled({ curated: [a, b], rows: [row(page)] })
    expect(layers.crawled.map((p) => p.id)).toEqual(['daect-x'])
    expect(layers.curated).toEqual([a, b])
  })

  it('matches a curated call by an edition of the same dates and a title word in common', () => {
    const file = buildProgramme({ id: 'dctciv_jeunesse', name: 'Appel à projets Jeunesse (DCTCIV)', level: 'international', calendar: { kind: 'recurring', editions: [{ label: '2026', opensAt: '2026-01-10', deadlines: ['2026-04-04'] }] } })
    const sport = buildProgramme({ id: 'dctciv_sport', name: 'Appel à projets Sport (DCTCIV)', level: 'international', calendar: { kind: 'recurring', editions: [{ deadlines: ['2026-04-04'] }] } })
    const page = crawled('daect-jeunesse-2026', 'daect', { name: 'Appel à projets Jeunesse 2026', level: 'international', calendar: { kind: 'oneOff', editions: [{ opensAt: '2026-01-10', deadlines: ['2026-04-04'] }] } })
    expect(layerCrawled({ curated: [file, sport], rows: [row(page)] }).standsFor.get('daect-jeunesse-2026')).toBe('dctciv_jeunesse')
  })

  it('marks the programmes of a failing source stale, and leaves out those no longer listed', () => {
    const kept = crawled('we-1', 'welcome-europe')
    const gone = crawled('we-2', 'welcome-europe')
    const layers = layerCrawled({ curated: [], rows: [row(kept, { stale: true, lastSeen: '2026-02-20T01:00:00.000Z' }), row(gone, { goneAt: '2026-03-01T01:00:00.000Z' })] })
    expect(layers.crawled.map((p) => p.id)).toEqual(['we-1'])
    expect(layers.crawled[0]!.uncertain).toContainEqual({ field: 'existence', note: expect.stringMatching(/welcome-europe.*2026-02-20.*périmée/) })
  })
})
