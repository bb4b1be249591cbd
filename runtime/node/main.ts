// `npm start`: the Node server with embedded defaults (SQLite file, in-process index).
import { serve } from '@hono/node-server'
import { parseConfig } from '../../core/config.ts'
import { composeNode } from './compose.ts'
import { startCron } from './cron.ts'

const started = performance.now()
const config = parseConfig(process.env)
const services = await composeNode(config)
const server = serve({ fetch: services.app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST
  services.logger.info(`Guichet listening on http://${host}:${info.port}/`, { ms: Math.round(performance.now() - started), today: config.GUICHET_NOW ?? 'system clock' })
})

const cronJobs = startCron([{ name: 'reindex', expression: '5 0 * * *', run: services.reindex }], services.logger)

const stop = () => {
  cronJobs.stop()
  server.close()
  services.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
