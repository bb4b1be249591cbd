// The import (content/peers/import.ts) on the raw Yonne rows gives exactly the repository's data rows
// for the Yonne (the data file is derived from the export, and re-running the import reproduces it);
// and its normalisations on the shapes the export has: codes that lost their leading zero, Corsica,
// overseas, « NULL », amounts with non-breaking spaces, SIRETs, SIRENs that lost a zero.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import etalabData from '../../core/geography/etalab-json.cjs'
import { loadEtalabGeography } from '../../core/geography/etalab-data.ts'
import peerData from '../../content/peers/data.cjs'
import { amountCents, departementCode, inseeCode, normaliseLaureates, readLaureates, sirenOf } from '../../content/peers/import.ts'
import { typeBeneficiary } from '../../content/peers/beneficiary.ts'

const RAW = readFileSync(new URL('../fixtures/peers/fonds-vert-2023-yonne-89.csv', import.meta.url), 'utf8')
const geography = loadEtalabGeography()
const communeSirens = new Set(etalabData.communes.flatMap((c) => (c.siren ? [c.siren] : [])))
const lookups = { isCommuneSiren: (s: string) => communeSirens.has(s), isEpciSiren: (s: string) => geography.epciBySiren(s) !== undefined }

describe('the Fonds vert import', () => {
  it('re-importing the raw Yonne rows gives the repository’s Yonne rows, in order', () => {
    const { data, report } = normaliseLaureates(readLaureates(RAW), geography, lookups)
    expect(report.rows).toBe(54)
    expect(data).toEqual(peerData.rows.filter((r) => r[1] === '89'))
  })

  it('the data file holds the 10,782 projects, every commune code known to the geography', () => {
    expect(peerData.rows).toHaveLength(10782)
    expect(peerData.source).toBe('Fonds vert 2023, données publiques de l’État')
    for (const r of peerData.rows) if (r[3]) expect(geography.communeByInsee(r[3]), r[3]).toBeDefined()
  })

  it('normalises codes, amounts and SIRENs', () => {
    expect(inseeCode('1004')).toBe('01004')
    expect(inseeCode('89446')).toBe('89446')
    expect(inseeCode('2A004')).toBe('2A004')
    expect(inseeCode('97411')).toBe('97411')
    expect(inseeCode('NULL')).toBeUndefined()
    expect(departementCode('1')).toBe('01')
    expect(departementCode('2B')).toBe('2B')
    expect(departementCode('971')).toBe('971')
    expect(amountCents('21\u00a0667,00\u00a0€')).toBe(2166700)
    expect(amountCents('1 450,05 €')).toBe(145005)
    expect(() => amountCents('21.667 €')).toThrow(/unreadable amount/)
    expect(sirenOf('21610442200011')).toBe('216104422')
    expect(sirenOf('58502329')).toBe('058502329')
    expect(sirenOf('1')).toBeUndefined()
  })

  it('types beneficiaries from the geography’s SIRENs, then names, then public SIREN prefixes', () => {
    expect(typeBeneficiary({ name: 'VEZELAY', siren: '218904464', communeName: 'VEZELAY' }, lookups)).toEqual({ type: 'commune', rule: 'commune-siren' })
    // A 21… SIREN the geography does not hold, named like the row's commune.
    expect(typeBeneficiary({ name: 'VEZELAY', siren: '218904462', communeName: 'VEZELAY' }, lookups)).toEqual({ type: 'commune', rule: 'commune-name' })
    expect(typeBeneficiary({ name: 'CA DU GRAND SENONAIS', siren: '248900334', communeName: 'SENS' }, lookups)).toEqual({ type: 'epci', rule: 'epci-siren' })
    expect(typeBeneficiary({ name: 'SYND RIVIERE AIN AVAL ET SES AFFLUENTS', siren: '200078004', communeName: 'X' }, lookups).type).toBe('syndicat')
    expect(typeBeneficiary({ name: 'SMICTOM DU CENTRE OUEST', siren: '251500000', communeName: 'X' }, lookups).type).toBe('syndicat')
    expect(typeBeneficiary({ name: 'DEP DORDOGNE', siren: '222400012', communeName: 'X' }, lookups).type).toBe('departement')
    expect(typeBeneficiary({ name: 'TAAF TERRES AUST ANTARCT FR', siren: '229850003', communeName: 'X' }, lookups).type).toBe('other')
    expect(typeBeneficiary({ name: 'LIGUE FRANCAISE PROTECTION OISEAUX', siren: '775688800', communeName: 'X' }, lookups)).toEqual({ type: 'other', rule: 'other' })
  })

  it('counts what it typed « other » over the whole file (the figure PROVENANCE.md gives)', () => {
    const other = peerData.rows.filter((r) => r[10] === 'other').length
    expect(other).toBe(1488)
    expect(Math.round((other / peerData.rows.length) * 1000) / 10).toBe(13.8)
  })
})
