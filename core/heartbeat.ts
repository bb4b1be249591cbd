// The heartbeat of a job that holds a lease (runtime/node/lease.ts): every `everyMs` it pushes
// the lease's expiry, on an unref'd timer (it never keeps a process alive). `renew` says whether
// the lease is still ours; the first false calls `onLost` once and stops the beat. A renew that
// throws (a busy database) is tried again at the next beat: the lease's TTL spans several beats.

/** Expiry of a job lease the heartbeat no longer pushes (a frozen or partitioned process). */
export const LEASE_TTL_MS = 45_000
/** Heartbeat period: several beats fit in one TTL, so one late beat loses nothing. */
export const LEASE_HEARTBEAT_MS = 10_000

export function startHeartbeat(renew: () => boolean | Promise<boolean>, everyMs: number, onLost: () => void): () => void {
  let stopped = false
  const timer = setInterval(() => {
    void Promise.resolve()
      .then(renew)
      .then(
        (held) => {
          if (held || stopped) return
          stopped = true
          clearInterval(timer)
          onLost()
        },
        () => {},
      )
  }, everyMs)
  ;(timer as { unref?: () => void }).unref?.()
  return () => {
    stopped = true
    clearInterval(timer)
  }
}
