// The parser fuzz loop, in a worker thread so the test can stop it when one case hangs (a
// synchronous parser cannot be interrupted in its own thread). Before each case it tells the test
// which case it is about to run; the test's watchdog ends the worker when no news comes in time and
// reports that case as a hang.
//
// Property: given a real evidence file mutated (bytes flipped, inserted, deleted; truncated; spliced
// with another file; NUL, BOMs, invalid UTF-8, lone surrogates, huge numbers, long lines, deep JSON
// injected), each parser either returns its result (parsed, or refused with a message key) or
// throws an AppError — never anything else, and within its time budget.
import { parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { AppError } from '../../../shared/errors';
import {
  parseEvidence,
  parseTrades,
  parseActivity,
  parseChat,
  parseOnchainReferences,
  imageInfo,
  pdfInfo,
  sniffMediaType,
  suggestExhibitType,
  EXHIBIT_TYPES,
  type ExhibitType,
} from '../../../shared/evidence';
import { evidenceCorpus, type CorpusFile } from './corpus';

export interface WorkerInput {
  entry: string;
  seed: number;
  runsPerTarget: number;
  slowMs: number;
}

export type WorkerMessage =
  | { type: 'case'; target: string; index: number; description: string }
  | { type: 'finding'; kind: 'threw' | 'slow'; target: string; description: string; detail: string }
  | { type: 'done'; cases: number; byTarget: Record<string, number>; maxMs: Record<string, number> };

const input = workerData as WorkerInput;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);
const corpus = evidenceCorpus();
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** Largest mutated file: parsers' limits are tested elsewhere; this keeps each case quick. */
const MAX_BYTES = 512 * 1024;

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const INJECTIONS: Uint8Array[] = [
  new Uint8Array([0]),
  new Uint8Array([0xef, 0xbb, 0xbf]), // UTF-8 BOM
  new Uint8Array([0xfe, 0xff]), // UTF-16 BOM
  new Uint8Array([0xed, 0xa0, 0x80]), // a surrogate encoded as UTF-8 (invalid)
  new Uint8Array([0xed, 0xbf, 0xbf]),
  new Uint8Array([0xc0, 0xaf]), // overlong
  new Uint8Array([0xff]),
  new Uint8Array([0xf4, 0x90, 0x80, 0x80]), // above U+10FFFF
  encoder.encode('9'.repeat(400)),
  encoder.encode('1e999999'),
  encoder.encode('-0.000000000000000000000000000001'),
  encoder.encode('99999999999999999999999999999999999.99999999999999999999'),
  encoder.encode('NaN'),
  encoder.encode('"'),
  encoder.encode('""""'),
  encoder.encode(',,,,,,,,,,,,,,,,,,,,'),
  encoder.encode('\r'),
  encoder.encode('\n\n\n'),
  encoder.encode('\t'),
  encoder.encode('=cmd|"/c calc"!A1'),
  encoder.encode('['.repeat(3000)),
  encoder.encode('{"a":'.repeat(2000)),
  encoder.encode('[2026-13-45 25:61:61] x:'),
  encoder.encode('0x' + 'f'.repeat(64)),
  encoder.encode('bc1' + 'q'.repeat(90)),
  encoder.encode('T' + '1'.repeat(33)),
  encoder.encode('\u202e\u200b\ufeff'),
  encoder.encode('a'.repeat(70_000)),
];

