// Evidence intake refuses what it must, with a clear message key and field, never a 500 and never a
// partial write: empty, truncated and tampered uploads, disguised file types, dangerous file names,
// formula cells kept inert, a 200 MB single line, invalid UTF-8, files over the limit, and callers
// who may not upload.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import { vaultMessages } from '../../../shared/i18n/vault.messages';
import { parseCsv } from '../../../shared/csv';
import {
  beginUpload,
  call,
  complaint,
  dropMidBody,
  evidenceCounts,
  exhibitsPath,
  headOffset,
  makePng,
  patchChunk,
  patchChunkWhenFree,
  restError,
  sha256,
  stopServer,
  storedBlobFiles,
  stream,
  uploadFile,
  uploadOk,
} from './support';

let server: TestServer;
let token: string;
let legalToken: string;
let specialist: ReturnType<TestServer['client']>;
let legal: ReturnType<TestServer['client']>;
let caseId: string;

beforeAll(async () => {
  server = await startTestServer({ maxUploadBytes: 300 * 1024 ** 2 });
  token = await server.login('specialist');
  legalToken = await server.login('legal');
  specialist = server.client(token);
  legal = server.client(legalToken);
  caseId = (await specialist.cases.create.mutate(complaint('uid-bad-input'))).id;
});

afterAll(async () => {
  await stopServer(server);
});

/** Counts before each test; `nothingWritten()` proves a refusal left no exhibit, blob or record. */
let before: Awaited<ReturnType<typeof evidenceCounts>>;
let filesBefore: string[];
beforeEach(async () => {
  before = await evidenceCounts(server);
  filesBefore = storedBlobFiles(server).sort();
});
async function nothingWritten() {
  expect(await evidenceCounts(server)).toEqual(before);
  expect(storedBlobFiles(server).sort()).toEqual(filesBefore);
}

const partFile = (uploadId: string) => path.join(server.dataDir, 'evidence', 'uploads', `${uploadId}.part`);
const beginFor = (bytes: Uint8Array | string, over: Record<string, unknown> = {}) =>
  beginUpload(server, token, { caseId, fileName: 'statement.csv', size: Buffer.byteLength(bytes), sha256: sha256(bytes), side: 'complainant', source: 'live_chat', ...over });

