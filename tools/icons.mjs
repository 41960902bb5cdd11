// Draws Tend's icon (a white sprout on the brand green) as SVG and as PNGs
// for the web app manifest and iOS, with no image library: shapes are tested
// per sample, 4x4 samples a pixel, and PNGs written with node:zlib.
// Usage: node tools/icons.mjs          writes public/icons/
//        node tools/icons.mjs --check  fails if public/icons/ differs
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const OUT = new URL('../public/icons/', import.meta.url);
const GREEN = [0x1d, 0x5e, 0x51];
const WHITE = [0xff, 0xff, 0xff];
// Drawn on a 100-unit square, then scaled around the centre so the sprout
// stays inside the safe circle of a maskable icon (80 % of the width).
const SCALE = 0.8;

/// A leaf from tip `a` to tip `b`: the lens where two circles through both
/// tips overlap; `bulge` sets how far the circles' centres sit off the line.
function leaf(a, b, bulge) {
  const [mx, my] = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
  const half = Math.hypot(dx, dy) / 2;
  const [nx, ny] = [-dy / (2 * half), dx / (2 * half)];
  const off = bulge * half;
  const radius = Math.hypot(half, off);
  const c1 = [mx + nx * off, my + ny * off];
  const c2 = [mx - nx * off, my - ny * off];
  return {
    inside: (x, y) => Math.hypot(x - c1[0], y - c1[1]) <= radius && Math.hypot(x - c2[0], y - c2[1]) <= radius,
    svg: `<path d="M${a[0]} ${a[1]}A${r(radius)} ${r(radius)} 0 0 1 ${b[0]} ${b[1]}A${r(radius)} ${r(radius)} 0 0 1 ${a[0]} ${a[1]}Z"/>`,
  };
}

/// The stem: a rounded bar from (x, top) to (x, bottom).
function stem(x, top, bottom, width) {
  const w = width / 2;
  return {
    inside: (px, py) => {
      const cy = Math.min(Math.max(py, top + w), bottom - w);
      return Math.hypot(px - x, py - cy) <= w;
    },
    svg: `<rect x="${x - w}" y="${top}" width="${width}" height="${bottom - top}" rx="${w}"/>`,
  };
}

const r = (n) => Math.round(n * 100) / 100;
const SHAPES = [stem(50, 52, 82, 7), leaf([50, 56], [20, 36], 1.1), leaf([50, 47], [82, 20], 1.1)];

export function svg() {
  const t = r((1 - SCALE) * 50);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" height="100" fill="#1d5e51"/><g fill="#fff" transform="translate(${t} ${t}) scale(${SCALE})">${SHAPES.map((s) => s.svg).join('')}</g></svg>\n`;
}

function coverage(px, py, size) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy += 1) {
    for (let sx = 0; sx < 4; sx += 1) {
      // Back from the pixel to the 100-unit drawing.
      const x = ((px + (sx + 0.5) / 4) / size * 100 - 50) / SCALE + 50;
      const y = ((py + (sy + 0.5) / 4) / size * 100 - 50) / SCALE + 50;
      if (SHAPES.some((s) => s.inside(x, y))) hits += 1;
    }
  }
  return hits / 16;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/// An opaque RGB PNG of the icon, `size` pixels square.
export function png(size) {
  const rows = Buffer.alloc(size * (1 + size * 3));
  for (let y = 0; y < size; y += 1) {
    const row = y * (1 + size * 3);
    rows[row] = 0; // no filter
    for (let x = 0; x < size; x += 1) {
      const a = coverage(x, y, size);
      for (let c = 0; c < 3; c += 1) rows[row + 1 + x * 3 + c] = Math.round(GREEN[c] * (1 - a) + WHITE[c] * a);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const ICONS = {
  'icon.svg': () => Buffer.from(svg()),
  'icon-192.png': () => png(192),
  'icon-512.png': () => png(512),
  'apple-touch-icon.png': () => png(180),
};

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  mkdirSync(OUT, { recursive: true });
  const stale = [];
  for (const [name, make] of Object.entries(ICONS)) {
    const bytes = make();
    const path = new URL(name, OUT);
    if (check) {
      let old = null;
      try {
        old = readFileSync(path);
      } catch {
        // missing
      }
      if (!old || !old.equals(bytes)) stale.push(name);
    } else {
      writeFileSync(path, bytes);
    }
  }
  if (stale.length) {
    console.error(`public/icons/ is not what tools/icons.mjs draws: ${stale.join(', ')}; run node tools/icons.mjs`);
    process.exit(1);
  }
  console.log(check ? 'icons are up to date' : `wrote ${Object.keys(ICONS).length} icons to public/icons/`);
}
