// What a PDF worker thread (worker.ts) is asked to render and what it answers. Plain data only:
// everything here crosses the thread boundary by structured clone (the answer's bytes by transfer).
import type { Language } from '../../domain';
import type { PdfFonts } from '../fonts';
import type { DossierSnapshot } from '../../dossier/snapshot';
import type { TransparencyStats } from '../../reports/transparency';
import type { TransparencyAuditCheckpoint } from '../transparency/render';

/** A dossier: its snapshot and the original files of its exhibits, by SHA-256. */
export interface DossierPdfRequest {
  kind: 'dossier';
  snapshot: DossierSnapshot;
  files: [sha256: string, bytes: Uint8Array][];
}

/** The transparency report: its figures, language and the time printed on it. */
export interface TransparencyPdfRequest {
  kind: 'transparency';
  stats: TransparencyStats;
  language: Language;
  generatedAt: Date;
  /** Fonts to use instead of the packaged ones (copied into the worker; normally left out). */
  fonts?: PdfFonts;
  /** The audit chain's newest signed checkpoint (null: none yet); the section is left out when undefined. */
  auditCheckpoint?: TransparencyAuditCheckpoint | null;
}

export type PdfRequest = DossierPdfRequest | TransparencyPdfRequest;
export type PdfRequestKind = PdfRequest['kind'];

export type PdfWorkerMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; pdf: Uint8Array; ms: number }
  | { type: 'error'; name: string; message: string; stack: string | null };
