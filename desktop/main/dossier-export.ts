// A PDF dossier made on the workstation, offline: from the local store (the rows a sync brought),
// the evidence files kept encrypted by "make available offline", and the same renderer the server
// uses — so for the same case state and recipient it gives the same bytes as the server's job
// (shared/dossier: the snapshot decides everything, never the clock or the machine). The rendering
// runs in a worker thread (shared/pdf/worker, the same facility as the server's dossier jobs): in
// the Electron main process, pdfkit laying out hundreds of pages would otherwise freeze the app.
//
// Written atomically: a temporary file next to the target, fsync'd, renamed over it, the directory
// fsync'd; a reader never sees half a dossier, and a crash leaves the old file or the new one.
//
// Custody: an export is recorded like the server's own, in the audit chain and the custody trail of
// every exhibit the dossier carries. Once the file is in place, the export is journaled as the sync
// mutation `recordDossierExport` (fsync'd before this returns, so it survives a kill) and pushed at
// the next sync; the server then writes 'dossier.exported_offline' and a 'custody.export' per
// exhibit, and the custody entries come back to the workstation with a pull. A file whose export
// cannot be journaled is removed again: no dossier leaves this function unrecorded (a crash between
// the rename and the journal's fsync is the one gap).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { buildDossierSnapshot, canonicalJson, dossierId, snapshotHash, type DossierRecipient, type DossierSnapshot } from '../../shared/dossier/snapshot';
import { renderPdfInWorker } from '../../shared/pdf/worker/run-in-worker';
import { parseInput } from '../../shared/validation';
import { MUTATIONS, type MutationArgs } from '../../shared/sync/protocol';
import type { SyncEngine } from './sync-engine';
import type { EvidenceCache } from './evidence-cache';
import { LocalCaseNotFoundError, loadLocalDossierRows } from './dossier-rows';

export interface OfflineExportOptions {
  /** The workstation's sync engine: the local store the dossier is made from, and the journal its export is recorded in. */
  engine: Pick<SyncEngine, 'db' | 'mutate'>;
  evidenceCache: EvidenceCache;
  caseId: string;
  /** Who the dossier is for: a handler on this workstation (external recipients get theirs from the server). */
  recipient: DossierRecipient;
  outFile: string;
  onProgress?: (done: number, total: number) => void;
}

export interface OfflineExportResult {
  file: string;
  sha256: string;
  size: number;
  documentId: string;
  snapshotSha256: string;
  exhibits: number;
  /** The export is journaled for the custody trail and goes to the server with the next sync. */
  custody: 'queued';
  /** The journaled mutation's seq: a refusal by the server comes back under it (SyncEngine.rejections). */
  custodySeq: number;
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function exportDossierOffline(options: OfflineExportOptions): Promise<OfflineExportResult> {
  const { engine, evidenceCache, caseId, recipient } = options;
  const db = engine.db;
  // A redacted copy needs the redaction spans and PII the server never sends a workstation: an
  // external recipient's dossier is only made on the server.
  if (recipient.kind !== 'internal') throw new AppError('bad_input', 'dossier.offline.external_on_server', { field: 'recipient.kind' });

  const rows = await loadLocalDossierRows(db, caseId).catch((error: unknown) => {
    if (error instanceof LocalCaseNotFoundError) throw new AppError('not_found', 'dossier.offline.case_not_local', { field: 'caseId' });
    throw error;
  });
  // Canonical key order at every level, as the server hands its stored snapshot to the renderer.
  const snapshot = JSON.parse(canonicalJson(buildDossierSnapshot(rows, recipient))) as DossierSnapshot;

  // Every exhibit's original file, from the encrypted cache, checked against its hash.
  const missing = snapshot.exhibits.filter((e) => !evidenceCache.has(e.sha256));
  if (missing.length)
    throw new AppError('conflict', 'dossier.offline.not_available_offline', { field: 'caseId', params: { exhibits: missing.map((e) => e.exhibitNumber).join(', ') } });
  const files = new Map<string, Uint8Array>();
  const unreadable: string[] = [];
  for (const e of snapshot.exhibits) {
    if (files.has(e.sha256)) continue;
    try {
      files.set(e.sha256, new Uint8Array(await evidenceCache.get(e.sha256)));
    } catch {
      unreadable.push(e.exhibitNumber);
    }
  }
  if (unreadable.length) throw new AppError('conflict', 'dossier.offline.cached_file_unreadable', { field: 'caseId', params: { exhibits: unreadable.join(', ') } });

  const { pdf } = await renderPdfInWorker({ kind: 'dossier', snapshot, files: [...files] }, { onProgress: options.onProgress });
  const sha256 = sha256Hex(pdf);
  const file = path.resolve(options.outFile);
  const documentId = dossierId(snapshot);
  const snapshotSha256 = snapshotHash(snapshot);
  // What the server records, checked before the file is written: a record that could not be
  // journaled would leave an export outside the custody trail.
  const record = parseInput(MUTATIONS.recordDossierExport, {
    caseId,
    documentId,
    snapshotSha256,
    pdfSha256: sha256,
    pdfSize: pdf.byteLength,
    language: snapshot.recipient.language,
    exhibitIds: snapshot.exhibits.map((e) => e.id),
    exportedAt: new Date().toISOString(),
  } satisfies MutationArgs<'recordDossierExport'>);
  writeAtomically(file, pdf);

  let custodySeq: number;
  try {
    ({ seq: custodySeq } = await engine.mutate('recordDossierExport', record));
  } catch (error) {
    fs.rmSync(file, { force: true });
    const reason = error instanceof AppError ? error.messageKey : error instanceof Error ? error.message : String(error);
    throw new AppError('conflict', 'dossier.offline.not_recorded', { field: 'outFile', params: { file, reason } });
  }
  return { file, sha256, size: pdf.byteLength, documentId, snapshotSha256, exhibits: snapshot.exhibits.length, custody: 'queued', custodySeq };
}

/** Temp file in the same directory, fsync, rename over the target, fsync the directory. */
function writeAtomically(file: string, bytes: Uint8Array): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${randomBytes(6).toString('hex')}`);
  try {
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      let offset = 0;
      while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    const dfd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dfd);
    } finally {
      fs.closeSync(dfd);
    }
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new AppError('conflict', 'dossier.offline.write_failed', { field: 'outFile', params: { file, reason } });
  }
}
