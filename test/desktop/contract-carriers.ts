// The workstation contract's two carriers, connected for tests: the loopback HTTP + SSE server with a
// real tRPC client (cookie, Origin and header as the browser sends them; an EventSource over fetch,
// since Node 20 has none), and the Electron IPC carrier with the main-side handler, the real preload
// bridge and the renderer's link joined by an in-process fake of ipcMain / ipcRenderer / contextBridge
// (only Electron is faked; the router and the port are real).
import { EventEmitter } from 'node:events';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import { vi } from 'vitest';
import type { WorkstationRouter } from '../../desktop/main/contract/router';
import type { WorkstationPort } from '../../desktop/contract/types';
import { CONTRACT_HEADER } from '../../desktop/contract/http-constants';
import { startContractServer, type ContractServer } from '../../desktop/main/contract/http';
import { serveContractOverIpc, type IpcContract } from '../../desktop/main/contract/ipc';
import { ipcLink } from '../../desktop/contract/ipc-link';
import type { ArbitraBridge } from '../../desktop/contract/ipc-bridge';

export type ContractClient = ReturnType<typeof createTRPCClient<WorkstationRouter>>;

// ---- an EventSource over fetch (what httpSubscriptionLink needs) -------------------------------

type Listener = (event: { type: string; data?: string; lastEventId?: string }) => void;

/** A minimal EventSource: one connection, named events, sends the given headers (the cookie). */
export function eventSourceWith(headers: Record<string, string>) {
  return class NodeEventSource {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSED = 2;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSED = 2;
    readyState = 0;
    private readonly listeners = new Map<string, Set<Listener>>();
    private readonly abort = new AbortController();
    constructor(readonly url: string, _init?: { withCredentials?: boolean }) {
      void this.run();
    }
    addEventListener(type: string, listener: Listener) {
      if (!this.listeners.has(type)) this.listeners.set(type, new Set());
      this.listeners.get(type)!.add(listener);
    }
    removeEventListener(type: string, listener: Listener) {
      this.listeners.get(type)?.delete(listener);
    }
    close() {
      this.readyState = 2;
      this.abort.abort();
    }
    private emit(type: string, event: { data?: string; lastEventId?: string } = {}) {
      for (const l of this.listeners.get(type) ?? []) l({ type, ...event });
    }
    private async run() {
      try {
        const res = await fetch(this.url, { headers: { accept: 'text/event-stream', ...headers }, signal: this.abort.signal });
        if (!res.ok || !res.body) {
          this.readyState = 2;
          this.emit('error');
          return;
        }
        this.readyState = 1;
        this.emit('open');
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            const data: string[] = [];
            let id: string | undefined;
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
              else if (line.startsWith('id:')) id = line.slice(3).trim();
            }
            if (data.length > 0 || type !== 'message') this.emit(type, { data: data.join('\n'), lastEventId: id });
          }
        }
        if (this.readyState !== 2) {
          this.readyState = 2;
          this.emit('error');
        }
      } catch {
        if (this.readyState !== 2) {
          this.readyState = 2;
          this.emit('error');
        }
      }
    }
  };
}

// ---- the HTTP carrier --------------------------------------------------------------------------

