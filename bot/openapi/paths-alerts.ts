// The alerts paths of the OpenAPI document (bot/openapi.ts) — where each runs is said by
// bot/openapi/runtimes.ts: subscriptions (the body from the zod schema the route validates with) and their signed
// manage links, the confirm and unsubscribe links, the ICS feed of a subscription, and the
// Atom feed of new programmes (its query from the route's zod schema).
import { FeedQuerySchema } from '../alerts/alerts-routes.ts'
import { bool, csvOf, error, html, invalid, obj, ok, type Paths, pathParam, queryParam, queryParameters, ref, str, text } from './kit.ts'

const subscriptionId = pathParam('id', 'Subscription id (from manageUrl)')
const token = (purpose: string) => queryParam('token', `Signed ${purpose} token, as in the link Guichet gave`, str, true)
const forbidden = error('Missing, invalid or expired token (code forbidden); says nothing of whether the subscription exists')

/** The alerts paths, in the document's order. */
export function alertsPaths(): Paths {
  return { ...subscriptionPaths(), ...alertLinkPaths(), ...feedPaths() }
}

function subscriptionPaths(): Paths {
  return {
    '/api/subscriptions': {
      post: {
        tags: ['alerts'],
        operationId: 'createSubscription',
        summary: 'Subscribe to deadline alerts: e-mail (double opt-in), Teams conversation or signed webhook',
        description:
          'An e-mail channel is pending until the link sent by e-mail is followed (GET /alerts/confirm). ' +
          'A webhook URL must be https to a host whose every DNS address is public (no loopback, private, link-local or metadata address: 400 on channels.webhookUrl; checked again at each send, redirects never followed). ' +
          'Before answering, Guichet POSTs to it, signed like a delivery (X-Guichet-Timestamp, X-Guichet-Signature under webhookSecret), ' +
          '{"type":"confirmation","subscriptionId":…,"challenge":…,"deliveryId":…}; the webhook is active only if the receiver answers 2xx within 5 s with the JSON {"challenge":"<the same value>"}. ' +
          'Otherwise it stays pending (webhookConfirmation.reason says why) and receives nothing until POST /api/subscriptions/{id}/webhook/confirm succeeds. Keep manageUrl: it reads and erases the subscription.',
        requestBody: {
          required: true,
          description: 'At most 8 KB; unknown fields are refused. At least one channel.',
          content: {
            'application/json': {
              schema: ref('SubscriptionRequest'),
              example: { collectivite: '18197', themes: ['ecoles', 'renovation_energetique'], leadTimes: [30, 7], newCalls: 'weekly', channels: { email: 'secretariat@mairie-exemple.fr' } },
            },
          },
        },
        responses: {
          201: ok('Created', ref('CreatedSubscription')),
          400: error('Invalid body (error.field: collectivite, channels.email, leadTimes.0…), or an unknown collectivité'),
        },
      },
    },
    '/api/subscriptions/{id}': {
      get: {
        tags: ['alerts'],
        operationId: 'getSubscription',
        summary: 'Read a subscription (signed manage token)',
        parameters: [subscriptionId, token('manage')],
        responses: { 200: ok('The subscription (addresses masked)', obj({ subscription: ref('Subscription') })), 403: forbidden },
      },
      delete: {
        tags: ['alerts'],
        operationId: 'deleteSubscription',
        summary: 'Erase a subscription and its deliveries (signed manage token)',
        parameters: [subscriptionId, token('manage')],
        responses: { 200: ok('Erased, or already erased (deleted: false)', obj({ deleted: bool })), 403: forbidden },
      },
    },
    '/api/subscriptions/{id}/webhook/confirm': {
      post: {
        tags: ['alerts'],
        operationId: 'confirmSubscriptionWebhook',
        summary: 'Send the webhook\'s signed confirmation challenge again (signed manage token)',
        description: 'One POST to the webhook URL, as at creation; the answer says whether it is now confirmed. Nothing is sent to a webhook already confirmed.',
        parameters: [subscriptionId, token('manage')],
        responses: {
          200: ok('Where the webhook stands', obj({ webhookConfirmation: ref('WebhookConfirmation') })),
          400: error('The subscription has no webhook, or it was switched off (error.field: channels.webhookUrl)'),
          403: forbidden,
          404: error('The subscription no longer exists'),
        },
      },
    },
  }
}

/** The links Guichet sends: e-mail confirmation, unsubscribe, a subscription's ICS feed. */
function alertLinkPaths(): Paths {
  return {
    '/alerts/confirm': {
      get: {
        tags: ['alerts'],
        operationId: 'confirmSubscription',
        summary: 'Confirm an e-mail subscription (double opt-in link, valid 7 days)',
        parameters: [token('confirm')],
        responses: { 200: html('Confirmed, or already confirmed (French page)'), 400: html('Invalid or expired link (French page)'), 404: html('The subscription no longer exists (French page)') },
      },
    },
    '/alerts/unsubscribe': {
      get: {
        tags: ['alerts'],
        operationId: 'getUnsubscribePage',
        summary: 'The unsubscribe page: one button that posts to the same URL',
        parameters: [token('unsubscribe')],
        responses: { 200: html('French page with the button'), 400: html('No token (French page)') },
      },
      post: {
        tags: ['alerts'],
        operationId: 'unsubscribe',
        summary: 'Unsubscribe in one click (RFC 8058: List-Unsubscribe=One-Click, or the page\'s button)',
        parameters: [token('unsubscribe')],
        responses: { 200: html('Unsubscribed, or already (French page)'), 400: html('Invalid link (French page)') },
      },
    },
    '/alerts/{id}/calendar.ics': {
      get: {
        tags: ['alerts'],
        operationId: 'getSubscriptionCalendar',
        summary: 'ICS feed of a subscription\'s deadlines (secret URL: Outlook and others can subscribe to it)',
        parameters: [subscriptionId, token('ics')],
        responses: { 200: text('The deadlines as an iCalendar feed', 'text/calendar'), 403: forbidden },
      },
    },
  }
}

function feedPaths(): Paths {
  return {
    '/feeds/new.atom': {
      get: {
        tags: ['alerts'],
        operationId: 'getNewProgrammesFeed',
        summary: 'Atom feed of the newest programmes (50), by theme, level or territory',
        parameters: queryParameters(FeedQuerySchema, {
          themes: `${csvOf('theme ids')}: a programme about any of them`,
          level: 'Level of the funder',
          region: 'Région code: programmes open to it (not with departement: 400)',
          departement: 'Département code: programmes open to it',
        }, { themes: { examples: ['ecoles,sport'] }, region: { examples: ['27'] }, departement: { pattern: '^(\\d{2,3}|2[ABab])$', examples: ['89'] } }),
        responses: { 200: text('The feed', 'application/atom+xml'), 400: invalid() },
      },
    },
  }
}
