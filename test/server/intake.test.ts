// The intake REST API over a real server and a real database: a complaint becomes a case, a retry
// finds the same case, parallel retries still make one, and the OpenAPI document matches the validator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { createIntakeKey } from '../../server/src/intake/intake-keys.repository';
import * as admin from '../../server/src/admin/admin.service';
import { intakeResultSchema, errorResponseSchema } from '../../server/src/intake/openapi';
import { postComplaint, rowCounts, uniqueRef, validComplaint } from '../support/intake';

let s: TestServer;
let key: { id: string; key: string };
let otherKey: { id: string; key: string };
let noTeamKey: { id: string; key: string };

beforeAll(async () => {
  s = await startTestServer();
  key = await createIntakeKey(s.t.db, { name: 'Helpdesk', defaultTeamId: s.teamId });
  otherKey = await createIntakeKey(s.t.db, { name: 'Live chat', defaultTeamId: s.otherTeamId });
  noTeamKey = await createIntakeKey(s.t.db, { name: 'Web form', defaultTeamId: null });
});
afterAll(async () => s?.close());

describe('POST /api/v1/complaints', () => {
  it('turns a valid complaint into a classified, priced case with its PII kept apart, a timeline event and an audit entry', async () => {
    const body = validComplaint();
    const before = new Date();
    const res = await postComplaint(s.url, key.key, body);
    expect(res.status).toBe(201);
    const result = intakeResultSchema.parse(res.json);
    expect(result.duplicate).toBe(false);
    expect(result.caseNumber).toMatch(new RegExp(`^ARB-${before.getUTCFullYear()}-\\d{6}$`));

    const row = await s.t.db.selectFrom('cases').selectAll().where('id', '=', result.id).executeTakeFirstOrThrow();
    expect(row.case_number).toBe(result.caseNumber);
    expect(row.external_ref).toBe(body.externalRef);
    expect(row.intake_key_id).toBe(key.id);
    expect(row.team_id).toBe(s.teamId);
    expect(row.channel).toBe('ticket');
    expect(row.status).toBe('received');
    expect(row.description).toBe('Someone logged in from a new device and withdrew my BTC.');
    expect(row.occurred_at.toISOString()).toBe('2026-11-20T14:14:00.000Z');
    // Default tiering: an account takeover goes to L3 emergency response, urgent.
    expect(row.tier).toBe('L3');
    expect(row.priority).toBe('urgent');
    expect(row.tiering_rule_id).toBe('default-security-takeover');
    // BTC at the seeded 95000 USD: 0.5 BTC + 1200.123456789012345678 USDT, exactly.
    expect(row.usd_equivalent).toBe('48700.123456789012345678');
    // L3 urgent: first response within 5 minutes, resolution within 4 hours of receipt.
    expect(row.first_response_due_at.getTime() - row.received_at.getTime()).toBe(5 * 60_000);
    expect(row.resolution_due_at.getTime() - row.received_at.getTime()).toBe(4 * 3600_000);

    const amounts = await s.t.db.selectFrom('case_amounts').select(['asset', 'amount', 'usd_rate', 'usd_value']).where('case_id', '=', result.id).orderBy('asset').execute();
    expect(amounts).toEqual([
      { asset: 'BTC', amount: '0.500000000000000000', usd_rate: '95000.000000000000000000', usd_value: '47500.000000000000000000' },
      { asset: 'USDT', amount: '1200.123456789012345678', usd_rate: '1.000000000000000000', usd_value: '1200.123456789012345678' },
    ]);

    // PII lives in complainant_pii only: not in the case, not in the complainant row, not in the timeline.
    const complainant = await s.t.db.selectFrom('complainants').selectAll().where('id', '=', row.complainant_id).executeTakeFirstOrThrow();
    expect(complainant).toMatchObject({ exchange_uid: 'u-1001', vip_level: 3, region: 'SG', language: 'zh-CN' });
    const pii = await s.t.db.selectFrom('complainant_pii').selectAll().where('complainant_id', '=', row.complainant_id).executeTakeFirstOrThrow();
    expect(pii).toMatchObject({ name: '王小明', email: 'wang@example.com', phone: '+65 8123 4567' });
    const events = await s.t.db.selectFrom('case_events').selectAll().where('case_id', '=', result.id).execute();
    for (const text of [JSON.stringify(row), JSON.stringify(complainant), JSON.stringify(events)]) {
      expect(text).not.toContain('王小明');
      expect(text).not.toContain('wang@example.com');
      expect(text).not.toContain('8123 4567');
    }

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'case.received', actor_id: null });
    expect(events[0]!.payload).toMatchObject({ channel: 'ticket', externalRef: body.externalRef, tier: 'L3', priority: 'urgent', usdEquivalent: '48700.123456789012345678' });

    const auditRows = await s.t.db.selectFrom('audit_log').selectAll().where('case_id', '=', result.id).execute();
    expect(auditRows).toHaveLength(1);
    expect(auditRows[0]).toMatchObject({ action: 'case.received', actor_id: null, actor_label: 'intake:Helpdesk', entity: 'cases', entity_id: result.id });
    expect(auditRows[0]!.request_id).toBe(res.headers.get('x-request-id'));
  });

  it('stores amounts with 18 fraction digits exactly and prices them without floats', async () => {
    const res = await postComplaint(s.url, key.key, validComplaint({ category: 'trade', subcategory: 'slippage', amounts: [{ asset: 'BTC', amount: '0.000000000000000001' }] }));
    expect(res.status).toBe(201);
    const amount = await s.t.db.selectFrom('case_amounts').select(['amount', 'usd_value']).where('case_id', '=', res.json.id).executeTakeFirstOrThrow();
    expect(amount.amount).toBe('0.000000000000000001');
    // 1e-18 BTC × 95000 = 9.5e-14 USD, still exact at 18 places.
    expect(amount.usd_value).toBe('0.000000000000095000');
    const row = await s.t.db.selectFrom('cases').select(['usd_equivalent', 'tier', 'priority']).where('id', '=', res.json.id).executeTakeFirstOrThrow();
    expect(row.usd_equivalent).toBe('0.000000000000095000');
    expect(row).toMatchObject({ tier: 'L2', priority: 'normal' });
  });

  it('classifies by USD equivalent: a 2 BTC slippage claim (190,000 USD) is a major amount, L3 high', async () => {
    const res = await postComplaint(s.url, key.key, validComplaint({ category: 'trade', subcategory: 'slippage', amounts: [{ asset: 'BTC', amount: '2' }] }));
    expect(res.status).toBe(201);
    const row = await s.t.db.selectFrom('cases').select(['usd_equivalent', 'tier', 'priority', 'tiering_rule_id']).where('id', '=', res.json.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ usd_equivalent: '190000.000000000000000000', tier: 'L3', priority: 'high', tiering_rule_id: 'default-major-amount' });
  });

  it('answers a repeated externalRef with the case it already made: 200, duplicate true, nothing new written', async () => {
    const body = validComplaint();
    const first = await postComplaint(s.url, key.key, body);
    expect(first.status).toBe(201);
    const counts = await rowCounts(s.t.db);
    // The same complaint, as a retrying integration sends it (spacing and decimals written otherwise).
    const same = { ...body, description: `\n${body.description as string}  `, amounts: [{ asset: 'USDT', amount: '1200.123456789012345678' }, { asset: 'BTC', amount: '0.50' }] };
    const again = await postComplaint(s.url, key.key, same);
    expect(again.status).toBe(200);
    expect(intakeResultSchema.parse(again.json)).toEqual({ id: first.json.id, caseNumber: first.json.caseNumber, duplicate: true });
    expect(await rowCounts(s.t.db)).toEqual(counts);
  });

  it('answers the same externalRef with a different complaint 409, naming the field that differs, and writes nothing', async () => {
    const body = validComplaint();
    const first = await postComplaint(s.url, key.key, body);
    expect(first.status).toBe(201);
    const counts = await rowCounts(s.t.db);
    const cases: [Record<string, unknown>, string][] = [
      [{ description: 'Sent again with other content.' }, 'description'],
      [{ amounts: [{ asset: 'BTC', amount: '5' }] }, 'amounts'],
      [{ category: 'trade', subcategory: 'slippage' }, 'category'],
      [{ occurredAt: '2026-11-19T22:14:00+08:00' }, 'occurredAt'],
      [{ complainant: { ...(body.complainant as object), exchangeUid: 'u-someone-else' } }, 'complainant.exchangeUid'],
    ];
    for (const [change, field] of cases) {
      const res = await postComplaint(s.url, key.key, { ...body, ...change }, 'zh-CN');
      expect(res.status, field).toBe(409);
      expect(res.json.error, field).toMatchObject({ code: 'conflict', messageKey: 'intake.external_ref_conflict', field });
      expect(res.json.error.message).toContain(first.json.caseNumber);
    }
    expect(await rowCounts(s.t.db)).toEqual(counts);
    const rows = await s.t.db.selectFrom('cases').select(['id', 'description']).where('external_ref', '=', body.externalRef as string).execute();
    expect(rows).toEqual([{ id: first.json.id, description: 'Someone logged in from a new device and withdrew my BTC.' }]);
  });

  it('keeps external references apart per intake key: the same ref from another system is another case', async () => {
    const body = validComplaint();
    const a = await postComplaint(s.url, key.key, body);
    const b = await postComplaint(s.url, otherKey.key, body);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.json.id).not.toBe(a.json.id);
    const teamOfB = await s.t.db.selectFrom('cases').select('team_id').where('id', '=', b.json.id).executeTakeFirstOrThrow();
    expect(teamOfB.team_id).toBe(s.otherTeamId);
  });

  it('makes exactly one case when ten posts of the same externalRef arrive at once', async () => {
    const body = validComplaint({ externalRef: uniqueRef('parallel') });
    const before = await rowCounts(s.t.db);
    const responses = await Promise.all(Array.from({ length: 10 }, () => postComplaint(s.url, key.key, body)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(responses.map((r) => r.json.id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.json.duplicate === false)).toHaveLength(1);
    const rows = await s.t.db.selectFrom('cases').select('id').where('external_ref', '=', body.externalRef as string).execute();
    expect(rows).toHaveLength(1);
    const after = await rowCounts(s.t.db);
    expect(after.cases - before.cases).toBe(1);
    expect(after.audit_log - before.audit_log).toBe(1);
    expect(after.case_events - before.case_events).toBe(1);
  });

  it('gives parallel complaints with different references distinct, consecutive case numbers', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, () => postComplaint(s.url, key.key, validComplaint({ complainant: { exchangeUid: 'u-shared' } }))));
    expect(responses.every((r) => r.status === 201)).toBe(true);
    const numbers = responses.map((r) => Number(String(r.json.caseNumber).slice(-6))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(8);
    expect(numbers[7]! - numbers[0]!).toBe(7);
    const complainants = await s.t.db.selectFrom('complainants').select('id').where('exchange_uid', '=', 'u-shared').execute();
    expect(complainants).toHaveLength(1);
  });

  it('files cases from a key without a default team into the unassigned queue (no team)', async () => {
    const res = await postComplaint(s.url, noTeamKey.key, validComplaint({ category: 'service', subcategory: 'fees', amounts: [] }));
    expect(res.status).toBe(201);
    const row = await s.t.db.selectFrom('cases').select(['team_id', 'tier', 'usd_equivalent']).where('id', '=', res.json.id).executeTakeFirstOrThrow();
    expect(row.team_id).toBeNull();
    expect(row.usd_equivalent).toBe('0.000000000000000000');
  });

  it('applies the schema defaults: vipLevel 0, language en, urgent false, no amounts', async () => {
    const body = validComplaint({ complainant: { exchangeUid: 'u-defaults' }, category: 'kyc_aml', subcategory: 'account_frozen' });
    delete body.amounts;
    const res = await postComplaint(s.url, key.key, body);
    expect(res.status).toBe(201);
    const row = await s.t.db
      .selectFrom('cases')
      .innerJoin('complainants', 'complainants.id', 'cases.complainant_id')
      .select(['cases.urgent', 'cases.language', 'complainants.vip_level'])
      .where('cases.id', '=', res.json.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ urgent: false, language: 'en', vip_level: 0 });
    expect(await s.t.db.selectFrom('case_amounts').select('id').where('case_id', '=', res.json.id).execute()).toHaveLength(0);
  });

  it('accepts a key an admin made through the admin service, and refuses it once the admin revokes it', async () => {
    const a = s.users.admin;
    const ctx = {
      actor: { kind: 'user' as const, userId: a.id, role: 'admin' as const, email: a.email, displayName: 'Test admin', language: 'en' as const, teamIds: [], sessionId: 'test', totpSatisfied: true },
      meta: { requestId: 'test-admin-key', ip: '127.0.0.1', userAgent: null, language: 'en' as const },
    };
    const made = await admin.createIntakeKey(s.t.db, ctx, { name: 'CRM', defaultTeamId: s.otherTeamId });
    const res = await postComplaint(s.url, made.key, validComplaint());
    expect(res.status).toBe(201);
    const row = await s.t.db.selectFrom('cases').select(['intake_key_id', 'team_id']).where('id', '=', res.json.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ intake_key_id: made.intakeKey.id, team_id: s.otherTeamId });
    await admin.revokeIntakeKey(s.t.db, ctx, { id: made.intakeKey.id });
    expect((await postComplaint(s.url, made.key, validComplaint())).status).toBe(401);
  });

  it('refuses a revoked key once it is revoked, even for a reference it sent before', async () => {
    const k = await createIntakeKey(s.t.db, { name: 'Soon revoked', defaultTeamId: s.teamId });
    const body = validComplaint();
    expect((await postComplaint(s.url, k.key, body)).status).toBe(201);
    await s.t.db.updateTable('intake_keys').set({ revoked_at: new Date() }).where('id', '=', k.id).execute();
    const res = await postComplaint(s.url, k.key, body, 'zh-CN');
    expect(res.status).toBe(401);
    expect(errorResponseSchema.parse(res.json).error.messageKey).toBe('intake.key_invalid');
  });
});

