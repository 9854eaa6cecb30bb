// PDF dossiers on the server: a request freezes the case as the recipient may see it (the
// snapshot) and queues its rendering; the job renders it in a worker thread, keeps the PDF in the
// content-addressed blob store, and records its SHA-256 on the audit chain and an export in the
// custody trail of every exhibit it carries. Downloads are audited too. The same snapshot always
// renders to the same bytes, so a copy can be verified (verify-dossier.ts) by rendering it again.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { DB } from '../db/database';
import type { ServiceContext, UserActor } from '../context';
import { transact } from '../db/transaction';
import { audit } from '../audit/audit.service';
import { appendAuditEntry } from '../audit/audit.repository';
import type { BlobStore } from '../evidence/blob-store';
import { insertBlobIfNew } from '../evidence/evidence.repository';
import { findCase } from '../cases/cases.repository';
import * as repo from './dossiers.repository';
import { visibleCase } from '../cases/cases.service';
import { loadDossierRows } from './dossier-source-rows.repository';
import type { DossierQueue, DossierAttempt } from './dossier-jobs';
import { renderInWorker, RenderAbortedError, RenderTimeoutError, type RenderInWorkerOptions, type RenderResult } from './render-in-worker';
import { AppError } from '../../../shared/errors';
import { translate } from '../../../shared/i18n';
import type { Language } from '../../../shared/domain';
import { buildDossierSnapshot, canonicalJson, dossierId as documentIdOf, snapshotHash, type DossierRecipient, type DossierSnapshot } from '../../../shared/dossier/snapshot';
import { dossierRendererFingerprint } from '../../../shared/pdf/renderer-fingerprint';

type Ctx = ServiceContext & { actor: UserActor };

export type RenderFn = (snapshot: DossierSnapshot, files: ReadonlyMap<string, Uint8Array>, options: RenderInWorkerOptions) => Promise<RenderResult>;

