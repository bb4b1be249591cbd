// E-mail for the alerts on Node: SMTP through nodemailer when SMTP_URL is set, else the
// SQLite outbox (alert_outbox) so that nothing is lost on a machine with no mail server. A
// failed SMTP send is also written to the outbox (status failed, with the error) where an
// admin can see it; the ledger retries it on the next runs. A message the ledger names (its
// message id, fixed before the first attempt) goes out as `Message-ID: <id@host>`, host being
// GUICHET_PUBLIC_URL's or guichet.local: a copy re-sent after a crash has the same Message-ID.
import nodemailer from 'nodemailer'
import { DeliveryFailedError, type MailSender, type OutgoingMail } from '../../bot/alerts/senders.ts'
import type { AdminOutboxMail } from '../../bot/alerts/alerts-store.ts'
import type { Db } from './sqlite.ts'

const AUTO_HEADERS = { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' }
export const DEFAULT_MESSAGE_ID_HOST = 'guichet.local'

/** The right-hand side of our Message-IDs: the public URL's host name, else guichet.local. */
export function messageIdHost(publicUrl: string | undefined): string {
  if (!publicUrl) return DEFAULT_MESSAGE_ID_HOST
  try {
    return new URL(publicUrl).hostname || DEFAULT_MESSAGE_ID_HOST
  } catch {
    return DEFAULT_MESSAGE_ID_HOST
  }
}

/** RFC 5322 msg-id: `<id@host>`. */
export function mailMessageId(id: string, host: string): string {
  return `<${id}@${host}>`
}

function outboxInsert(db: Db, host: string) {
  const insert = db.prepare('INSERT INTO alert_outbox (subscription_id, created_at, status, error, recipient, subject, headers, text, html) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
  return (mail: OutgoingMail, status: 'queued' | 'failed', error: string | null, at: string) => {
    const headers = { ...AUTO_HEADERS, ...mail.headers, ...(mail.messageId ? { 'Message-ID': mailMessageId(mail.messageId, host) } : {}) }
    return Number(insert.run(mail.subscriptionId, at, status, error, mail.to, mail.subject, JSON.stringify(headers), mail.text, mail.html).lastInsertRowid)
  }
}

/** The embedded default: messages are kept in the SQLite file (`npm run -s alerts -- outbox` lists them). */
export function createOutboxMailSender({ db, now = () => new Date(), host = DEFAULT_MESSAGE_ID_HOST }: { db: Db; now?: () => Date; host?: string }): MailSender {
  const put = outboxInsert(db, host)
  return {
    kind: 'outbox',
    async send(mail) {
      const id = put(mail, 'queued', null, now().toISOString())
      return { messageId: mail.messageId ? mailMessageId(mail.messageId, host) : `outbox-${id}` }
    },
  }
}

export function createSmtpMailSender({ url, from, db, now = () => new Date(), host = DEFAULT_MESSAGE_ID_HOST }: { url: string; from: string; db?: Db; now?: () => Date; host?: string }): MailSender & { close(): void } {
  const transport = nodemailer.createTransport(url)
  const put = db ? outboxInsert(db, host) : undefined
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        const info = await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: { ...AUTO_HEADERS, ...mail.headers },
          // The ledger's id, the same on every retry (nodemailer would make a new one per send).
          ...(mail.messageId ? { messageId: mailMessageId(mail.messageId, host) } : {}),
        })
        return { messageId: info.messageId }
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string }
        const error = `SMTP ${e.responseCode ?? e.code ?? 'error'}: ${e.message.replace(/[^\s<>@]+@[^\s<>@]+/g, '<adresse>').slice(0, 200)}`
        put?.(mail, 'failed', error, now().toISOString())
        throw new DeliveryFailedError(error, e.responseCode)
      }
    },
    close: () => transport.close(),
  }
}

/** An outbox row: what the admin's outbox lists (AdminOutboxMail), plus the message itself. */
export interface OutboxMessage extends AdminOutboxMail {
  subject: string
  headers: Record<string, string>
  text: string
  html: string
}

export function readOutbox(db: Db, limit = 20): OutboxMessage[] {
  const rows = db.prepare('SELECT * FROM alert_outbox ORDER BY id DESC LIMIT ?').all(limit) as {
    id: number
    subscription_id: string
    created_at: string
    status: 'queued' | 'failed'
    error: string | null
    recipient: string
    subject: string
    headers: string
    text: string
    html: string
  }[]
  return rows.map((r) => ({ id: r.id, subscriptionId: r.subscription_id, createdAt: r.created_at, status: r.status, error: r.error, recipient: r.recipient, subject: r.subject, headers: JSON.parse(r.headers) as Record<string, string>, text: r.text, html: r.html }))
}

/** Outbox messages older than `before` are deleted: the outbox is a buffer, not an archive. */
export function purgeOutbox(db: Db, before: Date): number {
  return db.prepare('DELETE FROM alert_outbox WHERE created_at < ?').run(before.toISOString()).changes
}
