// The ports of the admin desk (bot/admin): accounts, sessions, login throttle, audit log,
// programme overrides and settings. Runtime-agnostic: SQLite implementations live in
// runtime/node/admin-store.ts, the scrypt hasher in runtime/node/admin-hasher.ts.
import type { CreatedProgramme, ProgrammeMerge, ProgrammeOverride } from '../../content/curation.ts'
import type { LoginDecision, LoginLimits } from './login-limits.ts'

export const ROLES = ['admin', 'editor'] as const
export type Role = (typeof ROLES)[number]

export interface Account {
  id: string
  email: string
  role: Role
  disabled: boolean
  createdAt: string
}

export interface AccountStore {
  create(input: { email: string; role: Role; passwordHash: string; now: Date }): Promise<Account>
  findByEmail(email: string): Promise<(Account & { passwordHash: string }) | undefined>
  get(id: string): Promise<Account | undefined>
  list(): Promise<Account[]>
  update(id: string, patch: { role?: Role; disabled?: boolean; passwordHash?: string }): Promise<void>
}

/** Hashes with a random salt; the parameters travel inside the stored string. */
export interface PasswordHasher {
  hash(password: string): Promise<string>
  verify(password: string, stored: string): Promise<boolean>
}

export interface AdminSession {
  accountId: string
  csrf: string
  expiresAt: string
}

/** Sessions are stored under a hash of their id: a leaked table does not log anyone in. */
export interface AdminSessionStore {
  create(input: { idHash: string; accountId: string; csrf: string; now: Date; expiresAt: Date }): Promise<void>
  get(idHash: string, now: Date): Promise<AdminSession | undefined>
  delete(idHash: string): Promise<void>
  deleteForAccount(accountId: string): Promise<void>
}

/**
 * Login limits per account (its normalised e-mail, known or not) and per client address
 * (bot/admin/login-limits.ts), and the single-use unlock links. Each method is one transaction.
 */
export interface LoginThrottle {
  /** Reads both counters and decides; when the attempt may go on it is counted as a failure now (see `succeeded`). */
  begin(input: { account: string; address: string; now: Date }, limits: LoginLimits): Promise<LoginDecision>
  /** The password was right: the account's failures are forgotten (and its unlock links revoked), the address's charge refunded. */
  succeeded(input: { account: string; address: string; now: Date }): Promise<void>
  /** The account's failures and lock as they stand. */
  accountState(account: string, now: Date, limits: LoginLimits): Promise<{ failures: number; lockedUntil?: Date }>
  /** Clears an account's failures and lock, and revokes its unlock links (CLI, admin, password reset). */
  reset(account: string, now: Date): Promise<void>
  /** Clears an address's failures (CLI). */
  resetAddress(address: string): Promise<void>
  /** Stores an unlock link (its hash) unless the account already has a live one; true = stored, send it. */
  issueUnlock(input: { accountId: string; tokenHash: string; now: Date; expiresAt: Date }): Promise<boolean>
  /** What a link would do now, without using it. */
  unlockStatus(tokenHash: string, now: Date): Promise<UnlockStatus>
  /** Uses a live link: marks it used and clears its account's lock, in one transaction. */
  redeemUnlock(tokenHash: string, now: Date): Promise<UnlockStatus>
}
export type UnlockStatus = { status: 'live' | 'unlocked'; email: string } | { status: 'used' | 'expired' | 'unknown' }

/** E-mail from the admin desk (unlock links); the Node runtime sends it like the alerts (SMTP or the outbox). */
export interface AdminMailer {
  send(mail: { to: string; subject: string; text: string; html: string }): Promise<void>
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  action: string
  target: string
  before: unknown
  after: unknown
}

export interface AuditLog {
  record(entry: Omit<AuditEntry, 'id'>): Promise<void>
  /** Latest first. `target` exact; `actor` exact; `action` a prefix (`programme.` = every programme change); `beforeId` pages back. */
  list(query?: { target?: string; actor?: string; action?: string; beforeId?: number; limit?: number }): Promise<AuditEntry[]>
  /**
   * What the log keeps for an address it must not hold in clear (a failed login with an address no
   * account has): RightsStore.subjectRef's reference, a keyed hash (HMAC under
   * meta.rights_subject_key), the same for one address whatever its case.
   */
  subjectRef(email: string): Promise<string>
}

export { OVERRIDABLE_FIELDS } from '../../content/curation.ts'
export type { OverridableField, OverridePatch, ProgrammeOverride, CreatedProgramme, ProgrammeMerge } from '../../content/curation.ts'