export interface DossierDeps {
  db: DB;
  /** Where PDFs are kept (the evidence blob store: content-addressed, fs or S3). */
  store: BlobStore;
  /** The render queue; null where this process renders nothing (a request is then refused). */
  queue: DossierQueue | null;
  /** Scratch space for a finished PDF on its way into the store. */
  workDir: string;
  /** How one rendering runs: in a worker thread by default. */
  render?: RenderFn;
  /** An attempt running longer than this is stopped (and retried). */
  renderTimeoutMs?: number;
  log?: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

const PROGRESS_WRITE_INTERVAL_MS = 250;

/** The snapshot as both the server and the workstation hand it to the renderer: canonical key order at every level. */
export function canonicalSnapshot(snapshot: unknown): DossierSnapshot {
  return JSON.parse(canonicalJson(snapshot)) as DossierSnapshot;
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// ---- Reading ------------------------------------------------------------------------------------

function isExternalRole(actor: UserActor) {
  return actor.role === 'arbitrator' || actor.role === 'mediator';
}

/**
 * A dossier the actor may read, or not_found (never a hint that it exists): its requester, or legal
 * and supervisors, among those who still see the case; an arbitrator or mediator only their own
 * external dossier, while they hold an accepted seat on the case's escalation.
 */
async function readableDossier(db: DB, ctx: Ctx, dossierId: string): Promise<repo.DossierSummary> {
  const d = await repo.findDossier(db, dossierId);
  const refuse = () => new AppError('not_found', 'dossier.not_found', { field: 'dossierId' });
  if (!d) throw refuse();
  const actor = ctx.actor;
  // Whoever it is for, the reader must still see the case (canSeeCase: for an arbitrator or
  // mediator, an accepted seat on its escalation).
  const c = await visibleCase(db, ctx, d.case_id).catch((error: unknown) => {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  });
  if (!c) throw refuse();
  if (isExternalRole(actor)) {
    if (d.recipient_kind === 'external' && d.recipient_user_id === actor.userId && d.requested_by === actor.userId) return d;
    throw refuse();
  }
  if (d.requested_by === actor.userId || actor.role === 'legal' || actor.role === 'supervisor') return d;
  throw refuse();
}

function mayDownload(actor: UserActor, d: repo.DossierSummary) {
  return d.status === 'done' && (d.requested_by === actor.userId || actor.role === 'legal' || actor.role === 'supervisor');
}

function errorView(error: repo.DossierError | null, language: Language) {
  if (!error) return null;
  return { messageKey: error.messageKey, params: error.params, message: translate(language, error.messageKey, error.params) };
}

function dossierView(d: repo.DossierSummary, names: Map<string, { name: string }>, ctx: Ctx) {
  const done = d.status === 'done';
  return {
    id: d.id,
    caseId: d.case_id,
    documentId: d.document_id,
    status: d.status,
    progress: d.progress,
    recipient: { kind: d.recipient_kind, userId: d.recipient_user_id, name: names.get(d.recipient_user_id)?.name ?? null },
    language: d.language as Language,
    requestedBy: { userId: d.requested_by, name: names.get(d.requested_by)?.name ?? null },
    requestedAt: d.requested_at,
    startedAt: d.started_at,
    finishedAt: d.finished_at,
    snapshotSha256: d.snapshot_sha256,
    sha256: done ? d.pdf_sha256 : null,
    size: done && d.pdf_size !== null ? Number(d.pdf_size) : null,
    /** The renderer that made the PDF (version, pdfkit, fonts); null for dossiers made before it was recorded. */
    renderer: done ? d.renderer : null,
    error: errorView(d.error, ctx.meta.language),
    downloadPath: mayDownload(ctx.actor, d) ? `/api/v1/dossiers/${d.id}/pdf` : null,
  };
}
export type DossierView = ReturnType<typeof dossierView>;

export async function dossierStatus(deps: Pick<DossierDeps, 'db'>, ctx: Ctx, input: { dossierId: string }): Promise<DossierView> {
  const d = await readableDossier(deps.db, ctx, input.dossierId);
  return dossierView(d, await repo.userNames(deps.db, [d.recipient_user_id, d.requested_by]), ctx);
}

/** The dossiers of a case, newest first (to those who see the case; each says whether the caller may download it). */
export async function listDossiers(deps: Pick<DossierDeps, 'db'>, ctx: Ctx, input: { caseId: string }): Promise<{ dossiers: DossierView[] }> {
  const c = await visibleCase(deps.db, ctx, input.caseId);
  const rows = await repo.dossiersOfCase(deps.db, c.id);
  const names = await repo.userNames(deps.db, rows.flatMap((d) => [d.recipient_user_id, d.requested_by]));
  return { dossiers: rows.map((d) => dossierView(d, names, ctx)) };
}

// ---- Requesting ---------------------------------------------------------------------------------

async function queueDossier(deps: Pick<DossierDeps, 'db' | 'queue'>, ctx: Ctx, caseId: string, snapshot: DossierSnapshot): Promise<DossierView> {
  const queue = deps.queue;
  if (!queue) throw new AppError('conflict', 'dossier.queue_unavailable');
  const frozen = canonicalSnapshot(snapshot);
  const hash = snapshotHash(frozen);
  const documentId = documentIdOf(frozen);
  const row = await transact(deps.db, async (trx) => {
    const d = await repo.insertDossier(trx, {
      case_id: caseId,
      recipient_user_id: frozen.recipient.userId,
      recipient_kind: frozen.recipient.kind,
      language: frozen.recipient.language,
      snapshot: canonicalJson(frozen),
      snapshot_sha256: hash,
      document_id: documentId,
      requested_by: ctx.actor.userId,
    });
    await audit(trx, ctx, {
      action: 'dossier.requested',
      caseId,
      entity: 'dossiers',
      entityId: d.id,
      details: { documentId, snapshotSha256: hash, recipient: recipientDetails(frozen.recipient), exhibits: frozen.exhibits.length },
    });
    await queue.enqueue(trx, d.id);
    return d;
  });
  queue.wake();
  return dossierView(row, await repo.userNames(deps.db, [row.recipient_user_id, row.requested_by]), ctx);
}

const recipientDetails = (r: DossierRecipient) => ({ kind: r.kind, userId: r.userId, name: r.name, role: r.role, language: r.language });

/** A dossier of the case for the caller (specialist, legal, supervisor who sees the case), in their language or the one asked for. */
export async function requestDossier(deps: Pick<DossierDeps, 'db' | 'queue'>, ctx: Ctx, input: { caseId: string; language?: Language }): Promise<DossierView> {
  const c = await visibleCase(deps.db, ctx, input.caseId);
  const recipient: DossierRecipient = { kind: 'internal', userId: ctx.actor.userId, name: ctx.actor.displayName, role: ctx.actor.role, language: input.language ?? ctx.actor.language };
  const rows = await loadDossierRows(deps.db, c.id, { external: false });
  return queueDossier(deps, ctx, c.id, buildDossierSnapshot(rows, recipient));
}

/**
 * The redacted, watermarked dossier for the arbitrator or mediator calling: only on a case whose
 * escalation seats them and that they accepted after disclosure; in their own language and name.
 */
export async function requestExternalDossier(deps: Pick<DossierDeps, 'db' | 'queue'>, ctx: Ctx, input: { caseId: string }): Promise<DossierView> {
  if (!isExternalRole(ctx.actor)) throw new AppError('forbidden', 'error.forbidden');
  // Seated but not yet answered: say what is missing (they know they were assigned).
  if ((await repo.escalationStanding(deps.db, input.caseId, ctx.actor.userId)) === 'pending')
    throw new AppError('forbidden', 'dossier.external_accept_first', { field: 'caseId' });
  const c = await visibleCase(deps.db, ctx, input.caseId);
  const recipient: DossierRecipient = { kind: 'external', userId: ctx.actor.userId, name: ctx.actor.displayName, role: ctx.actor.role, language: ctx.actor.language };
  const rows = await loadDossierRows(deps.db, c.id, { external: true });
  return queueDossier(deps, ctx, c.id, buildDossierSnapshot(rows, recipient));
}

// ---- Downloading --------------------------------------------------------------------------------

export interface DossierFile {
  stream: Readable;
  fileName: string;
  size: number;
  sha256: string;
}

/** The PDF, for the requester or an authorized reader; each download is recorded on the audit chain. */
export async function openDossierPdf(deps: Pick<DossierDeps, 'db' | 'store'>, ctx: Ctx, dossierId: string): Promise<DossierFile> {
  const d = await readableDossier(deps.db, ctx, dossierId);
  if (!mayDownload(ctx.actor, d)) {
    if (d.status !== 'done') throw new AppError('conflict', 'dossier.not_ready', { field: 'dossierId', params: { status: d.status } });
    throw new AppError('not_found', 'dossier.not_found', { field: 'dossierId' });
  }
  const sha256 = d.pdf_sha256!;
  const stream = await deps.store.read(sha256);
  if (!stream) throw new AppError('not_found', 'dossier.pdf_missing', { field: 'dossierId' });
  const c = await findCase(deps.db, d.case_id);
  await transact(deps.db, (trx) =>
    audit(trx, ctx, {
      action: 'dossier.downloaded',
      caseId: d.case_id,
      entity: 'dossiers',
      entityId: d.id,
      details: { documentId: d.document_id, sha256, size: Number(d.pdf_size), recipientKind: d.recipient_kind, recipientUserId: d.recipient_user_id },
    }),
  );
  const fileName = translate(d.language as Language, 'dossier.file_name', { caseNumber: c?.case_number ?? d.case_id, documentId: d.document_id });
  return { stream, fileName, size: Number(d.pdf_size), sha256 };
}

// ---- Evidence files -----------------------------------------------------------------------------

export interface EvidenceFileProblem {
  exhibitNumber: string;
  sha256: string;
  problem: 'missing' | 'altered';
}

/** The original files of the snapshot's exhibits, each re-hashed (evidence is re-verified at every export). */
export async function loadEvidenceFiles(store: BlobStore, snapshot: DossierSnapshot): Promise<{ files: Map<string, Uint8Array>; problems: EvidenceFileProblem[] }> {
  const files = new Map<string, Uint8Array>();
  const problems: EvidenceFileProblem[] = [];
  for (const e of snapshot.exhibits) {
    if (files.has(e.sha256) || problems.some((p) => p.sha256 === e.sha256)) continue;
    const stream = await store.read(e.sha256);
    if (!stream) {
      problems.push({ exhibitNumber: e.exhibitNumber, sha256: e.sha256, problem: 'missing' });
      continue;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const bytes = new Uint8Array(Buffer.concat(chunks));
    if (sha256Hex(bytes) !== e.sha256) problems.push({ exhibitNumber: e.exhibitNumber, sha256: e.sha256, problem: 'altered' });
    else files.set(e.sha256, bytes);
  }
  return { files, problems };
}

// ---- Rendering (the queue's job) ----------------------------------------------------------------

/** A failure no retry can cure: recorded at once, the job not retried. */
class PermanentRenderError extends Error {
  constructor(readonly error: repo.DossierError) {
    super(error.messageKey);
  }
}

function numbersOf(problems: EvidenceFileProblem[], kind: EvidenceFileProblem['problem']) {
  return problems.filter((p) => p.problem === kind).map((p) => p.exhibitNumber).join(', ');
}

/**
 * One attempt at rendering a queued dossier. Progress goes to the dossier row (at most every
 * 250 ms); when done the PDF goes into the blob store, and in one transaction the dossier is
 * marked done, its SHA-256 goes onto the audit chain ('dossier.rendered') and each exhibit it
 * carries gets a custody 'export' entry. These come after the snapshot was taken, so a dossier never
 * lists its own export. A failure a retry cannot cure fails the dossier at once; any other is
 * thrown for pg-boss to retry, and fails the dossier on the last attempt.
 */
export async function renderQueuedDossier(deps: DossierDeps, attempt: DossierAttempt): Promise<{ sha256: string; size: number; renderMs: number } | null> {
  const { db } = deps;
  const started = new Date();
  const row = await repo.findDossierWithSnapshot(db, attempt.dossierId);
  if (!row || row.status === 'done') return null; // nothing (left) to do
  await repo.markRendering(db, row.id, started);
  const log = deps.log;
  try {
    const snapshot = canonicalSnapshot(row.snapshot);
    if (snapshotHash(snapshot) !== row.snapshot_sha256) throw new PermanentRenderError({ messageKey: 'dossier.render.snapshot_altered', params: {} });

    const { files, problems } = await loadEvidenceFiles(deps.store, snapshot);
    if (problems.some((p) => p.problem === 'missing')) throw new PermanentRenderError({ messageKey: 'dossier.render.evidence_missing', params: { exhibits: numbersOf(problems, 'missing') } });
    if (problems.length) throw new PermanentRenderError({ messageKey: 'dossier.render.evidence_altered', params: { exhibits: numbersOf(problems, 'altered') } });
    await repo.setProgress(db, row.id, 5);

    // Progress: 5 % for the evidence, 90 % for the pages, the rest for storing. Throttled, in order.
    let written = 5;
    let lastWrite = 0;
    let writes: Promise<unknown> = Promise.resolve();
    const onProgress = (done: number, total: number) => {
      const pct = Math.min(95, 5 + Math.floor((90 * done) / Math.max(1, total)));
      const now = Date.now();
      if (pct <= written || (now - lastWrite < PROGRESS_WRITE_INTERVAL_MS && done < total)) return;
      written = pct;
      lastWrite = now;
      writes = writes.then(() => repo.setProgress(db, row.id, pct)).catch(() => undefined);
    };
    const render = deps.render ?? renderInWorker;
    const result = await render(snapshot, files, { onProgress, signal: attempt.signal, timeoutMs: deps.renderTimeoutMs });
    await writes;

    const pdf = result.pdf;
    const sha256 = sha256Hex(pdf);
    // The worker renders with this process's pdfkit and font files: the same fingerprint.
    const renderer = dossierRendererFingerprint();
    await storePdf(deps, sha256, pdf);
    const requester = await repo.requesterOf(db, row.requested_by);
    const actor = { actorId: row.requested_by, actorLabel: requester ? `${requester.role}:${requester.email}` : `user:${row.requested_by}`, requestId: `job:${attempt.jobId}` };
    const recipient = recipientDetails(snapshot.recipient);
    const recorded = await transact(db, async (trx) => {
      const locked = await repo.lockDossier(trx, row.id);
      if (!locked || locked.status === 'done') return false; // another attempt finished first; same bytes
      await insertBlobIfNew(trx, { sha256, size: pdf.byteLength, media_type: 'application/pdf', store: deps.store.kind });
      await repo.markDone(trx, row.id, { pdfSha256: sha256, pdfSize: pdf.byteLength, renderer, at: new Date() });
      await appendAuditEntry(trx, {
        ...actor,
        action: 'dossier.rendered',
        caseId: row.case_id,
        entity: 'dossiers',
        entityId: row.id,
        details: { sha256, size: pdf.byteLength, documentId: row.document_id, snapshotSha256: row.snapshot_sha256, recipient, exhibits: snapshot.exhibits.length, renderMs: result.renderMs, renderer },
      });
      for (const e of snapshot.exhibits)
        await appendAuditEntry(trx, {
          ...actor,
          action: 'custody.export',
          caseId: row.case_id,
          entity: 'exhibits',
          entityId: e.id,
          details: { format: 'dossier', dossierId: row.id, documentId: row.document_id, dossierSha256: sha256, exhibitNumber: e.exhibitNumber, sha256: e.sha256, recipient },
        });
      return true;
    });
    log?.info({ dossierId: row.id, sha256, size: pdf.byteLength, renderMs: result.renderMs, totalMs: result.totalMs, recorded }, 'dossier rendered');
    return { sha256, size: pdf.byteLength, renderMs: result.renderMs };
  } catch (error) {
    const permanent = error instanceof PermanentRenderError;
    const final = permanent || attempt.final;
    const reason: repo.DossierError = permanent
      ? error.error
      : error instanceof RenderTimeoutError
        ? { messageKey: 'dossier.render.timed_out', params: { minutes: Math.max(1, Math.round(error.ms / 60_000)) } }
        : error instanceof RenderAbortedError
          ? { messageKey: 'dossier.render.interrupted', params: {} }
          : { messageKey: 'dossier.render.failed', params: { dossierId: row.id } };
    log?.error({ err: error, dossierId: row.id, jobId: attempt.jobId, retryCount: attempt.retryCount, final }, 'dossier rendering failed');
    await repo.markAttemptFailed(db, row.id, { error: reason, final, at: new Date() }).catch(() => undefined);
    if (permanent) return null;
    throw error;
  }
}

/** Into the blob store under its hash (the store wants a file: a temporary one, removed after). */
async function storePdf(deps: Pick<DossierDeps, 'store' | 'workDir'>, sha256: string, pdf: Uint8Array): Promise<void> {
  if ((await deps.store.size(sha256)) === pdf.byteLength) return;
  await fsp.mkdir(deps.workDir, { recursive: true, mode: 0o700 });
  const tmp = path.join(deps.workDir, `dossier-${randomBytes(8).toString('hex')}.pdf`);
  try {
    await fsp.writeFile(tmp, pdf, { mode: 0o600 });
    await deps.store.put(sha256, tmp, pdf.byteLength);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

