// Draws the Teams app icons (a battery with a lightning bolt: UPS) and encodes them as PNG
// with nothing but zlib. Run `npx tsx scripts/teams-icons.ts` to rewrite appPackage/*.png.
//   color.png   192×192, full colour: white symbol on the accent green
//   outline.png  32×32, white symbol on transparent (Teams' rule for outline icons)
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const ACCENT = { r: 0x00, g: 0x95, b: 0x30 };

type Point = readonly [number, number];

// The symbol in a unit square: battery outline, its terminal, and a bolt inside.
const BODY = { x0: 0.2, y0: 0.26, x1: 0.8, y1: 0.9, radius: 0.08, stroke: 0.085 };
const TERMINAL = { x0: 0.38, y0: 0.13, x1: 0.62, y1: 0.26 };
const BOLT: Point[] = [
  [0.56, 0.33],
  [0.33, 0.62],
  [0.48, 0.62],
  [0.43, 0.84],
  [0.67, 0.53],
  [0.52, 0.53],
  [0.58, 0.33],
];

function insideRoundedRect(x: number, y: number, r: { x0: number; y0: number; x1: number; y1: number }, radius: number): boolean {
  if (x < r.x0 || x > r.x1 || y < r.y0 || y > r.y1) return false;
  const cx = Math.min(Math.max(x, r.x0 + radius), r.x1 - radius);
  const cy = Math.min(Math.max(y, r.y0 + radius), r.y1 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function insidePolygon(x: number, y: number, polygon: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function inSymbol(x: number, y: number): boolean {
  const s = BODY.stroke;
  const inner = { x0: BODY.x0 + s, y0: BODY.y0 + s, x1: BODY.x1 - s, y1: BODY.y1 - s };
  const ring = insideRoundedRect(x, y, BODY, BODY.radius) && !insideRoundedRect(x, y, inner, Math.max(BODY.radius - s, 0.01));
  const terminal = x >= TERMINAL.x0 && x <= TERMINAL.x1 && y >= TERMINAL.y0 && y <= TERMINAL.y1;
  return ring || terminal || insidePolygon(x, y, BOLT);
}

/** Symbol coverage per pixel (0..1), 4×4 supersampled; `inset` is the margin around the symbol. */
function coverage(size: number, inset: number): Float64Array {
  const out = new Float64Array(size * size);
  const span = 1 - 2 * inset;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const u = ((px + (sx + 0.5) / 4) / size - inset) / span;
          const v = ((py + (sy + 0.5) / 4) / size - inset) / span;
          if (inSymbol(u, v)) hits++;
        }
      }
      out[py * size + px] = hits / 16;
    }
  }
  return out;
}

/** RGBA pixels of the 192×192 colour icon. */
export function drawColorIcon(size = 192): Uint8Array {
  const cover = coverage(size, 0.2);
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const a = cover[i]!;
    rgba[i * 4] = Math.round(ACCENT.r + (255 - ACCENT.r) * a);
    rgba[i * 4 + 1] = Math.round(ACCENT.g + (255 - ACCENT.g) * a);
    rgba[i * 4 + 2] = Math.round(ACCENT.b + (255 - ACCENT.b) * a);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** RGBA pixels of the 32×32 outline icon: white, the symbol's shape in the alpha channel only. */
export function drawOutlineIcon(size = 32): Uint8Array {
  const cover = coverage(size, 0.03);
  const rgba = new Uint8Array(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    rgba.set([255, 255, 255, Math.round(255 * cover[i]!)], i * 4);
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** 8-bit RGBA PNG, no interlace, filter 0 on every row. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = new URL('../appPackage/', import.meta.url);
  writeFileSync(new URL('color.png', dir), encodePng(192, 192, drawColorIcon()));
  writeFileSync(new URL('outline.png', dir), encodePng(32, 32, drawOutlineIcon()));
  process.stderr.write('wrote appPackage/color.png and appPackage/outline.png\n');
}
