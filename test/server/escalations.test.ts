// Escalations against the real server: legal seats arbitrators (the right role, distinct seats, a
// full panel); each discloses and then accepts or declines; an arbitrator sees the case only once
// accepted; a ruling needs the whole panel and moves the case through the lifecycle (an award:
// arbitration → execution; in mediation a settlement → execution, an impasse → arbitration); each
// member signs once with a hash anyone can recompute; dissents and addenda; every write leaves a
// timeline event and an audit entry; the database refuses to rewrite rulings, signatures, answered
// seats and the custody trail, which it copies from the audit chain itself.
import { amountBand, complainantPseudonym, seatRespondBy } from '../../shared/seat-summary';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, startTestServer, type TestServer } from '../support/server';
import { escalateCase, externalUser, type Client } from '../support/arbitration-case';
import { complaint, stopServer, uploadOk } from './evidence/support';
import { verifyAuditChain } from '../../server/src/audit/audit.service';
import { rulingSignatureHash } from '../../shared/rulings';
import { translate } from '../../shared/i18n';

let server: TestServer;
let specialistToken: string;
let specialist: Client;
let legal: Client;
let supervisor: Client;
const db = () => server.t.db;

beforeAll(async () => {
  server = await startTestServer();
  specialistToken = await server.login('specialist');
  specialist = server.client(specialistToken);
  legal = server.client(await server.login('legal'));
  supervisor = server.client(await server.login('supervisor'));
}, 120_000);

afterAll(async () => stopServer(server));

/** A case of the specialist's team worked to a proposed resolution, then escalated by legal. */
const escalatedCase = (uid: string, to: 'arbitration' | 'mediation', panelSize: 1 | 3 = 1) => escalateCase({ specialist, legal }, uid, to, panelSize);

/** Disclose, then accept (or decline), as the member. */
async function takeSeat(member: { client: Client }, memberId: string, answer: 'accept' | 'decline' = 'accept') {
  await member.client.escalations.disclose.mutate({ memberId, disclosure: 'No conflicts with either party.' });
  return member.client.escalations.answerSeat.mutate({ memberId, answer });
}

const events = async (caseId: string) => (await db().selectFrom('case_events').select('type').where('case_id', '=', caseId).orderBy('at').orderBy('version').execute()).map((e) => e.type);
const audited = async (caseId: string) => (await db().selectFrom('audit_log').select('action').where('case_id', '=', caseId).orderBy('seq').execute()).map((e) => e.action);

