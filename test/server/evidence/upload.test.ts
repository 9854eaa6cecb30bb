// Evidence intake against the real server: one-request uploads of every understood type, exhibits
// numbered per case and side, the custody trail, resumable uploads that survive a dropped
// connection, content-addressed storage, cross-complainant signals, internal-only exhibits, and a
// malformed file kept as an exhibit.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/server';
import {
  beginUpload,
  blobPath,
  call,
  complaint,
  dropMidBody,
  evidenceCounts,
  headOffset,
  makePdf,
  makePng,
  patchChunk,
  patchChunkWhenFree,
  restError,
  sha256,
  stopServer,
  storedBlobFiles,
  uploadFile,
  uploadOk,
} from './support';

let server: TestServer;
let specialistToken: string;
let legalToken: string;
let specialist: ReturnType<TestServer['client']>;
let legal: ReturnType<TestServer['client']>;

beforeAll(async () => {
  server = await startTestServer();
  specialistToken = await server.login('specialist');
  legalToken = await server.login('legal');
  specialist = server.client(specialistToken);
  legal = server.client(legalToken);
});

afterAll(async () => {
  await stopServer(server);
});

const newCase = async (uid: string, over: Parameters<typeof complaint>[1] = {}) => specialist.cases.create.mutate(complaint(uid, over));
const custodyActions = async (exhibitId: string) => (await specialist.evidence.get.query({ exhibitId })).custody.map((c) => c.action);

const OKX_ORDERS = [
  'Order ID,Order Time(UTC+8),Instrument,Side,Order Type,Order Price,Order Amount,Filled,Avg. Fill Price,Fee,Fee Currency,Status',
  '612345678901234567,2026-03-01 20:00:00,BTC-USDT,buy,limit,"65,000.50",0.00123456789,0.00123456789,65000.5,-0.000002,BTC,Filled',
  '612345678901234568,2026-03-01 20:30:00,ETH-USDT,sell,market,,1.5,1.5,3012.45,-4.518675,USDT,Filled',
  '',
].join('\r\n');

const BINANCE_TRADES = [
  'Date(UTC),Pair,Side,Price,Executed,Amount,Fee',
  '2026-03-01 12:00:00,BTCUSDT,BUY,"65,000.50",0.00100000BTC,65.00050000USDT,0.00000100BTC',
  '2026-03-01 12:05:31,ETHBTC,SELL,0.05123,0.50000000ETH,0.02561500BTC,0.00002561BTC',
  '',
].join('\n');

const ACTIVITY = [
  '时间(UTC+8),IP地址,设备,操作,登录地点,结果',
  '2026-03-01 20:00:00,203.0.113.7,iPhone 15 (iOS 19.1),登录,上海,成功',
  '2026-03-01 20:03:12,2001:DB8:0:0:0:0:0:1,Chrome 140 / Windows,提币申请 0.5 BTC,Frankfurt,成功',
  '',
].join('\n');

const CHAT = [
  '[2026-03-01 12:00:05] 客服 小李: 您好,请问有什么可以帮您?',
  '[2026-03-01 12:00:41] 张伟: 我的提币 0.5 BTC 三天了还没到账',
  '订单号 W20260226-0001',
  '[2026-03-01 12:01:10] 客服 小李：已为您查询,请稍候。',
  '',
].join('\n');

const ONCHAIN = [
  '# deposits the complainant says never arrived',
  'TRON: 9b3c1f0e4d2a8b7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d TRC20 USDT deposit',
  'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t USDT contract',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
  '',
].join('\n');

