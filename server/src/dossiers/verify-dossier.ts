// Is this file a true copy of a dossier this server issued? Found by its SHA-256 or, failing that,
// by the document ID printed in it; then the stored snapshot is rendered again with the stored
// evidence files, and the file must equal that rendering byte for byte. Every way it can fail is
// named: an unknown dossier, different bytes (and where they start), a snapshot or an evidence
// file that changed or went missing, or a renderer that no longer gives the recorded bytes.
// A dossier made by another renderer (dossiers.renderer: version, pdfkit, fonts) cannot be
// reproduced by this build: the file is then checked against what was issued, by its SHA-256 and
// the audit chain entry recording it. So is a file exported offline on a workstation (its
// 'dossier.exported_offline' entry).
import type { DB } from '../db/database';
import type { BlobStore } from '../evidence/blob-store';
import * as repo from './dossiers.repository';
import { findCase } from '../cases/cases.repository';
import { canonicalSnapshot, loadEvidenceFiles, sha256Hex } from './dossier.service';
import { renderDossier } from '../../../shared/pdf/dossier/render';
import { loadPdfFonts } from '../../../shared/pdf/fonts';
import { snapshotHash, type DossierSnapshot } from '../../../shared/dossier/snapshot';
import { dossierRendererFingerprint } from '../../../shared/pdf/renderer-fingerprint';
import { verifyAuditChain } from '../audit/audit.service';
import { latestAuditEntryRecording } from '../audit/audit.repository';
import { findDeviceName } from '../sync/sync.repository';

export interface Finding {
  messageKey: string;
  params: Record<string, string | number>;
}

export interface DossierIdentity {
  id: string;
  documentId: string;
  caseNumber: string;
  recipient: string;
  status: string;
}

/** The audit entry recording a file's SHA-256. */
export interface AuditRecord {
  seq: string;
  at: Date;
}

export type VerifyResult =
  | { outcome: 'match'; sha256: string; size: number; dossier: DossierIdentity }
  /** The file is the one issued (SHA-256 recorded, on an intact audit chain); made by another renderer (null: unrecorded), so not rendered again. */
  | { outcome: 'issued'; sha256: string; size: number; dossier: DossierIdentity; issuedRenderer: string | null; currentRenderer: string; audit: AuditRecord }
  /** A file exported offline on a workstation, recorded by its SHA-256 (on an intact audit chain). */
  | {
      outcome: 'offline';
      sha256: string;
      size: number;
      documentId: string;
      caseNumber: string;
      device: string;
      exportedAt: string;
      audit: AuditRecord;
    }
  | { outcome: 'unknown'; sha256: string; documentId: string | null }
  | {
      outcome: 'mismatch';
      sha256: string;
      size: number;
      dossier: DossierIdentity;
      /** The file is the one the server issued (its SHA-256 is the recorded one), though what else was checked failed. */
      issued: boolean;
      findings: Finding[];
    };

const DOCUMENT_ID = /DOS-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}/;

/**
 * The document ID a dossier carries in its metadata (Info dictionary, XMP) or text: searched as
 * plain bytes, and in the UTF-16 hex strings PDF writers use for non-ASCII metadata.
 */
export function documentIdInPdf(bytes: Uint8Array): string | null {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const plain = DOCUMENT_ID.exec(text);
  if (plain) return plain[0];
  for (const m of text.matchAll(/<FEFF((?:[0-9A-Fa-f]{4})+)>/g)) {
    const hex = m[1]!;
    let decoded = '';
    for (let i = 0; i < hex.length; i += 4) decoded += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    const found = DOCUMENT_ID.exec(decoded);
    if (found) return found[0];
  }
  return null;
}

/** The first file identifier of the trailer's /ID (hex, lower case), or null. */
export function fileIdInPdf(bytes: Uint8Array): string | null {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.byteLength - 4096)).toString('latin1');
  const m = /\/ID\s*\[\s*<([0-9A-Fa-f]{32,64})>/.exec(tail);
  return m ? m[1]!.toLowerCase() : null;
}

/** Offset of the first byte where a and b differ (the shorter length when one is a prefix of the other). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

/** Renders a snapshot as the server's job does (same renderer, same fonts), in this thread. */
export type Rerender = (snapshot: DossierSnapshot, files: ReadonlyMap<string, Uint8Array>) => Promise<Uint8Array>;
const rerenderHere: Rerender = (snapshot, files) => renderDossier(snapshot, { fonts: loadPdfFonts(), files });

/** Whether the audit chain verifies from its start up to and including entry `seq`; else why not. */
async function chainProblem(db: DB, seq: string): Promise<Finding | null> {
  const chain = await verifyAuditChain(db);
  if (chain.ok || BigInt(chain.brokenAt) > BigInt(seq)) return null;
  return { messageKey: 'dossier.verify.audit_chain_broken', params: { brokenAt: chain.brokenAt, problem: chain.problem, seq } };
}

