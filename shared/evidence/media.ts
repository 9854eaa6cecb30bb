// Images and PDFs are kept as they are; what the workstation shows about them is read from their
// headers: an image's format and dimensions, a PDF's version and page count. A truncated or
// corrupt header is an error (the original is still kept as an exhibit).
import type { EvidenceError } from './common';

export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp';

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
}

export interface PdfInfo {
  /** Null when the page tree is only in compressed object streams (not read here). */
  pageCount: number | null;
  /** From the header, e.g. '1.7'. */
  version: string;
  /** How the count was found: the root page tree's /Count, counting /Type /Page objects, or not at all. */
  pageCountMethod: 'root_count' | 'page_objects' | 'unknown';
}

export type MediaResult<T> = ({ ok: true } & T) | { ok: false; error: EvidenceError };

const problem = (messageKey: string, byteOffset: number, params: Record<string, string | number> = {}): { ok: false; error: EvidenceError } => ({
  ok: false,
  error: { messageKey, byteOffset, params: { byteOffset, ...params } },
});

const u16be = (b: Uint8Array, k: number) => (b[k]! << 8) | b[k + 1]!;
const u16le = (b: Uint8Array, k: number) => b[k]! | (b[k + 1]! << 8);
const u24le = (b: Uint8Array, k: number) => b[k]! | (b[k + 1]! << 8) | (b[k + 2]! << 16);
const u32be = (b: Uint8Array, k: number) => ((b[k]! << 24) | (b[k + 1]! << 16) | (b[k + 2]! << 8) | b[k + 3]!) >>> 0;
const u32le = (b: Uint8Array, k: number) => (b[k]! | (b[k + 1]! << 8) | (b[k + 2]! << 16) | (b[k + 3]! << 24)) >>> 0;
const tag = (b: Uint8Array, k: number, n = 4) => String.fromCharCode(...b.subarray(k, k + n));

let crcTable: Uint32Array | null = null;
/** CRC-32 (ISO-HDLC), as PNG chunks use. */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let k = 0; k < bytes.length; k++) crc = crcTable[(crc ^ bytes[k]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Format and dimensions of a PNG, JPEG, GIF or WEBP image, from its header. */
export function imageInfo(bytes: Uint8Array): MediaResult<ImageInfo> {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, k) => bytes[k] === b)) return png(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return jpeg(bytes);
  if (bytes.length >= 6 && (tag(bytes, 0, 6) === 'GIF87a' || tag(bytes, 0, 6) === 'GIF89a')) return gif(bytes);
  if (bytes.length >= 12 && tag(bytes, 0) === 'RIFF' && tag(bytes, 8) === 'WEBP') return webp(bytes);
  return problem('evidence.media.unsupported', 0);
}

function dimensions(format: ImageFormat, width: number, height: number, at: number): MediaResult<ImageInfo> {
  if (width <= 0 || height <= 0) return problem('evidence.media.corrupt', at);
  return { ok: true, format, width, height };
}

function png(b: Uint8Array): MediaResult<ImageInfo> {
  // Signature, then the IHDR chunk: length 13, type, width, height, bit depth, colour type, …, CRC.
  if (b.length < 33) return problem('evidence.media.truncated', b.length);
  if (u32be(b, 8) !== 13 || tag(b, 12) !== 'IHDR') return problem('evidence.media.corrupt', 8);
  if (crc32(b.subarray(12, 29)) !== u32be(b, 29)) return problem('evidence.media.corrupt', 29);
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const depth = b[24]!;
  const colour = b[25]!;
  if (width > 0x7fffffff || height > 0x7fffffff || ![1, 2, 4, 8, 16].includes(depth) || ![0, 2, 3, 4, 6].includes(colour)) return problem('evidence.media.corrupt', 16);
  return dimensions('png', width, height, 16);
}

/** SOFn markers carry the frame's dimensions (not DHT C4, JPG C8, DAC CC). */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(b: Uint8Array): MediaResult<ImageInfo> {
  let k = 2;
  for (;;) {
    if (k >= b.length) return problem('evidence.media.truncated', b.length);
    if (b[k] !== 0xff) return problem('evidence.media.corrupt', k);
    while (k < b.length && b[k] === 0xff) k++; // fill bytes
    if (k >= b.length) return problem('evidence.media.truncated', b.length);
    const marker = b[k]!;
    const at = k - 1;
    k++;
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // no length
    if (marker === 0xd9 || marker === 0xda || marker === 0x00) return problem('evidence.media.corrupt', at); // image data or end before a frame header
    if (k + 2 > b.length) return problem('evidence.media.truncated', b.length);
    const length = u16be(b, k);
    if (length < 2) return problem('evidence.media.corrupt', k);
    if (SOF.has(marker)) {
      if (length < 8) return problem('evidence.media.corrupt', k);
      if (k + 7 > b.length) return problem('evidence.media.truncated', b.length);
      return dimensions('jpeg', u16be(b, k + 5), u16be(b, k + 3), k + 3);
    }
    k += length;
  }
}

