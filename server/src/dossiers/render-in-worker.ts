// Runs one dossier rendering in a worker thread (render-worker.ts) and waits for its bytes, passing
// its progress on. A rendering that runs past its time, or a worker that dies, is an error here;
// an abort (server shutting down) ends the worker at once.
import { Worker } from 'node:worker_threads';
import type { DossierSnapshot } from '../../../shared/dossier/snapshot';
import type { RenderMessage, RenderRequest } from './render-worker';

const BOOT = new URL('./render-worker.boot.mjs', import.meta.url);
// The worker module next to this one, in whatever form this one runs (TypeScript or built JS).
const ENTRY = new URL(`./render-worker${/\.[cm]?ts$/.test(new URL(import.meta.url).pathname) ? '.ts' : '.js'}`, import.meta.url);

export class RenderTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`dossier rendering took longer than ${ms} ms and was stopped`);
    this.name = 'RenderTimeoutError';
  }
}

export class RenderAbortedError extends Error {
  constructor() {
    super('dossier rendering was stopped (the server is shutting down)');
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

export interface RenderInWorkerOptions {
  onProgress?: (done: number, total: number) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Heap limit of the worker, in MB: a runaway rendering fails alone instead of taking the server down. */
  maxHeapMb?: number;
}

export interface RenderResult {
  pdf: Uint8Array;
  /** Time spent rendering inside the worker (fonts, layout, attachments), without the worker's start. */
  renderMs: number;
  /** Time from starting the worker to having the bytes. */
  totalMs: number;
}

export function renderInWorker(snapshot: DossierSnapshot, files: ReadonlyMap<string, Uint8Array>, options: RenderInWorkerOptions = {}): Promise<RenderResult> {
  const started = performance.now();
  return new Promise<RenderResult>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new RenderAbortedError());
    const request: RenderRequest = { snapshot, files: [...files] };
    const worker = new Worker(BOOT, {
      workerData: { entry: ENTRY.href, request },
      resourceLimits: renderWorkerResourceLimits(options.maxHeapMb),
    });
    let settled = false;
    const finish = (error: Error | null, result?: RenderResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = () => finish(new RenderAbortedError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish(new RenderTimeoutError(options.timeoutMs!)), options.timeoutMs ?? 2 ** 31 - 1);
    worker.on('message', (m: RenderMessage) => {
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
    worker.on('exit', (code) => finish(new Error(`the dossier render worker exited (code ${code}) without a result`)));
  });
}
