// Writes the bytes of one upload chunk to the partial file, in order from the offset the upload has
// reached, while the next bytes are received and hashed.
//
// Direct I/O (O_DIRECT) where the filesystem allows it: the bytes are copied into an aligned staging
// buffer and go from there to the disk, without the page cache. An upload is written once and is not
// read again before it is acknowledged; through the page cache, every 4 KiB of it costs a fresh page
// (on a virtual machine that hands free memory back to its host, a fault on the host as well: 2-4 s
// per GiB measured, against 0.5 s direct), and the final fsync has all of it to flush at once.
// Two staging buffers of 4 MiB: one is written while the other fills, so at most one write is in
// flight and a slow disk holds back the request stream. The last block is written padded to the
// alignment and the file then cut to its exact length; a chunk that starts mid-block rewrites that
// block's first bytes as they are on disk.
//
// Elsewhere (no O_DIRECT on this platform or filesystem, no aligned memory, a write refused as
// misaligned), buffered writes: the received buffers gathered into batches of about 1 MiB (one
// writev each instead of a write per 64 KiB socket read, no copy), and an fdatasync started every
// 64 MiB so that the final fsync does not have a whole large file to flush at once.
//
// Durability is the caller's: it fsyncs the file before acknowledging the chunk.
import fs from 'node:fs';
import fsp from 'node:fs/promises';

export interface ChunkWriter {
  /** Appends the next bytes. When it returns a promise, wait for it before adding more. */
  add(buf: Buffer): Promise<void> | undefined;
  /** Writes what is held and waits for every write: the file then ends after the last byte added. Throws if a write failed. */
  finish(): Promise<void>;
  /** After a failure: waits for every write in flight, whatever its outcome (before the file is cut back). */
  settle(): Promise<void>;
  /** Lets go of what the writer holds (not `fh`, the caller's). */
  close(): Promise<void>;
}

/**
 * A writer of the bytes that follow `start` in `file`, already open as `fh` (read-write, and
 * already cut to `start`): direct I/O when it can be had (and `direct` is not false), else
 * buffered through `fh`.
 */
export async function openChunkWriter(fh: fsp.FileHandle, file: string, start: number, options: { direct?: boolean } = {}): Promise<ChunkWriter> {
  return ((options.direct ?? true) && (await DirectWriter.open(fh, file, start))) || new BufferedWriter(fh, start);
}

// ---------------------------------------------------------------------------------------------
// Direct I/O

/** Alignment of file offsets, lengths and memory for O_DIRECT (a multiple of any logical block size in use). */
const ALIGN = 4096;
const STAGING_BYTES = 4 * 1024 * 1024;
const WASM_PAGE = 64 * 1024;
/** Idle staging buffers kept for the next uploads. */
const IDLE_STAGING = 4;

const O_DIRECT: number | undefined = (fs.constants as { O_DIRECT?: number }).O_DIRECT;
const idleStaging: Buffer[] = [];

/**
 * A page-aligned buffer for direct I/O, or null when none can be had. JavaScript cannot ask for
 * alignment; WebAssembly memory is page-aligned. Should it ever not be, the first write is refused
 * (EINVAL) and the writer goes on buffered.
 */
function takeStaging(): Buffer | null {
  const idle = idleStaging.pop();
  if (idle) return idle;
  try {
    const pages = STAGING_BYTES / WASM_PAGE;
    return Buffer.from(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer);
  } catch {
    return null;
  }
}

