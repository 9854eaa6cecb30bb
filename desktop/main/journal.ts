// The journal of acknowledged local mutations: an append-only file of JSON lines,
// `<dataDir>/journal.jsonl`. PGlite runs without fsync, so this file is what makes a workstation
// write durable: `append` writes the line and fsyncs it before returning — that is the moment the
// write is acknowledged, and it then survives kill -9 and power loss. The local database can be
// rebuilt from the server plus `pending()` replayed.
//
// Lines: a mutation {"t":"m",seq,name,args,createdAt}; its outcome {"t":"o",seq,outcome}; after a
// compaction a header {"t":"h",maxSeq} first, so seq numbers never repeat. A crash mid-append
// leaves a torn last line: it is ignored when reading and cut off when the journal is opened (so
// the next append starts on a fresh line). A crash mid-compaction leaves the temp file, which the
// next open deletes: the rename never happened, so the journal itself is whole.
import fs from 'node:fs';
import path from 'node:path';
import type { MutationName } from '../../shared/sync/protocol';

export interface JournalEntry {
  seq: number;
  name: MutationName;
  args: Record<string, unknown>;
  /** ISO time the user made the change. */
  createdAt: string;
}

export type JournalOutcome = 'applied' | 'rejected';

type Line =
  | ({ t: 'm' } & JournalEntry)
  | { t: 'o'; seq: number; outcome: JournalOutcome }
  | { t: 'h'; maxSeq: number; compactedAt: string };

export const JOURNAL_FILE = 'journal.jsonl';

export function journalPath(dataDir: string): string {
  return path.join(dataDir, JOURNAL_FILE);
}

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    // Windows cannot open or fsync a directory; its renames are durable through the file's own flush.
    if (process.platform !== 'win32') throw error;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function isSeq(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

interface State {
  entries: Map<number, JournalEntry>;
  done: Map<number, JournalOutcome>;
  maxSeq: number;
  /** Lines that could not be read: a torn last line after a crash (others would mean damage). */
  unreadable: number;
}

/** Reads a journal's text: complete lines only, unreadable ones skipped and counted. */
function parse(text: string): State {
  const state: State = { entries: new Map(), done: new Map(), maxSeq: 0, unreadable: 0 };
  const lines = text.split('\n');
  // Whatever follows the last newline is a line that was never finished.
  const tail = lines.pop();
  if (tail && tail.trim()) state.unreadable++;
  for (const raw of lines) {
    if (!raw.trim()) continue;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      state.unreadable++;
      continue;
    }
    if (line?.t === 'm' && isSeq(line.seq) && typeof line.name === 'string') {
      state.entries.set(line.seq, { seq: line.seq, name: line.name, args: line.args ?? {}, createdAt: line.createdAt });
      state.maxSeq = Math.max(state.maxSeq, line.seq);
    } else if (line?.t === 'o' && isSeq(line.seq)) {
      state.done.set(line.seq, line.outcome);
    } else if (line?.t === 'h' && typeof line.maxSeq === 'number') {
      state.maxSeq = Math.max(state.maxSeq, line.maxSeq);
    } else {
      state.unreadable++;
    }
  }
  return state;
}

export class Journal {
  #fd: number | null;
  #maxSeq: number;

  private constructor(
    readonly file: string,
    fd: number,
    maxSeq: number,
    /** Unreadable lines found when opening (a torn last line is cut off and not counted). */
    readonly damagedLines: number,
  ) {
    this.#fd = fd;
    this.#maxSeq = maxSeq;
  }

