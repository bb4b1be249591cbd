// `npm run -s alerts -- <command>`: the alerts from the command line.
//   run            one digest now (GUICHET_NOW fixes the day), prints its report as JSON
//   retry          only resends what is due in the ledger (failed or left pending by a crash)
//   outbox [n]     the n last messages of the SQLite outbox (default 10), without their bodies
//   purge          deletes the ledger history of erased subscriptions and keys past their day (also nightly)
// Composed exactly as the server is (runtime/node/node-settings.ts → composeNode): the same
// SMTP_URL, ALERTS_SECRET, ALERTS_* and GUICHET_PUBLIC_URL, so its e-mails leave through the same
// server and its links are signed with the key the server checks. Without GUICHET_PUBLIC_URL,
// run and retry refuse to start (exit 2) and say so.
import { createLogger } from '../../core/logger.ts'
import { alertsSendProblem } from './alerts-config.ts'
import { readOutbox } from './alerts-mailer.ts'
import { composeNode } from './compose.ts'
import { parseNodeSettings } from './node-settings.ts'

const USAGE = 'usage: npm run -s alerts -- run | retry | outbox [n] | purge'

const HELP = `npm run -s alerts -- <commande>

  run          un envoi des rappels maintenant (GUICHET_NOW fixe le jour) ; affiche son rapport en JSON
  retry        renvoie seulement ce qui est dû dans le registre (échecs, ou envois laissés en suspens)
  outbox [n]   les n derniers messages de la boîte d'envoi SQLite (10 par défaut), sans leur corps
  purge        efface l'historique des abonnements supprimés et les clés périmées (aussi chaque nuit)
  --help       cette aide

Environnement : le même que celui du serveur (npm start) — GUICHET_DATA_DIR, GUICHET_PUBLIC_URL
(obligatoire pour run et retry : les liens des messages), SMTP_URL, MAIL_FROM, ALERTS_* (voir README).
Sans SMTP_URL, les courriels restent dans la boîte d'envoi SQLite : le rapport le dit (emailTransport).
Code de sortie : 0 réussi, 1 un envoi a échoué ou n'a pas pu commencer, 2 usage ou configuration incomplète.
`
const [command, arg] = process.argv.slice(2)
if (command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(HELP)
  process.exit(0)
}
if (!command || !['run', 'retry', 'outbox', 'purge'].includes(command)) {
  console.error(USAGE)
  process.exit(2)
}

const settings = parseNodeSettings(process.env)
// Checked before composing (which builds the catalogue and its index): a run that cannot send says so at once.
const problem = command === 'run' || command === 'retry' ? alertsSendProblem(settings.config) : undefined
if (problem) {
  console.error(`alerts ${command}: ${problem}`)
  process.exit(2)
}
// Logs go to stderr: stdout carries the report alone (JSON a script can read).
const logger = createLogger({ level: settings.config.LOG_LEVEL, write: (line) => process.stderr.write(`${line}\n`) })
const services = await composeNode(settings.config, { crawl: settings.crawl, alerts: settings.alerts, logger })
const alerts = services.alerts

let code = 0
try {
  if (command === 'outbox') {
    const n = Number(arg ?? 10)
    for (const m of readOutbox(services.db, Number.isInteger(n) && n > 0 ? n : 10)) {
      console.log(JSON.stringify({ id: m.id, createdAt: m.createdAt, status: m.status, subscriptionId: m.subscriptionId, subject: m.subject, ...(m.error ? { error: m.error } : {}) }))
    }
  } else if (command === 'purge') {
    await alerts.jobs.find((j) => j.name === 'alerts-purge')!.run()
  } else {
    const report = await alerts.runDigest({ retriesOnly: command === 'retry' })
    // « sent » by e-mail means handed to SMTP_URL's server; without it, left in the SQLite outbox.
    console.log(JSON.stringify({ ...report, emailTransport: alerts.emailTransport }, null, 2))
    const emails = report.messages.sent.email
    if (emails && alerts.emailTransport === 'outbox') console.error(`alerts ${command}: SMTP_URL absent — ${emails} courriel(s) laissé(s) dans la boîte d'envoi SQLite (alert_outbox), aucun n'est parti / no SMTP_URL: e-mails left in the outbox`)
    if (report.skipped || Object.values(report.messages.failed).some((n) => n > 0)) code = 1
  }
} catch (err) {
  console.error(`alerts ${command} failed: ${(err as Error).message}`)
  code = 1
} finally {
  services.close()
}
process.exit(code)