function giveBackStaging(buf: Buffer): void {
  if (idleStaging.length < IDLE_STAGING) idleStaging.push(buf);
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code;

class DirectWriter implements ChunkWriter {
  /** The staging buffers (the second taken when the first is full), the one being filled, and its fill. */
  private readonly buffers: Buffer[];
  private cur: Buffer;
  private curLength: number;
  /** File offset of cur[0] (aligned). */
  private position: number;
  private inflight: Promise<void> | null = null;
  /** False once a direct write was refused: the rest goes through `fh`. */
  private direct = true;

  static async open(fh: fsp.FileHandle, file: string, start: number): Promise<DirectWriter | null> {
    if (O_DIRECT === undefined) return null;
    const staging = takeStaging();
    if (!staging) return null;
    let dfh: fsp.FileHandle;
    try {
      dfh = await fsp.open(file, fs.constants.O_WRONLY | O_DIRECT);
    } catch (error) {
      giveBackStaging(staging);
      if (errorCode(error) === 'EINVAL' || errorCode(error) === 'EOPNOTSUPP') return null; // no direct I/O on this filesystem
      throw error;
    }
    try {
      // A chunk that starts mid-block: that block's first bytes, as they are, go first.
      const base = start - (start % ALIGN);
      const lead = start - base;
      let filled = 0;
      while (filled < lead) {
        const { bytesRead } = await fh.read(staging, filled, lead - filled, base + filled);
        if (bytesRead === 0) throw new Error('evidence upload: the partial file is shorter than its offset');
        filled += bytesRead;
      }
      return new DirectWriter(fh, dfh, staging, base, lead);
    } catch (error) {
      giveBackStaging(staging);
      await dfh.close().catch(() => {});
      throw error;
    }
  }

  private constructor(
    private readonly fh: fsp.FileHandle,
    private readonly dfh: fsp.FileHandle,
    staging: Buffer,
    position: number,
    lead: number,
  ) {
    this.buffers = [staging];
    this.cur = staging;
    this.curLength = lead;
    this.position = position;
  }

  add(buf: Buffer): Promise<void> | undefined {
    let at = 0;
    while (at < buf.length) {
      const n = Math.min(buf.length - at, this.cur.length - this.curLength);
      buf.copy(this.cur, this.curLength, at, at + n);
      this.curLength += n;
      at += n;
      if (this.curLength === this.cur.length) {
        const waiting = this.rotate();
        if (waiting) {
          const rest = at < buf.length ? buf.subarray(at) : null;
          return waiting.then(() => (rest ? this.add(rest) : undefined));
        }
      }
    }
    return undefined;
  }

  /** The buffer being filled is full: write it and fill the other one, once that one's write is done. */
  private rotate(): Promise<void> | undefined {
    if (this.inflight) {
      const pending = this.inflight;
      return pending.then(() => {
        this.inflight = null;
        return this.rotate();
      });
    }
    const full = this.cur;
    const write = this.writeAt(full, this.curLength, this.position);
    write.catch(() => {}); // observed by whoever waits for it; not an unhandled rejection meanwhile
    this.inflight = write;
    this.position += this.curLength;
    this.curLength = 0;
    let next = this.buffers.find((b) => b !== full);
    if (!next) {
      const taken = takeStaging();
      if (taken) this.buffers.push(taken);
      next = taken ?? undefined;
    }
    if (next) {
      this.cur = next;
      return undefined;
    }
    // One buffer only: it is free again when its write is done.
    return write.then(() => {
      this.inflight = null;
    });
  }

  async finish(): Promise<void> {
    await this.wait();
    if (this.curLength === 0) return;
    const length = this.curLength;
    const padded = Math.ceil(length / ALIGN) * ALIGN;
    this.cur.fill(0, length, padded);
    await this.writeAt(this.cur, padded, this.position);
    this.position += length;
    this.curLength = 0;
    // The padding went past the end: cut it off.
    if (padded !== length) await this.fh.truncate(this.position);
  }

  async settle(): Promise<void> {
    const pending = this.inflight;
    this.inflight = null;
    await pending?.catch(() => {});
  }

  async close(): Promise<void> {
    await this.settle();
    for (const b of this.buffers) giveBackStaging(b);
    this.buffers.length = 0;
    await this.dfh.close();
  }

  private async wait(): Promise<void> {
    const pending = this.inflight;
    this.inflight = null;
    if (pending) await pending;
  }

  /** Writes `length` bytes of `buf` at `position` (both aligned while direct), going on after a short write. */
  private async writeAt(buf: Buffer, length: number, position: number): Promise<void> {
    let done = 0;
    while (done < length) {
      let n: number;
      if (this.direct) {
        try {
          n = (await this.dfh.write(buf, done, length - done, position + done)).bytesWritten;
        } catch (error) {
          if (errorCode(error) !== 'EINVAL') throw error;
          this.direct = false; // refused as misaligned: the rest through the page cache
          continue;
        }
        if (n % ALIGN !== 0) this.direct = false; // what is left is no longer aligned
      } else {
        n = (await this.fh.write(buf, done, length - done, position + done)).bytesWritten;
      }
      if (n <= 0) throw new Error('evidence upload: a write made no progress');
      done += n;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Buffered

/** Bytes gathered from the request before one positional write. */
const WRITE_BATCH_BYTES = 1024 * 1024;
const WRITE_BATCH_BUFFERS = 256;
/** Written bytes between two fdatasyncs started in the background. */
const SYNC_EVERY_BYTES = 64 * 1024 * 1024;

/**
 * The received buffers gathered into batches of about 1 MiB, with one batch in flight while the next
 * is received and hashed; at most two batches are held, and `add` waits for the write in flight
 * before starting the next.
 */
class BufferedWriter implements ChunkWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private inflight: Promise<void> | null = null;
  /** The last fdatasync started (it never rejects: a failure is kept in `syncFailure`), and whether it is still running. */
  private syncing: Promise<void> | null = null;
  private syncBusy = false;
  private syncFailure: unknown = null;
  private unsynced = 0;

  constructor(
    private readonly fh: fsp.FileHandle,
    private position: number,
  ) {}

  add(buf: Buffer): Promise<void> | undefined {
    this.batch.push(buf);
    this.batchBytes += buf.length;
    if (this.batchBytes >= WRITE_BATCH_BYTES || this.batch.length >= WRITE_BATCH_BUFFERS) return this.flush();
    return undefined;
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.wait();
    await this.syncing;
    if (this.syncFailure) throw this.syncFailure;
  }

  async settle(): Promise<void> {
    const pending = this.inflight;
    this.inflight = null;
    await pending?.catch(() => {});
    await this.syncing;
  }

  async close(): Promise<void> {
    await this.settle();
  }

  private async wait(): Promise<void> {
    const pending = this.inflight;
    this.inflight = null;
    if (pending) await pending;
  }

  private async flush(): Promise<void> {
    await this.wait();
    if (this.batch.length === 0) return;
    const pending = writeAll(this.fh, this.batch, this.position);
    pending.catch(() => {}); // observed by wait() or settle(); not an unhandled rejection meanwhile
    this.inflight = pending;
    this.position += this.batchBytes;
    this.unsynced += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    if (this.unsynced >= SYNC_EVERY_BYTES && !this.syncBusy) {
      // What is written so far starts going to the disk now, not all at the final fsync.
      this.unsynced = 0;
      this.syncBusy = true;
      this.syncing = this.fh.datasync().then(
        () => {
          this.syncBusy = false;
        },
        (error: unknown) => {
          this.syncBusy = false;
          this.syncFailure ??= error;
        },
      );
    }
  }
}

/** Writes all of `bufs` at `position`, going on after a short write. */
async function writeAll(fh: fsp.FileHandle, bufs: Buffer[], position: number): Promise<void> {
  let rest = bufs;
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = await fh.writev(rest, at);
    if (bytesWritten <= 0) throw new Error('evidence upload: a write made no progress');
    at += bytesWritten;
    let skip = bytesWritten;
    let k = 0;
    while (k < rest.length && skip >= rest[k]!.length) skip -= rest[k++]!.length;
    rest = rest.slice(k);
    if (skip > 0) rest[0] = rest[0]!.subarray(skip);
  }
}
