// Evidence intake: resumable chunked uploads whose SHA-256 is computed while the bytes arrive and
// checked before anything is acknowledged; then content sniffing, content-addressed storage, an
// exhibit numbered per case and side, parsed records, the custody entry and cross-case signals.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DB } from '../db/database';
import type { ServiceContext, UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { AppError, badInput, conflict } from '../../../shared/errors';
import { sniffMediaType, isAllowedMediaType } from '../../../shared/evidence/sniff';
import { parseEvidence, suggestExhibitType, EXHIBIT_TYPES, type ExhibitType } from '../../../shared/evidence';
import { insertEvent } from '../repositories/cases.repository';
import * as repo from '../repositories/evidence.repository';
import { lockedVisibleCase } from '../services/cases.service';
import { MAX_PARSE_BYTES, type EvidenceDeps } from './evidence-deps';

type Ctx = ServiceContext & { actor: UserActor };

export const EXHIBIT_SIDES = ['complainant', 'platform'] as const;
export type ExhibitSide = (typeof EXHIBIT_SIDES)[number];
const SIDE_PREFIX: Record<ExhibitSide, string> = { complainant: 'C', platform: 'R' };
const SNIFF_BYTES = 8192;

export interface BeginUploadInput {
  caseId: string;
  fileName: string;
  size: number;
  sha256: string;
  side: ExhibitSide;
  type?: ExhibitType;
  source: string;
  description?: string;
  internalOnly?: boolean;
  mapping?: Record<string, string>;
  deviceId?: string;
}

/** Running hashes of open uploads, so a chunk costs only its own bytes; rebuilt from disk when lost. */
const runningHashes = new Map<string, { offset: number; hash: Hash }>();
/** One chunk at a time per upload on this instance. */
const busy = new Set<string>();

function partPath(deps: EvidenceDeps, uploadId: string) {
  return path.join(deps.uploadsDir, `${uploadId}.part`);
}

export async function beginUpload(deps: EvidenceDeps, ctx: Ctx, input: BeginUploadInput) {
  if (input.size > deps.maxUploadBytes) throw new AppError('payload_too_large', 'evidence.upload.too_large', { field: 'size', params: { maximum: deps.maxUploadBytes } });
  if (input.size === 0) throw badInput('evidence.upload.empty', 'size');
  const upload = await deps.db.transaction().execute(async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, input.caseId);
    if (c.status === 'archived') throw conflict('case.archived', 'caseId');
    const u = await repo.insertUpload(trx, {
      case_id: c.id,
      file_name: input.fileName,
      declared_size: input.size,
      declared_sha256: input.sha256,
      side: input.side,
      exhibit_type: input.type ?? null,
      source: input.source,
      internal_only: input.internalOnly ?? false,
      mapping: input.mapping ? JSON.stringify(input.mapping) : null,
      device_id: input.deviceId ?? null,
      created_by: ctx.actor.userId,
    });
    await audit(trx, ctx, { action: 'evidence.upload_started', caseId: c.id, entity: 'uploads', entityId: u.id, details: { fileName: input.fileName, size: input.size, sha256: input.sha256 } });
    return u;
  });
  await fsp.mkdir(deps.uploadsDir, { recursive: true, mode: 0o700 });
  await fsp.writeFile(partPath(deps, upload.id), new Uint8Array(0), { mode: 0o600 });
  runningHashes.set(upload.id, { offset: 0, hash: createHash('sha256') });
  return { uploadId: upload.id, offset: 0, size: input.size };
}

async function openUpload(deps: EvidenceDeps, ctx: Ctx, uploadId: string) {
  const u = await repo.findUpload(deps.db, uploadId);
  if (!u || u.created_by !== ctx.actor.userId) throw new AppError('not_found', 'evidence.upload.not_found', { field: 'uploadId' });
  return u;
}

export async function uploadStatus(deps: EvidenceDeps, ctx: Ctx, uploadId: string) {
  const u = await openUpload(deps, ctx, uploadId);
  return { uploadId: u.id, offset: Number(u.received_bytes), size: Number(u.declared_size), status: u.status, exhibitId: u.exhibit_id };
}

