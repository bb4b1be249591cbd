// `npm run backup [-- --out <dossier>]` and `npm run restore -- <fichier>` (runtime/node/backup.ts).
import { parseConfig } from '../../core/config.ts'
import { BackupError, backupDatabase, restoreDatabase } from './backup.ts'

const HELP = `npm run backup [-- --out <dossier>]
npm run restore -- <fichier.sqlite>

  backup    copie cohérente de la base SQLite (GUICHET_DATA_DIR/guichet.sqlite), même serveur en marche,
            vérifiée (integrity_check), dans un fichier daté (par défaut GUICHET_DATA_DIR/backups/) ;
            supprime ensuite de ce dossier les sauvegardes de plus de GUICHET_BACKUP_KEEP_DAYS jours
            (7 par défaut ; le serveur élague aussi GUICHET_DATA_DIR/backups/ chaque heure)
  restore   remplace la base par une sauvegarde, après l'avoir vérifiée (refuse un fichier corrompu ou
            qui n'est pas une base Guichet), puis refait les effacements faits depuis la sauvegarde
            (journal GUICHET_DATA_DIR/erasures.jsonl) : rien d'effacé ne revient. Arrêtez le serveur avant.
  --help    cette aide

Code de sortie : 0 réussi, 1 refusé ou échoué, 2 usage.
`

async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv
  if (!verb || rest.includes('--help') || verb === '--help' || verb === '-h') {
    process.stdout.write(HELP)
    return verb ? 0 : 2
  }
  const config = parseConfig(process.env)
  try {
    if (verb === 'backup') {
      const at = rest.indexOf('--out')
      const outDir = at >= 0 ? rest[at + 1] : undefined
      if (at >= 0 && !outDir) throw new UsageError('--out : dossier manquant')
      const r = await backupDatabase(config.GUICHET_DATA_DIR, { ...(outDir ? { outDir } : {}), keepDays: config.GUICHET_BACKUP_KEEP_DAYS })
      process.stdout.write(`sauvegarde : ${r.file} (${r.bytes} octets)\n`)
      for (const old of r.pruned) process.stdout.write(`supprimée (plus de ${config.GUICHET_BACKUP_KEEP_DAYS} jours) : ${old}\n`)
      return 0
    }
    if (verb === 'restore') {
      const file = rest.find((a) => !a.startsWith('--'))
      if (!file) throw new UsageError('fichier de sauvegarde manquant')
      const r = await restoreDatabase(config.GUICHET_DATA_DIR, file)
      process.stdout.write(`base restaurée : ${r.file}${r.replaced ? ' (l\'ancienne base est remplacée)' : ''}\n`)
      const { entries, subjects, subscriptions } = r.replayed
      process.stdout.write(`effacements refaits depuis la sauvegarde : ${entries} au journal, ${subjects} adresse(s) et ${subscriptions} abonnement(s) effacés à nouveau\n`)
      return 0
    }
    throw new UsageError(`commande inconnue « ${verb} »`)
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n${HELP}`)
      return 2
    }
    if (err instanceof BackupError) {
      process.stderr.write(`${err.message}\n`)
      return 1
    }
    throw err
  }
}

class UsageError extends Error {}

process.exitCode = await main(process.argv.slice(2))
