// The outbound-request policy as data: the error a guarded request throws when its destination
// is refused (before any byte is sent), shared by the alerts (webhooks) and the crawler (page
// sources). The guard itself resolves names and connects: runtime/node/outbound-guard.ts.

/** The destination of an outbound request is refused: nothing was sent. `message` is French, for the recorded error. */
export class BlockedDestinationError extends Error {
  override readonly name = 'BlockedDestinationError'
  constructor(
    message: string,
    /** The host as the URL named it (not an address it resolved to). */
    readonly host: string,
  ) {
    super(message)
  }
}

export function isBlockedDestination(err: unknown): err is BlockedDestinationError {
  return err instanceof Error && err.name === 'BlockedDestinationError'
}
