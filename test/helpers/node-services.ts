// Composes the real Node services (SQLite file in a temp folder, embedded index, real
// geography and catalogue) with a fixed clock, for tests that go through HTTP.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/logger.ts'
import { composeNode, type ComposeOptions, type NodeServices } from '../../runtime/node/compose.ts'

export async function startServices(env: Record<string, string> = {}, options: Omit<ComposeOptions, 'logger'> = {}): Promise<NodeServices & { dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-test-'))
  const services = await composeNode(parseConfig({ GUICHET_DATA_DIR: dir, GUICHET_NOW: '2026-03-01', ...env }), { logger: silentLogger, ...options })
  return {
    ...services,
    dispose() {
      services.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
