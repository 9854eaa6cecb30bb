// Timing probes for the workstation's queue screen, run inside the page (headless Chromium) so the
// figures are the page's own clock (performance.now(), 0 = navigation start) and not Playwright's
// round trips. Installed before any script of the page (an init script through the DevTools
// protocol, so the page's Content-Security-Policy is untouched):
// - first rows: a MutationObserver notes when the first loaded queue row (a row element with a
//   case id) enters the DOM, and the frame after it (requestAnimationFrame, then a task: the rows
//   have been painted);
// - contract calls: the time each page request to the engine (`queue.page`, or `queue.list`) starts
//   (the page's fetch, wrapped), so a search can be timed from the query leaving the page as well as
//   from the keystroke. The total, counted apart (`queue.count`) after the rows are shown, is timed
//   to when the screen shows it (`totalMs`).
import type { BrowserContext, Page } from 'playwright-core';

// The node configuration has no DOM types (tsconfig.node.json): the few page APIs used here, typed
// narrowly, reached through globalThis inside the functions that run in the page.
interface Probe {
  firstRowAt: number | null;
  firstRowPaintedAt: number | null;
  queueFetches: number[];
  /** When each of those requests was answered (the response's headers), in the same order; null until then. */
  queueAnswers: (number | null)[];
}
interface PageElement {
  dataset: Record<string, string | undefined>;
  textContent: string | null;
  scrollHeight: number;
  clientHeight: number;
  scrollTop: number;
  click(): void;
  dispatchEvent(event: Event): boolean;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
interface PageGlobals {
  __arbitraProbe?: Probe;
  fetch: typeof fetch;
  document: {
    documentElement: PageElement | null;
    body: PageElement;
    querySelector(selector: string): PageElement | null;
    querySelectorAll(selector: string): ArrayLike<PageElement>;
    addEventListener(type: string, listener: () => void, options?: { once?: boolean }): void;
  };
  MutationObserver: new (callback: () => void) => { observe(target: PageElement, options: Record<string, unknown>): void; disconnect(): void };
  requestAnimationFrame(callback: () => void): number;
  HTMLInputElement: { prototype: object };
}

/**
 * tsx compiles this file with esbuild's keepNames, which wraps named inner functions in a call to a
 * module helper `__name`; the functions below are sent to the page as source text, where that helper
 * does not exist. The page gets a stand-in that leaves the function as it is.
 */
export const NAME_HELPER_SHIM = 'globalThis.__name = globalThis.__name || ((fn) => fn);';

/** Installs the probe and the shim in every page of the context, before the page's own scripts. */
export async function addQueueProbe(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: NAME_HELPER_SHIM });
  await context.addInitScript(installQueueProbe);
}

/** The script run at document start in every page of the context. */
export function installQueueProbe(): void {
  const g = globalThis as unknown as PageGlobals;
  const probe: Probe = { firstRowAt: null, firstRowPaintedAt: null, queueFetches: [], queueAnswers: [] };
  g.__arbitraProbe = probe;
  const realFetch = g.fetch.bind(g);
  g.fetch = (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!/queue\.(page|list)\b/.test(url)) return realFetch(input, init);
    const i = probe.queueFetches.push(performance.now()) - 1;
    probe.queueAnswers.push(null);
    const answer = realFetch(input, init);
    void answer.then(
      () => void (probe.queueAnswers[i] = performance.now()),
      () => undefined,
    );
    return answer;
  };
  const observer = new g.MutationObserver(() => {
    if (probe.firstRowAt !== null) return;
    if (!g.document.querySelector('.queue-row[data-case-id]')) return;
    probe.firstRowAt = performance.now();
    observer.disconnect();
    g.requestAnimationFrame(() =>
      setTimeout(() => {
        probe.firstRowPaintedAt = performance.now();
      }, 0),
    );
  });
  const start = () => observer.observe(g.document.documentElement!, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-case-id'] });
  if (g.document.documentElement) start();
  else g.document.addEventListener('readystatechange', start, { once: true });
}

/** ms from navigation start to the first queue rows painted, once the page got there. */
export async function firstRowsPaintedMs(page: Page, timeoutMs: number): Promise<number> {
  const handle = await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__arbitraProbe?.firstRowPaintedAt ?? null, undefined, { timeout: timeoutMs, polling: 50 });
  return (await handle.jsonValue()) as number;
}

