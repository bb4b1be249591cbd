// What a Teams activity says, in the dialogue's terms: mentions stripped, card submits read,
// a choice label typed (or tapped as a suggested action) taken as that choice.
import { describe, expect, it } from 'vitest'
import { actionInput, conversationKind, incomingText, parseCardSubmit, sessionKey, tenantOf, textInput } from '../../bot/channels/teams/teams-input.ts'
import { initialState } from '../../bot/conversation/state.ts'

describe('Teams input', () => {
  it('strips @mentions and the HTML entities Teams sends', () => {
    expect(incomingText('<at>Guichet</at> Vézelay,&nbsp;éclairage public')).toBe('Vézelay, éclairage public')
    expect(incomingText('<at id="0">Guichet</at>\n<at id="1">Marie Dupont</at> on cherche &amp; vite')).toBe('on cherche & vite')
    expect(incomingText(undefined)).toBe('')
  })

  it('reads a card submit: the answer with its step and choice, an action, or nothing usable', () => {
    expect(parseCardSubmit({ guichet: 'answer', step: 3, slot: 'stage', choice: 'travaux', msteams: { type: 'messageBack' } })).toEqual({ kind: 'answer', step: 3, choice: 'travaux' })
    expect(parseCardSubmit({ guichet: 'answer', step: '4', slot: 'stage' })).toEqual({ kind: 'answer', step: 4, choice: undefined })
    expect(parseCardSubmit({ guichet: 'action', value: 'excluded' })).toEqual({ kind: 'action', value: 'excluded' })
    expect(parseCardSubmit({ verb: 'other-bot' })).toEqual({ kind: 'invalid' })
    expect(actionInput('restart')).toEqual({ text: 'recommencer' })
    expect(actionInput('refine')).toEqual({ choice: 'refine' })
  })

  it('a typed choice label answers the pending question like the card; other text stays text', () => {
    const state = { ...initialState(), pending: { slot: 'stage' as const, step: 4, text: 'Où en est le projet ?', choices: [{ value: 'etude', label: 'Études' }, { value: 'travaux', label: 'Travaux' }] } }
    expect(textInput(state, 'etudes')).toEqual({ choice: 'etude', step: 4 })
    expect(textInput(state, 'Travaux')).toEqual({ choice: 'travaux', step: 4 })
    expect(textInput(state, 'des travaux à Vézelay')).toEqual({ text: 'des travaux à Vézelay' })
    expect(textInput(undefined, 'Travaux')).toEqual({ text: 'Travaux' })
  })

  it('knows the conversation kind, the tenant and the session key', () => {
    expect(conversationKind({ conversation: { id: '19:a@thread.tacv2;messageid=1', conversationType: 'channel', isGroup: true, name: '' } })).toBe('channel')
    // The Bot Framework Emulator sends no conversationType: a one-to-one chat.
    expect(conversationKind({ conversation: { id: 'a:1', isGroup: false, name: '' } as never })).toBe('personal')
    expect(tenantOf({ channelData: { tenant: { id: 't1' } }, conversation: { id: 'a:1', tenantId: 't2', conversationType: 'personal', isGroup: false, name: '' } })).toBe('t1')
    expect(tenantOf({ conversation: { id: 'a:1', tenantId: 't2', conversationType: 'personal', isGroup: false, name: '' } })).toBe('t2')
    expect(sessionKey('a:1xyz')).toBe('teams:a:1xyz')
  })
})

describe('Teams replies', () => {
  it('keep a results message under Teams\' size limit by dropping the least relevant cards', async () => {
    const { replyActivities, MAX_ACTIVITY_CHARS } = await import('../../bot/channels/teams/reply-activities.ts')
    const item = (i: number) => ({
      id: `p${i}`, name: `Programme ${i}`, shortName: null, funders: ['État'], level: 'national', themes: [], summary: '', score: 1 - i / 100,
      eligibility: { status: 'eligible', reasons: ['x'.repeat(900), 'y'.repeat(900), 'z'.repeat(900)], toCheck: [], missing: [] },
      calendar: { status: 'open', estimated: false, label: 'Ouvert', daysLeft: 10 }, aid: { label: null, uncertain: false }, url: 'https://example.gouv.fr/', applyUrl: null, uncertain: [],
    })
    const [first] = replyActivities({ messages: [{ text: 'Voici' }], results: Array.from({ length: 10 }, (_, i) => item(i)) as never }, { kind: 'personal' })
    expect(JSON.stringify(first).length).toBeLessThanOrEqual(MAX_ACTIVITY_CHARS)
    expect(first!.attachments!.length).toBeGreaterThan(3)
    expect(first!.attachments!.length).toBeLessThan(10)
    expect((first!.attachments![0]!.content as any).body[0].text).toBe('Programme 0')
  })
})
