// The renderer's tests talk to a real workstation: the engine (desktop/main/workstation) over its own
// data directory, behind the real contract router, reached in-process through tRPC's local link, and,
// where a test needs cases, synced from a real test server on real Postgres. Nothing here is a fake
// engine; only the carrier (IPC or loopback HTTP) is replaced by the in-process link.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, unstable_localLink } from '@trpc/client';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { workstationRouter, type WorkstationRouter } from '../../desktop/main/contract/router';
import { createContractRuntime } from '../../desktop/main/contract/runtime';
import { openWorkstation, type Workstation } from '../../desktop/main/workstation';
import { FileKeyProvider } from '../../desktop/main/key-provider';
import { provideContract } from '../../desktop/renderer/src/contract';
import type { ContractClient } from '../../desktop/renderer/src/contract/client';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { validComplaint } from '../support/intake';

export interface RendererWorkstation {
  engine: Workstation;
  client: ContractClient;
  dataDir: string;
  close(): Promise<void>;
}

/** A workstation engine over a fresh data directory, its contract client provided to the renderer. */
export async function openRendererWorkstation(serverUrl: string): Promise<RendererWorkstation> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-renderer-'));
  const engine = await openWorkstation({ dataDir, serverUrl, keys: new FileKeyProvider(dataDir), shell: 'browser', syncIntervalMs: 200 });
  const runtime = createContractRuntime(engine, { logError: () => undefined });
  const client = createTRPCClient<WorkstationRouter>({
    links: [unstable_localLink({ router: workstationRouter, createContext: async () => runtime.context() })],
  }) as unknown as ContractClient;
  provideContract(client);
  return {
    engine,
    client,
    dataDir,
    async close() {
      runtime.close();
      await engine.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function freshPinia(): Pinia {
  const pinia = createPinia();
  setActivePinia(pinia);
  return pinia;
}

/** Waits until `check` holds (polling), or fails with `what`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface ServedWorkstation extends RendererWorkstation {
  server: TestServer;
  caseIds: string[];
}

/** A test server with `cases` complaints, and a specialist's workstation signed in and synced with it. */
export async function servedWorkstation(cases: Record<string, unknown>[] = []): Promise<ServedWorkstation> {
  const server = await startTestServer();
  const token = await server.login('specialist');
  const api = server.client(token);
  const caseIds: string[] = [];
  for (const c of cases) {
    const created = (await api.cases.create.mutate(validComplaint(c) as never)) as { id: string };
    caseIds.push(created.id);
  }
  const ws = await openRendererWorkstation(server.url);
  await ws.client.session.signIn.mutate({ email: server.users.specialist.email, password: TEST_PASSWORD, deviceName: 'Renderer test' });
  await until(async () => (await ws.client.queue.list.query({})).total >= caseIds.length, 'the cases to sync');
  return {
    ...ws,
    server,
    caseIds,
    async close() {
      await ws.close();
      await server.close();
    },
  };
}
