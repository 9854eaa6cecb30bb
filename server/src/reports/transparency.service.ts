// The transparency report export: the cases of the period the requester may see, the figures
// (shared/reports/transparency), the PDF (shared/pdf/transparency/render), and an audit entry
// naming the period, the language, the number of cases and the file's SHA-256. The PDF is rendered
// in a worker thread (shared/pdf/worker), not on the event loop that serves requests: a report takes
// 0.3–1.5 s of pdfkit layout.
import { createHash } from 'node:crypto';
import type { DB } from '../db/database';
import type { ServiceContext, UserActor } from '../context';
import type { Language } from '../../../shared/domain';
import { auditRead } from '../audit/audit.service';
import { caseVisibility } from '../auth/policy';
import { loadTransparencyRows } from './transparency.repository';
import { computeTransparencyStats, reportAsOf, type TransparencyStats } from '../../../shared/reports/transparency';
import { transparencyFileName } from '../../../shared/pdf/transparency/render';
import type { PdfFonts } from '../../../shared/pdf/fonts';
import { renderPdfInWorker } from '../../../shared/pdf/worker/run-in-worker';
import type { TransparencyAuditCheckpoint } from '../../../shared/pdf/transparency/render';

type Ctx = ServiceContext & { actor: UserActor };

/** A report rendering running longer than this is stopped (RenderTimeoutError) instead of holding the request. */
export const TRANSPARENCY_RENDER_TIMEOUT_MS = 120_000;

export interface TransparencyExport {
  fileName: string;
  /** The PDF, base64-encoded. */
  pdfBase64: string;
  /** SHA-256 of the PDF bytes, hex. */
  sha256: string;
  stats: TransparencyStats;
  /** The audit chain's newest signed checkpoint printed in the report (null: none yet; absent: not looked up). */
  auditCheckpoint?: TransparencyAuditCheckpoint | null;
}

export async function exportTransparencyReport(
  db: DB,
  ctx: Ctx,
  input: { from: Date; to: Date; language: Language },
  /** `fonts`: instead of the packaged fonts (the worker loads those itself; given ones are copied to it). */
  deps: { now?: Date; fonts?: PdfFonts; timeoutMs?: number; auditCheckpoint?: TransparencyAuditCheckpoint | null } = {},
): Promise<TransparencyExport> {
  const generatedAt = deps.now ?? new Date();
  const visibility = caseVisibility(ctx.actor);
  const rows = await loadTransparencyRows(db, { from: input.from, to: input.to, visibility });
  const stats = computeTransparencyStats(rows, {
    from: input.from,
    to: input.to,
    asOf: reportAsOf(input.to, generatedAt),
    scope: 'all' in visibility && visibility.all ? 'all' : 'own_teams',
  });
  const { pdf } = await renderPdfInWorker(
    {
      kind: 'transparency',
      stats,
      language: input.language,
      generatedAt,
      ...(deps.fonts ? { fonts: deps.fonts } : {}),
      ...(deps.auditCheckpoint !== undefined ? { auditCheckpoint: deps.auditCheckpoint } : {}),
    },
    { timeoutMs: deps.timeoutMs ?? TRANSPARENCY_RENDER_TIMEOUT_MS },
  );
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const fileName = transparencyFileName(stats, input.language);
  await auditRead(db, ctx, {
    action: 'report.transparency_exported',
    entity: 'reports',
    details: {
      from: stats.period.from,
      to: stats.period.to,
      asOf: stats.period.asOf,
      language: input.language,
      scope: stats.scope,
      cases: stats.total,
      fileName,
      sha256,
      bytes: pdf.length,
      ...(deps.auditCheckpoint ? { auditCheckpoint: { seq: deps.auditCheckpoint.seq, hash: deps.auditCheckpoint.hash, keyId: deps.auditCheckpoint.keyId } } : {}),
    },
  });
  return {
    fileName,
    pdfBase64: Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('base64'),
    sha256,
    stats,
    ...(deps.auditCheckpoint !== undefined ? { auditCheckpoint: deps.auditCheckpoint } : {}),
  };
}
