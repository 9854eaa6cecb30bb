// A dossier exported offline by the workstation engine: synced from the real server, the case made
// available offline (evidence encrypted at rest), the network unplugged — and the PDF it writes is
// byte for byte the one the server's job renders for the same recipient. Without the evidence on
// the workstation it says which exhibits are missing; it never writes half a file. Each export is
// journaled (surviving a restart) and, at the next sync, lands on the server's audit chain and in
// the custody trail of its exhibits, which come back to the workstation with the pull.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSyncedWorkstation, registerSpecialistDevice, syncCaughtUp, type Workstation } from '../support/workstation';
import { sha256, stopServer, call, complaint, makePng, uploadOk } from '../server/evidence/support';
import { buildDemoLikeCase, type DemoLikeCase } from '../support/dossier-case';
import { SyncEngine } from '../../desktop/main/sync-engine';
import { EvidenceCache, httpDownloader } from '../../desktop/main/evidence-cache';
import { FileKeyProvider } from '../../desktop/main/key-provider';
import { exportDossierOffline } from '../../desktop/main/dossier-export';
import { AppError } from '../../shared/errors';
import { translate } from '../../shared/i18n';
import type { DossierRecipient } from '../../shared/dossier/snapshot';
import type { MutationArgs, MutationEnvelope } from '../../shared/sync/protocol';

type Client = ReturnType<TestServer['client']>;

let server: TestServer;
let root: string;
let specialistToken: string;
let specialist: Client;
let demo: DemoLikeCase;
let engine: SyncEngine;
let cache: EvidenceCache;
let workstation: Workstation;
let dataDir: string;
/** The offline export of the byte-identity test, and the server's own export of the same snapshot. */
let offline: Awaited<ReturnType<typeof exportDossierOffline>>;
let serverDossierId: string;

const exportsJournaled = async () => (await engine.pendingMutations()).filter((m) => m.name === 'recordDossierExport');

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
  dataDir = path.join(root, 'workstation');
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
    const error = await exportDossierOffline({ engine, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const e = error as AppError;
    expect([e.kind, e.messageKey, e.field]).toEqual(['conflict', 'dossier.offline.not_available_offline', 'caseId']);
    expect(e.options.params?.exhibits).toBe(demo.exhibits.map((x) => x.exhibitNumber).sort((a, b) => (a[0] === b[0] ? Number(a.slice(2)) - Number(b.slice(2)) : a < b ? -1 : 1)).join(', '));
    expect(translate('zh-CN', e.messageKey, e.options.params)).toContain('离线可用');
    expect(fs.existsSync(outFile)).toBe(false);

    // An external recipient's copy needs redactions the workstation does not hold: the server makes it.
    const external = await exportDossierOffline({ engine, evidenceCache: cache, caseId: demo.caseId, recipient: { ...recipient(), kind: 'external' }, outFile }).catch((x: unknown) => x);
    expect(external).toMatchObject({ kind: 'bad_input', messageKey: 'dossier.offline.external_on_server' });
    // Nothing was exported, so nothing goes to the custody trail.
    expect(await exportsJournaled()).toEqual([]);
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
    offline = await exportDossierOffline({ engine, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile });
    const bytes = fs.readFileSync(outFile);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(offline).toMatchObject({ file: outFile, sha256: sha256(bytes), size: bytes.length, exhibits: demo.exhibits.length, custody: 'queued' });
    expect(fs.readdirSync(root).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // Journaled for the custody trail, to go with the next sync.
    const journaled = await exportsJournaled();
    expect(journaled.map((m) => m.seq)).toEqual([offline.custodySeq]);
    expect(journaled[0]!.args).toEqual({
      caseId: demo.caseId,
      documentId: offline.documentId,
      snapshotSha256: offline.snapshotSha256,
      pdfSha256: offline.sha256,
      pdfSize: bytes.length,
      language: 'zh-CN',
      exhibitIds: expect.arrayContaining(demo.exhibits.map((e) => e.id)),
      exportedAt: expect.any(String),
    });
    expect(journaled[0]!.args.exhibitIds).toHaveLength(demo.exhibits.length);

    // The server's job, for the same recipient (the specialist, in Chinese).
    const requested = await specialist.dossiers.request.mutate({ caseId: demo.caseId, language: 'zh-CN' });
    let status = requested;
    for (let i = 0; i < 2400 && status.status !== 'done' && status.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await specialist.dossiers.status.query({ dossierId: requested.id });
    }
    expect(status).toMatchObject({ status: 'done', error: null });
    serverDossierId = requested.id;
    const served = await call(server, 'GET', `/api/v1/dossiers/${requested.id}/pdf`, { token: specialistToken });
    expect(served.status).toBe(200);

    // THE check: the same snapshot, the same document ID, the same bytes.
    expect(status.snapshotSha256).toBe(offline.snapshotSha256);
    expect(status.documentId).toBe(offline.documentId);
    expect(sha256(served.body)).toBe(offline.sha256);
    expect(served.body.equals(bytes)).toBe(true);

    // Exporting again over the same file replaces it whole, with the same bytes.
    const again = await exportDossierOffline({ engine, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile });
    expect(again.sha256).toBe(offline.sha256);
    // A second export is a second entry in the custody trail.
    expect((await exportsJournaled()).map((m) => m.seq)).toEqual([offline.custodySeq, again.custodySeq]);
    workstation.network.online = true;
  }, 300_000);

  it('says so when the case is not on the workstation, or the file cannot be written', async () => {
    const before = (await exportsJournaled()).length;
    const missing = await exportDossierOffline({ engine, evidenceCache: cache, caseId: '00000000-0000-4000-8000-000000000099', recipient: recipient(), outFile: path.join(root, 'x.pdf') }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: 'not_found', messageKey: 'dossier.offline.case_not_local' });
    const unwritable = await exportDossierOffline({ engine, evidenceCache: cache, caseId: demo.caseId, recipient: recipient(), outFile: path.join(root, 'no-such-dir', 'x.pdf') }).catch((e: unknown) => e);
    expect(unwritable).toMatchObject({ kind: 'conflict', messageKey: 'dossier.offline.write_failed', field: 'outFile' });
    // No file, no custody entry.
    expect(await exportsJournaled()).toHaveLength(before);
  }, 120_000);
});

