// `npm run backup [-- --out <dossier>]` and `npm run restore -- <fichier>` (runtime/node/backup.ts).
import { parseConfig } from '../../core/config.ts'
import { BackupError, backupDatabase, restoreDatabase } from './backup.ts'

const HELP = `npm run backup [-- --out <dossier>]
npm run restore -- <fichier.sqlite>

  backup    copie cohérente de la base SQLite (GUICHET_DATA_DIR/guichet.sqlite), même serveur en marche,
            vérifiée (integrity_check), dans un fichier daté (par défaut GUICHET_DATA_DIR/backups/)
  restore   remplace la base par une sauvegarde, après l'avoir vérifiée (refuse un fichier corrompu ou
            qui n'est pas une base Guichet). Arrêtez le serveur avant.
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
      const r = await backupDatabase(config.GUICHET_DATA_DIR, outDir ? { outDir } : {})
      process.stdout.write(`sauvegarde : ${r.file} (${r.bytes} octets)\n`)
      return 0
    }
    if (verb === 'restore') {
      const file = rest.find((a) => !a.startsWith('--'))
      if (!file) throw new UsageError('fichier de sauvegarde manquant')
      const r = restoreDatabase(config.GUICHET_DATA_DIR, file)
      process.stdout.write(`base restaurée : ${r.file}${r.replaced ? ' (l\'ancienne base est remplacée)' : ''}\n`)
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
