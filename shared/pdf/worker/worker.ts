// A PDF rendering in a worker thread: the thread that serves people (the server's event loop, the
// workstation's Electron main process) keeps answering while pdfkit lays out pages here. Started by
// run-in-worker.ts — through worker.boot.mjs when it runs as TypeScript (tsx, vitest), directly when
// built; one worker per rendering, so its memory is returned when it ends.
//
// In:  workerData.request: PdfRequest ('dossier' or 'transparency', see protocol.ts)
// Out: { type: 'progress', done, total } …, then { type: 'done', pdf, ms } or { type: 'error', … }
import { parentPort, workerData } from 'node:worker_threads';
import { renderDossier } from '../dossier/render';
import { loadPdfFonts } from '../fonts';
import { renderTransparencyReport } from '../transparency/render';
import type { PdfRequest, PdfWorkerMessage } from './protocol';

async function render(request: PdfRequest, onProgress: (done: number, total: number) => void): Promise<Uint8Array> {
  switch (request.kind) {
    case 'dossier':
      return renderDossier(request.snapshot, { fonts: loadPdfFonts(), files: new Map(request.files) }, onProgress);
    case 'transparency':
      return renderTransparencyReport(request.stats, {
        language: request.language,
        fonts: request.fonts ?? loadPdfFonts(),
        generatedAt: request.generatedAt,
        ...(request.auditCheckpoint !== undefined ? { auditCheckpoint: request.auditCheckpoint } : {}),
      });
    default:
      throw new Error(`unknown PDF request kind: ${String((request as { kind?: unknown }).kind)}`);
  }
}

async function run(port: NonNullable<typeof parentPort>, request: PdfRequest): Promise<void> {
  const started = performance.now();
  const post = (m: PdfWorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const pdf = await render(request, (done, total) => post({ type: 'progress', done, total }));
    // Hand the bytes over without a copy: a buffer of their own, transferred.
    const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength && pdf.buffer instanceof ArrayBuffer ? pdf : pdf.slice();
    post({ type: 'done', pdf: own, ms: Math.round(performance.now() - started) }, [own.buffer as ArrayBuffer]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', name: e.name, message: e.message, stack: e.stack ?? null });
  }
}

const pdfRequest = (workerData as { pdfRequest?: PdfRequest } | null)?.pdfRequest;
if (parentPort && pdfRequest) void run(parentPort, pdfRequest);
