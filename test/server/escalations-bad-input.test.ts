// Bad input to every escalations.* procedure that takes input: a clear 400 with a `validation.*`
// message key naming the field, translated for the reader (zh-CN here), never a 500, and nothing
// written (no row version, no audit entry). Input that passes the schema but names something that
// does not exist is a 404 naming the field, not a 500.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { escalateCase, type Client } from '../support/arbitration-case';
import { stopServer } from './evidence/support';
import { badInputTable, callProcedure, expectBadInputInChinese } from '../support/bad-input';

let server: TestServer;
const zh = {} as Record<'legal' | 'arbitrator', Client>;
const en = {} as Record<'legal' | 'arbitrator', Client>;
const db = () => server.t.db;
/** Real targets, so that input which slipped past validation would actually write something. */
const T = { caseId: '', escalationId: '', memberId: '', rulingId: '' };

const QUERIES = new Set(['escalations.forCase']);
const roleFor = (proc: string) => (proc === 'escalations.assignMember' || proc === 'escalations.forCase' ? 'legal' : 'arbitrator');
const call = (client: Client, proc: string, input: unknown) => callProcedure(client, proc, input, QUERIES);


const long = (n: number) => 'x'.repeat(n);

const base: Record<string, () => Record<string, unknown>> = {
  'escalations.forCase': () => ({ caseId: T.caseId }),
  'escalations.assignMember': () => ({ escalationId: T.escalationId, userId: server.users.arbitrator.id, seat: 'chair' }),
  'escalations.disclose': () => ({ memberId: T.memberId, disclosure: 'No conflicts.' }),
  'escalations.answerSeat': () => ({ memberId: T.memberId, answer: 'accept' }),
  'escalations.recordRuling': () => ({ escalationId: T.escalationId, kind: 'award', text: 'The exchange pays 100 USDT.' }),
  'escalations.signRuling': () => ({ rulingId: T.rulingId }),
  'escalations.addOpinion': () => ({ rulingId: T.rulingId, kind: 'addendum', body: 'Payable in USDT.' }),
};
const { rows, bad } = badInputTable(base);


bad('escalations.forCase', 'caseId a case number', { caseId: 'ARB-2026-000001' }, 'caseId', 'validation.format.uuid');
bad('escalations.forCase', 'unknown field', { withPii: true }, 'withPii', 'validation.unknown_field');
bad('escalations.assignMember', 'escalationId missing', { escalationId: undefined }, 'escalationId');
bad('escalations.assignMember', 'userId a name', { userId: 'helen' }, 'userId', 'validation.format.uuid');
bad('escalations.assignMember', 'seat judge', { seat: 'judge' }, 'seat', 'validation.invalid_enum');
bad('escalations.assignMember', 'seat as a number', { seat: 1 }, 'seat');
bad('escalations.assignMember', 'unknown field', { acceptedAt: '2026-01-01T00:00:00Z' }, 'acceptedAt', 'validation.unknown_field');
bad('escalations.disclose', 'empty disclosure', { disclosure: '' }, 'disclosure', 'validation.required');
bad('escalations.disclose', 'blank disclosure', { disclosure: '  \n ' }, 'disclosure', 'validation.required');
bad('escalations.disclose', 'disclosure of 10,001 characters', { disclosure: long(10_001) }, 'disclosure', 'validation.too_long');
bad('escalations.disclose', 'disclosure with a NUL character', { disclosure: 'none\u0000' }, 'disclosure', 'validation.nul_character');
bad('escalations.disclose', 'memberId not a uuid', { memberId: 'm1' }, 'memberId', 'validation.format.uuid');
bad('escalations.answerSeat', 'answer maybe', { answer: 'maybe' }, 'answer', 'validation.invalid_enum');
bad('escalations.answerSeat', 'answer missing', { answer: undefined }, 'answer', 'validation.required');
bad('escalations.answerSeat', 'reason of 2,001 characters', { answer: 'decline', reason: long(2_001) }, 'reason', 'validation.too_long');
bad('escalations.answerSeat', 'unknown field', { seat: 'chair' }, 'seat', 'validation.unknown_field');
bad('escalations.recordRuling', 'kind verdict', { kind: 'verdict' }, 'kind', 'validation.invalid_enum');
bad('escalations.recordRuling', 'empty text', { text: '' }, 'text', 'validation.required');
bad('escalations.recordRuling', 'text of 50,001 characters', { text: long(50_001) }, 'text', 'validation.too_long');
bad('escalations.recordRuling', 'text as a number', { text: 100 }, 'text', 'validation.invalid_type');
bad('escalations.recordRuling', 'panelSize 2', { panelSize: 2 }, 'panelSize');
bad('escalations.recordRuling', 'unknown field', { decidedAt: '2026-01-01T00:00:00Z' }, 'decidedAt', 'validation.unknown_field');
bad('escalations.signRuling', 'rulingId not a uuid', { rulingId: 'r1' }, 'rulingId', 'validation.format.uuid');
bad('escalations.signRuling', 'a signature hash of your own', { signatureHash: 'a'.repeat(64) }, 'signatureHash', 'validation.unknown_field');
bad('escalations.addOpinion', 'kind concurrence', { kind: 'concurrence' }, 'kind', 'validation.invalid_enum');
bad('escalations.addOpinion', 'body missing', { body: undefined }, 'body', 'validation.required');
bad('escalations.addOpinion', 'body of 50,001 characters', { body: long(50_001) }, 'body', 'validation.too_long');