async function hashOfPrefix(file: string, length: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (length === 0) return hash;
  for await (const chunk of fs.createReadStream(file, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
  return hash;
}

/**
 * Appends one chunk at `offset`. The chunk is all or nothing: a dropped connection, a chunk longer
 * than announced or one whose SHA-256 does not match leaves the upload where it was, to be resumed.
 */
export async function appendChunk(
  deps: EvidenceDeps,
  ctx: Ctx,
  input: { uploadId: string; offset: number; chunkSha256?: string; body: Readable },
) {
  const u = await openUpload(deps, ctx, input.uploadId);
  if (u.status !== 'open') throw conflict('evidence.upload.not_open', 'uploadId', { status: u.status });
  const received = Number(u.received_bytes);
  const size = Number(u.declared_size);
  if (input.offset !== received) throw new AppError('conflict', 'evidence.upload.offset_mismatch', { field: 'offset', params: { expected: received } });
  if (busy.has(u.id)) throw conflict('evidence.upload.busy', 'uploadId');
  busy.add(u.id);
  const file = partPath(deps, u.id);
  try {
    let state = runningHashes.get(u.id);
    if (!state || state.offset !== received) {
      // The instance restarted or another one took the earlier chunks: rebuild from what is on disk.
      await fsp.truncate(file, received).catch(async () => fsp.writeFile(file, new Uint8Array(0), { mode: 0o600 }));
      state = { offset: received, hash: await hashOfPrefix(file, received) };
    }
    const running = state.hash.copy();
    // The chunk's own hash only when the client declared one to check: it is a second full pass.
    const chunkHash = input.chunkSha256 ? createHash('sha256') : null;
    let written = 0;
    const fh = await fsp.open(file, 'r+');
    const writer = new BatchWriter(fh, received);
    try {
      await fh.truncate(received);
      for await (const piece of input.body) {
        const buf = piece as Buffer;
        if (received + written + buf.length > size) throw badInput('evidence.upload.exceeds_declared_size', 'size', { size });
        running.update(buf);
        chunkHash?.update(buf);
        written += buf.length;
        await writer.add(buf);
      }
      await writer.finish();
      if (written === 0) throw badInput('evidence.upload.empty_chunk', 'body');
      if (chunkHash && chunkHash.digest('hex') !== input.chunkSha256) throw badInput('evidence.upload.chunk_hash_mismatch', 'chunkSha256');
      await fh.sync();
    } catch (error) {
      await writer.settle(); // no write of this chunk may land after the truncate
      await fh.truncate(received).catch(() => {});
      throw error;
    } finally {
      await fh.close();
    }
    const offset = received + written;
    if (!(await repo.advanceUpload(deps.db, u.id, received, offset))) {
      await fsp.truncate(file, received).catch(() => {});
      throw conflict('evidence.upload.offset_mismatch', 'offset', { expected: received });
    }
    runningHashes.set(u.id, { offset, hash: running });
    if (offset < size) return { uploadId: u.id, offset, size, complete: false as const };
    const sha256 = running.digest('hex');
    runningHashes.delete(u.id);
    const exhibit = await completeUpload(deps, ctx, u.id, sha256);
    return { uploadId: u.id, offset, size, complete: true as const, exhibit };
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The connection dropped mid-chunk: nothing of this chunk counts; the client resumes at `received`.
    throw new AppError('bad_input', 'evidence.upload.interrupted', { field: 'body', params: { expected: received } });
  } finally {
    busy.delete(u.id);
  }
}

/** Bytes gathered from the request before one positional write. */
const WRITE_BATCH_BYTES = 1024 * 1024;
const WRITE_BATCH_BUFFERS = 256;

/**
 * Writes a chunk's pieces in order from `position`, gathered into batches of about 1 MiB (one
 * writev each instead of a write per 64 KiB socket read), with one batch in flight while the next
 * is received and hashed. At most two batches are held, and a slow disk still holds back the
 * request stream: `add` waits for the write in flight before starting the next.
 */
class BatchWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly fh: fsp.FileHandle,
    private position: number,
  ) {}

  async add(buf: Buffer): Promise<void> {
    this.batch.push(buf);
    this.batchBytes += buf.length;
    if (this.batchBytes >= WRITE_BATCH_BYTES || this.batch.length >= WRITE_BATCH_BUFFERS) await this.flush();
  }

  /** Writes what is gathered and waits for every write; throws if one failed. */
  async finish(): Promise<void> {
    await this.flush();
    await this.wait();
  }

  /** Waits for the write in flight, whatever its outcome (before truncating after a failure). */
  async settle(): Promise<void> {
    const pending = this.inflight;
    this.inflight = null;
    await pending?.catch(() => {});
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
    this.batch = [];
    this.batchBytes = 0;
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

async function readHead(file: string, n: number): Promise<Uint8Array> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    // A view of the bytes read, not a copy (this is up to MAX_PARSE_BYTES + 1).
    return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
  } finally {
    await fh.close();
  }
}

