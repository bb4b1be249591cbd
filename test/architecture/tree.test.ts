// ARCHITECTURE.md draws the folder tree as it is: every folder of the product's code is listed
// there with a line of its own, and every folder listed exists. The layer table says what the
// walls test enforces.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LAYERS } from './graph.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const doc = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8')

function folders(dir: string): string[] {
  return [dir, ...readdirSync(join(ROOT, dir), { withFileTypes: true }).filter((e) => e.isDirectory()).flatMap((e) => folders(`${dir}/${e.name}`))]
}

describe('ARCHITECTURE.md', () => {
  const tree = /## Folders[\s\S]*?```\n([\s\S]*?)```/.exec(doc)?.[1] ?? ''
  const listed = tree.split('\n').filter(Boolean).map((line) => line.split(/\s+/)[0]!.replace(/\/$/, ''))

  it('lists every folder of the product code, and only folders that exist', () => {
    expect(listed.length).toBeGreaterThan(20)
    const actual = LAYERS.flat().flatMap(folders).sort()
    expect([...listed].sort()).toEqual(actual)
  })

  it('gives every folder a description', () => {
    for (const line of tree.split('\n').filter(Boolean)) expect(line.split(/\s{2,}/).length, line).toBeGreaterThanOrEqual(2)
  })

  it('states the layer order the walls test enforces', () => {
    const rows = [...doc.matchAll(/^\| (\d) \| (.+?) \|/gm)].map((m) => [...m[2]!.matchAll(/`(\w+)\/`/g)].map((x) => x[1]))
    expect(rows).toEqual(LAYERS.map((l) => [...l]))
  })
})
