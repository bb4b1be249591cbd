// The outbound-request policy as data: the error a guarded request throws when its destination
// is refused (before any byte is sent), shared by the alerts (webhooks) and the crawler (page
// sources). The guard itself resolves names and connects: runtime/node/outbound-guard.ts.
import { blockedRange, parseIp } from './ip.ts'

/** The destination of an outbound request is refused: nothing was sent. `message` is French, for the recorded error. */
export class BlockedDestinationError extends Error {
  override readonly name = 'BlockedDestinationError'
  constructor(
    message: string,
    /** The host as the URL named it (not an address it resolved to). */
    readonly host: string,
    /** blocked: an address in a refused range; unresolved: no address for the name; invalid: not an http(s) URL. */
    readonly code: 'blocked' | 'unresolved' | 'invalid' = 'blocked',
  ) {
    super(message)
  }
}

export function isBlockedDestination(err: unknown): err is BlockedDestinationError {
  return err instanceof Error && err.name === 'BlockedDestinationError'
}

/**
 * Why a URL is refused without resolving anything (French), or undefined: its host is an address
 * literal in a refused range (in any spelling the URL parser accepts: 2130706433, 0x7f.1,
 * [::ffff:127.0.0.1]…) or a local name (localhost, *.localhost). Names are checked after DNS by
 * the guard; this is the check pure code (schemas) can make.
 */
export function literalDestinationProblem(raw: string): string | undefined {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return undefined
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return `adresse refusée : ${host}, boucle locale ; seules les adresses publiques sont admises`
  if (!parseIp(host)) return undefined
  const range = blockedRange(host)
  return range ? `adresse refusée : ${host}, ${range} ; seules les adresses publiques sont admises` : undefined
}
