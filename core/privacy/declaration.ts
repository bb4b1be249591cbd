// What Guichet stores about people, declared once: each table (and each of its columns) that holds
// personal data or free text that may hold some, why it is kept, on what legal basis, for whom and
// for how long. The privacy notice (bot/pages/privacy-page.ts, GET /confidentialite), the
// processing record (RGPD art. 30, core/privacy/register.ts, GET /confidentialite/registre.csv and
// .xlsx) and the scheduled prune (runtime/sql/retention.ts) all read this list;
// test/privacy/declaration.test.ts reads the schema of a migrated database and fails on a table or
// a column that is neither here nor in NON_PERSONAL_TABLES.
//
// Retention ages are the ones the code keeps: chat sessions expire after 30 idle days
// (bot/conversation/session-store.ts SESSION_TTL_DAYS), the alerts ledger and the e-mail outbox are
// purged after 30 days (runtime/node/alerts-services.ts), admin sessions last 8 hours, login
// counters are forgotten after 24 hours (bot/admin/login-limits.ts).

export type Runtime = 'node' | 'workers'

export interface Retention {
  /** null: kept while the thing lives (a subscription until erased, an account until deleted). */
  days: number | null
  /** The column holding the reference timestamp (ISO text, or an ISO day) the age is counted from. */
  from: string
  /** Optional extra SQL condition on the rows that may be pruned. */
  where?: string
  /** French, as the notice shows it. */
  text: string
}

export interface DataDeclaration {
  id: string
  /** French. */
  label: string
  /** SQL table in runtime/sql/schema.ts. */
  table: string
  /** The columns of that table holding personal data (or free text that may hold it). */
  columns: readonly string[]
  /** The table's other columns, which hold no personal data (ids, dates, states, public programme data). */
  nonPersonalColumns: readonly string[]
  /** French: what the personal columns hold, in a few words. */
  content: string
  /** French: whose data. */
  subjects: string
  /** French. */
  purpose: string
  /** French. */
  legalBasis: string
  /** French. */
  recipients: string
  retention: Retention
  runtimes: readonly Runtime[]
}

const PUBLIC_TASK = "mission d'intérêt public (RGPD, art. 6.1.e)"
const USERS = 'agents et élus des collectivités qui utilisent l’assistant'
const SUBSCRIBERS = 'agents et élus des collectivités abonnés aux alertes'
const ADMINS = 'administrateurs et éditeurs du back-office'
const STAFF = "les agents habilités de l'organisme qui exploite le service (administrateurs du back-office)"
const BOTH: readonly Runtime[] = ['node', 'workers']

/** Attribution of a back-office change: the e-mail of the account that made it, kept with the change. */
function attribution(id: string, table: string, columns: readonly string[], nonPersonalColumns: readonly string[], what: string, from: string): DataDeclaration {
  return {
    id,
    label: `Auteur des modifications : ${what}`,
    table,
    columns,
    nonPersonalColumns,
    content: "adresse e-mail du compte qui a fait la modification",
    subjects: ADMINS,
    purpose: 'savoir qui a modifié le catalogue, pour pouvoir vérifier et corriger',
    legalBasis: PUBLIC_TASK,
    recipients: STAFF,
    retention: { days: null, from, text: "tant que la modification reste en vigueur (effacée avec elle) ; sur demande d'effacement, l'adresse est remplacée par un pseudonyme (« compte supprimé #… »)" },
    runtimes: BOTH,
  }
}

