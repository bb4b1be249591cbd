// Builders for tests: a valid Programme with overrides, parsed through the real schema.
import { ProgrammeSchema, type Programme, type ProgrammeInput } from '../../core/programme.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'

export function buildProgramme(over: Partial<ProgrammeInput> & { eligibility?: Partial<ProgrammeInput['eligibility']> } = {}): Programme {
  const { eligibility, ...rest } = over
  return ProgrammeSchema.parse({
    id: 'test_programme',
    name: 'Programme de test',
    funders: ['État'],
    level: 'national',
    instruments: ['grant'],
    summary: 'Un programme inventé pour les tests.',
    themes: ['ecoles'],
    calendar: { kind: 'permanent' },
    links: { official: 'https://example.org/programme' },
    provenance: { kind: 'curated', sources: ['https://example.org/programme'] },
    ...rest,
    eligibility: { applicants: ['commune', 'epci'], ...eligibility },
  })
}

export function commune(population: number, over: Partial<CollectiviteProfile> = {}): CollectiviteProfile {
  return {
    type: 'commune',
    name: 'Testville',
    code: '18197',
    population,
    departement: { code: '18', name: 'Cher' },
    region: { code: '24', name: 'Centre-Val de Loire' },
    zone: 'metro',
    ...over,
  }
}

export function dromCommune(population: number): CollectiviteProfile {
  return commune(population, {
    name: 'Saint-Paul',
    code: '97415',
    departement: { code: '974', name: 'La Réunion' },
    region: { code: '04', name: 'La Réunion' },
    zone: 'drom',
  })
}
