// The workstation contract over Electron IPC (main side): the same router as the loopback HTTP
// carrier, called procedure by procedure. Queries and mutations answer an invoke; a subscription's
// events go to the webContents that started it, and stop when it asks, navigates away, crashes or
// is destroyed. Electron is injected (the IpcMain-like object), so this file runs under plain Node in
// tests with an in-process fake.
import { callTRPCProcedure } from '@trpc/server';
import { AppError } from '../../../shared/errors';
import type { Language } from '../../../shared/domain';
import type { WorkstationPort } from '../../contract/types';
import { IPC_CHANNELS, type ContractEvent, type ContractOperation, type ContractResponse } from '../../contract/ipc-bridge';
import { workstationRouter } from './router';
import { createContractRuntime, type ContractRuntime, type ContractRuntimeOptions } from './runtime';

/** The part of an Electron webContents the carrier uses. */
export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  removeListener(event: string, listener: (...args: any[]) => void): unknown;
}

export interface IpcEventLike {
  sender: WebContentsLike;
  /** The frame that sent the message (Electron's `event.senderFrame`). */
  senderFrame?: { url: string } | null;
}

/** The part of Electron's ipcMain the carrier uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: any, ...args: any[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: any, ...args: any[]) => void): unknown;
  removeListener(channel: string, listener: (event: any, ...args: any[]) => void): unknown;
}

export interface IpcContractOptions extends ContractRuntimeOptions {
  ipcMain: IpcMainLike;
  port: WorkstationPort;
  /** Only the app's own page may call (Electron's advice: check every IPC sender). */
  isTrustedSender?: (event: IpcEventLike) => boolean;
  /** The language before the person chose one (the OS locale). */
  requestLanguage?: () => Language;
}

export interface IpcContract {
  /** Subscriptions running now, per webContents id (tests and diagnostics). */
  activeSubscriptions(webContentsId?: number): number;
  /** Removes the handlers and stops every subscription. */
  close(): void;
}

const PATH_PATTERN = /^[a-zA-Z][a-zA-Z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*)*$/;
const TYPES = ['query', 'mutation', 'subscription'] as const;

/** A well-formed operation naming one of the router's own procedures (never an inherited property). */
function isOperation(value: unknown): value is ContractOperation {
  if (typeof value !== 'object' || value === null) return false;
  const op = value as Record<string, unknown>;
  return (
    typeof op.path === 'string' &&
    op.path.length <= 200 &&
    PATH_PATTERN.test(op.path) &&
    Object.hasOwn(workstationRouter._def.procedures, op.path) &&
    (TYPES as readonly string[]).includes(op.type as string)
  );
}

