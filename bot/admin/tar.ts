// A minimal ustar archive writer and reader (regular files only), so that an export unpacks
// with `tar -xf` straight into the repository and an edited tree can be imported back.
// Runtime-agnostic: Uint8Array and TextEncoder only.
import { concatBytes } from '../../core/bytes.ts'

const BLOCK = 512
const enc = new TextEncoder()
const dec = new TextDecoder()

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0'
}

function put(buf: Uint8Array, offset: number, text: string): void {
  buf.set(enc.encode(text), offset)
}

/** Splits a path into ustar prefix (≤155 bytes) and name (≤100 bytes). */
function splitPath(path: string): { prefix: string; name: string } {
  if (enc.encode(path).length <= 100) return { prefix: '', name: path }
  const parts = path.split('/')
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/')
    const name = parts.slice(i).join('/')
    if (enc.encode(prefix).length <= 155 && enc.encode(name).length <= 100) return { prefix, name }
  }
  throw new Error(`chemin trop long pour une archive tar : ${path}`)
}

export function writeTar(files: readonly { path: string; text: string }[], mtime: Date): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = []
  for (const f of files) {
    const body = enc.encode(f.text)
    const header = new Uint8Array(BLOCK)
    const { prefix, name } = splitPath(f.path)
    put(header, 0, name)
    put(header, 100, octal(0o644, 8))
    put(header, 108, octal(0, 8))
    put(header, 116, octal(0, 8))
    put(header, 124, octal(body.length, 12))
    put(header, 136, octal(Math.floor(mtime.getTime() / 1000), 12))
    put(header, 148, '        ')
    put(header, 156, '0')
    put(header, 257, 'ustar\0')
    put(header, 263, '00')
    put(header, 345, prefix)
    let sum = 0
    for (const b of header) sum += b
    put(header, 148, octal(sum, 7) + ' ')
    chunks.push(header, body, new Uint8Array((BLOCK - (body.length % BLOCK)) % BLOCK))
  }
  chunks.push(new Uint8Array(BLOCK * 2))
  return concatBytes(chunks)
}

function field(buf: Uint8Array, offset: number, length: number): string {
  const slice = buf.subarray(offset, offset + length)
  const end = slice.indexOf(0)
  return dec.decode(end === -1 ? slice : slice.subarray(0, end))
}

/** The regular files of a tar archive (ustar, GNU and pax path records). Throws on a malformed archive. */
export function readTar(data: Uint8Array): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = []
  let at = 0
  let paxPath: string | undefined
  let longName: string | undefined
  while (at + BLOCK <= data.length) {
    const header = data.subarray(at, at + BLOCK)
    if (header.every((b) => b === 0)) break
    let sum = 0
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!
    const stored = parseInt(field(header, 148, 8).trim(), 8)
    if (!Number.isFinite(stored) || stored !== sum) throw new Error(`archive tar illisible (en-tête corrompu à l'octet ${at})`)
    const size = parseInt(field(header, 124, 12).trim() || '0', 8)
    const type = String.fromCharCode(header[156] || 48)
    const prefix = field(header, 345, 155)
    const name = field(header, 0, 100)
    const start = at + BLOCK
    if (start + size > data.length) throw new Error('archive tar tronquée')
    const body = data.subarray(start, start + size)
    if (type === 'x') {
      const m = /\d+ path=([^\n]*)\n/.exec(dec.decode(body))
      paxPath = m?.[1]
    } else if (type === 'L') {
      longName = field(body, 0, body.length)
    } else if (type === '0' || type === '\0' || type === '7') {
      files.push({ path: paxPath ?? longName ?? (prefix ? `${prefix}/${name}` : name), text: dec.decode(body) })
      paxPath = undefined
      longName = undefined
    } else {
      paxPath = undefined
      longName = undefined
    }
    at = start + Math.ceil(size / BLOCK) * BLOCK
  }
  return files
}
