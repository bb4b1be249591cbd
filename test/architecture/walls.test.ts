// The house checks its own walls: the import graph of the product's code, read from the sources
// with TypeScript's own pre-processor (static imports, re-exports, dynamic import()), must keep
// the layer order of ARCHITECTURE.md and have no circle. A test fails with the offending import.
//
//   1 core/      the kernel: schemas, eligibility, calendar, geography, ports
//   2 search/    the SearchIndex port and its engines      crawler/  sources, fetch, parse, run
//   3 content/   the catalogue: curated files, layering of crawled records, overrides, the service, matching
//   4 bot/       HTTP app, conversation, channels, alerts, back office
//   5 runtime/   the only runtime-aware code (Node, Workers): composition roots and commands
//
// A folder imports only from lower layers (and itself); search/ and crawler/ share a layer and
// do not import each other. Outside runtime/, nothing imports node:*, node-cron or @hono/node-server.
import { relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { circles, importGraph, layerOf, LAYERS, NODE_ALLOWED, ROOT, RUNTIME_ONLY, top, type Edge } from './graph.ts'

describe('the walls of the house (imports, read from the code)', () => {
  const { files, edges, external } = importGraph()

  it('reads the whole product: every folder of the layer order, hundreds of files and imports', () => {
    for (const folder of LAYERS.flat()) expect(files.some((f) => top(f) === folder), folder).toBe(true)
    expect(files.length).toBeGreaterThan(200)
    expect(edges.length).toBeGreaterThan(files.length)
  })

  it('resolves every relative import to a file of the repository', () => {
    const known = new Set(files)
    const other = (to: string) => to.startsWith('..') || !LAYERS.flat().includes(top(to))
    expect(edges.filter((e) => !known.has(e.to) && !other(e.to) && !/\.(json|cjs)$/.test(e.to)).map((e) => `${e.from} → ${e.spec}`)).toEqual([])
  })

  it('never imports upwards, nor across search/ and crawler/', () => {
    const wrong = edges.filter((e) => layerOf(e.to) >= 0 && top(e.to) !== top(e.from) && layerOf(e.to) >= layerOf(e.from))
    expect(wrong.map((e) => `${e.from} (${top(e.from)}, layer ${layerOf(e.from) + 1}) → ${e.to} (${top(e.to)}, layer ${layerOf(e.to) + 1})`)).toEqual([])
  })

  it('has no circle of imports', () => {
    expect(circles(files, edges)).toEqual([])
  })

  it('keeps Node built-ins, node-cron and the Node server in runtime/', () => {
    const wrong = external.filter((e) => top(e.from) !== 'runtime' && RUNTIME_ONLY.some((r) => r.test(e.to)) && !(e.from in NODE_ALLOWED))
    expect(wrong.map((e) => `${e.from} → ${e.to}`)).toEqual([])
    for (const f of Object.keys(NODE_ALLOWED)) expect(files, `${f} (allowed Node file) still exists`).toContain(f)
  })
})

describe('the wall checker itself', () => {
  it('finds a circle and an upward import when there is one', () => {
    const files = ['core/a.ts', 'core/b.ts', 'core/c.ts', 'bot/x.ts']
    const edges: Edge[] = [
      { from: 'core/a.ts', to: 'core/b.ts', spec: './b.ts' },
      { from: 'core/b.ts', to: 'core/a.ts', spec: './a.ts' },
      { from: 'core/c.ts', to: 'bot/x.ts', spec: '../bot/x.ts' },
    ]
    expect(circles(files, edges)).toEqual([['core/a.ts', 'core/b.ts']])
    expect(edges.filter((e) => top(e.to) !== top(e.from) && layerOf(e.to) >= layerOf(e.from))).toHaveLength(1)
  })
  it('sees the imports of a real file', () => {
    const { edges } = importGraph()
    expect(edges).toContainEqual({ from: 'runtime/node/compose.ts', to: 'content/catalogue-service.ts', spec: '../../content/catalogue-service.ts' })
    expect(relative(ROOT, ROOT)).toBe('')
  })
})
