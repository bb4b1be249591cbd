// The record of processing activities (« registre des activités de traitement », RGPD art. 30)
// exported from the declaration: one row per kind of data (each table of DATA_DECLARATION, then
// the stores outside the tables: log lines, backups, erasure journal), with the controller and the DPO, the purpose, the legal basis, the people and
// the data concerned, the recipients, the transfers, the retention and the security measures. As
// rows for the CSV (French Excel: UTF-8 with BOM, « ; ») and the XLSX (bot/pages/legal-routes.ts).
import { csvField } from './csv.ts'
import { subProcessors, transfersText, type Controller } from './controller.ts'
import { DATA_DECLARATION, DEFAULT_BACKUP_KEEP_DAYS, offTableStores, type Runtime } from './declaration.ts'

export const REGISTER_HEADER = [
  'Identifiant',
  'Données',
  'Responsable du traitement',
  'Contact du responsable',
  'Délégué à la protection des données',
  'Finalité',
  'Base légale',
  'Personnes concernées',
  'Catégories de données',
  'Où (table et champs)',
  'Destinataires',
  'Sous-traitants',
  'Transferts hors UE',
  'Durée de conservation',
  'Mesures de sécurité',
] as const

/** What the code does to protect the data, in general terms (RGPD art. 30.1.g refers to art. 32). */
export const SECURITY_MEASURES =
  "accès au back-office par compte nominatif (mot de passe haché scrypt, sessions de 8 heures, jeton anti-CSRF, blocage progressif après échecs) ; journal des actions ; liens d'alerte signés ; adresse IP des utilisateurs jamais stockée (empreinte HMAC) ; limites de débit par client ; suppression automatique aux durées indiquées"

export function registerRows(controller: Controller, runtime: Runtime, backupKeepDays: number = DEFAULT_BACKUP_KEEP_DAYS): string[][] {
  const processors = subProcessors(runtime).map((p) => `${p.name} : ${p.role} (${p.where})`).join(' ; ') || 'aucun'
  const common = { transfers: transfersText(runtime) }
  const rows: string[][] = [[...REGISTER_HEADER]]
  for (const d of DATA_DECLARATION.filter((d) => d.runtimes.includes(runtime))) {
    rows.push([d.id, d.label, controller.name, controller.contact, controller.dpo, d.purpose, d.legalBasis, d.subjects, d.content, `${d.table} : ${d.columns.join(', ')}`, d.recipients, processors, common.transfers, d.retention.text, SECURITY_MEASURES])
  }
  for (const l of offTableStores(runtime, backupKeepDays)) {
    rows.push([l.id, l.label, controller.name, controller.contact, controller.dpo, l.purpose, l.legalBasis, l.subjects, l.content, l.where, l.recipients, processors, common.transfers, l.retention, SECURITY_MEASURES])
  }
  return rows
}

export function registerCsv(controller: Controller, runtime: Runtime, backupKeepDays: number = DEFAULT_BACKUP_KEEP_DAYS): string {
  return '\ufeff' + registerRows(controller, runtime, backupKeepDays).map((r) => r.map(csvField).join(';')).join('\r\n') + '\r\n'
}

/** The record as JSON: one object per row, keyed by the header. */
export function registerJson(controller: Controller, runtime: Runtime, backupKeepDays: number = DEFAULT_BACKUP_KEEP_DAYS): { runtime: Runtime; activities: Record<string, string>[] } {
  const [header, ...rows] = registerRows(controller, runtime, backupKeepDays)
  return { runtime, activities: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))) }
}
