// The PasswordHasher of the Node runtime: scrypt (node:crypto) with a random 16-byte salt;
// the stored string carries its parameters (scrypt$N$r$p$salt$hash), compared in constant time.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { PasswordHasher } from '../../bot/admin/ports.ts'

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))))
}

export function createScryptHasher({ N = 2 ** 15, r = 8, p = 1, keylen = 64 }: { N?: number; r?: number; p?: number; keylen?: number } = {}): PasswordHasher {
  const maxmem = 256 * N * r + 1024 * 1024
  return {
    async hash(password) {
      const salt = randomBytes(16)
      const key = await scrypt(password, salt, keylen, { N, r, p, maxmem })
      return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`
    },
    async verify(password, stored) {
      const parts = stored.split('$')
      if (parts.length !== 6 || parts[0] !== 'scrypt') return false
      const [n, rr, pp] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
      if (![n, rr, pp].every((x) => Number.isInteger(x) && x > 0) || n > 2 ** 20) return false
      const salt = Buffer.from(parts[4]!, 'base64url')
      const expected = Buffer.from(parts[5]!, 'base64url')
      const key = await scrypt(password, salt, expected.length, { N: n, r: rr, p: pp, maxmem: 256 * n * rr + 1024 * 1024 })
      return key.length === expected.length && timingSafeEqual(key, expected)
    },
  }
}
