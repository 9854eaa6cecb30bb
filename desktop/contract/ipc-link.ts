// The renderer's tRPC link over the Electron carrier (window.arbitra.contract, see ipc-bridge.ts).
// tRPC v11 has no maintained IPC adapter (electron-trpc targets v10), and the carrier is three calls,
// so the link is this small file. Browser-safe: no Electron, no Node.
import { TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AnyTRPCRouter } from '@trpc/server';
import type { ContractBridge, ContractErrorPayload } from './ipc-bridge';

function clientError<R extends AnyTRPCRouter>(error: ContractErrorPayload): TRPCClientError<R> {
  return TRPCClientError.from<R>({ error } as never);
}

export function ipcLink<R extends AnyTRPCRouter>(bridge: ContractBridge): TRPCLink<R> {
  return () =>
    ({ op }) =>
      observable((observer) => {
        const operation = { type: op.type, path: op.path, input: op.input };
        if (op.type === 'subscription') {
          let stopped = false;
          const id = bridge.subscribe(operation, (event) => {
            if (stopped) return;
            if (event.kind === 'started') observer.next({ result: { type: 'started' } });
            else if (event.kind === 'data') observer.next({ result: { type: 'data', data: event.data as never } });
            else if (event.kind === 'error') {
              stopped = true;
              observer.error(clientError<R>(event.error));
            } else {
              stopped = true;
              observer.next({ result: { type: 'stopped' } });
              observer.complete();
            }
          });
          return () => {
            if (!stopped) bridge.unsubscribe(id);
            stopped = true;
          };
        }
        let cancelled = false;
        bridge.request(operation).then(
          (response) => {
            if (cancelled) return;
            if (response.ok) {
              observer.next({ result: { type: 'data', data: response.data as never } });
              observer.complete();
            } else observer.error(clientError<R>(response.error));
          },
          (cause: unknown) => {
            if (!cancelled) observer.error(TRPCClientError.from<R>(cause instanceof Error ? cause : new Error(String(cause))));
          },
        );
        return () => {
          cancelled = true;
        };
      });
}
