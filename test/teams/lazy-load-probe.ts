// Run in a process of its own by lazy-teams.test.ts (a fresh module cache): composes the Node app
// with TEAMS_SDK set to each SDK in turn (the order given in argv) and reports which SDKs' modules
// are loaded after start-up and after the first Teams activity. The SDKs are CommonJS packages:
// once loaded, their files are in require.cache. Prints one JSON line.
import { createRequire } from 'node:module'
import { startServices } from '../helpers/node-services.ts'
import { startFakeBotConnector } from './fake-bot-connector.ts'
import { personalMessage } from './teams-activities.ts'

const require = createRequire(import.meta.url)
const SDK_FILES = {
  botbuilder: /node_modules[\\/](botbuilder[^\\/]*|@microsoft[\\/]teams-ai)[\\/]/,
  agents: /node_modules[\\/]@microsoft[\\/]agents-[^\\/]+[\\/]/,
}
const loaded = () => Object.fromEntries(Object.entries(SDK_FILES).map(([sdk, files]) => [sdk, Object.keys(require.cache).some((f) => files.test(f))]))

const order = process.argv.slice(2)
const connector = await startFakeBotConnector()
const report: Record<string, unknown> = { atStart: loaded() }
for (const sdk of order) {
  const services = await startServices({ TEAMS_SDK: sdk })
  const composed = loaded()
  const mark = connector.captured.length
  const where = { serviceUrl: connector.serviceUrl, conversationId: `a:1lazyprobe${sdk}` }
  const res = await services.app.request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(personalMessage(where, 'Vézelay')) })
  report[sdk] = { channelSdk: services.teams.sdk, composed, status: res.status, replies: connector.since(mark, where.conversationId).length, afterFirstActivity: loaded() }
  services.dispose()
}
await connector.close()
process.stdout.write(`${JSON.stringify(report)}\n`)
