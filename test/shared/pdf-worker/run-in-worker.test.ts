// The shared PDF worker (shared/pdf/worker): what the server's transparency export and dossier jobs
// and the workstation's offline export render with. The people waiting on the thread that asked
// must not notice the rendering; the file must be the one an in-process rendering gives.
import { describe, expect, it } from 'vitest';
import { computeTransparencyStats } from '../../../shared/reports/transparency';
import { renderTransparencyReport } from '../../../shared/pdf/transparency/render';
import { loadPdfFonts } from '../../../shared/pdf/fonts';
import { RenderAbortedError, RenderTimeoutError, renderPdfInWorker, type PdfRequest } from '../../../shared/pdf/worker/run-in-worker';

const FROM = new Date(Date.UTC(2026, 0, 1));
const TO = new Date(Date.UTC(2026, 1, 1));
const generatedAt = new Date(Date.UTC(2026, 1, 2, 9, 30));
const stats = computeTransparencyStats([], { from: FROM, to: TO, asOf: TO, scope: 'all' });
const transparency: PdfRequest = { kind: 'transparency', stats, language: 'zh-CN', generatedAt };

describe('a PDF rendered in a worker thread', () => {
  it('is the transparency report an in-process rendering gives, byte for byte, on a buffer of its own', async () => {
    const inProcess = await renderTransparencyReport(stats, { language: 'zh-CN', fonts: loadPdfFonts(), generatedAt });
    const { pdf, renderMs, totalMs } = await renderPdfInWorker(transparency);
    expect(Buffer.from(pdf).equals(Buffer.from(inProcess))).toBe(true);
    expect(pdf.byteOffset).toBe(0);
    expect(pdf.buffer.byteLength).toBe(pdf.byteLength);
    expect(renderMs).toBeGreaterThan(0);
    expect(totalMs).toBeGreaterThanOrEqual(renderMs);
  });

  it('leaves the calling thread free while it renders', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const { totalMs } = await renderPdfInWorker(transparency);
      // Not one long block: the interval kept firing through the rendering.
      expect(ticks).toBeGreaterThan(Math.min(10, totalMs / 50));
    } finally {
      clearInterval(timer);
    }
  });

  it('passes the renderer’s error on, with its name and message', async () => {
    await expect(renderPdfInWorker({ kind: 'nonsense' } as unknown as PdfRequest)).rejects.toThrow(/unknown PDF request kind: nonsense/);
  });

  it('is stopped by an abort and by its time limit', async () => {
    const controller = new AbortController();
    const aborted = renderPdfInWorker(transparency, { signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(RenderAbortedError);
    await expect(renderPdfInWorker(transparency, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(RenderAbortedError);
    const late = renderPdfInWorker(transparency, { timeoutMs: 1 });
    await expect(late).rejects.toBeInstanceOf(RenderTimeoutError);
    await expect(late).rejects.toThrow(/transparency report rendering took longer than 1 ms/);
  });
});
