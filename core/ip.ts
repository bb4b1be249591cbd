// IP addresses as data: parse IPv4/IPv6, normalise IPv4-mapped IPv6, match CIDR ranges.
// Used by the client-address reader (trusted proxies) and by the outbound-request guard (SSRF).

export function normaliseIp(ip: string): string {
  const s = ip.trim().toLowerCase()
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s)
  return mapped ? mapped[1]! : s
}

/** Address or CIDR entries (e.g. TRUSTED_PROXIES) → matchers. Throws on an entry that is neither. */
export function parseTrustedProxies(entries: readonly string[]): Array<(ip: string) => boolean> {
  return entries.flatMap((entry) => {
    const e = entry.trim().toLowerCase()
    if (!e) return []
    if (e === 'loopback') return [cidr('127.0.0.0/8'), cidr('::1/128')]
    if (e.includes('/')) return [cidr(e)]
    if (!parseIp(e)) throw new Error(`TRUSTED_PROXIES: « ${entry} » is neither an IP address nor a CIDR range`)
    return [cidr(`${e}/${e.includes(':') ? 128 : 32}`)]
  })
}

export function cidr(range: string): (ip: string) => boolean {
  const [base, bitsRaw] = range.split('/')
  const net = parseIp(normaliseIp(base ?? ''))
  const bits = Number(bitsRaw)
  if (!net || !Number.isInteger(bits) || bits < 0 || bits > net.length * 8) throw new Error(`TRUSTED_PROXIES: « ${range} » is not a valid CIDR range`)
  return (ip) => {
    const addr = parseIp(normaliseIp(ip))
    if (!addr || addr.length !== net.length) return false
    for (let i = 0; i < bits; i++) {
      const byte = i >> 3
      const mask = 0x80 >> (i & 7)
      if ((addr[byte]! & mask) !== (net[byte]! & mask)) return false
    }
    return true
  }
}

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address, or undefined. */
export function parseIp(raw: string): number[] | undefined {
  const s = raw.trim()
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const parts = s.split('.').map(Number)
    return parts.every((p) => p <= 255) ? parts : undefined
  }
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return undefined
  let head = s
  let tail: number[] = []
  const v4 = /:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s)
  if (v4) {
    const four = parseIp(v4[1]!)
    if (!four) return undefined
    tail = four
    head = s.slice(0, s.length - v4[1]!.length) + '0:0'
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const groups = (h: string) => (h ? h.split(':') : [])
  const left = groups(halves[0]!)
  const right = halves.length === 2 ? groups(halves[1]!) : []
  const missing = 8 - left.length - right.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const all = [...left, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...right]
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined
  const bytes = all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff])
  if (tail.length) bytes.splice(12, 4, ...tail)
  return bytes
}