export async function verifyDossierFile(deps: { db: DB; store: BlobStore; rerender?: Rerender; renderer?: string }, bytes: Uint8Array): Promise<VerifyResult> {
  const sha256 = sha256Hex(bytes);
  const currentRenderer = deps.renderer ?? dossierRendererFingerprint();
  let row = (await repo.dossiersByPdfHash(deps.db, sha256))[0];
  let documentId: string | null = row?.document_id ?? null;
  if (!row) {
    // A file exported offline on a workstation: no dossier row, but its SHA-256 on the audit chain.
    const offline = await latestAuditEntryRecording(deps.db, 'dossier.exported_offline', sha256);
    if (offline) {
      const details = offline.details as { documentId?: string; deviceId?: string; exportedAt?: string };
      const broken = await chainProblem(deps.db, offline.seq);
      if (!broken) {
        const c = offline.case_id ? await findCase(deps.db, offline.case_id) : undefined;
        const device = details.deviceId ? await findDeviceName(deps.db, details.deviceId) : undefined;
        return {
          outcome: 'offline',
          sha256,
          size: bytes.length,
          documentId: details.documentId ?? '—',
          caseNumber: c?.case_number ?? offline.case_id ?? '—',
          device: device ? `${device.name} (${details.deviceId})` : (details.deviceId ?? '—'),
          exportedAt: details.exportedAt ?? '—',
          audit: { seq: offline.seq, at: offline.at },
        };
      }
    }
  }
  if (!row) {
    documentId = documentIdInPdf(bytes);
    if (documentId) row = (await repo.dossiersByDocumentId(deps.db, documentId))[0];
  }
  if (!row) {
    // The file identifier (trailer /ID) is the start of the snapshot's hash.
    const fileId = fileIdInPdf(bytes);
    if (fileId) row = (await repo.dossiersBySnapshotPrefix(deps.db, fileId))[0];
    if (row) documentId = row.document_id;
  }
  if (!row) return { outcome: 'unknown', sha256, documentId };

  const c = await findCase(deps.db, row.case_id);
  const names = await repo.userNames(deps.db, [row.recipient_user_id]);
  const dossier: DossierIdentity = {
    id: row.id,
    documentId: row.document_id,
    caseNumber: c?.case_number ?? row.case_id,
    recipient: names.get(row.recipient_user_id)?.name ?? row.recipient_user_id,
    status: row.status,
  };
  const mismatch = (findings: Finding[]): VerifyResult => ({ outcome: 'mismatch', sha256, size: bytes.length, dossier, issued: row.pdf_sha256 === sha256, findings });
  if (row.status !== 'done' || !row.pdf_sha256) return mismatch([{ messageKey: 'dossier.verify.not_rendered', params: { documentId: row.document_id, status: row.status } }]);

  const expected = row.pdf_sha256;
  // Made by another renderer (or before renderers were recorded): this build cannot reproduce it.
  const sameRenderer = row.renderer === currentRenderer;
  const rendererParams = { issuedRenderer: row.renderer ?? '', currentRenderer };
  if (!sameRenderer && sha256 === expected) {
    // The file issued, if the audit chain says so.
    const entry = await latestAuditEntryRecording(deps.db, 'dossier.rendered', sha256, row.id);
    if (!entry) return mismatch([{ messageKey: 'dossier.verify.audit_missing', params: { sha256, documentId: row.document_id } }]);
    const broken = await chainProblem(deps.db, entry.seq);
    if (broken) return mismatch([broken]);
    return { outcome: 'issued', sha256, size: bytes.length, dossier, issuedRenderer: row.renderer, currentRenderer, audit: { seq: entry.seq, at: entry.at } };
  }

  const findings: Finding[] = [];
  if (!sameRenderer) findings.push({ messageKey: 'dossier.verify.rerender_skipped', params: rendererParams });
  const snapshot = canonicalSnapshot(row.snapshot);
  if (snapshotHash(snapshot) !== row.snapshot_sha256) findings.push({ messageKey: 'dossier.verify.snapshot_altered', params: { documentId: row.document_id, expected: row.snapshot_sha256 } });
  const { files, problems } = await loadEvidenceFiles(deps.store, snapshot);
  for (const p of problems)
    findings.push({ messageKey: p.problem === 'missing' ? 'dossier.verify.evidence_missing' : 'dossier.verify.evidence_altered', params: { exhibitNumber: p.exhibitNumber, sha256: p.sha256 } });

  // The reference: a fresh rendering when everything it needs is intact, else the stored PDF.
  let reference: Uint8Array | null = null;
  if (findings.length === 0 && sameRenderer) {
    reference = await (deps.rerender ?? rerenderHere)(snapshot, files);
    const rendered = sha256Hex(reference);
    if (rendered !== expected) findings.push({ messageKey: 'dossier.verify.rerender_differs', params: { rendered, expected } });
  }
  if (sha256 !== expected) {
    const stored = reference ?? (await readAll(deps.store, expected));
    findings.push({
      messageKey: 'dossier.verify.hash_differs',
      params: {
        sha256,
        expected,
        offset: stored ? firstDifference(bytes, stored) : 0,
        size: bytes.length,
        expectedSize: Number(row.pdf_size),
      },
    });
  }
  if (findings.length) return mismatch(findings);
  return { outcome: 'match', sha256, size: bytes.length, dossier };
}

async function readAll(store: BlobStore, sha256: string): Promise<Uint8Array | null> {
  const stream = await store.read(sha256);
  if (!stream) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}
