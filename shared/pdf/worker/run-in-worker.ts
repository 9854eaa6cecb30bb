// Runs one PDF rendering (a dossier or the transparency report, protocol.ts) in a worker thread
// (worker.ts) and waits for its bytes, passing its progress on: the one worker facility of the
// server (dossier jobs, transparency export) and the workstation (offline dossier export, which in
// the Electron main process would otherwise freeze the app). A rendering that runs past its time,
// or a worker that dies, is an error here; an abort (shutting down) ends the worker at once.
//
// Node only. Imports nothing of server/ or desktop/.
//
// Where the worker is found: next to this module, in whatever form this one runs.
// - TypeScript (server under tsx, tests under vitest, the bench): worker.ts, started through
//   worker.boot.mjs, which registers tsx in the new thread.
// - Built JavaScript (the workstation's main process bundled by electron-vite): this module is
//   bundled into out/main/, and the worker is its own entry there, out/main/pdf-worker.js
//   (electron.vite.config.ts: main.build.rollupOptions.input 'pdf-worker'); it is started directly.
//   If this module ever ends up in a chunk one directory down (out/main/chunks/), the parent
//   directory is looked at too.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PdfRequest, PdfRequestKind, PdfWorkerMessage } from './protocol';

export type { PdfRequest, PdfRequestKind, DossierPdfRequest, TransparencyPdfRequest } from './protocol';

const here = import.meta.url;
const runsAsTypeScript = /\.[cm]?ts$/.test(new URL(here).pathname);
// Built from variables, not literals, so that bundlers leave them alone (no asset rewriting).
const sibling = (name: string) => new URL(name, here);

/** The boot file of a PDF worker thread (registers tsx when the worker's entry is TypeScript). */
export const PDF_WORKER_BOOT: URL = sibling('./worker.boot.mjs');

/** The module a PDF worker thread runs, and the file the thread is started with. */
function workerFiles(): { boot: URL; entry: URL } {
  if (runsAsTypeScript) return { boot: PDF_WORKER_BOOT, entry: sibling('./worker.ts') };
  const built = ['./pdf-worker.js', '../pdf-worker.js', './worker.js'].map(sibling).find((u) => fs.existsSync(fileURLToPath(u)));
  if (!built) throw new Error(`the PDF worker (pdf-worker.js) was not found next to ${here}`);
  return { boot: built, entry: built };
}

const WHAT: Record<PdfRequestKind, string> = { dossier: 'dossier rendering', transparency: 'transparency report rendering' };

export class RenderTimeoutError extends Error {
  constructor(
    readonly ms: number,
    what: string = WHAT.dossier,
  ) {
    super(`${what} took longer than ${ms} ms and was stopped`);
    this.name = 'RenderTimeoutError';
  }
}

export class RenderAbortedError extends Error {
  constructor(what: string = WHAT.dossier) {
    super(`${what} was stopped (shutting down)`);
    this.name = 'RenderAbortedError';
  }
}

/**
 * The young generation of a render worker, in MB. V8's default (tens of MB of semi-spaces) lets a
 * rendering's short-lived garbage (text runs, line items, copies of image and font data on their
 * way into the file) pile up between scavenges; a small one is swept more often, at a cost of a few
 * percent of the time, and keeps the worker's peak memory tens of MB lower. The bench
 * (bench/lib/dossier-pdfkit-child.ts) renders in a worker with the same limits.
 */
export const RENDER_WORKER_YOUNG_GENERATION_MB = 8;
/** Default heap limit (old generation) of a render worker, in MB. */
export const RENDER_WORKER_OLD_GENERATION_MB = 1536;

/** The resource limits a render worker runs with. */
export function renderWorkerResourceLimits(maxHeapMb?: number): { maxOldGenerationSizeMb: number; maxYoungGenerationSizeMb: number } {
  return { maxOldGenerationSizeMb: maxHeapMb ?? RENDER_WORKER_OLD_GENERATION_MB, maxYoungGenerationSizeMb: RENDER_WORKER_YOUNG_GENERATION_MB };
}

export interface PdfWorkerOptions {
  onProgress?: (done: number, total: number) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Heap limit of the worker, in MB: a runaway rendering fails alone instead of taking its process down. */
  maxHeapMb?: number;
}

export interface PdfWorkerResult {
  /** The PDF, on an ArrayBuffer of its own (transferred from the worker, not copied). */
  pdf: Uint8Array;
  /** Time spent rendering inside the worker (fonts, layout, attachments), without the worker's start. */
  renderMs: number;
  /** Time from starting the worker to having the bytes. */
  totalMs: number;
}

/** Renders `request` in a fresh worker thread. */
export function renderPdfInWorker(request: PdfRequest, options: PdfWorkerOptions = {}): Promise<PdfWorkerResult> {
  const started = performance.now();
  const what = WHAT[request.kind] ?? 'PDF rendering';
  return new Promise<PdfWorkerResult>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new RenderAbortedError(what));
    let worker: Worker;
    try {
      const { boot, entry } = workerFiles();
      worker = new Worker(boot, { workerData: { entry: entry.href, pdfRequest: request }, resourceLimits: renderWorkerResourceLimits(options.maxHeapMb) });
    } catch (error) {
      return reject(error);
    }
    let settled = false;
    const finish = (error: Error | null, result?: PdfWorkerResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = () => finish(new RenderAbortedError(what));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(new RenderTimeoutError(options.timeoutMs!, what)), options.timeoutMs ?? 2 ** 31 - 1);
    worker.on('message', (m: PdfWorkerMessage) => {
      if (m.type === 'progress') options.onProgress?.(m.done, m.total);
      else if (m.type === 'done') finish(null, { pdf: m.pdf, renderMs: m.ms, totalMs: Math.round(performance.now() - started) });
      else {
        const error = new Error(m.message);
        error.name = m.name;
        if (m.stack) error.stack = m.stack;
        finish(error);
      }
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => finish(new Error(`the PDF render worker (${request.kind}) exited (code ${code}) without a result`)));
  });
}
