// The alerts paths of the OpenAPI document (bot/openapi.ts) — where each runs is said by
// bot/openapi/runtimes.ts: subscriptions (the body from the zod schema the route validates with) and their signed
// manage links, the confirm and unsubscribe links, the ICS feed of a subscription, and the
// Atom feed of new programmes (its query from the route's zod schema).
import { FeedQuerySchema } from '../alerts/alerts-routes.ts'
import { THEME_IDS } from '../../core/themes.ts'
import { MANAGE_ACTIONS } from '../alerts/manage-routes.ts'
import { arr, bool, csvOf, error, html, invalid, type Json, obj, ok, type Paths, pathParam, queryParam, queryParameters, ref, str, text } from './kit.ts'

const subscriptionId = pathParam('id', 'Subscription id (from manageUrl)')
const token = (purpose: string) => queryParam('token', `Signed ${purpose} token, as in the link Guichet gave`, str, true)
/** A form's 400: the French page; a body over the public cap is refused before the route, as JSON naming body. */
const formRefused = (description: string) => ({ description: `${description}; a body over the public size cap: JSON error naming body`, content: { 'text/html': { schema: str }, 'application/json': { schema: ref('Error') } } })
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
          'An e-mail channel is pending until its owner opens the link sent by e-mail and clicks « Confirmer » on that page (GET /alerts/confirm shows it, POST /alerts/confirm confirms). ' +
          'A webhook URL must be https to a host whose every DNS address is public (no loopback, private, link-local or metadata address: 400 on channels.webhookUrl; checked again at each send, redirects never followed). ' +
          'Before answering, Guichet POSTs to it, signed like a delivery (X-Guichet-Timestamp, X-Guichet-Signature under webhookSecret), ' +
          '{"type":"confirmation","subscriptionId":…,"challenge":…,"deliveryId":…}; the webhook is active only if the receiver answers 2xx within 5 s with the JSON {"challenge":"<the same value>"}. ' +
          'Otherwise it stays pending (webhookConfirmation.reason says why) and receives nothing until POST /api/subscriptions/{id}/webhook/confirm succeeds. Keep manageUrl: it reads and erases the subscription; give a person managePageUrl, the French management page.',
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
        description: 'JSON for any client but a browser: a request whose Accept asks for text/html and not application/json (a person following an older message\'s link) is sent to the management page (303 to GET /alerts/{id}/manage, same token).',
        parameters: [subscriptionId, token('manage')],
        responses: {
          200: ok('The subscription (addresses masked)', obj({ subscription: ref('Subscription') })),
          303: { description: 'A browser: the management page (Location: /alerts/{id}/manage?token=…)', headers: { Location: { schema: str, description: 'The management page' } } },
          403: forbidden,
        },
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

/** The links Guichet sends: e-mail confirmation, the management page, unsubscribe, a subscription's ICS feed. */
function alertLinkPaths(): Paths {
  return {
    ...confirmAndManagePaths(),
    ...unsubscribeAndCalendarPaths(),
  }
}

/** The double opt-in page and its button, the management page and its forms. */
function confirmAndManagePaths(): Paths {
  return {
    '/alerts/confirm': {
      get: {
        tags: ['alerts'],
        operationId: 'getConfirmPage',
        summary: 'The double opt-in link (valid 7 days): a page saying what will be confirmed, with a « Confirmer » button that posts',
        description: 'Confirms nothing: a mail scanner fetching every link of the message leaves the subscription pending.',
        parameters: [token('confirm')],
        responses: { 200: html('The page with the button, or « already confirmed » (French page)'), 400: html('Invalid or expired link (French page)'), 404: html('The subscription no longer exists (French page)') },
      },
      post: {
        tags: ['alerts'],
        operationId: 'confirmSubscription',
        summary: 'Confirm an e-mail subscription (the page\'s « Confirmer » button)',
        description: 'The token in the form body (or, for a client, in ?token=). Refused (403 page) when the browser says the form came from another site.',
        parameters: [queryParam('token', 'Signed confirm token, when not in the body', str)],
        requestBody: {
          required: false,
          description: 'application/x-www-form-urlencoded, at most 8 KB',
          content: { 'application/x-www-form-urlencoded': { schema: obj({ token: { type: 'string', description: 'Signed confirm token, as in the link' } }, []), example: { token: 'confirm.<id>.<expiry>.<signature>' } } },
        },
        responses: {
          200: html('Confirmed, or already confirmed (French page)'),
          400: formRefused('Invalid or expired token, or a body that is not a form (French page)'),
          403: html('Sent from another site (French page)'),
          404: html('The subscription no longer exists (French page)'),
        },
      },
    },
    '/alerts/{id}/manage': {
      get: {
        tags: ['alerts'],
        operationId: 'getManagePage',
        summary: 'The French management page of a subscription (signed manage token): what is followed, its state, and forms to change, pause, export or erase it',
        parameters: [subscriptionId, token('manage')],
        responses: { 200: html('The page'), 403: html('Invalid token (French page)'), 404: html('The subscription no longer exists (French page)') },
      },
      post: {
        tags: ['alerts'],
        operationId: 'postManagePage',
        summary: 'The management page\'s forms: change preferences, pause, resume, export (JSON download), erase (asks first; erases with confirm=oui)',
        description:
          'A form body carrying the manage token (never in the URL). Refused (403 page) when the browser says the form came from another site (Sec-Fetch-Site, Origin). ' +
          'Answers the page again with a French message, a 400 page naming the field refused, or for export the JSON of everything kept (the subscription and its delivery ledger) as a download.',
        parameters: [subscriptionId],
        requestBody: {
          required: true,
          description: 'application/x-www-form-urlencoded, at most 8 KB; themes and leadTimes repeat (one field per box), unknown fields are refused',
          content: { 'application/x-www-form-urlencoded': { schema: manageFormSchema(), example: { token: 'manage.<id>..<signature>', action: 'preferences', themes: ['ecoles', 'sport'], leadTimes: ['30', '7'], leadTimeOther: '', newCalls: 'weekly' } } },
        },
        responses: {
          200: { description: 'The page again with what was done (text/html), or the export (application/json)', content: { 'text/html': { schema: str }, 'application/json': { schema: obj({ exportedAt: { type: 'string', format: 'date-time' }, subscription: { type: 'object' }, deliveries: arr({ type: 'object' }), outbox: arr({ type: 'object' }), teamsConversations: arr({ type: 'object' }) }) } } },
          400: formRefused('A field refused, named on the page (French page)'),
          403: html('Invalid token, or sent from another site (French page)'),
          404: html('The subscription no longer exists (French page)'),
        },
      },
    },
  }
}

function unsubscribeAndCalendarPaths(): Paths {
  return {
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

/** The management page's form fields (bot/alerts/manage-routes.ts): which apply depends on action. */
function manageFormSchema(): Json {
  return obj(
    {
      token: { type: 'string', description: 'Signed manage token, as in the link' },
      action: { enum: [...MANAGE_ACTIONS] },
      themes: arr({ enum: [...THEME_IDS] }),
      leadTimes: arr({ type: 'string', pattern: '^\\d{1,3}$', description: 'Days before a deadline (1 to 90); 1 to 6 in all with leadTimeOther' }),
      leadTimeOther: { type: 'string', description: 'One more lead time, in days, or empty' },
      newCalls: { enum: ['daily', 'weekly', 'off'] },
      confirm: { const: 'oui', description: 'action=erase: erases; without it, the page asks first' },
    },
    ['token', 'action'],
  )
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
