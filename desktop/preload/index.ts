// The preload: the one bridge the renderer gets (window.arbitra). It exposes which shell this is, the
// versions, and the workstation contract's IPC carrier — three calls and nothing else: no ipcRenderer,
// no Node, no way to name another channel. Runs sandboxed (bundled as CommonJS by electron-vite).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type ArbitraBridge, type ContractBridge, type ContractEvent, type ContractOperation } from '../contract/ipc-bridge';

export type { ArbitraBridge };

/** The part of Electron's ipcRenderer the carrier uses (injected so tests can pass an in-process fake). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<any>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: IpcRendererEvent | unknown, ...args: any[]) => void): unknown;
}

/** Only the fields a contract operation has, as plain data (nothing else the page put on the object crosses). */
function plain(op: ContractOperation): ContractOperation {
  return { type: op.type, path: String(op.path), input: op.input };
}

export function createContractBridge(ipc: IpcRendererLike): ContractBridge {
  const listeners = new Map<string, (event: ContractEvent) => void>();
  let counter = 0;
  const prefix = Math.random().toString(36).slice(2, 10);
  ipc.on(IPC_CHANNELS.event, (_event, message: { id: string; event: ContractEvent }) => {
    const listener = listeners.get(message?.id);
    if (!listener) return;
    if (message.event.kind === 'stopped' || message.event.kind === 'error') listeners.delete(message.id);
    listener(message.event);
  });
  return {
    request: (op) => ipc.invoke(IPC_CHANNELS.request, plain(op)),
    subscribe(op, onEvent) {
      const id = `${prefix}-${++counter}`;
      listeners.set(id, onEvent);
      ipc.send(IPC_CHANNELS.subscribe, { id, op: plain(op) });
      return id;
    },
    unsubscribe(id) {
      if (!listeners.delete(id)) return;
      ipc.send(IPC_CHANNELS.unsubscribe, id);
    },
  };
}

export function createArbitraBridge(ipc: IpcRendererLike, versions: NodeJS.ProcessVersions): ArbitraBridge {
  return {
    shell: 'electron',
    versions: { electron: versions.electron ?? '', chrome: versions.chrome ?? '', node: versions.node },
    contract: createContractBridge(ipc),
  };
}

contextBridge.exposeInMainWorld('arbitra', createArbitraBridge(ipcRenderer, process.versions));
