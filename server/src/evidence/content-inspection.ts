// What completing an upload needs to know of the file's content, gathered from the very chunks that
// are hashed and written while they stream in, so that the file is not read again before the upload
// is acknowledged:
//  - its first SNIFF_BYTES, from which its type is sniffed (never from its name or declared type);
//  - what parsing needs: a file small enough to be parsed (≤ MAX_PARSE_BYTES) is kept whole in
//    memory (the pieces as received, not copied); text too large to be parsed is checked as it
//    passes (UTF-8 and line length over the part that would be read: parseOversizedText), so only
//    small state is held; anything else that large (an image, a PDF, a document) keeps its first
//    MAX_PARSE_BYTES + 1 bytes, which is what parseEvidence is given for it.
// An inspection that did not see every byte from the start (a chunk failed after feeding it, kept
// bytes were let go between two requests) answers nothing: completion then reads what it needs from
// the file, as it would without one.
import fsp from 'node:fs/promises';
import { sniffMediaType, isAllowedMediaType, type SniffResult } from '../../../shared/evidence/sniff';
import {
  createTextCheck,
  isTextExhibitType,
  parseEvidence,
  parseOversizedText,
  suggestExhibitType,
  type ExhibitType,
  type ParseResult,
  type TextCheck,
} from '../../../shared/evidence';
import { MAX_PARSE_BYTES } from './evidence-deps';

/** Leading bytes the type is sniffed from (and the exhibit type suggested from). */
export const SNIFF_BYTES = 8192;

/** The sniffed media type of a file's first bytes, whether it is allowed, and the exhibit type it is taken in as. */
export function describeHead(head: Uint8Array, declaredType: ExhibitType | null): { sniffed: SniffResult; allowed: boolean; type: ExhibitType } {
  const sniffed = sniffMediaType(head);
  const allowed = isAllowedMediaType(sniffed.mediaType);
  const headText = allowed && sniffed.family === 'text' ? new TextDecoder('utf-8', { fatal: false }).decode(head) : '';
  return { sniffed, allowed, type: declaredType ?? suggestExhibitType(sniffed.mediaType, headText) };
}

export class ContentInspection {
  /** Bytes fed so far (from offset 0). */
  private seen = 0;
  private readonly head: Buffer;
  /** Whether the first bytes have told what to gather (for a file that is not parsed whole). */
  private decided = false;
  /** Bytes from the start to keep (0: none), and those kept. */
  private keepLimit = 0;
  private kept: Buffer[] = [];
  private keptBytes = 0;
  /** Bytes from the start to check as text (0: none). */
  private checkLimit = 0;
  private check: TextCheck | null = null;
  /** Offset up to which the gatherers were fed. */
  private fedTo = 0;
  private lost = false;

  constructor(
    readonly size: number,
    private readonly declaredType: ExhibitType | null,
  ) {
    this.head = Buffer.allocUnsafe(Math.min(size, SNIFF_BYTES));
    if (size <= MAX_PARSE_BYTES) {
      // Parsed whole, whatever it turns out to be.
      this.keepLimit = size;
      this.decided = true;
    }
  }

  /** Feeds the next bytes of the file, in order. */
  push(buf: Buffer): void {
    if (this.lost || buf.length === 0) return;
    const start = this.seen;
    this.seen += buf.length;
    if (start < this.head.length) buf.copy(this.head, start, 0, Math.min(buf.length, this.head.length - start));
    if (!this.decided) {
      if (this.seen < this.head.length) return;
      this.decide();
    }
    this.feed(buf, start);
  }

  /**
   * The bytes fed from `offset` on do not count (their chunk failed; they will come again): when
   * anything was gathered from them, nothing gathered counts any more.
   */
  rewind(offset: number): void {
    if (this.lost || offset >= this.seen) return;
    if (!this.decided || offset < Math.max(this.head.length, this.keepLimit, this.checkLimit)) this.lose();
    else this.seen = offset;
  }