async function completeUpload(deps: EvidenceDeps, ctx: Ctx, uploadId: string, sha256: string) {
  const u = (await repo.findUpload(deps.db, uploadId))!;
  const file = partPath(deps, uploadId);
  const fail = async (error: AppError) => {
    await repo.setUploadStatus(deps.db, uploadId, 'failed');
    await fsp.rm(file, { force: true });
    await deps.db.transaction().execute((trx) =>
      audit(trx, ctx, { action: 'evidence.upload_refused', caseId: u.case_id, entity: 'uploads', entityId: uploadId, details: { reason: error.messageKey, sha256 } }),
    );
    throw error;
  };
  if (sha256 !== u.declared_sha256) return fail(badInput('evidence.upload.hash_mismatch', 'sha256', { computed: sha256 }));
  const head = await readHead(file, SNIFF_BYTES);
  const sniffed = sniffMediaType(head);
  if (!isAllowedMediaType(sniffed.mediaType)) return fail(new AppError('bad_input', 'evidence.upload.type_not_allowed', { field: 'body', params: { mediaType: sniffed.mediaType } }));
  const size = Number(u.declared_size);

  // The bytes are verified: store them once, under their hash.
  await deps.store.put(sha256, file, size);
  await repo.insertBlobIfNew(deps.db, { sha256, size, media_type: sniffed.mediaType, store: deps.store.kind });

  const headText = sniffed.family === 'text' ? new TextDecoder('utf-8', { fatal: false }).decode(head) : '';
  const type = (u.exhibit_type as ExhibitType | null) ?? suggestExhibitType(sniffed.mediaType, headText);
  // One byte past the limit: parseEvidence then checks the first MAX_PARSE_BYTES (UTF-8, line
  // length) and answers evidence.parse.too_large without reading records. Cut at exactly the limit,
  // it would parse 64 MiB of records only to throw them away, and fail on the row cut in half.
  const bytes = await readHead(file, Math.min(size, MAX_PARSE_BYTES + 1));
  let parsed = parseEvidence({ bytes, type, maxTextBytes: MAX_PARSE_BYTES, mapping: (u.mapping as Record<string, string> | null) ?? undefined } as Parameters<typeof parseEvidence>[0]);
  if (size > MAX_PARSE_BYTES && parsed.status === 'parsed')
    parsed = { status: 'failed', error: { messageKey: 'evidence.parse.too_large', line: 0, column: 0, params: { maximum: MAX_PARSE_BYTES } } };
  await fsp.rm(file, { force: true });
  return recordExhibit(deps, ctx, u, { sha256, size, mediaType: sniffed.mediaType, type, parsed });
}

