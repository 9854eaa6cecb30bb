// Intake that never reads the file back before acknowledging it: what completion needs of the
// content (type, parse checks) is gathered from the chunks as they stream in, and the chunks go to
// disk with direct I/O where it can be had. Whatever the pieces the bytes arrive in, the answer is
// the one parseEvidence gives on the file's first MAX_PARSE_BYTES + 1 bytes (as intake did when it
// read them back), and the partial file holds exactly the bytes acknowledged.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvidence, type ExhibitType, type ParseResult } from '../../../shared/evidence';
import { checkText, createTextCheck } from '../../../shared/evidence/text-check';
import { createUtf8Checker } from '../../../shared/evidence/utf8';
import { createLineSplitter } from '../../../shared/evidence/lines';
import type { EvidenceError } from '../../../shared/evidence/common';
import { ContentInspection } from '../../../server/src/evidence/content-inspection';
import { openChunkWriter } from '../../../server/src/evidence/chunk-writer';
import { MAX_PARSE_BYTES } from '../../../server/src/evidence/evidence-deps';
import { startTestServer, type TestServer } from '../../support/server';
import { mulberry32 } from '../../support/random';
import { beginUpload, blobPath, call, complaint, dropMidBody, patchChunk, patchChunkWhenFree, restError, sha256, stopServer, uploadFile } from './support';

const MiB = 1024 * 1024;
const STEP = MiB; // the text check judges every MiB; the line limit is 1 MiB as well
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-streaming-intake-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** What intake answered when it read the file back: parseEvidence on its first MAX_PARSE_BYTES + 1 bytes. */
function readBack(bytes: Uint8Array, type: ExhibitType): ParseResult {
  const parsed = parseEvidence({ bytes: bytes.subarray(0, Math.min(bytes.length, MAX_PARSE_BYTES + 1)), type, maxTextBytes: MAX_PARSE_BYTES });
  if (bytes.length > MAX_PARSE_BYTES && parsed.status === 'parsed')
    return { status: 'failed', error: { messageKey: 'evidence.parse.too_large', line: 0, column: 0, params: { maximum: MAX_PARSE_BYTES } } };
  return parsed;
}

/** The one-pass check parseEvidence made before the streaming one (as it was), to hold the new one to. */
function checkTextAsBefore(bytes: Uint8Array, maxLineLength: number, whole: boolean): EvidenceError | null {
  const utf8 = createUtf8Checker();
  const lines = createLineSplitter({ maxLineLength });
  const CHUNK = 1024 * 1024;
  for (let k = 0; k <= bytes.length; k += CHUNK) {
    const chunk = bytes.subarray(k, Math.min(bytes.length, k + CHUNK));
    const last = k + CHUNK >= bytes.length;
    let u = utf8.push(chunk);
    if (u.ok && last && whole) u = utf8.end();
    const l = lines.push(chunk) ?? (last ? lines.end() : null);
    const utf8Error: EvidenceError | null = u.ok
      ? null
      : { messageKey: 'evidence.parse.invalid_utf8', line: u.line, column: u.column, byteOffset: u.byteOffset, params: { line: u.line, column: u.column, byteOffset: u.byteOffset } };
    const lineError: EvidenceError | null = l ? { messageKey: l.messageKey, line: l.line, column: l.column, byteOffset: l.byteOffset, params: l.params } : null;
    if (utf8Error && lineError) return utf8Error.byteOffset! <= lineError.byteOffset! ? utf8Error : lineError;
    if (utf8Error || lineError) return utf8Error ?? lineError;
    if (last) break;
  }
  return null;
}

type Split = 'whole' | 'random' | 'tiny-first' | 'steps';
const SPLITS: Split[] = ['whole', 'random', 'tiny-first', 'steps'];

/** The bytes cut into pieces: all at once, random sizes, 1 then 2 bytes then socket-sized reads, or exactly at the check's steps. */
function pieces(bytes: Buffer, split: Split, seed = 1): Buffer[] {
  if (split === 'whole') return [bytes];
  const out: Buffer[] = [];
  const next = mulberry32(seed);
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const n = split === 'random' ? 1 + Math.floor(next() * 150_000) : split === 'steps' ? STEP : k === 0 ? 1 : k === 1 ? 2 : 64 * 1024;
    out.push(bytes.subarray(at, Math.min(bytes.length, at + n)));
    at += n;
    k++;
  }
  return out;
}

