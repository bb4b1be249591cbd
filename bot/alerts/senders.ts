// The ports a digest sends through — e-mail, Teams proactive messages, signed webhooks — and
// the errors that decide what happens next: a ChannelGoneError switches the channel off with
// its reason (Teams app uninstalled, webhook 410); any other error leaves the ledger rows
// failed, retried on later runs until they expire.

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html: string
  /** List-Unsubscribe, List-Unsubscribe-Post, … */
  headers: Record<string, string>
  /** Lets the outbox link a message to its subscription (erased with it). */
  subscriptionId: string
  /**
   * The ledger's message id (a UUID fixed before sending, the same on every retry): the sender
   * writes it as `Message-ID: <id@host>` so that a copy re-sent after a crash can be recognised.
   */
  messageId?: string
}

export interface MailSender {
  readonly kind: 'smtp' | 'outbox' | 'memory'
  send(mail: OutgoingMail): Promise<{ messageId?: string }>
}

/** A proactive message: plain text for notifications, an Adaptive Card for the body. */
export interface TeamsActivity {
  type: 'message'
  text: string
  attachments: { contentType: 'application/vnd.microsoft.card.adaptive'; content: Record<string, unknown> }[]
}

export interface TeamsNotifier {
  /** Whether Guichet holds a conversation reference for this conversation (the bot is installed there). */
  knows(conversationId: string): Promise<boolean>
  /** Throws ChannelGoneError on 403/404 from the connector. */
  send(conversationId: string, activity: TeamsActivity): Promise<void>
}

export interface WebhookDelivery {
  subscriptionId: string
  url: string
  /**
   * The ledger's message id, sent as the Idempotency-Key header (and X-Guichet-Delivery) and as
   * `deliveryId` in the signed body: fixed before the first attempt, the same on every retry
   * (within a run, on later runs, after a crash), so a receiver drops a copy it has seen.
   */
  deliveryId: string
  body: unknown
}

export interface WebhookSender {
  send(delivery: WebhookDelivery): Promise<{ status: number; attempts: number }>
}

export interface AlertSenders {
  email?: MailSender
  teams?: TeamsNotifier
  webhook?: WebhookSender
}

/** The far end says this channel no longer exists: stop using it, record why. */
export class ChannelGoneError extends Error {
  override readonly name = 'ChannelGoneError'
  constructor(
    readonly reason: string,
    readonly status?: number,
  ) {
    super(reason)
  }
}

/** A send that failed and may work later (network, 5xx, SMTP 4xx). */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError'
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

/** An in-memory mail sender, for tests and the bench: keeps what it was given. */
export function createMemoryMailSender(): MailSender & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = []
  return {
    kind: 'memory',
    sent,
    async send(mail) {
      sent.push(mail)
      return { messageId: `<${mail.messageId ?? sent.length}@memory>` }
    },
  }
}