export interface ChangeTiming {
  /** From the trigger (the click, the keystroke) to the rows painted. */
  fromTriggerMs: number;
  /** From the trigger to the exact total shown in the status (no "+": counted); null when not within the timeout. */
  totalMs: number | null;
  /** From the last page request (`queue.page`/`queue.list`) the trigger caused to the rows painted (null: none seen). */
  fromQueryMs: number | null;
  /** Of that: the engine's answer (request sent → response received), through the contract over loopback HTTP. */
  answerMs: number | null;
  rows: number;
}

/**
 * Triggers a change in the page and times it until the queue rows on screen all satisfy `expect`
 * (every row loaded, none a placeholder, each row's text containing `expectText` — or, with
 * `expectText` null, simply a different first row than before), then one frame more (painted).
 * `trigger` is `{ click: selector }` or `{ type: { selector, value } }` (the input's value set and an
 * input event sent, as a keystroke would).
 */
export async function timeQueueChange(page: Page, trigger: { click: string } | { type: { selector: string; value: string } }, expectText: string, timeoutMs = 10_000): Promise<ChangeTiming> {
  return page.evaluate(
    async ({ trigger, expectText, timeoutMs }) => {
      const g = globalThis as unknown as PageGlobals;
      const probe = g.__arbitraProbe!;
      const mainRows = () => {
        const main = g.document.querySelector('.el-table-v2__main');
        return Array.from((main ?? g.document).querySelectorAll('.queue-row'));
      };
      const settled = () => {
        const rows = mainRows();
        return rows.length > 0 && rows.every((r) => r.dataset.caseId && (r.textContent ?? '').includes(expectText));
      };
      const fetchesBefore = probe.queueFetches.length;
      const t0 = performance.now();
      if ('click' in trigger) {
        g.document.querySelector(trigger.click)!.click();
      } else {
        const input = g.document.querySelector(trigger.type.selector)!;
        // The input's own value setter (as typing sets it), then the event Vue listens to.
        Object.getOwnPropertyDescriptor(g.HTMLInputElement.prototype, 'value')!.set!.call(input, trigger.type.value);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }
      // Checked after every DOM change and every frame, until it holds.
      await new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`the queue did not show rows with "${expectText}" within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (probe.queueFetches.length === fetchesBefore || !settled()) return false;
          clearTimeout(deadline);
          observer.disconnect();
          resolve();
          return true;
        };
        const observer = new g.MutationObserver(() => void check());
        observer.observe(g.document.body, { childList: true, subtree: true, characterData: true, attributes: true });
        const frame = () => {
          if (!check()) g.requestAnimationFrame(frame);
        };
        g.requestAnimationFrame(frame);
      });
      // The rows are in the DOM: the next frame paints them.
      await new Promise<void>((resolve) => g.requestAnimationFrame(() => setTimeout(resolve, 0)));
      const t2 = performance.now();
      // Then the total (counted after the rows): until the status shows it exact, without "+".
      // Waited for in every sample, so a count never runs into the next sample's query.
      const totalAt = await new Promise<number | null>((resolve) => {
        const until = performance.now() + timeoutMs;
        const frame = () => {
          const text = g.document.querySelector('[data-test="total"]')?.textContent ?? '';
          if (text && !text.includes('+')) return resolve(performance.now());
          if (performance.now() > until) return resolve(null);
          g.requestAnimationFrame(frame);
        };
        frame();
      });
      const fetches = probe.queueFetches.slice(fetchesBefore);
      const last = fetches.length ? fetchesBefore + fetches.length - 1 : null;
      const lastQuery = last === null ? null : probe.queueFetches[last]!;
      const answeredAt = last === null ? null : probe.queueAnswers[last];
      return {
        fromTriggerMs: t2 - t0,
        totalMs: totalAt === null ? null : totalAt - t0,
        fromQueryMs: lastQuery === null ? null : t2 - lastQuery,
        answerMs: lastQuery === null || answeredAt === null || answeredAt === undefined ? null : answeredAt - lastQuery,
        rows: mainRows().length,
      };
    },
    { trigger, expectText, timeoutMs },
  );
}

export interface ScrollSample {
  position: number;
  /** Row elements in the DOM (the main table and the fixed case-number column). */
  rowElements: number;
  /** ms until every row on screen was loaded (no placeholders); null: not within the timeout. */
  filledMs: number | null;
  /** Placeholder rows still on screen at the end. */
  placeholders: number;
  /** Page requests (`queue.page`/`queue.list`) the page made after the jump. */
  requests: number;
  /** The first and last row index on screen at the end (data-row-index). */
  rowsOnScreen: [number, number] | null;
  /** When the rows were still placeholders: did they show after the table was scrolled by one more pixel (the data was there, the table had not re-rendered)? */
  filledAfterNudge: boolean | null;
}

/** Scrolls the queue's table to `fraction` of its height and counts the row elements once the rows on screen are loaded. */
export async function scrollQueueTo(page: Page, fraction: number, timeoutMs = 5_000): Promise<ScrollSample> {
  return page.evaluate(
    async ({ fraction, timeoutMs }) => {
      const g = globalThis as unknown as PageGlobals;
      const candidates = Array.from(g.document.querySelectorAll('.queue-table *')).filter((el) => el.scrollHeight > el.clientHeight + 200);
      const scroller = candidates.sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
      if (!scroller) throw new Error('no scrollable element in the queue table');
      const requestsBefore = g.__arbitraProbe?.queueFetches.length ?? 0;
      const t0 = performance.now();
      scroller.scrollTop = Math.round((scroller.scrollHeight - scroller.clientHeight) * fraction);
      scroller.dispatchEvent(new Event('scroll'));
      const filled = () => {
        const rows = Array.from(g.document.querySelectorAll('.el-table-v2__main .queue-row'));
        return rows.length > 0 && rows.every((r) => r.dataset.caseId);
      };
      const ok = await new Promise<boolean>((resolve) => {
        const deadline = performance.now() + timeoutMs;
        const frame = () => {
          if (filled()) return resolve(true);
          if (performance.now() > deadline) return resolve(false);
          g.requestAnimationFrame(frame);
        };
        g.requestAnimationFrame(frame);
      });
      const mainRows = () => Array.from(g.document.querySelectorAll('.el-table-v2__main .queue-row'));
      // Counted before the nudge below, which may fill them.
      const placeholders = mainRows().filter((r) => !r.dataset.caseId).length;
      let filledAfterNudge: boolean | null = null;
      if (!ok) {
        const requestsAtTimeout = g.__arbitraProbe?.queueFetches.length ?? 0;
        scroller.scrollTop += 1;
        scroller.dispatchEvent(new Event('scroll'));
        filledAfterNudge = await new Promise<boolean>((resolve) => {
          const until = performance.now() + 1_000;
          const frame = () => {
            // Only counts when the nudge itself asked nothing of the engine.
            if (filled()) return resolve((g.__arbitraProbe?.queueFetches.length ?? 0) === requestsAtTimeout);
            if (performance.now() > until) return resolve(false);
            g.requestAnimationFrame(frame);
          };
          g.requestAnimationFrame(frame);
        });
        scroller.scrollTop -= 1;
        scroller.dispatchEvent(new Event('scroll'));
      }
      const indices = mainRows()
        .map((r) => Number(r.dataset.rowIndex))
        .filter((n) => Number.isFinite(n));
      return {
        position: scroller.scrollTop,
        rowElements: g.document.querySelectorAll('.queue-row').length,
        filledMs: ok ? performance.now() - t0 : null,
        placeholders,
        requests: (g.__arbitraProbe?.queueFetches.length ?? 0) - requestsBefore,
        rowsOnScreen: indices.length ? ([Math.min(...indices), Math.max(...indices)] as [number, number]) : null,
        filledAfterNudge,
      };
    },
    { fraction, timeoutMs },
  );
}

/** Row elements in the DOM, and the loaded and placeholder rows of the main table, now. */
export async function countQueueRows(page: Page): Promise<{ rowElements: number; loaded: number; placeholders: number }> {
  return page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    const main = Array.from(g.document.querySelectorAll('.el-table-v2__main .queue-row'));
    const loaded = main.filter((r) => r.dataset.caseId).length;
    return { rowElements: g.document.querySelectorAll('.queue-row').length, loaded, placeholders: main.length - loaded };
  });
}
