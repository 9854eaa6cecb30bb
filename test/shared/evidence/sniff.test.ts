// Type sniffing: the first bytes decide, never the name or the declared type.
import { describe, it, expect } from 'vitest';
import { ALLOWED_MEDIA_TYPES, isAllowedMediaType, sniffMediaType } from '../../../shared/evidence/sniff';

const bytes = (...parts: (string | number[])[]) => {
  const out: number[] = [];
  for (const p of parts) out.push(...(typeof p === 'string' ? Array.from(new TextEncoder().encode(p)) : p));
  return Uint8Array.from(out);
};
const sniff = (...parts: (string | number[])[]) => sniffMediaType(bytes(...parts));

describe('sniffMediaType: allowed types', () => {
  it('recognises PNG, JPEG, GIF, WEBP and PDF by their magic bytes', () => {
    expect(sniff([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])).toEqual({ mediaType: 'image/png', family: 'image' });
    expect(sniff([0xff, 0xd8, 0xff, 0xe0, 0, 16])).toEqual({ mediaType: 'image/jpeg', family: 'image' });
    expect(sniff('GIF89a', [1, 0, 1, 0])).toEqual({ mediaType: 'image/gif', family: 'image' });
    expect(sniff('GIF87a')).toEqual({ mediaType: 'image/gif', family: 'image' });
    expect(sniff('RIFF', [0x24, 0, 0, 0], 'WEBPVP8L')).toEqual({ mediaType: 'image/webp', family: 'image' });
    expect(sniff('%PDF-1.7\n%\xe2\xe3\n')).toEqual({ mediaType: 'application/pdf', family: 'pdf' });
  });

  it('takes CSV, JSON, Chinese text and text with a UTF-8 BOM as plain text', () => {
    expect(sniff('Date(UTC),Pair,Side\n2026-03-01 12:00:00,BTCUSDT,BUY\n')).toEqual({ mediaType: 'text/plain', family: 'text' });
    expect(sniff('[{"time":"2026-03-01T12:00:00Z"}]')).toEqual({ mediaType: 'text/plain', family: 'text' });
    expect(sniff('[2026-03-01 12:00:05] 客服 Alice: 您好\r\n')).toEqual({ mediaType: 'text/plain', family: 'text' });
    expect(sniff([0xef, 0xbb, 0xbf], '时间,IP地址\n')).toEqual({ mediaType: 'text/plain', family: 'text' });
    // Text that merely mentions markup later on is still text (it is never rendered as HTML).
    expect(sniff('note: the user pasted <script>alert(1)</script>\n')).toEqual({ mediaType: 'text/plain', family: 'text' });
    // A RIFF file that is not WEBP (a WAV) is not an image.
    expect(sniff('RIFF', [0x24, 0, 0, 0], 'WAVEfmt ').mediaType).not.toBe('image/webp');
  });

  it('lists exactly the allowed types, and nothing else passes', () => {
    expect([...ALLOWED_MEDIA_TYPES]).toEqual(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain']);
    for (const mt of ALLOWED_MEDIA_TYPES) expect(isAllowedMediaType(mt)).toBe(true);
    expect(isAllowedMediaType('IMAGE/PNG')).toBe(true);
    for (const mt of ['image/svg+xml', 'text/html', 'application/xml', 'application/zip', 'application/octet-stream', 'text/plain; charset=utf-16le', 'text/x-shellscript', ''])
      expect(isAllowedMediaType(mt)).toBe(false);
  });
});

describe('sniffMediaType: refused types, whatever the file is called', () => {
  it('an ELF or PE executable renamed receipt.png is an executable', () => {
    const elf = sniff([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]);
    expect(elf).toEqual({ mediaType: 'application/x-elf', family: 'binary' });
    expect(isAllowedMediaType(elf.mediaType)).toBe(false);
    const pe = sniff('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0], 'This program cannot be run in DOS mode');
    expect(pe).toEqual({ mediaType: 'application/vnd.microsoft.portable-executable', family: 'binary' });
    expect(isAllowedMediaType(pe.mediaType)).toBe(false);
  });

  it('refuses Mach-O binaries and Java classes, told apart although both can start CAFEBABE', () => {
    expect(sniff([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]).mediaType).toBe('application/x-mach-binary');
    expect(sniff([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 2]).mediaType).toBe('application/x-mach-binary'); // universal, 2 architectures
    expect(sniff([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34]).mediaType).toBe('application/java-vm'); // class file, Java 8
  });

  it('refuses archives, naming Office documents', () => {
    expect(sniff('PK', [3, 4, 20, 0, 6, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 19, 0, 0, 0], '[Content_Types].xml')).toEqual({
      mediaType: 'application/vnd.openxmlformats-officedocument',
      family: 'binary',
    });
    expect(sniff('PK', [3, 4, 20, 0, 0, 0, 0, 0], 'xl/workbook.xml').mediaType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sniff('PK', [3, 4, 20, 0, 0, 0, 0, 0], 'notes.txt').mediaType).toBe('application/zip');
    expect(sniff([0x1f, 0x8b, 8, 0]).mediaType).toBe('application/gzip');
    expect(sniff([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]).mediaType).toBe('application/x-7z-compressed');
    expect(sniff('Rar!', [0x1a, 0x07, 0x01, 0x00]).mediaType).toBe('application/vnd.rar');
  });

  it('refuses HTML and SVG (active content), also behind a BOM or white space', () => {
    expect(sniff('<!DOCTYPE html><html><body>receipt</body></html>')).toEqual({ mediaType: 'text/html', family: 'text' });
    expect(sniff('\n\n  <HTML>\n<script>fetch("/steal")</script>')).toEqual({ mediaType: 'text/html', family: 'text' });
    expect(sniff([0xef, 0xbb, 0xbf], '<script>alert(1)</script>').mediaType).toBe('text/html');
    expect(sniff('<!-- saved page -->').mediaType).toBe('text/html');
    expect(sniff('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')).toEqual({ mediaType: 'image/svg+xml', family: 'text' });
    expect(sniff('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>').mediaType).toBe('image/svg+xml');
    expect(sniff('<?xml version="1.0"?>\n<trades></trades>').mediaType).toBe('application/xml');
    for (const t of ['text/html', 'image/svg+xml', 'application/xml']) expect(isAllowedMediaType(t)).toBe(false);
    // `<` followed by something that is not a tag name is just text.
    expect(sniff('<= 5 BTC withdrawn\n').mediaType).toBe('text/plain');
  });

  it('refuses shell scripts, UTF-16/32 text, binary data and empty files', () => {
    expect(sniff('#!/bin/sh\nrm -rf /\n')).toEqual({ mediaType: 'text/x-shellscript', family: 'text' });
    expect(sniff([0xff, 0xfe], [0x61, 0, 0x62, 0]).mediaType).toBe('text/plain; charset=utf-16le');
    expect(sniff([0xfe, 0xff], [0, 0x61]).mediaType).toBe('text/plain; charset=utf-16be');
    expect(sniff([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]).mediaType).toBe('text/plain; charset=utf-32le');
    expect(sniff('abc', [0], 'def')).toEqual({ mediaType: 'application/octet-stream', family: 'binary' });
    // Mostly control characters: binary. One stray control character in 200 bytes: still text.
    expect(sniff([1, 2, 3, 4, 5, 6, 7, 8, 0x61]).mediaType).toBe('application/octet-stream');
    expect(sniff('a'.repeat(100), [0x1a], 'b'.repeat(100)).mediaType).toBe('text/plain');
    expect(sniffMediaType(new Uint8Array(0))).toEqual({ mediaType: 'application/x-empty', family: 'binary' });
  });
});
