// Whether a database's schema is wholly accounted for by the declaration: every table either
// declared (each column personal or not) or listed as holding no personal data. Pure: the caller
// reads the tables and their columns (PRAGMA table_info) from a migrated database.
import { DATA_DECLARATION, NON_PERSONAL_TABLES, type DataDeclaration, type NonPersonalTable } from './declaration.ts'

export interface TableShape {
  table: string
  columns: readonly string[]
}

/** One line per gap, naming the table and column; empty when everything is declared. */
export function undeclared(schema: readonly TableShape[], declared: readonly DataDeclaration[] = DATA_DECLARATION, nonPersonal: readonly NonPersonalTable[] = NON_PERSONAL_TABLES): string[] {
  const byTable = new Map(declared.map((d) => [d.table, d]))
  const plain = new Set(nonPersonal.map((t) => t.table))
  const out: string[] = []
  for (const { table, columns } of schema) {
    if (plain.has(table)) continue
    const d = byTable.get(table)
    if (!d) {
      out.push(`table ${table} is not declared (core/privacy/declaration.ts: DATA_DECLARATION or NON_PERSONAL_TABLES)`)
      continue
    }
    const known = new Set([...d.columns, ...d.nonPersonalColumns])
    for (const c of columns) if (!known.has(c)) out.push(`column ${table}.${c} is not declared (add it to the columns or nonPersonalColumns of '${d.id}')`)
  }
  const present = new Map(schema.map((s) => [s.table, new Set(s.columns)]))
  for (const d of declared) {
    const cols = present.get(d.table)
    if (!cols) out.push(`declared table ${d.table} ('${d.id}') is not in the schema`)
    else for (const c of [...d.columns, ...d.nonPersonalColumns, d.retention.from]) if (!cols.has(c)) out.push(`declared column ${d.table}.${c} ('${d.id}') is not in the schema`)
  }
  return out
}
