// The browser shell's settings (same data-directory resolution as the server), the on-demand renderer
// build's staleness check, the credentials `npm start` prints, and `npm run desktop` without Electron.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserShellSettings, UsageError } from '../../desktop/main/shell/browser';
import { buildsRoot, ensureRendererBuilt, KEEP_BUILDS, rendererBuildReason, resolveRendererDir } from '../../desktop/main/shell/renderer-build';
import { workstationCredentials } from '../../scripts/start';
import { electronBinary } from '../../scripts/desktop';

describe('settings', () => {
  it('default: the server on 5170, port 5171, data in workstation/ under the data directory (resolved like the server’s)', () => {
    const s = browserShellSettings([], {}, '/srv/app');
    expect(s).toEqual({ serverUrl: 'http://127.0.0.1:5170', port: 5171, dataDir: '/srv/app/.data/workstation' });
    expect(browserShellSettings([], { ARBITRA_DATA_DIR: '/var/arbitra' }, '/srv/app').dataDir).toBe('/var/arbitra/workstation');
  });

  it('the environment and then the command line override', () => {
    const env = { ARBITRA_WORKSTATION_DIR: 'ws', ARBITRA_WORKSTATION_PORT: '6000', ARBITRA_SERVER_URL: 'http://10.0.0.1:80/' };
    expect(browserShellSettings([], env, '/x')).toEqual({ serverUrl: 'http://10.0.0.1:80', port: 6000, dataDir: '/x/ws' });
    expect(browserShellSettings(['--server', 'https://arbitra.example.com', '--port', '0', '--dir', '/d'], env, '/x')).toEqual({
      serverUrl: 'https://arbitra.example.com',
      port: 0,
      dataDir: '/d',
    });
  });

  it('bad settings are refused with a sentence', () => {
    expect(() => browserShellSettings(['--server', 'not a url'], {})).toThrow(UsageError);
    expect(() => browserShellSettings(['--server', 'ftp://x'], {})).toThrow(UsageError);
    expect(() => browserShellSettings(['--port', '70000'], {})).toThrow(UsageError);
    expect(() => browserShellSettings(['--bogus'], {})).toThrow();
  });
});

