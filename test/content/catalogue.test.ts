import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseProgrammeFile } from '../../content/parse-programme-file.ts'
import { ContentError } from '../../core/errors.ts'
import { readProgrammeFiles } from '../../runtime/node/load-content.ts'

const facts: { id: string }[] = JSON.parse(readFileSync(new URL('../../content/programme-facts.json', import.meta.url), 'utf8'))
const files = readProgrammeFiles()

describe('curated catalogue', () => {
  it.each(files.map((f) => [f.name, f.text] as const))('%s is a valid programme', (name, text) => {
    const p = parseProgrammeFile(name, text)
    expect(p.id).toBe(name.replace(/\.yaml$/, ''))
  })

  it('has one file for every programme of content/programme-facts.json, with the same ids', () => {
    const ids = files.map((f) => f.name.replace(/\.yaml$/, '')).sort()
    expect(ids).toEqual(facts.map((f) => f.id).sort())
  })

  it('a broken file fails naming the file and the field', () => {
    const text = files.find((f) => f.name === 'detr.yaml')!.text.replace('rateMax: 80', 'rateMax: 180')
    let err: unknown
    try {
      parseProgrammeFile('detr.yaml', text)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ContentError)
    expect((err as ContentError).file).toBe('detr.yaml')
    expect((err as ContentError).issues.map((i) => i.field)).toContain('aid.rateMax')
    expect((err as Error).message).toMatch(/^detr\.yaml: aid\.rateMax/)
  })

  it('an unknown theme or key is refused with its path', () => {
    const text = files.find((f) => f.name === 'detr.yaml')!.text.replace('themes: [ecoles,', 'themes: [ecolles,').replace('shortName: DETR', 'shortName: DETR\nsigle: DETR')
    expect(() => parseProgrammeFile('detr.yaml', text)).toThrowError(/themes\.0|sigle/)
  })

  it('an id that differs from the file name is refused', () => {
    const text = files.find((f) => f.name === 'detr.yaml')!.text.replace('id: detr', 'id: dsil')
    expect(() => parseProgrammeFile('detr.yaml', text)).toThrowError(/detr\.yaml: id/)
  })
})
