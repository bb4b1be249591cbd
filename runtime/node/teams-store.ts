// Teams conversation references in the SQLite file: the store written once against the SQL port
// (runtime/sql/teams-store.ts) over better-sqlite3. The Workers runtime runs the same store on D1.
import type { ConversationReferenceStore } from '../../bot/channels/teams/conversation-reference-store.ts'
import { createSqlConversationReferenceStore } from '../sql/teams-store.ts'
import { sqliteDatabase } from './sqlite-database.ts'
import type { Db } from './sqlite.ts'

export function createSqliteConversationReferenceStore(db: Db): ConversationReferenceStore {
  return createSqlConversationReferenceStore(sqliteDatabase(db))
}
