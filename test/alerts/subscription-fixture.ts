// A confirmed subscription of Vézelay (schools, J-30/J-7/J-1, weekly new calls) with an e-mail channel
// and, when given, a Teams conversation — the fixture of the store contracts on what is kept per subscriber.
import type { Subscription } from '../../bot/alerts/subscription.ts'
import { commune } from '../builders/programme.ts'

export function keptSubscription(id: string, email: string | undefined, conversationId?: string): Subscription {
  return {
    id,
    createdAt: '2026-02-15T10:00:00.000Z',
    source: 'api',
    profile: commune(420, { name: 'Vézelay', code: '89446' }),
    facts: { applicantType: 'commune' },
    themes: ['ecoles'],
    programmes: [],
    leadTimes: [30, 7, 1],
    newCalls: 'weekly',
    channels: {
      ...(email ? { email: { address: email, confirmedAt: '2026-02-15T10:05:00.000Z', disabledAt: null, disabledReason: null } } : {}),
      ...(conversationId ? { teams: { conversationId, disabledAt: null, disabledReason: null } } : {}),
    },
    lastDigestDay: '2026-02-28',
    newCallsSince: '2026-02-15',
    unsubscribedAt: null,
  }
}