export interface OverrideStore {
  all(): Promise<ProgrammeOverride[]>
  get(programmeId: string): Promise<ProgrammeOverride | undefined>
  put(override: ProgrammeOverride): Promise<void>
}

export interface SettingsStore {
  get(key: string): Promise<string | undefined>
  set(key: string, value: string, now: Date): Promise<void>
}

/** Several back-office changes and their audit entries, written in one transaction (all or nothing). */
export interface CurationBatch {
  overrides?: ProgrammeOverride[]
  created?: CreatedProgramme[]
  merges?: ProgrammeMerge[]
  /** Loser ids whose merge is undone. */
  unmerges?: string[]
  accountCreates?: { id: string; email: string; role: Role; passwordHash: string; createdAt: string }[]
  accountUpdates?: { id: string; patch: { role?: Role; disabled?: boolean; passwordHash?: string } }[]
  settings?: { key: string; value: string; at: string }[]
  audit: Omit<AuditEntry, 'id'>[]
}

export interface CurationStore {
  createdProgrammes(): Promise<CreatedProgramme[]>
  merges(): Promise<ProgrammeMerge[]>
  commit(batch: CurationBatch): Promise<void>
}

/** What an erasure by e-mail address removed. */
export interface ErasureCounts {
  subscriptions: number
  deliveries: number
  outbox: number
  teamsConversations: number
  /** A back-office account of this address, disabled and pseudonymised (0 or 1). */
  adminAccounts: number
  /** Catalogue changes whose author was this address, now named by the pseudonym. */
  attributions: number
}

/** Who erases, from where: the audit entry of an erasure. */
export interface ErasureAudit {
  at: string
  /** The back office account's e-mail, or `cli`. */
  actor: string
  via: 'cli' | 'back-office'
}

/** All that concerns one e-mail address (the right of access, RGPD art. 15; portability, art. 20): plain JSON. */
export interface SubjectExport {
  email: string
  /** The subscriptions with this address, as stored (channels, collectivité, criteria, digest progress). */
  subscriptions: Record<string, unknown>[]
  /** Their delivery ledger: what was (or will be) sent, when, by which channel. */
  deliveries: Record<string, unknown>[]
  /** E-mails kept in the outbox for them or sent to this address (recipient, subject, text, HTML). */
  outbox: Record<string, unknown>[]
  /** The Teams conversations their subscriptions alert (reference as stored). */
  teamsConversations: Record<string, unknown>[]
  /** A back-office account of this address, its sessions and login counter, the audit entries by it or about it, the catalogue changes it authored. */
  backOffice: BackOfficeExport
}

/** What the rights export says of a back-office account of that address. */
export interface BackOfficeExport {
  /** The account of this address (null when none); its password is kept only as a scrypt hash, which is not given. */
  account: (Record<string, unknown> & { passwordHash: string }) | null
  sessions: number
  unlockLinks: number
  loginLimits: Record<string, unknown>[]
  audit: Record<string, unknown>[]
  /** Per table, the catalogue changes this address is named as author of. */
  authored: Record<string, Record<string, unknown>[]>
}

/**
 * A data subject's rights by e-mail address, answered by an admin (CLI or back office). Addresses
 * compare without case. The audit log keeps `subjectRef`, never the address.
 */
export interface RightsStore {
  export(email: string): Promise<SubjectExport>
  /**
   * Every subscription with this address and all that hangs on it, and every outbox e-mail to it;
   * a back-office account of this address disabled, its sessions, unlock links and login counter
   * deleted, its address replaced by a pseudonym wherever it is named (audit, attributions); with the audit entry `rights.erase` (target: subjectRef; after: `via` and the counts), in one transaction.
   */
  erase(email: string, audit: ErasureAudit): Promise<ErasureCounts>
  /** `subject:` and a keyed hash of the normalised address: the same address always gives the same reference. */
  subjectRef(email: string): Promise<string>
}

/** The admin setting (admin_settings) that turns the anonymised understanding log on: '1' on, anything else off (the default). */
export const UNDERSTANDING_LOG_SETTING = 'privacy.understanding_log'

/** One chat turn as the anonymised understanding log keeps it: nothing that leads back to a session, a client or a person. */
export interface UnderstandingEntry {
  id: number
  at: string
  collectiviteType: string | null
  themes: string[]
  /** The message with e-mails, phones, collectivité and person names removed (core/privacy/anonymise.ts). */
  text: string
}

export interface UnderstandingLog {
  record(entry: Omit<UnderstandingEntry, 'id'>): Promise<void>
  /** Latest first. */
  list(limit: number): Promise<UnderstandingEntry[]>
  count(): Promise<number>
  /** Deletes every entry; returns how many. */
  clear(): Promise<number>
}
