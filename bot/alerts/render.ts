// A digest in French, for each channel: an e-mail (plain text and HTML, escaped — only our own
// texts and catalogue facts, never crawled HTML), an Adaptive Card for Teams, and the JSON of
// the webhook. Days left are counted on the day of sending, so a retried reminder stays true.
import { daysBetween } from '../../core/clock.ts'
import { formatDay } from '../../core/french.ts'
import { councilFacts, councilView, type CouncilSettings, type CouncilView } from '../../core/council-view.ts'
import type { CollectiviteProfile } from '../../core/profile.ts'
import { DEFAULT_COUNCIL_SETTINGS } from '../council-view.ts'
import { THEMES } from '../../core/themes.ts'
import type { DigestItem, ProgrammeRef } from './delivery.ts'
import type { AlertLinks } from './links.ts'
import type { OutgoingMail, TeamsActivity } from './senders.ts'
import type { Subscription } from './subscription.ts'

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!)
}

const collator = new Intl.Collator('fr')

type Section = 'reminder' | 'estimate' | 'change' | 'new_programme'
const SECTION_TITLES: Record<Section, string> = {
  reminder: 'Échéances à venir',
  estimate: 'Dates estimées (à confirmer)',
  change: 'Changements sur vos programmes',
  new_programme: 'Nouveaux appels pour votre collectivité',
}
const SECTION_ORDER: Section[] = ['reminder', 'change', 'estimate', 'new_programme']

function sectionOf(item: DigestItem): Section | undefined {
  switch (item.kind) {
    case 'reminder':
      return 'reminder'
    case 'estimate':
      return 'estimate'
    case 'new_programme':
      return 'new_programme'
    case 'deadline_moved':
    case 'closed_early':
    case 'new_edition':
      return 'change'
    case 'confirm':
      return undefined
  }
}

/** "aujourd'hui", "demain (J-1)", "dans 7 jours (J-7)". */
export function whenLabel(daysLeft: number): string {
  if (daysLeft <= 0) return 'aujourd\'hui'
  if (daysLeft === 1) return 'demain (J-1)'
  return `dans ${daysLeft} jours (J-${daysLeft})`
}

function nameOf(p: ProgrammeRef): string {
  return p.shortName && !p.name.includes(p.shortName) ? `${p.name} (${p.shortName})` : p.name
}

export interface RenderedLine {
  text: string
  url: string
  urlLabel: string
}

/** One item as one French sentence, with the link that goes with it. */
export function itemLine(item: Exclude<DigestItem, { kind: 'confirm' }>, today: string, council?: ReminderCouncil): RenderedLine {
  const p = item.programme
  const who = `${nameOf(p)} — ${p.funder}`
  const more = { url: p.url, urlLabel: 'Voir le programme' }
  switch (item.kind) {
    case 'reminder': {
      const left = daysBetween(today, item.deadline)
      return { text: `${who} : clôture le ${formatDay(item.deadline)}, ${whenLabel(left)}.${council ? ` ${councilSentence(item.deadline, today, council)}` : ''}`, ...(p.applyUrl ? { url: p.applyUrl, urlLabel: 'Déposer le dossier' } : more) }
    }
    case 'estimate': {
      const window = item.window && item.window.opensAt !== item.window.closesAt ? ` (fenêtre attendue du ${formatDay(item.window.opensAt)} au ${formatDay(item.window.closesAt)})` : ''
      return { text: `${who} : clôture attendue vers le ${formatDay(item.deadline)}${window}. Estimation d'après ${item.basis}, date à confirmer auprès du financeur.`, ...more }
    }
    case 'new_programme':
      return { text: `${who} : ${item.calendar}${item.status === 'unknown' ? ' — éligibilité à confirmer' : ''}.`, ...more }
    case 'deadline_moved': {
      const from = item.before.deadline ? ` du ${formatDay(item.before.deadline)}` : ''
      const to = item.after.deadline ? ` au ${formatDay(item.after.deadline)}` : ''
      return { text: `${who} : date limite déplacée${from}${to}.`, ...more }
    }
    case 'closed_early':
      return { text: `${who} : l'appel est clos plus tôt que prévu${item.before.deadline ? ` (la clôture était annoncée le ${formatDay(item.before.deadline)})` : ''}.`, ...more }
    case 'new_edition':
      return { text: `${who} : nouvelle édition${item.after.edition ? ` ${item.after.edition}` : ''}${item.after.deadline ? `, clôture le ${formatDay(item.after.deadline)}` : ''}.`, ...more }
  }
}

