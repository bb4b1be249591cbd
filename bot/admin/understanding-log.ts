// The anonymised understanding log, for improving how the dialogue reads French: a Dialogue that
// behaves as the one it wraps and, while an admin has turned the setting on in the back office
// (UNDERSTANDING_LOG_SETTING, off by default), keeps of each chat turn that carried text only the
// collectivité's type, the themes understood after the turn and the text anonymised
// (core/privacy/anonymise.ts: e-mails, phones, collectivité and person names removed). Nothing
// ties an entry to a session, a client or a Teams conversation. Off, nothing is written. A failure
// to log never fails the turn. The setting is read at each such turn (one indexed row).
import type { Clock } from '../../core/clock.ts'
import type { Logger } from '../../core/logger.ts'
import { anonymiseText } from '../../core/privacy/anonymise.ts'
import type { Dialogue } from '../conversation/dialogue.ts'
import type { DialogueState } from '../conversation/state.ts'
import { UNDERSTANDING_LOG_SETTING, type SettingsStore, type UnderstandingLog } from './ports.ts'

export interface UnderstandingLogDeps {
  settings: Pick<SettingsStore, 'get'>
  log: Pick<UnderstandingLog, 'record'>
  clock: Clock
  logger: Logger
}

export const understandingLogOn = async (settings: Pick<SettingsStore, 'get'>): Promise<boolean> => (await settings.get(UNDERSTANDING_LOG_SETTING)) === '1'

/** The collectivité names (and codes) a turn's text may hold: the one understood and the homonyms offered, before and after. */
function collectiviteNames(...states: (DialogueState | undefined)[]): string[] {
  const names = new Set<string>()
  for (const s of states) {
    for (const p of [s?.collectivite, ...(s?.candidates ?? [])]) {
      if (!p) continue
      names.add(p.name)
      names.add(p.code)
    }
  }
  return [...names]
}

export function withUnderstandingLog(dialogue: Dialogue, { settings, log, clock, logger }: UnderstandingLogDeps): Dialogue {
  return {
    async turn(state, input) {
      const out = await dialogue.turn(state, input)
      const text = input.text?.trim()
      if (!text) return out
      try {
        if (await understandingLogOn(settings)) {
          await log.record({
            at: clock.now().toISOString(),
            collectiviteType: out.state.collectivite?.type ?? null,
            themes: [...out.state.themes],
            text: anonymiseText(text, { collectivites: collectiviteNames(state, out.state) }),
          })
        }
      } catch (err) {
        logger.warn('understanding log failed', { error: (err as Error).message })
      }
      return out
    },
  }
}
