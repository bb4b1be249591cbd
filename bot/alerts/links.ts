// The links an alert carries, each with its own signed token: manage (the French page for people,
// and the JSON API for integrators, same token), one-click unsubscribe, the ICS feed, and the
// double opt-in confirmation (valid 7 days).
import type { TokenSigner } from './tokens.ts'

export const CONFIRM_VALID_DAYS = 7

export interface AlertLinks {
  /** The JSON API (GET/DELETE /api/subscriptions/{id}); a browser opening it is sent to the page. */
  manageUrl: string
  /** The French management page: what the messages link to. */
  managePageUrl: string
  unsubscribeUrl: string
  icsUrl: string
}

export interface LinkBuilder {
  links(subscriptionId: string, baseUrl?: string): Promise<AlertLinks>
  confirmUrl(subscriptionId: string, now: Date, baseUrl?: string): Promise<string>
  programmeIcsUrl(programmeId: string, baseUrl?: string): string
}

export function createLinkBuilder({ baseUrl, signer }: { baseUrl: string; signer: TokenSigner }): LinkBuilder {
  const root = (b?: string) => (b ?? baseUrl).replace(/\/+$/, '')
  return {
    async links(id, b) {
      const base = root(b)
      const [manage, unsubscribe, ics] = await Promise.all([signer.sign('manage', id), signer.sign('unsubscribe', id), signer.sign('ics', id)])
      return {
        manageUrl: `${base}/api/subscriptions/${id}?token=${manage}`,
        managePageUrl: managePagePath(id, manage, base),
        unsubscribeUrl: `${base}/alerts/unsubscribe?token=${unsubscribe}`,
        icsUrl: `${base}/alerts/${id}/calendar.ics?token=${ics}`,
      }
    },
    async confirmUrl(id, now, b) {
      const token = await signer.sign('confirm', id, Math.floor(now.getTime() / 1000) + CONFIRM_VALID_DAYS * 86_400)
      return `${root(b)}/alerts/confirm?token=${token}`
    },
    programmeIcsUrl(programmeId, b) {
      return `${root(b)}/api/programmes/${encodeURIComponent(programmeId)}/calendar.ics`
    },
  }
}

/** The management page of a subscription, with its manage token (`base` may be '' for a path). */
export function managePagePath(id: string, manageToken: string, base = ''): string {
  return `${base}/alerts/${id}/manage?token=${manageToken}`
}
