// The D1 migration files under migrations/ (`wrangler d1 migrations apply guichet`), generated from
// the one list of migrations (runtime/sql/schema.ts). Each file also creates schema_migrations if
// needed and records its version there, as the app's own migrate() does (runtime/sql/migrations.ts):
// a database migrated by wrangler is one the Worker finds up to date at its first request, and the
// other way round, the Worker's migrate() records each file in wrangler's d1_migrations table, so
// wrangler finds them applied. Run by `npm run workers:migrations`; test/workers/migrations-files.test.ts
// fails when the committed files differ from what this writes.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { migrationFileName, SCHEMA_MIGRATIONS_TABLE, splitStatements } from '../sql/migrations.ts'
import { MIGRATIONS } from '../sql/schema.ts'

export { migrationFileName }

/** Every migration file, by name: its statements, then its record in schema_migrations. */
export function migrationFiles(): Map<string, string> {
  const files = new Map<string, string>()
  MIGRATIONS.forEach((text, i) => {
    const version = i + 1
    const lines = [
      `-- Migration ${version} of Guichet's schema, generated from runtime/sql/schema.ts by runtime/workers/migrations-files.ts.`,
      '-- Do not edit: add a migration to runtime/sql/schema.ts, then run `npm run workers:migrations`.',
      `${SCHEMA_MIGRATIONS_TABLE};`,
      ...splitStatements(text).map((s) => `${s};`),
      `INSERT INTO schema_migrations (version, applied_at) VALUES (${version}, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));`,
      '',
    ]
    files.set(migrationFileName(version, text), lines.join('\n'))
  })
  return files
}

/** Writes migrations/ (and removes .sql files no migration stands for); returns the names written. */
export function writeMigrationFiles(dir = new URL('../../migrations/', import.meta.url)): string[] {
  mkdirSync(dir, { recursive: true })
  const files = migrationFiles()
  for (const name of readdirSync(dir)) if (name.endsWith('.sql') && !files.has(name)) rmSync(new URL(name, dir))
  for (const [name, text] of files) writeFileSync(new URL(name, dir), text)
  return [...files.keys()]
}

if (import.meta.url === `file://${process.argv[1]}` && (process.argv.includes('--help') || process.argv.includes('-h'))) {
  process.stdout.write(`npm run workers:migrations

  Écrit sous migrations/ les fichiers de migration D1 tirés du schéma (runtime/sql/schema.ts), un par
  version, chacun l'inscrivant dans schema_migrations comme le fait le Worker ; à appliquer avec
  \`npx wrangler d1 migrations apply guichet --remote\` sur une base neuve (voir DEPLOY.md).
`)
} else if (import.meta.url === `file://${process.argv[1]}`) {
  const names = writeMigrationFiles()
  console.log(`wrote ${names.length} D1 migration files to migrations/ (${names[0]} … ${names.at(-1)})`)
}
