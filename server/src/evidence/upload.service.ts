// Evidence intake: resumable chunked uploads whose SHA-256 is computed while the bytes arrive and
// checked before anything is acknowledged; then content sniffing, content-addressed storage, an
// exhibit numbered per case and side, parsed records, the custody entry and cross-case signals.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { transact, transactIndependently } from '../db/transaction';
import type { ServiceContext, UserActor } from '../context';
import { audit } from '../audit/audit.service';
import { AppError, badInput, conflict } from '../../../shared/errors';
import { EXHIBIT_TYPES, type ExhibitType, type ParseResult } from '../../../shared/evidence';
import { insertEvent } from '../cases/cases.repository';
import * as repo from './evidence.repository';
import { lockedVisibleCase } from '../cases/cases.service';
import type { EvidenceDeps } from './evidence-deps';
import { ContentInspection, SNIFF_BYTES, describeHead, readHead } from './content-inspection';
import { openChunkWriter, type ChunkWriter } from './chunk-writer';

type Ctx = ServiceContext & { actor: UserActor };

export const EXHIBIT_SIDES = ['complainant', 'platform'] as const;
export type ExhibitSide = (typeof EXHIBIT_SIDES)[number];
const SIDE_PREFIX: Record<ExhibitSide, string> = { complainant: 'C', platform: 'R' };

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

/**
 * Running hashes of open uploads, so a chunk costs only its own bytes, with what was gathered of the
 * content for completion (see ContentInspection); rebuilt from disk when lost.
 */
interface RunningUpload {
  offset: number;
  hash: Hash;
  inspection: ContentInspection;
}
const runningUploads = new Map<string, RunningUpload>();
/** One chunk at a time per upload on this instance. */
const busy = new Set<string>();

function partPath(deps: EvidenceDeps, uploadId: string) {
  return path.join(deps.uploadsDir, `${uploadId}.part`);
}

