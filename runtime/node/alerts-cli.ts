// `npm run -s alerts -- <command>`: the alerts from the command line.
//   run            one digest now (GUICHET_NOW fixes the day), prints its report as JSON
//   retry          only resends what is due in the ledger (failed or left pending by a crash)
//   outbox [n]     the n last messages of the SQLite outbox (default 10), without their bodies
//   purge          deletes the ledger history of erased subscriptions and keys past their day (also nightly)
import { parseConfig } from '../../core/config.ts'
import { parseAlertsConfig } from './alerts-config.ts'
import { readOutbox } from './alerts-mailer.ts'
import { composeAlerts, type AlertsServices } from './alerts-services.ts'
import { composeNode } from './compose.ts'

const USAGE = 'usage: npm run -s alerts -- run | retry | outbox [n] | purge'

const HELP = `npm run -s alerts -- <commande>

  run          un envoi des rappels maintenant (GUICHET_NOW fixe le jour) ; affiche son rapport en JSON
  retry        renvoie seulement ce qui est dû dans le registre (échecs, ou envois laissés en suspens)
  outbox [n]   les n derniers messages de la boîte d'envoi SQLite (10 par défaut), sans leur corps
  purge        efface l'historique des abonnements supprimés et les clés périmées (aussi chaque nuit)
  --help       cette aide

Environnement : GUICHET_DATA_DIR, SMTP_URL, ALERTS_* (voir README).
Code de sortie : 0 réussi, 1 un envoi a échoué, 2 usage.
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

const config = parseConfig(process.env)
const alertsConfig = parseAlertsConfig(process.env)
const services = await composeNode(config)
// Once compose.ts wires the alerts (services.alerts), the CLI uses the same senders as the server.
const alerts: AlertsServices =
  (services as { alerts?: AlertsServices }).alerts ??
  composeAlerts({ db: services.db, config: { ...config, ...alertsConfig }, clock: services.clock, logger: services.logger, catalogue: services.catalogue, geography: services.geography })

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
    console.log(JSON.stringify(report, null, 2))
    if (report.skipped) code = 1
  }
} catch (err) {
  console.error(`alerts ${command} failed: ${(err as Error).message}`)
  code = 1
} finally {
  alerts.close()
  services.close()
}
process.exit(code)
