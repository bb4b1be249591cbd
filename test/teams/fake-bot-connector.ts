// A local HTTP server playing the Bot Connector at the activities' serviceUrl: it records
// what the bot POSTs to /v3/conversations/:id/activities[/:replyToId] and answers 200 {id},
// or the status set for a conversation (403, 404) to play an uninstalled bot.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CapturedActivity {
  conversationId: string
  replyToId?: string
  authorization?: string
  activity: Record<string, any>
}

export interface FakeBotConnector {
  serviceUrl: string
  captured: CapturedActivity[]
  /** Activities captured since the mark, for one conversation. */
  since(mark: number, conversationId?: string): CapturedActivity[]
  refuse(conversationId: string, status: number): void
  close(): Promise<void>
}

export async function startFakeBotConnector(): Promise<FakeBotConnector> {
  const captured: CapturedActivity[] = []
  const refused = new Map<string, number>()
  let seq = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const m = url.pathname.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/)
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"code":"NotFound"}}')
        return
      }
      const conversationId = decodeURIComponent(m[1]!)
      const status = refused.get(conversationId)
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: status === 403 ? 'BotNotInConversationRoster' : 'ConversationNotFound', message: 'refused' } }))
        return
      }
      captured.push({
        conversationId,
        ...(m[2] ? { replyToId: decodeURIComponent(m[2]) } : {}),
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        activity: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      })
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `reply-${++seq}` }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    captured,
    since: (mark, conversationId) => captured.slice(mark).filter((c) => !conversationId || c.conversationId === conversationId),
    refuse: (conversationId, status) => void refused.set(conversationId, status),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
