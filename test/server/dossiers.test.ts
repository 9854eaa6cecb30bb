// PDF dossiers on the real server: a request queues a job on pg-boss (same Postgres), a worker
// thread renders it while the API keeps answering, the requester follows its progress and
// downloads it, the audit chain holds its SHA-256 and every exhibit's custody trail its export,
// `npm run verify-dossier` recognises the file and spots a changed byte, and the redacted copy
// for the accepted arbitrator is theirs alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { call, makePng, sha256, stopServer, uploadOk, complaint, blobPath } from './evidence/support';
import { buildDemoLikeCase, type DemoLikeCase } from '../support/dossier-case';
import { createSession } from '../../server/src/auth/session.service';
import { hashPassword } from '../../server/src/auth/password';
import { verifyAuditChain } from '../../server/src/audit/audit.service';
import { snapshotHash, type DossierSnapshot } from '../../shared/dossier/snapshot';
import { dossierRendererFingerprint } from '../../shared/pdf/renderer-fingerprint';
import { DOSSIER_RENDERER_VERSION } from '../../shared/dossier/version';
import { registerSpecialistDevice } from '../support/workstation';
import { sql } from 'kysely';

type Client = ReturnType<TestServer['client']>;
type Status = Awaited<ReturnType<Client['dossiers']['status']['query']>>;

const ROOT = path.resolve(__dirname, '../..');

let server: TestServer;
let specialist: Client;
let legal: Client;
let supervisor: Client;
let arbitrator: Client;
let otherArbitrator: Client;
let tokens: Record<'specialist' | 'legal' | 'supervisor' | 'arbitrator' | 'admin' | 'otherArbitrator', string>;
let demo: DemoLikeCase;
let scratch: string;

/** Polls the status until the dossier is done or failed, keeping every progress value seen. */
async function untilFinished(client: Client, dossierId: string, seen: number[] = []): Promise<Status> {
  for (let i = 0; i < 2400; i++) {
    const s = await client.dossiers.status.query({ dossierId });
    seen.push(s.progress);
    if (s.status === 'done' || s.status === 'failed') return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`dossier ${dossierId} did not finish`);
}

async function download(token: string | null, dossierId: string) {
  return call(server, 'GET', `/api/v1/dossiers/${dossierId}/pdf`, { token });
}

function verifyDossierCli(file: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/cli/verify-dossier.ts'), file], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: server.t.url, ARBITRA_DATA_DIR: server.dataDir, ARBITRA_LANGUAGE: 'en', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  server = await startTestServer();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-dossiers-'));
  // A second arbitrator, on the roster but not on this case.
  const other = await server.t.db
    .insertInto('users')
    .values({ email: 'arbitrator2@example.test', display_name: 'Other arbitrator', role: 'arbitrator', password_hash: await hashPassword('irrelevant password 1'), totp_secret: null, totp_enabled_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const session = (userId: string) => createSession(server.t.db, { userId, kind: 'browser', totpVerified: true, ip: '127.0.0.1', userAgent: 'dossier test' }).then((s) => s.token);
  tokens = {
    specialist: await session(server.users.specialist.id),
    legal: await session(server.users.legal.id),
    supervisor: await session(server.users.supervisor.id),
    arbitrator: await session(server.users.arbitrator.id),
    admin: await session(server.users.admin.id),
    otherArbitrator: await session(other.id),
  };
  specialist = server.client(tokens.specialist);
  legal = server.client(tokens.legal, 'zh-CN');
  supervisor = server.client(tokens.supervisor);
  arbitrator = server.client(tokens.arbitrator);
  otherArbitrator = server.client(tokens.otherArbitrator);
  demo = await buildDemoLikeCase(server, { specialist, legal, supervisor, arbitrator, specialistToken: tokens.specialist, legalToken: tokens.legal }, { uid: 'uid-dossier-1', arbitration: true });
}, 180_000);

afterAll(async () => {
  await stopServer(server);
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
}, 60_000);

