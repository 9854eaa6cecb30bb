// Renders the test fixture's dossier (internal in Chinese and English, external in English) to
// .scratch/dossier-<name>.pdf and rasterises chosen pages to PNG for a person to look at: headless
// Chromium (@sparticuz/chromium, driven by playwright-core) draws each page with pdf.js from
// node_modules, served on loopback, and the canvas is screenshotted.
//
//   npx tsx scripts/dossier-preview.ts [--pages cover,toc,image,trades,ruling,custody | 1,2,9] [--scale 1.4] [--no-png]
//
// Pages by name are found through the bookmarks: cover, toc, timeline, image (the first image
// exhibit), trades (the order-history exhibit's second page), analysis, ruling, custody.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { launchChromium } from './lib/chromium';
import { renderDossier } from '../shared/pdf/dossier/render';
// tsx resolves `.node` as a native addon: the loader is named with its `.ts`.
import { loadPdfFonts } from '../shared/pdf/fonts';
import { externalRecipient, fixtureFiles, fixtureSnapshot, internalRecipient } from '../test/shared/dossier/fixture';

const require = createRequire(import.meta.url);
const OUT = path.resolve('.scratch');
const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const wanted = (option('pages') ?? 'cover,toc,timeline,image,trades,analysis,ruling,custody').split(',');
const scale = Number(option('scale') ?? '1.4');

interface Rendered {
  name: string;
  file: string;
  bytes: Uint8Array;
}

async function renderAll(): Promise<Rendered[]> {
  const fonts = loadPdfFonts();
  const files = fixtureFiles();
  const out: Rendered[] = [];
  for (const [name, recipient] of [
    ['zh', internalRecipient('zh-CN')],
    ['en', internalRecipient('en')],
    ['external-en', externalRecipient('en')],
  ] as const) {
    const t = performance.now();
    const bytes = await renderDossier(fixtureSnapshot(recipient), { fonts, files });
    const file = path.join(OUT, `dossier-${name}.pdf`);
    fs.writeFileSync(file, bytes);
    console.log(`${file}: ${bytes.length} bytes in ${Math.round(performance.now() - t)} ms`);
    out.push({ name, file, bytes });
  }
  return out;
}

/** Page numbers (1-based) of the named pages, through the outline; numbers are taken as they are. */
async function choosePages(bytes: Uint8Array): Promise<number[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const pdf = await pdfjs.getDocument({ data: bytes.slice(), useSystemFonts: false, disableFontFace: true, verbosity: 0 }).promise;
  const outline = (await pdf.getOutline()) ?? [];
  const pageOf = async (dest: unknown) => (await pdf.getPageIndex((dest as [{ num: number; gen: number }])[0])) + 1;
  const top = (i: number) => outline[i];
  const exhibits = outline.find((o) => o.items.length > 1);
  const pages: number[] = [];
  for (const w of wanted) {
    if (/^\d+$/.test(w)) pages.push(Number(w));
    else if (w === 'cover') pages.push(1);
    else if (w === 'toc') pages.push(2);
    else if (w === 'timeline' && top(4)) pages.push(await pageOf(top(4)!.dest));
    else if (w === 'image' && exhibits?.items[1]) pages.push(await pageOf(exhibits.items[1].dest));
    else if (w === 'trades' && exhibits?.items[2]) pages.push((await pageOf(exhibits.items[2].dest)) + 1);
    else if (w === 'analysis' && top(9)) pages.push(await pageOf(top(9)!.dest));
    else if (w === 'ruling') {
      const ruling = outline.find((o) => o.items.length === 1);
      if (ruling) pages.push(await pageOf(ruling.dest));
    } else if (w === 'custody') pages.push(await pageOf(outline[outline.length - 1]!.dest));
  }
  await pdf.destroy();
  return [...new Set(pages)].filter((p) => p >= 1 && p <= pdf.numPages);
}

const VIEWER = `<!doctype html><meta charset="utf-8"><body style="margin:0;background:#888">
<canvas id="page"></canvas>
<script type="module">
import * as pdfjs from '/pdfjs/pdf.mjs';
pdfjs.GlobalWorkerOptions.workerSrc = '/pdfjs/pdf.worker.mjs';
window.renderPage = async (file, number, scale) => {
  const pdf = await pdfjs.getDocument({ url: '/pdf/' + file, useSystemFonts: false }).promise;
  const page = await pdf.getPage(number);
  const viewport = page.getViewport({ scale });
  const canvas = document.getElementById('page');
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  await page.render({ canvasContext: canvas.getContext('2d'), viewport }).promise;
  return [canvas.width, canvas.height];
};
window.ready = true;
</script>`;

async function rasterise(rendered: Rendered[]): Promise<void> {
  const pdfjsDir = path.dirname(require.resolve('pdfjs-dist/legacy/build/pdf.mjs'));
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(req.url ?? '/');
    const send = (type: string, body: string | Uint8Array) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    if (url === '/') return send('text/html', VIEWER);
    const lib = /^\/pdfjs\/(pdf(?:\.worker)?\.mjs)$/.exec(url);
    if (lib) return send('text/javascript', fs.readFileSync(path.join(pdfjsDir, lib[1]!)));
    const doc = /^\/pdf\/([\w.-]+\.pdf)$/.exec(url);
    const found = doc && rendered.find((r) => path.basename(r.file) === doc[1]);
    if (found) return send('application/pdf', found.bytes);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1300 } });
    await page.goto(origin);
    await page.waitForFunction(() => (globalThis as unknown as { ready?: boolean }).ready === true);
    for (const r of rendered) {
      for (const n of await choosePages(r.bytes)) {
        await page.evaluate(([file, number, s]) => (globalThis as unknown as { renderPage(f: string, n: number, s: number): Promise<number[]> }).renderPage(file, number, s), [path.basename(r.file), n, scale] as const);
        const png = path.join(OUT, `dossier-${r.name}-p${String(n).padStart(2, '0')}.png`);
        await page.locator('#page').screenshot({ path: png });
        console.log(png);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const rendered = await renderAll();
  if (!args.includes('--no-png')) await rasterise(rendered);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