describe('a three-member arbitration', () => {
  let caseId: string;
  let escalationId: string;
  let lawyer: Awaited<ReturnType<typeof externalUser>>;
  let accountant: Awaited<ReturnType<typeof externalUser>>;
  let expert: Awaited<ReturnType<typeof externalUser>>;
  let outsider: Awaited<ReturnType<typeof externalUser>>;
  const memberIds: Record<string, string> = {};
  let rulingId: string;

  beforeAll(async () => {
    ({ caseId, escalationId } = await escalatedCase('uid-panel', 'arbitration', 3));
    lawyer = await externalUser(server, 'arbitrator', 'Lawyer 律师');
    accountant = await externalUser(server, 'arbitrator', 'Accountant 会计师');
    expert = await externalUser(server, 'arbitrator', 'Expert 专家');
    outsider = await externalUser(server, 'arbitrator', 'Outsider');
  });

  it('seats arbitrators only, each in a distinct seat, up to the panel size', async () => {
    const mediator = await externalUser(server, 'mediator', 'Mediator');
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: mediator.id, seat: 'lawyer' }))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'case.member_role_mismatch', field: 'userId' });
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: server.users.specialist.id, seat: 'lawyer' }))).toMatchObject({ messageKey: 'case.member_role_mismatch' });
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: lawyer.id }))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'case.member_seat_required', field: 'seat' });
    memberIds.lawyer = (await legal.escalations.assignMember.mutate({ escalationId, userId: lawyer.id, seat: 'lawyer' })).id;
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: accountant.id, seat: 'lawyer' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.member_seat_taken', field: 'seat' });
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: lawyer.id, seat: 'accountant' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.member_already_seated' });
    // A supervisor of the case's team may seat members too.
    memberIds.accountant = (await supervisor.escalations.assignMember.mutate({ escalationId, userId: accountant.id, seat: 'accountant' })).id;
    memberIds.expert = (await legal.escalations.assignMember.mutate({ escalationId, userId: expert.id, seat: 'technical_expert' })).id;
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: outsider.id, seat: 'chair' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.panel_full', field: 'escalationId' });
    // Translated for the reader, with the panel size filled in.
    const zh = await failure(server.client(await server.login('legal'), 'zh-CN').escalations.assignMember.mutate({ escalationId, userId: outsider.id, seat: 'chair' }));
    expect(zh.message).toBe(translate('zh-CN', 'case.panel_full', { size: 3 }));
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId: '00000000-0000-4000-8000-000000000000', userId: outsider.id }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'case.escalation_not_found', field: 'escalationId' });
  });

  it('shows a seated arbitrator their seat, but not the case until they disclosed and accepted', async () => {
    const seats = await lawyer.client.escalations.mySeats.query();
    expect(seats).toEqual([expect.objectContaining({ memberId: memberIds.lawyer, caseId: null, seat: 'lawyer', escalationKind: 'arbitration', panelSize: 3, acceptedAt: null })]);
    expect(seats[0]!.caseNumber).toMatch(/^ARB-/);
    // The pseudonymous summary: an amount band, not the amount; the complainant as a pseudonym of this case; when to answer by.
    const c = await server.t.db.selectFrom('cases').select(['usd_equivalent', 'complainant_id']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(seats[0]).toMatchObject({ amountBand: amountBand(c.usd_equivalent), complainantPseudonym: complainantPseudonym(caseId, c.complainant_id) });
    expect(seats[0]!.amountBand).not.toBeNull();
    expect(new Date(seats[0]!.respondBy).getTime()).toBe(seatRespondBy(new Date(seats[0]!.assignedAt)).getTime());
    expect(JSON.stringify(seats)).not.toContain(c.usd_equivalent);
    expect(await failure(lawyer.client.escalations.forCase.query({ caseId }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'error.case_not_found' });
    // Disclosure comes first; someone else's seat does not exist for them.
    expect(await failure(lawyer.client.escalations.answerSeat.mutate({ memberId: memberIds.lawyer!, answer: 'accept' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.disclosure_required' });
    expect(await failure(outsider.client.escalations.disclose.mutate({ memberId: memberIds.lawyer!, disclosure: 'x' }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'case.member_not_found', field: 'memberId' });
    await lawyer.client.escalations.disclose.mutate({ memberId: memberIds.lawyer!, disclosure: 'I advised a market maker of this exchange in 2023 (ended). No link to the complainant.' });
    expect(await failure(lawyer.client.escalations.disclose.mutate({ memberId: memberIds.lawyer!, disclosure: 'again' }))).toMatchObject({ messageKey: 'case.disclosure_already_recorded' });
    expect(await failure(lawyer.client.escalations.forCase.query({ caseId }))).toMatchObject({ code: 'NOT_FOUND' });
    // Ruling before accepting: refused, and the case did not move.
    expect(await failure(lawyer.client.escalations.recordRuling.mutate({ escalationId, kind: 'award', text: 'x' }))).toMatchObject({ code: 'FORBIDDEN', messageKey: 'case.seat_not_accepted' });

    const answered = await lawyer.client.escalations.answerSeat.mutate({ memberId: memberIds.lawyer!, answer: 'accept' });
    expect(answered).toEqual({ ok: true, caseId });
    expect(await failure(lawyer.client.escalations.answerSeat.mutate({ memberId: memberIds.lawyer!, answer: 'decline' }))).toMatchObject({ messageKey: 'case.seat_already_answered' });
    const [esc] = (await lawyer.client.escalations.forCase.query({ caseId })).filter((e) => e.id === escalationId);
    expect(esc!.members.find((m) => m.id === memberIds.lawyer)).toMatchObject({ disclosure: expect.stringContaining('market maker'), seat: 'lawyer' });
    expect(esc!.members.find((m) => m.id === memberIds.lawyer)!.acceptedAt).not.toBeNull();
    // Still no access to the internal case file procedures.
    expect(await failure(lawyer.client.cases.get.query({ caseId }))).toMatchObject({ code: 'FORBIDDEN' });
    // Another arbitrator, not seated here, still sees nothing.
    expect(await failure(outsider.client.escalations.forCase.query({ caseId }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('needs the whole panel to rule, the right kind of ruling, and a ruling behind record_ruling', async () => {
    expect(await failure(lawyer.client.escalations.recordRuling.mutate({ escalationId, kind: 'award', text: 'Too early.' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.panel_incomplete' });
    await takeSeat(accountant, memberIds.accountant!);
    await takeSeat(expert, memberIds.expert!);
    expect(await failure(lawyer.client.escalations.recordRuling.mutate({ escalationId, kind: 'impasse', text: 'No agreement.' }))).toMatchObject({ code: 'BAD_REQUEST', messageKey: 'case.ruling_kind_not_allowed', field: 'kind' });
    // The bare transition is no way round the ruling record.
    expect(await failure(lawyer.client.cases.transition.mutate({ caseId, action: 'record_ruling', expectedStatus: 'arbitration' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.ruling_required' });
    expect((await specialist.cases.get.query({ caseId })).status).toBe('arbitration');
    expect(await db().selectFrom('rulings').select('id').where('case_id', '=', caseId).execute()).toEqual([]);
  });

  it('records an award that moves the case to execution through the lifecycle, and closes the arbitration', async () => {
    const text = '裁决：平台赔偿 0.049 BTC。\nAward: the exchange pays 0.049 BTC.';
    const r = await lawyer.client.escalations.recordRuling.mutate({ escalationId, kind: 'award', text });
    rulingId = r.id;
    expect(r.status).toBe('execution');
    const c = await specialist.cases.get.query({ caseId });
    expect(c.status).toBe('execution');
    expect(c.escalations.find((e) => e.id === escalationId)).toMatchObject({ status: 'closed', outcome: 'ruled' });
    const timeline = await events(caseId);
    expect(timeline.slice(-2)).toEqual(['ruling.recorded', 'case.transition']);
    const transition = await db().selectFrom('case_events').select('payload').where('case_id', '=', caseId).where('type', '=', 'case.transition').orderBy('at', 'desc').orderBy('version', 'desc').executeTakeFirstOrThrow();
    expect(transition.payload).toMatchObject({ action: 'record_ruling', from: 'arbitration', to: 'execution' });
    // A closed escalation takes no second ruling and no new seats.
    expect(await failure(accountant.client.escalations.recordRuling.mutate({ escalationId, kind: 'award', text: 'Another.' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.escalation_closed' });
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: outsider.id, seat: 'chair' }))).toMatchObject({ messageKey: 'case.escalation_closed' });
  });

  it('lets each accepted member sign once, with a hash over ruling, text, signer and time', async () => {
    for (const m of [lawyer, accountant, expert]) await m.client.escalations.signRuling.mutate({ rulingId });
    expect(await failure(expert.client.escalations.signRuling.mutate({ rulingId }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.ruling_already_signed', field: 'rulingId' });
    expect(await failure(outsider.client.escalations.signRuling.mutate({ rulingId }))).toMatchObject({ code: 'NOT_FOUND', messageKey: 'case.ruling_not_found' });
    const ruling = await db().selectFrom('rulings').selectAll().where('id', '=', rulingId).executeTakeFirstOrThrow();
    const signatures = await db().selectFrom('ruling_signatures').selectAll().where('ruling_id', '=', rulingId).execute();
    expect(signatures.map((s) => s.seat).sort()).toEqual(['accountant', 'lawyer', 'technical_expert']);
    for (const s of signatures) expect(s.signature_hash).toBe(rulingSignatureHash({ rulingId, rulingText: ruling.text, signerId: s.signer_id, signedAt: s.signed_at }));
    const [esc] = (await legal.escalations.forCase.query({ caseId })).filter((e) => e.id === escalationId);
    expect(esc!.rulings[0]!.signatures.map((s) => s.valid)).toEqual([true, true, true]);
  });

  it('takes a dissent from a panel member and an addendum', async () => {
    await expert.client.escalations.addOpinion.mutate({ rulingId, kind: 'dissent', body: 'The exchange should bear 60%.' });
    await accountant.client.escalations.addOpinion.mutate({ rulingId, kind: 'addendum', body: 'Payable in USDT at the award-date rate.' });
    const [esc] = (await lawyer.client.escalations.forCase.query({ caseId })).filter((e) => e.id === escalationId);
    expect(esc!.rulings[0]!.opinions.map((o) => [o.kind, o.authorName])).toEqual([
      ['dissent', 'Expert 专家'],
      ['addendum', 'Accountant 会计师'],
    ]);
  });

  it('leaves a timeline event and an audit entry for every write, and keeps the audit chain whole', async () => {
    const timeline = await events(caseId);
    const count = (t: string) => timeline.filter((e) => e === t).length;
    expect([count('escalation.member_assigned'), count('escalation.disclosure_recorded'), count('escalation.member_accepted'), count('ruling.recorded'), count('ruling.signed'), count('ruling.opinion_added')]).toEqual([3, 3, 3, 1, 3, 2]);
    const actions = await audited(caseId);
    for (const t of ['escalation.member_assigned', 'escalation.disclosure_recorded', 'escalation.member_accepted', 'ruling.recorded', 'ruling.signed', 'ruling.opinion_added']) expect(actions.filter((a) => a === t).length).toBe(count(t));
    expect(await verifyAuditChain(db())).toMatchObject({ ok: true });
  });

  it('is kept as written: the database refuses to change rulings, signatures, opinions and answered seats', async () => {
    await expect(sql`update rulings set text = 'edited' where id = ${rulingId}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from ruling_signatures where ruling_id = ${rulingId}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`update ruling_opinions set body = 'edited' where ruling_id = ${rulingId}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`update rulings set deleted_at = now() where id = ${rulingId}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`update escalation_members set disclosure = 'nothing to see' where id = ${memberIds.lawyer!}`.execute(db())).rejects.toThrow(/cannot be changed/);
    await expect(sql`update escalation_members set accepted_at = null where id = ${memberIds.expert!}`.execute(db())).rejects.toThrow(/cannot be changed/);
    await expect(sql`delete from escalation_members where id = ${memberIds.expert!}`.execute(db())).rejects.toThrow(/append-only/);
  });
});

describe('seats of a sole arbitrator and a mediator', () => {
  it('frees a declined seat for someone else, and lets a sole arbitrator sit as chair only', async () => {
    const { caseId, escalationId } = await escalatedCase('uid-sole', 'arbitration', 1);
    const first = await externalUser(server, 'arbitrator', 'First choice');
    const second = await externalUser(server, 'arbitrator', 'Second choice');
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: first.id, seat: 'lawyer' }))).toMatchObject({ messageKey: 'case.member_seat_not_allowed', field: 'seat' });
    const a = await legal.escalations.assignMember.mutate({ escalationId, userId: first.id, seat: 'chair' });
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: second.id }))).toMatchObject({ messageKey: 'case.panel_full' });
    expect(await takeSeat(first, a.id, 'decline')).toEqual({ ok: true, caseId: null });
    expect(await failure(first.client.escalations.forCase.query({ caseId }))).toMatchObject({ code: 'NOT_FOUND' });
    const b = await legal.escalations.assignMember.mutate({ escalationId, userId: second.id, seat: 'chair' });
    await takeSeat(second, b.id);
    // A dissent needs a panel of three.
    const r = await second.client.escalations.recordRuling.mutate({ escalationId, kind: 'settlement', text: 'Consent award: the parties settled at 500 USDT.' });
    expect(r.status).toBe('execution');
    expect(await failure(second.client.escalations.addOpinion.mutate({ rulingId: r.id, kind: 'dissent', body: 'x' }))).toMatchObject({ code: 'CONFLICT', messageKey: 'case.dissent_needs_panel', field: 'kind' });
    expect(await events(caseId)).toContain('escalation.member_declined');
  });

  it('lets a seated mediator record a settlement (mediation → execution)', async () => {
    const { caseId, escalationId } = await escalatedCase('uid-mediation-settle', 'mediation');
    const mediator = await externalUser(server, 'mediator', 'Mediator 调解员');
    expect(await failure(legal.escalations.assignMember.mutate({ escalationId, userId: mediator.id, seat: 'chair' }))).toMatchObject({ messageKey: 'case.member_seat_not_allowed' });
    const m = await legal.escalations.assignMember.mutate({ escalationId, userId: mediator.id });
    await takeSeat(mediator, m.id);
    expect(await failure(mediator.client.escalations.recordRuling.mutate({ escalationId, kind: 'award', text: 'x' }))).toMatchObject({ messageKey: 'case.ruling_kind_not_allowed' });
    const r = await mediator.client.escalations.recordRuling.mutate({ escalationId, kind: 'settlement', text: '和解：平台补偿 300 USDT。' });
    expect(r.status).toBe('execution');
    await mediator.client.escalations.signRuling.mutate({ rulingId: r.id });
    const c = await specialist.cases.get.query({ caseId });
    expect(c.escalations[0]).toMatchObject({ kind: 'mediation', status: 'closed', outcome: 'settled' });
  });

  it('lets a seated mediator record an impasse, which opens an arbitration of the panel size asked for', async () => {
    const { caseId, escalationId } = await escalatedCase('uid-mediation-impasse', 'mediation');
    const mediator = await externalUser(server, 'mediator', 'Mediator two');
    const m = await legal.escalations.assignMember.mutate({ escalationId, userId: mediator.id });
    await takeSeat(mediator, m.id);
    const r = await mediator.client.escalations.recordRuling.mutate({ escalationId, kind: 'impasse', text: 'No agreement after two sessions.', panelSize: 3 });
    expect(r.status).toBe('arbitration');
    const list = await specialist.cases.get.query({ caseId });
    expect(list.escalations.map((e) => [e.kind, e.status, e.outcome, e.panelSize])).toEqual([
      ['mediation', 'closed', 'impasse', 1],
      ['arbitration', 'open', null, 3],
    ]);
    // The mediator still sees the case they sat on; no arbitrator does yet.
    expect((await mediator.client.escalations.forCase.query({ caseId })).length).toBe(2);
  });
});

describe('the custody trail, copied from the audit chain', () => {
  it('holds a synced copy of every custody entry of an exhibit, written by the database whoever audits', async () => {
    const { id: caseId } = await specialist.cases.create.mutate(complaint('uid-custody-copy'));
    const e = await uploadOk(server, specialistToken, caseId, 'chain,type,value,note\nBTC,address,bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4,wallet\n', { fileName: 'refs.csv', source: 'complainant', type: 'onchain_reference' });
    await specialist.evidence.get.query({ exhibitId: e.id });
    await legal.evidence.setInternalOnly.mutate({ exhibitId: e.id, internalOnly: true });
    const chain = await db().selectFrom('audit_log').select(['seq', 'action', 'hash', 'actor_label']).where('entity', '=', 'exhibits').where('entity_id', '=', e.id).orderBy('seq').execute();
    expect(chain.map((c) => c.action)).toEqual(['custody.intake', 'custody.view', 'custody.marked_internal_only']);
    const copy = await db().selectFrom('custody_entries').select(['seq', 'action', 'hash', 'actor_label', 'case_id', 'exhibit_id', 'version']).where('exhibit_id', '=', e.id).orderBy('seq').execute();
    expect(copy.map((c) => [c.seq, c.action, c.hash, c.actor_label])).toEqual(chain.map((c) => [c.seq, c.action, c.hash, c.actor_label]));
    expect(copy.every((c) => c.case_id === caseId && BigInt(c.version) > 0n)).toBe(true);
    // It travels with the case: the change log names each entry by its place in the chain.
    const logged = await db().selectFrom('change_log').select(['row_key', 'case_id']).where('table_name', '=', 'custody_entries').where('case_id', '=', caseId).execute();
    expect(logged.map((l) => l.row_key).sort()).toEqual(chain.map((c) => c.seq).sort());
    await expect(sql`update custody_entries set action = 'custody.nothing' where exhibit_id = ${e.id}`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`delete from custody_entries where exhibit_id = ${e.id}`.execute(db())).rejects.toThrow(/append-only/);
  });
});