async function waitFor(check: () => boolean | Promise<boolean>, ms = 3000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const TEXT = 'time,ip,device,action\n2026-03-01 12:00:00,203.0.113.7,iPhone,login\n';

describe('empty, truncated and tampered uploads', () => {
  it('refuses an empty file in one request and an upload begun with size 0', async () => {
    const single = await uploadFile(server, token, caseId, new Uint8Array(0), { fileName: 'empty.png' });
    expect(single.status).toBe(400);
    expect(restError(single)).toMatchObject({ code: 'bad_input', messageKey: 'evidence.upload.empty', field: 'size' });
    const begun = await beginFor('', { size: 0 });
    expect(begun.status).toBe(400);
    expect(restError(begun)).toMatchObject({ messageKey: 'evidence.upload.empty', field: 'size' });
    expect(await server.t.db.selectFrom('uploads').select('id').where('declared_size', '=', '0').execute()).toEqual([]);
    await nothingWritten();
  });

  it('keeps nothing of a body cut short (Content-Length larger than what arrived)', async () => {
    const bytes = makePng(40, 40);
    // One request: half the file, then the connection drops.
    const uploadsBefore = await server.t.db.selectFrom('uploads').select('id').execute();
    await dropMidBody(server, 'POST', exhibitsPath(caseId, { fileName: 'cut.png' }), { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-sha256': sha256(bytes) }, bytes.subarray(0, bytes.length >> 1), bytes.length);
    const known = new Set(uploadsBefore.map((u) => u.id));
    const newUploads = async () => (await server.t.db.selectFrom('uploads').selectAll().execute()).filter((u) => !known.has(u.id));
    // Nothing of the one-request upload stays: no `uploads` row, no partial file.
    await waitFor(async () => (await newUploads()).length === 0);
    expect(await newUploads()).toEqual([]);
    expect(fs.readdirSync(path.join(server.dataDir, 'evidence', 'uploads')).filter((f) => f.endsWith('.part') && !known.has(f.replace(/\.part$/, '')))).toEqual([]);
    await nothingWritten();

    // A chunk of a resumable upload: the offset stays where it was, and the upload can go on.
    const uploadId = (await beginFor(bytes, { fileName: 'cut-resumable.png' })).json.uploadId as string;
    await dropMidBody(server, 'PATCH', `/api/v1/uploads/${uploadId}`, { authorization: `Bearer ${token}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': 0 }, bytes.subarray(0, 100), bytes.length);
    expect(await headOffset(server, token, uploadId)).toMatchObject({ offset: 0, status: 'open' });
    await waitFor(() => fs.statSync(partFile(uploadId)).size === 0);
    await nothingWritten();
    const done = await patchChunkWhenFree(server, token, uploadId, 0, bytes);
    expect(done.status).toBe(201);
    expect(done.json.exhibit).toMatchObject({ sha256: sha256(bytes), duplicate: false });
  });

  it('refuses a file whose SHA-256 is not the declared one, in one request', async () => {
    const uploadsBefore = (await server.t.db.selectFrom('uploads').select('id').execute()).length;
    const res = await uploadFile(server, token, caseId, TEXT, { fileName: 'log.csv', sha: sha256('another file') });
    expect(res.status).toBe(400);
    expect((await server.t.db.selectFrom('uploads').select('id').execute()).length).toBe(uploadsBefore);
    expect(restError(res)).toMatchObject({ messageKey: 'evidence.upload.hash_mismatch', field: 'sha256', params: { computed: sha256(TEXT) } });
    await nothingWritten();
  });

  it('refuses a chunk out of order', async () => {
    const bytes = Buffer.from(TEXT);
    const uploadId = (await beginFor(bytes)).json.uploadId as string;
    const res = await patchChunk(server, token, uploadId, 10, bytes.subarray(10));
    expect(res.status).toBe(409);
    expect(restError(res)).toMatchObject({ messageKey: 'evidence.upload.offset_mismatch', field: 'offset', params: { expected: 0 } });
    expect((await headOffset(server, token, uploadId)).offset).toBe(0);
    await nothingWritten();
  });

  it('refuses a chunk that runs past the declared size', async () => {
    const bytes = Buffer.from(TEXT);
    const uploadId = (await beginFor(bytes.subarray(0, 20))).json.uploadId as string;
    const res = await patchChunk(server, token, uploadId, 0, bytes);
    expect(res.status).toBe(400);
    expect(restError(res)).toMatchObject({ messageKey: 'evidence.upload.exceeds_declared_size', field: 'size' });
    expect((await headOffset(server, token, uploadId)).offset).toBe(0);
    await nothingWritten();
  });
});

describe('file types are sniffed from the content', () => {
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(120, 0)]);
  const pe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(126, 0x90)]);
  const html = '<!DOCTYPE html>\n<html><body><script>alert(1)</script>Date(UTC),Pair,Side</body></html>\n';

  it.each([
    ['an ELF executable', 'statement.png', elf, 'application/x-elf'],
    ['a Windows executable', 'statement.png', pe, 'application/vnd.microsoft.portable-executable'],
    ['an HTML page', 'trades.csv', Buffer.from(html), 'text/html'],
  ])('refuses %s named %s', async (_what, fileName, bytes, mediaType) => {
    const single = await uploadFile(server, token, caseId, bytes, { fileName });
    expect(single.status).toBe(400);
    expect(restError(single)).toMatchObject({ messageKey: 'evidence.upload.type_not_allowed', params: { mediaType } });
    expect(restError(single).message).toContain(mediaType);

    const started = await beginFor(bytes, { fileName, type: fileName.endsWith('.png') ? 'image' : 'trade_records' });
    expect(started.status).toBe(201);
    const uploadId = started.json.uploadId as string;
    const res = await patchChunk(server, token, uploadId, 0, bytes);
    expect(res.status).toBe(400);
    expect(restError(res)).toMatchObject({ messageKey: 'evidence.upload.type_not_allowed', params: { mediaType } });
    // A refused upload leaves nothing behind: no row, no partial file.
    const status = await call(server, 'GET', `/api/v1/uploads/${uploadId}`, { token });
    expect(status.status).toBe(404);
    expect(await server.t.db.selectFrom('uploads').select('id').where('id', '=', uploadId).execute()).toEqual([]);
    expect(fs.existsSync(partFile(uploadId))).toBe(false);
    expect(fs.existsSync(path.join(server.dataDir, 'evidence', 'blobs', sha256(bytes).slice(0, 2), sha256(bytes).slice(2, 4), sha256(bytes)))).toBe(false);
    await nothingWritten();
  });
});

describe('file names are labels, never paths', () => {
  const names: [string, string][] = [
    ['../../etc/passwd', 'validation.file_name_path'],
    ['..\\windows\\x.png', 'validation.file_name_path'],
    ['/abs/path.pdf', 'validation.file_name_path'],
    ['a\u0000b.png', 'validation.file_name_control'],
    ['a\u202eb.png', 'validation.file_name_control'],
    ['a\nb.png', 'validation.file_name_control'],
  ];

  it.each(names)('refuses %j in both upload endpoints, in English and Chinese', async (fileName, messageKey) => {
    for (const language of ['en', 'zh-CN'] as const) {
      const single = await uploadFile(server, token, caseId, TEXT, { fileName, language });
      expect(single.status).toBe(400);
      expect(restError(single)).toMatchObject({ code: 'bad_input', messageKey, field: 'fileName' });
      expect(restError(single).message).toBe(vaultMessages[language][messageKey as keyof (typeof vaultMessages)['en']]);

      const begun = await beginUpload(server, token, { caseId, fileName, size: TEXT.length, sha256: sha256(TEXT), side: 'complainant', source: 'live_chat' }, language);
      expect(begun.status).toBe(400);
      expect(restError(begun)).toMatchObject({ messageKey, field: 'fileName' });
      expect(restError(begun).message).toBe(vaultMessages[language][messageKey as keyof (typeof vaultMessages)['en']]);
    }
    await nothingWritten();
  });

  it('accepts a Chinese file name as it is', async () => {
    const res = await uploadOk(server, token, caseId, makePng(2, 3), { fileName: '提币记录 截图 (1).png' });
    const listed = (await specialist.evidence.list.query({ caseId })).exhibits.find((e) => e.id === res.id)!;
    expect(listed.fileName).toBe('提币记录 截图 (1).png');
    const content = await call(server, 'GET', `/api/v1/exhibits/${res.id}/content`, { token });
    expect(content.headers['content-disposition']).toBe(`attachment; filename="____ __ (1).png"; filename*=UTF-8''${encodeURIComponent('提币记录 截图 (1).png')}`);
  });
});

describe('formula cells', () => {
  const cells = ['=HYPERLINK("http://evil","click")', "+cmd|' /C calc'!A0", '@SUM(A1)', '-2+3'];
  const csvCell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = [
    'time,ip,device,action,location,result',
    `2026-03-01 12:00:00,203.0.113.7,${csvCell(cells[1]!)},${csvCell(cells[0]!)},${csvCell(cells[2]!)},${csvCell(cells[3]!)}`,
    '2026-03-01 12:01:00,203.0.113.8,iPhone,withdrawal,Shanghai,-',
    '',
  ].join('\n');

  it('stores them verbatim, flags them, neutralises them on export and shares them as plain text', async () => {
    const c = await specialist.cases.create.mutate(complaint('uid-formula'));
    const exhibit = await uploadOk(server, token, c.id, text, { fileName: 'activity.csv', source: 'risk_system', type: 'activity_log' });
    expect(exhibit.parseStatus).toBe('parsed');

    // Verbatim: the original bytes, and the records as written.
    const content = await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/content`, { token });
    expect(content.body.equals(Buffer.from(text))).toBe(true);
    const records = await specialist.evidence.records.query({ exhibitId: exhibit.id });
    expect(records.records[0]!.data).toMatchObject({ device: cells[1], action: cells[0], location: cells[2], result: cells[3] });

    // Flagged: a warning per formula cell, with its line and column.
    const listed = (await specialist.evidence.list.query({ caseId: c.id })).exhibits[0]!;
    const warnings = ((listed.metadata as { warnings?: { messageKey: string; line: number; column: number }[] }).warnings ?? []).filter((w) => w.messageKey === 'evidence.parse.formula_cell');
    const line2 = text.split('\n')[1]!;
    expect(warnings.map((w) => [w.line, w.column]).sort((a, b) => a[1]! - b[1]!)).toEqual(
      [cells[1]!, cells[0]!, cells[2]!, cells[3]!].map((v) => [2, line2.indexOf(csvCell(v)) + 1]).sort((a, b) => a[1]! - b[1]!),
    );

    // Exported: every such cell starts with a quote; no cell starts with = + - @.
    const exported = await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/records.csv`, { token });
    expect(exported.status).toBe(200);
    const rows = parseCsv(exported.text.replace(/^\uFEFF/, '')).records.map((r) => r.fields);
    const all = rows.flat();
    for (const cell of all) expect(cell, cell).not.toMatch(/^[=+\-@]/);
    for (const v of cells) expect(all).toContain(`'${v}`);
    expect(all).toContain("'-");

    // Shared: plain strings in JSON, exactly as written, never evaluated or turned into markup.
    const view = await legal.evidence.externalView.mutate({ caseId: c.id, recipient: 'Arbitrator Wu' });
    expect(view.exhibits[0]!.records[0]!.data).toMatchObject({ device: cells[1], action: cells[0], location: cells[2], result: cells[3] });
    for (const v of Object.values(view.exhibits[0]!.records[0]!.data)) expect(['string', 'number'].includes(typeof v)).toBe(true);
    const json = JSON.stringify(view);
    expect(json).not.toMatch(/<a[\s>]|href=|javascript:/i);
  });
});

describe('text that cannot be read', () => {
  it('keeps a 200 MB single-line file as an exhibit, failed with line_too_long at line 1', async () => {
    const MiB = 1024 * 1024;
    const size = 200 * MiB;
    const piece = Buffer.alloc(MiB, 'a'); // one buffer, sent 200 times
    const chunks = function* () {
      for (let k = 0; k < size / MiB; k++) yield piece;
    };
    const hash = createHash('sha256');
    for (const c of chunks()) hash.update(c);
    const sha = hash.digest('hex');
    const res = await stream(
      server,
      'POST',
      exhibitsPath(caseId, { fileName: 'huge.csv', source: 'binance_export', type: 'trade_records' }),
      { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': size, 'x-sha256': sha },
      chunks(),
    );
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ sha256: sha, parseStatus: 'failed', duplicate: false });
    const listed = (await specialist.evidence.list.query({ caseId })).exhibits.find((e) => e.id === res.json.id)!;
    expect(listed.size).toBe(size);
    expect(listed.parseError).toMatchObject({ messageKey: 'evidence.parse.line_too_long', line: 1 });
    expect(fs.statSync(path.join(server.dataDir, 'evidence', 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha)).size).toBe(size);
  }, 60_000);

  it('reports invalid UTF-8 at its line and column, and keeps the file', async () => {
    const prefix = '2026-03-01 12:02:00,203.0.113.9,华为 Mate,登录';
    const bytes = Buffer.concat([
      Buffer.from('时间,IP地址,设备,操作\n2026-03-01 12:00:00,203.0.113.7,iPhone,登录\n'),
      Buffer.from(prefix),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(',x\n'),
    ]);
    const res = await uploadFile(server, token, caseId, bytes, { fileName: 'activity-bad.csv', source: 'risk_system', type: 'activity_log' });
    expect(res.status).toBe(201);
    expect(res.json.parseStatus).toBe('failed');
    const listed = (await specialist.evidence.list.query({ caseId })).exhibits.find((e) => e.id === res.json.id)!;
    const column = [...prefix].length + 1;
    expect(listed.parseError).toMatchObject({ messageKey: 'evidence.parse.invalid_utf8', line: 3, column, params: { line: 3, column } });
    const content = await call(server, 'GET', `/api/v1/exhibits/${res.json.id}/content`, { token });
    expect(content.body.equals(bytes)).toBe(true);
  });
});

describe('a size limit per file', () => {
  let small: TestServer;
  let smallToken: string;
  let smallCase: string;
  beforeAll(async () => {
    small = await startTestServer({ maxUploadBytes: 1024 * 1024 });
    smallToken = await small.login('specialist');
    smallCase = (await small.client(smallToken).cases.create.mutate(complaint('uid-small'))).id;
  });
  afterAll(async () => {
    await stopServer(small);
  });

  it('refuses a file over the limit with 413, in one request or announced at the start', async () => {
    const countsBefore = await evidenceCounts(small);
    const bytes = Buffer.alloc(1024 * 1024 + 1, 'b');
    const single = await uploadFile(small, smallToken, smallCase, bytes, { fileName: 'big.txt' });
    expect(single.status).toBe(413);
    expect(restError(single)).toMatchObject({ code: 'payload_too_large', messageKey: 'evidence.upload.too_large', field: 'size', params: { maximum: 1024 * 1024 } });
    const begun = await beginUpload(small, smallToken, { caseId: smallCase, fileName: 'big.txt', size: 3 * 1024 ** 3, sha256: sha256(bytes), side: 'complainant', source: 'live_chat' });
    expect(begun.status).toBe(413);
    expect(restError(begun).messageKey).toBe('evidence.upload.too_large');
    expect(await evidenceCounts(small)).toEqual(countsBefore);
    expect(await small.t.db.selectFrom('uploads').select('id').execute()).toEqual([]);
    // Exactly at the limit is fine.
    const atLimit = await uploadFile(small, smallToken, smallCase, bytes.subarray(0, 1024 * 1024), { fileName: 'limit.txt' });
    expect(atLimit.status).toBe(201);
  });
});

describe('who may upload', () => {
  it('asks for a login (401)', async () => {
    const single = await uploadFile(server, null, caseId, TEXT, { fileName: 'x.csv' });
    expect(single.status).toBe(401);
    expect(restError(single).messageKey).toBe('auth.login_required');
    const begun = await beginUpload(server, null, { caseId, fileName: 'x.csv', size: 10, sha256: sha256(TEXT), side: 'complainant', source: 'live_chat' });
    expect(begun.status).toBe(401);
    const bogus = await uploadFile(server, 'not-a-session', caseId, TEXT, { fileName: 'x.csv' });
    expect(bogus.status).toBe(401);
    await nothingWritten();
  });

  it('refuses arbitrators and admins (403), for uploads and downloads', async () => {
    const exhibit = await uploadOk(server, token, caseId, makePng(9, 9), { fileName: 'nine.png' });
    before = await evidenceCounts(server);
    filesBefore = storedBlobFiles(server).sort();
    for (const role of ['arbitrator', 'admin'] as const) {
      const t = await server.login(role);
      const single = await uploadFile(server, t, caseId, TEXT, { fileName: 'x.csv' });
      expect(single.status, role).toBe(403);
      expect(restError(single).messageKey).toBe('error.forbidden');
      const begun = await beginUpload(server, t, { caseId, fileName: 'x.csv', size: 10, sha256: sha256(TEXT), side: 'complainant', source: 'live_chat' });
      expect(begun.status, role).toBe(403);
      expect((await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/content`, { token: t })).status, role).toBe(403);
      expect((await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/records.csv`, { token: t })).status, role).toBe(403);
    }
    await nothingWritten();
  });

  it('hides the cases of another team (404)', async () => {
    const other = (await legal.cases.create.mutate(complaint('uid-other-team'))).id;
    await server.t.db.updateTable('cases').set({ team_id: server.otherTeamId }).where('id', '=', other).execute();
    const exhibit = await uploadOk(server, legalToken, other, makePng(8, 8), { fileName: 'eight.png' });
    before = await evidenceCounts(server);
    filesBefore = storedBlobFiles(server).sort();

    const single = await uploadFile(server, token, other, TEXT, { fileName: 'x.csv' });
    expect(single.status).toBe(404);
    expect(restError(single)).toMatchObject({ messageKey: 'error.case_not_found', field: 'caseId' });
    const begun = await beginUpload(server, token, { caseId: other, fileName: 'x.csv', size: 10, sha256: sha256(TEXT), side: 'complainant', source: 'live_chat' });
    expect(begun.status).toBe(404);
    expect(restError(begun).messageKey).toBe('error.case_not_found');
    const content = await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/content`, { token });
    expect(content.status).toBe(404);
    expect(restError(content).messageKey).toBe('evidence.exhibit_not_found');
    expect((await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/records.csv`, { token })).status).toBe(404);
    // Another user's upload is not there for this one either.
    const legalUpload = (await beginUpload(server, legalToken, { caseId: other, fileName: 'x.csv', size: 10, sha256: sha256(TEXT), side: 'complainant', source: 'live_chat' })).json.uploadId as string;
    const foreign = await patchChunk(server, token, legalUpload, 0, Buffer.from('0123456789'));
    expect(foreign.status).toBe(404);
    expect(restError(foreign).messageKey).toBe('evidence.upload.not_found');
    await nothingWritten();
  });
});

