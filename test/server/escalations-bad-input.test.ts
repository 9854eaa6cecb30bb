// Bad input to every escalations.* procedure that takes input: a clear 400 with a `validation.*`
// message key naming the field, translated for the reader (zh-CN here), never a 500, and nothing
// written (no row version, no audit entry). Input that passes the schema but names something that
// does not exist is a 404 naming the field, not a 500.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { type Client } from '../support/arbitration-case';
import { complaint, stopServer } from './evidence/support';
import { translate } from '../../shared/i18n';

let server: TestServer;
const zh = {} as Record<'legal' | 'arbitrator', Client>;
const en = {} as Record<'legal' | 'arbitrator', Client>;
const db = () => server.t.db;
/** Real targets, so that input which slipped past validation would actually write something. */
const T = { caseId: '', escalationId: '', memberId: '', rulingId: '' };

const QUERIES = new Set(['escalations.forCase']);
const roleFor = (proc: string) => (proc === 'escalations.assignMember' || proc === 'escalations.forCase' ? 'legal' : 'arbitrator');

function call(client: Client, proc: string, input: unknown): Promise<unknown> {
  const [ns, name] = proc.split('.') as [string, string];
  const p = (client as unknown as Record<string, Record<string, { query(i: unknown): Promise<unknown>; mutate(i: unknown): Promise<unknown> }>>)[ns]![name]!;
  return QUERIES.has(proc) ? p.query(input) : p.mutate(input);
}

const long = (n: number) => 'x'.repeat(n);
function w(base: Record<string, unknown>, patch: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete out[k];
  return out;
}

const base: Record<string, () => Record<string, unknown>> = {
  'escalations.forCase': () => ({ caseId: T.caseId }),
  'escalations.assignMember': () => ({ escalationId: T.escalationId, userId: server.users.arbitrator.id, seat: 'chair' }),
  'escalations.disclose': () => ({ memberId: T.memberId, disclosure: 'No conflicts.' }),
  'escalations.answerSeat': () => ({ memberId: T.memberId, answer: 'accept' }),
  'escalations.recordRuling': () => ({ escalationId: T.escalationId, kind: 'award', text: 'The exchange pays 100 USDT.' }),
  'escalations.signRuling': () => ({ rulingId: T.rulingId }),
  'escalations.addOpinion': () => ({ rulingId: T.rulingId, kind: 'addendum', body: 'Payable in USDT.' }),
};

interface Row {
  proc: string;
  label: string;
  input: () => unknown;
  field: string;
  key?: string;
}
const rows: Row[] = [];
function bad(proc: string, label: string, patch: Record<string, unknown> | (() => unknown), field: string, key?: string) {
  rows.push({ proc, label, input: typeof patch === 'function' ? patch : () => w(base[proc]!(), patch), field, key });
}

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
bad('escalations.disclose', 'disclosure with a NUL character', { disclosure: 'none\u0000' }, 'disclosure', 'validation.control_characters');
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
  const { id: caseId } = await specialist.cases.create.mutate(complaint('uid-escalation-bad-input'));
  const move = async (client: Client, action: string, extra: Record<string, unknown> = {}) => {
    const { status } = await specialist.cases.get.query({ caseId });
    await client.cases.transition.mutate({ caseId, action, expectedStatus: status, ...extra } as Parameters<Client['cases']['transition']['mutate']>[0]);
  };
  await move(specialist, 'start_review');
  await specialist.cases.classify.mutate({ caseId, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'normal' });
  await move(specialist, 'accept');
  await move(specialist, 'complete_investigation');
  await specialist.cases.setAssessment.mutate({ caseId, platformShare: '50', userShare: '50', thirdPartyShare: '0', findings: 'Shared.' });
  await specialist.cases.proposeRemedy.mutate({ caseId, kind: 'technical_support', details: 'Explain.' });
  await move(specialist, 'propose_resolution');
  await move(en.legal, 'escalate_arbitration', { reason: 'Arbitration clause.', panelSize: 1 });
  T.caseId = caseId;
  T.escalationId = (await en.legal.escalations.forCase.query({ caseId }))[0]!.id;
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
    const err = (await failure(call(zh[roleFor(r.proc)], r.proc, r.input()))) as Awaited<ReturnType<typeof failure>> & {
      params: Record<string, string | number>;
      issues: { field: string; messageKey: string; message: string }[];
      requestId: string;
    };
    expect(err.httpStatus).toBe(400);
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.messageKey).toMatch(/^validation\./);
    if (r.key) expect(err.messageKey).toBe(r.key);
    expect(err.field).toBe(r.field);
    expect(err.issues[0]).toMatchObject({ field: r.field, messageKey: err.messageKey });
    expect(err.message).toBe(translate('zh-CN', err.messageKey, { ...err.params, requestId: err.requestId }));
    expect(err.message).toMatch(/[\u4e00-\u9fff]/);
    expect(err.message).not.toMatch(/\{\w+\}/);
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
