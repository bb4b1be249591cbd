// The catalogue service: one place where curated files, crawled records and the back office's
// curation become what users see, with the precedence written in content/catalogue-service.ts.
// Scenarios with real programmes' shapes: a DETR file, a crawled relay of it, an admin's override,
// a back-office programme shadowed by a file, duplicates merged; a failed index keeps the old pair.
import { describe, expect, it } from 'vitest'
import { assembleCatalogue, createCatalogueService } from '../../content/catalogue-service.ts'
import type { CreatedProgramme, CurationSource, ProgrammeMerge, ProgrammeOverride } from '../../content/curation.ts'
import type { Programme } from '../../core/programme.ts'
import type { CrawledRow } from '../../crawler/crawl-store.ts'
import { canonicalUrl, dedupeKey } from '../../crawler/dedupe.ts'
import { createEmbeddedSearchIndex } from '../../search/embedded/embedded-search-index.ts'
import type { SearchIndex } from '../../search/search-index.ts'
import { buildProgramme } from '../builders/programme.ts'

const AT = '2026-03-01T01:00:00.000Z'
const detrFile = buildProgramme({ id: 'detr', name: 'Dotation d\'équipement des territoires ruraux (DETR)', summary: 'Fiche écrite à la main.', funders: ['État (préfecture)'], links: { official: 'https://www.collectivites-locales.gouv.fr/detr' }, provenance: { kind: 'curated', sources: ['https://www.collectivites-locales.gouv.fr/detr'] } })
const velo = buildProgramme({ id: 'velo_territoires', name: 'Vélo et territoires', funders: ['ADEME'], links: { official: 'https://agirpourlatransition.ademe.fr/velo' } })

function crawledRow(id: string, over: Parameters<typeof buildProgramme>[0] = {}): CrawledRow {
  const official = over.links?.official ?? `https://aides-territoires.beta.gouv.fr/aides/${id}/`
  const programme = buildProgramme({ id, name: `Aide ${id}`, links: { official }, provenance: { kind: 'crawled', sourceId: 'aides-territoires', originUrl: official, fetchedAt: AT }, ...over })
  return { programme, sourceId: 'aides-territoires', dedupeKey: dedupeKey(programme), canonicalUrl: canonicalUrl(official), firstSeen: AT, lastSeen: AT, lastChanged: AT, stale: false, goneAt: null }
}

function curation(o: { overrides?: ProgrammeOverride[]; created?: Programme[]; merges?: Pick<ProgrammeMerge, 'loserId' | 'winnerId'>[] } = {}): CurationSource {
  const who = { createdBy: 'editrice@cd89.fr', createdAt: AT, updatedBy: 'editrice@cd89.fr', updatedAt: AT }
  return {
    overrides: async () => o.overrides ?? [],
    createdProgrammes: async () => (o.created ?? []).map((programme): CreatedProgramme => ({ programme, ...who })),
    merges: async () => (o.merges ?? []).map((m) => ({ ...m, mergedBy: 'editrice@cd89.fr', mergedAt: AT })),
  }
}
const override = (programmeId: string, patch: ProgrammeOverride['patch'], hidden = false): ProgrammeOverride => ({ programmeId, patch, hidden, verifiedBy: null, verifiedAt: null, updatedBy: 'editrice@cd89.fr', updatedAt: AT })