describe('the renderer build', () => {
  it('is missing without index.html, stale when a source is newer, current otherwise', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-build-'));
    const outDir = path.join(root, 'out/renderer');
    fs.mkdirSync(path.join(root, 'desktop/renderer/src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'desktop/renderer/src/main.ts'), '');
    expect(rendererBuildReason({ projectRoot: root, outDir })).toBe('missing');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'index.html'), '');
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(outDir, 'index.html'), future, future);
    expect(rendererBuildReason({ projectRoot: root, outDir })).toBeNull();
    const later = new Date(Date.now() + 120_000);
    fs.utimesSync(path.join(root, 'desktop/renderer/src/main.ts'), later, later);
    expect(rendererBuildReason({ projectRoot: root, outDir })).toBe('stale');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('builds into a fresh folder, switches to it, keeps the folder a running workstation serves and the previous chunks', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-build-'));
    const outDir = path.join(root, 'out/renderer');
    const source = path.join(root, 'desktop/renderer/src/main.ts');
    fs.mkdirSync(path.dirname(source), { recursive: true });
    fs.writeFileSync(source, '');
    let n = 0;
    // A stand-in for Vite: an index naming its hashed entry, and a lazy chunk of its own.
    const build = async (dir: string) => {
      n++;
      fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'index.html'), `<script src="./assets/index-${n}.js"></script>`);
      fs.writeFileSync(path.join(dir, `assets/index-${n}.js`), `import('./lazy-${n}.js')`);
      fs.writeFileSync(path.join(dir, `assets/lazy-${n}.js`), `// build ${n}`);
    };
    const touchSources = (offset: number) => {
      const t = new Date(Date.now() + offset);
      fs.utimesSync(source, t, t);
    };
    const ensure = () => ensureRendererBuilt({ projectRoot: root, outDir, log: () => undefined, build });

    const first = await ensure();
    expect(path.dirname(first)).toBe(buildsRoot(outDir));
    expect(fs.existsSync(outDir)).toBe(false);
    expect(resolveRendererDir(outDir)).toBe(first);
    expect(await ensure()).toBe(first);
    expect(n).toBe(1);

    // The sources change while a workstation serves `first`: the rebuild goes elsewhere.
    touchSources(60_000);
    const second = await ensure();
    expect(second).not.toBe(first);
    expect(resolveRendererDir(outDir)).toBe(second);
    // The running workstation's folder is untouched: its page's lazy chunk still loads.
    expect(fs.readFileSync(path.join(first, 'index.html'), 'utf8')).toContain('index-1.js');
    expect(fs.existsSync(path.join(first, 'assets/lazy-1.js'))).toBe(true);
    // A workstation restarted on the new build still answers an old page's chunk request.
    expect(fs.readFileSync(path.join(second, 'index.html'), 'utf8')).toContain('index-2.js');
    expect(fs.existsSync(path.join(second, 'assets/lazy-1.js'))).toBe(true);
    expect(fs.existsSync(path.join(second, 'assets/lazy-2.js'))).toBe(true);

    // A third build carries over the second's own chunks (not the first's) and prunes beyond KEEP_BUILDS.
    touchSources(120_000);
    const third = await ensure();
    expect(fs.existsSync(path.join(third, 'assets/lazy-2.js'))).toBe(true);
    expect(fs.existsSync(path.join(third, 'assets/lazy-1.js'))).toBe(false);
    const kept = fs.readdirSync(buildsRoot(outDir)).filter((f) => /^b\d+-\d+$/.test(f));
    expect(kept).toHaveLength(KEEP_BUILDS);
    expect(fs.existsSync(second)).toBe(true);
    expect(fs.existsSync(first)).toBe(false);
    // No half-written folder is ever pointed at or left behind.
    expect(fs.readdirSync(buildsRoot(outDir)).filter((f) => f.startsWith('.'))).toEqual([]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('a failed rebuild keeps serving the previous build; `npm run build`’s out/renderer is served when newer', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-build-'));
    const outDir = path.join(root, 'out/renderer');
    const source = path.join(root, 'desktop/renderer/src/main.ts');
    fs.mkdirSync(path.dirname(source), { recursive: true });
    fs.writeFileSync(source, '');
    const ok = async (dir: string) => {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'index.html'), 'built');
    };
    const first = await ensureRendererBuilt({ projectRoot: root, outDir, log: () => undefined, build: ok });
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(source, later, later);
    const failed = await ensureRendererBuilt({ projectRoot: root, outDir, log: () => undefined, build: () => Promise.reject(new Error('syntax error')) });
    expect(failed).toBe(first);
    expect(fs.readdirSync(buildsRoot(outDir)).filter((f) => f.startsWith('.building'))).toEqual([]);
    await expect(ensureRendererBuilt({ projectRoot: path.join(root, 'none'), outDir: path.join(root, 'none/out/renderer'), log: () => undefined, build: () => Promise.reject(new Error('x')) })).rejects.toThrow(/Building the workstation screens failed/);
    // `npm run build` writes out/renderer: newer than the on-demand build, it is the one served.
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(path.join(outDir, 'index.html'), 'npm run build');
    const future = new Date(Date.now() + 120_000);
    fs.utimesSync(path.join(outDir, 'index.html'), future, future);
    expect(resolveRendererDir(outDir)).toBe(outDir);
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('npm start', () => {
  it('prints the workstation roles’ sign-in lines from demo-credentials.txt, not the portal’s or the admin’s', () => {
    const file = [
      'Users',
      '-----',
      '  admin      Sam',
      '             email:    sam@x.example',
      '             password: p-admin',
      '  specialist 张伟 Zhang Wei',
      '             email:    zhang@x.example',
      '             password: p-spec',
      '  legal      王芳 Wang Fang',
      '             email:    wang@x.example',
      '             password: p-legal',
      '  supervisor 陈静',
      '             email:    chen@x.example',
      '             password: p-sup',
      '  arbitrator Helen',
      '             email:    helen@x.example',
      '             password: p-arb',
    ].join('\n');
    expect(workstationCredentials(file)).toEqual([
      { role: 'specialist', name: '张伟 Zhang Wei', email: 'zhang@x.example', password: 'p-spec' },
      { role: 'legal', name: '王芳 Wang Fang', email: 'wang@x.example', password: 'p-legal' },
      { role: 'supervisor', name: '陈静', email: 'chen@x.example', password: 'p-sup' },
    ]);
  });
});

describe('npm run desktop', () => {
  it('finds no Electron binary where none was downloaded (and does not try to download one)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-electron-'));
    fs.mkdirSync(path.join(root, 'node_modules/electron'), { recursive: true });
    expect(electronBinary(root)).toBeNull();
    fs.writeFileSync(path.join(root, 'node_modules/electron/path.txt'), 'electron');
    expect(electronBinary(root)).toBeNull();
    fs.mkdirSync(path.join(root, 'node_modules/electron/dist'));
    fs.writeFileSync(path.join(root, 'node_modules/electron/dist/electron'), '');
    expect(electronBinary(root)).toBe(path.join(root, 'node_modules/electron/dist/electron'));
    fs.rmSync(root, { recursive: true, force: true });
  });
});
