// The one headless Chromium of Arbitra's tooling: @sparticuz/chromium's binary driven by
// playwright-core, for end-to-end tests, screenshots, the UI bench and the dossier bench. Loopback
// only: the flags keep Chromium from reaching out on this closed network.
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser } from 'playwright-core';

export interface ChromiumSetup {
  executablePath: string;
  args: string[];
  /** Time @sparticuz/chromium took to find or unpack the binary (first use on a machine: it inflates it into the temp dir). */
  unpackMs: number;
}

/** `singleProcess`: keep sparticuz's --single-process (the dossier bench measures one process). */
export async function chromiumSetup(options: { singleProcess?: boolean } = {}): Promise<ChromiumSetup> {
  // No WebGL stack (SwiftShader); --disable-gpu below.
  sparticuz.setGraphicsMode = false;
  const t = performance.now();
  const executablePath = await sparticuz.executablePath();
  const unpackMs = performance.now() - t;
  // Playwright passes its own --headless; @sparticuz's `--headless='shell'` (quotes and all) would
  // reach Chromium as a second, different value. --single-process (in sparticuz's args) is dropped
  // unless asked for: the tabs of an end-to-end test must not share one renderer process.
  const args = sparticuz.args.filter((a) => !a.startsWith('--headless') && (options.singleProcess || a !== '--single-process'));
  for (const a of ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'])
    if (!args.includes(a)) args.push(a);
  return { executablePath, args, unpackMs };
}

export async function launchChromium(): Promise<Browser> {
  const { executablePath, args } = await chromiumSetup();
  return chromium.launch({ executablePath, args, headless: true });
}