export const DATA_DECLARATION: readonly DataDeclaration[] = [
  {
    id: 'chat-sessions',
    label: "Conversations avec l'assistant",
    table: 'chat_sessions',
    columns: ['state', 'client_hash'],
    nonPersonalColumns: ['id', 'created_at', 'updated_at'],
    content: "texte libre des messages et faits compris (collectivité, type de porteur, thèmes, montants) ; empreinte chiffrée (HMAC) de l'adresse IP, jamais l'adresse",
    subjects: USERS,
    purpose: 'poursuivre la conversation d’un message à l’autre et proposer les aides adaptées ; limiter le nombre de conversations par poste',
    legalBasis: PUBLIC_TASK,
    recipients: STAFF + ' (aucun écran du back-office ne les affiche)',
    retention: { days: 30, from: 'updated_at', text: '30 jours après le dernier message, puis supprimée' },
    runtimes: BOTH,
  },
  {
    id: 'chat-understanding-log',
    label: 'Journal anonymisé de compréhension des messages',
    table: 'chat_understanding_log',
    columns: ['text'],
    nonPersonalColumns: ['id', 'at', 'collectivite_type', 'themes'],
    content:
      "texte des messages dont les adresses e-mail, numéros de téléphone, noms de collectivités et de personnes sont retirés ; type de collectivité et thèmes compris ; aucun identifiant de conversation ni de poste (tenu seulement si un administrateur l'active)",
    subjects: USERS,
    purpose: "améliorer la compréhension des messages par l'assistant",
    legalBasis: PUBLIC_TASK,
    recipients: STAFF,
    retention: { days: 180, from: 'at', text: '6 mois (180 jours), puis supprimé' },
    runtimes: BOTH,
  },
  {
    id: 'alert-subscriptions',
    label: 'Abonnements aux alertes',
    table: 'alert_subscriptions',
    columns: ['json'],
    nonPersonalColumns: ['id', 'created_at'],
    content: "adresse e-mail, adresse du webhook, référence de la conversation Teams, collectivité et critères suivis",
    subjects: SUBSCRIBERS,
    purpose: "envoyer les rappels d'échéance et les nouveaux appels à projets demandés",
    legalBasis: PUBLIC_TASK,
    recipients: STAFF + " ; le prestataire d'envoi d'e-mails (SMTP) choisi par l'organisme",
    retention: { days: null, from: 'created_at', text: "jusqu'à la suppression par le lien de gestion de l'alerte ; la désinscription efface aussitôt les adresses" },
    runtimes: BOTH,
  },
  {
    id: 'alert-deliveries',
    label: "Journal d'envoi des alertes",
    table: 'alert_deliveries',
    columns: ['subscription_id', 'channel', 'last_error', 'sent_at'],
    nonPersonalColumns: ['id', 'programme_id', 'kind', 'deadline', 'lead_days', 'state', 'attempts', 'next_attempt_at', 'expires_on', 'created_at', 'item', 'message_id', 'lost_on'],
    content: "quel abonnement a reçu quel rappel, par quel canal, quand, et l'erreur d'envoi éventuelle",
    subjects: SUBSCRIBERS,
    purpose: "ne jamais envoyer deux fois le même rappel ; réessayer un envoi en échec",
    legalBasis: PUBLIC_TASK,
    recipients: STAFF,
    retention: { days: 30, from: 'expires_on', where: "state IN ('sent', 'expired')", text: "30 jours après l'échéance du rappel ; effacé avec l'abonnement" },
    runtimes: BOTH,
  },
  {
    id: 'alert-outbox',
    label: "E-mails d'alerte en file d'envoi",
    table: 'alert_outbox',
    columns: ['subscription_id', 'recipient', 'subject', 'headers', 'text', 'html', 'error'],
    nonPersonalColumns: ['id', 'created_at', 'status'],
    content: "adresse du destinataire et contenu de l'e-mail",
    subjects: SUBSCRIBERS,
    purpose: "garder l'e-mail prêt quand aucun serveur SMTP n'est configuré (installation locale, essais)",
    legalBasis: PUBLIC_TASK,
    recipients: STAFF,
    retention: { days: 30, from: 'created_at', text: '30 jours, puis supprimé ; effacé avec l’abonnement' },
    runtimes: ['node'],
  },
  {
    id: 'teams-conversations',
    label: 'Conversations Microsoft Teams',
    table: 'conversation_references',
    columns: ['conversation_id', 'reference', 'tenant_id', 'user_aad_id'],
    nonPersonalColumns: ['channel_kind', 'welcomed_at', 'created_at', 'updated_at', 'disabled_reason'],
    content: 'identifiants Teams de la conversation, de l’organisation (tenant) et de l’utilisateur (Entra ID), nom affiché',
    subjects: USERS + ' dans Microsoft Teams',
    purpose: "répondre dans Teams et y envoyer les alertes demandées",
    legalBasis: PUBLIC_TASK,
    recipients: STAFF + ' ; Microsoft (Bot Framework), par lequel passent les messages Teams',
    retention: {
      days: 30,
      from: 'updated_at',
      where: 'disabled_reason IS NOT NULL',
      text: "tant que l'application est installée dans la conversation ; supprimée 30 jours après sa désinstallation (ou après que Teams a répondu que la conversation n'existe plus)",
    },
    runtimes: BOTH,
  },
  {
    id: 'admin-accounts',
    label: 'Comptes du back-office',
    table: 'admin_accounts',
    columns: ['email', 'password_hash'],
    nonPersonalColumns: ['id', 'role', 'disabled', 'created_at'],
    content: 'adresse e-mail, empreinte du mot de passe (scrypt), rôle',
    subjects: ADMINS,
    purpose: 'authentifier les personnes qui tiennent le catalogue',
    legalBasis: PUBLIC_TASK,
    recipients: "les administrateurs de l'organisme",
    retention: { days: null, from: 'created_at', text: "tant que le compte existe ; sur demande d'effacement, le compte est désactivé, ses sessions supprimées et son adresse remplacée partout par un pseudonyme (« compte supprimé #… »), pour que le journal des actions reste cohérent" },
    runtimes: BOTH,
  },
  {
    id: 'admin-sessions',
    label: 'Sessions du back-office',
    table: 'admin_sessions',
    columns: ['account_id'],
    nonPersonalColumns: ['id_hash', 'csrf', 'created_at', 'expires_at'],
    content: 'compte connecté et heure de connexion',
    subjects: ADMINS,
    purpose: 'garder la personne connectée',
    legalBasis: PUBLIC_TASK,
    recipients: "aucun (usage technique)",
    retention: { days: 1, from: 'created_at', text: '8 heures de validité, supprimée au plus tard le lendemain' },
    runtimes: BOTH,
  },
  {
    id: 'admin-login-limits',
    label: 'Échecs de connexion au back-office',
    table: 'admin_login_limits',
    columns: ['key'],
    nonPersonalColumns: ['failures', 'last_at'],
    content: "adresse e-mail saisie ou adresse IP, nombre d'échecs",
    subjects: ADMINS + ' et toute personne qui tente de se connecter',
    purpose: 'ralentir les tentatives de deviner un mot de passe (sécurité du traitement, RGPD art. 32)',
    legalBasis: PUBLIC_TASK,
    recipients: "aucun (usage technique)",
    retention: { days: 2, from: 'last_at', text: "oublié 24 heures après le dernier échec, supprimé sous 2 jours" },
    runtimes: BOTH,
  },
  {
    id: 'admin-unlock-tokens',
    label: 'Liens de déblocage de compte',
    table: 'admin_unlock_tokens',
    columns: ['account_id'],
    nonPersonalColumns: ['token_hash', 'created_at', 'expires_at', 'used_at'],
    content: 'compte concerné (le lien lui-même est conservé sous forme d’empreinte)',
    subjects: ADMINS,
    purpose: 'débloquer un compte verrouillé par un lien envoyé à son adresse (sécurité du traitement, RGPD art. 32)',
    legalBasis: PUBLIC_TASK,
    recipients: "aucun (usage technique)",
    retention: { days: 7, from: 'created_at', text: '1 heure de validité, supprimé après 7 jours' },
    runtimes: BOTH,
  },
  {
    id: 'admin-audit',
    label: 'Journal des actions du back-office',
    table: 'admin_audit',
    columns: ['actor', 'target', 'before', 'after'],
    nonPersonalColumns: ['id', 'at', 'action'],
    content: "adresse e-mail de l'auteur, objet modifié (peut être un compte et son adresse), valeurs avant et après ; une connexion échouée est inscrite avec sa date et son motif, sous l'adresse du compte si un compte la porte, sinon sous une empreinte de l'adresse saisie (HMAC par une clé secrète propre à la base, celle des demandes de droits : l'adresse n'est pas enregistrée et l'empreinte ne peut pas être comparée à une liste d'adresses sans cette clé)",
    subjects: ADMINS,
    purpose: 'retrouver qui a fait quoi dans le back-office (traçabilité, sécurité du traitement, RGPD art. 32)',
    legalBasis: PUBLIC_TASK,
    recipients: "les administrateurs de l'organisme",
    retention: { days: 365, from: 'at', text: "1 an, puis supprimée ; l'adresse d'un compte effacé y est remplacée par son pseudonyme" },
    runtimes: BOTH,
  },
  attribution('programme-overrides', 'programme_overrides', ['verified_by', 'updated_by'], ['programme_id', 'patch', 'hidden', 'verified_at', 'updated_at'], 'corrections des fiches', 'updated_at'),
  attribution('admin-programmes', 'admin_programmes', ['created_by', 'updated_by'], ['id', 'json', 'created_at', 'updated_at'], 'programmes créés dans le back-office', 'updated_at'),
  attribution('programme-merges', 'programme_merges', ['merged_by'], ['loser_id', 'winner_id', 'merged_at'], 'fusions de doublons', 'merged_at'),
  attribution('page-sources', 'page_sources', ['updated_by'], ['id', 'yaml', 'updated_at'], 'sources de pages', 'updated_at'),
]

