// Rooms of a reasonable size: no function of the product's code over 80 lines, and no file over
// 500, unless a reason is written right above it (`// Over 80 lines: …`, or `// Over 500 lines: …`
// in the file's header). Read with TypeScript's parser: declarations, arrows, methods and function
// expressions, counted from their first line to their last.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { importGraph, ROOT } from './graph.ts'

const MAX_FUNCTION_LINES = 80
const MAX_FILE_LINES = 500

/** The comment block right above a line (contiguous comment lines), joined. */
function commentAbove(lines: readonly string[], line: number): string {
  const out: string[] = []
  for (let i = line - 1; i >= 0; i--) {
    const t = lines[i]!.trim()
    if (!/^(\/\/|\/\*|\*)/.test(t)) break
    out.unshift(t)
  }
  return out.join('\n')
}

export interface LongFunction { file: string; line: number; lines: number; reason: string | undefined }

export function longFunctions(file: string, text: string): LongFunction[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const lines = text.split('\n')
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line
  const out: LongFunction[] = []
  const visit = (n: ts.Node): void => {
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n)) {
      const first = lineOf(n.getStart())
      const length = lineOf(n.getEnd()) - first + 1
      if (length > MAX_FUNCTION_LINES) {
        // The reason sits above the function, or above the statement or property that holds it.
        let holder: ts.Node = n
        while (holder.parent && !ts.isSourceFile(holder.parent) && !ts.isBlock(holder.parent) && !ts.isObjectLiteralExpression(holder.parent) && !ts.isClassDeclaration(holder.parent)) holder = holder.parent
        const anchors = [first, lineOf(holder.getStart())]
        const reason = anchors.map((a) => /Over 80 lines: *(\S.*)/.exec(commentAbove(lines, a))?.[1]).find(Boolean)
        out.push({ file, line: first + 1, lines: length, reason })
      }
    }
    ts.forEachChild(n, visit)
  }
  visit(sf)
  return out
}

describe('rooms of a reasonable size', () => {
  const { files } = importGraph()
  const texts = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]))

  it(`has no function over ${MAX_FUNCTION_LINES} lines without its reason written above it`, () => {
    const long = files.flatMap((f) => longFunctions(f, texts.get(f)!))
    expect(long.filter((l) => !l.reason).map((l) => `${l.file}:${l.line} (${l.lines} lines)`)).toEqual([])
  })

  it(`has no file over ${MAX_FILE_LINES} lines without its reason in its header`, () => {
    const big = files.filter((f) => texts.get(f)!.split('\n').length > MAX_FILE_LINES && !/Over 500 lines: *\S/.test(texts.get(f)!.split('\n').slice(0, 15).join('\n')))
    expect(big.map((f) => `${f} (${texts.get(f)!.split('\n').length} lines)`)).toEqual([])
  })

  it('sees a long function, and its reason when one is written', () => {
    const body = Array.from({ length: 90 }, (_, i) => `  const v${i} = ${i}`).join('\n')
    expect(longFunctions('x.ts', `export function long() {\n${body}\n}\n`)).toMatchObject([{ line: 1, lines: 92, reason: undefined }])
    expect(longFunctions('x.ts', `// Over 80 lines: one table of the French months.\nexport const long = () => {\n${body}\n}\n`)).toMatchObject([{ line: 2, reason: 'one table of the French months.' }])
    expect(longFunctions('x.ts', `export function short() {\n  return 1\n}\n`)).toEqual([])
  })
})
