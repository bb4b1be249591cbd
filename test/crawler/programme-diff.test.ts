// Change events between two crawls of one programme: what the alerts will be told.
import { describe, expect, it } from 'vitest'
import type { Programme, ProgrammeInput } from '../../core/programme.ts'
import { diffProgramme, vanishedEvent } from '../../crawler/programme-diff.ts'
import { buildProgramme } from '../builders/programme.ts'

const TODAY = '2026-03-01'

function call(editions: NonNullable<ProgrammeInput['calendar']['editions']>, over: Parameters<typeof buildProgramme>[0] = {}): Programme {
  return buildProgramme({
    id: 'at-velo',
    name: 'Appel à projets vélo',
    calendar: { kind: 'oneOff', editions },
    provenance: { kind: 'crawled', sourceId: 'aides-territoires', originUrl: 'https://example.org/velo', fetchedAt: '2026-03-01T09:00:00+01:00' },
    ...over,
  })
}

describe('programme diff', () => {
  it('a first sighting is a new programme', () => {
    const p = call([{ deadlines: ['2026-06-30'] }])
    expect(diffProgramme(undefined, p, TODAY)).toMatchObject({ changed: true, events: [{ kind: 'new', before: null, after: { name: 'Appel à projets vélo', deadline: '2026-06-30' } }] })
  })

  it('the fetch time alone is no change', () => {
    const a = call([{ deadlines: ['2026-06-30'] }])
    const b = { ...a, provenance: { ...a.provenance, fetchedAt: '2026-03-02T09:00:00+01:00' } } as Programme
    expect(diffProgramme(a, b, TODAY)).toEqual({ changed: false, fields: [], events: [] })
  })

  it('a later deadline is a moved deadline', () => {
    const change = diffProgramme(call([{ deadlines: ['2026-06-30'] }]), call([{ deadlines: ['2026-07-15'] }]), TODAY)
    expect(change.events).toEqual([{ kind: 'deadline_moved', before: { deadline: '2026-06-30' }, after: { deadline: '2026-07-15' } }])
  })

  it('a deadline brought forward to the past is a call closed early; to the future, a moved deadline', () => {
    expect(diffProgramme(call([{ deadlines: ['2026-06-30'] }]), call([{ deadlines: ['2026-02-20'] }]), TODAY).events[0]!.kind).toBe('closed_early')
    expect(diffProgramme(call([{ deadlines: ['2026-06-30'] }]), call([{ deadlines: ['2026-05-31'] }]), TODAY).events[0]!.kind).toBe('deadline_moved')
  })

  it('a programme the source says has ended is closed early', () => {
    const before = call([{ deadlines: ['2026-06-30'] }])
    const after = call([{ deadlines: ['2026-06-30'] }], { calendar: { kind: 'ended', editions: [{ deadlines: ['2026-06-30'] }] } })
    expect(diffProgramme(before, after, TODAY).events.map((e) => e.kind)).toEqual(['closed_early'])
  })

  it('a new labelled edition, or one opening after the last deadline, is a new edition', () => {
    const y2025 = { label: '2025', opensAt: '2025-01-10', deadlines: ['2025-09-12'] }
    const y2026 = { label: '2026', opensAt: '2026-01-08', deadlines: ['2026-09-11'] }
    const labelled = diffProgramme(call([y2025]), call([y2025, y2026]), TODAY)
    expect(labelled.events).toEqual([{ kind: 'new_edition', before: expect.objectContaining({ deadline: '2025-09-12' }), after: expect.objectContaining({ deadline: '2026-09-11', edition: { label: '2026', opensAt: '2026-01-08', deadlines: ['2026-09-11'] } }) }])
    const unlabelled = diffProgramme(call([{ opensAt: '2025-01-10', deadlines: ['2025-09-12'] }]), call([{ opensAt: '2026-01-08', deadlines: ['2026-09-11'] }]), TODAY)
    expect(unlabelled.events.map((e) => e.kind)).toEqual(['new_edition'])
  })

  it('other changes are one update naming the fields, beside a calendar event', () => {
    const before = call([{ deadlines: ['2026-06-30'] }])
    const after = call([{ deadlines: ['2026-07-15'] }], { summary: 'Nouveau résumé.', aid: { rateMax: 50 } })
    const change = diffProgramme(before, after, TODAY)
    expect(change.fields).toEqual(['aid', 'calendar', 'summary'])
    expect(change.events.map((e) => e.kind)).toEqual(['deadline_moved', 'updated'])
    expect(change.events[1]).toEqual({ kind: 'updated', before: { aid: {}, summary: before.summary }, after: { aid: { rateMax: 50 }, summary: 'Nouveau résumé.' } })
  })

  it('a programme no longer listed before its deadline closed early; after it, it simply ended', () => {
    expect(vanishedEvent(call([{ deadlines: ['2026-06-30'] }]), TODAY)).toMatchObject({ kind: 'closed_early', after: { listed: false } })
    expect(vanishedEvent(buildProgramme({ calendar: { kind: 'permanent' } }), TODAY)?.kind).toBe('closed_early')
    expect(vanishedEvent(call([{ deadlines: ['2026-01-31'] }]), TODAY)).toBeUndefined()
  })
})
