// The anonymised understanding log (UnderstandingLog port, bot/admin/ports.ts) written once against
// the SQL port: SQLite on Node, D1 on Workers. One row per chat turn while the admin setting is on
// (bot/admin/understanding-log.ts decides and anonymises); pruned at its declared age by the
// retention job (./retention.ts).
import type { UnderstandingEntry, UnderstandingLog } from '../../bot/admin/ports.ts'
import { all, first, sql, type SqlDatabase } from './database.ts'

interface Row {
  id: number
  at: string
  collectivite_type: string | null
  themes: string
  text: string
}

export function createSqlUnderstandingLog(db: SqlDatabase): UnderstandingLog {
  return {
    async record(e) {
      await db.query(sql('INSERT INTO chat_understanding_log (at, collectivite_type, themes, text) VALUES (?, ?, ?, ?)', e.at, e.collectiviteType, JSON.stringify(e.themes), e.text))
    },
    async list(limit) {
      const rows = await all<Row>(db, sql('SELECT id, at, collectivite_type, themes, text FROM chat_understanding_log ORDER BY id DESC LIMIT ?', limit))
      return rows.map((r): UnderstandingEntry => ({ id: r.id, at: r.at, collectiviteType: r.collectivite_type, themes: JSON.parse(r.themes) as string[], text: r.text }))
    },
    async count() {
      return (await first<{ n: number }>(db, sql('SELECT COUNT(*) AS n FROM chat_understanding_log')))?.n ?? 0
    },
    async clear() {
      return (await db.query(sql('DELETE FROM chat_understanding_log'))).changes
    },
  }
}
