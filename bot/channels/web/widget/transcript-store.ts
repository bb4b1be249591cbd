// Keeps the session id and the transcript in sessionStorage, so that the conversation
// survives a page change on the host site (same tab) and ends with the tab. Storage may be
// missing or full (private modes, quotas): the widget then simply forgets.
import type { Turn } from './types.ts'

const MAX_TURNS = 40

export interface SavedConversation {
  sessionId: string
  turns: Turn[]
}

export function createTranscriptStore(key: string) {
  function storage(): Storage | undefined {
    try {
      return window.sessionStorage
    } catch {
      return undefined
    }
  }
  return {
    load(): SavedConversation | undefined {
      try {
        const raw = storage()?.getItem(key)
        if (!raw) return undefined
        const saved = JSON.parse(raw) as SavedConversation
        return typeof saved.sessionId === 'string' && Array.isArray(saved.turns) ? saved : undefined
      } catch {
        return undefined
      }
    },
    save(conversation: SavedConversation): void {
      const turns = conversation.turns.slice(-MAX_TURNS)
      try {
        storage()?.setItem(key, JSON.stringify({ sessionId: conversation.sessionId, turns }))
      } catch {
        // Quota exceeded: keep at least the session, so the server still remembers the dialogue.
        try {
          storage()?.setItem(key, JSON.stringify({ sessionId: conversation.sessionId, turns: turns.slice(-4) }))
        } catch {
          /* storage unavailable */
        }
      }
    },
    clear(): void {
      try {
        storage()?.removeItem(key)
      } catch {
        /* storage unavailable */
      }
    },
  }
}

export type TranscriptStore = ReturnType<typeof createTranscriptStore>