const missingFile = path.join(work, 'never-written');

/** The inspection's answer, fed `parts`; the file is not there, so it must answer from what it saw. */
async function inspected(bytes: Buffer, type: ExhibitType, parts: Buffer[], declared: ExhibitType | null = type): Promise<ParseResult> {
  const inspection = new ContentInspection(bytes.length, declared);
  for (const p of parts) inspection.push(p);
  return inspection.parse(missingFile, type, undefined);
}

/** ASCII CSV lines (CRLF), `size` bytes in all (`wholeRows`: fewer, ending with a whole row). */
function csv(size: number, wholeRows = false): Buffer {
  const header = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\r\n';
  const row = (k: number) => `2026-03-01 12:${String(k % 60).padStart(2, '0')}:00,BTCUSDT,BUY,65000.${k % 1000},0.001BTC,65.00USDT,0.000001BTC\r\n`;
  const rows: string[] = [header];
  let length = header.length;
  for (let k = 0; length < size; k++) {
    const r = row(k);
    rows.push(r);
    length += r.length;
  }
  const bytes = Buffer.from(rows.join(''), 'latin1').subarray(0, size);
  return wholeRows ? bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1) : bytes;
}

const OVERSIZED = MAX_PARSE_BYTES + 64 * 1024 + 5;

describe('the content gathered while streaming gives the read-back answer, whatever the pieces', () => {
  let base: Buffer;
  beforeAll(() => {
    base = csv(OVERSIZED);
  });

  const cases: [string, () => Buffer, ExhibitType, ExhibitType | null][] = [
    ['valid text too large to parse (type suggested from the header)', () => base, 'trade_records', null],
    [
      'invalid UTF-8 far into the part that would be read, after Chinese text on its line',
      () => {
        const b = Buffer.from(base);
        const at = 40 * MiB + 7;
        const lineStart = b.lastIndexOf(0x0a, at) + 1;
        Buffer.from('成交记录').copy(b, lineStart);
        b[at] = 0xff;
        return b;
      },
      'trade_records',
      'trade_records',
    ],
    [
      'a line too long that ends a check step while a character is cut across it (the line error is the answer)',
      () => {
        const b = Buffer.from(base);
        const k = 5;
        // A line from k·STEP − 1; its byte over the 1 MiB limit is the last of step k; a 3-byte
        // character starts just before it and its last byte, in the next step, is invalid.
        b[k * STEP - 2] = 0x0a;
        b.fill(0x61, k * STEP - 1, (k + 1) * STEP + 10);
        b[(k + 1) * STEP - 2] = 0xe4;
        b[(k + 1) * STEP - 1] = 0xb8;
        b[(k + 1) * STEP] = 0x41;
        return b;
      },
      'activity_log',
      'activity_log',
    ],
    [
      'a byte-order mark, then a line of exactly the limit (the mark not counted)',
      () => {
        const b = Buffer.from(base);
        b[0] = 0xef;
        b[1] = 0xbb;
        b[2] = 0xbf;
        b.fill(0x62, 3, 3 + MiB);
        b[3 + MiB] = 0x0a;
        return b;
      },
      'chat_transcript',
      'chat_transcript',
    ],
    [
      'a character cut by the end of the part that would be read (not an error there)',
      () => {
        const b = Buffer.from(base);
        const at = MAX_PARSE_BYTES - 1;
        b[b.lastIndexOf(0x0a, at) + 1] = 0x41;
        Buffer.from('交').copy(b, at);
        return b;
      },
      'trade_records',
      'trade_records',
    ],
    [
      'an image declared as trade records (not text)',
      () => {
        const b = Buffer.from(base);
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
        return b;
      },
      'trade_records',
      'trade_records',
    ],
    ['a document too large to parse (its first MAX_PARSE_BYTES + 1 bytes kept)', () => base, 'document', 'document'],
  ];

  it.each(cases)('%s', async (_what, make, type, declared) => {
    const bytes = make();
    const part = bytes.subarray(0, MAX_PARSE_BYTES);
    expect(checkText(part, MiB, false)).toEqual(checkTextAsBefore(part, MiB, false));
    const expected = readBack(bytes, type);
    for (const split of SPLITS) expect(await inspected(bytes, type, pieces(bytes, split), declared), split).toEqual(expected);
  }, 180_000);

  it('small files are parsed whole from the pieces kept, records and all', async () => {
    const bytes = csv(300_000, true);
    const expected = readBack(bytes, 'trade_records');
    expect(expected.status).toBe('parsed');
    for (const split of SPLITS) expect(await inspected(bytes, 'trade_records', pieces(bytes, split, 7), null), split).toEqual(expected);
  });

  it('reads the file when a failed chunk fed what it gathers, not when the chunk lay past it', async () => {
    const bytes = Buffer.from(base);
    bytes[30 * MiB] = 0xc0;
    const expected = readBack(bytes, 'trade_records');
    expect(expected).toMatchObject({ status: 'failed', error: { messageKey: 'evidence.parse.invalid_utf8' } });
    const file = path.join(work, 'rewound.csv');
    fs.writeFileSync(file, bytes);

    // A chunk from 20 MiB failed after 15 MiB of it were fed: those bytes were checked, so the
    // check no longer counts and the file is read.
    const early = new ContentInspection(bytes.length, 'trade_records');
    early.push(bytes.subarray(0, 20 * MiB));
    early.push(bytes.subarray(20 * MiB, 35 * MiB));
    early.rewind(20 * MiB);
    early.push(bytes.subarray(20 * MiB));
    expect(early.headOfComplete()).toBeNull();
    expect(await early.parse(file, 'trade_records', undefined)).toEqual(expected);

    // A chunk past what is checked failed: nothing gathered is spoilt, the file is not read.
    const late = new ContentInspection(bytes.length, 'trade_records');
    late.push(bytes.subarray(0, MAX_PARSE_BYTES + 10));
    late.push(bytes.subarray(MAX_PARSE_BYTES + 10, MAX_PARSE_BYTES + 2000));
    late.rewind(MAX_PARSE_BYTES + 10);
    late.push(bytes.subarray(MAX_PARSE_BYTES + 10));
    expect(late.headOfComplete()).not.toBeNull();
    expect(await late.parse(missingFile, 'trade_records', undefined)).toEqual(expected);
  }, 120_000);
});

