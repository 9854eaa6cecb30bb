// The Electron main process (desktop/main/index.ts), imported with `electron` replaced by a recording
// stand-in (the engine underneath is the real one, in a temporary userData folder): every security
// setting of the issue is asserted — webPreferences, the CSP on every response and on the app://
// page, navigation and new windows refused, permissions denied, the data key sealed by safeStorage.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../desktop/main/shell/csp';
import { SafeStorageKeyProvider } from '../../desktop/main/key-provider';
import { IPC_CHANNELS } from '../../desktop/contract/ipc-bridge';

const rec = vi.hoisted(() => {
  const userData = `${process.env.TMPDIR ?? '/tmp'}/arbitra-electron-main-${process.pid}-${Date.now()}`;
  type Handler = (...args: any[]) => any;
  const appHandlers = new Map<string, Handler[]>();
  const windows: any[] = [];
  const sealed: string[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  class FakeWebContents {
    handlers = new Map<string, Handler[]>();
    windowOpenHandler: Handler | null = null;
    on(event: string, h: Handler) {
      this.handlers.set(event, [...(this.handlers.get(event) ?? []), h]);
      return this;
    }
    setWindowOpenHandler(h: Handler) {
      this.windowOpenHandler = h;
    }
  }
  class BrowserWindow {
    static getAllWindows = () => windows;
    webContents = new FakeWebContents();
    loaded: string[] = [];
    constructor(readonly options: any) {
      windows.push(this);
    }
    once() {}
    show() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    userData,
    appHandlers,
    windows,
    sealed,
    ready: () => ready(),
    FakeWebContents,
    electron: {
      app: {
        whenReady: () => readyPromise,
        on: (event: string, h: Handler) => void appHandlers.set(event, [...(appHandlers.get(event) ?? []), h]),
        getPath: (name: string) => (name === 'userData' ? userData : `/nonexistent/${name}`),
        getLocale: () => 'zh-CN',
        quit: vi_fn(),
        exit: vi_fn(),
      },
      BrowserWindow,
      ipcMain: { handle: vi_fn(), removeHandler: vi_fn(), on: vi_fn(), removeListener: vi_fn() },
      protocol: { registerSchemesAsPrivileged: vi_fn(), handle: vi_fn() },
      safeStorage: {
        isEncryptionAvailable: vi_fn(() => true),
        encryptString: vi_fn((plain: string) => {
          sealed.push(plain);
          return Buffer.from(`sealed:${Buffer.from(plain).toString('base64')}`);
        }),
        decryptString: vi_fn((b: Buffer) => Buffer.from(b.toString().slice('sealed:'.length), 'base64').toString()),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: vi_fn(),
          setPermissionCheckHandler: vi_fn(),
          webRequest: { onHeadersReceived: vi_fn() },
        },
      },
    },
  };
  // A tiny recording function (vi is not available inside vi.hoisted's closure before import).
  function vi_fn(impl: Handler = () => undefined) {
    const f: any = (...args: any[]) => {
      f.calls.push(args);
      return impl(...args);
    };
    f.calls = [] as any[][];
    return f;
  }
});

vi.mock('electron', () => rec.electron);

// The real engine, with the options it was opened with recorded.
const opened = vi.hoisted(() => ({ options: null as any, engine: null as any }));
vi.mock('../../desktop/main/workstation', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../desktop/main/workstation')>();
  return {
    ...real,
    openWorkstation: async (options: any) => {
      opened.options = options;
      opened.engine = await real.openWorkstation(options);
      return opened.engine;
    },
  };
});

let main: typeof import('../../desktop/main/index');
let started: Awaited<(typeof main)['started']>;

beforeAll(async () => {
  main = await import('../../desktop/main/index');
  rec.ready();
  started = await main.started;
});
afterAll(async () => {
  started?.contract.close();
  await opened.engine?.close();
  fs.rmSync(rec.userData, { recursive: true, force: true });
});