describe('a dossier rendered by the server job', () => {
  let dossier: Status;
  let pdf: Buffer;
  const seen: number[] = [];

  it('renders in a worker thread while the API keeps answering, and reports its progress', async () => {
    const requested = await legal.dossiers.request.mutate({ caseId: demo.caseId, language: 'zh-CN' });
    expect(requested).toMatchObject({ caseId: demo.caseId, status: 'queued', progress: 0, language: 'zh-CN', recipient: { kind: 'internal', userId: server.users.legal.id, name: 'Test legal' }, sha256: null });
    expect(requested.documentId).toMatch(/^DOS-[0-9A-F]{4}(-[0-9A-F]{4}){3}$/);

    // While the job renders, other calls are answered: each one below returns while the dossier is
    // still rendering (checked after it returned), so the server's event loop was free meanwhile.
    let answeredWhileRendering = 0;
    for (let i = 0; i < 2400; i++) {
      const before = await legal.dossiers.status.query({ dossierId: requested.id });
      seen.push(before.progress);
      if (before.status === 'done' || before.status === 'failed') break;
      if (before.status === 'rendering') {
        const health = await fetch(`${server.url}/healthz`);
        const cases = await specialist.cases.list.query({});
        const after = await legal.dossiers.status.query({ dossierId: requested.id });
        seen.push(after.progress);
        if (health.status === 200 && cases.cases.length > 0 && after.status === 'rendering') answeredWhileRendering++;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    dossier = await untilFinished(legal, requested.id, seen);
    expect(dossier.error).toBeNull();
    expect(dossier).toMatchObject({ status: 'done', progress: 100, documentId: requested.documentId, downloadPath: `/api/v1/dossiers/${requested.id}/pdf` });
    expect(dossier.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(answeredWhileRendering).toBeGreaterThan(0);
    // Progress was reported along the way, never backwards within the attempt.
    const between = seen.filter((p) => p > 0 && p < 100);
    expect(between.length).toBeGreaterThan(0);
    expect(seen.filter((p, i) => i > 0 && p < seen[i - 1]!)).toEqual([]);

    const rendered = await server.t.db.selectFrom('audit_log').select('details').where('action', '=', 'dossier.rendered').where('entity_id', '=', requested.id).executeTakeFirstOrThrow();
    console.log(`dossier of the demo-like case: ${dossier.size} bytes, rendered in the worker in ${(rendered.details as { renderMs: number }).renderMs} ms`);
  }, 300_000);

  it('is downloaded by its requester, with a safe file name, and the download is audited', async () => {
    const res = await download(tokens.legal, dossier.id);
    expect(res.status).toBe(200);
    pdf = res.body;
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha256(pdf)).toBe(dossier.sha256);
    expect(res.headers['x-content-sha256']).toBe(dossier.sha256);
    expect(Number(res.headers['content-length'])).toBe(pdf.length);
    const disposition = res.headers['content-disposition']!;
    // An ASCII fallback (the Chinese replaced) and the real name in UTF-8.
    expect(disposition).toMatch(new RegExp(`^attachment; filename="${demo.caseNumber} _+ ${dossier.documentId}\\.pdf"; filename\\*=UTF-8''`));
    expect(decodeURIComponent(disposition.split("filename*=UTF-8''")[1]!)).toBe(`${demo.caseNumber} 案件卷宗 ${dossier.documentId}.pdf`);
    expect(disposition).not.toMatch(/[^\x20-\x7e]/);

    const audited = await server.t.db.selectFrom('audit_log').select(['actor_id', 'details']).where('action', '=', 'dossier.downloaded').where('entity_id', '=', dossier.id).execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor_id: server.users.legal.id, details: { sha256: dossier.sha256, documentId: dossier.documentId } });

    // A supervisor may download it too; it is listed for those who see the case.
    expect((await download(tokens.supervisor, dossier.id)).status).toBe(200);
    const listed = await specialist.dossiers.list.query({ caseId: demo.caseId });
    expect(listed.dossiers.map((d) => [d.id, d.status, d.downloadPath])).toEqual([[dossier.id, 'done', null]]);
  });

  it('is refused to everyone else, without saying it exists', async () => {
    // A specialist of the case who did not request it, the arbitrator (an internal copy), a stranger.
    for (const token of [tokens.specialist, tokens.arbitrator, tokens.otherArbitrator]) {
      const res = await download(token, dossier.id);
      expect(res.status).toBe(404);
      expect(res.json.error).toMatchObject({ messageKey: 'dossier.not_found', field: 'dossierId' });
    }
    expect((await download(tokens.admin, dossier.id)).status).toBe(403);
    expect((await download(null, dossier.id)).status).toBe(401);
    expect(await failure(specialist.dossiers.status.query({ dossierId: dossier.id }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'dossier.not_found', field: 'dossierId' });
    expect(await failure(otherArbitrator.dossiers.status.query({ dossierId: dossier.id }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'dossier.not_found' });
  });

  it('puts its SHA-256 on the audit chain and an export in the custody trail of every exhibit it carries, after its snapshot', async () => {
    const rendered = await server.t.db.selectFrom('audit_log').selectAll().where('action', '=', 'dossier.rendered').where('entity_id', '=', dossier.id).execute();
    expect(rendered).toHaveLength(1);
    expect(rendered[0]).toMatchObject({ case_id: demo.caseId, entity: 'dossiers', actor_id: server.users.legal.id, details: { sha256: sha256(pdf), documentId: dossier.documentId } });

    const row = await server.t.db.selectFrom('dossiers').selectAll().where('id', '=', dossier.id).executeTakeFirstOrThrow();
    const snapshot = row.snapshot as unknown as DossierSnapshot;
    expect(snapshotHash(snapshot)).toBe(row.snapshot_sha256);
    // The internal copy carries every exhibit, the internal-only one too.
    expect(snapshot.exhibits.map((e) => e.id).sort()).toEqual(demo.exhibits.map((e) => e.id).sort());
    for (const e of demo.exhibits) {
      const trail = await legal.evidence.get.query({ exhibitId: e.id });
      const exports = trail.custody.filter((c) => c.action === 'export' && (c.details as { dossierId?: string }).dossierId === dossier.id);
      expect(exports, e.exhibitNumber).toHaveLength(1);
      expect(exports[0]!.details).toMatchObject({ format: 'dossier', dossierSha256: dossier.sha256, exhibitNumber: e.exhibitNumber, recipient: { kind: 'internal', userId: server.users.legal.id } });
      // Its synced copy travels to workstations with the case.
      const copied = await server.t.db.selectFrom('custody_entries').select('action').where('exhibit_id', '=', e.id).where('action', '=', 'custody.export').execute();
      expect(copied.length).toBeGreaterThan(0);
    }
    // The snapshot was taken before: the dossier does not list its own export.
    expect(snapshot.custody.filter((c) => (c.details as { dossierId?: string }).dossierId === dossier.id)).toEqual([]);
    expect((await verifyAuditChain(server.t.db)).ok).toBe(true);
  });

  it('verify-dossier: the downloaded file matches; with one byte changed it does not, and says where', async () => {
    const good = path.join(scratch, 'dossier.pdf');
    fs.writeFileSync(good, pdf);
    const match = verifyDossierCli(good);
    expect(match.stderr).toBe('');
    expect(match.stdout).toContain(`MATCH: ${good} is dossier ${dossier.documentId} of case ${demo.caseNumber}`);
    expect(match.code).toBe(0);

    // One byte in the middle of the file (page content, not the document ID in the metadata).
    const altered = Buffer.from(pdf);
    const at = Math.floor(altered.length / 2);
    altered[at] = altered[at]! ^ 0x01;
    const bad = path.join(scratch, 'altered.pdf');
    fs.writeFileSync(bad, altered);
    const mismatch = verifyDossierCli(bad);
    expect(mismatch.stdout).toContain(`MISMATCH: ${bad} is not a true copy of dossier ${dossier.documentId}`);
    expect(mismatch.stdout).toContain(`The first differing byte is at offset ${at}`);
    expect(mismatch.code).toBe(1);
  }, 180_000);

  it('records the renderer that made it (version, pdfkit, fonts) and returns it with its status', async () => {
    const renderer = dossierRendererFingerprint();
    expect(renderer).toMatch(new RegExp(`^${DOSSIER_RENDERER_VERSION} \\(pdfkit \\d+\\.\\d+\\.\\d+; fonts [0-9a-f]{16}\\)$`));
    expect(dossier.renderer).toBe(renderer);
    expect((await legal.dossiers.status.query({ dossierId: dossier.id })).renderer).toBe(renderer);
    const row = await server.t.db.selectFrom('dossiers').select('renderer').where('id', '=', dossier.id).executeTakeFirstOrThrow();
    expect(row.renderer).toBe(renderer);
    const rendered = await server.t.db.selectFrom('audit_log').select('details').where('action', '=', 'dossier.rendered').where('entity_id', '=', dossier.id).executeTakeFirstOrThrow();
    expect(rendered.details).toMatchObject({ renderer });
    // The renderer's version is in the PDF's metadata.
    expect(pdf.toString('latin1')).toContain(`Arbitra dossier renderer ${DOSSIER_RENDERER_VERSION}`);
  });

  it('verify-dossier: a dossier made by another renderer verifies as the issued file by its hash and the audit chain; one changed byte still fails', async () => {
    const current = dossierRendererFingerprint();
    const older = '1 (pdfkit 0.20.1; fonts 0123456789abcdef)';
    const setRenderer = (renderer: string | null) => server.t.db.updateTable('dossiers').set({ renderer }).where('id', '=', dossier.id).execute();
    const good = path.join(scratch, 'dossier-older-renderer.pdf');
    fs.writeFileSync(good, pdf);
    const altered = Buffer.from(pdf);
    const at = Math.floor(altered.length / 3);
    altered[at] = altered[at]! ^ 0x01;
    const bad = path.join(scratch, 'dossier-older-renderer-altered.pdf');
    fs.writeFileSync(bad, altered);
    try {
      await setRenderer(older);
      const match = verifyDossierCli(good);
      expect(match.stderr).toBe('');
      expect(match.stdout).toContain(`MATCH (issued file): ${good} is dossier ${dossier.documentId} of case ${demo.caseNumber}`);
      expect(match.stdout).toContain(`SHA-256 ${dossier.sha256}`);
      expect(match.stdout).toContain(`made by renderer ${older} and this build is renderer ${current}, so it is not reproducible here`);
      expect(match.stdout).toContain('the chain verifies up to it');
      expect(match.code).toBe(0);
      const zh = verifyDossierCli(good, { ARBITRA_LANGUAGE: 'zh-CN' });
      expect(zh.stdout).toContain('一致（签发的文件）');
      expect(zh.code).toBe(0);

      const mismatch = verifyDossierCli(bad);
      expect(mismatch.stdout).toContain(`MISMATCH: ${bad} is not a true copy of dossier ${dossier.documentId}`);
      expect(mismatch.stdout).toContain(`It was not rendered again: the dossier was made by renderer ${older}`);
      expect(mismatch.stdout).toContain(`The first differing byte is at offset ${at}`);
      expect(mismatch.code).toBe(1);

      // A dossier from before renderers were recorded.
      await setRenderer(null);
      const unrecorded = verifyDossierCli(good);
      expect(unrecorded.stdout).toContain(`MATCH (issued file)`);
      expect(unrecorded.stdout).toContain(`made by renderer unrecorded`);
      expect(unrecorded.code).toBe(0);
    } finally {
      await setRenderer(current);
    }
  }, 240_000);

  it('verify-dossier: a file exported offline on a workstation matches by the hash its recordDossierExport put on the audit chain', async () => {
    // The workstation's file: here a stand-in with bytes of its own (a real one is made in test/desktop/dossier-export.test.ts).
    const file = Buffer.concat([pdf, Buffer.from(`%offline export ${randomUUID()}\n`, 'latin1')]);
    const offlinePath = path.join(scratch, 'offline.pdf');
    fs.writeFileSync(offlinePath, file);
    const before = verifyDossierCli(offlinePath);
    expect(before.stdout).not.toContain('MATCH (exported offline');
    expect(before.code).toBe(1);

    const device = await registerSpecialistDevice(server, 'Verify laptop');
    const exportedAt = new Date().toISOString();
    const pushed = await device.network.push({
      deviceId: device.deviceId,
      mutations: [
        {
          seq: 1,
          name: 'recordDossierExport',
          args: {
            caseId: demo.caseId,
            documentId: dossier.documentId,
            snapshotSha256: dossier.snapshotSha256,
            pdfSha256: sha256(file),
            pdfSize: file.length,
            language: 'en',
            exhibitIds: [demo.exhibits[0]!.id],
            exportedAt,
          },
          createdAt: exportedAt,
        },
      ],
    });
    expect(pushed.outcomes.map((o) => o.status)).toEqual(['applied']);
    const entry = await server.t.db.selectFrom('audit_log').select(['seq', 'at']).where('action', '=', 'dossier.exported_offline').where(sql<string>`details->>'sha256'`, '=', sha256(file)).executeTakeFirstOrThrow();

    const match = verifyDossierCli(offlinePath);
    expect(match.stderr).toBe('');
    expect(match.stdout).toContain(`MATCH (exported offline on device Verify laptop (${device.deviceId}), recorded at ${new Date(entry.at).toISOString()})`);
    expect(match.stdout).toContain(`is dossier ${dossier.documentId} of case ${demo.caseNumber}, exported on the workstation at ${exportedAt}`);
    expect(match.code).toBe(0);
    const zh = verifyDossierCli(offlinePath, { ARBITRA_LANGUAGE: 'zh-CN' });
    expect(zh.stdout).toContain(`一致（在设备 Verify laptop (${device.deviceId}) 上离线导出`);
    expect(zh.code).toBe(0);
  }, 240_000);

  it('verify-dossier: clear, translated errors for a missing, unreadable or non-PDF argument', async () => {
    const text = path.join(scratch, 'notes.txt');
    fs.writeFileSync(text, 'not a dossier');
    const cases: [string[], RegExp][] = [
      [[path.join(scratch, 'nope.pdf')], /没有文件/],
      [[scratch], /无法读取文件/],
      [[text], /不是 PDF 文件/],
    ];
    for (const [args, expected] of cases) {
      const r = verifyDossierCli(args[0]!, { ARBITRA_LANGUAGE: 'zh-CN' });
      expect(r.stderr).toMatch(expected);
      expect(r.code).toBe(2);
    }
    const english = verifyDossierCli(text);
    expect(english.stderr).toContain('is not a PDF (it does not begin with %PDF-)');
  }, 120_000);
});

describe('the redacted dossier for an external recipient', () => {
  it('is requested and read by the arbitrator who accepted the case after disclosure, in their name', async () => {
    const requested = await arbitrator.dossiers.requestExternal.mutate({ caseId: demo.caseId });
    expect(requested.recipient).toMatchObject({ kind: 'external', userId: server.users.arbitrator.id, name: 'Test arbitrator' });
    const done = await untilFinished(arbitrator, requested.id);
    expect(done).toMatchObject({ status: 'done', error: null });
    const res = await download(tokens.arbitrator, requested.id);
    expect(res.status).toBe(200);
    expect(sha256(res.body)).toBe(done.sha256);

    // What it carries: no internal-only exhibit, no internal notes, the phone number cut from the chat.
    const row = await server.t.db.selectFrom('dossiers').selectAll().where('id', '=', requested.id).executeTakeFirstOrThrow();
    const snapshot = row.snapshot as unknown as DossierSnapshot;
    expect(row.recipient_kind).toBe('external');
    expect(snapshot.recipient).toMatchObject({ kind: 'external', name: 'Test arbitrator' });
    expect(snapshot.exhibits.map((e) => e.exhibitNumber)).toEqual(demo.exhibits.filter((e) => !e.internalOnly).map((e) => e.exhibitNumber).sort((a, b) => (a[0] === b[0] ? Number(a.slice(2)) - Number(b.slice(2)) : a < b ? -1 : 1)));
    expect(snapshot.notes).toEqual([]);
    expect(JSON.stringify(snapshot)).not.toContain('8123 4567');
    // Its custody exports name the external recipient.
    const externalExports = (await server.t.db.selectFrom('audit_log').select(['entity_id', 'details']).where('action', '=', 'custody.export').execute()).filter(
      (r) => (r.details as { dossierId?: string }).dossierId === requested.id,
    );
    expect(externalExports.map((r) => r.entity_id).sort()).toEqual(demo.exhibits.filter((e) => !e.internalOnly).map((e) => e.id).sort());
    expect(externalExports[0]!.details).toMatchObject({ recipient: { kind: 'external', userId: server.users.arbitrator.id } });

    // Nobody else's: an arbitrator not on the case, and the handlers' own roles are not external recipients.
    expect(await failure(otherArbitrator.dossiers.requestExternal.mutate({ caseId: demo.caseId }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.case_not_found', field: 'caseId' });
    expect(await failure(otherArbitrator.dossiers.status.query({ dossierId: requested.id }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'dossier.not_found' });
    expect((await download(tokens.otherArbitrator, requested.id)).status).toBe(404);
    expect(await failure(specialist.dossiers.requestExternal.mutate({ caseId: demo.caseId }))).toMatchObject({ code: 'FORBIDDEN' });
    // Legal still reads what left the company.
    expect((await download(tokens.legal, requested.id)).status).toBe(200);
  }, 300_000);
});

describe('bad input and failures', () => {
  it('answers bad input with a translated error naming the field, never a 500', async () => {
    expect(await failure(legal.dossiers.request.mutate({ caseId: 'not-a-uuid' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'caseId', messageKey: 'validation.format.uuid' });
    const language = await failure(legal.dossiers.request.mutate({ caseId: demo.caseId, language: 'fr' as 'en' }));
    expect(language).toMatchObject({ code: 'BAD_REQUEST', field: 'language', messageKey: 'validation.invalid_enum' });
    expect(language.message).toMatch(/[\u4e00-\u9fff]/); // legal's client asks for zh-CN
    expect(await failure(legal.dossiers.request.mutate({ caseId: randomUUID() }))).toMatchObject({ code: 'NOT_FOUND', field: 'caseId', messageKey: 'error.case_not_found' });
    expect(await failure(legal.dossiers.status.query({ dossierId: randomUUID() }))).toMatchObject({ code: 'NOT_FOUND', field: 'dossierId', messageKey: 'dossier.not_found' });
    expect(await failure(legal.dossiers.status.query({ dossierId: '42' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'dossierId' });
    expect(await failure(legal.dossiers.list.query({ caseId: 'x' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'caseId' });
    const rest = await call(server, 'GET', '/api/v1/dossiers/not-a-uuid/pdf', { token: tokens.legal, language: 'zh-CN' });
    expect(rest.status).toBe(400);
    expect(rest.json.error).toMatchObject({ field: 'dossierId', messageKey: 'validation.format.uuid' });
    expect(rest.json.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect((await call(server, 'GET', `/api/v1/dossiers/${randomUUID()}/pdf`, { token: tokens.legal })).json.error).toMatchObject({ code: 'not_found', messageKey: 'dossier.not_found' });
  });

  it('fails a dossier whose evidence file is missing from the store, with a translated reason, without retrying', async () => {
    const { id: caseId } = await specialist.cases.create.mutate(complaint('uid-dossier-missing'));
    const lone = makePng(33, 17);
    const exhibit = await uploadOk(server, tokens.specialist, caseId, lone, { fileName: 'lone.png', source: 'live_chat' });
    const file = blobPath(server, exhibit.sha256);
    fs.chmodSync(path.dirname(file), 0o700);
    fs.rmSync(file);
    const requested = await legal.dossiers.request.mutate({ caseId, language: 'en' });
    const done = await untilFinished(server.client(tokens.legal, 'en'), requested.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatchObject({ messageKey: 'dossier.render.evidence_missing', params: { exhibits: exhibit.exhibitNumber } });
    expect(done.error!.message).toContain(`exhibits ${exhibit.exhibitNumber}`);
    // Read in Chinese by a supervisor.
    const zh = await server.client(tokens.supervisor, 'zh-CN').dossiers.status.query({ dossierId: requested.id });
    expect(zh.error!.message).toContain(`证据 ${exhibit.exhibitNumber}`);
    expect((await download(tokens.legal, requested.id)).json.error).toMatchObject({ code: 'conflict', messageKey: 'dossier.not_ready' });
    const job = await server.t.db.selectFrom('dossiers').select('status').where('id', '=', requested.id).executeTakeFirstOrThrow();
    expect(job.status).toBe('failed');
  }, 120_000);
});
