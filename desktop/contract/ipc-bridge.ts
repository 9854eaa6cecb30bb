// The Electron carrier of the workstation contract, as the preload exposes it to the renderer
// (`window.arbitra.contract`) and the main process serves it: three calls over three IPC channels.
// Browser-safe: types and channel names only. Errors cross with the shape the HTTP carrier sends
// (`{ message, code, data: { messageKey, field, params, … } }`), so the renderer reads both alike.

export const IPC_CHANNELS = {
  /** invoke: one query or mutation; answers a ContractResponse (never rejects with an app error). */
  request: 'arbitra:contract:request',
  /** send: start a subscription ({ id, op }); its events come back on `event`. */
  subscribe: 'arbitra:contract:subscribe',
  /** send: stop a subscription (its id). */
  unsubscribe: 'arbitra:contract:unsubscribe',
  /** main → renderer: { id, event } for a subscription this renderer started. */
  event: 'arbitra:contract:event',
} as const;

export interface ContractOperation {
  type: 'query' | 'mutation' | 'subscription';
  /** The procedure's dotted path, e.g. `cases.addNote`. */
  path: string;
  input: unknown;
}

/** The contract's error shape (same as over HTTP). */
export interface ContractErrorPayload {
  message: string;
  code: number;
  data: {
    code: string;
    httpStatus: number;
    messageKey: string;
    field: string | null;
    issues: { field: string; messageKey: string; message: string; params?: Record<string, string | number> }[];
    params: Record<string, string | number>;
    requestId: string;
  };
}

export type ContractResponse = { ok: true; data: unknown } | { ok: false; error: ContractErrorPayload };

export type ContractEvent = { kind: 'started' } | { kind: 'data'; data: unknown } | { kind: 'error'; error: ContractErrorPayload } | { kind: 'stopped' };

/** What the preload exposes as `window.arbitra.contract`. */
export interface ContractBridge {
  request(op: ContractOperation): Promise<ContractResponse>;
  /** Starts a subscription; `onEvent` gets its events until `unsubscribe(id)` or a `stopped`/`error` event. */
  subscribe(op: ContractOperation, onEvent: (event: ContractEvent) => void): string;
  unsubscribe(id: string): void;
}

/** Everything the preload exposes as `window.arbitra`. */
export interface ArbitraBridge {
  shell: 'electron';
  versions: { electron: string; chrome: string; node: string };
  contract: ContractBridge;
}