describe('GET /api/v1/openapi.json', () => {
  it('serves an OpenAPI 3.1 document whose request schema is the validator’s', async () => {
    const res = await fetch(`${s.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.intakeKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const op = doc.paths['/api/v1/complaints'].post;
    expect(op.security).toEqual([{ intakeKey: [] }]);
    expect(op.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ComplaintIntake' });
    expect(Object.keys(op.responses).sort()).toEqual(expect.arrayContaining(['200', '201', '400', '401', '413', '429']));
    for (const status of ['400', '401', '413', '429']) expect(op.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });

    const request = doc.components.schemas.ComplaintIntake;
    expect(request.type).toBe('object');
    expect(request.additionalProperties).toBe(false);
    expect([...request.required].sort()).toEqual(['category', 'channel', 'complainant', 'description', 'externalRef', 'occurredAt', 'subcategory']);
    expect(request.properties.complainant.required).toEqual(['exchangeUid']);
    expect(request.properties.channel.enum).toContain('live_chat');
    expect(request.properties.amounts.maxItems).toBe(20);
    expect(request.properties.amounts.items.properties.amount.type).toBe('string');
    expect(request.properties.complainant.properties.vipLevel).toMatchObject({ type: 'integer', minimum: 0, maximum: 9 });

    const error = doc.components.schemas.Error;
    expect(error.properties.error.required).toEqual(expect.arrayContaining(['code', 'messageKey', 'message', 'field', 'issues', 'requestId']));
    // The example in the document is itself a valid complaint.
    const example = op.requestBody.content['application/json'].example;
    const posted = await postComplaint(s.url, key.key, { ...example, externalRef: uniqueRef('example') });
    expect(posted.status).toBe(201);
  });
});
