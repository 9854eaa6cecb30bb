// Evidence images for the dossier bench, made deterministically from a seed: "photos" as baseline
// JPEG (jpeg-js, as playwright-core bundles and exports it: no package of our own) and phone
// "screenshots" as RGB PNG (deflate from node:zlib, filters chosen per row as libpng does). Both have
// the detail real evidence has (gradients, shapes, grain; text-like strokes), so their encoded sizes
// are those of real files of that size and kind: about 100–200 KB per 800×600 JPEG at quality 85,
// 60–150 KB per screenshot PNG. Either renderer gets the same bytes.
import { createRequire } from 'node:module';
import { encodeRgbPng } from '../../shared/pdf/png-encode';

const require = createRequire(import.meta.url);

interface JpegJs {
  encode(image: { data: Uint8Array; width: number; height: number }, quality: number): { data: Uint8Array };
}
let jpegjs: JpegJs | null = null;
function jpegEncoder(): JpegJs {
  jpegjs ??= (require('playwright-core/lib/utilsBundle') as { jpegjs: JpegJs }).jpegjs;
  if (!jpegjs || typeof jpegjs.encode !== 'function') throw new Error('playwright-core/lib/utilsBundle has no jpegjs encoder');
  return jpegjs;
}

/** Small fast PRNG (xorshift32) for pixel noise; seeded, so the same seed gives the same bytes. */
function xorshift(seed: number) {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v | 0);

/** A photo-like RGBA frame: sky/ground gradient, soft shapes, low-frequency light, grain. */
function paintPhoto(width: number, height: number, seed: number): Uint8Array {
  const rnd = xorshift(seed);
  const r01 = () => rnd() / 0x1_0000_0000;
  const px = new Uint8Array(width * height * 4);
  const top = [60 + r01() * 150, 80 + r01() * 150, 120 + r01() * 130];
  const bottom = [40 + r01() * 160, 30 + r01() * 150, 20 + r01() * 120];
  // Low-frequency lighting: a coarse grid of random offsets, bilinearly interpolated.
  const gw = 9;
  const gh = 7;
  const grid = Array.from({ length: gw * gh }, () => (r01() - 0.5) * 70);
  const shapes = Array.from({ length: 6 + (rnd() % 6) }, () => ({
    cx: r01() * width,
    cy: r01() * height,
    rx: 40 + r01() * width * 0.3,
    ry: 30 + r01() * height * 0.3,
    c: [r01() * 255, r01() * 255, r01() * 255],
    a: 0.4 + r01() * 0.5,
  }));
  for (let y = 0; y < height; y++) {
    const t = y / (height - 1);
    const gy = (y / height) * (gh - 1);
    const y0 = gy | 0;
    const fy = gy - y0;
    for (let x = 0; x < width; x++) {
      const gx = (x / width) * (gw - 1);
      const x0 = gx | 0;
      const fx = gx - x0;
      const a = grid[y0 * gw + x0]!;
      const b = grid[y0 * gw + x0 + 1]!;
      const c = grid[(y0 + 1) * gw + x0]!;
      const d = grid[(y0 + 1) * gw + x0 + 1]!;
      const light = a * (1 - fx) * (1 - fy) + b * fx * (1 - fy) + c * (1 - fx) * fy + d * fx * fy;
      let r = top[0]! * (1 - t) + bottom[0]! * t;
      let g = top[1]! * (1 - t) + bottom[1]! * t;
      let bl = top[2]! * (1 - t) + bottom[2]! * t;
      for (const s of shapes) {
        const dx = (x - s.cx) / s.rx;
        const dy = (y - s.cy) / s.ry;
        const q = dx * dx + dy * dy;
        if (q < 1) {
          const w = s.a * (1 - q * q); // soft edge
          r = r * (1 - w) + s.c[0]! * w;
          g = g * (1 - w) + s.c[1]! * w;
          bl = bl * (1 - w) + s.c[2]! * w;
        }
      }
      const grain = ((rnd() & 15) - 7.5) * 1.2;
      const k = (y * width + x) * 4;
      px[k] = clamp(r + light + grain);
      px[k + 1] = clamp(g + light + grain);
      px[k + 2] = clamp(bl + light + grain);
      px[k + 3] = 255;
    }
  }
  return px;
}

export function photoJpeg(width: number, height: number, seed: number, quality = 85): Uint8Array {
  const data = paintPhoto(width, height, seed);
  return new Uint8Array(jpegEncoder().encode({ data, width, height }, quality).data);
}