export interface NonPersonalTable {
  table: string
  /** One line: why nothing in it is personal. */
  reason: string
  /** When the table is pruned at an age all the same (crawl history). */
  retention?: Retention
}

export const NON_PERSONAL_TABLES: readonly NonPersonalTable[] = [
  { table: 'schema_migrations', reason: 'versions of the schema applied' },
  { table: 'd1_migrations', reason: 'wrangler’s record of the migration files applied (D1 only)' },
  { table: 'sqlite_sequence', reason: 'SQLite’s AUTOINCREMENT counters' },
  {
    table: 'meta',
    reason:
      'service keys and values: the secret HMAC keys of the chat client hash and of the rights requests’ subject hash (rights_subject_key, which turns an address into the reference the audit and the erasure journal keep: it holds no address, and without it no reference can be tested against an address), index state, when a backup was taken (backup_taken_at, in a backup only)',
  },
  { table: 'index_builds', reason: 'search index build times and sizes' },
  { table: 'crawl_programmes', reason: 'funding programmes published by public funders' },
  { table: 'crawl_sources', reason: 'per-source crawl health (dates, last error)' },
  { table: 'crawl_http_cache', reason: 'cached public pages of the funders crawled (conditional GET)' },
  { table: 'crawl_runs', reason: 'crawl run history: dates, durations, sources, errors' },
  {
    table: 'crawl_events',
    reason: 'changes of public programmes (new, deadline moved…) for the alerts',
    retention: { days: 365, from: 'at', text: '1 an, puis supprimé' },
  },
  { table: 'crawl_lease_guard', reason: 'always empty: a guard row inside a crawl write' },
  { table: 'crawl_cursor', reason: 'when each source was last picked by the Workers crawl' },
  { table: 'alert_progress', reason: 'per subscription, the last digest day (dates only); erased with the subscription' },
  { table: 'alert_seen_programmes', reason: 'programmes already announced as new, with the day' },
  { table: 'admin_settings', reason: 'back-office settings (sources switched off, options): no data about a person' },
  { table: 'job_leases', reason: 'which process holds a scheduled job: host name, pid, boot id (of the server, not of a person)' },
]

