// One pdfkit rendering of the dossier bench, in a fresh process of its own so that its peak RSS is
// the renderer's (and what it needs: the fonts, the snapshot, the exhibit files) and nothing else:
//   node --import tsx bench/lib/dossier-pdfkit-child.ts <work dir> <output pdf>
// The work dir holds snapshot.json and files/<sha256> (written by bench/dossier.bench.ts). Prints
// one JSON line on stdout (ChildResult). Under --cpu-prof the parent asks for a profile.
//
// The rendering runs as production runs it: in a worker thread (started through the PDF worker's
// boot file, shared/pdf/worker/worker.boot.mjs) with the render-worker resource limits
// (renderWorkerResourceLimits of shared/pdf/worker/run-in-worker.ts, which the server's dossier
// jobs use: its small young generation is part of the renderer's memory budget). The worker loads the fonts, reads the input and renders; this thread only waits.
// Peak RSS is the whole process's (both threads). BENCH_DOSSIER_IN_PROCESS=1 renders on the main
// thread instead, with V8's default heap limits, for comparison.
//
// Timed separately: the fonts (loadPdfFonts, from the npm packages), reading the input, importing
// the renderer module (tsx transpiles it on first import) and the renderDossier() call itself,
// which is the figure the bench compares.
import fs from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { PDF_WORKER_BOOT, renderWorkerResourceLimits } from '../../shared/pdf/worker/run-in-worker';
import type * as FontsModule from '../../shared/pdf/fonts';
import type { DossierSnapshot } from '../../shared/dossier/snapshot';

export interface ChildResult {
  fontsMs: number;
  inputMs: number;
  importMs: number;
  renderMs: number;
  /** CPU time (user + system, all threads) of this process during the render call. */
  renderCpuMs: number;
  /** process.resourceUsage().maxRSS after the render, in bytes: the process's peak RSS. */
  maxRssBytes: number;
  /** RSS when the child started (node + the tsx loader, nothing of the dossier yet). */
  rssAtStartBytes: number;
  /** RSS (the whole process's) just before renderDossier() was called. */
  rssBeforeBytes: number;
  heapUsedBeforeBytes: number;
  pdfBytes: number;
  progressCalls: number;
  lastProgress: [number, number] | null;
}

type Rendered = Omit<ChildResult, 'maxRssBytes' | 'rssAtStartBytes'>;

/** Fonts, input, renderer, the timed render call and the output file: in whichever thread runs it. */
async function renderOnce(workDir: string, outPath: string): Promise<Rendered> {
  const renderPath = new URL('../../shared/pdf/dossier/render.ts', import.meta.url);
  if (!fs.existsSync(renderPath)) throw new Error(`${renderPath.pathname} does not exist (yet)`);

  let t = performance.now();
  const { loadPdfFonts } = (await import(new URL('../../shared/pdf/fonts.ts', import.meta.url).href)) as typeof FontsModule;
  const fonts = loadPdfFonts();
  const fontsMs = performance.now() - t;

  t = performance.now();
  const snapshot = JSON.parse(fs.readFileSync(path.join(workDir, 'snapshot.json'), 'utf8')) as DossierSnapshot;
  const files = new Map<string, Uint8Array>();
  for (const name of fs.readdirSync(path.join(workDir, 'files'))) files.set(name, new Uint8Array(fs.readFileSync(path.join(workDir, 'files', name))));
  const inputMs = performance.now() - t;

  t = performance.now();
  const { renderDossier } = (await import(renderPath.href)) as typeof import('../../shared/pdf/dossier/render');
  const importMs = performance.now() - t;

  let progressCalls = 0;
  let lastProgress: [number, number] | null = null;
  const before = process.memoryUsage();
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const pdf = await renderDossier(snapshot, { fonts, files }, (done: number, total: number) => {
    progressCalls++;
    lastProgress = [done, total];
  });
  const renderMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const renderCpuMs = (cpu.user + cpu.system) / 1000;

  fs.writeFileSync(outPath, pdf);
  return { fontsMs, inputMs, importMs, renderMs, renderCpuMs, rssBeforeBytes: before.rss, heapUsedBeforeBytes: before.heapUsed, pdfBytes: pdf.byteLength, progressCalls, lastProgress };
}

/** renderOnce in a worker thread with the production render worker's resource limits. */
function renderInWorkerThread(workDir: string, outPath: string): Promise<Rendered> {
  const boot = PDF_WORKER_BOOT;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { workerData: { entry: import.meta.url, benchChild: { workDir, outPath } }, resourceLimits: renderWorkerResourceLimits() });
    let result: Rendered | null = null;
    worker.on('message', (m: { ok: true; result: Rendered } | { ok: false; error: string }) => {
      if (m.ok) result = m.result;
      else reject(new Error(m.error));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => (result ? resolve(result) : reject(new Error(`the render worker exited (code ${code}) without a result`))));
  });
}

async function main() {
  const rssAtStartBytes = process.memoryUsage().rss;
  const [workDir, outPath] = process.argv.slice(2);
  if (!workDir || !outPath) throw new Error('usage: dossier-pdfkit-child.ts <work dir> <output pdf>');
  const rendered = process.env.BENCH_DOSSIER_IN_PROCESS === '1' ? await renderOnce(workDir, outPath) : await renderInWorkerThread(workDir, outPath);
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  const result: ChildResult = { ...rendered, maxRssBytes, rssAtStartBytes };
  await new Promise<void>((resolve) => process.stdout.write(`${JSON.stringify(result)}\n`, () => resolve()));
}

const benchChild = isMainThread ? null : (workerData as { benchChild?: { workDir: string; outPath: string } } | null)?.benchChild;
if (benchChild) {
  renderOnce(benchChild.workDir, benchChild.outPath).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (error: unknown) => parentPort!.postMessage({ ok: false, error: (error as Error)?.stack ?? String(error) }),
  );
} else if (isMainThread) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`[dossier-pdfkit-child] ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(2);
    },
  );
}
