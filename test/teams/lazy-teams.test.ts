// The composed Node app serves /api/messages through the lazily loaded Teams channel: neither
// SDK is loaded before the first Teams activity, and then only the one TEAMS_SDK names.
import { spawnSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../core/config.ts'
import { createLazyTeamsChannel } from '../../runtime/node/lazy-teams.ts'
import { startServices } from '../helpers/node-services.ts'

let s: Awaited<ReturnType<typeof startServices>>
beforeAll(async () => {
  s = await startServices()
})
afterAll(() => s.dispose())

/** Runs lazy-load-probe.ts in a fresh process: composes the app for each SDK in that order, posts one activity. */
function probe(order: string[]): Record<string, any> {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/teams/lazy-load-probe.ts', ...order], { encoding: 'utf8', timeout: 60_000 })
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout.trim().split('\n').pop()!)
}

describe('Teams channel in the composed app', () => {
  it('answers POST /api/messages (a body that is not an activity → 400 naming the field)', async () => {
    const res = await s.app.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hello: 'world' }) })
    expect(res.status).toBe(400)
    expect(JSON.stringify(await res.json())).toMatch(/type/)
  })

  it('refuses half a Bot Framework configuration at start-up, before loading an SDK', () => {
    expect(() =>
      createLazyTeamsChannel({ dialogue: s.dialogue, sessions: s.sessions, references: s.teamsReferences, logger: s.logger, config: { appId: 'x' } }),
    ).toThrowError(/vont ensemble/)
  })

  it('TEAMS_SDK picks the SDK (botbuilder by default; anything else is refused with the accepted values)', () => {
    expect(s.teams.sdk).toBe('botbuilder')
    expect(parseConfig({}).TEAMS_SDK).toBe('botbuilder')
    expect(parseConfig({ TEAMS_SDK: 'agents' }).TEAMS_SDK).toBe('agents')
    expect(() => parseConfig({ TEAMS_SDK: 'bot-framework' })).toThrow(/TEAMS_SDK: botbuilder ou agents attendu/)
  })

  it('with TEAMS_SDK=agents and NODE_ENV=production, missing credentials stop the start (the Agents SDK would refuse at the first activity)', () => {
    const options = { dialogue: s.dialogue, sessions: s.sessions, references: s.teamsReferences, logger: s.logger, config: {}, sdk: 'agents' as const }
    expect(() => createLazyTeamsChannel(options, { NODE_ENV: 'production' })).toThrowError(/TEAMS_SDK=agents et NODE_ENV=production/)
    expect(createLazyTeamsChannel(options, { NODE_ENV: 'development' }).sdk).toBe('agents')
    expect(createLazyTeamsChannel({ ...options, sdk: 'botbuilder' }, { NODE_ENV: 'production' }).authEnabled).toBe(false)
  })

  it('loads neither SDK before the first Teams activity, then only the chosen one (agents, then botbuilder, in one process)', () => {
    const report = probe(['agents', 'botbuilder'])
    expect(report.atStart).toEqual({ botbuilder: false, agents: false })
    expect(report.agents).toEqual({ channelSdk: 'agents', composed: { botbuilder: false, agents: false }, status: 200, replies: 1, afterFirstActivity: { botbuilder: false, agents: true } })
    expect(report.botbuilder).toEqual({ channelSdk: 'botbuilder', composed: { botbuilder: false, agents: true }, status: 200, replies: 1, afterFirstActivity: { botbuilder: true, agents: true } })
  })

  it('the default SDK (botbuilder) alone never loads the Agents SDK', () => {
    const report = probe(['botbuilder'])
    expect(report.botbuilder).toEqual({ channelSdk: 'botbuilder', composed: { botbuilder: false, agents: false }, status: 200, replies: 1, afterFirstActivity: { botbuilder: true, agents: false } })
  })
})
