// Images and PDFs: dimensions and page counts from their headers; truncated or corrupt headers refused.
import { describe, it, expect } from 'vitest';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { crc32, imageInfo, pdfInfo } from '../../../shared/evidence/media';

const u32be = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const u32le = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** A PNG's signature and IHDR chunk (with a correct CRC), then an IEND chunk. */
function png(width: number, height: number, { badCrc = false, colour = 6 } = {}): Uint8Array {
  const ihdr = [...ascii('IHDR'), ...u32be(width), ...u32be(height), 8, colour, 0, 0, 0];
  const crc = zlibCrc32(Uint8Array.from(ihdr)) ^ (badCrc ? 1 : 0);
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...u32be(13), ...ihdr, ...u32be(crc >>> 0), ...u32be(0), ...ascii('IEND'), 0xae, 0x42, 0x60, 0x82]);
}

/** A JPEG's markers up to the frame header: SOI, APP0 (JFIF), DQT, then SOFn, DHT, SOS. */
function jpeg(width: number, height: number, sof = 0xc0, { fill = false } = {}): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const dqt = [0xff, 0xdb, 0x00, 0x43, 0x00, ...new Array(64).fill(1)];
  const frame = [...(fill ? [0xff, 0xff] : []), 0xff, sof, 0x00, 0x11, 0x08, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const dht = [0xff, 0xc4, 0x00, 0x14, 0x00, 1, ...new Array(15).fill(0), 0];
  const sos = [0xff, 0xda, 0x00, 0x0c, 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0, 0x12, 0x34, 0xff, 0xd9];
  return Uint8Array.from([0xff, 0xd8, ...app0, ...dqt, ...frame, ...dht, ...sos]);
}

const gif = (w: number, h: number) => Uint8Array.from([...ascii('GIF89a'), w & 255, w >> 8, h & 255, h >> 8, 0xf7, 0, 0, 0x3b]);

function webp(chunk: string, data: number[]): Uint8Array {
  const body = [...ascii('WEBP'), ...ascii(chunk), ...u32le(data.length), ...data];
  return Uint8Array.from([...ascii('RIFF'), ...u32le(body.length), ...body]);
}