/** A chat-app screenshot (RGB): title bar, bubbles with text-like strokes, an avatar photo patch. */
function paintScreenshot(width: number, height: number, seed: number): Uint8Array {
  const rnd = xorshift(seed);
  const r01 = () => rnd() / 0x1_0000_0000;
  const px = new Uint8Array(width * height * 3);
  px.fill(0xf2);
  const rect = (x0: number, y0: number, w: number, h: number, c: readonly number[]) => {
    for (let y = Math.max(0, y0 | 0); y < Math.min(height, (y0 + h) | 0); y++)
      for (let x = Math.max(0, x0 | 0); x < Math.min(width, (x0 + w) | 0); x++) {
        const k = (y * width + x) * 3;
        px[k] = c[0]!;
        px[k + 1] = c[1]!;
        px[k + 2] = c[2]!;
      }
  };
  // Title bar in one of a few app colours.
  const bars = [[0x1f, 0x6f, 0xeb], [0x07, 0xc1, 0x60], [0xf0, 0xb9, 0x0b], [0x33, 0x33, 0x40]];
  const bar = bars[rnd() % bars.length]!;
  rect(0, 0, width, 56, bar);
  // Text-like strokes: glyph-sized blobs with antialiased edges, in lines.
  const text = (x0: number, y0: number, w: number, lines: number, ink: number) => {
    x0 = Math.round(x0);
    y0 = Math.round(y0);
    for (let l = 0; l < lines; l++) {
      let x = x0;
      const end = x0 + w * (l === lines - 1 ? 0.3 + r01() * 0.7 : 1);
      const baseY = y0 + l * 22;
      while (x < end - 12) {
        const gw = 9 + (rnd() % 6);
        for (let y = baseY; y < baseY + 14 && y < height; y++)
          for (let xx = x; xx < x + gw && xx < width; xx++) {
            if ((rnd() & 3) === 0) continue; // the gaps between a glyph's strokes
            const k = (y * width + xx) * 3;
            const v = ink + (rnd() & 63);
            px[k] = Math.min(px[k]!, v);
            px[k + 1] = Math.min(px[k + 1]!, v);
            px[k + 2] = Math.min(px[k + 2]!, v);
          }
        x += gw + 2 + (rnd() % 3 === 0 ? 8 : 0);
      }
    }
  };
  text(70, 20, 180, 1, 200);
  let y = 76;
  while (y < height - 80) {
    const mine = (rnd() & 1) === 1;
    const lines = 1 + (rnd() % 4);
    const w = Math.round(160 + r01() * (width * 0.55));
    const h = lines * 22 + 18;
    const x = mine ? width - w - 70 : 70;
    // Avatar: a small photo-like patch.
    const ax = mine ? width - 58 : 12;
    for (let yy = y; yy < y + 44 && yy < height; yy++)
      for (let xx = ax; xx < ax + 44; xx++) {
        const k = (yy * width + xx) * 3;
        px[k] = clamp(120 + (xx - ax) * 2 + (rnd() & 31));
        px[k + 1] = clamp(90 + (yy - y) * 2 + (rnd() & 31));
        px[k + 2] = clamp(150 - (xx - ax) + (rnd() & 31));
      }
    rect(x, y, w, h, mine ? [0x95, 0xec, 0x69] : [0xff, 0xff, 0xff]);
    text(x + 12, y + 10, w - 24, lines, 20);
    y += h + 18 + (rnd() % 20);
  }
  // Input bar.
  rect(0, height - 60, width, 60, [0xfa, 0xfa, 0xfa]);
  rect(16, height - 48, width - 120, 36, [0xff, 0xff, 0xff]);
  rect(width - 90, height - 48, 74, 36, bar);
  return px;
}

/** RGB 8-bit PNG, non-interlaced; per row the filter with the smallest sum of absolute values. */
export function encodePngRgb(rgb: Uint8Array, width: number, height: number): Uint8Array {
  const bpp = 3;
  const stride = width * bpp;
  const raw = new Uint8Array((stride + 1) * height);
  const cand = Array.from({ length: 5 }, () => new Uint8Array(stride));
  const zero = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = rgb.subarray(y * stride, (y + 1) * stride);
    const up = y > 0 ? rgb.subarray((y - 1) * stride, y * stride) : zero;
    let best = 0;
    let bestSum = Infinity;
    for (let f = 0; f < 5; f++) {
      const out = cand[f]!;
      let sum = 0;
      for (let i = 0; i < stride; i++) {
        const a = i >= bpp ? row[i - bpp]! : 0;
        const b = up[i]!;
        const c = i >= bpp ? up[i - bpp]! : 0;
        let pred = 0;
        if (f === 1) pred = a;
        else if (f === 2) pred = b;
        else if (f === 3) pred = (a + b) >> 1;
        else if (f === 4) {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
        const v = (row[i]! - pred) & 0xff;
        out[i] = v;
        sum += v < 128 ? v : 256 - v;
      }
      if (sum < bestSum) {
        bestSum = sum;
        best = f;
      }
    }
    raw[y * (stride + 1)] = best;
    raw.set(cand[best]!, y * (stride + 1) + 1);
  }
  return encodeRgbPng(width, height, raw, { level: 6 });
}

export function screenshotPng(width: number, height: number, seed: number): Uint8Array {
  return encodePngRgb(paintScreenshot(width, height, seed), width, height);
}
