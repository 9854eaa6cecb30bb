// A workstation synced from a real test server: the specialist's device registered through the API,
// its local store (PGlite) seeded and opened by the sync engine, behind a network that can be
// unplugged, and a sync that waits until the pull has seen everything the server began by then.
import { sql, type Kysely } from 'kysely';
import { TEST_PASSWORD, type TestServer } from './server';
import { SyncEngine, type SyncTransport } from '../../desktop/main/sync-engine';
import { HttpTransport } from '../../desktop/main/http-transport';
import { getMeta } from '../../desktop/main/store/meta';
import type { PullInput, PushInput } from '../../shared/sync/protocol';
import { seedDataDir } from '../desktop/sync-harness';

/** The device's transport, with a network that can be unplugged. */
export class Network implements SyncTransport {
  online = true;
  constructor(readonly http: HttpTransport) {}
  push(input: PushInput) {
    return this.online ? this.http.push(input) : Promise.reject(new Error('offline'));
  }
  pull(input: PullInput) {
    return this.online ? this.http.pull(input) : Promise.reject(new Error('offline'));
  }
}

export interface Workstation {
  engine: SyncEngine;
  network: Network;
  deviceId: string;
  /** The device's own credential. */
  token: string;
}

/** First login on a workstation: the specialist signs in as a device and registers it under `name`; the device keeps its own credential. */
export async function registerSpecialistDevice(server: TestServer, name: string): Promise<{ deviceId: string; token: string; network: Network }> {
  const login = await server.client().auth.login.mutate({ email: server.users.specialist.email, password: TEST_PASSWORD, kind: 'device' });
  const { deviceId, token } = await server.client(login.token).sync.registerDevice.mutate({ name, platform: 'linux' });
  return { deviceId, token, network: new Network(new HttpTransport(server.url, token)) };
}

/**
 * The specialist's workstation: a device registered under `name` (registerSpecialistDevice), its
 * local store seeded in `dataDir` and opened, and synced with the server (syncCaughtUp).
 */
export async function openSyncedWorkstation(server: TestServer, dataDir: string, name: string): Promise<Workstation> {
  const { deviceId, token, network } = await registerSpecialistDevice(server, name);
  await seedDataDir(dataDir);
  const engine = await SyncEngine.open({ dataDir, identity: { deviceId, userId: server.users.specialist.id, role: 'specialist' }, transport: network });
  await syncCaughtUp(engine, server.t.db);
  return { engine, network, deviceId, token };
}

/**
 * engine.sync(), then pulls until the cursor passes every transaction begun by then: other test
 * files share this Postgres, and a transaction of theirs still open holds every pull's horizon back.
 */
export async function syncCaughtUp(engine: SyncEngine, serverDb: Kysely<any>) {
  const r = await engine.sync();
  const target = BigInt((await sql<{ xmax: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(serverDb)).rows[0]!.xmax);
  const deadline = Date.now() + 30_000;
  for (let i = 0; Date.now() < deadline; i++) {
    const cursor = await getMeta<string>(engine.db, 'cursor');
    if (cursor && BigInt(cursor.split(':')[0]!) >= target) return r;
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * (i + 1))));
    const more = await engine.pull();
    r.pulled.changes += more.changes;
    r.pulled.dropped += more.dropped;
  }
  throw new Error(`the pull cursor did not reach ${target}`);
}