describe('imageInfo', () => {
  it('reads PNG dimensions from IHDR, checking its CRC', () => {
    expect(imageInfo(png(640, 480))).toEqual({ ok: true, format: 'png', width: 640, height: 480 });
    expect(imageInfo(png(1, 70000))).toEqual({ ok: true, format: 'png', width: 1, height: 70000 });
    expect(crc32(Uint8Array.from(ascii('IEND')))).toBe(0xae426082);
    expect(imageInfo(png(640, 480, { badCrc: true }))).toEqual({ ok: false, error: { messageKey: 'evidence.media.corrupt', byteOffset: 29, params: { byteOffset: 29 } } });
    expect(imageInfo(png(640, 480, { colour: 5 }))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.corrupt' } });
    expect(imageInfo(png(0, 480))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.corrupt' } });
    expect(imageInfo(png(640, 480).subarray(0, 20))).toEqual({ ok: false, error: { messageKey: 'evidence.media.truncated', byteOffset: 20, params: { byteOffset: 20 } } });
  });

  it('reads JPEG dimensions from the first SOFn marker, skipping other segments and fill bytes', () => {
    expect(imageInfo(jpeg(1920, 1080))).toEqual({ ok: true, format: 'jpeg', width: 1920, height: 1080 });
    expect(imageInfo(jpeg(300, 200, 0xc2))).toEqual({ ok: true, format: 'jpeg', width: 300, height: 200 }); // progressive
    expect(imageInfo(jpeg(300, 200, 0xc0, { fill: true }))).toEqual({ ok: true, format: 'jpeg', width: 300, height: 200 });
  });

  it('refuses a JPEG whose frame header is missing, cut short or empty', () => {
    const full = jpeg(1920, 1080);
    // Cut inside the SOF segment (SOI 2 + APP0 18 + DQT 69 = 89; the SOF marker is at 89).
    expect(imageInfo(full.subarray(0, 93))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.truncated' } });
    expect(imageInfo(full.subarray(0, 50))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.truncated' } });
    // Image data (SOS) before any frame header: 0xC4 is DHT, not a frame.
    expect(imageInfo(jpeg(10, 10, 0xc4))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.corrupt' } });
    expect(imageInfo(jpeg(0, 10))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.corrupt' } });
    // Garbage where a marker should be.
    const broken = full.slice();
    broken[20] = 0x00;
    expect(imageInfo(broken)).toEqual({ ok: false, error: { messageKey: 'evidence.media.corrupt', byteOffset: 20, params: { byteOffset: 20 } } });
  });

  it('reads GIF dimensions from the logical screen descriptor', () => {
    expect(imageInfo(gif(320, 240))).toEqual({ ok: true, format: 'gif', width: 320, height: 240 });
    expect(imageInfo(gif(320, 240).subarray(0, 8))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.truncated' } });
  });

  it('reads WEBP dimensions from VP8, VP8L and VP8X chunks', () => {
    // Lossy: frame tag, start code 9D 01 2A, 14-bit width and height.
    expect(imageInfo(webp('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2a, ...[640 & 255, 640 >> 8], ...[480 & 255, 480 >> 8], 0, 0]))).toEqual({ ok: true, format: 'webp', width: 640, height: 480 });
    // Lossless: signature 0x2F, then width-1 and height-1 in 14 bits each: 3 × 5.
    expect(imageInfo(webp('VP8L', [0x2f, 0x02, 0x00, 0x01, 0x00, 0, 0]))).toEqual({ ok: true, format: 'webp', width: 3, height: 5 });
    // Extended: canvas width-1 and height-1 in 24 bits each: 4000 × 3000.
    expect(imageInfo(webp('VP8X', [0x10, 0, 0, 0, ...[3999 & 255, (3999 >> 8) & 255, 0], ...[2999 & 255, (2999 >> 8) & 255, 0]]))).toEqual({ ok: true, format: 'webp', width: 4000, height: 3000 });
    expect(imageInfo(webp('VP8 ', [0x30, 0x01, 0x00, 0x9d, 0x01, 0x2b, 0x80, 0x02, 0xe0, 0x01]))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.corrupt', byteOffset: 23 } });
    expect(imageInfo(webp('VP8L', [0x2f, 0x02, 0x00]))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.corrupt' } });
    expect(imageInfo(webp('ALPH', [0, 0, 0, 0]))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.corrupt' } });
  });

  it('refuses what is no image it knows', () => {
    expect(imageInfo(Uint8Array.from(ascii('%PDF-1.7')))).toEqual({ ok: false, error: { messageKey: 'evidence.media.unsupported', byteOffset: 0, params: { byteOffset: 0 } } });
    expect(imageInfo(new Uint8Array(0))).toMatchObject({ ok: false, error: { messageKey: 'evidence.media.unsupported' } });
  });
});

/** A PDF from its objects, with a correct cross-reference table. */
function pdf(objects: string[], { version = '1.7', root = 1, eof = true } = {}): string {
  let out = `%PDF-${version}\n%\u00e2\u00e3\u00cf\u00d3\n`;
  const offsets: number[] = [];
  objects.forEach((body, k) => {
    offsets.push(out.length);
    out += `${k + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${root} 0 R >>\nstartxref\n${xref}\n${eof ? '%%EOF\n' : ''}`;
  return out;
}
const bytesOf = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

const THREE_PAGES = [
  '<< /Type /Catalog /Pages 2 0 R >>',
  '<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R >>',
  '<< /Type/Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Rotate 90 >>',
  '<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (Page one) Tj ET\nendstream',
];

describe('pdfInfo', () => {
  it('counts three pages of a hand-written PDF from the root page tree', () => {
    expect(pdfInfo(bytesOf(pdf(THREE_PAGES)))).toEqual({ ok: true, version: '1.7', pageCount: 3, pageCountMethod: 'root_count' });
  });

  it('counts /Type /Page objects (not /Pages) when the tree has no /Count', () => {
    const objects = [...THREE_PAGES];
    objects[1] = '<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] >>';
    expect(pdfInfo(bytesOf(pdf(objects, { version: '1.4' })))).toEqual({ ok: true, version: '1.4', pageCount: 3, pageCountMethod: 'page_objects' });
  });

  it('takes the latest definition after an incremental update', () => {
    const base = pdf(THREE_PAGES);
    const update =
      '7 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n' +
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R 7 0 R] /Count 4 >>\nendobj\n' +
      'xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 8 /Root 1 0 R /Prev 0 >>\nstartxref\n0\n%%EOF\n';
    expect(pdfInfo(bytesOf(base + update))).toMatchObject({ ok: true, pageCount: 4, pageCountMethod: 'root_count' });
  });

  it('does not know the count when the page tree is only in a compressed object stream', () => {
    const objStm = pdf(['<< /Type /XRef /Size 3 /Root 2 0 R /Filter /FlateDecode /Length 4 >>\nstream\nxxxx\nendstream', '<< /Type /ObjStm /N 2 /First 9 /Filter /FlateDecode /Length 4 >>\nstream\nyyyy\nendstream'], { version: '1.5', root: 9 });
    expect(pdfInfo(bytesOf(objStm))).toEqual({ ok: true, version: '1.5', pageCount: null, pageCountMethod: 'unknown' });
  });

  it('refuses a file without the header or without %%EOF (truncated)', () => {
    expect(pdfInfo(bytesOf('hello, not a PDF %%EOF'))).toEqual({ ok: false, error: { messageKey: 'evidence.pdf.no_header', byteOffset: 0, params: { byteOffset: 0 } } });
    const full = pdf(THREE_PAGES);
    expect(pdfInfo(bytesOf(pdf(THREE_PAGES, { eof: false })))).toMatchObject({ ok: false, error: { messageKey: 'evidence.pdf.no_eof' } });
    expect(pdfInfo(bytesOf(full.slice(0, 200)))).toEqual({ ok: false, error: { messageKey: 'evidence.pdf.no_eof', byteOffset: 200, params: { byteOffset: 200 } } });
    // Trailing garbage after %%EOF (common) is fine.
    expect(pdfInfo(bytesOf(full + '\r\n\0\0'))).toMatchObject({ ok: true, pageCount: 3 });
  });
});