describe('one-request uploads of every understood type', () => {
  let caseId: string;
  const png = makePng(37, 21);
  const pdf = makePdf(3);
  const ids: Record<string, string> = {};
  let before: number;

  beforeAll(async () => {
    caseId = (await newCase('uid-types')).id;
    before = Date.now();
    const files: [string, Uint8Array | string, Parameters<typeof uploadOk>[4]][] = [
      ['png', png, { fileName: '转账截图.png', source: 'live_chat', deviceId: 'laptop-17' }],
      ['pdf', pdf, { fileName: 'bank-statement.pdf', source: 'email' }],
      ['okx', OKX_ORDERS, { fileName: 'okx-orders.csv', source: 'okx_export', type: 'order_history' }],
      ['binance', BINANCE_TRADES, { fileName: 'binance-trades.csv', source: 'binance_export', type: 'trade_records' }],
      ['activity', ACTIVITY, { fileName: 'logins.csv', source: 'risk_system', type: 'activity_log' }],
      ['chat', CHAT, { fileName: '客服对话.txt', source: 'live_chat', type: 'chat_transcript' }],
      ['onchain', ONCHAIN, { fileName: 'txids.txt', source: 'complainant', type: 'onchain_reference' }],
      ['platform', 'chain,type,value,note\nBTC,tx,4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b,genesis coinbase\n', { fileName: 'platform-refs.csv', side: 'platform', source: 'risk_system', type: 'onchain_reference' }],
    ];
    for (const [key, bytes, o] of files) ids[key] = (await uploadOk(server, specialistToken, caseId, bytes, o)).id;
  });

  it('lists exhibits numbered per side, with hash, type, source, intake person, time and device', async () => {
    const { exhibits, signals } = await specialist.evidence.list.query({ caseId });
    expect(signals).toEqual([]);
    expect(exhibits.map((e) => [e.exhibitNumber, e.side, e.type])).toEqual([
      ['C-1', 'complainant', 'image'],
      ['C-2', 'complainant', 'pdf'],
      ['C-3', 'complainant', 'order_history'],
      ['C-4', 'complainant', 'trade_records'],
      ['C-5', 'complainant', 'activity_log'],
      ['C-6', 'complainant', 'chat_transcript'],
      ['C-7', 'complainant', 'onchain_reference'],
      ['R-1', 'platform', 'onchain_reference'],
    ]);
    const byId = Object.fromEntries(exhibits.map((e) => [e.id, e]));
    const image = byId[ids.png!]!;
    expect(image.sha256).toBe(sha256(png));
    expect(image.size).toBe(png.length);
    expect(image.mediaType).toBe('image/png');
    expect(image.fileName).toBe('转账截图.png');
    expect(image.source).toBe('live_chat');
    expect(image.deviceId).toBe('laptop-17');
    expect(image.takenInBy).toBe(server.users.specialist.id);
    expect(image.takenInByName).toBe('Test specialist');
    const at = new Date(image.takenInAt as unknown as string).getTime();
    expect(at).toBeGreaterThanOrEqual(before - 5_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 5_000);
    expect(image.metadata).toMatchObject({ format: 'png', width: 37, height: 21 });
    expect(image.parseStatus).toBe('not_applicable');
    expect(byId[ids.pdf!]!.metadata).toMatchObject({ pageCount: 3 });
    expect(byId[ids.pdf!]!.mediaType).toBe('application/pdf');
    expect(byId[ids.okx!]!.sha256).toBe(sha256(OKX_ORDERS));
    for (const key of ['okx', 'binance', 'activity', 'chat', 'onchain', 'platform']) expect(byId[ids[key]!]!.parseStatus, key).toBe('parsed');
  });

  it('parses OKX and Binance trades with exact decimals', async () => {
    const okx = await specialist.evidence.records.query({ exhibitId: ids.okx! });
    expect(okx.total).toBe(2);
    expect(okx.records.map((r) => r.data)).toMatchObject([
      { symbol: 'BTC-USDT', side: 'buy', price: '65000.5', quantity: '0.00123456789', filledQuantity: '0.00123456789', fee: '-0.000002', feeAsset: 'BTC', orderId: '612345678901234567', time: '2026-03-01T12:00:00.000Z' },
      { symbol: 'ETH-USDT', side: 'sell', quantity: '1.5', averagePrice: '3012.45', fee: '-4.518675', feeAsset: 'USDT' },
    ]);
    const binance = await specialist.evidence.records.query({ exhibitId: ids.binance! });
    expect(binance.records.map((r) => r.data)).toMatchObject([
      { symbol: 'BTC-USDT', side: 'buy', price: '65000.5', quantity: '0.001', total: '65.0005', fee: '0.000001', feeAsset: 'BTC', time: '2026-03-01T12:00:00.000Z' },
      { symbol: 'ETH-BTC', side: 'sell', price: '0.05123', quantity: '0.5', total: '0.025615', fee: '0.00002561', feeAsset: 'BTC' },
    ]);
  });

  it('parses the activity log, the Chinese chat and the on-chain references', async () => {
    const activity = await specialist.evidence.records.query({ exhibitId: ids.activity! });
    expect(activity.records.map((r) => r.data)).toMatchObject([
      { ip: '203.0.113.7', device: 'iPhone 15 (iOS 19.1)', action: '登录', location: '上海', time: '2026-03-01T12:00:00.000Z' },
      { ip: '2001:db8::1', action: '提币申请 0.5 BTC' },
    ]);
    const chat = await specialist.evidence.records.query({ exhibitId: ids.chat! });
    expect(chat.records.map((r) => [r.data.speaker, r.data.text])).toEqual([
      ['客服 小李', '您好,请问有什么可以帮您?'],
      ['张伟', '我的提币 0.5 BTC 三天了还没到账\n订单号 W20260226-0001'],
      ['客服 小李', '已为您查询,请稍候。'],
    ]);
    const onchain = await specialist.evidence.records.query({ exhibitId: ids.onchain! });
    expect(onchain.total).toBe(4);
    expect(onchain.records.map((r) => r.data.chain)).toEqual(['TRON', 'TRON', 'ETH', 'BTC']);
  });

  it('keeps a custody trail: intake, view, download, export', async () => {
    expect(await custodyActions(ids.png!)).toEqual(['intake', 'view']);

    const res = await call(server, 'GET', `/api/v1/exhibits/${ids.png}/content`, { token: specialistToken });
    expect(res.status).toBe(200);
    expect(res.body.equals(png)).toBe(true);
    expect(res.headers['x-content-sha256']).toBe(sha256(png));
    expect(res.headers['content-type']).toBe('image/png');
    expect(await custodyActions(ids.png!)).toEqual(['intake', 'view', 'download', 'view']);

    const pdfRes = await call(server, 'GET', `/api/v1/exhibits/${ids.pdf}/content`, { token: specialistToken });
    expect(pdfRes.body.equals(pdf)).toBe(true);

    const csv = await call(server, 'GET', `/api/v1/exhibits/${ids.okx}/records.csv`, { token: specialistToken });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toContain('"BTC-USDT"');
    expect(csv.text).toContain('"65000.5"');
    const trail = await specialist.evidence.get.query({ exhibitId: ids.okx! });
    expect(trail.custody.map((c) => c.action)).toEqual(['intake', 'export', 'view']);
    expect(trail.custody[0]!.details).toMatchObject({ exhibitNumber: 'C-3', sha256: sha256(OKX_ORDERS), fileName: 'okx-orders.csv' });
    // The custody trail is part of the audit chain.
    const chained = await server.t.db.selectFrom('audit_log').select(['action', 'hash']).where('entity', '=', 'exhibits').where('entity_id', '=', ids.okx!).orderBy('seq').execute();
    expect(chained.map((r) => r.action)).toEqual(['custody.intake', 'custody.export', 'custody.view']);
    expect(chained.map((r) => r.hash)).toEqual(trail.custody.map((c) => c.hash));
  });
});

