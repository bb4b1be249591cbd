// What a failed alert send leaves behind, shared by the digest (bot/alerts/digest-send.ts) and
// the confirmation e-mail sent at subscription time (bot/alerts/alerts-service.ts): the error
// text the ledger and the logs may keep, and a channel switched off when its receiver is gone.
import type { AlertsStore } from './alerts-store.ts'
import type { ChannelKind } from './subscription.ts'

/** Error text without addresses or URLs (they may carry personal data or tokens). */
export function safeError(err: unknown): string {
  const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err)
  return msg
    .replace(/[^\s<>@]+@[^\s<>@]+/g, '<adresse>')
    .replace(/https?:\/\/\S+/g, '<url>')
    .slice(0, 300)
}

export async function disableChannel(store: AlertsStore, id: string, channel: ChannelKind, reason: string, at: string): Promise<void> {
  const s = await store.getSubscription(id)
  const ch = s?.channels[channel]
  if (s && ch && !ch.disabledAt) {
    ch.disabledAt = at
    ch.disabledReason = reason
    await store.saveSubscription(s)
  }
  await store.cancelChannel(id, channel, `channel disabled: ${reason}`)
}
