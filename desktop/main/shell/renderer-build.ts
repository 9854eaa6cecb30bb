// The built renderer for browser mode: out/renderer as `npm run build` leaves it, or built here on
// demand (Vite's JS API, the same configuration) when it is missing or older than its sources, so
// `npm start` works after `npm install` alone.
//
// An on-demand build never touches a folder a running workstation may be serving. Each build goes to
// a fresh folder of its own (out/renderer-builds/<id>, written under a temporary name and renamed
// when complete), a pointer file (out/renderer-builds/current) is switched to it atomically, and each
// server serves the folder it resolved at start-up. A new build also carries over the hashed files
// of the build it replaces, and the last KEEP_BUILDS builds are kept: a page opened before a restart
// still finds the lazy chunks it asks for, from the old folder or the new one.
import fs from 'node:fs';
import path from 'node:path';

export interface RendererBuildOptions {
  projectRoot: string;
  outDir: string;
  log: (line: string) => void;
  /** Builds the renderer into the given folder (default: Vite with renderer.vite.config.ts); for tests. */
  build?: (outDir: string) => Promise<void>;
}

/** How many on-demand builds stay on disk (the current one and the one before it). */
export const KEEP_BUILDS = 2;
const POINTER = 'current';
const BUILD_ID = /^b[0-9]{15}-[0-9]+$/;

/** Where on-demand builds live: next to out/renderer. */
export function buildsRoot(outDir: string): string {
  return `${outDir}-builds`;
}

/** Sources whose change makes the bundle stale. */
function sourceRoots(projectRoot: string): string[] {
  return ['desktop/renderer', 'desktop/contract', 'desktop/main/contract/router.ts', 'shared', 'renderer.vite.config.ts', 'package-lock.json'].map((p) =>
    path.join(projectRoot, p),
  );
}

/** The newest modification time under `target` (node_modules, hidden entries and pdf/ left out); 0 when missing. */
export function newestMtime(target: string): number {
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

function indexMtime(dir: string): number | null {
  try {
    return fs.statSync(path.join(dir, 'index.html')).mtimeMs;
  } catch {
    return null;
  }
}

/** The on-demand build the pointer names, when it is complete. */
function pointedBuild(outDir: string): string | null {
  const root = buildsRoot(outDir);
  let id: string;
  try {
    id = fs.readFileSync(path.join(root, POINTER), 'utf8').trim();
  } catch {
    return null;
  }
  if (!BUILD_ID.test(id)) return null;
  const dir = path.join(root, id);
  return indexMtime(dir) === null ? null : dir;
}

/**
 * The folder to serve now: the newer of out/renderer (`npm run build`) and the current on-demand
 * build, or null when there is neither. A server keeps the folder it resolved at start-up.
 */
export function resolveRendererDir(outDir: string): string | null {
  const candidates = [pointedBuild(outDir), indexMtime(outDir) === null ? null : outDir].filter((d): d is string => d !== null);
  if (candidates.length === 0) return null;
  return candidates.reduce((a, b) => ((indexMtime(b) ?? 0) > (indexMtime(a) ?? 0) ? b : a));
}

/** Why the bundle must be (re)built, or null when it is current. */
export function rendererBuildReason(options: Pick<RendererBuildOptions, 'projectRoot' | 'outDir'>): 'missing' | 'stale' | null {
  const dir = resolveRendererDir(options.outDir);
  const built = dir === null ? null : indexMtime(dir);
  if (built === null) return 'missing';
  const newest = Math.max(...sourceRoots(options.projectRoot).map(newestMtime));
  return newest > built ? 'stale' : null;
}

/** Every file under dir, as paths relative to it. */
function listFiles(dir: string, prefix = ''): string[] {
  return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(prefix, e.name);
    return e.isDirectory() ? listFiles(dir, rel) : [rel];
  });
}

function manifestPath(buildDir: string): string {
  return `${buildDir}.files.json`;
}

/** The files a build produced itself (not those carried over from the one before). */
function ownFiles(buildDir: string): string[] {
  try {
    const list = JSON.parse(fs.readFileSync(manifestPath(buildDir), 'utf8')) as unknown;
    if (Array.isArray(list) && list.every((f) => typeof f === 'string')) return list as string[];
  } catch {
    // out/renderer from `npm run build`, or an older on-demand build: its hashed files are its own.
  }
  return fs.existsSync(path.join(buildDir, 'assets')) ? listFiles(buildDir, 'assets') : [];
}

