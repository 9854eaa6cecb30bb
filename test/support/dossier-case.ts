// A case like the demo's, worked through the real API so every row, event and custody entry is the
// server's own: a slippage complaint in Chinese and English, screenshots, an OKX order history of
// a few hundred orders (a table over several pages), a Chinese chat transcript, a bank statement,
// an activity log, an internal-only platform note; notes, a consultation, a communication, an
// assessment, a remedy, the resolution proposed — and, when asked, an arbitration whose arbitrator
// disclosed and accepted, with a redacted span for the external copy.
import { expect } from 'vitest';
import type { TestServer } from './server';
import { complaint, makePdf, makePng, uploadOk } from '../server/evidence/support';

type Client = ReturnType<TestServer['client']>;

export interface DemoLikeCase {
  caseId: string;
  caseNumber: string;
  exhibits: { id: string; exhibitNumber: string; sha256: string; internalOnly: boolean }[];
  /** Set when the case went to arbitration. */
  escalationId: string | null;
}

/** An OKX order-history export of `n` orders, in the format the evidence parser reads. */
export function okxOrders(n: number): string {
  const lines = ['Order ID,Order Time(UTC+8),Instrument,Side,Order Type,Order Price,Order Amount,Filled,Avg. Fill Price,Fee,Fee Currency,Status'];
  for (let i = 0; i < n; i++) {
    const minute = String(i % 60).padStart(2, '0');
    const hour = String(8 + Math.floor(i / 60) % 12).padStart(2, '0');
    const price = (65000 + ((i * 37) % 900) + 0.5).toFixed(1);
    lines.push(`6123456789${String(10000000 + i)},2026-03-01 ${hour}:${minute}:00,BTC-USDT,${i % 3 ? 'buy' : 'sell'},limit,${price},0.0${(i % 9) + 1}2,0.0${(i % 9) + 1}2,${price},-0.00000${(i % 7) + 1},BTC,Filled`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

export const CHAT = [
  '[2026-03-01 12:00:05] 客服 小李: 您好，请问有什么可以帮您？',
  '[2026-03-01 12:00:41] 陈静: 我的市价单成交价比报价低了 1,200 USDT，请帮我查一下。我的电话是 +65 8123 4567',
  '[2026-03-01 12:01:10] 客服 小李：已为您查询，请稍候。Your order was filled during a price spike.',
  '',
].join('\n');

const ACTIVITY = ['时间(UTC+8),IP地址,设备,操作,登录地点,结果', '2026-03-01 19:58:00,203.0.113.7,iPhone 15 (iOS 19.1),登录,新加坡,成功', '2026-03-01 20:00:00,203.0.113.7,iPhone 15 (iOS 19.1),市价卖出 0.5 BTC,新加坡,成功', ''].join('\n');

export async function buildDemoLikeCase(
  server: TestServer,
  clients: { specialist: Client; legal: Client; supervisor: Client; arbitrator?: Client; specialistToken: string; legalToken: string },
  options: { uid: string; orders?: number; arbitration?: boolean },
): Promise<DemoLikeCase> {
  const { specialist, legal } = clients;
  const created = await specialist.cases.create.mutate({
    ...complaint(options.uid, { description: '市价卖出 0.5 BTC，成交价远低于下单时的报价，滑点约 1,200 USDT。Market sell of 0.5 BTC filled far below the quoted price.' }),
  });
  const caseId = created.id;
  const status = async () => (await specialist.cases.get.query({ caseId })).status as string;
  const step = async (client: Client, action: string, extra: Record<string, unknown> = {}) =>
    client.cases.transition.mutate({ caseId, action, expectedStatus: await status(), ...extra } as Parameters<Client['cases']['transition']['mutate']>[0]);

  await step(specialist, 'start_review');
  await specialist.cases.classify.mutate({ caseId, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'high' });
  await step(specialist, 'accept');

  const token = clients.specialistToken;
  const uploads: [Uint8Array | string, Parameters<typeof uploadOk>[4]][] = [
    [makePng(640, 400), { fileName: '成交截图.png', source: 'live_chat', type: 'image' }],
    [makePng(1200, 800), { fileName: 'order-book-at-fill.png', source: 'app_feedback', type: 'image' }],
    [okxOrders(options.orders ?? 240), { fileName: 'okx-orders.csv', source: 'okx_export', type: 'order_history' }],
    [CHAT, { fileName: '客服对话.txt', source: 'live_chat', type: 'chat_transcript' }],
    [makePdf(2), { fileName: 'bank-statement.pdf', source: 'email', type: 'pdf' }],
    [ACTIVITY, { fileName: 'logins.csv', source: 'risk_system', type: 'activity_log', side: 'platform' }],
    [makePng(300, 200), { fileName: 'risk-desk-note.png', source: 'risk_system', type: 'image', side: 'platform', internalOnly: true }],
  ];
  const exhibits: DemoLikeCase['exhibits'] = [];
  for (const [bytes, o] of uploads) {
    const e = await uploadOk(server, token, caseId, bytes, o);
    exhibits.push({ id: e.id, exhibitNumber: e.exhibitNumber, sha256: e.sha256, internalOnly: o.internalOnly === true });
  }

  await specialist.cases.addNote.mutate({ caseId, body: '用户称市价单滑点约 1,200 USDT；已调取 OKX 订单记录与盘口截图。' });
  await specialist.cases.addNote.mutate({ caseId, body: 'Order book at the fill shows a 2-second liquidity gap after the price spike.' });
  const consultation = await specialist.cases.addConsultation.mutate({ caseId, team: 'risk', question: '成交时盘口是否出现异常插针？Was there an abnormal spike?' });
  await legal.cases.answerConsultation.mutate({ consultationId: (consultation as { id: string }).id, answer: '是，20:00:00 出现 2 秒流动性断层。Yes: a two-second liquidity gap at 20:00:00.' });
  await specialist.cases.logCommunication.mutate({ caseId, direction: 'outbound', channel: 'live_chat', body: '已告知用户正在核查成交记录，预计 24 小时内回复。' });
  await step(specialist, 'complete_investigation');
  await specialist.cases.setAssessment.mutate({ caseId, platformShare: '60', userShare: '40', thirdPartyShare: '0', findings: '插针保护延迟 2 秒触发，平台承担 60%；市价单风险提示已展示，用户承担 40%。' });
  await specialist.cases.proposeRemedy.mutate({ caseId, kind: 'compensation', asset: 'USDT', amount: '720', details: '按滑点损失 1,200 USDT 的 60% 补偿。' });
  await step(specialist, 'propose_resolution');

  let escalationId: string | null = null;
  if (options.arbitration) {
    // The complainant's phone number in the chat is cut for the external copy.
    const chat = exhibits[3]!;
    const records = await legal.evidence.records.query({ exhibitId: chat.id });
    const line = records.records.find((r) => typeof r.data.text === 'string' && (r.data.text as string).includes('+65'))!;
    const text = line.data.text as string;
    const start = [...text].findIndex((_, i) => [...text].slice(i).join('').startsWith('+65'));
    await legal.evidence.redact.mutate({ exhibitId: chat.id, recordSeq: line.seq, field: 'text', start, end: start + '+65 8123 4567'.length, reason: '用户电话 / complainant phone' });

    await step(legal, 'escalate_arbitration', { reason: '用户不接受 60% 的责任认定，援引用户协议的仲裁条款。', panelSize: 1 });
    const escalations = (await legal.escalations.forCase.query({ caseId })) as unknown as { escalations?: { id: string }[] } | { id: string }[];
    const list = Array.isArray(escalations) ? escalations : (escalations.escalations ?? []);
    escalationId = list[0]!.id;
    if (clients.arbitrator) {
      await legal.escalations.assignMember.mutate({ escalationId, userId: server.users.arbitrator.id, seat: 'chair' });
      const seats = (await clients.arbitrator.escalations.mySeats.query()) as { memberId: string }[];
      const memberId = seats[0]!.memberId;
      await clients.arbitrator.escalations.disclose.mutate({ memberId, disclosure: 'No conflicts of interest with either party. 与双方均无利益冲突。' });
      await clients.arbitrator.escalations.answerSeat.mutate({ memberId, answer: 'accept' });
    }
  }
  const c = await specialist.cases.get.query({ caseId });
  expect(exhibits.map((e) => e.exhibitNumber)).toHaveLength(uploads.length);
  return { caseId, caseNumber: (c as { caseNumber: string }).caseNumber, exhibits, escalationId };
}
