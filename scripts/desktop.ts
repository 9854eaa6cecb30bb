// `npm run desktop`: the Electron workstation (electron-vite dev) where the Electron binary is installed;
// where it is not (it is downloaded from the internet on first use), one line saying what to run instead.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Electron binary's path when it is installed, without triggering its download. */
export function electronBinary(root = ROOT): string | null {
  const dir = path.join(root, 'node_modules/electron');
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return process.env.ELECTRON_OVERRIDE_DIST_PATH;
  try {
    const executable = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    const full = path.join(dir, 'dist', executable);
    return executable && fs.existsSync(full) ? full : null;
  } catch {
    return null;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!electronBinary()) {
    process.stdout.write('Arbitra: the Electron binary is not installed here (it downloads on first use; run `npx electron --version` where the internet is reachable) — use browser mode: `npm start`, or `npm run workstation -- --server http://127.0.0.1:5170`.\n');
    process.exit(0);
  }
  const mode = process.argv.includes('--preview') ? 'preview' : 'dev';
  const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), mode, ...process.argv.slice(2).filter((a) => a !== '--preview')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}