describe('the text check', () => {
  const enc = (s: string) => Buffer.from(s, 'utf8');
  const inputs = [
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), enc('12345\nab')]), // a mark, then a line of exactly the limit
    Buffer.concat([Buffer.from([0xef, 0xbb]), enc('x')]),
    enc('ok\r\n123456\nnext'),
    Buffer.concat([enc('时间\r\n交易'), Buffer.from([0xe4, 0xb8])]), // ends mid-character
    Buffer.concat([enc('a\rb\n'), Buffer.from([0xed, 0xa0, 0x80]), enc('\n')]), // a surrogate
    enc(''),
  ];

  it('answers for bytes whole as the one-pass check it replaced', () => {
    for (const bytes of inputs) for (const whole of [true, false]) expect(checkText(bytes, 5, whole)).toEqual(checkTextAsBefore(bytes, 5, whole));
  });

  it('answers as the checks it combines on random text: ASCII, line breaks, characters valid and not, marks, any line limit', () => {
    const next = mulberry32(42);
    const atoms = [
      () => enc('ab'),
      () => enc('x'.repeat(1 + Math.floor(next() * 12))),
      () => enc('\n'),
      () => enc('\r'),
      () => enc('\r\n'),
      () => enc('币'),
      () => enc('é'),
      () => enc('😀'),
      () => Buffer.from([0xef, 0xbb, 0xbf]),
      () => Buffer.from([0x80 + Math.floor(next() * 0x80)]), // a stray byte ≥ 0x80
      () => Buffer.from([0xe4, 0xb8]), // a character cut short
      () => Buffer.from([0xf0, 0x9f]),
      () => Buffer.from([0xed, 0xa0, 0x80]), // a surrogate
      () => Buffer.from([0xe0, 0x80, 0x80]), // overlong
      () => Buffer.from([next() < 0.5 ? 0x09 : 0x00]),
    ];
    for (let t = 0; t < 4000; t++) {
      const parts: Buffer[] = [];
      const count = Math.floor(next() * 14);
      for (let k = 0; k < count; k++) {
        // Mostly valid text; now and then something else.
        const k2 = next() < 0.8 ? Math.floor(next() * 9) : Math.floor(next() * atoms.length);
        parts.push(atoms[k2]!());
      }
      const bytes = Buffer.concat(parts);
      const maxLineLength = 1 + Math.floor(next() * 10);
      const whole = next() < 0.5;
      const expected = checkTextAsBefore(bytes, maxLineLength, whole);
      expect(checkText(bytes, maxLineLength, whole), `${bytes.toString('hex')} ${maxLineLength} ${whole}`).toEqual(expected);
      const check = createTextCheck(maxLineLength);
      let answer: EvidenceError | null = null;
      for (let at = 0; at < bytes.length && !answer; ) {
        const n = 1 + Math.floor(next() * 4);
        answer = check.push(bytes.subarray(at, at + n));
        at += n;
      }
      expect(answer ?? check.end(whole), `${bytes.toString('hex')} ${maxLineLength} ${whole} in pieces`).toEqual(expected);
    }
  });

  it('answers for bytes in pieces as for the same bytes whole', () => {
    for (const bytes of inputs) {
      for (const whole of [true, false]) {
        for (let seed = 1; seed <= 20; seed++) {
          const next = mulberry32(seed);
          const check = createTextCheck(5);
          let answer: EvidenceError | null = null;
          for (let at = 0; at < bytes.length && !answer; ) {
            const n = 1 + Math.floor(next() * 3);
            answer = check.push(bytes.subarray(at, at + n));
            at += n;
          }
          expect(answer ?? check.end(whole), `${bytes.toString('hex')} ${whole} ${seed}`).toEqual(checkText(bytes, 5, whole));
        }
      }
    }
  });
});

