// The Electron IPC carrier's own behaviour (desktop/main/contract/ipc.ts, desktop/preload/index.ts,
// desktop/contract/ipc-link.ts), joined through an in-process fake of ipcMain / ipcRenderer /
// contextBridge: the preload exposes only the carrier, errors cross with the HTTP shape, untrusted
// senders and unknown procedures are refused, and subscriptions stop on unsubscribe and when the
// window goes away or navigates.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { IPC_CHANNELS } from '../../desktop/contract/ipc-bridge';
import { serveContractOverIpc } from '../../desktop/main/contract/ipc';
import { translate } from '../../shared/i18n';
import { fakeElectronIpc, openIpcCarrier, type IpcCarrier } from './contract-carriers';
import { stubPort } from './contract-stub-port';
import type { WorkstationEvent } from '../../desktop/contract/types';

const electron = vi.hoisted(() => ({ current: null as unknown as ReturnType<typeof import('./contract-carriers').fakeElectronIpc> }));
vi.mock('electron', () => ({
  get contextBridge() {
    return electron.current.contextBridge;
  },
  get ipcRenderer() {
    return electron.current.ipcRenderer;
  },
}));

let stub: ReturnType<typeof stubPort>;
let carrier: IpcCarrier;

beforeAll(async () => {
  electron.current = fakeElectronIpc();
  stub = stubPort();
  carrier = await openIpcCarrier(stub.port, electron.current, 'zh-CN');
});

afterEach(() => {
  electron.current.webContents.destroyed = false;
});