export async function beginUpload(deps: EvidenceDeps, ctx: Ctx, input: BeginUploadInput) {
  if (input.size > deps.maxUploadBytes) throw new AppError('payload_too_large', 'evidence.upload.too_large', { field: 'size', params: { maximum: deps.maxUploadBytes } });
  if (input.size === 0) throw badInput('evidence.upload.empty', 'size');
  const upload = await transact(deps.db, async (trx) => {
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
  runningUploads.set(upload.id, { offset: 0, hash: createHash('sha256'), inspection: new ContentInspection(input.size, input.type ?? null) });
  return { uploadId: upload.id, offset: 0, size: input.size };
}

async function openUpload(deps: EvidenceDeps, ctx: Ctx, uploadId: string) {
  const u = await repo.findUpload(deps.db, uploadId);
  if (!u || u.created_by !== ctx.actor.userId) throw new AppError('not_found', 'evidence.upload.not_found', { field: 'uploadId' });
  return u;
}

/**
 * Removes a refused upload, row and partial file: a one-request upload that failed (cut short, too
 * long, wrong hash, refused type) or a resumable one refused at completion leaves nothing behind.
 */
export async function discardUpload(deps: EvidenceDeps, uploadId: string): Promise<void> {
  runningUploads.delete(uploadId);
  await fsp.rm(partPath(deps, uploadId), { force: true });
  await repo.deleteUpload(deps.db, uploadId);
}

export async function uploadStatus(deps: EvidenceDeps, ctx: Ctx, uploadId: string) {
  const u = await openUpload(deps, ctx, uploadId);
  return { uploadId: u.id, offset: Number(u.received_bytes), size: Number(u.declared_size), status: u.status, exhibitId: u.exhibit_id };
}

/** The running state of an upload rebuilt from the first `length` bytes on disk. */
async function runningFromDisk(file: string, length: number, size: number, type: ExhibitType | null): Promise<RunningUpload> {
  const hash = createHash('sha256');
  const inspection = new ContentInspection(size, type);
  if (length > 0) {
    for await (const chunk of fs.createReadStream(file, { start: 0, end: length - 1, highWaterMark: 1024 * 1024 })) {
      hash.update(chunk as Buffer);
      inspection.push(chunk as Buffer);
    }
  }
  return { offset: length, hash, inspection };
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
    let state = runningUploads.get(u.id);
    if (!state || state.offset !== received) {
      // The instance restarted or another one took the earlier chunks: rebuild from what is on disk.
      await fsp.truncate(file, received).catch(async () => fsp.writeFile(file, new Uint8Array(0), { mode: 0o600 }));
      state = await runningFromDisk(file, received, size, (u.exhibit_type as ExhibitType | null) ?? null);
      runningUploads.set(u.id, state);
    }
    const running = state.hash.copy();
    const inspection = state.inspection;
    // The chunk's own hash only when the client declared one to check: it is a second full pass.
    const chunkHash = input.chunkSha256 ? createHash('sha256') : null;
    let written = 0;
    const fh = await fsp.open(file, 'r+');
    let writer: ChunkWriter | null = null;
    try {
      await fh.truncate(received);
      writer = await openChunkWriter(fh, file, received);
      // Each piece as received: hashed, looked at for completion, and written; the file is not read back.
      for await (const piece of input.body) {
        const buf = piece as Buffer;
        if (received + written + buf.length > size) throw badInput('evidence.upload.exceeds_declared_size', 'size', { size });
        running.update(buf);
        chunkHash?.update(buf);
        inspection.push(buf);
        written += buf.length;
        const full = writer.add(buf);
        if (full) await full;
      }
      await writer.finish();
      if (written === 0) throw badInput('evidence.upload.empty_chunk', 'body');
      if (chunkHash && chunkHash.digest('hex') !== input.chunkSha256) throw badInput('evidence.upload.chunk_hash_mismatch', 'chunkSha256');
      await fh.sync();
    } catch (error) {
      inspection.rewind(received);
      await writer?.settle(); // no write of this chunk may land after the truncate
      await fh.truncate(received).catch(() => {});
      throw error;
    } finally {
      await writer?.close().catch(() => {});
      await fh.close();
    }
    const offset = received + written;
    if (!(await repo.advanceUpload(deps.db, u.id, received, offset))) {
      inspection.rewind(received);
      await fsp.truncate(file, received).catch(() => {});
      throw conflict('evidence.upload.offset_mismatch', 'offset', { expected: received });
    }
    runningUploads.set(u.id, { offset, hash: running, inspection });
    if (offset < size) {
      inspection.release();
      return { uploadId: u.id, offset, size, complete: false as const };
    }
    const sha256 = running.digest('hex');
    runningUploads.delete(u.id);
    const exhibit = await completeUpload(deps, ctx, u.id, sha256, inspection);
    return { uploadId: u.id, offset, size, complete: true as const, exhibit };
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The connection dropped mid-chunk: nothing of this chunk counts; the client resumes at `received`.
    throw new AppError('bad_input', 'evidence.upload.interrupted', { field: 'body', params: { expected: received } });
  } finally {
    busy.delete(u.id);
  }
}

/**
 * The upload is whole: its hash checked against the declared one, its type sniffed, stored under
 * its hash, parsed, and recorded as an exhibit. What the content tells comes from the inspection
 * fed while the bytes streamed in; only when it could not see them all is the file read here.
 */
async function completeUpload(deps: EvidenceDeps, ctx: Ctx, uploadId: string, sha256: string, inspection: ContentInspection) {
  const u = (await repo.findUpload(deps.db, uploadId))!;
  const file = partPath(deps, uploadId);
  const fail = async (error: AppError) => {
    await discardUpload(deps, uploadId);
    // The refusal stays on the audit chain though the upload then fails.
    await transactIndependently(deps.db, (trx) =>
      audit(trx, ctx, { action: 'evidence.upload_refused', caseId: u.case_id, entity: 'uploads', entityId: uploadId, details: { reason: error.messageKey, sha256 } }),
    );
    throw error;
  };
  if (sha256 !== u.declared_sha256) return fail(badInput('evidence.upload.hash_mismatch', 'sha256', { computed: sha256 }));
  const head = inspection.headOfComplete() ?? (await readHead(file, SNIFF_BYTES));
  const { sniffed, allowed, type } = describeHead(head, (u.exhibit_type as ExhibitType | null) ?? null);
  if (!allowed) return fail(new AppError('bad_input', 'evidence.upload.type_not_allowed', { field: 'body', params: { mediaType: sniffed.mediaType } }));
  const size = Number(u.declared_size);

  // The bytes are verified: store them once, under their hash.
  await deps.store.put(sha256, file, size);
  await repo.insertBlobIfNew(deps.db, { sha256, size, media_type: sniffed.mediaType, store: deps.store.kind });

  const parsed = await inspection.parse(file, type, (u.mapping as Record<string, string> | null) ?? undefined);
  await fsp.rm(file, { force: true });
  return recordExhibit(deps, ctx, u, { sha256, size, mediaType: sniffed.mediaType, type, parsed });
}

async function recordExhibit(
  deps: EvidenceDeps,
  ctx: Ctx,
  u: NonNullable<Awaited<ReturnType<typeof repo.findUpload>>>,
  f: { sha256: string; size: number; mediaType: string; type: ExhibitType; parsed: ParseResult },
) {
  return transact(deps.db, async (trx) => {
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
      // Each side names the other case by number too: a workstation may hold only one of them.
      await repo.insertSignal(trx, { case_id: c.id, other_case_id: other.case_id, other_case_number: other.case_number, blob_sha256: f.sha256 });
      await repo.insertSignal(trx, { case_id: other.case_id, other_case_id: c.id, other_case_number: c.case_number, blob_sha256: f.sha256 });
      for (const [a, b] of [[c.id, other.case_number], [other.case_id, c.case_number]] as const)
        await insertEvent(trx, { case_id: a, type: 'evidence.signal', actor_id: null, at: now, payload: { kind: 'shared_file_across_complainants', sha256: f.sha256, otherCaseNumber: b } });
    }
    return { id: exhibit.id, exhibitNumber, sha256: f.sha256, duplicate: false, parseStatus: parsed.status };
  });
}

export { EXHIBIT_TYPES };
