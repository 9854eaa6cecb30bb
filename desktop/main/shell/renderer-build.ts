// The built renderer for browser mode: out/renderer as `npm run build` leaves it, or built here on
// demand (Vite's JS API, the same configuration) when it is missing or older than its sources, so
// `npm start` works after `npm install` alone. The build goes to a temporary folder first and then
// replaces out/renderer, so a half-written bundle is never served.
import fs from 'node:fs';
import path from 'node:path';

export interface RendererBuildOptions {
  projectRoot: string;
  outDir: string;
  log: (line: string) => void;
}

/** Sources whose change makes the bundle stale. */
function sourceRoots(projectRoot: string): string[] {
  return ['desktop/renderer', 'desktop/contract', 'desktop/main/contract/router.ts', 'shared', 'renderer.vite.config.ts', 'package-lock.json'].map((p) =>
    path.join(projectRoot, p),
  );
}

function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'pdf') continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/** Why the bundle must be (re)built, or null when it is current. */
export function rendererBuildReason(options: Pick<RendererBuildOptions, 'projectRoot' | 'outDir'>): 'missing' | 'stale' | null {
  const index = path.join(options.outDir, 'index.html');
  let built: number;
  try {
    built = fs.statSync(index).mtimeMs;
  } catch {
    return 'missing';
  }
  const newest = Math.max(...sourceRoots(options.projectRoot).map(newestMtime));
  return newest > built ? 'stale' : null;
}

/**
 * Makes sure out/renderer is current; returns the folder to serve. A failed rebuild of a stale bundle
 * keeps the old one (with a warning); a failed first build throws.
 */
export async function ensureRendererBuilt(options: RendererBuildOptions): Promise<string> {
  const reason = rendererBuildReason(options);
  if (!reason) return options.outDir;
  options.log(
    reason === 'missing'
      ? 'Arbitra workstation: building the workstation screens (first start, about a minute)…'
      : 'Arbitra workstation: the workstation screens changed since the last build; rebuilding…',
  );
  const started = Date.now();
  const tmp = `${options.outDir}.building-${process.pid}`;
  try {
    const [{ build }, { rendererViteConfig }] = await Promise.all([import('vite'), import('../../../renderer.vite.config')]);
    await build({ ...rendererViteConfig(tmp), configFile: false, logLevel: 'warn', clearScreen: false });
    fs.rmSync(options.outDir, { recursive: true, force: true });
    fs.renameSync(tmp, options.outDir);
    // The bundle is as new as the sources it was built from, even if the build copied older files.
    const now = new Date();
    fs.utimesSync(path.join(options.outDir, 'index.html'), now, now);
    options.log(`Arbitra workstation: screens built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const message = error instanceof Error ? error.message : String(error);
    if (reason === 'stale' && fs.existsSync(path.join(options.outDir, 'index.html'))) {
      options.log(`Arbitra workstation: rebuilding the screens failed (${message.split('\n')[0]}); serving the previous build`);
      return options.outDir;
    }
    throw new Error(`Building the workstation screens failed: ${message}. Run \`npm run build\` to see the details.`, { cause: error });
  }
  return options.outDir;
}
