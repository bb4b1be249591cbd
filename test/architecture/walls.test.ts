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
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const LAYERS: readonly (readonly string[])[] = [['core'], ['search', 'crawler'], ['content'], ['bot'], ['runtime']]
const RUNTIME_ONLY = [/^node:/, /^node-cron$/, /^@hono\/node-server/]
/** Files outside runtime/ that may use Node built-ins, each with its reason. */
const NODE_ALLOWED: Record<string, string> = {
  'bot/channels/teams/package/build-package.ts': 'the `npm run teams:package` command, run at build time, never served',
  'bot/channels/teams/package/validate-manifest.ts': 'checks the package against the schemas shipped in node_modules, at build time',
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(path)
    return /\.(ts|tsx|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : []
  })
}

export interface Edge { from: string; to: string; spec: string }

/** Every import of the product's folders: relative ones resolved to a file path, packages as named. */
export function importGraph(): { files: string[]; edges: Edge[]; external: Edge[] } {
  const files = LAYERS.flat().flatMap(sourceFiles).sort()
  const edges: Edge[] = []
  const external: Edge[] = []
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true)
    for (const { fileName: spec } of info.importedFiles) {
      if (spec.startsWith('.')) edges.push({ from: file, to: normalize(join(dirname(file), spec)), spec })
      else external.push({ from: file, to: spec, spec })
    }
  }
  return { files, edges, external }
}

const top = (path: string) => path.split('/')[0]!
const layerOf = (path: string) => LAYERS.findIndex((l) => l.includes(top(path)))

/** Strongly connected components of more than one file (Tarjan). */
export function circles(files: readonly string[], edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]))
  for (const e of edges) if (next.has(e.to)) next.get(e.from)!.push(e.to)
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const out: string[][] = []
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of next.get(v)!) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1) out.push(component.sort())
    }
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return out
}

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