const until = async (check: () => boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('the preload', () => {
  it('exposes window.arbitra with the shell, the versions and the carrier only (three functions)', () => {
    expect(electron.current.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
    expect(electron.current.contextBridge.exposeInMainWorld.mock.calls[0]![0]).toBe('arbitra');
    const bridge = carrier.bridge;
    expect(Object.keys(bridge).sort()).toEqual(['contract', 'shell', 'versions']);
    expect(bridge.shell).toBe('electron');
    expect(Object.keys(bridge.contract).sort()).toEqual(['request', 'subscribe', 'unsubscribe']);
    for (const fn of Object.values(bridge.contract)) expect(typeof fn).toBe('function');
    expect(Object.keys(bridge.versions).sort()).toEqual(['chrome', 'electron', 'node']);
  });
});

describe('calls', () => {
  it('a query and a mutation go through the router to the port', async () => {
    const status = await carrier.client.session.status.query();
    expect(status.state).toBe('signed_out');
    await carrier.client.session.setLanguage.mutate({ language: 'en' });
    expect(stub.calls).toContain('session.setLanguage');
  });

  it('errors cross with the HTTP carrier’s shape: code, message key, field, params, translated message', async () => {
    // setLanguage succeeded above: errors are now in English.
    const error = (await carrier.client.session.setLanguage.mutate({ language: 'fr' as never }).catch((e: unknown) => e)) as TRPCClientError<never>;
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = error.data as unknown as { code: string; httpStatus: number; messageKey: string; field: string | null; params: Record<string, string>; requestId: string };
    expect(data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400, field: 'language' });
    expect(data.messageKey).toMatch(/^validation\./);
    expect(error.message).toBe(translate('en', data.messageKey, { ...data.params, requestId: data.requestId }));
    expect(error.shape).toMatchObject({ code: -32600 });
  });

  it('a locked workstation refuses an unlocked-only procedure with 401 and the key', async () => {
    const error = (await carrier.client.queue.views.query().catch((e: unknown) => e)) as TRPCClientError<never>;
    expect(error.data).toMatchObject({ httpStatus: 401, messageKey: 'workstation.session.locked' });
  });

  it('unknown procedures, wrong types and malformed operations answer not-found, never throw', async () => {
    const bridge = carrier.bridge.contract;
    for (const op of [
      { type: 'query', path: 'no.such', input: undefined },
      { type: 'query', path: 'session.signOut', input: undefined },
      { type: 'mutation', path: '__proto__', input: undefined },
      { type: 'mutation', path: 'constructor', input: undefined },
      { type: 'query', path: 'toString', input: undefined },
      { type: 'subscription', path: 'sync.events', input: undefined },
      { type: 'eval', path: 'session.status', input: undefined },
    ] as const) {
      const res = await bridge.request(op as never);
      expect(res.ok, JSON.stringify(op)).toBe(false);
      if (!res.ok) expect(res.error.data.httpStatus, JSON.stringify(op)).toBe(404);
    }
    const raw = await electron.current.ipcRenderer.invoke(IPC_CHANNELS.request, 'not an operation');
    expect(raw).toMatchObject({ ok: false, error: { data: { messageKey: 'error.route_not_found' } } });
  });

  it('a sender that is not the app’s own page is refused (403) and nothing reaches the engine', async () => {
    const foreign = fakeElectronIpc({ senderUrl: 'https://evil.example/' });
    const contract = serveContractOverIpc({ ipcMain: foreign.ipcMain, port: stub.port, isTrustedSender: (e) => e.senderFrame?.url?.startsWith('app://arbitra/') ?? false, logError: () => undefined });
    const before = stub.calls.length;
    const res = await foreign.ipcRenderer.invoke(IPC_CHANNELS.request, { type: 'mutation', path: 'session.signOut', input: undefined });
    expect(res).toMatchObject({ ok: false, error: { data: { httpStatus: 403, messageKey: 'workstation.shell.request_refused' } } });
    expect(stub.calls.slice(before).filter((c) => c !== 'session.status')).toEqual([]);
    contract.close();
    expect(foreign.ipcMain.removeHandler).toHaveBeenCalledWith(IPC_CHANNELS.request);
  });
});

describe('the subscription', () => {
  it('delivers the current state, then the engine’s events, and stops on unsubscribe', async () => {
    const events: WorkstationEvent[] = [];
    let started = false;
    const sub = carrier.client.sync.events.subscribe(undefined, { onStarted: () => (started = true), onData: (e) => events.push(e as WorkstationEvent) });
    await until(() => events.length >= 2);
    expect(started).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['session', 'sync']);
    stub.emit({ type: 'changed', caseIds: 'all' });
    await until(() => events.length >= 3);
    expect(events[2]).toEqual({ type: 'changed', caseIds: 'all' });
    expect(carrier.contract.activeSubscriptions(1)).toBe(1);
    sub.unsubscribe();
    await until(() => carrier.contract.activeSubscriptions(1) === 0);
    await until(() => ![...stub.listeners].length || stub.listeners.size <= 1);
  });

  it('stops when the window is destroyed (no sends to a dead webContents)', async () => {
    const listenersBefore = stub.listeners.size;
    const events: unknown[] = [];
    carrier.client.sync.events.subscribe(undefined, { onData: (e) => events.push(e) });
    await until(() => events.length >= 2);
    expect(carrier.contract.activeSubscriptions(1)).toBe(1);
    electron.current.webContents.destroy();
    await until(() => carrier.contract.activeSubscriptions(1) === 0);
    await until(() => stub.listeners.size === listenersBefore);
    const sentBefore = electron.current.webContents.sent.length;
    stub.emit({ type: 'changed', caseIds: 'all' });
    await new Promise((r) => setTimeout(r, 20));
    expect(electron.current.webContents.sent.length).toBe(sentBefore);
  });

  it('stops when the window loads another document, not on in-page navigation', async () => {
    const events: unknown[] = [];
    carrier.client.sync.events.subscribe(undefined, { onData: (e) => events.push(e) });
    await until(() => events.length >= 2);
    electron.current.webContents.emit('did-start-navigation', { isSameDocument: true, isMainFrame: true, url: 'app://arbitra/index.html#/queue' });
    await new Promise((r) => setTimeout(r, 20));
    expect(carrier.contract.activeSubscriptions(1)).toBe(1);
    electron.current.webContents.emit('did-start-navigation', { isSameDocument: false, isMainFrame: true, url: 'app://arbitra/index.html' });
    await until(() => carrier.contract.activeSubscriptions(1) === 0);
  });
});
