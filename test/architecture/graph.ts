// The import graph of the product's code, read from the sources with TypeScript's own
// pre-processor (static imports, re-exports, dynamic import()), and the layer order of
// ARCHITECTURE.md; walls.test.ts and tree.test.ts check the house with them.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const LAYERS: readonly (readonly string[])[] = [['core'], ['search', 'crawler'], ['content'], ['bot'], ['runtime']]
export const RUNTIME_ONLY = [/^node:/, /^node-cron$/, /^@hono\/node-server/]
/** Files outside runtime/ that may use Node built-ins, each with its reason. */
export const NODE_ALLOWED: Record<string, string> = {
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

export const top = (path: string) => path.split('/')[0]!
export const layerOf = (path: string) => LAYERS.findIndex((l) => l.includes(top(path)))

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

