// What leaves for an external arbitrator: redacted spans of transcripts (the original untouched,
// the redaction and every share on the custody trail), the complainant's PII removed on the server
// wherever it appears, and only legal and supervisors may redact or share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../../support/server';
import { call, complaint, sha256, stopServer, uploadOk } from './support';

let server: TestServer;
let specialistToken: string;
let specialist: ReturnType<TestServer['client']>;
let legal: ReturnType<TestServer['client']>;

const PII = { name: '王小明', email: 'wang.xm@example.com', phone: '+86 138 0013 8000' };
const ORDER = 'W20260226-0001';
const CHAT = [
  '[2026-03-01 12:00:05] 客服 小李: 您好,请问有什么可以帮您?',
  `[2026-03-01 12:00:41] ${PII.name}: 我是${PII.name},邮箱 ${PII.email},电话 ${PII.phone}`,
  `[2026-03-01 12:01:10] ${PII.name}: 我的提币订单 ${ORDER} 三天了还没到账`,
  '[2026-03-01 12:02:00] 客服 小李：已为您查询,请稍候。',
  '',
].join('\n');
const ORDER_LINE = `我的提币订单 ${ORDER} 三天了还没到账`;

let caseId: string;
let caseNumber: string;
let chatId: string;

beforeAll(async () => {
  server = await startTestServer();
  specialistToken = await server.login('specialist');
  specialist = server.client(specialistToken);
  legal = server.client(await server.login('legal'));
  const created = await specialist.cases.create.mutate(
    complaint('uid-redaction', { ...PII, description: `${PII.name} (${PII.email}, ${PII.phone}) reports a withdrawal that never arrived; call ${PII.phone}.` }),
  );
  caseId = created.id;
  caseNumber = created.caseNumber;
  chatId = (await uploadOk(server, specialistToken, caseId, CHAT, { fileName: '客服对话.txt', source: 'live_chat', type: 'chat_transcript' })).id;
});

afterAll(async () => {
  await stopServer(server);
});

const custody = async (exhibitId: string) => (await legal.evidence.get.query({ exhibitId })).custody;

describe('redacting a span of a transcript', () => {
  const start = [...ORDER_LINE.slice(0, ORDER_LINE.indexOf(ORDER))].length;
  const end = start + ORDER.length;

  it('shows the span as █ of the same length to external recipients, the original untouched', async () => {
    const before = await specialist.evidence.records.query({ exhibitId: chatId });
    expect(before.records[2]!.data.text).toBe(ORDER_LINE);

    const r = await legal.evidence.redact.mutate({ exhibitId: chatId, recordSeq: 3, field: 'text', start, end, reason: '订单号与本案无关 / order number not relevant' });
    expect(r.id).toMatch(/^[0-9a-f-]{36}$/);

    const view = await legal.evidence.externalView.mutate({ caseId, recipient: 'Arbitrator Zhang (CIETAC)' });
    expect(view.caseNumber).toBe(caseNumber);
    const exhibit = view.exhibits.find((e) => e.exhibitNumber === 'C-1')!;
    const text = exhibit.records[2]!.data.text as string;
    expect([...text]).toHaveLength([...ORDER_LINE].length);
    expect(text).toBe(ORDER_LINE.replace(ORDER, '█'.repeat(ORDER.length)));
    expect(text).not.toContain(ORDER);
    // Lines without a redaction are shared as they are.
    expect(exhibit.records[0]!.data).toMatchObject({ speaker: '客服 小李', text: '您好,请问有什么可以帮您?' });

    // The original: the record, and the bytes.
    const after = await specialist.evidence.records.query({ exhibitId: chatId });
    expect(after.records).toEqual(before.records);
    const content = await call(server, 'GET', `/api/v1/exhibits/${chatId}/content`, { token: specialistToken });
    expect(sha256(content.body)).toBe(sha256(CHAT));
  });

  it('records the redaction and every share, with the recipient, in the custody trail', async () => {
    const before = (await custody(chatId)).filter((c) => c.action === 'share').length;
    await legal.evidence.externalView.mutate({ caseId, recipient: 'Mediator Chen' });
    await legal.evidence.externalView.mutate({ caseId, recipient: 'Arbitrator Zhang (CIETAC)' });
    const trail = await custody(chatId);
    const actions = trail.map((c) => c.action);
    expect(actions[0]).toBe('intake');
    expect(actions).toContain('redaction');
    expect(actions.indexOf('redaction')).toBeLessThan(actions.indexOf('share'));
    const redaction = trail.find((c) => c.action === 'redaction')!;
    expect(redaction.details).toMatchObject({ recordSeq: 3, field: 'text', start, end });
    const shares = trail.filter((c) => c.action === 'share');
    expect(shares).toHaveLength(before + 2);
    expect(shares.slice(-2).map((s) => (s.details as { recipient: string }).recipient)).toEqual(['Mediator Chen', 'Arbitrator Zhang (CIETAC)']);
    expect(shares.at(-1)!.actor).toBeTruthy();
  });

  it('refuses a span outside the text, and a field or record that is not there', async () => {
    const length = [...ORDER_LINE].length;
    const outside = await failure(legal.evidence.redact.mutate({ exhibitId: chatId, recordSeq: 3, field: 'text', start: length - 2, end: length + 5, reason: 'x' }));
    expect(outside).toMatchObject({ httpStatus: 400, messageKey: 'evidence.redaction.span_out_of_range', field: 'end' });
    const backwards = await failure(legal.evidence.redact.mutate({ exhibitId: chatId, recordSeq: 3, field: 'text', start: 5, end: 5, reason: 'x' }));
    expect(backwards).toMatchObject({ httpStatus: 400, field: 'end' });
    const noRecord = await failure(legal.evidence.redact.mutate({ exhibitId: chatId, recordSeq: 99, field: 'text', start: 0, end: 1, reason: 'x' }));
    expect(noRecord).toMatchObject({ httpStatus: 400, messageKey: 'evidence.redaction.record_not_found' });
    const wrongField = await failure(legal.evidence.redact.mutate({ exhibitId: chatId, recordSeq: 3, field: 'time', start: 0, end: 1, reason: 'x' }));
    expect(wrongField).toMatchObject({ httpStatus: 400, messageKey: 'evidence.redaction.field_not_redactable' });
    expect(await server.t.db.selectFrom('redactions').select('id').execute()).toHaveLength(1);
  });

  it('is legal’s or a supervisor’s call, not a specialist’s', async () => {
    const redact = await failure(specialist.evidence.redact.mutate({ exhibitId: chatId, recordSeq: 3, field: 'text', start: 0, end: 2, reason: 'x' }));
    expect(redact.httpStatus).toBe(403);
    const share = await failure(specialist.evidence.externalView.mutate({ caseId, recipient: 'Arbitrator Zhang' }));
    expect(share.httpStatus).toBe(403);
    expect(await server.t.db.selectFrom('redactions').select('id').execute()).toHaveLength(1);
    // The supervisor of the team may.
    const supervisor = server.client(await server.login('supervisor'));
    await expect(supervisor.evidence.externalView.mutate({ caseId, recipient: 'Arbitrator Zhang' })).resolves.toMatchObject({ caseNumber });
  });
});

