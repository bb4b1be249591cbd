// The composed Node app serves /api/messages through the lazily loaded Teams channel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLazyTeamsChannel } from '../../runtime/node/lazy-teams.ts'
import { startServices } from '../helpers/node-services.ts'

let s: Awaited<ReturnType<typeof startServices>>
beforeAll(async () => {
  s = await startServices()
})
afterAll(() => s.dispose())

describe('Teams channel in the composed app', () => {
  it('answers POST /api/messages (a body that is not an activity → 400 naming the field)', async () => {
    const res = await s.app.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'world' }) })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toMatch(/type/)
  })

  it('refuses half a Bot Framework configuration at start-up, before loading botbuilder', () => {
    expect(() =>
      createLazyTeamsChannel({ dialogue: s.dialogue, sessions: s.sessions, references: s.teamsReferences, logger: s.logger, config: { appId: 'x' } }),
    ).toThrowError(/vont ensemble/)
  })
})
