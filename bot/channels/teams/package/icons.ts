// The Teams app icons, drawn in code: a neutral speech-bubble mark. Color: 192×192, white mark on a
// slate-blue tile, the mark inside the central 96×96 safe zone. Outline: 32×32, white on
// transparent, as Teams requires. Edges are anti-aliased by 4×4 supersampling.
import { encodePng } from './png.ts'

export const ACCENT_COLOR = '#35597A'
const TILE: [number, number, number] = [0x35, 0x59, 0x7a]

/**
 * Whether a point (in units of the icon's size, 0..1) lies on the mark: a speech bubble with
 * three dots cut out, inside the central half of the icon.
 */
function onMark(x: number, y: number): boolean {
  const [left, right, top, bottom, radius] = [0.25, 0.75, 0.29, 0.65, 0.09]
  const cx = Math.min(Math.max(x, left + radius), right - radius)
  const cy = Math.min(Math.max(y, top + radius), bottom - radius)
  const bubble = x >= left && x <= right && y >= top && y <= bottom && Math.hypot(x - cx, y - cy) <= radius
  // The tail: a triangle under the bubble's lower left, pointing down-left.
  const t = (y - bottom) / 0.1
  const tail = t >= -0.05 && t <= 1 && x >= 0.33 - 0.03 * t && x <= 0.47 - 0.14 * t
  const dot = [0.37, 0.5, 0.63].some((dx) => Math.hypot(x - dx, y - 0.47) <= 0.045)
  return (bubble || tail) && !dot
}

function coverage(size: number, px: number, py: number): number {
  const n = 4
  let hits = 0
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (onMark((px + (i + 0.5) / n) / size, (py + (j + 0.5) / n) / size)) hits++
  return hits / (n * n)
}

export function colorIcon(size = 192): Uint8Array {
  const rgba = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(size, x, y)
      const o = (y * size + x) * 4
      rgba[o] = Math.round(TILE[0] + (255 - TILE[0]) * a)
      rgba[o + 1] = Math.round(TILE[1] + (255 - TILE[1]) * a)
      rgba[o + 2] = Math.round(TILE[2] + (255 - TILE[2]) * a)
      rgba[o + 3] = 255
    }
  }
  return encodePng(size, size, rgba)
}

export function outlineIcon(size = 32): Uint8Array {
  const rgba = new Uint8Array(size * size * 4)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4
      // The outline mark fills the icon: the mark, drawn for a 50 % safe zone, is scaled up.
      const a = coverageScaled(size, x, y)
      rgba.set([255, 255, 255, Math.round(255 * a)], o)
    }
  }
  return encodePng(size, size, rgba)
}

function coverageScaled(size: number, px: number, py: number): number {
  const n = 4
  let hits = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = (px + (i + 0.5) / n) / size
      const y = (py + (j + 0.5) / n) / size
      if (onMark(0.5 + (x - 0.5) / 1.75, 0.52 + (y - 0.5) / 1.75)) hits++
    }
  }
  return hits / (n * n)
}
