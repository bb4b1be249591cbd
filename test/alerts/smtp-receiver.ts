// A real SMTP server for the alerts tests (smtp-server, read back with mailparser): what nodemailer
// sends — from this process or from a child (`npm run alerts`) — lands in `received`. It can be
// stopped (the port then refuses connections: an outage) and started again on the same port.
import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface SmtpReceiver {
  url: string
  received: ParsedMail[]
  /** Resolves once `count` messages arrived (parsing is asynchronous), or throws after `ms`. */
  waitFor(count: number, ms?: number): Promise<void>
  stop(): Promise<void>
  /** Listens again on the same port. */
  start(): Promise<void>
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const received: ParsedMail[] = []
  let server: SMTPServer | undefined
  let port = 0
  const listen = async () => {
    const s = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            received.push(mail)
            callback()
          })
          .catch(callback)
      },
    })
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject)
      s.listen(port, '127.0.0.1', () => resolve())
    })
    port = (s.server.address() as AddressInfo).port
    server = s
  }
  await listen()
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    async waitFor(count, ms = 10_000) {
      const until = Date.now() + ms
      while (received.length < count) {
        if (Date.now() > until) throw new Error(`SMTP: ${received.length} message(s) received, ${count} expected`)
        await new Promise((r) => setTimeout(r, 20))
      }
    },
    async stop() {
      const s = server
      server = undefined
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()))
    },
    start: listen,
  }
}
