// A workstation in browser mode for end-to-end tests: the engine over its own temporary data
// directory, the built renderer served by the browser shell on 127.0.0.1 (port 0), and what a
// test needs around it: the translated strings the screens show, an accessibility check with
// axe-core, and screenshots into test-artifacts/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { startBrowserShell, PROJECT_ROOT, type BrowserShell } from '../../../desktop/main/shell/browser';
import { ensureRendererBuilt } from '../../../desktop/main/shell/renderer-build';
import { openWorkstation } from '../../../desktop/main/workstation';
import { translate } from '../../../shared/i18n';
import type { Language } from '../../../shared/domain';

export const VIEWPORT = { width: 1440, height: 900 } as const;
export const ARTIFACTS_DIR = path.join(PROJECT_ROOT, 'test-artifacts', 'e2e');

/** The string a screen shows for a message key, in one language (shared/i18n, as the renderer uses it). */
export const tr = (language: Language, key: string, params: Record<string, string | number> = {}) => translate(language, key, params);

/** An exact, whole-string match for a locator's name or text. */
export const exactly = (text: string) => new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

/**
 * out/renderer, built (or rebuilt when its sources changed) as the browser shell does, then copied
 * into `into`: the run serves its own copy, so another process rebuilding out/renderer meanwhile
 * (which replaces the folder and its hashed chunks) cannot pull files from under an open page.
 */
export async function builtRenderer(into: string, log: (line: string) => void = () => undefined): Promise<string> {
  const built = await ensureRendererBuilt({ projectRoot: PROJECT_ROOT, outDir: path.join(PROJECT_ROOT, 'out/renderer'), log });
  fs.cpSync(built, into, { recursive: true });
  return into;
}

export interface TestWorkstation {
  shell: BrowserShell;
  dataDir: string;
  /** The address with this launch's key: opening it hands the browser its cookie. */
  launchUrl: string;
  origin: string;
  close(): Promise<void>;
}

/** Starts a workstation in browser mode against `serverUrl`, with a data directory of its own. */
export async function startTestWorkstation(options: { serverUrl: string; rendererDir: string; name: string; syncIntervalMs?: number }): Promise<TestWorkstation> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `arbitra-e2e-${options.name}-`));
  const shell = await startBrowserShell({
    settings: { serverUrl: options.serverUrl, dataDir, port: 0 },
    openWorkstation: (o) => openWorkstation({ ...o, syncIntervalMs: options.syncIntervalMs ?? 1_000 }),
    rendererDir: options.rendererDir,
    log: () => undefined,
  });
  return {
    shell,
    dataDir,
    launchUrl: shell.server.launchUrl,
    origin: shell.server.origin,
    async close() {
      await shell.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core over the whole page (WCAG 2 A/AA rules and best practices), the serious and critical
 * violations only. The script goes in through the DevTools protocol, not a <script> tag, so the
 * page's Content-Security-Policy stays as it is.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as {
      document: unknown;
      axe: { run: (ctx: unknown, o: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }> };
    };
    const axe = g.axe;
    const result = await axe.run(g.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A full-viewport screenshot into test-artifacts/e2e/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  // Passing notices ("saved on this workstation") close by themselves after a few seconds: the
  // picture is of the screen, not of the last notice.
  await page
    .locator('.el-message')
    .first()
    .waitFor({ state: 'detached', timeout: 15_000 })
    .catch(() => undefined);
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  // Fonts loaded (the Chinese face asked for by name: its subsets load only when a glyph needs one)
  // and the caret hidden: the same screen gives the same picture.
  await page.evaluate(async () => {
    const fonts = (globalThis as unknown as { document: { fonts: { load(font: string, text: string): Promise<unknown>; ready: Promise<unknown> } } }).document.fonts;
    await fonts.load('14px "Noto Sans SC"', '案件队列中文');
    await fonts.ready;
  });
  await page.screenshot({ path: file, caret: 'hide', animations: 'disabled' });
  return file;
}
