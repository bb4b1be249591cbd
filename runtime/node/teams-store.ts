// Teams conversation references in the SQLite file (table conversation_references): one row
// per conversation, the reference as JSON. Each write is one statement.
import type {
  ConversationReferenceStore,
  StoredConversationReference,
  TeamsConversationKind,
} from '../../bot/channels/teams/conversation-reference-store.ts'
import type { Db } from './sqlite.ts'

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

export function createSqliteConversationReferenceStore(db: Db): ConversationReferenceStore {
  const put = db.prepare<[string, string, string | null, string, string | null, string, string]>(
    `INSERT INTO conversation_references (conversation_id, reference, tenant_id, channel_kind, user_aad_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(conversation_id) DO UPDATE SET reference = excluded.reference, tenant_id = COALESCE(excluded.tenant_id, tenant_id),
       channel_kind = excluded.channel_kind, user_aad_id = COALESCE(excluded.user_aad_id, user_aad_id), updated_at = excluded.updated_at, disabled_reason = NULL`,
  )
  const get = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM conversation_references WHERE conversation_id = ?`)
  const welcome = db.prepare<[string, string]>('UPDATE conversation_references SET welcomed_at = ? WHERE conversation_id = ? AND welcomed_at IS NULL')
  const disable = db.prepare<[string, string, string]>('UPDATE conversation_references SET disabled_reason = ?, welcomed_at = NULL, updated_at = ? WHERE conversation_id = ?')

  return {
    async save(input, now) {
      const iso = now.toISOString()
      put.run(input.conversationId, JSON.stringify(input.reference), input.tenantId, input.kind, input.userAadId, iso, iso)
    },
    async get(conversationId) {
      const row = get.get(conversationId)
      return row ? fromRow(row) : undefined
    },
    async list(filter = {}) {
      const where = ['disabled_reason IS NULL']
      const params: string[] = []
      if (filter.tenantId) {
        where.push('tenant_id = ?')
        params.push(filter.tenantId)
      }
      if (filter.kind) {
        where.push('channel_kind = ?')
        params.push(filter.kind)
      }
      const rows = db.prepare<string[], Row>(`SELECT ${COLUMNS} FROM conversation_references WHERE ${where.join(' AND ')} ORDER BY updated_at DESC`).all(...params)
      return rows.map(fromRow)
    },
    async markWelcomed(conversationId, now) {
      return welcome.run(now.toISOString(), conversationId).changes === 1
    },
    async disable(conversationId, reason, now) {
      disable.run(reason, now.toISOString(), conversationId)
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
