// Dossier rendering speed (dossier issue, "Speed"): "a 300-page dossier with 150 image exhibits and
// Chinese text — time and peak memory — against headless Chromium's page.pdf() of the same content
// as HTML (with @sparticuz/chromium) in the same run. Targets: at most 3 s and 300 MB on these
// machines, and at least 5 times faster than Chromium."
//
// The content (bench/lib/dossier-content.ts): one seeded case as the database would hold it, built
// into a DossierSnapshot by the production builder — 150 image exhibits (100 JPEG photos, 50 PNG
// screenshots, 800×600 / 600×800), 2,700 trades in four Binance CSV exports, three Chinese support
// chats, two activity logs, documents, a few hundred timeline events, notes and communications in
// Chinese and English, an arbitration with ruling, signatures, dissent and addendum, the custody
// trail — and the exhibit files themselves (sha256 → bytes), parsed by the production parser.
// The same snapshot as one HTML page (bench/lib/dossier-html.ts): same sections, A4, repeated
// table headers, page X of Y, fonts from the same npm packages via @font-face.
//
// Measured, interleaved (pdfkit run 1, Chromium run 1, pdfkit run 2, …), RUNS times each:
// (a) pdfkit: renderDossier() (shared/pdf/dossier/render.ts) in a fresh node + tsx child process
//     (bench/lib/dossier-pdfkit-child.ts), which renders as the server does: in a worker thread
//     with the server's render-worker resource limits (renderWorkerResourceLimits in
//     shared/pdf/worker/run-in-worker.ts, including its small young generation); the wall
//     time of the render call (fonts loaded beforehand, timed apart) and the process's peak RSS
//     (process.resourceUsage().maxRSS: both threads, the worker's isolate included).
// (b) Chromium: a browser launched for the run (launch not in the time, reported), the page loaded
//     from a loopback HTTP server until every font face and image has loaded (not in the time,
//     reported), then page.pdf({ format: 'A4', printBackground: true, outline: true, tagged: true })
//     timed; the browser's memory while it prints: VmRSS of its process tree sampled every 50 ms
//     (sum of each process's peak), and the exact peak from VmHWM reset just before printing.
// Medians are compared with the targets. Pages of both outputs are counted with pdf.js. The CPU
// time of each side (pdfkit: process.cpuUsage() around the call; Chromium: utime + stime of its
// processes from /proc) is reported too: on these shared 2-core machines the wall times swing
// with the load average, which is printed with every run. pdfkit's outputs must be byte-identical
// across runs (unless shared/dossier/*.ts changed during the bench, which is detected).
//
// The runs are interleaved (pdfkit run k, then Chromium run k, for k = 1..RUNS), so both sides see
// the machine as loaded as it is at the time; the load average before each run is reported.
// Ends with a BENCH_RESULT line (bench/lib/result.ts). Exit 0 when every target was met, 1 when one
// was missed (or only one side was measured: no verdict is not a pass), 2 on an error.
//
//   npx tsx bench/dossier.bench.ts
//   npm run bench -- dossier
//   BENCH_DOSSIER_RUNS=1 npx tsx bench/dossier.bench.ts                 (one run of each, for a quick try)
//   BENCH_DOSSIER_SIDES=chromium npx tsx bench/dossier.bench.ts         (one side only: no verdict)
//   BENCH_DOSSIER_KEEP=/tmp/out npx tsx bench/dossier.bench.ts          (keeps the last PDF of each side there)
//   BENCH_DOSSIER_CPU_PROF=/tmp/prof npx tsx bench/dossier.bench.ts     (pdfkit child under --cpu-prof;
//       profiles kept there, one per thread: the render is in the worker thread's, the largest;
//       summarise with `npx tsx bench/lib/cpuprofile-summary.ts <file> 30 renderDossier`; times
//       measured under the profiler are not the real ones; under tsx every frame is at line 1 of
//       its file, the function names are right)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import type * as FontsModule from '../shared/pdf/fonts';
import { dossierId } from '../shared/dossier/snapshot';
import { buildDossierContent, type DossierContent } from './lib/dossier-content';
import { dossierHtml } from './lib/dossier-html';
import { chromiumRun, chromiumSetup, leftoverChromium, serveDossier, SAMPLE_MS, type ChromiumRun, type ChromiumSetup, type Site } from './lib/dossier-chromium';
import type { ChildResult } from './lib/dossier-pdfkit-child';
import { check, emitResult, info, makeResult, targeted, type Figure } from './lib/result';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CHILD = fileURLToPath(new URL('./lib/dossier-pdfkit-child.ts', import.meta.url));
const RENDER = path.join(ROOT, 'shared', 'dossier', 'render.ts');