/** Copies the previous build's own files the new one lacks (its hashed chunks: index.html stays the new one's). */
function carryOver(previous: string, next: string): number {
  let copied = 0;
  for (const rel of ownFiles(previous)) {
    if (rel === 'index.html' || rel.split(path.sep).some((part) => part === '..')) continue;
    const to = path.join(next, rel);
    if (fs.existsSync(to)) continue;
    try {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(path.join(previous, rel), to);
      copied++;
    } catch {
      // Gone meanwhile (pruned by another start): nothing to keep.
    }
  }
  return copied;
}

/** Writes the pointer to this build atomically (a reader sees the old id or the new, never half). */
function pointTo(outDir: string, id: string): void {
  const root = buildsRoot(outDir);
  const tmp = path.join(root, `.${POINTER}-${process.pid}-${Date.now()}`);
  fs.writeFileSync(tmp, `${id}\n`);
  fs.renameSync(tmp, path.join(root, POINTER));
}

/** Removes all but the newest KEEP_BUILDS builds (never the one just made current). */
function prune(outDir: string, current: string): void {
  const root = buildsRoot(outDir);
  const ids = fs
    .readdirSync(root)
    .filter((name) => BUILD_ID.test(name))
    .sort();
  for (const id of ids.slice(0, Math.max(0, ids.length - KEEP_BUILDS))) {
    if (id === current) continue;
    fs.rmSync(path.join(root, id), { recursive: true, force: true });
    fs.rmSync(manifestPath(path.join(root, id)), { force: true });
  }
}

async function viteBuild(outDir: string): Promise<void> {
  const [{ build }, { rendererViteConfig }] = await Promise.all([import('vite'), import('../../../renderer.vite.config')]);
  const config = rendererViteConfig(outDir);
  // A production bundle whatever NODE_ENV the caller runs under: vitest sets it to 'test', and Vue's
  // development build (larger, slower, with dev warnings) would be what the end-to-end tests measure.
  await build({ ...config, mode: 'production', define: { ...config.define, 'process.env.NODE_ENV': JSON.stringify('production') }, configFile: false, logLevel: 'warn', clearScreen: false });
}

/**
 * Makes sure a current renderer exists; returns the folder to serve (out/renderer or a build under
 * out/renderer-builds/). A failed rebuild of a stale bundle keeps the old one (with a warning); a
 * failed first build throws.
 */
export async function ensureRendererBuilt(options: RendererBuildOptions): Promise<string> {
  const reason = rendererBuildReason(options);
  const previous = resolveRendererDir(options.outDir);
  if (!reason && previous) return previous;
  options.log(
    reason === 'missing'
      ? 'Arbitra workstation: building the workstation screens (first start, about a minute)…'
      : 'Arbitra workstation: the workstation screens changed since the last build; rebuilding…',
  );
  const started = Date.now();
  const root = buildsRoot(options.outDir);
  let stamp = Date.now();
  // Two builds of one process in the same millisecond (tests) still get folders of their own.
  while (fs.existsSync(path.join(root, `b${String(stamp).padStart(15, '0')}-${process.pid}`))) stamp++;
  const id = `b${String(stamp).padStart(15, '0')}-${process.pid}`;
  const dir = path.join(root, id);
  const tmp = path.join(root, `.building-${id}`);
  try {
    fs.mkdirSync(root, { recursive: true });
    await (options.build ?? viteBuild)(tmp);
    fs.writeFileSync(manifestPath(dir), JSON.stringify(listFiles(tmp)));
    if (previous) carryOver(previous, tmp);
    // The bundle is as new as the sources it was built from, even if the build copied older files.
    const now = new Date();
    fs.utimesSync(path.join(tmp, 'index.html'), now, now);
    fs.renameSync(tmp, dir);
    pointTo(options.outDir, id);
    prune(options.outDir, id);
    options.log(`Arbitra workstation: screens built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return dir;
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(manifestPath(dir), { force: true });
    const message = error instanceof Error ? error.message : String(error);
    if (reason === 'stale' && previous) {
      options.log(`Arbitra workstation: rebuilding the screens failed (${message.split('\n')[0]}); serving the previous build`);
      return previous;
    }
    throw new Error(`Building the workstation screens failed: ${message}. Run \`npm run build\` to see the details.`, { cause: error });
  }
}