/** A mutation of a corpus file's bytes. */
function mutatedBytes(): fc.Arbitrary<{ file: CorpusFile; bytes: Uint8Array; how: string }> {
  const file = fc.constantFrom(...corpus);
  const one = fc.tuple(file, fc.constantFrom(...corpus), fc.integer({ min: 0, max: 9 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: INJECTIONS.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
    ([f, other, how, a, b, inj, random]) => {
      const src = f.bytes;
      const at = src.length ? a % src.length : 0;
      const to = src.length ? at + (b % Math.max(1, src.length - at)) : 0;
      switch (how) {
        case 0: {
          const copy = src.slice();
          if (copy.length) copy[at] = b & 255;
          return { file: f, bytes: copy, how: `byte ${at} := ${b & 255}` };
        }
        case 1:
          return { file: f, bytes: concat(src.subarray(0, at), random, src.subarray(at)), how: `insert ${random.length} random bytes at ${at}` };
        case 2:
          return { file: f, bytes: concat(src.subarray(0, at), src.subarray(to)), how: `delete ${at}..${to}` };
        case 3:
          return { file: f, bytes: src.subarray(0, at), how: `truncate at ${at}` };
        case 4: {
          const cut = other.bytes.length ? b % other.bytes.length : 0;
          return { file: f, bytes: concat(src.subarray(0, at), other.bytes.subarray(cut)), how: `splice ${f.name}[0..${at}] + ${other.name}[${cut}..]` };
        }
        case 5:
        case 6:
          return { file: f, bytes: concat(src.subarray(0, at), INJECTIONS[inj]!, src.subarray(at)), how: `inject #${inj} at ${at}` };
        case 7: {
          // A line repeated: many records.
          const text = decoder.decode(src);
          const lines = text.split('\n');
          const line = lines[Math.min(lines.length - 1, 1)] ?? '';
          const times = Math.min(2_000, Math.floor(MAX_BYTES / Math.max(1, line.length + 1)));
          return { file: f, bytes: encoder.encode(`${text}${`${line}\n`.repeat(times)}`), how: `line 1 repeated ${times} times` };
        }
        case 8: {
          // Numbers made huge, negative or exotic.
          const text = decoder.decode(src);
          const repl = ['1e308', '-1', '9'.repeat(300), '0.' + '0'.repeat(300) + '1', 'Infinity', '１２３', '1,2,3', ''][b % 8]!;
          return { file: f, bytes: encoder.encode(text.replace(/\d+(\.\d+)?/g, (m, _f, off: number) => (off % 3 === 0 ? repl : m))), how: `numbers → ${repl.slice(0, 20)}` };
        }
        default: {
          const text = decoder.decode(src);
          const repl = [';', '\t', '|', '，', '"', '\r', '\u2028', '\u0000'][b % 8]!;
          return { file: f, bytes: encoder.encode(text.replace(/,/g, repl)), how: `delimiter → ${JSON.stringify(repl)}` };
        }
      }
    },
  );
  // Up to three mutations in a row.
  return fc.tuple(one, fc.integer({ min: 0, max: 2 }), fc.nat(), fc.integer({ min: 0, max: INJECTIONS.length - 1 })).map(([m, extra, at, inj]) => {
    let bytes = m.bytes;
    let how = m.how;
    for (let i = 0; i < extra; i++) {
      const p = bytes.length ? (at * (i + 7)) % bytes.length : 0;
      bytes = concat(bytes.subarray(0, p), INJECTIONS[(inj + i) % INJECTIONS.length]!, bytes.subarray(p));
      how += `; inject #${(inj + i) % INJECTIONS.length} at ${p}`;
    }
    return { file: m.file, bytes: bytes.length > MAX_BYTES ? bytes.subarray(0, MAX_BYTES) : bytes, how };
  });
}

/** Text for the string-level parsers: decoded mutated bytes, with lone surrogates and NUL put in as strings. */
function mutatedText(): fc.Arbitrary<{ file: CorpusFile; text: string; how: string }> {
  return fc.tuple(mutatedBytes(), fc.constantFrom('', '\ud800', '\udfff', '\udc00\ud800', '\u0000', '\ufeff', '\uffff'), fc.nat()).map(([m, s, at]) => {
    const text = decoder.decode(m.bytes);
    const p = text.length ? at % text.length : 0;
    return { file: m.file, text: text.slice(0, p) + s + text.slice(p), how: `${m.how}${s ? `; ${JSON.stringify(s)} at char ${p}` : ''}` };
  });
}

const hex = (b: Uint8Array, max = 96) => Buffer.from(b.subarray(0, max)).toString('hex') + (b.length > max ? `…(${b.length} bytes)` : '');
const textPreview = (t: string) => JSON.stringify(t.length > 160 ? `${t.slice(0, 160)}…(${t.length} chars)` : t);

let index = 0;
const byTarget: Record<string, number> = {};
const maxMs: Record<string, number> = {};

function guarded(target: string, description: string, run: () => unknown) {
  post({ type: 'case', target, index: ++index, description });
  byTarget[target] = (byTarget[target] ?? 0) + 1;
  const started = performance.now();
  try {
    run();
  } catch (error) {
    if (!(error instanceof AppError)) post({ type: 'finding', kind: 'threw', target, description, detail: String((error as Error)?.stack ?? error).split('\n').slice(0, 5).join(' | ') });
  }
  const ms = performance.now() - started;
  maxMs[target] = Math.max(maxMs[target] ?? 0, Math.round(ms));
  if (ms > input.slowMs) post({ type: 'finding', kind: 'slow', target, description, detail: `${Math.round(ms)} ms (budget ${input.slowMs} ms)` });
}

let salt = 0;
const params = (numRuns: number) => ({ seed: (input.seed + ++salt * 7919) | 0, numRuns });

// parseEvidence: every exhibit type, the file's own type most of the time.
fc.assert(
  fc.property(mutatedBytes(), fc.integer({ min: 0, max: 3 }), fc.constantFrom(...EXHIBIT_TYPES), (m, pickOwn, other) => {
    const type: ExhibitType = pickOwn > 0 ? m.file.type : other;
    guarded(`parseEvidence(${type})`, `${m.file.name} as ${type}: ${m.how}; bytes ${hex(m.bytes)}`, () =>
      parseEvidence({ bytes: m.bytes, type, mapping: m.file.mapping, timeZone: m.file.timeZone }),
    );
  }),
  params(input.runsPerTarget * 3),
);

// The text parsers on their own, with strings bytes cannot carry (lone surrogates).
const TEXT_PARSERS: Record<string, (t: string, f: CorpusFile) => unknown> = {
  'parseTrades (OKX/Binance/generic)': (t, f) => parseTrades(t, { mapping: f.mapping as never, timeZone: f.timeZone }),
  parseActivity: (t, f) => parseActivity(t, { timeZone: f.timeZone }),
  parseChat: (t, f) => parseChat(t, { timeZone: f.timeZone }),
  'parseOnchainReferences (on-chain)': (t) => parseOnchainReferences(t),
  suggestExhibitType: (t) => suggestExhibitType('text/plain', t),
};
for (const [target, parse] of Object.entries(TEXT_PARSERS)) {
  fc.assert(
    fc.property(mutatedText(), fc.constantFrom('UTC', '+08:00', '-23:59', 'Mars/Olympus', '+99:99', ''), (m, zone) => {
      const file = m.file.timeZone || zone === '' ? m.file : { ...m.file, timeZone: zone };
      guarded(target, `${m.file.name}${file.timeZone ? ` (zone ${file.timeZone})` : ''}: ${m.how}; text ${textPreview(m.text)}`, () => parse(m.text, file));
    }),
    params(input.runsPerTarget),
  );
}

// Media headers.
fc.assert(
  fc.property(mutatedBytes(), (m) => {
    const d = `${m.file.name}: ${m.how}; bytes ${hex(m.bytes)}`;
    guarded('imageInfo', d, () => imageInfo(m.bytes));
    guarded('pdfInfo', d, () => pdfInfo(m.bytes));
    guarded('sniffMediaType', d, () => sniffMediaType(m.bytes));
  }),
  params(input.runsPerTarget),
);

post({ type: 'done', cases: index, byTarget, maxMs });