/** Personal data kept outside the database's tables: the service's log lines (stdout; kept by the host), on Node the backups and the erasure journal, on Workers D1's own history. */
export interface LogDeclaration {
  id: string
  label: string
  /** French: where it is kept (the processing record's « Où » column). */
  where: string
  subjects: string
  content: string
  purpose: string
  legalBasis: string
  recipients: string
  retention: string
  runtimes: readonly Runtime[]
}

export const LOG_DECLARATION: readonly LogDeclaration[] = [
  {
    id: 'request-log',
    label: 'Journal technique des requêtes',
    where: 'journaux du serveur (sortie standard)',
    subjects: 'toute personne qui utilise le service',
    content:
      "une ligne par requête : identifiant de la requête, méthode, modèle de route (jamais l'adresse complète ni ses paramètres), statut, durée ; ni adresse IP, ni navigateur, ni contenu",
    purpose: "diagnostiquer une panne signalée (l'identifiant de requête relie l'erreur à sa ligne)",
    legalBasis: PUBLIC_TASK,
    recipients: "les personnes qui exploitent le serveur ; l'hébergeur",
    retention: "selon la rotation des journaux réglée par l'hébergeur (sortie standard du service)",
    runtimes: BOTH,
  },
]

/** GUICHET_BACKUP_KEEP_DAYS' default (core/config.ts): a week of daily backups. */
export const DEFAULT_BACKUP_KEEP_DAYS = 7

