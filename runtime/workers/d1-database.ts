// Cloudflare D1 behind the SQL port (runtime/sql/database.ts). D1 is SQLite: the same SQL text runs
// on both runtimes; a batch is D1's batch(), which runs its statements as one transaction.
import type { SqlDatabase, SqlResult, SqlStatement } from '../sql/database.ts'

/** The part of the D1 binding's API used here (developers.cloudflare.com/d1/worker-api/). */
export interface D1Like {
  prepare(query: string): D1StatementLike
  batch(statements: D1StatementLike[]): Promise<D1ResultLike[]>
}
export interface D1StatementLike {
  bind(...values: unknown[]): D1StatementLike
  all(): Promise<D1ResultLike>
}
export interface D1ResultLike {
  results?: unknown[]
  meta?: { changes?: number; last_row_id?: number }
}

export function d1Database(d1: D1Like): SqlDatabase {
  const bind = (s: SqlStatement) => (s.params.length ? d1.prepare(s.sql).bind(...s.params) : d1.prepare(s.sql))
  const result = <T>(r: D1ResultLike): SqlResult<T> => ({ rows: (r.results ?? []) as T[], changes: r.meta?.changes ?? 0, lastRowId: r.meta?.last_row_id ?? 0 })
  return {
    dialect: 'd1',
    async query<T>(s: SqlStatement) {
      return result<T>(await bind(s).all())
    },
    async batch(statements) {
      if (!statements.length) return []
      return (await d1.batch(statements.map(bind))).map((r) => result(r))
    },
  }
}