describe('the catalogue service: what users see, in order of precedence', () => {
  it('an override beats the file, the file beats its crawled copy, which only fills what the file leaves out', async () => {
    const relay = crawledRow('at-detr-2026', { name: 'DETR 2026 (relais)', summary: 'Résumé de la source.', shortName: 'DETR', links: { official: 'https://www.collectivites-locales.gouv.fr/detr', apply: 'https://www.demarches-simplifiees.fr/detr-89' } })
    const { served, base } = await assembleCatalogue({ curated: [detrFile], crawled: { allRows: async () => [relay] }, curation: curation({ overrides: [override('at-detr-2026', { summary: 'Corrigé par le département.' })] }) })
    const detr = served.get('detr')!
    expect(detr.summary).toBe('Corrigé par le département.') // 1. the back office (the override named the crawled id: it lands on the programme it stands for)
    expect(detr.name).toBe(detrFile.name) // 2. the file
    expect(detr.shortName).toBe('DETR') // 3. the crawl fills a gap of the file
    expect(detr.links.apply).toBe('https://www.demarches-simplifiees.fr/detr-89')
    expect(served.get('at-detr-2026')).toBeUndefined()
    expect(base.get('detr')!.summary).toBe('Fiche écrite à la main.')
  })

  it('a file wins over a back-office programme of the same id; others enter as curated', async () => {
    const shadowed = buildProgramme({ id: 'detr', name: 'DETR saisie dans le back office' })
    const mine = buildProgramme({ id: 'cd89_voirie', name: 'Aide départementale à la voirie communale (Yonne)' })
    const { served, created } = await assembleCatalogue({ curated: [detrFile], curation: curation({ created: [shadowed, mine] }) })
    expect(served.get('detr')!.name).toBe(detrFile.name)
    expect(served.get('cd89_voirie')!.name).toBe(mine.name)
    expect(created.map((p) => p.id)).toEqual(['cd89_voirie'])
  })

  it('hides a hidden programme and redirects a merged duplicate — crawled id → catalogue id → winner', async () => {
    const dup = crawledRow('at-velo-bis', { name: 'Appel vélo (autre relais)' })
    const dupCopy = crawledRow('idf-velo-bis', { name: 'Appel vélo (autre relais)', links: { official: 'https://aides-territoires.beta.gouv.fr/aides/at-velo-bis/' } })
    const service = createCatalogueService({
      curated: [detrFile, velo],
      crawled: { allRows: async () => [dup, dupCopy] },
      curation: curation({ overrides: [override('detr', {}, true)], merges: [{ loserId: 'at-velo-bis', winnerId: 'velo_territoires' }] }),
      index: createEmbeddedSearchIndex(),
      today: () => '2026-03-01',
    })
    await service.rebuild()
    expect(service.current().get('detr')).toBeUndefined()
    expect(service.base().get('detr')).toBeDefined()
    expect(service.current().get('at-velo-bis')).toBeUndefined()
    expect(service.redirects().get('at-velo-bis')).toBe('velo_territoires')
    expect(service.catalogueIdOf('idf-velo-bis')).toBe('at-velo-bis')
    expect(service.resolveId('idf-velo-bis')).toBe('velo_territoires')
    expect(service.resolveId('velo_territoires')).toBe('velo_territoires')
  })
})

describe('the catalogue service: rebuilds', () => {
  it('swaps catalogue and index together, and a failed index keeps the previous pair', async () => {
    const real = createEmbeddedSearchIndex()
    let failNext = false
    const index: SearchIndex = { ...real, kind: real.kind, count: () => real.count(), search: real.search.bind(real), replaceAll: async (docs) => { if (failNext) throw new Error('index indisponible'); return real.replaceAll(docs) } }
    const rows: CrawledRow[] = []
    const reports: number[] = []
    const service = createCatalogueService({ curated: [detrFile], crawled: { allRows: async () => rows }, index, today: () => '2026-03-01', onRebuilt: (r) => reports.push(r.documents) })
    expect(service.current().size).toBe(1) // the curated files, before the first rebuild
    await service.rebuild()
    rows.push(crawledRow('at-eclairage', { name: 'Rénovation de l\'éclairage public' }))
    failNext = true
    await expect(service.rebuild()).rejects.toThrow('index indisponible')
    expect(service.current().get('at-eclairage')).toBeUndefined()
    expect(await index.count()).toBe(1)
    failNext = false
    await service.rebuild()
    expect(service.current().get('at-eclairage')).toBeDefined()
    expect(await index.count()).toBe(2)
    expect(reports).toEqual([1, 2])
  })

  it('runs one rebuild at a time, in call order: an older one never swaps back in after a newer one', async () => {
    const rows: CrawledRow[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let calls = 0
    const service = createCatalogueService({
      curated: [detrFile],
      crawled: { allRows: async () => { const mine = [...rows]; if (calls++ === 0) await gate; return mine } },
      index: createEmbeddedSearchIndex(),
      today: () => '2026-03-01',
    })
    const first = service.rebuild()
    rows.push(crawledRow('at-wifi', { name: 'WiFi public en mairie' }))
    const second = service.rebuild()
    release()
    await Promise.all([first, second])
    expect(service.current().get('at-wifi')).toBeDefined()
    expect(calls).toBe(2)
  })
})
