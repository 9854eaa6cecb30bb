// What a file is, from its first bytes only: the name's extension and the declared type are never
// consulted, so an executable named `receipt.png` is still an executable and is refused.
//
// Allowed as evidence: PNG, JPEG, GIF, WEBP, PDF and plain text (CSV, JSON and TXT are plain text;
// the exhibit type says how to read them). HTML, SVG and XML are active content (scripts) and are
// refused; so are archives, executables, and text in UTF-16/UTF-32 (export it as UTF-8).

export type MediaFamily = 'image' | 'pdf' | 'text' | 'binary';

export interface SniffResult {
  mediaType: string;
  family: MediaFamily;
}

export const ALLOWED_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'] as const;
export type AllowedMediaType = (typeof ALLOWED_MEDIA_TYPES)[number];

/** How many leading bytes `sniffMediaType` looks at; pass at least this many when the file has them. */
export const SNIFF_LENGTH = 4096;

export function isAllowedMediaType(mediaType: string): mediaType is AllowedMediaType {
  return (ALLOWED_MEDIA_TYPES as readonly string[]).includes(mediaType.trim().toLowerCase());
}

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0) =>
  head.length >= at + bytes.length && bytes.every((b, k) => head[at + k] === b);
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** Leading text markers of HTML (WHATWG MIME sniffing's list), matched case-insensitively and
 *  followed by a space or `>`. */
const HTML_TAGS = ['<!doctype html', '<html', '<head', '<script', '<iframe', '<h1', '<div', '<font', '<table', '<a', '<style', '<title', '<b', '<body', '<br', '<p', '<!--', '<meta', '<link', '<object', '<embed', '<form', '<img', '<svg'];

export function sniffMediaType(head: Uint8Array): SniffResult {
  if (head.length === 0) return { mediaType: 'application/x-empty', family: 'binary' };

  // Images and PDF.
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mediaType: 'image/png', family: 'image' };
  if (startsWith(head, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', family: 'image' };
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return { mediaType: 'image/gif', family: 'image' };
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return { mediaType: 'image/webp', family: 'image' };
  if (startsWith(head, ascii('%PDF-'))) return { mediaType: 'application/pdf', family: 'pdf' };

  // Archives.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]) || startsWith(head, [0x50, 0x4b, 0x07, 0x08]))
    return { mediaType: zipKind(head), family: 'binary' };
  if (startsWith(head, [0x1f, 0x8b])) return { mediaType: 'application/gzip', family: 'binary' };
  if (startsWith(head, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) return { mediaType: 'application/x-7z-compressed', family: 'binary' };
  if (startsWith(head, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07])) return { mediaType: 'application/vnd.rar', family: 'binary' };

  // Executables.
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return { mediaType: 'application/x-elf', family: 'binary' };
  if (startsWith(head, [0x4d, 0x5a])) return { mediaType: 'application/vnd.microsoft.portable-executable', family: 'binary' };
  for (const magic of [
    [0xfe, 0xed, 0xfa, 0xce],
    [0xfe, 0xed, 0xfa, 0xcf],
    [0xce, 0xfa, 0xed, 0xfe],
    [0xcf, 0xfa, 0xed, 0xfe],
  ]) {
    if (startsWith(head, magic)) return { mediaType: 'application/x-mach-binary', family: 'binary' };
  }
  if (startsWith(head, [0xca, 0xfe, 0xba, 0xbe])) {
    // Shared by Mach-O universal binaries (a small count of architectures follows) and Java classes
    // (minor and major version follow; major ≥ 45).
    const next = head.length >= 8 ? ((head[4]! << 24) | (head[5]! << 16) | (head[6]! << 8) | head[7]!) >>> 0 : 0;
    return { mediaType: next > 0 && next < 45 ? 'application/x-mach-binary' : 'application/java-vm', family: 'binary' };
  }

  // Text in other encodings than UTF-8.
  if (startsWith(head, [0x00, 0x00, 0xfe, 0xff])) return { mediaType: 'text/plain; charset=utf-32be', family: 'text' };
  if (startsWith(head, [0xff, 0xfe, 0x00, 0x00])) return { mediaType: 'text/plain; charset=utf-32le', family: 'text' };
  if (startsWith(head, [0xfe, 0xff])) return { mediaType: 'text/plain; charset=utf-16be', family: 'text' };
  if (startsWith(head, [0xff, 0xfe])) return { mediaType: 'text/plain; charset=utf-16le', family: 'text' };

  // Text: scripts, markup, then plain.
  const body = startsWith(head, [0xef, 0xbb, 0xbf]) ? head.subarray(3) : head;
  if (startsWith(body, ascii('#!'))) return { mediaType: 'text/x-shellscript', family: 'text' };
  const markup = markupKind(body);
  if (markup) return { mediaType: markup, family: 'text' };
  if (looksLikeText(body)) return { mediaType: 'text/plain', family: 'text' };
  return { mediaType: 'application/octet-stream', family: 'binary' };
}

/** ZIP, or an Office Open XML document when its first entry says so. */
function zipKind(head: Uint8Array): string {
  const text = latin1(head);
  if (text.includes('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
  if (text.includes('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (text.includes('ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
  if (text.includes('[Content_Types].xml')) return 'application/vnd.openxmlformats-officedocument';
  return 'application/zip';
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let k = 0; k < bytes.length; k += 8192) s += String.fromCharCode(...bytes.subarray(k, k + 8192));
  return s;
}

function markupKind(body: Uint8Array): string | null {
  let k = 0;
  while (k < body.length && (body[k] === 0x20 || body[k] === 0x09 || body[k] === 0x0a || body[k] === 0x0d || body[k] === 0x0c)) k++;
  if (body[k] !== 0x3c) return null; // '<'
  const text = latin1(body.subarray(k, k + 1024)).toLowerCase();
  if (text.startsWith('<?xml')) return /<svg[\s>]/.test(text) || text.includes('<!doctype svg') ? 'image/svg+xml' : 'application/xml';
  if (text.startsWith('<!doctype svg') || /^<svg[\s>]/.test(text)) return 'image/svg+xml';
  for (const tag of HTML_TAGS) {
    if (text.startsWith(tag)) {
      const after = text[tag.length];
      if (tag === '<!--' || after === ' ' || after === '>' || after === '\t' || after === '\n' || after === '\r' || after === '/')
        return tag === '<svg' ? 'image/svg+xml' : 'text/html';
    }
  }
  return null;
}

/** No NUL byte, and at most 1 in 100 bytes are other control characters (tab, line breaks, form feed
 *  and escape are fine). Bytes ≥ 0x80 count as text: UTF-8 validity is checked when parsing. */
function looksLikeText(body: Uint8Array): boolean {
  if (body.length === 0) return true;
  let control = 0;
  for (let k = 0; k < body.length; k++) {
    const b = body[k]!;
    if (b === 0) return false;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) || b === 0x7f) control++;
  }
  return control * 100 <= body.length;
}