describe('the chunk writer', () => {
  /** Writes `bytes` as the chunk at `start` of `file`, in socket-sized pieces; `failAfter`: stop there and roll back, as a failed chunk does. */
  async function writeChunk(file: string, start: number, bytes: Buffer, direct: boolean, failAfter?: number) {
    const fh = await fsp.open(file, 'r+');
    const writer = await (async () => {
      await fh.truncate(start);
      return openChunkWriter(fh, file, start, { direct });
    })();
    try {
      let sent = 0;
      for (const p of pieces(bytes, 'random', start + 3)) {
        const wait = writer.add(p);
        if (wait) await wait;
        sent += p.length;
        if (failAfter !== undefined && sent >= failAfter) throw new Error('connection dropped');
      }
      await writer.finish();
      await fh.sync();
    } catch (error) {
      await writer.settle();
      await fh.truncate(start);
      if (failAfter === undefined) throw error;
    } finally {
      await writer.close();
      await fh.close();
    }
  }

  it.each([
    ['direct I/O where it can be had', true],
    ['buffered', false],
  ])('%s: chunks at any offset, failed ones leaving nothing, hold exactly the bytes written', async (_what, direct) => {
    const file = path.join(work, `chunks-${direct}.part`);
    fs.writeFileSync(file, new Uint8Array(0));
    const all = Buffer.alloc(14 * MiB);
    for (let k = 0; k < all.length; k += 4) all.writeUInt32LE(Math.imul(k, 2654435761) >>> 0, k);
    // Chunk sizes crossing the 4 KiB alignment and the 4 MiB staging buffers.
    const sizes = [1, 4095, 4097, 100_003, 5 * MiB + 3, 1, 4096, 3 * MiB - 7];
    let at = 0;
    for (const [k, size] of sizes.entries()) {
      const chunk = all.subarray(at, at + size);
      if (k % 2 === 1) {
        // First a failed attempt at this chunk, with different bytes, some of them written.
        await writeChunk(file, at, Buffer.alloc(size, 0x5a), direct, Math.floor(size / 2));
        expect(fs.statSync(file).size).toBe(at);
      }
      await writeChunk(file, at, chunk, direct);
      at += size;
      expect(fs.statSync(file).size).toBe(at);
    }
    expect(fs.readFileSync(file).equals(all.subarray(0, at))).toBe(true);
  }, 60_000);
});

