// The part of Meilisearch's documented filter expression syntax the adapter sends, evaluated
// over stored documents for test/helpers/fake-meilisearch.ts: conditions `attribute = value`,
// `!=`, `>`, `>=`, `<`, `<=`, `IN [...]`, `NOT IN [...]`, dotted attributes into nested objects,
// NOT, AND (binding tighter) and OR, parentheses. As the reference says: an array attribute
// matches when one of its values does; a missing or empty attribute matches no condition (and so
// every NOT of one). Anything else throws, so a test sees what the stand-in does not read.
type Doc = Record<string, unknown>
type Node = (doc: Doc) => boolean

const TOKEN = /\s*(\(|\)|\[|\]|,|!=|>=|<=|=|>|<|"(?:[^"\\]|\\.)*"|[^\s()[\],=!<>"]+)/y

function tokens(expression: string): string[] {
  const out: string[] = []
  TOKEN.lastIndex = 0
  let m: RegExpExecArray | null
  while (TOKEN.lastIndex < expression.length && (m = TOKEN.exec(expression))) out.push(m[1]!)
  if (expression.slice(TOKEN.lastIndex).trim()) throw new Error(`filter not read by the stand-in: ${expression}`)
  return out
}

function values(doc: Doc, path: string): unknown[] {
  let v: unknown = doc
  for (const part of path.split('.')) v = v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc)[part] : undefined
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]
}

function literal(token: string): string | number {
  if (token.startsWith('"')) return token.slice(1, -1).replace(/\\(.)/g, '$1')
  const n = Number(token)
  return Number.isNaN(n) ? token : n
}

function compare(a: unknown, op: string, b: string | number): boolean {
  if (op === '=' || op === '!=') return (String(a) === String(b)) === (op === '=')
  if (typeof a !== 'number' || typeof b !== 'number') return false
  return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b
}

/** The filter as a predicate over stored documents. */
export function parseFilter(expression: string): Node {
  const t = tokens(expression)
  let i = 0
  const peek = () => t[i]
  const next = () => {
    if (i >= t.length) throw new Error(`filter ends too soon: ${expression}`)
    return t[i++]!
  }
  const list = (): (string | number)[] => {
    if (next() !== '[') throw new Error(`[ expected: ${expression}`)
    const out: (string | number)[] = []
    while (peek() !== ']') {
      out.push(literal(next()))
      if (peek() === ',') next()
    }
    next()
    return out
  }
  const condition = (): Node => {
    const attr = next()
    let op = next()
    if (op === 'NOT') {
      if (next() !== 'IN') throw new Error(`NOT IN expected: ${expression}`)
      const l = list()
      return (d) => !values(d, attr).some((v) => l.some((x) => compare(v, '=', x)))
    }
    if (op === 'IN') {
      const l = list()
      return (d) => values(d, attr).some((v) => l.some((x) => compare(v, '=', x)))
    }
    if (!['=', '!=', '>', '>=', '<', '<='].includes(op)) throw new Error(`operator not read by the stand-in: ${op}`)
    const value = literal(next())
    if (op === '!=') return (d) => !values(d, attr).some((v) => compare(v, '=', value))
    return (d) => values(d, attr).some((v) => compare(v, op, value))
  }
  const factor = (): Node => {
    if (peek() === 'NOT') {
      next()
      const inner = factor()
      return (d) => !inner(d)
    }
    if (peek() === '(') {
      next()
      const inner = or()
      if (next() !== ')') throw new Error(`) expected: ${expression}`)
      return inner
    }
    return condition()
  }
  const and = (): Node => {
    const parts = [factor()]
    while (peek() === 'AND') {
      next()
      parts.push(factor())
    }
    return (d) => parts.every((p) => p(d))
  }
  const or = (): Node => {
    const parts = [and()]
    while (peek() === 'OR') {
      next()
      parts.push(and())
    }
    return (d) => parts.some((p) => p(d))
  }
  const root = or()
  if (i !== t.length) throw new Error(`filter not read to its end by the stand-in: ${expression}`)
  return root
}
