// A dossier exported offline by the workstation engine: synced from the real server, the case made
// available offline (evidence encrypted at rest), the network unplugged — and the PDF it writes is
// byte for byte the one the server's job renders for the same recipient. Without the evidence on
// the workstation it says which exhibits are missing; it never writes half a file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSyncedWorkstation, syncCaughtUp, type Workstation } from '../support/workstation';
import { sha256, stopServer, call } from '../server/evidence/support';
import { buildDemoLikeCase, type DemoLikeCase } from '../support/dossier-case';
import type { SyncEngine } from '../../desktop/main/sync-engine';
import { EvidenceCache, httpDownloader } from '../../desktop/main/evidence-cache';
import { FileKeyProvider } from '../../desktop/main/key-provider';
import { exportDossierOffline } from '../../desktop/main/dossier-export';
import { AppError } from '../../shared/errors';
import { translate } from '../../shared/i18n';
import type { DossierRecipient } from '../../shared/dossier/snapshot';

type Client = ReturnType<TestServer['client']>;

let server: TestServer;
let root: string;
let specialistToken: string;
let specialist: Client;
let demo: DemoLikeCase;
let engine: SyncEngine;
let cache: EvidenceCache;
let workstation: Workstation;

/** The specialist, as the server's dossiers.request makes them the recipient (their display name, the language asked for). */
const recipient = (): DossierRecipient => ({ kind: 'internal', userId: server.users.specialist.id, name: 'Test specialist', role: 'specialist', language: 'zh-CN' });

beforeAll(async () => {
  server = await startTestServer();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-dossier-export-'));
  specialistToken = await server.login('specialist');
  specialist = server.client(specialistToken);
  const legalToken = await server.login('legal');
  demo = await buildDemoLikeCase(
    server,
    { specialist, legal: server.client(legalToken), supervisor: server.client(await server.login('supervisor')), arbitrator: server.client(await server.login('arbitrator')), specialistToken, legalToken },
    { uid: 'uid-dossier-offline', arbitration: true },
  );

  // The specialist's workstation: registered, synced.
  const dataDir = path.join(root, 'workstation');
  workstation = await openSyncedWorkstation(server, dataDir, 'Dossier laptop');
  engine = workstation.engine;
  cache = new EvidenceCache(dataDir, new FileKeyProvider(dataDir));
}, 240_000);

afterAll(async () => {
  await engine?.close();
  await stopServer(server);
  if (root) fs.rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('a dossier exported offline by the workstation', () => {
  it('names the exhibits whose files are not on the workstation until the case is made available offline', async () => {
    const outFile = path.join(root, 'not-yet.pdf');
    const error = await exportDossierOffline({ db: engine.db, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect([e.kind, e.messageKey, e.field]).toEqual(['conflict', 'dossier.offline.not_available_offline', 'caseId']);
    expect(e.options.params?.exhibits).toBe(demo.exhibits.map((x) => x.exhibitNumber).sort((a, b) => (a[0] === b[0] ? Number(a.slice(2)) - Number(b.slice(2)) : a < b ? -1 : 1)).join(', '));
    expect(translate('zh-CN', e.messageKey, e.options.params)).toContain('离线可用');
    expect(fs.existsSync(outFile)).toBe(false);

    // An external recipient's copy needs redactions the workstation does not hold: the server makes it.
    const external = await exportDossierOffline({ db: engine.db, evidenceCache: cache, caseId: demo.caseId, recipient: { ...recipient(), kind: 'external' }, outFile }).catch((x: unknown) => x);
    expect(external).toMatchObject({ kind: 'bad_input', messageKey: 'dossier.offline.external_on_server' });
  });

  it('renders offline the same bytes as the server job for the same recipient', async () => {
    // "Make available offline": every exhibit the workstation holds for the case, with the device's own token.
    const local = await engine.db.selectFrom('exhibits').select(['id', 'blob_sha256']).where('case_id', '=', demo.caseId).execute();
    expect(local).toHaveLength(demo.exhibits.length);
    await cache.makeAvailableOffline(local.map((e) => ({ id: e.id, sha256: e.blob_sha256! })), httpDownloader(server.url, workstation.token));
    // The downloads are custody events on the server: the workstation pulls them like any change.
    await syncCaughtUp(engine, server.t.db);

    // Offline: the network is gone, the dossier is still made.
    workstation.network.online = false;
    const outFile = path.join(root, 'offline.pdf');
    const offline = await exportDossierOffline({ db: engine.db, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile });
    const bytes = fs.readFileSync(outFile);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(offline).toMatchObject({ file: outFile, sha256: sha256(bytes), size: bytes.length, exhibits: demo.exhibits.length, custody: 'not_recorded' });
    expect(fs.readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);

    // The server's job, for the same recipient (the specialist, in Chinese).
    const requested = await specialist.dossiers.request.mutate({ caseId: demo.caseId, language: 'zh-CN' });
    let status = requested;
    for (let i = 0; i < 2400 && status.status !== 'done' && status.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await specialist.dossiers.status.query({ dossierId: requested.id });
    }
    expect(status).toMatchObject({ status: 'done', error: null });
    const served = await call(server, 'GET', `/api/v1/dossiers/${requested.id}/pdf`, { token: specialistToken });
    expect(served.status).toBe(200);

    // THE check: the same snapshot, the same document ID, the same bytes.
    expect(status.snapshotSha256).toBe(offline.snapshotSha256);
    expect(status.documentId).toBe(offline.documentId);
    expect(sha256(served.body)).toBe(offline.sha256);
    expect(served.body.equals(bytes)).toBe(true);

    // Exporting again over the same file replaces it whole, with the same bytes.
    const again = await exportDossierOffline({ db: engine.db, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile });
    expect(again.sha256).toBe(offline.sha256);
    workstation.network.online = true;
  }, 300_000);

  it('says so when the case is not on the workstation, or the file cannot be written', async () => {
    const missing = await exportDossierOffline({ db: engine.db, evidenceCache: cache, caseId: '00000000-0000-4000-8000-000000000099', recipient: recipient(), outFile: path.join(root, 'x.pdf') }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: 'not_found', messageKey: 'dossier.offline.case_not_local' });
    const unwritable = await exportDossierOffline({ db: engine.db, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile: path.join(root, 'no-such-dir', 'x.pdf') }).catch((e: unknown) => e);
    expect(unwritable).toMatchObject({ kind: 'conflict', messageKey: 'dossier.offline.write_failed', field: 'outFile' });
  }, 120_000);
});