describe('the window', () => {
  it('is created with contextIsolation, sandbox, no nodeIntegration, webSecurity and the preload', () => {
    expect(rec.windows).toHaveLength(1);
    const prefs = rec.windows[0].options.webPreferences;
    expect(prefs.contextIsolation).toBe(true);
    expect(prefs.sandbox).toBe(true);
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
    expect(prefs.webviewTag).toBe(false);
    expect(prefs.preload).toMatch(/preload[\\/]index\.cjs$/);
  });

  it('loads the renderer from its own app:// origin, never file://', () => {
    expect(rec.windows[0].loaded).toEqual(['app://arbitra/index.html']);
    const [schemes] = rec.electron.protocol.registerSchemesAsPrivileged.calls[0];
    expect(schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });
});

describe('the content security policy', () => {
  it('is set on every response the session receives', () => {
    const [listener] = rec.electron.session.defaultSession.webRequest.onHeadersReceived.calls[0];
    let answer: any;
    listener({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r: any) => (answer = r));
    expect(answer.responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(answer.responseHeaders['Content-Type']).toEqual(['text/html']);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe-(inline|eval)/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('and on the page the app:// protocol serves; nothing outside the renderer folder is served', async () => {
    const [scheme, handler] = rec.electron.protocol.handle.calls[0];
    expect(scheme).toBe('app');
    // The renderer folder next to the entry (out/renderer once built): give it a page for the check.
    const rendererDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../desktop/renderer');
    const page: Response = await handler(new Request('app://arbitra/index.html'));
    if (page.status === 200) {
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    } else expect(fs.existsSync(path.join(rendererDir, 'index.html'))).toBe(true);
    const outside: Response = await handler(new Request('app://arbitra/../../../../etc/passwd'));
    expect(await outside.text()).not.toContain('root:');
    const otherHost: Response = await handler(new Request('app://elsewhere/index.html'));
    expect(otherHost.status).toBe(404);
  });
});

describe('navigation, new windows and webviews', () => {
  function contents() {
    const wc = new rec.FakeWebContents();
    for (const h of rec.appHandlers.get('web-contents-created') ?? []) h({}, wc);
    return wc;
  }
  const fire = (wc: any, event: string, ...args: any[]) => {
    const e = { prevented: false, preventDefault() {
      this.prevented = true;
    } };
    for (const h of wc.handlers.get(event) ?? []) h(e, ...args);
    return e.prevented;
  };

  it('will-navigate away from the app is prevented; within the app it is not', () => {
    const wc = contents();
    expect(fire(wc, 'will-navigate', 'https://evil.example/')).toBe(true);
    expect(fire(wc, 'will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire(wc, 'will-navigate', 'app://elsewhere/index.html')).toBe(true);
    expect(fire(wc, 'will-navigate', 'app://arbitra/index.html#/queue')).toBe(false);
    expect(fire(wc, 'will-redirect', 'https://evil.example/')).toBe(true);
  });

  it('window.open is denied', () => {
    const wc = contents();
    expect(wc.windowOpenHandler).toBeTypeOf('function');
    expect(wc.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'app://arbitra/index.html' })).toEqual({ action: 'deny' });
  });

  it('webviews are never attached', () => {
    expect(fire(contents(), 'will-attach-webview', {}, {})).toBe(true);
  });
});

describe('permissions', () => {
  it('every permission request and check is denied', () => {
    const [request] = rec.electron.session.defaultSession.setPermissionRequestHandler.calls[0];
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      request({}, permission, (g: boolean) => (granted = g));
      expect(granted, permission).toBe(false);
    }
    const [check] = rec.electron.session.defaultSession.setPermissionCheckHandler.calls[0];
    expect(check({}, 'media', 'app://arbitra')).toBe(false);
  });
});

describe('the engine and its key', () => {
  it('opens in the userData folder, as the electron shell, with the data key sealed by safeStorage', () => {
    expect(opened.options.dataDir).toBe(path.join(rec.userData, 'workstation'));
    expect(opened.options.shell).toBe('electron');
    expect(opened.options.keys).toBeInstanceOf(SafeStorageKeyProvider);
    const key = opened.options.keys.dataKey() as Buffer;
    expect(key).toHaveLength(32);
    expect(rec.electron.safeStorage.encryptString.calls.length).toBeGreaterThan(0);
    const file = path.join(rec.userData, 'workstation', 'data.key.sealed');
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^sealed:/);
    // Read back through decryptString: the same key.
    expect(opened.options.keys.dataKey().equals(key)).toBe(true);
    expect(rec.electron.safeStorage.decryptString.calls.length).toBeGreaterThan(0);
  });

  it('serves the contract over IPC, answering only the app’s own page', async () => {
    const [channel, handler] = rec.electron.ipcMain.handle.calls[0];
    expect(channel).toBe(IPC_CHANNELS.request);
    const sender = { id: 7, send: () => undefined, isDestroyed: () => false, on: () => undefined, removeListener: () => undefined };
    const ok = await handler({ sender, senderFrame: { url: 'app://arbitra/index.html' } }, { type: 'query', path: 'session.status', input: undefined });
    expect(ok).toMatchObject({ ok: true, data: { state: 'signed_out', shell: 'electron' } });
    const refused = await handler({ sender, senderFrame: { url: 'https://evil.example/' } }, { type: 'query', path: 'session.status', input: undefined });
    expect(refused).toMatchObject({ ok: false, error: { data: { httpStatus: 403 } } });
  });
});
