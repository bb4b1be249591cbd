// One line per record error, as the CLI prints them and the run records keep them:
// `source field: message [fiche id] (raw: …)`, the raw value cut at 200 characters.
import type { RecordError } from './types.ts'

function formatRaw(raw: unknown): string {
  let text: string
  try {
    text = typeof raw === 'string' ? JSON.stringify(raw) : (JSON.stringify(raw) ?? String(raw))
  } catch {
    text = String(raw)
  }
  text = text.replace(/\s+/g, ' ')
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

export function formatRecordError(e: RecordError): string {
  const record = e.recordId ? ` [fiche ${e.recordId}]` : ''
  return `${e.source} ${e.field}: ${e.message}${record} (raw: ${formatRaw(e.raw)})`
}