  /** Nothing of what was fed counts any more: completion reads the file. */
  lose(): void {
    this.lost = true;
    this.kept = [];
    this.keptBytes = 0;
    this.check = null;
  }

  /** Between two requests of a resumable upload: kept bytes are let go (memory is not held for an upload that may never resume). */
  release(): void {
    if (this.keptBytes > 0) this.lose();
  }

  /** The file's first bytes, once every byte of it was seen; null when completion must read them. */
  headOfComplete(): Buffer | null {
    return !this.lost && this.seen === this.size ? this.head : null;
  }

  /**
   * What parseEvidence says of the file, as the exhibit records it: the file itself when it is at most
   * MAX_PARSE_BYTES, else its first MAX_PARSE_BYTES + 1 bytes (parseEvidence then checks the first
   * MAX_PARSE_BYTES and answers evidence.parse.too_large without reading records; cut at exactly the
   * limit, it would parse 64 MiB of records only to throw them away, and fail on the row cut in half).
   * From what was gathered when it can; else from the file.
   */
  async parse(file: string, type: ExhibitType, mapping: Record<string, string> | undefined): Promise<ParseResult> {
    const size = this.size;
    const complete = !this.lost && this.seen === size;
    let parsed: ParseResult | null = null;
    if (complete && this.check) parsed = parseOversizedText({ head: this.head, size, type, textCheck: this.check.end(false), maxTextBytes: MAX_PARSE_BYTES });
    if (!parsed) {
      const wanted = Math.min(size, MAX_PARSE_BYTES + 1);
      const bytes = complete && this.keptBytes === wanted ? (this.kept.length === 1 ? this.kept[0]! : Buffer.concat(this.kept, wanted)) : await readHead(file, wanted);
      this.kept = [];
      parsed = parseEvidence({ bytes, type, maxTextBytes: MAX_PARSE_BYTES, mapping } as Parameters<typeof parseEvidence>[0]);
    }
    if (size > MAX_PARSE_BYTES && parsed.status === 'parsed')
      parsed = { status: 'failed', error: { messageKey: 'evidence.parse.too_large', line: 0, column: 0, params: { maximum: MAX_PARSE_BYTES } } };
    return parsed;
  }

  /** The first bytes are in: what to gather for a file too large to be parsed whole. */
  private decide(): void {
    this.decided = true;
    const { allowed, type } = describeHead(this.head, this.declaredType);
    if (!allowed) return; // refused at completion: nothing to gather
    if (isTextExhibitType(type)) {
      this.check = createTextCheck();
      this.checkLimit = MAX_PARSE_BYTES;
    } else {
      this.keepLimit = MAX_PARSE_BYTES + 1;
    }
    this.feed(this.head, 0);
  }

  /** Hands the part of `buf` (at offset `start`) not fed yet to what gathers it. */
  private feed(buf: Buffer, start: number): void {
    const end = start + buf.length;
    if (end <= this.fedTo || this.fedTo >= Math.max(this.keepLimit, this.checkLimit)) return;
    const piece = this.fedTo > start ? buf.subarray(this.fedTo - start) : buf;
    if (this.fedTo < this.keepLimit) {
      const take = Math.min(piece.length, this.keepLimit - this.fedTo);
      this.kept.push(take === piece.length ? piece : piece.subarray(0, take));
      this.keptBytes += take;
    }
    if (this.check && this.fedTo < this.checkLimit) {
      // Once it has found a problem, the check ignores what follows: that is its answer.
      const take = Math.min(piece.length, this.checkLimit - this.fedTo);
      this.check.push(take === piece.length ? piece : piece.subarray(0, take));
    }
    this.fedTo = end;
  }
}

/** The first `n` bytes of a file (fewer when it is shorter), as one view. */
export async function readHead(file: string, n: number): Promise<Uint8Array> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const { bytesRead } = await fh.read(buf, filled, n - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // A view of the bytes read, not a copy (this is up to MAX_PARSE_BYTES + 1).
    return new Uint8Array(buf.buffer, buf.byteOffset, filled);
  } finally {
    await fh.close();
  }
}
