// Responses that carry PII or evidence are never kept by a browser or proxy cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { call, complaint, uploadOk } from './evidence/support';

let server: TestServer;
let token: string;
let caseId: string;

beforeAll(async () => {
  server = await startTestServer();
  token = await server.login('specialist');
  caseId = (await server.client(token).cases.create.mutate(complaint('uid-no-store'))).id;
});
afterAll(async () => server?.close());

describe('Cache-Control: no-store', () => {
  it('on the complainant PII JSON and every tRPC answer, errors included', async () => {
    const pii = await call(server, 'GET', `/trpc/cases.complainantPii?input=${encodeURIComponent(JSON.stringify({ caseId }))}`, { token });
    expect(pii.status).toBe(200);
    expect(pii.json.result.data.email).toContain('@');
    expect(pii.headers['cache-control']).toBe('no-store');
    const refused = await call(server, 'GET', `/trpc/cases.complainantPii?input=${encodeURIComponent('{}')}`, { token });
    expect(refused.status).toBe(400);
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('on exhibit downloads and record exports', async () => {
    const csv = 'Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n2026-03-01 12:00:01,BTCUSDT,BUY,86420.00,0.5BTC,43210.00USDT,0.0005BTC\n';
    const exhibit = await uploadOk(server, token, caseId, csv, { fileName: 'trades.csv', type: 'trade_records', source: 'binance_export' });
    const content = await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/content`, { token });
    expect(content.status).toBe(200);
    expect(content.headers['cache-control']).toBe('no-store');
    const records = await call(server, 'GET', `/api/v1/exhibits/${exhibit.id}/records.csv`, { token });
    expect(records.status).toBe(200);
    expect(records.headers['cache-control']).toBe('no-store');
  });
});
