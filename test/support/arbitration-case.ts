// A three-member arbitration like the demo's (server/src/demo/seed.ts), worked through the real API
// so every row, event and custody entry is the server's own: the demo's exhibits (chat JSON and
// text, an OKX order history, login activity, an on-chain reference, a PNG, an internal-only engine
// log) taken in over REST; notes, a consultation, a communication, an assessment and a remedy; a
// redacted span; a panel that disclosed and accepted; an award signed by all three, a dissent and
// an addendum; and the same screenshot cited by another complainant (an evidence signal).
import { createSession } from '../../server/src/auth/session.service';
import { demoArbitrationExhibits } from '../../server/src/demo/seed';
import type { TestServer } from './server';
import { complaint, uploadOk } from '../server/evidence/support';

export type Client = ReturnType<TestServer['client']>;

/** An arbitrator or mediator with a fresh session (TOTP already satisfied), beside the test server's own users. */
export async function externalUser(server: TestServer, role: 'arbitrator' | 'mediator', name: string): Promise<{ id: string; client: Client }> {
  const row = await server.t.db
    .insertInto('users')
    .values({ email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '.')}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}@example.test`, display_name: name, role, password_hash: 'not-used' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, client: await clientOf(server, row.id) };
}

export async function clientOf(server: TestServer, userId: string): Promise<Client> {
  const { token } = await createSession(server.t.db, { userId, kind: 'browser', totpVerified: true, ip: '127.0.0.1', userAgent: 'test' });
  return server.client(token);
}

export const PANEL_PII = { name: '邓超', email: 'deng.chao.panel@example.com', phone: '+65 8123 4542', idDocumentNumber: 'DEMO-HK-9003' };

export interface PanelArbitrationCase {
  caseId: string;
  caseNumber: string;
  otherCaseId: string;
  escalationId: string;
  rulingId: string;
  members: { userId: string; memberId: string; seat: string; client: Client }[];
  exhibits: { id: string; fileName: string; internalOnly: boolean }[];
  internalExhibitId: string;
  redactionId: string;
}

export async function buildPanelArbitrationCase(
  server: TestServer,
  clients: { specialist: Client; legal: Client; specialistToken: string },
  options: { uid: string },
): Promise<PanelArbitrationCase> {
  const { specialist, legal } = clients;
  const created = await specialist.cases.create.mutate({
    ...complaint(options.uid, {
      name: PANEL_PII.name,
      email: PANEL_PII.email,
      phone: PANEL_PII.phone,
      description: `BTC 永续 3.5 BTC 多仓的止损单设在 90,000，在 86,420 才成交。请致电 ${PANEL_PII.phone} 或邮件 ${PANEL_PII.email}。Stop at 90,000 filled at 86,420.`,
    }),
  });
  const caseId = created.id;
  const status = async () => (await specialist.cases.get.query({ caseId })).status;
  const step = async (client: Client, action: string, extra: Record<string, unknown> = {}) =>
    client.cases.transition.mutate({ caseId, action, expectedStatus: await status(), ...extra } as Parameters<Client['cases']['transition']['mutate']>[0]);

  await step(specialist, 'start_review');
  await specialist.cases.classify.mutate({ caseId, category: 'trade', subcategory: 'execution_price', tier: 'L2', priority: 'high' });
  await step(specialist, 'accept');

  const exhibits: PanelArbitrationCase['exhibits'] = [];
  for (const f of demoArbitrationExhibits({ occurredAt: new Date('2026-03-01T12:00:00Z') })) {
    const e = await uploadOk(server, clients.specialistToken, caseId, f.bytes, { fileName: f.fileName, side: f.side, source: f.source, type: f.type, internalOnly: f.internalOnly });
    exhibits.push({ id: e.id, fileName: f.fileName, internalOnly: f.internalOnly === true });
  }
  const internalExhibitId = exhibits.find((e) => e.internalOnly)!.id;

  await specialist.cases.addNote.mutate({ caseId, body: '插针保护触发延迟 2 秒；已调取撮合引擎日志（仅内部）。' });
  const q = await specialist.cases.addConsultation.mutate({ caseId, team: 'technical', question: 'When did the spike protection engage?' });
  await legal.cases.answerConsultation.mutate({ consultationId: q.id, answer: '2.0 s after the spike; threshold 0.8%.' });
  await specialist.cases.logCommunication.mutate({ caseId, direction: 'outbound', channel: 'live_chat', body: '已收到您的材料，正在核查。' });
  await step(specialist, 'complete_investigation');
  await specialist.cases.setAssessment.mutate({ caseId, platformShare: '20', userShare: '80', thirdPartyShare: '0', findings: '止损市价单按可成交价格成交；插针保护延迟 2 秒，平台承担 20%。' });
  await specialist.cases.proposeRemedy.mutate({ caseId, kind: 'compensation', asset: 'BTC', amount: '0.028', details: '按止损滑点损失 0.14 BTC 的 20% 补偿。' });
  await step(specialist, 'propose_resolution');

  // The complainant's phone in the exported chat is cut for an external copy.
  const chat = exhibits.find((e) => e.fileName.endsWith('.json'))!;
  const records = await legal.evidence.records.query({ exhibitId: chat.id });
  const line = records.records.find((r) => String(r.data.text).includes(PANEL_PII.phone))!;
  const chars = [...String(line.data.text)];
  const start = chars.findIndex((_, i) => chars.slice(i).join('').startsWith(PANEL_PII.phone));
  const redaction = await legal.evidence.redact.mutate({ exhibitId: chat.id, recordSeq: line.seq, field: 'text', start, end: start + PANEL_PII.phone.length, reason: '用户电话 / complainant phone' });

  await step(legal, 'escalate_arbitration', { reason: '用户不接受 20% 的责任认定，要求组成三人仲裁庭。', panelSize: 3 });
  const escalationId = (await legal.escalations.forCase.query({ caseId })).find((e) => e.kind === 'arbitration')!.id;

  const members: PanelArbitrationCase['members'] = [];
  const panel = [
    { name: 'Panel Lawyer 律师', seat: 'lawyer' as const },
    { name: 'Panel Accountant 会计师', seat: 'accountant' as const },
    { name: 'Panel Technical Expert 技术专家', seat: 'technical_expert' as const },
  ];
  for (const p of panel) {
    const u = await externalUser(server, 'arbitrator', p.name);
    const { id: memberId } = await legal.escalations.assignMember.mutate({ escalationId, userId: u.id, seat: p.seat });
    await u.client.escalations.disclose.mutate({ memberId, disclosure: `No conflicts with either party. 与双方无利益冲突。(${p.seat})` });
    await u.client.escalations.answerSeat.mutate({ memberId, answer: 'accept' });
    members.push({ userId: u.id, memberId, seat: p.seat, client: u.client });
  }
  const [chair, accountant, expert] = members as [PanelArbitrationCase['members'][number], PanelArbitrationCase['members'][number], PanelArbitrationCase['members'][number]];
  const ruling = await chair.client.escalations.recordRuling.mutate({
    escalationId,
    kind: 'award',
    text: '裁决：平台承担滑点损失的 35%，即 0.049 BTC，14 日内支付。\nAward: the exchange pays 0.049 BTC within 14 days.',
  });
  for (const m of members) await m.client.escalations.signRuling.mutate({ rulingId: ruling.id });
  await expert.client.escalations.addOpinion.mutate({ rulingId: ruling.id, kind: 'dissent', body: 'The protection threshold was misconfigured; the exchange should bear 60%.' });
  await accountant.client.escalations.addOpinion.mutate({ rulingId: ruling.id, kind: 'addendum', body: '可按裁决日参考价以等值 USDT 履行。' });

  // The same screenshot from another complainant: a signal on both cases.
  const other = await specialist.cases.create.mutate(complaint(`${options.uid}-other`));
  const png = demoArbitrationExhibits({ occurredAt: new Date('2026-03-01T12:00:00Z') }).find((f) => f.type === 'image')!;
  await uploadOk(server, clients.specialistToken, other.id, png.bytes, { fileName: 'screenshot.png', source: 'app_feedback', type: 'image' });

  const c = await specialist.cases.get.query({ caseId });
  return { caseId, caseNumber: c.caseNumber, otherCaseId: other.id, escalationId, rulingId: ruling.id, members, exhibits, internalExhibitId, redactionId: redaction.id };
}

/**
 * A case of the specialist's team worked through the API to a proposed resolution (an assessment
 * and a remedy), then escalated by legal: to arbitration with a panel of `panelSize`, or to
 * mediation. Returns the case and its open escalation.
 */
export async function escalateCase(clients: { specialist: Client; legal: Client }, uid: string, to: 'arbitration' | 'mediation', panelSize: 1 | 3 = 1) {
  const { specialist, legal } = clients;
  const { id: caseId } = await specialist.cases.create.mutate(complaint(uid));
  const move = async (client: Client, action: string, extra: Record<string, unknown> = {}) => {
    const { status } = await specialist.cases.get.query({ caseId });
    return client.cases.transition.mutate({ caseId, action, expectedStatus: status, ...extra } as Parameters<Client['cases']['transition']['mutate']>[0]);
  };
  await move(specialist, 'start_review');
  await specialist.cases.classify.mutate({ caseId, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'normal' });
  await move(specialist, 'accept');
  await move(specialist, 'complete_investigation');
  await specialist.cases.setAssessment.mutate({ caseId, platformShare: '50', userShare: '50', thirdPartyShare: '0', findings: 'Shared responsibility.' });
  await specialist.cases.proposeRemedy.mutate({ caseId, kind: 'technical_support', details: 'Explain the fill.' });
  if (to === 'mediation') await move(legal, 'escalate_mediation', { reason: 'Both sides agree to mediation.' });
  else {
    await move(specialist, 'propose_resolution');
    await move(legal, 'escalate_arbitration', { reason: 'The complainant invokes the arbitration clause.', panelSize });
  }
  const escalationId = (await legal.escalations.forCase.query({ caseId })).find((e) => e.status === 'open')!.id;
  return { caseId, escalationId };
}
