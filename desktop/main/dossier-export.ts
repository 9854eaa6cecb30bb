// A PDF dossier made on the workstation, offline: from the local store (the rows a sync brought),
// the evidence files kept encrypted by "make available offline", and the same renderer the server
// uses — so for the same case state and recipient it gives the same bytes as the server's job
// (shared/dossier: the snapshot decides everything, never the clock or the machine).
//
// Written atomically: a temporary file next to the target, fsync'd, renamed over it, the directory
// fsync'd; a reader never sees half a dossier, and a crash leaves the old file or the new one.
//
// Custody: the server records an export per exhibit when it renders a dossier. The sync protocol
// has no mutation for "exported offline" yet (shared/sync/protocol.ts MUTATIONS), so nothing is
// journaled here: the result says so (`custody: 'not_recorded'`), and a caller that has such a
// mutation can pass `recordExport` to journal it (it runs after the file is in place).
import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../shared/errors';
import { buildDossierSnapshot, canonicalJson, dossierId, snapshotHash, type DossierRecipient, type DossierSnapshot } from '../../shared/dossier/snapshot';
import { renderDossier } from '../../shared/dossier/render';
import { loadPdfFonts } from '../../shared/dossier/pdf-fonts';
import type { LocalDatabase } from './store/local-schema';
import type { EvidenceCache } from './evidence-cache';
import { LocalCaseNotFoundError, loadLocalDossierRows } from './dossier-rows';

export interface OfflineExportRecord {
  caseId: string;
  documentId: string;
  sha256: string;
  recipient: DossierRecipient;
  exhibits: { id: string; exhibitNumber: string; sha256: string }[];
}

export interface OfflineExportOptions {
  /** The workstation's local store (SyncEngine.db or LocalStore.db). */
  db: Kysely<LocalDatabase>;
  evidenceCache: EvidenceCache;
  caseId: string;
  /** Who the dossier is for: a handler on this workstation (external recipients get theirs from the server). */
  recipient: DossierRecipient;
  outFile: string;
  onProgress?: (done: number, total: number) => void;
  /** Journals the export for the server's custody trail, where the sync protocol has a mutation for it. */
  recordExport?: (record: OfflineExportRecord) => Promise<void>;
}

export interface OfflineExportResult {
  file: string;
  sha256: string;
  size: number;
  documentId: string;
  snapshotSha256: string;
  exhibits: number;
  /** 'journaled' when recordExport ran; otherwise the export is not in the custody trail (see the header). */
  custody: 'journaled' | 'not_recorded';
}

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export async function exportDossierOffline(options: OfflineExportOptions): Promise<OfflineExportResult> {
  const { db, evidenceCache, caseId, recipient } = options;
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

  const pdf = await renderDossier(snapshot, { fonts: loadPdfFonts(), files }, options.onProgress);
  const sha256 = sha256Hex(pdf);
  const file = path.resolve(options.outFile);
  writeAtomically(file, pdf);

  const documentId = dossierId(snapshot);
  let custody: OfflineExportResult['custody'] = 'not_recorded';
  if (options.recordExport) {
    await options.recordExport({ caseId, documentId, sha256, recipient: snapshot.recipient, exhibits: snapshot.exhibits.map((e) => ({ id: e.id, exhibitNumber: e.exhibitNumber, sha256: e.sha256 })) });
    custody = 'journaled';
  }
  return { file, sha256, size: pdf.byteLength, documentId, snapshotSha256: snapshotHash(snapshot), exhibits: snapshot.exhibits.length, custody };
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