/** Every synced table bumps one sequence on insert or update; the audit log is counted. */
async function snapshot() {
  const r = await sql<{ version: string; audit: string }>`
    select (select last_value::text from change_version) as version, (select count(*)::text from audit_log) as audit`.execute(db());
  return r.rows[0]!;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ['legal', 'arbitrator'] as const) {
    const token = await server.login(role);
    zh[role] = server.client(token, 'zh-CN');
    en[role] = server.client(token, 'en');
  }
  const specialist = server.client(await server.login('specialist'));
  ({ caseId: T.caseId, escalationId: T.escalationId } = await escalateCase({ specialist, legal: en.legal }, 'uid-escalation-bad-input', 'arbitration'));
  T.memberId = (await en.legal.escalations.assignMember.mutate({ escalationId: T.escalationId, userId: server.users.arbitrator.id, seat: 'chair' })).id;
  // A ruling id that exists nowhere yet: validation must refuse before anything looks it up.
  T.rulingId = randomUUID();
}, 120_000);

afterAll(async () => stopServer(server));

describe('bad input to escalations.*', () => {
  it('covers every procedure that takes input', () => {
    expect(new Set(rows.map((r) => r.proc))).toEqual(new Set(Object.keys(base)));
  });

  it.each(rows.map((r) => [`${r.proc}: ${r.label}`, r] as const))('%s → 400 naming the field, in Chinese, nothing written', async (_name, r) => {
    const before = await snapshot();
    expectBadInputInChinese(await failure(call(zh[roleFor(r.proc)], r.proc, r.input())), r);
    expect(await snapshot()).toEqual(before);
  });

  it('names the field of a well-formed id that points at nothing (404, translated), and writes nothing', async () => {
    const before = await snapshot();
    const nothing = randomUUID();
    const cases: [string, Record<string, unknown>, string, string][] = [
      ['escalations.forCase', { caseId: nothing }, 'caseId', 'error.case_not_found'],
      ['escalations.assignMember', { escalationId: nothing, userId: server.users.arbitrator.id }, 'escalationId', 'case.escalation_not_found'],
      ['escalations.disclose', { memberId: nothing, disclosure: 'None.' }, 'memberId', 'case.member_not_found'],
      ['escalations.answerSeat', { memberId: nothing, answer: 'accept' }, 'memberId', 'case.member_not_found'],
      ['escalations.recordRuling', { escalationId: nothing, kind: 'award', text: 'x' }, 'escalationId', 'case.escalation_not_found'],
      ['escalations.signRuling', { rulingId: nothing }, 'rulingId', 'case.ruling_not_found'],
      ['escalations.addOpinion', { rulingId: nothing, kind: 'addendum', body: 'x' }, 'rulingId', 'case.ruling_not_found'],
    ];
    for (const [proc, input, field, key] of cases) {
      const err = await failure(call(zh[roleFor(proc)], proc, input));
      expect([proc, err.httpStatus, err.field, err.messageKey]).toEqual([proc, 404, field, key]);
      expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    }
    // A user id that names nobody is bad input on the field.
    const err = await failure(call(zh.legal, 'escalations.assignMember', { escalationId: T.escalationId, userId: nothing, seat: 'chair' }));
    expect(err).toMatchObject({ httpStatus: 400, field: 'userId', messageKey: 'error.user_not_found' });
    expect(await snapshot()).toEqual(before);
  });
});
