// The journal of acknowledged local mutations: an append-only file of JSON lines,
// `<dataDir>/journal.jsonl`. PGlite runs without fsync, so this file is what makes a workstation
// write durable: `append` writes the line and fsyncs it before returning — that is the moment the
// write is acknowledged, and it then survives kill -9 and power loss. The local database can be
// rebuilt from the server plus `pending()` replayed.
//
// Lines: a mutation {"t":"m",seq,name,args,createdAt}; its outcome {"t":"o",seq,outcome}; a
// refusal also holds what the user must be shown, {"t":"o",seq,outcome:"rejected",name,args,
// reason,at}, until they dismiss it {"t":"d",seq,at}; after a compaction a header {"t":"h",maxSeq}
// first, so seq numbers never repeat. The local database keeps rejections too, but it is a cache:
// when it is rebuilt, the refusals the user has not dismissed come back from here. A crash mid-append
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

/** Why the server refused a mutation (its `MutationOutcome.reason`). */
export interface RejectionReason {
  messageKey: string;
  field: string | null;
  params: Record<string, string | number>;
}

/** A mutation the server refused, as the user is shown it. */
export interface JournalRejection {
  seq: number;
  name: MutationName;
  args: Record<string, unknown>;
  reason: RejectionReason;
  /** ISO time the refusal came back. */
  at: string;
}

type Line =
  | ({ t: 'm' } & JournalEntry)
  // A refusal recorded by markRejected also holds what to show the user; one recorded by markDone
  // (or by a journal from before refusals kept their reason) holds nothing more.
  | ({ t: 'o'; seq: number; outcome: JournalOutcome } & Partial<Omit<JournalRejection, 'seq'>>)
  | { t: 'd'; seq: number; at: string }
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

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The refusal a rejected outcome line holds, or null when it holds none (or not all of it). */
function rejectionOf(seq: number, line: object): JournalRejection | null {
  const { name, args, reason, at } = line as Record<string, unknown>;
  if (typeof name !== 'string' || !isObject(args) || !isObject(reason) || typeof at !== 'string') return null;
  if (typeof reason.messageKey !== 'string') return null;
  const field = typeof reason.field === 'string' ? reason.field : null;
  const params = (isObject(reason.params) ? reason.params : {}) as Record<string, string | number>;
  return { seq, name: name as MutationName, args, reason: { messageKey: reason.messageKey, field, params }, at };
}

interface State {
  entries: Map<number, JournalEntry>;
  done: Map<number, JournalOutcome>;
  /** Refusals with what to show of them, dismissed ones included. */
  rejections: Map<number, JournalRejection>;
  /** seq → ISO time the user dismissed its refusal. */
  dismissed: Map<number, string>;
  maxSeq: number;
  /** Lines that could not be read: a torn last line after a crash (others would mean damage). */
  unreadable: number;
}

/** Reads a journal's text: complete lines only, unreadable ones skipped and counted. */
function parse(text: string): State {
  const state: State = { entries: new Map(), done: new Map(), rejections: new Map(), dismissed: new Map(), maxSeq: 0, unreadable: 0 };
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
      const rejection = line.outcome === 'rejected' ? rejectionOf(line.seq, line) : null;
      if (rejection) state.rejections.set(line.seq, rejection);
      else if (line.outcome === 'applied') state.rejections.delete(line.seq);
    } else if (line?.t === 'd' && isSeq(line.seq) && typeof line.at === 'string') {
      state.dismissed.set(line.seq, line.at);
    } else if (line?.t === 'h' && typeof line.maxSeq === 'number') {
      state.maxSeq = Math.max(state.maxSeq, line.maxSeq);
    } else {
      state.unreadable++;
    }
  }
  return state;
}

function pendingOf(state: State): JournalEntry[] {
  return [...state.entries.values()].filter((e) => !state.done.has(e.seq)).sort((a, b) => a.seq - b.seq);
}

function rejectedLine(r: JournalRejection): Line {
  return { t: 'o', seq: r.seq, outcome: 'rejected', name: r.name, args: r.args, reason: r.reason, at: r.at };
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

  #writeLines(lines: readonly Line[]): void {
    const fd = this.#openFd();
    if (lines.length === 0) return;
    writeAll(fd, lines.map((l) => JSON.stringify(l) + '\n').join(''));
    fs.fsyncSync(fd);
  }

  /**
   * Records what the server did with mutations. Losing this line to a crash is harmless: the
   * mutation is pushed again and the server answers it as a duplicate. A refusal recorded here
   * has nothing to show the user after a rebuild: the engine records refusals with markRejected.
   */
  markDone(seq: number | readonly number[], outcome: JournalOutcome): void {
    const seqs = typeof seq === 'number' ? [seq] : seq;
    this.#writeLines(seqs.map((s): Line => ({ t: 'o', seq: s, outcome })));
  }

  /**
   * Records that the server refused mutations, with what the user must be shown of each (the
   * mutation, the reason): the journal keeps it until the user dismisses it, so a rebuilt local
   * database shows it again.
   */
  markRejected(rejection: JournalRejection | readonly JournalRejection[]): void {
    const rejections: readonly JournalRejection[] = 'seq' in rejection ? [rejection] : rejection;
    this.#writeLines(rejections.map(rejectedLine));
  }

  /** Records that the user dismissed a refusal, durably: a rebuilt local database does not show it again. */
  markDismissed(seq: number, at: string): void {
    this.#writeLines([{ t: 'd', seq, at }]);
  }

  /** Mutations with no outcome yet, in seq order; a torn last line is ignored. */
  pending(): JournalEntry[] {
    return pendingOf(this.#read());
  }

  /**
   * The refusals recorded with markRejected, in seq order, each with when the user dismissed it
   * (null: not yet). Dismissed ones are forgotten at the next compaction.
   */
  rejections(): (JournalRejection & { dismissedAt: string | null })[] {
    const state = this.#read();
    return [...state.rejections.values()].sort((a, b) => a.seq - b.seq).map((r) => ({ ...r, dismissedAt: state.dismissed.get(r.seq) ?? null }));
  }

  /** Bytes on disk, to decide when to compact. */
  size(): number {
    return fs.fstatSync(this.#openFd()).size;
  }

  /**
   * Rewrites the journal with only the pending mutations and the refusals not dismissed yet (and
   * the highest seq used), atomically: temp file, fsync, rename over the journal, fsync the directory.
   */
  compact(): void {
    const oldFd = this.#openFd();
    const state = this.#read();
    const maxSeq = Math.max(state.maxSeq, this.#maxSeq);
    const pending = pendingOf(state);
    const rejections = [...state.rejections.values()].filter((r) => !state.dismissed.has(r.seq)).sort((a, b) => a.seq - b.seq);
    const tmp = `${this.file}.tmp`;
    const tfd = fs.openSync(tmp, 'w', 0o600);
    try {
      const lines: Line[] = [
        { t: 'h', maxSeq, compactedAt: new Date().toISOString() },
        ...rejections.map(rejectedLine),
        ...pending.map((e): Line => ({ t: 'm', ...e })),
      ];
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