/** Exchanges the launch key for the session cookie, as a browser opening the printed URL does. */
export async function sessionCookie(server: ContractServer): Promise<string> {
  const res = await fetch(server.launchUrl, { redirect: 'manual' });
  if (res.status !== 303) throw new Error(`key exchange answered ${res.status}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return setCookie.split(';')[0]!;
}

export interface HttpCarrier {
  server: ContractServer;
  cookie: string;
  client: ContractClient;
  close(): Promise<void>;
}

export function httpClient(server: ContractServer, headers: Record<string, string>, language: 'en' | 'zh-CN' = 'en'): ContractClient {
  const url = `${server.origin}/contract`;
  const all = { ...headers, 'accept-language': language };
  return createTRPCClient<WorkstationRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource: eventSourceWith(all) as never }),
        false: httpBatchLink({ url, headers: () => all }),
      }),
    ],
  });
}

export async function openHttpCarrier(port: WorkstationPort, language: 'en' | 'zh-CN' = 'en'): Promise<HttpCarrier> {
  const server = await startContractServer({ port, rendererDir: null, listenPort: 0, logError: () => undefined });
  const cookie = await sessionCookie(server);
  const client = httpClient(server, { cookie, origin: server.origin, [CONTRACT_HEADER]: '1' }, language);
  return { server, cookie, client, close: () => server.close() };
}

// ---- the IPC carrier ---------------------------------------------------------------------------

/** An in-process Electron: ipcMain and ipcRenderer over one emitter, webContents, contextBridge. */
export function fakeElectronIpc(options: { senderUrl?: string } = {}) {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const mainListeners = new EventEmitter();
  const rendererListeners = new EventEmitter();
  const emitter = new EventEmitter();
  const webContents = Object.assign(emitter, {
    id: 1,
    destroyed: false,
    sent: [] as { channel: string; args: unknown[] }[],
    send(channel: string, ...args: unknown[]) {
      // Structured clone, as Electron's IPC does: nothing but data crosses.
      const cloned = structuredClone(args);
      this.sent.push({ channel, args: cloned });
      setImmediate(() => rendererListeners.emit(channel, {}, ...cloned));
    },
    isDestroyed() {
      return this.destroyed;
    },
    destroy() {
      this.destroyed = true;
      emitter.emit('destroyed');
    },
  });
  const event = () => ({ sender: webContents, senderFrame: { url: options.senderUrl ?? 'app://arbitra/index.html' } });
  const ipcMain = {
    handle: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => void handlers.set(channel, fn)),
    removeHandler: vi.fn((channel: string) => void handlers.delete(channel)),
    on: vi.fn((channel: string, fn: (...args: any[]) => void) => mainListeners.on(channel, fn)),
    removeListener: vi.fn((channel: string, fn: (...args: any[]) => void) => mainListeners.removeListener(channel, fn)),
  };
  const ipcRenderer = {
    async invoke(channel: string, ...args: unknown[]) {
      const fn = handlers.get(channel);
      if (!fn) throw new Error(`No handler registered for '${channel}'`);
      return structuredClone(await fn(event(), ...structuredClone(args)));
    },
    send(channel: string, ...args: unknown[]) {
      const cloned = structuredClone(args);
      setImmediate(() => mainListeners.emit(channel, event(), ...cloned));
    },
    on(channel: string, fn: (...args: any[]) => void) {
      rendererListeners.on(channel, fn);
      return ipcRenderer;
    },
  };
  const exposed: Record<string, unknown> = {};
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      exposed[key] = api;
    }),
  };
  return { ipcMain, ipcRenderer, contextBridge, webContents, exposed, handlers, mainListeners };
}

export type FakeElectronIpc = ReturnType<typeof fakeElectronIpc>;

export interface IpcCarrier {
  electron: FakeElectronIpc;
  contract: IpcContract;
  bridge: ArbitraBridge;
  client: ContractClient;
  close(): void;
}

/**
 * Main side served over the fake ipcMain, the real preload (desktop/preload/index.ts, imported with
 * `electron` mocked to this fake by the calling test file) exposing window.arbitra, and the renderer's
 * link over what it exposed.
 */
export async function openIpcCarrier(port: WorkstationPort, electron: FakeElectronIpc, language: 'en' | 'zh-CN' = 'en'): Promise<IpcCarrier> {
  const contract = serveContractOverIpc({ ipcMain: electron.ipcMain, port, requestLanguage: () => language, logError: () => undefined, isTrustedSender: (e) => e.senderFrame?.url?.startsWith('app://arbitra/') ?? false });
  await import('../../desktop/preload/index');
  const bridge = electron.exposed.arbitra as ArbitraBridge;
  const client = createTRPCClient<WorkstationRouter>({ links: [ipcLink<WorkstationRouter>(bridge.contract) as TRPCLink<WorkstationRouter>] });
  return { electron, contract, bridge, client, close: () => contract.close() };
}