async function recordExhibit(
  deps: EvidenceDeps,
  ctx: Ctx,
  u: NonNullable<Awaited<ReturnType<typeof repo.findUpload>>>,
  f: { sha256: string; size: number; mediaType: string; type: ExhibitType; parsed: ReturnType<typeof parseEvidence> },
) {
  return deps.db.transaction().execute(async (trx) => {
    const c = await lockedVisibleCase(trx, ctx, u.case_id);
    const now = new Date();
    // The same bytes cited twice on one case are one exhibit.
    const existing = await repo.findExhibitOfBlobInCase(trx, c.id, f.sha256);
    if (existing) {
      await repo.setUploadStatus(trx, u.id, 'complete', existing.id);
      await audit(trx, ctx, { action: 'custody.intake_duplicate', caseId: c.id, entity: 'exhibits', entityId: existing.id, details: { sha256: f.sha256, fileName: u.file_name } });
      return { id: existing.id, exhibitNumber: existing.exhibit_number, sha256: f.sha256, duplicate: true, parseStatus: existing.parse_status };
    }
    const side = u.side as ExhibitSide;
    const seq = await repo.nextExhibitSeq(trx, c.id, side);
    const exhibitNumber = `${SIDE_PREFIX[side]}-${seq}`;
    const parsed = f.parsed;
    const records = parsed.status === 'parsed' ? parsed.records : [];
    const exhibit = await repo.insertExhibit(trx, {
      case_id: c.id,
      blob_sha256: f.sha256,
      side,
      seq,
      exhibit_number: exhibitNumber,
      type: f.type,
      source: u.source,
      file_name: u.file_name,
      media_type: f.mediaType,
      size: f.size,
      description: '',
      internal_only: u.internal_only,
      taken_in_by: ctx.actor.userId,
      taken_in_at: now,
      device_id: u.device_id,
      parse_status: parsed.status,
      parse_error: parsed.status === 'failed' ? JSON.stringify(parsed.error) : null,
      metadata: JSON.stringify(parsed.status === 'failed' ? {} : { ...parsed.metadata, ...(parsed.status === 'parsed' && parsed.warnings?.length ? { warnings: parsed.warnings.slice(0, 100) } : {}) }),
      record_count: records.length,
    });
    await repo.insertRecords(
      trx,
      records.map((r) => {
        const { searchText, ...data } = r as typeof r & { searchText?: string };
        const time = (r as { time?: string }).time;
        return { exhibit_id: exhibit.id, case_id: c.id, seq: r.seq, kind: r.kind, occurred_at: time ? new Date(time) : null, data: JSON.stringify(data), search_text: searchText ?? '' };
      }),
    );
    await repo.setUploadStatus(trx, u.id, 'complete', exhibit.id);
    const details = { exhibitNumber, sha256: f.sha256, size: f.size, fileName: u.file_name, side, type: f.type, source: u.source, deviceId: u.device_id, mediaType: f.mediaType, parseStatus: parsed.status };
    await audit(trx, ctx, { action: 'custody.intake', caseId: c.id, entity: 'exhibits', entityId: exhibit.id, details });
    await insertEvent(trx, { case_id: c.id, type: 'exhibit.added', actor_id: ctx.actor.userId, at: now, payload: { exhibitId: exhibit.id, exhibitNumber, type: f.type, parseStatus: parsed.status } });
    // The same file from another complainant: a signal on both cases.
    for (const other of await repo.casesCitingBlobElsewhere(trx, f.sha256, c.complainant_id)) {
      await repo.insertSignal(trx, { case_id: c.id, other_case_id: other.case_id, blob_sha256: f.sha256 });
      await repo.insertSignal(trx, { case_id: other.case_id, other_case_id: c.id, blob_sha256: f.sha256 });
      for (const [a, b] of [[c.id, other.case_number], [other.case_id, c.case_number]] as const)
        await insertEvent(trx, { case_id: a, type: 'evidence.signal', actor_id: null, at: now, payload: { kind: 'shared_file_across_complainants', sha256: f.sha256, otherCaseNumber: b } });
    }
    return { id: exhibit.id, exhibitNumber, sha256: f.sha256, duplicate: false, parseStatus: parsed.status };
  });
}

export { EXHIBIT_TYPES };
