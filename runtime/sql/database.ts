// The SQL port shared by both runtimes: the stores under runtime/sql/ are written once against it,
// and each runtime adapts its database to it — better-sqlite3 on Node (runtime/node/sqlite-database.ts),
// D1 on Workers (runtime/workers/d1-database.ts). Both are SQLite underneath: the same schema and
// migrations (runtime/sql/migrations.ts), the same SQL text.
//
// The one rule that spans the two dialects: a transaction is a batch of statements prepared in
// advance (D1 has no interactive transaction). A store that must read before it writes says the
// condition in SQL (INSERT … SELECT … WHERE, UPDATE … WHERE, RETURNING), never between statements in JS.

export type SqlValue = string | number | null

export interface SqlStatement {
  readonly sql: string
  readonly params: readonly SqlValue[]
}

/** A statement and its parameters: `sql('SELECT * FROM t WHERE id = ?', id)`. */
export function sql(text: string, ...params: SqlValue[]): SqlStatement {
  return { sql: text, params }
}

export interface SqlResult<T = Record<string, unknown>> {
  /** Rows returned (SELECT, or RETURNING); empty otherwise. */
  rows: T[]
  /** Rows changed by an INSERT, UPDATE or DELETE. */
  changes: number
  /** The rowid of the last inserted row (0 when none). */
  lastRowId: number
}

export interface SqlDatabase {
  readonly dialect: 'sqlite' | 'd1'
  /** One statement, on its own (autocommit). */
  query<T = Record<string, unknown>>(statement: SqlStatement): Promise<SqlResult<T>>
  /** Every statement in one atomic transaction, in order; one result per statement. All or nothing. */
  batch(statements: readonly SqlStatement[]): Promise<SqlResult[]>
}

/** The rows of one statement. */
export async function all<T>(db: SqlDatabase, statement: SqlStatement): Promise<T[]> {
  return (await db.query<T>(statement)).rows
}

/** The first row of one statement, if any. */
export async function first<T>(db: SqlDatabase, statement: SqlStatement): Promise<T | undefined> {
  return (await db.query<T>(statement)).rows[0]
}
