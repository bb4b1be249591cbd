// The SessionStore port: where conversations live between turns (SQLite on Node, D1 on
// Workers). Sessions idle for longer than SESSION_TTL_DAYS are gone.
import type { DialogueState } from './state.ts'

export const SESSION_TTL_DAYS = 30

export interface StoredSession {
  state: DialogueState
  updatedAt: Date
}

export interface SessionStore {
  load(id: string): Promise<StoredSession | undefined>
  save(id: string, state: DialogueState, now: Date): Promise<void>
  /** Deletes sessions not touched since `before`; returns how many. */
  purgeIdle(before: Date): Promise<number>
}

export function isExpired(session: StoredSession, now: Date): boolean {
  return now.getTime() - session.updatedAt.getTime() > SESSION_TTL_DAYS * 86_400_000
}
