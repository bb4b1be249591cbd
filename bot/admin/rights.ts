// A data subject's request answered by an admin, from the CLI (runtime/node/admin-cli.ts) or the
// back office (./privacy-admin.tsx): the export of all that concerns an e-mail address, or its
// erasure. Each leaves an audit entry that names the subject by a keyed hash of the address
// (RightsStore.subjectRef), never the address: the log proves that a request was answered, when,
// by whom and what it covered — and an admin holding the address finds its entries again (the
// same address gives the same hash: « Historique des demandes » in the back office) — while the log itself holds no address that an erasure would
// have to chase. A mask (« m•••@mairie.fr ») would still name the mairie and match several people.
import { z } from 'zod'
import type { AuditLog, ErasureAudit, ErasureCounts, RightsStore, SubjectExport } from './ports.ts'

export const RightsEmailSchema = z.email({ error: 'adresse e-mail invalide' }).max(254, { error: 'adresse e-mail trop longue (254 caractères au plus)' })

export interface RightsDeps {
  rights: RightsStore
  audit: Pick<AuditLog, 'record'>
}

export type RightsExport = SubjectExport & { exportedAt: string }

const countsOf = (d: SubjectExport): ErasureCounts => ({
  subscriptions: d.subscriptions.length,
  deliveries: d.deliveries.length,
  outbox: d.outbox.length,
  teamsConversations: d.teamsConversations.length,
  adminAccounts: d.backOffice.account ? 1 : 0,
  attributions: Object.values(d.backOffice.authored).reduce((n, rows) => n + rows.length, 0),
})

/** The export (plain JSON) and its audit entry `rights.export`. */
export async function exportSubject({ rights, audit }: RightsDeps, email: string, who: ErasureAudit): Promise<RightsExport> {
  const data = await rights.export(email)
  await audit.record({ at: who.at, actor: who.actor, action: 'rights.export', target: await rights.subjectRef(email), before: null, after: { via: who.via, ...countsOf(data) } })
  return { exportedAt: who.at, ...data }
}

/** The erasure, its audit entry `rights.erase` written in the same transaction. */
export function eraseSubject({ rights }: Pick<RightsDeps, 'rights'>, email: string, who: ErasureAudit): Promise<ErasureCounts> {
  return rights.erase(email, who)
}

/** « 2 abonnements, 5 envois, 3 e-mails, 1 conversation Teams » (and the back-office account, when there is one). */
export function describeCounts(c: Partial<ErasureCounts>): string {
  const n = (k: number | undefined, one: string, many: string) => `${k ?? 0} ${(k ?? 0) > 1 ? many : one}`
  const parts = [n(c.subscriptions, 'abonnement', 'abonnements'), n(c.deliveries, "ligne du journal d'envoi", "lignes du journal d'envoi"), n(c.outbox, 'e-mail en file', 'e-mails en file'), n(c.teamsConversations, 'conversation Teams', 'conversations Teams')]
  if (c.adminAccounts) parts.push(n(c.adminAccounts, 'compte du back-office (désactivé, adresse remplacée par un pseudonyme)', 'comptes du back-office (désactivés, adresses remplacées par un pseudonyme)'))
  if (c.attributions) parts.push(n(c.attributions, 'modification du catalogue attribuée désormais au pseudonyme', 'modifications du catalogue attribuées désormais au pseudonyme'))
  return parts.join(', ')
}