describe('the custody trail of a dossier exported offline', () => {
  type AuditRow = { seq: string; action: string; case_id: string | null; entity: string | null; entity_id: string | null; actor_id: string | null; details: Record<string, any> };
  const auditOf = async (action: string) =>
    (await server.t.db.selectFrom('audit_log').select(['seq', 'action', 'case_id', 'entity', 'entity_id', 'actor_id', 'details']).where('action', '=', action).where('case_id', '=', demo.caseId).orderBy('seq').execute()) as AuditRow[];

  it('is journaled across a restart and recorded by the server at the next sync, then pulled back into custody_entries', async () => {
    const pending = await exportsJournaled();
    expect(pending).toHaveLength(2);
    expect(await auditOf('dossier.exported_offline')).toEqual([]);

    // The workstation stops before it could sync (the journal is fsync'd; the local store is a cache).
    await engine.close();
    engine = await SyncEngine.open({ dataDir, identity: engine.identity, transport: workstation.network, online: false });
    expect((await exportsJournaled()).map((m) => m.seq)).toEqual(pending.map((m) => m.seq));

    const synced = await syncCaughtUp(engine, server.t.db);
    expect(synced.pushed).toEqual({ applied: 2, rejected: 0 });
    expect(await exportsJournaled()).toEqual([]);
    expect(await engine.rejections()).toEqual([]);

    // The export itself: who, from which device, which file.
    const exported = await auditOf('dossier.exported_offline');
    expect(exported).toHaveLength(2);
    for (const [i, e] of exported.entries())
      expect(e).toMatchObject({
        entity: 'cases',
        entity_id: demo.caseId,
        actor_id: server.users.specialist.id,
        details: {
          sha256: offline.sha256,
          size: offline.size,
          documentId: offline.documentId,
          snapshotSha256: offline.snapshotSha256,
          exhibits: demo.exhibits.length,
          recipient: { kind: 'internal', userId: server.users.specialist.id, role: 'specialist', language: 'zh-CN' },
          offline: true,
          deviceId: workstation.deviceId,
          exportedAt: pending[i]!.args.exportedAt,
        },
      });

    // One custody export per exhibit and export, the same as the server's own export of the same
    // dossier but for the dossier row it has none of, and where and when it was made.
    const custody = await auditOf('custody.export');
    const serverExports = custody.filter((c) => c.details.dossierId === serverDossierId);
    const offlineExports = custody.filter((c) => c.details.offline === true);
    expect(serverExports).toHaveLength(demo.exhibits.length);
    expect(offlineExports).toHaveLength(2 * demo.exhibits.length);
    for (const [i, m] of pending.entries()) {
      const ofThis = offlineExports.filter((c) => c.details.exportedAt === m.args.exportedAt);
      expect(ofThis.map((c) => c.entity_id).sort()).toEqual(demo.exhibits.map((e) => e.id).sort());
      for (const c of ofThis) {
        const own = serverExports.find((s) => s.entity_id === c.entity_id)!;
        const { dossierId: _ownRow, ...same } = own.details;
        expect(c.entity, `export ${i}`).toBe('exhibits');
        expect(c.details).toEqual({ ...same, offline: true, deviceId: workstation.deviceId, exportedAt: m.args.exportedAt });
        expect(c.details).toMatchObject({ format: 'dossier', documentId: offline.documentId, dossierSha256: offline.sha256 });
      }
    }

    // The custody trail travels to the workstation like any change: the entries are there, as the chain has them.
    const local = await engine.db.selectFrom('custody_entries').selectAll().where('case_id', '=', demo.caseId).where('action', '=', 'custody.export').execute();
    const localBySeq = new Map(local.map((r) => [String(r.seq), r]));
    for (const c of offlineExports) {
      const row = localBySeq.get(c.seq);
      expect(row, `custody entry ${c.seq}`).toBeDefined();
      expect(row).toMatchObject({ exhibit_id: c.entity_id, action: 'custody.export', details: c.details });
    }
  }, 120_000);

  it('is refused by the server, with its reason, for an exhibit of another case or a malformed record', async () => {
    // A small case of the specialist's own with one exhibit.
    const other = await specialist.cases.create.mutate(complaint('uid-dossier-offline-other') as Parameters<Client['cases']['create']['mutate']>[0]);
    const stranger = await uploadOk(server, specialistToken, other.id, makePng(40, 30), { fileName: 'other.png', type: 'image' });
    const good: MutationArgs<'recordDossierExport'> = {
      caseId: demo.caseId,
      documentId: offline.documentId,
      snapshotSha256: offline.snapshotSha256,
      pdfSha256: offline.sha256,
      pdfSize: offline.size,
      language: 'zh-CN',
      exhibitIds: [demo.exhibits[0]!.id, stranger.id],
      exportedAt: new Date().toISOString(),
    };
    const before = (await auditOf('dossier.exported_offline')).length;
    const custodyBefore = (await auditOf('custody.export')).length;

    // Journaled on the workstation (it cannot know whose exhibit that is), refused by the server.
    const { seq } = await engine.mutate('recordDossierExport', good);
    const synced = await syncCaughtUp(engine, server.t.db);
    expect(synced.pushed).toEqual({ applied: 0, rejected: 1 });
    const [rejection] = await engine.rejections();
    expect(rejection).toMatchObject({ seq, name: 'recordDossierExport', messageKey: 'dossier.offline.exhibit_not_in_case', field: 'exhibitIds.1', params: { exhibitId: stranger.id } });
    expect(translate('zh-CN', rejection!.messageKey, rejection!.params)).toContain('不属于本案件');
    expect(translate('en', rejection!.messageKey, rejection!.params)).toContain(stranger.id);
    await engine.dismissRejection(seq);
    // Nothing of it on the chain: not the export, not the one exhibit that was the case's.
    expect(await auditOf('dossier.exported_offline')).toHaveLength(before);
    expect(await auditOf('custody.export')).toHaveLength(custodyBefore);

    // A record that is not well formed never gets past the workstation's own check ...
    const local = await engine.mutate('recordDossierExport', { ...good, exhibitIds: [demo.exhibits[0]!.id], pdfSha256: 'F'.repeat(64) }).catch((e: unknown) => e);
    expect(local).toMatchObject({ kind: 'bad_input', messageKey: 'validation.sha256_format' });

    // ... and the server checks it again: pushed as is from another device, each is rejected naming the field.
    const device = await registerSpecialistDevice(server, 'Second laptop');
    const raw = (n: number, args: Record<string, unknown>): MutationEnvelope => ({ seq: n, name: 'recordDossierExport', args, createdAt: new Date().toISOString() });
    const ok = { ...good, exhibitIds: [demo.exhibits[0]!.id] };
    const pushed = await device.network.push({
      deviceId: device.deviceId,
      mutations: [
        raw(1, { ...ok, pdfSha256: 'F'.repeat(64) }),
        raw(2, { ...ok, documentId: 'DOS-0000-0000-0000-0000' }),
        raw(3, { ...ok, exhibitIds: [ok.exhibitIds[0], ok.exhibitIds[0]] }),
        raw(4, { ...ok, pdfSize: 0 }),
        raw(5, { ...ok, deviceId: workstation.deviceId }),
        raw(6, { ...ok, caseId: '00000000-0000-4000-8000-000000000099' }),
      ],
    });
    const reasons = pushed.outcomes.map((o) => [o.seq, o.status, o.reason?.messageKey, o.reason?.field]);
    expect(reasons).toEqual([
      [1, 'rejected', 'validation.sha256_format', 'pdfSha256'],
      [2, 'rejected', 'validation.dossier_id_mismatch', 'documentId'],
      [3, 'rejected', 'validation.duplicate_exhibit', 'exhibitIds.1'],
      [4, 'rejected', 'validation.too_small', 'pdfSize'],
      [5, 'rejected', 'validation.unknown_field', 'deviceId'],
      [6, 'rejected', 'error.case_not_found', 'caseId'],
    ]);
    for (const o of pushed.outcomes) expect(translate('zh-CN', o.reason!.messageKey, o.reason!.params)).not.toBe(o.reason!.messageKey);
    expect(await auditOf('dossier.exported_offline')).toHaveLength(before);
  }, 120_000);
});
