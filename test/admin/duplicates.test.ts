// Likely duplicates shown to the editor: a relay of a programme under another title and URL is
// found; sibling calls of one funder that share a landing page and title words are not.
import { describe, expect, it } from 'vitest'
import { likelyDuplicates } from '../../content/duplicates.ts'
import type { Programme } from '../../core/programme.ts'
import { loadCuratedProgrammes } from '../../runtime/node/load-content.ts'

const curated = loadCuratedProgrammes()
const byId = (id: string) => curated.find((p) => p.id === id)!

describe('likely duplicates', () => {
  it('finds a relay with another title wording and another URL', () => {
    const dsil = byId('dsil')
    const relay: Programme = { ...dsil, id: 'relais-dsil', name: 'DSIL : soutien à l\'investissement local des communes', links: { official: 'https://relais.example.org/aides/dsil-2026' }, provenance: { kind: 'crawled', sourceId: 'demo', originUrl: 'https://relais.example.org/aides/dsil-2026', fetchedAt: '2026-03-01T00:00:00+01:00' } }
    const found = likelyDuplicates(relay, [...curated, relay])
    expect(found[0]).toMatchObject({ id: 'dsil', why: expect.arrayContaining([expect.stringContaining('titres proches')]) })
  })

  it('does not offer the sibling calls of the foreign ministry, which share a landing page and words', () => {
    for (const p of curated.filter((x) => x.id.startsWith('dctciv_'))) {
      expect(likelyDuplicates(p, curated).map((d) => d.id), p.id).toEqual([])
    }
  })

  it('leaves out merged programmes and the programme itself', () => {
    const dsil = byId('dsil')
    const copy = { ...dsil, id: 'dsil-copie' }
    expect(likelyDuplicates(dsil, [...curated, copy]).map((d) => d.id)).toContain('dsil-copie')
    expect(likelyDuplicates(dsil, [...curated, copy], { exclude: new Set(['dsil-copie']) }).map((d) => d.id)).not.toContain('dsil-copie')
    expect(likelyDuplicates(dsil, [...curated, copy]).map((d) => d.id)).not.toContain('dsil')
  })
})
