// The Chromium side of the dossier bench: @sparticuz/chromium's headless shell driven by
// playwright-core, the dossier HTML and its fonts and images served from a loopback HTTP server,
// and the browser's memory read from /proc.
//
// Memory: the browser's process tree (every descendant of this process whose executable is the
// Chromium binary; with @sparticuz/chromium's --single-process there is one) is sampled every
// 50 ms while it prints (VmRSS of each process; the figure is the sum of each process's sampled
// peak), and, exactly, by the kernel's high-water mark: VmHWM is reset (/proc/<pid>/clear_refs ← 5)
// just before page.pdf() and read just after, so it is the peak RSS of the printing alone. VmHWM
// before the reset is the peak of launching and loading the page.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromiumSetup as sharedChromiumSetup, type ChromiumSetup } from '../../scripts/lib/chromium';
import { chromium as playwright, type BrowserContext } from 'playwright-core';

export const SAMPLE_MS = 50;

// ---- /proc ----------------------------------------------------------------------------------

/** Every descendant of `root` (children as listed by each of its threads), depth first. */
export function descendants(root: number): number[] {
  const out: number[] = [];
  const seen = new Set<number>([root]);
  const stack = [root];
  // Bounded: a process tree of more than 10,000 is not ours.
  while (stack.length && out.length < 10_000) {
    const pid = stack.pop()!;
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // gone
    }
    for (const tid of tasks) {
      let text = '';
      try {
        text = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const c of text.trim().split(/\s+/)) {
        const child = Number(c);
        if (!Number.isInteger(child) || child <= 0 || seen.has(child)) continue;
        seen.add(child);
        out.push(child);
        stack.push(child);
      }
    }
  }
  return out;
}

function exeOf(pid: number): string | null {
  try {
    return fs.readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return null;
  }
}

/** A field of /proc/<pid>/status in bytes (VmRSS, VmHWM), or 0 when the process is gone. */
export function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const CLK_TCK = 100; // USER_HZ: what /proc/<pid>/stat counts in (100 on Linux, whatever the kernel's HZ)