const RUNS = Number(process.env.BENCH_DOSSIER_RUNS ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 9) throw new Error('BENCH_DOSSIER_RUNS: an integer from 1 to 9');
const SIDES = process.env.BENCH_DOSSIER_SIDES ?? 'both';
if (!['both', 'pdfkit', 'chromium'].includes(SIDES)) throw new Error('BENCH_DOSSIER_SIDES: both, pdfkit or chromium');
const PDFKIT = SIDES !== 'chromium';
const CHROMIUM = SIDES !== 'pdfkit';
const CPU_PROF_DIR = process.env.BENCH_DOSSIER_CPU_PROF ? path.resolve(process.env.BENCH_DOSSIER_CPU_PROF) : null;
const KEEP_DIR = process.env.BENCH_DOSSIER_KEEP ? path.resolve(process.env.BENCH_DOSSIER_KEEP) : null;
/** Bounds every child process, page load and print. */
const STEP_TIMEOUT_MS = 10 * 60_000;

const TARGET_MS = 3000;
const TARGET_BYTES = 300e6; // 300 MB, decimal: the stricter reading
const TARGET_RATIO = 5;

const MB = 1e6;
const log = (m: string) => process.stderr.write(`[dossier] ${m}\n`);
const fmtMs = (ms: number) => `${Math.round(ms).toLocaleString('en-US')} ms`;
const fmtMB = (b: number) => `${(b / MB).toFixed(0)} MB`;
const fmtInt = (n: number) => n.toLocaleString('en-US');
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const uptime = () => {
  try {
    return execFileSync('uptime', { encoding: 'utf8', timeout: 5000 }).trim();
  } catch {
    return `load average: ${load()}`;
  }
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const list = (xs: number[], f: (x: number) => string) => xs.map(f).join(', ');

// ---------------------------------------------------------------------------------------------
// Reading the outputs back

interface PdfCheck {
  pages: number;
  /** /Type /Page objects counted in the bytes (uncompressed object streams only), as a cross-check. */
  pageObjects: number;
  cjkFontEmbedded: boolean;
  caseNumberOnPage1: boolean;
  chineseText: boolean;
}

async function checkPdf(bytes: Uint8Array, caseNumber: string): Promise<PdfCheck> {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const pageObjects = (latin1.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
  const cjkFontEmbedded = /\/BaseFont\s*\/[A-Z]{6}\+NotoSansSC/.test(latin1);
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes the buffer over: give it a copy.
  const doc = await pdfjs.getDocument({ data: bytes.slice(), isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const text = async (n: number) => ((await (await doc.getPage(n)).getTextContent()).items as { str?: string }[]).map((i) => i.str ?? '').join('');
    const first = await text(1);
    let chinese = /[\u4e00-\u9fff]/.test(first);
    for (let n = 2; !chinese && n <= Math.min(doc.numPages, 12); n++) chinese = /[\u4e00-\u9fff]/.test(await text(n));
    return { pages: doc.numPages, pageObjects, cjkFontEmbedded, caseNumberOnPage1: first.includes(caseNumber), chineseText: chinese };
  } finally {
    await doc.destroy();
  }
}

// ---------------------------------------------------------------------------------------------

interface PdfkitRun extends ChildResult {
  loadAvg: string;
  wallMs: number;
  sha256: string;
  /** Hash of shared/dossier/*.ts when the run started: the renderer may be edited while the bench runs. */
  sourceHash: string;
}

/** One hash over the renderer's sources (shared/dossier/*.ts), to tell whether they changed between runs. */
function rendererSourceHash(): string {
  const dir = path.dirname(RENDER);
  const h = createHash('sha256');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ts')).sort()) h.update(f).update(fs.readFileSync(path.join(dir, f)));
  return h.digest('hex').slice(0, 12);
}

interface ChromeRun extends Omit<ChromiumRun, 'pdf'> {
  loadAvg: string;
  pdfSize: number;
}

interface State {
  workDir: string;
  child: ChildProcess | null;
  ctx: BrowserContext | null;
  site: Site | null;
  setup: ChromiumSetup | null;
}

function runPdfkitChild(state: State, outPath: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const profile = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : [];
    const child = spawn(process.execPath, [...profile, ...process.execArgv, CHILD, state.workDir, outPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    state.child = child;
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      if (out.length < 1_000_000) out += d.toString('utf8');
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < 100_000) err += d.toString('utf8');
      process.stderr.write(d);
    });
    const timer = setTimeout(() => {
      log(`pdfkit child: over ${STEP_TIMEOUT_MS / 60_000} min, killing it`);
      child.kill('SIGKILL');
    }, STEP_TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      state.child = null;
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      state.child = null;
      if (code !== 0) return reject(new Error(`pdfkit child exited ${signal ?? code}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        reject(new Error(`pdfkit child: no result line in ${JSON.stringify(out.slice(0, 500))}`));
      }
    });
  });
}

async function main(state: State): Promise<number> {
  const uptimeStart = uptime();
  log(uptimeStart);
  if (PDFKIT && !fs.existsSync(RENDER)) throw new Error(`${path.relative(ROOT, RENDER)} does not exist: nothing to measure (BENCH_DOSSIER_SIDES=chromium measures the Chromium side alone)`);
  if (CPU_PROF_DIR) fs.mkdirSync(CPU_PROF_DIR, { recursive: true });

  // --- content
  log('generating the case (150 images, 2,700 trades, chats, logs) …');
  const content: DossierContent = buildDossierContent();
  const { snapshot, files, stats } = content;
  fs.writeFileSync(path.join(state.workDir, 'snapshot.json'), JSON.stringify(snapshot));
  fs.mkdirSync(path.join(state.workDir, 'files'));
  for (const [sha, bytes] of files) fs.writeFileSync(path.join(state.workDir, 'files', sha), bytes);
  const id = dossierId(snapshot);
  log(`  ${stats.exhibits} exhibits, ${fmtMB(stats.fileBytes)} of files, snapshot ${fmtMB(stats.snapshotJsonBytes)} JSON, in ${fmtMs(stats.ms.total)} (images ${fmtMs(stats.ms.images)})`);

  // --- Chromium's page, served on loopback
  let fontKeys: Record<string, string> = {};
  if (CHROMIUM) {
    const { PDF_FONT_FILES } = (await import(new URL('../shared/pdf/fonts.ts', import.meta.url).href)) as typeof FontsModule;
    fontKeys = PDF_FONT_FILES;
    const html = dossierHtml(snapshot, { font: (k) => `/fonts/${k}.ttf`, file: (sha) => `/files/${sha}` }, id);
    state.site = await serveDossier(html, fontKeys, files);
    state.setup = await chromiumSetup();
    log(`Chromium ${state.setup.executablePath} (found/unpacked in ${fmtMs(state.setup.unpackMs)}); page ${fmtMB(Buffer.byteLength(html))} HTML at ${state.site.url}`);
  }

  // --- the runs, interleaved
  const pdfkitRuns: PdfkitRun[] = [];
  const chromeRuns: ChromeRun[] = [];
  let pdfkitOut = '';
  let chromeOut = '';
  for (let run = 1; run <= RUNS; run++) {
    if (PDFKIT) {
      const loadAvg = load();
      const sourceHash = rendererSourceHash();
      pdfkitOut = path.join(state.workDir, `pdfkit-${run}.pdf`);
      const t = performance.now();
      const r = await runPdfkitChild(state, pdfkitOut);
      const wallMs = performance.now() - t;
      pdfkitRuns.push({ ...r, loadAvg, wallMs, sourceHash, sha256: createHash('sha256').update(fs.readFileSync(pdfkitOut)).digest('hex') });
      log(`pdfkit ${run}/${RUNS}: render ${fmtMs(r.renderMs)} (CPU ${fmtMs(r.renderCpuMs)}), peak RSS ${fmtMB(r.maxRssBytes)} (before render ${fmtMB(r.rssBeforeBytes)}), ${fmtMB(r.pdfBytes)} PDF; fonts ${fmtMs(r.fontsMs)}, input ${fmtMs(r.inputMs)}, import ${fmtMs(r.importMs)}; load ${loadAvg}`);
    }
    if (CHROMIUM) {
      const loadAvg = load();
      const userDataDir = fs.mkdtempSync(path.join(state.workDir, 'chromium-profile-'));
      const r = await chromiumRun({ setup: state.setup!, url: state.site!.url, userDataDir, timeoutMs: STEP_TIMEOUT_MS, onContext: (ctx) => (state.ctx = ctx) });
      fs.rmSync(userDataDir, { recursive: true, force: true });
      chromeOut = path.join(state.workDir, `chromium-${run}.pdf`);
      fs.writeFileSync(chromeOut, r.pdf);
      const { pdf, ...rest } = r;
      chromeRuns.push({ ...rest, loadAvg, pdfSize: pdf.byteLength });
      if (r.brokenImages || r.images !== stats.images || r.fonts.some((f) => !f.endsWith('loaded'))) throw new Error(`Chromium did not load the page completely: ${r.images} images (${r.brokenImages} broken), fonts ${r.fonts.join('; ')}`);
      log(`Chromium ${run}/${RUNS}: pdf ${fmtMs(r.pdfMs)} (CPU ${fmtMs(r.pdfCpuMs)}), peak RSS printing ${fmtMB(r.sampledPeakBytes)} sampled / ${r.printHwmBytes === null ? '?' : fmtMB(r.printHwmBytes)} VmHWM, ${fmtMB(pdf.byteLength)} PDF; launch ${fmtMs(r.launchMs)}, load ${fmtMs(r.loadMs)}, close ${fmtMs(r.closeMs)}; load ${loadAvg}`);
    }
  }

  // --- outputs read back (the last run of each; the runs render the same input)
  const pdfkitCheck = PDFKIT ? await checkPdf(new Uint8Array(fs.readFileSync(pdfkitOut)), snapshot.case.caseNumber) : null;
  const chromeCheck = CHROMIUM ? await checkPdf(new Uint8Array(fs.readFileSync(chromeOut)), snapshot.case.caseNumber) : null;
  const uptimeEnd = uptime();
  if (KEEP_DIR) {
    fs.mkdirSync(KEEP_DIR, { recursive: true });
    if (PDFKIT) fs.copyFileSync(pdfkitOut, path.join(KEEP_DIR, 'dossier-pdfkit.pdf'));
    if (CHROMIUM) fs.copyFileSync(chromeOut, path.join(KEEP_DIR, 'dossier-chromium.pdf'));
    log(`outputs kept in ${KEEP_DIR}`);
  }

  // --- report
  const line = (label: string, value: string) => `  ${label.padEnd(46)} ${value}`;
  const yes = (b: boolean) => (b ? 'yes' : 'NO');
  const out: string[] = [
    '',
    `dossier: ${snapshot.case.caseNumber}, ${stats.exhibits} exhibits, rendered by pdfkit (renderDossier) and by Chromium's page.pdf(), ${RUNS} run${RUNS > 1 ? 's' : ''} each, interleaved; medians`,
    line('machine', `${os.cpus().length} CPU (${os.cpus()[0]?.model ?? '?'}), node ${process.version}`),
    line('uptime at start', uptimeStart),
    line('uptime at end', uptimeEnd),
    line('content', `${stats.images} images (${stats.jpegs} JPEG, ${stats.pngs} PNG; ${fmtMB(stats.imageBytes)}), ${fmtInt(stats.trades)} trades, ${stats.chatMessages} chat messages, ${stats.activityEntries} activity entries, ${stats.timelineEvents} events, ${stats.custodyEntries} custody entries`),
    line('', `snapshot ${fmtMB(stats.snapshotJsonBytes)} as JSON, files ${fmtMB(stats.fileBytes)}; generated in ${fmtMs(stats.ms.total)}; dossier ID ${id}`),
  ];
  const pk = pdfkitRuns.length
    ? {
        ms: median(pdfkitRuns.map((r) => r.renderMs)),
        peak: median(pdfkitRuns.map((r) => r.maxRssBytes)),
      }
    : null;
  const ch = chromeRuns.length
    ? {
        ms: median(chromeRuns.map((r) => r.pdfMs)),
        peak: median(chromeRuns.map((r) => r.sampledPeakBytes)),
      }
    : null;
  if (pdfkitCheck || chromeCheck)
    out.push(
      line('PAGES', `pdfkit ${pdfkitCheck ? fmtInt(pdfkitCheck.pages) : '-'} · Chromium ${chromeCheck ? fmtInt(chromeCheck.pages) : '-'}`),
    );
  if (pk && pdfkitCheck) {
    const r = pdfkitRuns;
    out.push(
      line('PDFKIT renderDossier() time', `${fmtMs(pk.ms)} (runs ${list(r.map((x) => x.renderMs), fmtMs)})`),
      line('  CPU time of the call (user + sys)', `${fmtMs(median(r.map((x) => x.renderCpuMs)))} (runs ${list(r.map((x) => x.renderCpuMs), fmtMs)})`),
      line('  peak RSS of its process (maxRSS)', `${fmtMB(pk.peak)} (runs ${list(r.map((x) => x.maxRssBytes), fmtMB)}); growth over the child's start ${fmtMB(median(r.map((x) => x.maxRssBytes - x.rssAtStartBytes)))}; RSS at child start (node + tsx) ${fmtMB(median(r.map((x) => x.rssAtStartBytes)))}, before the call (+ fonts, snapshot, files, renderer) ${fmtMB(median(r.map((x) => x.rssBeforeBytes)))}`),
      line('  not in the time: fonts / input / import', `${fmtMs(median(r.map((x) => x.fontsMs)))} / ${fmtMs(median(r.map((x) => x.inputMs)))} / ${fmtMs(median(r.map((x) => x.importMs)))}; whole child ${fmtMs(median(r.map((x) => x.wallMs)))}`),
      line('  load average before each run', r.map((x) => `[${x.loadAvg}]`).join(' ')),
      line('  output', `${fmtMB(r[r.length - 1]!.pdfBytes)}; ${pdfkitCheck.pages} pages (${pdfkitCheck.pageObjects} /Type /Page); Noto Sans SC embedded ${yes(pdfkitCheck.cjkFontEmbedded)}; Chinese text read back ${yes(pdfkitCheck.chineseText)}; case number on page 1 ${yes(pdfkitCheck.caseNumberOnPage1)}; progress calls ${r[r.length - 1]!.progressCalls}`),
      line(
        '  same bytes in every run',
        r.length < 2
          ? '(one run)'
          : r.every((x) => x.sourceHash === r[0]!.sourceHash)
            ? yes(r.every((x) => x.sha256 === r[0]!.sha256))
            : `(not comparable: shared/dossier/*.ts changed during the bench: ${r.map((x) => x.sourceHash).join(', ')})`,
      ),
    );
    if (CPU_PROF_DIR) out.push(line('  (measured under --cpu-prof: times inflated)', CPU_PROF_DIR));
  }
  if (ch && chromeCheck && state.setup) {
    const r = chromeRuns;
    const hwm = r.map((x) => x.printHwmBytes).filter((x): x is number => x !== null);
    out.push(
      line('CHROMIUM page.pdf() time', `${fmtMs(ch.ms)} (runs ${list(r.map((x) => x.pdfMs), fmtMs)})`),
      line('  CPU time of the browser meanwhile', `${fmtMs(median(r.map((x) => x.pdfCpuMs)))} (runs ${list(r.map((x) => x.pdfCpuMs), fmtMs)})`),
      line(`  peak RSS printing (${SAMPLE_MS} ms samples, Σ procs)`, `${fmtMB(ch.peak)} (runs ${list(r.map((x) => x.sampledPeakBytes), fmtMB)}; ${r[0]!.processes} process${r[0]!.processes > 1 ? 'es' : ''}, ${median(r.map((x) => x.samples))} samples)`),
      line('  exact peak printing (VmHWM reset before)', hwm.length ? `${fmtMB(median(hwm))} (runs ${list(hwm, fmtMB)})` : 'not available (clear_refs refused)'),
      line('  peak during launch + page load (VmHWM)', `${fmtMB(median(r.map((x) => x.loadHwmBytes)))}`),
      line('  not in the time: launch / page load / close', `${fmtMs(median(r.map((x) => x.launchMs)))} / ${fmtMs(median(r.map((x) => x.loadMs)))} / ${fmtMs(median(r.map((x) => x.closeMs)))}; binary found/unpacked in ${fmtMs(state.setup.unpackMs)}`),
      line('  load average before each run', r.map((x) => `[${x.loadAvg}]`).join(' ')),
      line('  output', `${fmtMB(r[r.length - 1]!.pdfSize)}; ${chromeCheck.pages} pages; Noto Sans SC embedded ${yes(chromeCheck.cjkFontEmbedded)}; Chinese text read back ${yes(chromeCheck.chineseText)}; Chromium ${r[0]!.version}`),
    );
  }
  const figures: Figure[] = [];
  const notes: string[] = [];
  if (pk && ch) {
    const ratio = ch.ms / pk.ms;
    const checks = [
      { name: `pdfkit time ≤ ${TARGET_MS / 1000} s`, ok: pk.ms <= TARGET_MS, value: fmtMs(pk.ms) },
      { name: `pdfkit peak memory ≤ ${TARGET_BYTES / MB} MB`, ok: pk.peak <= TARGET_BYTES, value: fmtMB(pk.peak) },
      { name: `pdfkit ≥ ${TARGET_RATIO}× faster than Chromium`, ok: ratio >= TARGET_RATIO, value: `${ratio.toFixed(2)}×` },
    ];
    const endToEnd = median(chromeRuns.map((x) => x.launchMs + x.loadMs + x.pdfMs));
    const cpuRatio = median(chromeRuns.map((x) => x.pdfCpuMs)) / median(pdfkitRuns.map((x) => x.renderCpuMs));
    out.push(
      line('RATIO Chromium / pdfkit time', `${ratio.toFixed(2)}× (CPU time ${cpuRatio.toFixed(2)}×; peak memory: Chromium ${(ch.peak / pk.peak).toFixed(2)}× pdfkit's)`),
      line('  context: Chromium launch + load + pdf', `${fmtMs(endToEnd)} = ${(endToEnd / pk.ms).toFixed(2)}× pdfkit's render time`),
      ...checks.map((c) => line(`  ${c.name}`, `${c.ok ? 'PASS' : 'FAIL'} (${c.value})`)),
    );
    const missed = checks.filter((c) => !c.ok).length;
    const pagesOk = pdfkitCheck!.pages >= 250;
    out.push(line('result', `${missed ? `FAIL: ${missed} of ${checks.length} targets missed` : 'PASS: all targets met'}${pagesOk ? '' : ` (pdfkit made ${pdfkitCheck!.pages} pages, fewer than the ~300 the issue asks for)`}`));
    const chromiumBaseline = { name: "Chromium page.pdf() (median, interleaved runs)", value: Math.round(ch.ms), unit: 'ms' };
    figures.push(
      targeted('pdfkit_ms', 'pdfkit renderDossier() time (median)', Math.round(pk.ms), 'ms', '<=', TARGET_MS, chromiumBaseline),
      targeted('pdfkit_peak_mb', 'pdfkit peak RSS (median)', Math.round(pk.peak / MB), 'MB', '<=', TARGET_BYTES / MB, { name: 'Chromium peak RSS printing', value: Math.round(ch.peak / MB), unit: 'MB' }),
      targeted('speedup_vs_chromium', 'Chromium time / pdfkit time (medians)', Math.round(ratio * 100) / 100, '×', '>=', TARGET_RATIO, chromiumBaseline),
      info('speedup_cpu_vs_chromium', 'Chromium CPU time / pdfkit CPU time (medians)', Math.round(cpuRatio * 100) / 100, '×'),
      info('pdfkit_pages', 'pdfkit pages', pdfkitCheck!.pages, 'pages', { name: 'Chromium', value: chromeCheck!.pages, unit: 'pages' }),
    );
    if (pdfkitRuns.length > 1 && pdfkitRuns.every((x) => x.sourceHash === pdfkitRuns[0]!.sourceHash)) figures.push(check('pdfkit_deterministic', 'pdfkit output identical in every run', pdfkitRuns.every((x) => x.sha256 === pdfkitRuns[0]!.sha256)));
    notes.push(`${RUNS} interleaved run(s) per side; load before each pdfkit run ${pdfkitRuns.map((x) => `[${x.loadAvg}]`).join(' ')}, before each Chromium run ${chromeRuns.map((x) => `[${x.loadAvg}]`).join(' ')}`);
  } else {
    out.push(line('result', `no verdict: only the ${SIDES} side was measured (BENCH_DOSSIER_SIDES)`));
    figures.push(check('both_sides_measured', `both sides measured (BENCH_DOSSIER_SIDES=${SIDES})`, false));
  }
  out.push('');
  await new Promise<void>((resolve) => process.stdout.write(out.join('\n'), () => resolve()));
  return emitResult(makeResult('dossier', figures, notes));
}

// ---------------------------------------------------------------------------------------------
// Cleanup on every path: the pdfkit child, the browser, the server, the temp dir.

const state: State = { workDir: fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-bench-dossier-')), child: null, ctx: null, site: null, setup: null };
let cleaned: Promise<void> | null = null;
const cleanup = () =>
  (cleaned ??= (async () => {
    const step = async (what: string, fn: () => unknown) => {
      try {
        await fn();
      } catch (error) {
        log(`cleanup: ${what}: ${(error as Error).message}`);
      }
    };
    if (state.child && state.child.exitCode === null) await step('kill pdfkit child', () => state.child!.kill('SIGKILL'));
    if (state.ctx) await step('close Chromium', () => Promise.race([state.ctx!.close(), new Promise((r) => setTimeout(r, 10_000).unref())]));
    if (state.setup) for (const pid of leftoverChromium(state.setup.executablePath)) await step(`kill Chromium ${pid}`, () => process.kill(pid, 'SIGKILL'));
    if (state.site) await step('close server', () => state.site!.close());
    await step('remove work dir', () => fs.rmSync(state.workDir, { recursive: true, force: true }));
  })());
const onSignal = (signal: NodeJS.Signals) => {
  log(`${signal}: cleaning up`);
  void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
process.once('exit', () => {
  // Last resort, synchronous: nothing of ours outlives the bench.
  try {
    if (state.child && state.child.exitCode === null) state.child.kill('SIGKILL');
    if (state.setup) for (const pid of leftoverChromium(state.setup.executablePath)) process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  try {
    fs.rmSync(state.workDir, { recursive: true, force: true });
  } catch {
    /* nothing more to do */
  }
});

main(state)
  .finally(cleanup)
  .then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`[dossier] failed: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exit(2);
    },
  );
