// Teams conversation references (ConversationReferenceStore port,
// bot/channels/teams/conversation-reference-store.ts) written once against the SQL port: SQLite on
// Node, D1 on Workers. One row per conversation, the reference as JSON. Each write is one statement.
import type {
  ConversationReferenceStore,
  StoredConversationReference,
  TeamsConversationKind,
} from '../../bot/channels/teams/conversation-reference-store.ts'
import { all, first, sql, type SqlDatabase, type SqlValue } from './database.ts'

interface Row {
  conversation_id: string
  reference: string
  tenant_id: string | null
  channel_kind: TeamsConversationKind
  user_aad_id: string | null
  welcomed_at: string | null
  updated_at: string
  disabled_reason: string | null
}

const COLUMNS = 'conversation_id, reference, tenant_id, channel_kind, user_aad_id, welcomed_at, updated_at, disabled_reason'

export function createSqlConversationReferenceStore(db: SqlDatabase): ConversationReferenceStore {
  return {
    async save(input, now) {
      const iso = now.toISOString()
      await db.query(sql(
        `INSERT INTO conversation_references (conversation_id, reference, tenant_id, channel_kind, user_aad_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(conversation_id) DO UPDATE SET reference = excluded.reference, tenant_id = COALESCE(excluded.tenant_id, tenant_id),
           channel_kind = excluded.channel_kind, user_aad_id = COALESCE(excluded.user_aad_id, user_aad_id), updated_at = excluded.updated_at, disabled_reason = NULL`,
        input.conversationId, JSON.stringify(input.reference), input.tenantId ?? null, input.kind, input.userAadId ?? null, iso, iso,
      ))
    },
    async get(conversationId) {
      const row = await first<Row>(db, sql(`SELECT ${COLUMNS} FROM conversation_references WHERE conversation_id = ?`, conversationId))
      return row ? fromRow(row) : undefined
    },
    async list(filter = {}) {
      const where = ['disabled_reason IS NULL']
      const params: SqlValue[] = []
      if (filter.tenantId) {
        where.push('tenant_id = ?')
        params.push(filter.tenantId)
      }
      if (filter.kind) {
        where.push('channel_kind = ?')
        params.push(filter.kind)
      }
      const rows = await all<Row>(db, sql(`SELECT ${COLUMNS} FROM conversation_references WHERE ${where.join(' AND ')} ORDER BY updated_at DESC`, ...params))
      return rows.map(fromRow)
    },
    async markWelcomed(conversationId, now) {
      const r = await db.query(sql('UPDATE conversation_references SET welcomed_at = ? WHERE conversation_id = ? AND welcomed_at IS NULL', now.toISOString(), conversationId))
      return r.changes === 1
    },
    async disable(conversationId, reason, now) {
      await db.query(sql('UPDATE conversation_references SET disabled_reason = ?, welcomed_at = NULL, updated_at = ? WHERE conversation_id = ?', reason, now.toISOString(), conversationId))
    },
  }
}

function fromRow(row: Row): StoredConversationReference {
  return {
    conversationId: row.conversation_id,
    reference: JSON.parse(row.reference) as StoredConversationReference['reference'],
    tenantId: row.tenant_id,
    kind: row.channel_kind,
    userAadId: row.user_aad_id,
    welcomedAt: row.welcomed_at ? new Date(row.welcomed_at) : null,
    updatedAt: new Date(row.updated_at),
    disabledReason: row.disabled_reason,
  }
}