function gif(b: Uint8Array): MediaResult<ImageInfo> {
  if (b.length < 10) return problem('evidence.media.truncated', b.length);
  return dimensions('gif', u16le(b, 6), u16le(b, 8), 6);
}

function webp(b: Uint8Array): MediaResult<ImageInfo> {
  if (b.length < 20) return problem('evidence.media.truncated', b.length);
  const chunk = tag(b, 12);
  const size = u32le(b, 16);
  const d = 20;
  if (chunk === 'VP8 ') {
    if (size < 10) return problem('evidence.media.corrupt', 16);
    if (b.length < d + 10) return problem('evidence.media.truncated', b.length);
    if (b[d + 3] !== 0x9d || b[d + 4] !== 0x01 || b[d + 5] !== 0x2a) return problem('evidence.media.corrupt', d + 3);
    return dimensions('webp', u16le(b, d + 6) & 0x3fff, u16le(b, d + 8) & 0x3fff, d + 6);
  }
  if (chunk === 'VP8L') {
    if (size < 5) return problem('evidence.media.corrupt', 16);
    if (b.length < d + 5) return problem('evidence.media.truncated', b.length);
    if (b[d] !== 0x2f) return problem('evidence.media.corrupt', d);
    const b1 = b[d + 1]!;
    const b2 = b[d + 2]!;
    const b3 = b[d + 3]!;
    const b4 = b[d + 4]!;
    const width = 1 + (((b2 & 0x3f) << 8) | b1);
    const height = 1 + (((b4 & 0x0f) << 10) | (b3 << 2) | ((b2 & 0xc0) >> 6));
    return dimensions('webp', width, height, d + 1);
  }
  if (chunk === 'VP8X') {
    if (size < 10) return problem('evidence.media.corrupt', 16);
    if (b.length < d + 10) return problem('evidence.media.truncated', b.length);
    return dimensions('webp', 1 + u24le(b, d + 4), 1 + u24le(b, d + 7), d + 4);
  }
  return problem('evidence.media.corrupt', 12);
}

// ---------------------------------------------------------------------------------------------
// PDF

/** The bytes as a Latin-1 string (one character per byte), for searching the file's syntax. */
function binaryString(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let k = 0; k < bytes.length; k += 8192) parts.push(String.fromCharCode(...bytes.subarray(k, k + 8192)));
  return parts.join('');
}

/**
 * Version and page count of a PDF. The count is the root page tree's /Count (trailer /Root → catalog
 * /Pages → /Count, the latest definition of each object winning, as after incremental updates);
 * failing that, the objects whose type is /Page (not /Pages); when the page tree is only inside
 * compressed object streams, the count is null. A file without the `%PDF-` header (within its first
 * 1024 bytes) or without `%%EOF` near its end (a truncated file) is an error.
 */
export function pdfInfo(bytes: Uint8Array): MediaResult<PdfInfo> {
  const headText = binaryString(bytes.subarray(0, 1024));
  const header = /%PDF-(\d\.\d)/.exec(headText);
  if (!header) return problem('evidence.pdf.no_header', 0);
  const tail = binaryString(bytes.subarray(Math.max(0, bytes.length - 1024)));
  if (!tail.includes('%%EOF')) return problem('evidence.pdf.no_eof', bytes.length);
  const version = header[1]!;
  const text = binaryString(bytes);

  // Where each object is last defined.
  const objects = new Map<string, number>();
  const objPattern = /(?<![0-9])(\d+)\s+(\d+)\s+obj\b/g;
  for (let m = objPattern.exec(text); m; m = objPattern.exec(text)) objects.set(`${m[1]} ${m[2]}`, m.index + m[0].length);
  const body = (ref: string): string | null => {
    const start = objects.get(ref);
    if (start === undefined) return null;
    const end = text.indexOf('endobj', start);
    const stream = text.indexOf('stream', start);
    const stop = [end, stream].filter((x) => x >= 0);
    return text.slice(start, stop.length ? Math.min(...stop) : text.length);
  };

  let root: string | null = null;
  const rootPattern = /\/Root\s+(\d+)\s+(\d+)\s+R/g;
  for (let m = rootPattern.exec(text); m; m = rootPattern.exec(text)) root = `${m[1]} ${m[2]}`;
  if (root) {
    const catalog = body(root);
    const pagesRef = catalog && /\/Pages\s+(\d+)\s+(\d+)\s+R/.exec(catalog);
    const pages = pagesRef ? body(`${pagesRef[1]} ${pagesRef[2]}`) : null;
    const count = pages && /\/Count\s+(\d+)/.exec(pages);
    if (count) return { ok: true, version, pageCount: Number(count[1]), pageCountMethod: 'root_count' };
  }
  let pageObjects = 0;
  for (const ref of objects.keys()) {
    const b = body(ref);
    if (b && /\/Type\s*\/Page(?![A-Za-z0-9])/.test(b)) pageObjects++;
  }
  if (pageObjects > 0) return { ok: true, version, pageCount: pageObjects, pageCountMethod: 'page_objects' };
  return { ok: true, version, pageCount: null, pageCountMethod: 'unknown' };
}
