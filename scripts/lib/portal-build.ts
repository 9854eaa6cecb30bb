// The built portal for `npm start` and the end-to-end tests: out/portal as `npm run build` leaves it,
// or built here (Vite's JS API, portal/vite.config.ts) when it is missing or older than its sources,
// so `npm start` works after `npm install` alone. The build goes to a new folder that replaces
// out/portal only when complete, keeping the hashed files of the build it replaces (an open page
// still finds the chunks it loads later); the server reads out/portal per request.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from '../../desktop/main/shell/renderer-build';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PORTAL_OUT = path.join(PROJECT_ROOT, 'out/portal');

/** Sources whose change makes the portal stale. */
const SOURCES = ['portal', 'shared', 'package-lock.json'];

/** Why out/portal must be (re)built, or null when it is current. */
export function portalBuildReason(outDir = PORTAL_OUT, projectRoot = PROJECT_ROOT): 'missing' | 'stale' | null {
  let built: number;
  try {
    built = fs.statSync(path.join(outDir, 'index.html')).mtimeMs;
  } catch {
    return 'missing';
  }
  return Math.max(...SOURCES.map((s) => newestMtime(path.join(projectRoot, s)))) > built ? 'stale' : null;
}

/** The build's own assets, listed beside them (a dot file: the server never serves it). */
const MANIFEST = '.build-files.json';

function previousOwnAssets(outDir: string): string[] {
  try {
    const list = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), 'utf8')) as unknown;
    if (Array.isArray(list)) return list.filter((f): f is string => typeof f === 'string' && !f.includes('/') && !f.includes('..'));
  } catch {
    // `npm run build`'s output: every file in assets/ is its own.
  }
  try {
    return fs.readdirSync(path.join(outDir, 'assets'));
  } catch {
    return [];
  }
}

/** Makes sure out/portal is current; returns it. A failed rebuild keeps a stale build (with a warning). */
export async function ensurePortalBuilt(options: { outDir?: string; log?: (line: string) => void } = {}): Promise<string> {
  const outDir = options.outDir ?? PORTAL_OUT;
  const log = options.log ?? (() => undefined);
  const reason = portalBuildReason(outDir);
  if (!reason) return outDir;
  log(reason === 'missing' ? 'Arbitra portal: building the portal (first start)…' : 'Arbitra portal: the portal changed since the last build; rebuilding…');
  const started = Date.now();
  const tmp = `${outDir}.building-${process.pid}-${Date.now()}`;
  try {
    const [{ build }, { portalViteConfig }] = await Promise.all([import('vite'), import('../../portal/vite.config')]);
    const config = portalViteConfig(tmp);
    // A production bundle whatever NODE_ENV the caller runs under (vitest sets it to 'test', and Vue's
    // development build then comes in: larger, slower, with its warnings).
    await build({ ...config, mode: 'production', define: { ...config.define, 'process.env.NODE_ENV': JSON.stringify('production') }, configFile: false, logLevel: 'warn', clearScreen: false });
    // The previous build's own hashed files stay beside the new ones (a page opened before still loads
    // its chunks); only its own, so the folder does not grow with every rebuild.
    const own = fs.readdirSync(path.join(tmp, 'assets'));
    for (const f of previousOwnAssets(outDir)) {
      const from = path.join(outDir, 'assets', f);
      if (!own.includes(f) && fs.existsSync(from)) fs.copyFileSync(from, path.join(tmp, 'assets', f));
    }
    fs.writeFileSync(path.join(tmp, MANIFEST), JSON.stringify(own));
    const old = `${outDir}.old-${process.pid}-${Date.now()}`;
    if (fs.existsSync(outDir)) fs.renameSync(outDir, old);
    fs.renameSync(tmp, outDir);
    fs.rmSync(old, { recursive: true, force: true });
    log(`Arbitra portal: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return outDir;
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    if (reason === 'stale') {
      log(`Arbitra portal: rebuilding failed (${message.split('\n')[0]}); serving the previous build`);
      return outDir;
    }
    throw new Error(`Building the portal failed: ${message}. Run \`npm run build\` to see the details.`, { cause: error });
  }
}
