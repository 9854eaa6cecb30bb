// One redaction for everything a neutral receives. Staff and the neutrals themselves type the
// complainant's name, e-mail, phone and ID number into free text — an escalation reason, a
// disclosure, a ruling, an opinion — in whatever form; a mediator's (or arbitrator's) every
// response carries none of it, while internal users still read what was typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { externalUser, type Client } from '../support/arbitration-case';
import { complaint, stopServer } from './evidence/support';

let server: TestServer;
let specialist: Client;
let legal: Client;

const PII = { name: 'Zed Quixote', email: 'zed.quixote@example.com', phone: '+65 9111 2222', idDocumentNumber: 'S1234567D', exchangeUid: 'uid-zq-0042' };
/** Every trace of the complainant, in any of the forms people type. */
const TRACE = /zed|quixote|9111|2222|1234567|zq-?0042/i;
const VARIANTS = 'ZED QUIXOTE (zed  quixote, Quixote, Zed; Mr. Quixote) — ZED.QUIXOTE@EXAMPLE.COM, +6591112222 / 9111 2222 / +65 9111-2222, ID S-1234-567-D, account UID-ZQ-0042';

beforeAll(async () => {
  server = await startTestServer();
  specialist = server.client(await server.login('specialist'));
  legal = server.client(await server.login('legal'));
}, 120_000);
afterAll(async () => stopServer(server));

describe('a mediator on a case whose free text names the complainant', () => {
  const received: { what: string; value: unknown }[] = [];
  let caseId: string;
  let rulingId: string;

  beforeAll(async () => {
    const base = complaint(PII.exchangeUid, { name: PII.name, email: PII.email, phone: PII.phone, description: `Complaint by ${VARIANTS}.` });
    ({ id: caseId } = await specialist.cases.create.mutate({ ...base, complainant: { ...base.complainant, idDocumentNumber: PII.idDocumentNumber } }));
    const move = async (client: Client, action: string, extra: Record<string, unknown> = {}) => {
      const { status } = await specialist.cases.get.query({ caseId });
      return client.cases.transition.mutate({ caseId, action, expectedStatus: status, ...extra } as Parameters<Client['cases']['transition']['mutate']>[0]);
    };
    await move(specialist, 'start_review');
    await specialist.cases.classify.mutate({ caseId, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'normal' });
    await move(specialist, 'accept');
    await move(specialist, 'complete_investigation');
    await specialist.cases.setAssessment.mutate({ caseId, platformShare: '50', userShare: '50', thirdPartyShare: '0', findings: `Shared responsibility; ${VARIANTS}.` });
    await specialist.cases.proposeRemedy.mutate({ caseId, kind: 'technical_support', details: `Call ${VARIANTS}.` });
    await move(legal, 'escalate_mediation', { reason: `Mediation requested by ${VARIANTS}.` });
    const escalationId = (await legal.escalations.forCase.query({ caseId })).find((e) => e.status === 'open')!.id;

    const mediator = await externalUser(server, 'mediator', 'Mediator 调解员');
    const { id: memberId } = await legal.escalations.assignMember.mutate({ escalationId, userId: mediator.id });
    const m = mediator.client;
    const got = async <T>(what: string, p: Promise<T>) => {
      const value = await p;
      received.push({ what, value });
      return value;
    };
    await got('mySeats before disclosure', m.escalations.mySeats.query());
    await got('disclose', m.escalations.disclose.mutate({ memberId, disclosure: `I have never met ${VARIANTS}.` }));
    await got('answerSeat', m.escalations.answerSeat.mutate({ memberId, answer: 'accept', reason: `Accepted; ${VARIANTS}` }));
    const ruling = await got('recordRuling', m.escalations.recordRuling.mutate({ escalationId, kind: 'settlement', text: `Settlement with ${VARIANTS}: 300 USDT.` }));
    rulingId = ruling.id;
    await got('signRuling', m.escalations.signRuling.mutate({ rulingId }));
    await got('addOpinion', m.escalations.addOpinion.mutate({ rulingId, kind: 'addendum', body: `Paid to ${VARIANTS}.` }));
    await got('forCase', m.escalations.forCase.query({ caseId }));
    await got('mySeats', m.escalations.mySeats.query());
    await got('me', m.auth.me.query());
  }, 120_000);

  it('receives no trace of the complainant in any response: reason, disclosure, ruling, opinion, seats', () => {
    expect(received.map((r) => r.what)).toContain('forCase');
    for (const r of received) expect(JSON.stringify(r.value), r.what).not.toMatch(TRACE);
  });

  it('still gets the rest of the text, with each cut character marked', () => {
    const forCase = received.find((r) => r.what === 'forCase')!.value as Awaited<ReturnType<Client['escalations']['forCase']['query']>>;
    const mediation = forCase.find((e) => e.kind === 'mediation')!;
    expect(mediation.reason).toMatch(/^Mediation requested by █+.* ID █+, account █+\.$/);
    expect(mediation.rulings[0]!.text).toMatch(/^Settlement with █+.*: 300 USDT\.$/s);
    expect(mediation.rulings[0]!.opinions[0]!.body).toMatch(/^Paid to █/);
    expect(mediation.members[0]!.disclosure).toMatch(/^I have never met █/);
    // The signature is checked against the ruling as recorded, not the redacted copy.
    expect(mediation.rulings[0]!.signatures[0]!.valid).toBe(true);
  });

  it('leaves internal users the text as typed', async () => {
    const forCase = await legal.escalations.forCase.query({ caseId });
    const mediation = forCase.find((e) => e.kind === 'mediation')!;
    expect(mediation.reason).toContain('ZED QUIXOTE');
    expect(mediation.rulings[0]!.text).toContain('+6591112222');
  });
});
