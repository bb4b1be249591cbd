// Every setting is declared once (core/config.ts, crawler/crawl-options.ts,
// runtime/node/alerts-config.ts); the README's configuration table, .env.example and
// `npm start -- --help` must name each one, with the declared default, and nothing else.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SETTING_GROUPS, startHelp } from '../../runtime/node/start-help.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const declared = SETTING_GROUPS.flatMap((g) => Object.entries(g.settings))
const defaults = new Map(declared.map(([name, s]) => [name, s.default]))

/** The README's « Configuration » table: variable name → its default cell (a row may name several). */
function readmeTable(): [string, string][] {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8')
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1))
  const rows = section.split('\n').filter((l) => l.startsWith('| `'))
  return rows.flatMap((row) => {
    const [names, defaultCell] = row.split(' | ').map((c) => c.replace(/^\| /, '').trim())
    return [...names!.matchAll(/`([^`]+)`/g)].map((m): [string, string] => [m[1]!, defaultCell!])
  })
}

/** .env.example's assignments: name → value. */
function envExample(): [string, string][] {
  return readFileSync(`${ROOT}.env.example`, 'utf8')
    .split('\n')
    .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
    .map((l): [string, string] => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
}

describe('the settings', () => {
  it('are each declared once, in one group, and their defaults parse', () => {
    expect(defaults.size).toBe(declared.length)
    for (const [name, s] of declared) expect(s.parser.safeParse(s.default).success, name).toBe(true)
  })

  it('are all in the README table, with their declared default, and the table names nothing else', () => {
    const table = readmeTable()
    expect(table.map(([name]) => name).sort()).toEqual([...defaults.keys()].sort())
    for (const [name, cell] of table) {
      const fallback = defaults.get(name)!
      if (fallback === '') expect(cell, name).toMatch(/^\*\(empty/)
      else expect(cell, name).toBe(`\`${fallback}\``)
    }
  })

  it('are all in .env.example, set to their declared default, and it sets nothing else', () => {
    const example = envExample()
    expect(example.map(([name]) => name).sort()).toEqual([...defaults.keys()].sort())
    for (const [name, value] of example) expect(value, name).toBe(defaults.get(name))
  })

  it('are all printed by npm start -- --help, with their French one-liner and default', () => {
    const help = startHelp()
    for (const [name, s] of declared) {
      const line = help.split('\n').find((l) => l.trimStart().startsWith(`${name} `))
      expect(line, name).toContain(s.aide)
      if (s.default !== '') expect(line, name).toContain(`(défaut : ${s.default})`)
    }
  })
})
