// Writes an 8-bit RGB PNG around scanlines the caller has prepared (each row: a filter byte, then
// the row's bytes). Used where Arbitra makes images itself: the demo's screenshots, test fixtures
// and bench content. Node only (zlib).
import zlib from 'node:zlib';
import { crc32 } from '../evidence/media';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The PNG of `width` × `height` RGB pixels whose filtered scanlines are `scanlines` ((width × 3 + 1) × height bytes). */
export function encodeRgbPng(width: number, height: number, scanlines: Uint8Array, options: { level?: number } = {}): Uint8Array {
  if (scanlines.length !== (width * 3 + 1) * height) throw new Error(`encodeRgbPng: ${scanlines.length} bytes of scanlines for ${width}×${height}`);
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no interlace
  const idat = new Uint8Array(options.level === undefined ? zlib.deflateSync(scanlines) : zlib.deflateSync(scanlines, { level: options.level }));
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