/** CPU time (user + system) a process has used so far, in ms; 0 when it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(rest[11]) + Number(rest[12])) * 1000) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Resets the process's peak-RSS high-water mark (Linux ≥ 4.0). False when the kernel refuses. */
function resetHwm(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples VmRSS of a process tree every SAMPLE_MS; keeps each process's peak. Stops itself after maxMs. */
class TreeSampler {
  readonly peaks = new Map<number, number>();
  samples = 0;
  private timer: NodeJS.Timeout | null;
  private readonly until: number;
  constructor(
    private readonly pids: () => number[],
    maxMs: number,
  ) {
    this.until = performance.now() + maxMs;
    this.sample();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
  }
  private sample() {
    if (performance.now() > this.until) return this.stop();
    this.samples++;
    for (const pid of this.pids()) {
      const rss = statusBytes(pid, 'VmRSS');
      if (rss > (this.peaks.get(pid) ?? 0)) this.peaks.set(pid, rss);
    }
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
  /** Sum over the processes of each one's sampled peak. */
  get sumOfPeaks() {
    let s = 0;
    for (const v of this.peaks.values()) s += v;
    return s;
  }
}

// ---- The loopback server ------------------------------------------------------------------------

export interface Site {
  url: string;
  close(): Promise<void>;
}

/** Serves the dossier page, the font files (by key) and the exhibit bytes (by SHA-256) on 127.0.0.1. */
export async function serveDossier(html: string, fontFiles: Readonly<Record<string, string>>, files: ReadonlyMap<string, Uint8Array>): Promise<Site> {
  const page = Buffer.from(html, 'utf8');
  const fonts = new Map(Object.entries(fontFiles).map(([k, f]) => [k, fs.readFileSync(f)]));
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body: Uint8Array | undefined;
    let type = 'application/octet-stream';
    if (url.pathname === '/dossier.html') {
      body = page;
      type = 'text/html; charset=utf-8';
    } else if (url.pathname.startsWith('/fonts/')) {
      body = fonts.get(path.basename(url.pathname, '.ttf'));
      type = 'font/ttf';
    } else if (url.pathname.startsWith('/files/')) {
      body = files.get(url.pathname.slice('/files/'.length));
      if (body) type = body[0] === 0x89 ? 'image/png' : body[0] === 0xff ? 'image/jpeg' : 'application/octet-stream';
    }
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dossier.html`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// ---- The browser --------------------------------------------------------------------------------

export type { ChromiumSetup } from '../../scripts/lib/chromium';
/** The dossier bench's browser: one process (--single-process), so its memory is one process tree to read. */
export const chromiumSetup = () => sharedChromiumSetup({ singleProcess: true });

export interface ChromiumRun {
  launchMs: number;
  /** goto → load event → every font face loaded and every image complete. */
  loadMs: number;
  pdfMs: number;
  /** CPU time (user + system, all threads) the browser's processes used during page.pdf(). */
  pdfCpuMs: number;
  closeMs: number;
  pdf: Uint8Array;
  processes: number;
  /** Sum of each process's sampled VmRSS peak during page.pdf(). */
  sampledPeakBytes: number;
  samples: number;
  /** Sum of VmHWM after a reset just before page.pdf(): the exact peak RSS of printing (null when the kernel refused the reset). */
  printHwmBytes: number | null;
  /** Sum of VmHWM before that reset: the peak of launch and page load. */
  loadHwmBytes: number;
  fonts: string[];
  images: number;
  brokenImages: number;
  version: string;
}

export interface ChromiumRunOptions {
  setup: ChromiumSetup;
  url: string;
  userDataDir: string;
  timeoutMs: number;
  /** Called with the context as soon as it exists, so that a signal handler can close it. */
  onContext: (ctx: BrowserContext | null) => void;
}

async function withTimeout<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: over ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** One measured print in a browser launched for it (and closed after it, whatever happens). */
export async function chromiumRun(o: ChromiumRunOptions): Promise<ChromiumRun> {
  const { setup } = o;
  const t0 = performance.now();
  const ctx = await playwright.launchPersistentContext(o.userDataDir, {
    executablePath: setup.executablePath,
    args: setup.args,
    headless: true,
    // This bench closes the browser itself on SIGINT/SIGTERM (and kills it on exit).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 120_000,
  });
  o.onContext(ctx);
  try {
    const launchMs = performance.now() - t0;
    const version = ctx.browser()?.version() ?? '';
    const ours = () => descendants(process.pid).filter((pid) => exeOf(pid) === setup.executablePath);
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    page.setDefaultTimeout(o.timeoutMs);
    let t = performance.now();
    await page.goto(o.url, { waitUntil: 'load', timeout: o.timeoutMs });
    const ready = await page.evaluate(async () => {
      // Runs in the page. This is a Node project (no DOM types), so the little used here is typed here.
      type Face = { family: string; weight: string; status: string; load(): Promise<unknown> };
      type Img = { complete: boolean; naturalWidth: number; onload: unknown; onerror: unknown };
      const document = (globalThis as unknown as { document: { fonts: { forEach(each: (f: Face) => void): void; ready: Promise<unknown> }; images: ArrayLike<Img> } }).document;
      const faces: Face[] = [];
      document.fonts.forEach((f) => faces.push(f));
      await Promise.all(faces.map((f) => f.load().catch(() => null)));
      await document.fonts.ready;
      const imgs = Array.from(document.images);
      await Promise.all(imgs.map((i) => (i.complete ? null : new Promise((r) => ((i.onload = r), (i.onerror = r))))));
      return { fonts: faces.map((f) => `${f.family} ${f.weight}: ${f.status}`), images: imgs.length, broken: imgs.filter((i) => !i.naturalWidth).length };
    });
    const loadMs = performance.now() - t;

    const pids = ours();
    const loadHwmBytes = pids.reduce((s, pid) => s + statusBytes(pid, 'VmHWM'), 0);
    const reset = pids.length > 0 && pids.every(resetHwm);
    let tree = pids;
    let lastScan = performance.now();
    // Rescan the tree now and then (a renderer could start); read only RSS in between.
    const sampler = new TreeSampler(() => {
      if (performance.now() - lastScan > 1000) {
        tree = ours();
        lastScan = performance.now();
      }
      return tree;
    }, o.timeoutMs);
    let pdf: Buffer;
    const cpuBefore = new Map(pids.map((pid) => [pid, cpuMsOf(pid)]));
    t = performance.now();
    try {
      pdf = await withTimeout('page.pdf()', o.timeoutMs, page.pdf({ format: 'A4', printBackground: true, outline: true, tagged: true }));
    } finally {
      sampler.stop();
    }
    const pdfMs = performance.now() - t;
    const after = ours();
    const pdfCpuMs = after.reduce((sum, pid) => sum + cpuMsOf(pid) - (cpuBefore.get(pid) ?? 0), 0);
    const printHwmBytes = reset ? after.reduce((s, pid) => s + statusBytes(pid, 'VmHWM'), 0) : null;
    const processes = new Set([...pids, ...after, ...sampler.peaks.keys()]).size;

    t = performance.now();
    await ctx.close();
    o.onContext(null);
    const closeMs = performance.now() - t;
    return {
      launchMs,
      loadMs,
      pdfMs,
      pdfCpuMs,
      closeMs,
      pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength),
      processes,
      sampledPeakBytes: sampler.sumOfPeaks,
      samples: sampler.samples,
      printHwmBytes,
      loadHwmBytes,
      fonts: ready.fonts,
      images: ready.images,
      brokenImages: ready.broken,
      version,
    };
  } finally {
    // Closed on every path; closing twice is harmless.
    await ctx.close().catch(() => undefined);
    o.onContext(null);
  }
}

/** Chromium processes still running under this process (for a last SIGKILL on exit). */
export function leftoverChromium(executablePath: string): number[] {
  return descendants(process.pid).filter((pid) => exeOf(pid) === executablePath);
}
