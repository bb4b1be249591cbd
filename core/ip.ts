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

/**
 * Ranges an outbound request (webhook, page source) may not reach: anything but public unicast.
 * Each entry: CIDR → French label. IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96), NAT64
 * (64:ff9b::/96) and 6to4 (2002::/16) addresses are judged by the IPv4 address they carry.
 */
const BLOCKED_V4: [string, string][] = [
  ['0.0.0.0/8', 'adresse non spécifiée (0.0.0.0/8)'],
  ['10.0.0.0/8', 'réseau privé (10.0.0.0/8)'],
  ['100.64.0.0/10', 'réseau partagé d\'opérateur (100.64.0.0/10)'],
  ['127.0.0.0/8', 'boucle locale (127.0.0.0/8)'],
  ['169.254.0.0/16', 'lien local ou métadonnées du nuage (169.254.0.0/16)'],
  ['172.16.0.0/12', 'réseau privé (172.16.0.0/12)'],
  ['192.0.0.0/24', 'plage réservée (192.0.0.0/24)'],
  ['192.0.2.0/24', 'plage de documentation (192.0.2.0/24)'],
  ['192.88.99.0/24', 'plage réservée (192.88.99.0/24)'],
  ['192.168.0.0/16', 'réseau privé (192.168.0.0/16)'],
  ['198.18.0.0/15', 'plage de test (198.18.0.0/15)'],
  ['198.51.100.0/24', 'plage de documentation (198.51.100.0/24)'],
  ['203.0.113.0/24', 'plage de documentation (203.0.113.0/24)'],
  ['224.0.0.0/4', 'multidiffusion (224.0.0.0/4)'],
  ['240.0.0.0/4', 'plage réservée ou diffusion (240.0.0.0/4)'],
]
const BLOCKED_V6: [string, string][] = [
  ['::/128', 'adresse non spécifiée (::)'],
  ['::1/128', 'boucle locale (::1)'],
  ['64:ff9b:1::/48', 'NAT64 local (64:ff9b:1::/48)'],
  ['100::/64', 'plage de rejet (100::/64)'],
  ['2001::/23', 'plage réservée IETF (2001::/23)'],
  ['2001:db8::/32', 'plage de documentation (2001:db8::/32)'],
  ['fc00::/7', 'réseau privé IPv6 (fc00::/7)'],
  ['fe80::/10', 'lien local IPv6 (fe80::/10)'],
  ['fec0::/10', 'site local IPv6 (fec0::/10)'],
  ['ff00::/8', 'multidiffusion IPv6 (ff00::/8)'],
]
let blockedMatchers: { v4: [(ip: string) => boolean, string][]; v6: [(ip: string) => boolean, string][] } | undefined

const v4Of = (b: number[]) => b.join('.')

/** Why this address is not public unicast (French label), or undefined when it is. An unreadable address is refused. */
export function blockedRange(ip: string): string | undefined {
  const bytes = parseIp(ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''))
  if (!bytes) return 'adresse illisible'
  blockedMatchers ??= {
    v4: BLOCKED_V4.map(([r, label]) => [cidr(r), label]),
    v6: BLOCKED_V6.map(([r, label]) => [cidr(r), label]),
  }
  if (bytes.length === 4) return blockedMatchers.v4.find(([m]) => m(v4Of(bytes)))?.[1]
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((x) => x === 0)
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible, deprecated), 64:ff9b::a.b.c.d (NAT64), 2002:aabb:ccdd:: (6to4).
  const mapped = zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff
  const compatible = zeros(0, 12) && !zeros(12, 14)
  const nat64 = bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zeros(4, 12)
  if (mapped || compatible || nat64) {
    const inner = blockedRange(v4Of(bytes.slice(12)))
    return inner ? `${inner}, dans une adresse IPv6` : undefined
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) {
    const inner = blockedRange(v4Of(bytes.slice(2, 6)))
    return inner ? `${inner}, dans une adresse 6to4` : undefined
  }
  const hex = bytes.map((x) => x.toString(16).padStart(2, '0')).join('')
  const text = hex.match(/.{4}/g)!.join(':')
  return blockedMatchers.v6.find(([m]) => m(text))?.[1]
}

/** A public unicast address: what an outbound request may reach. */
export function isPublicUnicast(ip: string): boolean {
  return blockedRange(ip) === undefined
}