  /** Opens (or creates) the journal file, finishing what a crash interrupted. */
  static open(file: string): Journal {
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true });
    // A compaction that crashed before its rename: the journal is intact, the copy is not needed.
    fs.rmSync(`${file}.tmp`, { force: true });
    const existed = fs.existsSync(file);
    const fd = fs.openSync(file, 'a+', 0o600);
    try {
      const bytes = fs.readFileSync(file);
      const whole = bytes.lastIndexOf(0x0a) + 1;
      if (whole < bytes.length) {
        // A torn last line: cut it off so the next line starts clean.
        fs.ftruncateSync(fd, whole);
        fs.fsyncSync(fd);
      }
      const state = parse(bytes.subarray(0, whole).toString('utf8'));
      if (!existed) fsyncDir(dir);
      return new Journal(file, fd, state.maxSeq, state.unreadable);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  #openFd(): number {
    if (this.#fd === null) throw new Error('The journal is closed');
    return this.#fd;
  }

  #read(): State {
    return parse(fs.readFileSync(this.file, 'utf8'));
  }

  /** The seq the next mutation gets: one more than the highest ever journaled, compactions included. */
  nextSeq(): number {
    return this.#maxSeq + 1;
  }

  highestSeq(): number {
    return this.#maxSeq;
  }

  /**
   * Writes the mutation and fsyncs it: when this returns, the mutation is durable (acknowledged).
   * Seq numbers only go up.
   */
  append(entry: JournalEntry): void {
    const fd = this.#openFd();
    if (!isSeq(entry.seq) || entry.seq <= this.#maxSeq) throw new RangeError(`Journal seq ${entry.seq} must be above ${this.#maxSeq}`);
    const line: Line = { t: 'm', seq: entry.seq, name: entry.name, args: entry.args, createdAt: entry.createdAt };
    writeAll(fd, JSON.stringify(line) + '\n');
    fs.fsyncSync(fd);
    this.#maxSeq = entry.seq;
  }

  /**
   * Records what the server did with mutations. Losing this line to a crash is harmless: the
   * mutation is pushed again and the server answers it as a duplicate.
   */
  markDone(seq: number | readonly number[], outcome: JournalOutcome): void {
    const fd = this.#openFd();
    const seqs = typeof seq === 'number' ? [seq] : seq;
    if (seqs.length === 0) return;
    writeAll(fd, seqs.map((s) => JSON.stringify({ t: 'o', seq: s, outcome } satisfies Line) + '\n').join(''));
    fs.fsyncSync(fd);
  }

  /** Mutations with no outcome yet, in seq order; a torn last line is ignored. */
  pending(): JournalEntry[] {
    const state = this.#read();
    return [...state.entries.values()].filter((e) => !state.done.has(e.seq)).sort((a, b) => a.seq - b.seq);
  }

  /** Bytes on disk, to decide when to compact. */
  size(): number {
    return fs.fstatSync(this.#openFd()).size;
  }

  /**
   * Rewrites the journal with only the pending mutations (and the highest seq used), atomically:
   * temp file, fsync, rename over the journal, fsync the directory.
   */
  compact(): void {
    const oldFd = this.#openFd();
    const state = this.#read();
    const maxSeq = Math.max(state.maxSeq, this.#maxSeq);
    const pending = [...state.entries.values()].filter((e) => !state.done.has(e.seq)).sort((a, b) => a.seq - b.seq);
    const tmp = `${this.file}.tmp`;
    const tfd = fs.openSync(tmp, 'w', 0o600);
    try {
      const lines: Line[] = [{ t: 'h', maxSeq, compactedAt: new Date().toISOString() }, ...pending.map((e): Line => ({ t: 'm', ...e }))];
      writeAll(tfd, lines.map((l) => JSON.stringify(l) + '\n').join(''));
      fs.fsyncSync(tfd);
    } finally {
      fs.closeSync(tfd);
    }
    fs.renameSync(tmp, this.file);
    fsyncDir(path.dirname(this.file));
    // Appends go to the new file from now on.
    this.#fd = fs.openSync(this.file, 'a+', 0o600);
    fs.closeSync(oldFd);
    this.#maxSeq = maxSeq;
  }

  close(): void {
    if (this.#fd === null) return;
    fs.closeSync(this.#fd);
    this.#fd = null;
  }

  /** Closes and deletes the journal (a revoked device erases its data). */
  destroy(): void {
    this.close();
    fs.rmSync(this.file, { force: true });
    fs.rmSync(`${this.file}.tmp`, { force: true });
    try {
      fsyncDir(path.dirname(this.file));
    } catch {
      // The directory may be gone with the rest of the data.
    }
  }
}

/** Opens `<dataDir>/journal.jsonl`. */
export function openJournal(dataDir: string): Journal {
  return Journal.open(journalPath(dataDir));
}
