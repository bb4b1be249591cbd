// The component schemas of the OpenAPI document (bot/openapi.ts) for the alerts (a created
// subscription, its webhook confirmation, the subscription as read back), the crawl events and
// the Teams activity; schemas.ts lists them among the others.
import { THEME_IDS } from '../../core/themes.ts'
import { CRAWL_EVENT_KINDS } from '../../crawler/crawl-store.ts'
import { CHANNELS } from '../alerts/subscription.ts'
import { arr, int, type Json, obj, PROFILE_TYPES, ref, str, SUBSCRIPTION_STATUSES } from './kit.ts'

const channelState = { enum: ['active', 'pending_confirmation', 'disabled'] }
const subscriptionLinks = {
  icsUrl: { type: 'string', format: 'uri', description: 'The subscription\'s ICS feed (secret URL)' },
  unsubscribeUrl: { type: 'string', format: 'uri' },
  managePageUrl: { type: 'string', format: 'uri', description: 'The French management page (same signed manage token): themes, lead times, frequency, pause, export, erase. Give this one to a person' },
}

export function createdSubscriptionSchema(): Json {
  return obj(
    {
      id: str,
      status: { enum: SUBSCRIPTION_STATUSES },
      channels: obj(Object.fromEntries(CHANNELS.map((c) => [c, channelState])), []),
      manageUrl: { type: 'string', format: 'uri', description: 'Read or erase the subscription through this JSON API (signed manage token): keep it. A browser opening it is sent to managePageUrl' },
      ...subscriptionLinks,
      webhookSecret: { type: 'string', description: 'Returned once, for a webhook: the receiver checks X-Guichet-Signature with it' },
      webhookConfirmation: ref('WebhookConfirmation'),
    },
    ['id', 'status', 'channels', 'manageUrl', 'managePageUrl', 'icsUrl', 'unsubscribeUrl'],
  )
}

export function webhookConfirmationSchema(): Json {
  return obj(
    {
      status: { enum: ['confirmed', 'pending'], description: 'pending: no digest is sent to the webhook until it answers the challenge' },
      reason: { type: ['string', 'null'], description: 'Why it is still pending (French), null once confirmed' },
      retryUrl: { type: 'string', format: 'uri', description: 'POST here to send the challenge again (signed manage token)' },
    },
    ['status', 'reason', 'retryUrl'],
  )
}

/** A subscription read back with its manage token: addresses masked. */
export function subscriptionSchema(): Json {
  return obj({
    id: str,
    status: { enum: SUBSCRIPTION_STATUSES },
    createdAt: { type: 'string', format: 'date-time' },
    source: { enum: ['api', 'dialogue', 'widget', 'teams'] },
    collectivite: obj({ type: { enum: PROFILE_TYPES }, code: str, name: str }),
    applicantType: { type: ['string', 'null'] },
    themes: arr({ enum: [...THEME_IDS] }),
    programmes: arr(str),
    leadTimes: { type: 'array', items: int, description: 'Days before a deadline when a reminder goes out' },
    newCalls: { enum: ['daily', 'weekly', 'off'] },
    channels: obj(
      {
        email: obj({ address: { type: 'string', description: 'Masked' }, status: str }),
        teams: obj({ status: str, disabledReason: { type: ['string', 'null'] } }),
        webhook: obj({ url: str, status: str, disabledReason: { type: ['string', 'null'] }, confirmationError: { type: ['string', 'null'], description: 'Why the confirmation challenge failed while pending' } }),
      },
      [],
    ),
    ...subscriptionLinks,
  })
}

export function crawlEventSchema(): Json {
  return obj(
    {
      id: int,
      programmeId: str,
      sourceId: str,
      kind: { enum: [...CRAWL_EVENT_KINDS] },
      before: { description: 'A small JSON summary of the programme before the change' },
      after: { description: 'The same summary after it' },
      at: { type: 'string', format: 'date-time' },
      runId: str,
    },
    ['programmeId', 'sourceId', 'kind', 'at', 'runId'],
  )
}

// The Teams channel's own zod schema (bot/channels/teams/teams-channel.ts) cannot be imported
// here: that module loads botbuilder, which the Workers bundle and the lazy Node channel keep
// out. test/bot/openapi-lint.test.ts sends the example to the real route, and the example
// without each required field, which the route must refuse naming that field.
export function teamsActivitySchema(): Json {
  const id = (max: number) => obj({ id: { type: 'string', minLength: 1, maxLength: max } }, ['id'], { additionalProperties: {} })
  return {
    type: 'object',
    description: 'A Bot Framework activity: the fields Guichet relies on; every other field passes through to botbuilder',
    properties: {
      type: { type: 'string', minLength: 1, maxLength: 64 },
      id: { type: 'string', maxLength: 256 },
      channelId: { type: 'string', minLength: 1, maxLength: 64 },
      serviceUrl: { type: 'string', format: 'uri' },
      conversation: id(1024),
      from: id(256),
      recipient: id(256),
      text: { type: 'string', maxLength: 28000 },
    },
    required: ['type', 'channelId', 'serviceUrl', 'conversation', 'from', 'recipient'],
    additionalProperties: {},
  }
}