describe('resumable uploads', () => {
  let caseId: string;
  // About 200 KB of a trade export, sent in 64 KiB chunks.
  const lines = ['Date(UTC),Pair,Side,Price,Executed,Amount,Fee'];
  for (let k = 0, length = 0; length < 200_000; k++) {
    const line = `2026-03-01 12:${String(k % 60).padStart(2, '0')}:00,BTCUSDT,BUY,65000.${k},0.001BTC,65.00USDT,0.000001BTC`;
    lines.push(line);
    length += line.length + 1;
  }
  const file = Buffer.from(lines.join('\n') + '\n');
  const CHUNK = 64 * 1024;
  const begin = (over: Record<string, unknown> = {}) =>
    beginUpload(server, specialistToken, { caseId, fileName: 'binance-trades-full.csv', size: file.length, sha256: sha256(file), side: 'complainant', source: 'binance_export', ...over });

  beforeAll(async () => {
    caseId = (await newCase('uid-resumable')).id;
  });

  it('resumes after a connection dropped mid-chunk, and ends with one exhibit of the right hash', async () => {
    const started = await begin();
    expect(started.status).toBe(201);
    const uploadId = started.json.uploadId as string;
    expect(started.headers.location).toBe(`/api/v1/uploads/${uploadId}`);
    expect(await headOffset(server, specialistToken, uploadId)).toMatchObject({ offset: 0, length: file.length, status: 'open' });

    const first = await patchChunk(server, specialistToken, uploadId, 0, file.subarray(0, CHUNK));
    expect(first.status).toBe(200);
    expect(first.headers['upload-offset']).toBe(String(CHUNK));

    // The second chunk: half of it arrives, then the network fails.
    const second = file.subarray(CHUNK, 2 * CHUNK);
    await dropMidBody(
      server,
      'PATCH',
      `/api/v1/uploads/${uploadId}`,
      { authorization: `Bearer ${specialistToken}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': CHUNK, 'x-chunk-sha256': sha256(second) },
      second.subarray(0, CHUNK / 2),
      second.length,
    );
    expect(await headOffset(server, specialistToken, uploadId)).toMatchObject({ offset: CHUNK, status: 'open' });
    // What arrived of the broken chunk is not kept: the partial file ends at the last good chunk.
    const part = path.join(server.dataDir, 'evidence', 'uploads', `${uploadId}.part`);
    for (let k = 0; k < 40 && fs.statSync(part).size !== CHUNK; k++) await new Promise((r) => setTimeout(r, 50));
    expect(fs.statSync(part).size).toBe(CHUNK);

    const counts = await evidenceCounts(server);
    let offset = CHUNK;
    let last = null as Awaited<ReturnType<typeof patchChunk>> | null;
    while (offset < file.length) {
      const chunk = file.subarray(offset, offset + CHUNK);
      last = await patchChunkWhenFree(server, specialistToken, uploadId, offset, chunk);
      offset += chunk.length;
      expect(last.status).toBe(offset < file.length ? 200 : 201);
      expect(last.json.offset).toBe(offset);
    }
    expect(last!.json.complete).toBe(true);
    expect(last!.json.exhibit).toMatchObject({ exhibitNumber: 'C-1', sha256: sha256(file), duplicate: false, parseStatus: 'parsed' });
    expect(await evidenceCounts(server)).toMatchObject({ exhibits: counts.exhibits + 1, blobs: counts.blobs + 1 });
    expect(await headOffset(server, specialistToken, uploadId)).toMatchObject({ offset: file.length, status: 'complete' });

    const stored = fs.readFileSync(blobPath(server, sha256(file)));
    expect(stored.equals(file)).toBe(true);
    const status = await call(server, 'GET', `/api/v1/uploads/${uploadId}`, { token: specialistToken });
    expect(status.json).toMatchObject({ status: 'complete', exhibitId: last!.json.exhibit.id });
    const content = await call(server, 'GET', `/api/v1/exhibits/${last!.json.exhibit.id}/content`, { token: specialistToken });
    expect(sha256(content.body)).toBe(sha256(file));
  });

  it('refuses a chunk whose hash is wrong and keeps the offset', async () => {
    const uploadId = (await begin({ fileName: 'again.csv' })).json.uploadId as string;
    expect((await patchChunk(server, specialistToken, uploadId, 0, file.subarray(0, CHUNK))).status).toBe(200);
    const chunk = file.subarray(CHUNK, 2 * CHUNK);
    const damaged = await patchChunk(server, specialistToken, uploadId, CHUNK, chunk, sha256('something else'));
    expect(damaged.status).toBe(400);
    expect(restError(damaged)).toMatchObject({ messageKey: 'evidence.upload.chunk_hash_mismatch', field: 'chunkSha256' });
    expect((await headOffset(server, specialistToken, uploadId)).offset).toBe(CHUNK);
    // The same chunk sent properly is accepted.
    const ok = await patchChunk(server, specialistToken, uploadId, CHUNK, chunk);
    expect(ok.status).toBe(200);
    expect(ok.json.offset).toBe(2 * CHUNK);
  });

  it('refuses a chunk at the wrong offset, naming the expected one', async () => {
    const uploadId = (await begin({ fileName: 'order.csv' })).json.uploadId as string;
    expect((await patchChunk(server, specialistToken, uploadId, 0, file.subarray(0, CHUNK))).status).toBe(200);
    const ahead = await patchChunk(server, specialistToken, uploadId, 2 * CHUNK, file.subarray(2 * CHUNK, 3 * CHUNK));
    expect(ahead.status).toBe(409);
    expect(restError(ahead)).toMatchObject({ messageKey: 'evidence.upload.offset_mismatch', field: 'offset', params: { expected: CHUNK } });
    expect(restError(ahead).message).toContain(String(CHUNK));
    const behind = await patchChunk(server, specialistToken, uploadId, 0, file.subarray(0, CHUNK));
    expect(behind.status).toBe(409);
    expect(restError(behind).params).toEqual({ expected: CHUNK });
    expect((await headOffset(server, specialistToken, uploadId)).offset).toBe(CHUNK);
  });

  it('refuses the whole file when its SHA-256 is not the one declared: no blob, no exhibit, no upload left', async () => {
    const other = Buffer.from(file);
    other[other.length - 2] = 0x39; // one digit changed
    const declared = sha256(other);
    const uploadId = (await begin({ fileName: 'tampered.csv', sha256: declared })).json.uploadId as string;
    const counts = await evidenceCounts(server);
    let res = null as Awaited<ReturnType<typeof patchChunk>> | null;
    for (let offset = 0; offset < file.length; offset += CHUNK) res = await patchChunk(server, specialistToken, uploadId, offset, file.subarray(offset, offset + CHUNK));
    expect(res!.status).toBe(400);
    expect(restError(res!)).toMatchObject({ messageKey: 'evidence.upload.hash_mismatch', field: 'sha256', params: { computed: sha256(file) } });
    expect(await evidenceCounts(server)).toEqual(counts);
    expect(fs.existsSync(blobPath(server, declared))).toBe(false);
    // The refused upload is gone (row and partial file), and takes no more chunks.
    const status = await call(server, 'GET', `/api/v1/uploads/${uploadId}`, { token: specialistToken });
    expect(status.status).toBe(404);
    expect(await server.t.db.selectFrom('uploads').select('id').where('id', '=', uploadId).execute()).toEqual([]);
    const more = await patchChunk(server, specialistToken, uploadId, file.length, Buffer.from('x'));
    expect(more.status).toBe(404);
    expect(restError(more).messageKey).toBe('evidence.upload.not_found');
  });
});

describe('content-addressed storage', () => {
  it('stores the same bytes once however many cases cite them; twice on one case is one exhibit', async () => {
    const a = (await newCase('uid-dedupe')).id;
    const b = (await newCase('uid-dedupe')).id; // the same complainant: no signal
    const bytes = makePng(64, 64);
    const sha = sha256(bytes);
    const counts = await evidenceCounts(server);
    const first = await uploadOk(server, specialistToken, a, bytes, { fileName: 'a.png' });
    const second = await uploadOk(server, specialistToken, b, bytes, { fileName: 'b.png' });
    expect(first.id).not.toBe(second.id);
    expect([first.exhibitNumber, second.exhibitNumber]).toEqual(['C-1', 'C-1']);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(false);
    const blobs = await server.t.db.selectFrom('blobs').selectAll().where('sha256', '=', sha).execute();
    expect(blobs).toHaveLength(1);
    expect(Number(blobs[0]!.size)).toBe(bytes.length);
    expect(storedBlobFiles(server).filter((f) => f === sha)).toHaveLength(1);
    expect(storedBlobFiles(server).filter((f) => f.startsWith('.tmp'))).toEqual([]);
    const exhibits = await server.t.db.selectFrom('exhibits').select(['case_id']).where('blob_sha256', '=', sha).execute();
    expect(exhibits.map((e) => e.case_id).sort()).toEqual([a, b].sort());

    const again = await uploadOk(server, specialistToken, a, bytes, { fileName: 'a-again.png' });
    expect(again).toMatchObject({ id: first.id, exhibitNumber: 'C-1', duplicate: true });
    expect(await evidenceCounts(server)).toEqual({ ...counts, exhibits: counts.exhibits + 2, blobs: counts.blobs + 1 });
    expect((await specialist.evidence.list.query({ caseId: a })).exhibits).toHaveLength(1);
    // Same complainant on both cases: no signal.
    expect((await specialist.evidence.list.query({ caseId: a })).signals).toEqual([]);
    expect((await specialist.evidence.list.query({ caseId: b })).signals).toEqual([]);
  });
});

describe('signals', () => {
  it('flags the same file cited by two complainants on both cases', async () => {
    const first = await newCase('uid-signal-one');
    const second = await newCase('uid-signal-two');
    const bytes = makePng(12, 34);
    const sha = sha256(bytes);
    await uploadOk(server, specialistToken, first.id, bytes, { fileName: 'receipt.png' });
    expect((await specialist.evidence.list.query({ caseId: first.id })).signals).toEqual([]);
    await uploadOk(server, specialistToken, second.id, bytes, { fileName: 'my-receipt.png' });

    const one = await specialist.evidence.list.query({ caseId: first.id });
    const two = await specialist.evidence.list.query({ caseId: second.id });
    expect(one.signals).toHaveLength(1);
    expect(one.signals[0]).toMatchObject({ kind: 'shared_file_across_complainants', sha256: sha, otherCaseId: second.id, otherCaseNumber: second.caseNumber });
    expect(two.signals).toHaveLength(1);
    expect(two.signals[0]).toMatchObject({ kind: 'shared_file_across_complainants', sha256: sha, otherCaseId: first.id, otherCaseNumber: first.caseNumber });

    const t1 = (await specialist.cases.timeline.query({ caseId: first.id })).filter((e) => e.type === 'evidence.signal');
    const t2 = (await specialist.cases.timeline.query({ caseId: second.id })).filter((e) => e.type === 'evidence.signal');
    expect(t1).toHaveLength(1);
    expect(t1[0]!.payload).toMatchObject({ sha256: sha, otherCaseNumber: second.caseNumber });
    expect(t2).toHaveLength(1);
    expect(t2[0]!.payload).toMatchObject({ sha256: sha, otherCaseNumber: first.caseNumber });
  });

  it('flags the file even when both complainants’ uploads arrive at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([newCase(`uid-race-a-${round}`), newCase(`uid-race-b-${round}`)]);
      const bytes = makePng(50 + round, 7);
      await Promise.all([uploadOk(server, specialistToken, a.id, bytes, { fileName: 'a.png' }), uploadOk(server, specialistToken, b.id, bytes, { fileName: 'b.png' })]);
      const [one, two] = await Promise.all([specialist.evidence.list.query({ caseId: a.id }), specialist.evidence.list.query({ caseId: b.id })]);
      expect(one.signals.map((s) => s.otherCaseId), `round ${round}`).toEqual([b.id]);
      expect(two.signals.map((s) => s.otherCaseId), `round ${round}`).toEqual([a.id]);
    }
  });
});

describe('internal-only exhibits', () => {
  it('leaves an exhibit marked internal-only out of the external view', async () => {
    const c = await newCase('uid-internal');
    const shared = await uploadOk(server, specialistToken, c.id, makePng(5, 5), { fileName: 'shared.png' });
    const internal = await uploadOk(server, specialistToken, c.id, makePng(6, 6), { fileName: 'risk-notes.png', side: 'platform', source: 'risk_system' });
    const atIntake = await uploadOk(server, specialistToken, c.id, makePng(7, 7), { fileName: 'kyc.png', side: 'platform', source: 'kyc', internalOnly: true });

    let view = await legal.evidence.externalView.mutate({ caseId: c.id, recipient: 'Arbitrator Li' });
    expect(view.exhibits.map((e) => e.exhibitNumber)).toEqual(['C-1', 'R-1']);

    expect(await specialist.evidence.setInternalOnly.mutate({ exhibitId: internal.id, internalOnly: true })).toEqual({ ok: true });
    const listed = await specialist.evidence.list.query({ caseId: c.id });
    expect(listed.exhibits.find((e) => e.id === internal.id)!.internalOnly).toBe(true);
    expect(listed.exhibits.find((e) => e.id === atIntake.id)!.internalOnly).toBe(true);

    view = await legal.evidence.externalView.mutate({ caseId: c.id, recipient: 'Arbitrator Li' });
    expect(view.exhibits.map((e) => e.exhibitNumber)).toEqual(['C-1']);
    expect(view.exhibits[0]!.sha256).toBe((await specialist.evidence.list.query({ caseId: c.id })).exhibits.find((e) => e.id === shared.id)!.sha256);
    const json = JSON.stringify(view);
    expect(json).not.toContain(internal.sha256);
    expect(json).not.toContain(atIntake.sha256);
    expect(await custodyActions(internal.id)).toEqual(['intake', 'share', 'marked_internal_only', 'view']);
  });
});

describe('a malformed trade export', () => {
  it('is kept as an exhibit with the parse error at its line and column, the original downloadable', async () => {
    const c = await newCase('uid-malformed');
    const line3 = '2026-03-01 12:05:31,ETHBTC,SELL,0.05x23,0.50000000ETH,0.02561500BTC,0.00002561BTC';
    const text = ['Date(UTC),Pair,Side,Price,Executed,Amount,Fee', '2026-03-01 12:00:00,BTCUSDT,BUY,65000.5,0.001BTC,65.0005USDT,0.000001BTC', line3, ''].join('\n');
    const res = await uploadFile(server, specialistToken, c.id, text, { fileName: 'binance.csv', source: 'binance_export', type: 'trade_records' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ exhibitNumber: 'C-1', parseStatus: 'failed' });
    const exhibit = (await specialist.evidence.list.query({ caseId: c.id })).exhibits[0]!;
    expect(exhibit.parseStatus).toBe('failed');
    expect(exhibit.recordCount).toBe(0);
    const column = line3.indexOf('0.05x23') + 1;
    expect(exhibit.parseError).toMatchObject({ messageKey: 'evidence.trade.bad_price', line: 3, column, params: { line: 3, column } });
    const content = await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/content`, { token: specialistToken });
    expect(content.status).toBe(200);
    expect(content.body.equals(Buffer.from(text))).toBe(true);
    expect(content.headers['x-content-sha256']).toBe(sha256(text));
  });
});