const days = (n: number): string => `${n} jour${n > 1 ? 's' : ''}`

/**
 * The stores outside the tables, for a runtime: the log lines, and on Node the backups
 * (runtime/node/backup.ts, pruned at `backupKeepDays` by each backup and by the hourly prune) and
 * the erasure journal a restore replays (runtime/node/erasure-journal.ts, pruned at the same age).
 */
export function offTableStores(runtime: Runtime, backupKeepDays: number = DEFAULT_BACKUP_KEEP_DAYS): LogDeclaration[] {
  const node: LogDeclaration[] = [
    {
      id: 'backups',
      label: 'Sauvegardes de la base',
      where: 'fichiers guichet-<date>.sqlite du dossier de sauvegarde (par défaut GUICHET_DATA_DIR/backups/)',
      subjects: 'toutes les personnes dont la base garde des données (voir les lignes précédentes)',
      content: "copie complète de la base à la date de la sauvegarde : tout ce qui précède, y compris ce qui a été effacé depuis",
      purpose: 'restaurer le service après une panne ou une erreur (disponibilité et résilience, RGPD art. 32)',
      legalBasis: PUBLIC_TASK,
      recipients: "les personnes qui exploitent le serveur ; l'hébergeur du stockage des sauvegardes",
      retention: `${days(backupKeepDays)} après la sauvegarde, puis le fichier est supprimé. Une donnée effacée reste dans les sauvegardes faites avant son effacement jusqu'à leur suppression ; une restauration rejoue aussitôt les effacements faits depuis la sauvegarde (journal des effacements)`,
      runtimes: ['node'],
    },
    {
      id: 'erasure-journal',
      label: 'Journal des effacements',
      where: 'fichier GUICHET_DATA_DIR/erasures.jsonl',
      subjects: "personnes qui ont supprimé leur alerte ou demandé l'effacement de leurs données",
      content: "date de l'effacement, empreinte chiffrée (HMAC, clé gardée dans la base) de l'adresse e-mail ou identifiant de l'abonnement supprimé ; jamais l'adresse",
      purpose: "effacer à nouveau, après la restauration d'une sauvegarde antérieure, ce qui avait été effacé depuis",
      legalBasis: PUBLIC_TASK,
      recipients: "aucun (usage technique)",
      retention: `${days(backupKeepDays)}, la durée de conservation des sauvegardes, puis supprimé`,
      runtimes: ['node'],
    },
  ]
  const workers: LogDeclaration = {
    id: 'd1-time-travel',
    label: 'Historique de la base (D1 Time Travel)',
    where: 'Cloudflare D1 (historique géré par Cloudflare)',
    subjects: 'toutes les personnes dont la base garde des données (voir les lignes précédentes)',
    content: "états antérieurs de la base, y compris ce qui a été effacé depuis",
    purpose: 'restaurer la base à un instant passé après une panne ou une erreur (disponibilité et résilience, RGPD art. 32)',
    legalBasis: PUBLIC_TASK,
    recipients: "Cloudflare, sous-traitant ; les personnes qui exploitent le déploiement",
    retention:
      "la durée d'historique que Cloudflare applique à D1 ; une donnée effacée y reste jusque-là. Une restauration à un instant antérieur ramènerait ce qui a été effacé depuis : l'organisme refait alors les effacements demandés depuis cet instant",
    runtimes: ['workers'],
  }
  return [...LOG_DECLARATION, ...node, workers].filter((l) => l.runtimes.includes(runtime))
}

/** Every pruning rule, personal or not, for the scheduled retention job. */
export function retentionRules(): { table: string; retention: Retention }[] {
  return [...DATA_DECLARATION, ...NON_PERSONAL_TABLES].flatMap((d) => (d.retention && d.retention.days !== null ? [{ table: d.table, retention: d.retention }] : []))
}