describe('malformed requests', () => {
  const valid = () => ({ caseId, fileName: 'x.csv', size: 10, sha256: sha256(TEXT), side: 'complainant', source: 'live_chat' });

  it('refuses a body that is not JSON', async () => {
    for (const body of ['{"caseId": ', 'caseId=1&size=2', '']) {
      const res = await call(server, 'POST', '/api/v1/uploads', { token, headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(400);
      expect(restError(res).messageKey, body).toBe('error.body_not_json');
    }
    await nothingWritten();
  });

  it.each([
    ['caseId', 'not-a-uuid'],
    ['size', '10'],
    ['size', -1],
    ['size', 1.5],
    ['sha256', 123],
    ['sha256', 'ABC'],
    ['side', 'defendant'],
    ['source', 'Live Chat!'],
    ['type', 'executable'],
    ['internalOnly', 'yes'],
    ['fileName', ['a.png']],
    ['deviceId', 'laptop/1'],
  ])('names the field when %s is %j', async (field, value) => {
    const res = await beginUpload(server, token, { ...valid(), [field]: value });
    expect(res.status).toBe(400);
    expect(restError(res).field).toBe(field);
    await nothingWritten();
  });

  it('names missing and unknown fields', async () => {
    const { sha256: _omitted, ...missing } = valid();
    const res = await beginUpload(server, token, missing);
    expect(res.status).toBe(400);
    expect(restError(res)).toMatchObject({ messageKey: 'validation.required', field: 'sha256' });
    const extra = await beginUpload(server, token, { ...valid(), path: '/etc/passwd' });
    expect(extra.status).toBe(400);
    expect(restError(extra)).toMatchObject({ messageKey: 'validation.unknown_field', field: 'path' });
    await nothingWritten();
  });

  it('checks the headers and the query of the byte endpoints', async () => {
    const uploadId = (await beginFor(TEXT)).json.uploadId as string;
    const badOffset = await call(server, 'PATCH', `/api/v1/uploads/${uploadId}`, { token, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': 'abc' }, body: TEXT });
    expect(badOffset.status).toBe(400);
    expect(restError(badOffset).field).toBe('upload-offset');
    const badChunkSha = await call(server, 'PATCH', `/api/v1/uploads/${uploadId}`, { token, headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': '0', 'x-chunk-sha256': 'xyz' }, body: TEXT });
    expect(restError(badChunkSha).field).toBe('x-chunk-sha256');
    const json = await call(server, 'PATCH', `/api/v1/uploads/${uploadId}`, { token, headers: { 'content-type': 'application/json', 'upload-offset': '0' }, body: '{"a":1}' });
    expect(json.status).toBe(400);
    expect(restError(json).messageKey).toBe('evidence.upload.octet_stream_required');
    expect((await call(server, 'HEAD', `/api/v1/uploads/not-a-uuid`, { token })).status).toBe(400);
    expect((await call(server, 'HEAD', `/api/v1/uploads/00000000-0000-4000-8000-000000000000`, { token })).status).toBe(404);
    expect((await headOffset(server, token, uploadId)).offset).toBe(0);

    const noSha = await call(server, 'POST', exhibitsPath(caseId, { fileName: 'x.csv' }), { token, headers: { 'content-type': 'application/octet-stream' }, body: TEXT });
    expect(noSha.status).toBe(400);
    expect(restError(noSha)).toMatchObject({ messageKey: 'validation.required', field: 'x-sha256' });
    const badSha = await uploadFile(server, token, caseId, TEXT, { fileName: 'x.csv', sha: 'ABCDEF' });
    expect(restError(badSha)).toMatchObject({ messageKey: 'validation.sha256_format', field: 'x-sha256' });
    const badSide = await uploadFile(server, token, caseId, TEXT, { fileName: 'x.csv', side: 'judge' as never });
    expect(restError(badSide).field).toBe('side');
    const badCase = await uploadFile(server, token, 'nope', TEXT, { fileName: 'x.csv' });
    expect(restError(badCase).field).toBe('caseId');
    // A one-request upload must say how long the file is (here: chunked, no Content-Length).
    const chunked = await stream(server, 'POST', exhibitsPath(caseId, { fileName: 'x.csv' }), { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-sha256': sha256(TEXT) }, [Buffer.from(TEXT)]);
    expect(chunked.status).toBe(400);
    expect(restError(chunked)).toMatchObject({ messageKey: 'evidence.upload.length_required', field: 'content-length' });
    const unknownCase = await uploadFile(server, token, '00000000-0000-4000-8000-000000000000', TEXT, { fileName: 'x.csv' });
    expect(unknownCase.status).toBe(404);
    await nothingWritten();
  });
});