describe('over HTTP', () => {
  let server: TestServer;
  let token: string;
  let caseId: string;
  beforeAll(async () => {
    server = await startTestServer();
    token = await server.login('specialist');
    caseId = (await server.client(token).cases.create.mutate(complaint('uid-streaming-intake'))).id;
  });
  afterAll(async () => {
    await stopServer(server);
  });

  const listed = async (exhibitId: string) => (await server.client(token).evidence.list.query({ caseId })).exhibits.find((e) => e.id === exhibitId)!;

  it('takes a resumable upload in chunks at unaligned offsets, through a refused chunk and a dropped one', async () => {
    const file = csv(3 * MiB + 12_345, true);
    const CHUNK = 1_000_003;
    const started = await beginUpload(server, token, { caseId, fileName: 'odd-chunks.csv', size: file.length, sha256: sha256(file), side: 'complainant', source: 'binance_export' });
    expect(started.status).toBe(201);
    const uploadId = started.json.uploadId as string;
    expect((await patchChunk(server, token, uploadId, 0, file.subarray(0, CHUNK))).status).toBe(200);
    // The second chunk with a wrong hash, then cut off mid-way: neither counts.
    const second = file.subarray(CHUNK, 2 * CHUNK);
    const refused = await patchChunk(server, token, uploadId, CHUNK, second, sha256('not this chunk'));
    expect(restError(refused).messageKey).toBe('evidence.upload.chunk_hash_mismatch');
    await dropMidBody(
      server,
      'PATCH',
      `/api/v1/uploads/${uploadId}`,
      { authorization: `Bearer ${token}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': CHUNK, 'x-chunk-sha256': sha256(second) },
      second.subarray(0, 300_001),
      second.length,
    );
    let last = null as Awaited<ReturnType<typeof patchChunk>> | null;
    for (let offset = CHUNK; offset < file.length; offset += CHUNK) {
      last = await patchChunkWhenFree(server, token, uploadId, offset, file.subarray(offset, offset + CHUNK));
      expect(last.status, last.text).toBe(offset + CHUNK < file.length ? 200 : 201);
    }
    expect(last!.json.exhibit).toMatchObject({ sha256: sha256(file), parseStatus: 'parsed' });
    expect(fs.readFileSync(blobPath(server, sha256(file))).equals(file)).toBe(true);
    const expected = readBack(file, 'trade_records');
    expect((await listed(last!.json.exhibit.id)).recordCount).toBe(expected.status === 'parsed' ? expected.records.length : -1);
  }, 60_000);

  it('keeps text too large to parse with the problem found in its first 64 MiB, in one request or in chunks', async () => {
    const bytes = csv(OVERSIZED);
    const at = 50 * MiB + 123;
    const lineStart = bytes.lastIndexOf(0x0a, at) + 1;
    Buffer.from('交易记录').copy(bytes, lineStart);
    bytes[at] = 0xfe;
    const expected = readBack(bytes, 'trade_records');
    expect(expected).toMatchObject({ status: 'failed', error: { messageKey: 'evidence.parse.invalid_utf8' } });

    const single = await uploadFile(server, token, caseId, bytes, { fileName: 'big-bad.csv', source: 'binance_export' });
    expect(single.status, single.text).toBe(201);
    expect((await listed(single.json.id)).parseError).toEqual(expected.status === 'failed' ? expected.error : null);
    expect((await listed(single.json.id)).type).toBe('trade_records');

    // The same bytes again on another case, in three PATCH requests of unaligned lengths.
    const other = (await server.client(token).cases.create.mutate(complaint('uid-streaming-intake-2'))).id;
    const uploadId = (await beginUpload(server, token, { caseId: other, fileName: 'big-bad.csv', size: bytes.length, sha256: sha256(bytes), side: 'platform', source: 'binance_export' })).json
      .uploadId as string;
    const cuts = [0, 20 * MiB + 1, 60 * MiB + 3, bytes.length];
    let res = null as Awaited<ReturnType<typeof patchChunk>> | null;
    for (let k = 0; k + 1 < cuts.length; k++) res = await patchChunk(server, token, uploadId, cuts[k]!, bytes.subarray(cuts[k]!, cuts[k + 1]!));
    expect(res!.status, res!.text).toBe(201);
    const exhibit = (await server.client(token).evidence.list.query({ caseId: other })).exhibits.find((e) => e.id === res!.json.exhibit.id)!;
    expect(exhibit.parseError).toEqual(expected.status === 'failed' ? expected.error : null);
    const content = await call(server, 'GET', `/api/v1/exhibits/${single.json.id}/content`, { token });
    expect(content.body.equals(bytes)).toBe(true);
  }, 120_000);
});
