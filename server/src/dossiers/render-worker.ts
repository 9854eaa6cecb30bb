// The dossier renderer in a worker thread: the server's event loop keeps answering requests while
// pdfkit lays out hundreds of pages here. Started by render-in-worker.ts (through
// render-worker.boot.mjs, which lets the worker load TypeScript); one worker per rendering, so
// its memory is returned when it ends.
//
// In:  workerData.request = { snapshot, files: [sha256, bytes][] }
// Out: { type: 'progress', done, total } …, then { type: 'done', pdf, ms } or { type: 'error', … }
import { parentPort, workerData } from 'node:worker_threads';
import { renderDossier } from '../../../shared/dossier/render';
import { loadPdfFonts } from '../../../shared/dossier/pdf-fonts';
import type { DossierSnapshot } from '../../../shared/dossier/snapshot';

export interface RenderRequest {
  snapshot: DossierSnapshot;
  files: [sha256: string, bytes: Uint8Array][];
}

export type RenderMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; pdf: Uint8Array; ms: number }
  | { type: 'error'; name: string; message: string; stack: string | null };

async function run(port: NonNullable<typeof parentPort>, request: RenderRequest): Promise<void> {
  const started = performance.now();
  const post = (m: RenderMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
  try {
    const pdf = await renderDossier(request.snapshot, { fonts: loadPdfFonts(), files: new Map(request.files) }, (done, total) => post({ type: 'progress', done, total }));
    // Hand the bytes over without a copy: a buffer of their own, transferred.
    const own = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength && pdf.buffer instanceof ArrayBuffer ? pdf : pdf.slice();
    post({ type: 'done', pdf: own, ms: Math.round(performance.now() - started) }, [own.buffer as ArrayBuffer]);
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'error', name: e.name, message: e.message, stack: e.stack ?? null });
  }
}

if (parentPort && (workerData as { request?: RenderRequest } | null)?.request) void run(parentPort, (workerData as { request: RenderRequest }).request);