/** Whose council votes, and on which calendar, for the « dernier conseil utile » of a reminder. */
export interface ReminderCouncil {
  profile: CollectiviteProfile
  settings: CouncilSettings
}

/** The back-planning of a reminded deadline for the subscription's collectivité (core/council-view.ts). */
export function reminderCouncilView(deadline: string, today: string, { profile, settings }: ReminderCouncil): CouncilView {
  return councilView({ deadline, deadlineEstimated: false, ...councilFacts(profile), today, settings })
}

/** « Dernier conseil utile le jeudi 9 avril 2026 (convocation au plus tard le 5 avril 2026). », or the flag when none is in time. */
export function councilSentence(deadline: string, today: string, council: ReminderCouncil): string {
  const view = reminderCouncilView(deadline, today, council)
  return `${view.label}${view.beforeNextCouncil ? '' : ` ; délibération à prendre avant le ${formatDay(view.deliberateBy)} inclus`}.`
}

export interface DigestView {
  subject: string
  intro: string
  sections: { title: string; lines: RenderedLine[] }[]
}

export function digestView(items: DigestItem[], s: Subscription, today: string, council: CouncilSettings = DEFAULT_COUNCIL_SETTINGS): DigestView {
  const bySection = new Map<Section, Exclude<DigestItem, { kind: 'confirm' }>[]>()
  for (const item of items) {
    const sec = sectionOf(item)
    if (!sec || item.kind === 'confirm') continue
    const list = bySection.get(sec) ?? []
    list.push(item)
    bySection.set(sec, list)
  }
  const deadlineOf = (i: DigestItem) => ('deadline' in i ? i.deadline : '') || ''
  const sections = SECTION_ORDER.filter((sec) => bySection.has(sec)).map((sec) => ({
    title: SECTION_TITLES[sec],
    lines: bySection
      .get(sec)!
      .sort((a, b) => (deadlineOf(a) < deadlineOf(b) ? -1 : deadlineOf(a) > deadlineOf(b) ? 1 : collator.compare(a.programme.name, b.programme.name)))
      .map((i) => itemLine(i, today, { profile: s.profile, settings: council })),
  }))
  return { subject: subjectOf(bySection, today), intro: `Voici les alertes Guichet pour ${profileName(s.profile)}.`, sections }
}

function subjectOf(bySection: Map<Section, Exclude<DigestItem, { kind: 'confirm' }>[]>, today: string): string {
  const reminders = bySection.get('reminder') ?? []
  const total = [...bySection.values()].reduce((n, l) => n + l.length, 0)
  if (total === 1 && reminders.length === 1 && reminders[0]!.kind === 'reminder') {
    const r = reminders[0]!
    return `Rappel : ${r.programme.shortName ?? r.programme.name} clôture ${whenLabel(daysBetween(today, r.deadline))}, le ${formatDay(r.deadline)}`
  }
  const count = (sec: Section, one: string, many: string) => {
    const n = bySection.get(sec)?.length ?? 0
    return n ? `${n} ${n > 1 ? many : one}` : ''
  }
  const parts = [
    count('reminder', 'échéance', 'échéances'),
    count('change', 'changement', 'changements'),
    count('estimate', 'date estimée', 'dates estimées'),
    count('new_programme', 'nouvel appel', 'nouveaux appels'),
  ].filter(Boolean)
  return `Guichet : ${parts.join(', ')}`
}

export function profileName(p: CollectiviteProfile): string {
  if (p.type === 'commune' && !p.code) return p.departement ? `votre commune (${p.departement.name})` : 'votre commune'
  if (p.type === 'commune' && p.departement) return `${p.name} (${p.departement.code})`
  return p.name
}

