// Runs one dossier rendering in a worker thread and waits for its bytes, passing its progress on:
// the server's name for the shared PDF worker facility (shared/pdf/worker/run-in-worker.ts), which
// the transparency report and the workstation's offline export use too. A rendering that runs past
// its time, or a worker that dies, is an error here; an abort (server shutting down) ends the worker
// at once.
import type { DossierSnapshot } from '../../../shared/dossier/snapshot';
import { renderPdfInWorker, type PdfWorkerOptions, type PdfWorkerResult } from '../../../shared/pdf/worker/run-in-worker';

export {
  RenderTimeoutError,
  RenderAbortedError,
  RENDER_WORKER_YOUNG_GENERATION_MB,
  RENDER_WORKER_OLD_GENERATION_MB,
  renderWorkerResourceLimits,
} from '../../../shared/pdf/worker/run-in-worker';

export type RenderInWorkerOptions = PdfWorkerOptions;
export type RenderResult = PdfWorkerResult;

export function renderInWorker(snapshot: DossierSnapshot, files: ReadonlyMap<string, Uint8Array>, options: RenderInWorkerOptions = {}): Promise<RenderResult> {
  return renderPdfInWorker({ kind: 'dossier', snapshot, files: [...files] }, options);
}
