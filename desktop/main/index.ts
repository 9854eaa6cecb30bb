// Electron entry: the thin shell. The engine (desktop/main/workstation) runs under plain Node; this
// file only opens it in the app's userData folder with the data key sealed by safeStorage, serves the
// contract over IPC (desktop/main/contract/ipc.ts) and opens a locked-down window:
// contextIsolation, sandbox, no nodeIntegration, webSecurity, a strict CSP on every response, the
// renderer from its own app:// origin, navigation away and new windows refused, every permission
// request denied. test/desktop/electron-main.test.ts imports this file with Electron replaced by a
// recording stand-in and checks each of these.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import { app, BrowserWindow, ipcMain, protocol, safeStorage, session, type WebContents } from 'electron';
import { languageFromHeader } from '../../shared/i18n';
import { DEFAULT_SERVER_PORT } from '../../shared/data-dir-setting';
import { FileKeyProvider, SafeStorageKeyProvider, type KeyProvider } from './key-provider';
import { serveContractOverIpc, type IpcContract } from './contract/ipc';
import { CONTENT_SECURITY_POLICY, PAGE_SECURITY_HEADERS } from './shell/csp';
import { pageHtml, resolveStatic } from './shell/static-files';
import type { WorkstationEngine } from './shell/engine';
import { openWorkstation } from './workstation';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The renderer's own origin: a standard, secure scheme served from out/renderer (never file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'arbitra';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const WEB_PREFERENCES = {
  preload: path.join(here, '../preload/index.cjs'),
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/** electron-vite dev serves the renderer from a local dev server; otherwise app://arbitra. */
const devUrl = process.env.ELECTRON_RENDERER_URL || null;
const rendererDir = path.join(here, '../renderer');

/** Is this URL the app's own page (its origin)? Anything else is navigation away. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    if (devUrl && u.origin === new URL(devUrl).origin) return true;
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

function serverUrl(): string {
  const i = process.argv.indexOf('--server');
  const fromArgs = i >= 0 ? process.argv[i + 1] : undefined;
  return (fromArgs ?? process.env.ARBITRA_SERVER_URL ?? `http://127.0.0.1:${process.env.ARBITRA_PORT ?? DEFAULT_SERVER_PORT}`).replace(/\/+$/, '');
}

/** The data key sealed by the OS keychain through safeStorage; a key file only where there is no keychain. */
export function keyProvider(dataDir: string): KeyProvider {
  if (safeStorage.isEncryptionAvailable()) return new SafeStorageKeyProvider(dataDir, safeStorage);
  process.stderr.write('Arbitra: the OS keychain (safeStorage) is not available; the data key is kept in a file readable only by you.\n');
  return new FileKeyProvider(dataDir);
}

/** Locks down one webContents: no navigation away, no new windows, no webviews. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** app://arbitra/… → a file of the built renderer; the page gets the CSP and security headers. */
async function serveApp(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const found = url.host === APP_HOST ? resolveStatic(rendererDir, url.pathname) : null;
  if (!found) return new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const headers: Record<string, string> = { 'content-type': found.contentType, 'x-content-type-options': 'nosniff' };
  if (found.isPage) return new Response(pageHtml(found.file), { headers: { ...headers, ...PAGE_SECURITY_HEADERS, 'cache-control': 'no-store' } });
  return new Response(await fs.promises.readFile(found.file), { headers });
}

export function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    title: 'Arbitra',
    show: false,
    webPreferences: { ...WEB_PREFERENCES },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(devUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}

export interface ElectronMain {
  engine: WorkstationEngine;
  contract: IpcContract;
  window: BrowserWindow;
}

// Before ready: the app's scheme is a standard, secure origin (fetch, relative URLs, storage work).
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

app.on('web-contents-created', (_event, contents) => lockDown(contents));
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

async function main(): Promise<ElectronMain> {
  await app.whenReady();
  const ses = session.defaultSession;
  // Camera, microphone, notifications, geolocation, clipboard, …: the workstation needs none.
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // Every response the window gets carries the CSP (the dev server's too; app:// sets its own).
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  protocol.handle(APP_SCHEME, serveApp);

  const dataDir = path.join(app.getPath('userData'), 'workstation');
  const engine = await openWorkstation({ dataDir, serverUrl: serverUrl(), keys: keyProvider(dataDir), shell: 'electron' });
  const contract = serveContractOverIpc({
    ipcMain,
    port: engine,
    isTrustedSender: (event) => isAppUrl(event.senderFrame?.url),
    requestLanguage: () => languageFromHeader(app.getLocale()),
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Close the engine first (journal flushed, lock released), then quit for real.
    event.preventDefault();
    quitting = true;
    contract.close();
    void engine.close().finally(() => app.quit());
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  return { engine, contract, window: createWindow() };
}

/** Resolves once the window is open (tests await it). */
export const started: Promise<ElectronMain> = main();
started.catch((error: unknown) => {
  process.stderr.write(`Arbitra failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  app.exit(1);
});