describe('the complainant’s PII', () => {
  it('appears nowhere in the external view, not in the description nor in a chat line', async () => {
    // It is there internally.
    const internal = await specialist.evidence.records.query({ exhibitId: chatId });
    expect(internal.records[1]!.data.text).toContain(PII.email);
    expect(internal.records[1]!.data.speaker).toBe(PII.name);

    const view = await legal.evidence.externalView.mutate({ caseId, recipient: 'Arbitrator Zhang' });
    const json = JSON.stringify(view);
    for (const value of Object.values(PII)) expect(json).not.toContain(value);
    expect(json).not.toContain('uid-redaction');
    expect(view.description).toContain('reports a withdrawal that never arrived');
    expect(view.description).toContain('█');
    const line = view.exhibits[0]!.records[1]!.data;
    expect(line.speaker).toBe('█'.repeat([...PII.name].length));
    expect(line.text).toBe(`我是███,邮箱 ${'█'.repeat(PII.email.length)},电话 ${'█'.repeat(PII.phone.length)}`);
    expect(view.complainant).toEqual({ reference: `complainant of ${caseNumber}` });
  });

  it('appears nowhere even when a parse warning quotes the cell that holds it', async () => {
    // A formula cell is quoted in the exhibit's parse warnings (metadata): with the email in it.
    const activity = [
      'time,ip,device,action',
      `2026-03-01 12:00:00,203.0.113.7,iPhone,"=HYPERLINK(""mailto:${PII.email}"",""${PII.name}"")"`,
      '',
    ].join('\n');
    const exhibit = await uploadOk(server, specialistToken, caseId, activity, { fileName: 'activity.csv', source: 'risk_system', type: 'activity_log' });
    const listed = (await specialist.evidence.list.query({ caseId })).exhibits.find((e) => e.id === exhibit.id)!;
    expect(JSON.stringify(listed.metadata)).toContain('evidence.parse.formula_cell');

    const view = await legal.evidence.externalView.mutate({ caseId, recipient: 'Arbitrator Zhang' });
    const json = JSON.stringify(view);
    for (const value of Object.values(PII)) expect(json).not.toContain(value);
    const shared = view.exhibits.find((e) => e.sha256 === exhibit.sha256)!;
    expect(shared.records[0]!.data.action).toBe(`=HYPERLINK("mailto:${'█'.repeat(PII.email.length)}","${'█'.repeat(PII.name.length)}")`);
  });

  it('is refused to a caller without the role, whatever the case', async () => {
    const arbitrator = server.client(await server.login('arbitrator'));
    expect((await failure(arbitrator.evidence.externalView.mutate({ caseId, recipient: 'me' }))).httpStatus).toBe(403);
  });
});
