// The renderer's one way to the engine: a tRPC client of the workstation contract. In the Electron app
// the preload exposes the IPC carrier (window.arbitra.contract); in browser mode the same router is
// served on loopback HTTP, with the subscription over SSE.
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCLink } from '@trpc/client';
import type { WorkstationRouter } from '../../../main/contract/router';

import { CONTRACT_HEADER, CONTRACT_PATH } from '../../../contract/http-constants';

export { CONTRACT_HEADER, CONTRACT_PATH };

function browserLinks(): TRPCLink<WorkstationRouter>[] {
  const url = `${window.location.origin}${CONTRACT_PATH}`;
  return [
    splitLink({
      condition: (op) => op.type === 'subscription',
      true: httpSubscriptionLink({ url, eventSourceOptions: () => ({ withCredentials: true }) }),
      false: httpBatchLink({ url, headers: () => ({ [CONTRACT_HEADER]: '1' }), fetch: (input, init) => fetch(input, { ...init, credentials: 'same-origin' }) }),
    }),
  ];
}

export type ContractClient = ReturnType<typeof createTRPCClient<WorkstationRouter>>;

/** `ipc`: the link over the preload's IPC carrier in the Electron app; browser mode when absent. */
export function createContractClient(ipc?: TRPCLink<WorkstationRouter> | null): ContractClient {
  return createTRPCClient<WorkstationRouter>({ links: ipc ? [ipc] : browserLinks() });
}
