// The SessionStore port: where conversations live between turns (SQLite on Node, memory on
// Workers until D1). Sessions idle for longer than SESSION_TTL_DAYS are gone (a scheduled prune
// deletes them). A web session is saved with its owner (the client it was opened from): a client
// keeps at most `max` sessions, a new one beyond evicts its least recently used.
import type { DialogueState } from './state.ts'

export const SESSION_TTL_DAYS = 30

export interface StoredSession {
  state: DialogueState
  updatedAt: Date
}

export interface SessionOwner {
  /** The client key (an address); stores keep only a keyed hash of it. */
  client: string
  /** Sessions kept per client. */
  max: number
}

export interface SessionStore {
  load(id: string): Promise<StoredSession | undefined>
  /** Creates or updates a session; with an owner, a new session beyond the owner's `max` evicts its least recently used. */
  save(id: string, state: DialogueState, now: Date, owner?: SessionOwner): Promise<void>
  /** Deletes sessions not touched since `before`; returns how many. */
  purgeIdle(before: Date): Promise<number>
}

export function isExpired(session: StoredSession, now: Date): boolean {
  return now.getTime() - session.updatedAt.getTime() > SESSION_TTL_DAYS * 86_400_000
}
