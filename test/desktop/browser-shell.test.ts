// The browser shell's settings (same data-directory resolution as the server), the on-demand renderer
// build's staleness check, the credentials `npm start` prints, and `npm run desktop` without Electron.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserShellSettings, UsageError } from '../../desktop/main/shell/browser';
import { rendererBuildReason } from '../../desktop/main/shell/renderer-build';
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