/** The privacy notice (/confidentialite) on the same base as the message's other links. */
function privacyUrl(links: AlertLinks): string {
  return links.unsubscribeUrl.replace(/\/alerts\/unsubscribe\?.*$/, '/confidentialite')
}

function footerLines(s: Subscription, links: AlertLinks): string[] {
  const themes = s.themes.length ? ` — ${s.themes.map((t) => THEMES[t].label.toLowerCase()).join(', ')}` : ''
  return [
    `Vous recevez ce message parce que vous êtes abonné(e) aux alertes Guichet pour ${profileName(s.profile)}${themes}.`,
    `Gérer ou supprimer votre abonnement : ${links.managePageUrl}`,
    `Ajouter les échéances à votre agenda (Outlook, ICS) : ${links.icsUrl}`,
    `Se désabonner en un clic : ${links.unsubscribeUrl}`,
    `Vos données personnelles et vos droits : ${privacyUrl(links)}`,
  ]
}

/** RFC 2369 + RFC 8058: the one-click unsubscribe headers every message carries. */
export function unsubscribeHeaders(links: AlertLinks): Record<string, string> {
  return { 'List-Unsubscribe': `<${links.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
}

const STYLE = {
  body: 'font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#161616;max-width:640px',
  h2: 'font-size:17px;margin:20px 0 8px;color:#000091',
  small: 'font-size:13px;color:#555',
}

function htmlPage(title: string, inner: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="${STYLE.body}">${inner}</body></html>`
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`
}

export function renderDigestEmail({ to, items, subscription, links, today, council }: { to: string; items: DigestItem[]; subscription: Subscription; links: AlertLinks; today: string; council?: CouncilSettings }): OutgoingMail {
  const view = digestView(items, subscription, today, council)
  const text = [
    'Bonjour,',
    '',
    view.intro,
    ...view.sections.flatMap((sec) => ['', sec.title.toUpperCase(), ...sec.lines.map((l) => `• ${l.text}\n  ${l.urlLabel} : ${l.url}`)]),
    '',
    '--',
    ...footerLines(subscription, links),
  ].join('\n')
  const html = htmlPage(
    view.subject,
    [
      '<p>Bonjour,</p>',
      `<p>${escapeHtml(view.intro)}</p>`,
      ...view.sections.map((sec) => `<h2 style="${STYLE.h2}">${escapeHtml(sec.title)}</h2><ul>${sec.lines.map((l) => `<li>${escapeHtml(l.text)} ${link(l.url, l.urlLabel)}</li>`).join('')}</ul>`),
      `<hr><p style="${STYLE.small}">${escapeHtml(footerLines(subscription, links)[0]!)}<br>`,
      `${link(links.managePageUrl, 'Gérer ou supprimer mon abonnement')} · ${link(links.icsUrl, 'Ajouter les échéances à mon agenda')} · ${link(links.unsubscribeUrl, 'Se désabonner en un clic')} · ${link(privacyUrl(links), 'Données personnelles')}</p>`,
    ].join(''),
  )
  return { to, subject: view.subject, text, html, headers: unsubscribeHeaders(links), subscriptionId: subscription.id }
}

export function renderConfirmationEmail({ to, subscription, links, confirmUrl }: { to: string; subscription: Subscription; links: AlertLinks; confirmUrl: string }): OutgoingMail {
  const who = profileName(subscription.profile)
  const leads = subscription.leadTimes.map((l) => `J-${l}`).join(', ')
  const subject = 'Confirmez votre abonnement aux alertes Guichet'
  const ask = `Vous avez demandé à recevoir par e-mail les échéances des financements pour ${who} (rappels à ${leads}).`
  const text = [
    'Bonjour,',
    '',
    ask,
    '',
    `Pour confirmer votre adresse, ouvrez ce lien puis cliquez sur « Confirmer » : ${confirmUrl}`,
    '',
    'Sans confirmation, vous ne recevrez rien d\'autre ; le lien est valable 7 jours.',
    'Si vous n\'êtes pas à l\'origine de cette demande, ignorez ce message.',
    '',
    '--',
    `Se désabonner en un clic : ${links.unsubscribeUrl}`,
    `Vos données personnelles et vos droits : ${privacyUrl(links)}`,
  ].join('\n')
  const html = htmlPage(
    subject,
    [
      '<p>Bonjour,</p>',
      `<p>${escapeHtml(ask)}</p>`,
      `<p><a href="${escapeHtml(confirmUrl)}" style="display:inline-block;padding:10px 16px;background:#000091;color:#fff;text-decoration:none">Confirmer mon abonnement</a></p>`,
      '<p>Sans confirmation, vous ne recevrez rien d\'autre ; le lien est valable 7 jours.<br>Si vous n\'êtes pas à l\'origine de cette demande, ignorez ce message.</p>',
      `<hr><p style="${STYLE.small}">${link(links.unsubscribeUrl, 'Se désabonner en un clic')} · ${link(privacyUrl(links), 'Données personnelles')}</p>`,
    ].join(''),
  )
  return { to, subject, text, html, headers: unsubscribeHeaders(links), subscriptionId: subscription.id }
}

export function renderTeamsActivity({ items, subscription, links, today, council }: { items: DigestItem[]; subscription: Subscription; links: AlertLinks; today: string; council?: CouncilSettings }): TeamsActivity {
  const view = digestView(items, subscription, today, council)
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: view.subject, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: view.intro, wrap: true, spacing: 'Small' },
  ]
  for (const sec of view.sections) {
    body.push({ type: 'TextBlock', text: sec.title, weight: 'Bolder', wrap: true, spacing: 'Medium' })
    // Card text is Markdown: a programme name with [ ] or * must stay plain text.
    for (const l of sec.lines) body.push({ type: 'TextBlock', text: `• ${markdownText(l.text)} [${l.urlLabel}](${l.url})`, wrap: true, spacing: 'Small' })
  }
  return {
    type: 'message',
    text: view.subject,
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          type: 'AdaptiveCard',
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          version: '1.4',
          body,
          actions: [
            { type: 'Action.OpenUrl', title: 'Ajouter à mon agenda', url: links.icsUrl },
            { type: 'Action.OpenUrl', title: 'Gérer l\'abonnement', url: links.managePageUrl },
            { type: 'Action.OpenUrl', title: 'Se désabonner', url: links.unsubscribeUrl },
          ],
        },
      },
    ],
  }
}

function markdownText(s: string): string {
  return s.replace(/([\\`*_[\]()#>!])/g, '\\$1')
}

/** The webhook body: the items as data, with days left counted today. */
export function renderWebhookBody({ items, subscription, deliveryId, today, sentAt, links, council = DEFAULT_COUNCIL_SETTINGS }: { items: DigestItem[]; subscription: Subscription; deliveryId: string; today: string; sentAt: string; links: AlertLinks; council?: CouncilSettings }): Record<string, unknown> {
  const view = digestView(items, subscription, today, council)
  return {
    type: 'guichet.alerts.digest',
    version: 1,
    deliveryId,
    subscriptionId: subscription.id,
    sentAt,
    today,
    collectivite: { type: subscription.profile.type, code: subscription.profile.code, name: subscription.profile.name },
    subject: view.subject,
    items: items
      .filter((i) => i.kind !== 'confirm')
      .map((i) => ({ ...i, ...('deadline' in i && i.deadline ? { daysLeft: daysBetween(today, i.deadline) } : {}), ...(i.kind === 'estimate' ? { estimated: true } : {}), ...(i.kind === 'reminder' ? { council: webhookCouncil(i.deadline, today, { profile: subscription.profile, settings: council }) } : {}) })),
    links: { ics: links.icsUrl, unsubscribe: links.unsubscribeUrl },
  }
}

/** A reminder's council dates in the webhook body: the dates and the sentence of the e-mail. */
function webhookCouncil(deadline: string, today: string, council: ReminderCouncil): Record<string, unknown> {
  const v = reminderCouncilView(deadline, today, council)
  return { lastUsefulCouncil: v.lastUsefulCouncil, convocationBy: v.convocationBy, deliberateBy: v.deliberateBy, beforeNextCouncil: v.beforeNextCouncil, calendar: v.calendar.text, text: councilSentence(deadline, today, council) }
}