export function serveContractOverIpc(options: IpcContractOptions): IpcContract {
  const { ipcMain } = options;
  const runtime: ContractRuntime = createContractRuntime(options.port, options);
  const trusted = options.isTrustedSender ?? (() => true);
  const language = () => options.requestLanguage?.();
  /** webContents id → subscription id → its stopper. */
  const running = new Map<number, Map<string, AbortController>>();
  const watched = new Map<number, { sender: WebContentsLike; stopAll: (...args: any[]) => void; onNavigation: (...args: any[]) => void }>();

  const refusal = () => runtime.refusal(new AppError('forbidden', 'workstation.shell.request_refused'), language());

  async function call(op: ContractOperation, signal?: AbortSignal): Promise<ContractResponse> {
    const ctx = runtime.context(language());
    try {
      const data: unknown = await callTRPCProcedure({ router: workstationRouter, path: op.path, getRawInput: async () => op.input, ctx, type: op.type, signal, batchIndex: 0 });
      return { ok: true, data };
    } catch (error) {
      return { ok: false, error: runtime.errorShape(error, { ctx, type: op.type, path: op.path, input: op.input }) };
    }
  }

  const onRequest = async (event: IpcEventLike, op: unknown): Promise<ContractResponse> => {
    if (!trusted(event)) return { ok: false, error: refusal() };
    if (!isOperation(op) || op.type === 'subscription') {
      return { ok: false, error: runtime.refusal(new AppError('not_found', 'error.route_not_found'), language()) };
    }
    return call(op);
  };

  function stopAllOf(webContentsId: number): void {
    const subs = running.get(webContentsId);
    if (subs) for (const controller of subs.values()) controller.abort();
    running.delete(webContentsId);
    const w = watched.get(webContentsId);
    if (w) {
      w.sender.removeListener('destroyed', w.stopAll);
      w.sender.removeListener('render-process-gone', w.stopAll);
      w.sender.removeListener('did-start-navigation', w.onNavigation);
      watched.delete(webContentsId);
    }
  }

  /** Stops a window's subscriptions when it goes away or loads another document. */
  function watch(sender: WebContentsLike): void {
    if (watched.has(sender.id)) return;
    const id = sender.id;
    const stopAll = () => stopAllOf(id);
    // Electron: (event, url, isInPlace, isMainFrame) in older versions, a details object in newer ones.
    const onNavigation = (first: unknown, _url?: string, isInPlace?: boolean, isMainFrame?: boolean) => {
      const details = first as { isSameDocument?: boolean; isMainFrame?: boolean } | undefined;
      const sameDocument = details?.isSameDocument ?? isInPlace ?? false;
      const mainFrame = details?.isMainFrame ?? isMainFrame ?? true;
      if (mainFrame && !sameDocument) stopAll();
    };
    sender.on('destroyed', stopAll);
    sender.on('render-process-gone', stopAll);
    sender.on('did-start-navigation', onNavigation);
    watched.set(id, { sender, stopAll, onNavigation });
  }

  const onSubscribe = (event: IpcEventLike, message: unknown): void => {
    const { sender } = event;
    const { id, op } = (message ?? {}) as { id?: unknown; op?: unknown };
    if (typeof id !== 'string' || id.length === 0 || id.length > 100) return;
    const send = (e: ContractEvent) => {
      if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.event, { id, event: e });
    };
    if (!trusted(event)) return send({ kind: 'error', error: refusal() });
    if (!isOperation(op) || op.type !== 'subscription') {
      return send({ kind: 'error', error: runtime.refusal(new AppError('not_found', 'error.route_not_found'), language()) });
    }
    const subs = running.get(sender.id) ?? new Map<string, AbortController>();
    running.set(sender.id, subs);
    subs.get(id)?.abort();
    const controller = new AbortController();
    subs.set(id, controller);
    watch(sender);

    void (async () => {
      const result = await call(op, controller.signal);
      if (!result.ok) {
        subs.delete(id);
        return send({ kind: 'error', error: result.error });
      }
      const iterable = result.data as AsyncIterable<unknown>;
      const iterator = iterable[Symbol.asyncIterator]();
      const stop = () => void iterator.return?.();
      controller.signal.addEventListener('abort', stop, { once: true });
      send({ kind: 'started' });
      try {
        while (!controller.signal.aborted) {
          const next = await iterator.next();
          if (next.done || controller.signal.aborted) break;
          send({ kind: 'data', data: next.value });
        }
        send({ kind: 'stopped' });
      } catch (error) {
        const ctx = runtime.context(language());
        send({ kind: 'error', error: runtime.errorShape(error, { ctx, type: 'subscription', path: op.path }) });
      } finally {
        controller.signal.removeEventListener('abort', stop);
        if (subs.get(id) === controller) subs.delete(id);
      }
    })();
  };

  const onUnsubscribe = (event: IpcEventLike, id: unknown): void => {
    if (typeof id !== 'string') return;
    const subs = running.get(event.sender.id);
    subs?.get(id)?.abort();
    subs?.delete(id);
  };

  ipcMain.handle(IPC_CHANNELS.request, onRequest);
  ipcMain.on(IPC_CHANNELS.subscribe, onSubscribe);
  ipcMain.on(IPC_CHANNELS.unsubscribe, onUnsubscribe);

  return {
    activeSubscriptions(webContentsId) {
      if (webContentsId !== undefined) return running.get(webContentsId)?.size ?? 0;
      let n = 0;
      for (const subs of running.values()) n += subs.size;
      return n;
    },
    close() {
      ipcMain.removeHandler(IPC_CHANNELS.request);
      ipcMain.removeListener(IPC_CHANNELS.subscribe, onSubscribe);
      ipcMain.removeListener(IPC_CHANNELS.unsubscribe, onUnsubscribe);
      for (const id of [...running.keys()]) stopAllOf(id);
      runtime.close();
    },
  };
}
