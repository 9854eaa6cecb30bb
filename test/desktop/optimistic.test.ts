// What the workstation shows at once when the user acts offline: each mutation's preview, marked
// with its seq and a 'local.pending' step on the timeline — and undone or replayed on top of the
// server's truth.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPull } from '../../desktop/main/store/apply-changes';
import {
  LOCAL_PENDING_EVENT,
  applyLocalMutation,
  enqueueLocalMutation,
  localId,
  rebaseOptimistic,
  revertOptimistic,
  type LocalMutationContext,
} from '../../desktop/main/store/optimistic';
import { setMeta } from '../../desktop/main/store/meta';
import type { MutationArgs, MutationName } from '../../shared/sync/protocol';
import { ids, openTestStore, pullPage, serverCase, serverRow, truncateAll, type TestStore } from './support';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => store?.dispose());

const NOW = new Date('2026-11-21T10:00:00.000Z');
const A1 = '00000000-0000-4000-8000-0000000a0001';
const REM1 = '00000000-0000-4000-8000-0000000b0001';
const Q1 = '00000000-0000-4000-8000-0000000c0001';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let seq = 0;
function ctx(over: Partial<LocalMutationContext> = {}): LocalMutationContext {
  return { seq: ++seq, userId: ids.user, now: NOW, role: 'specialist', ...over };
}
function mutate<N extends MutationName>(name: N, args: MutationArgs<N>, over: Partial<LocalMutationContext> = {}) {
  return applyLocalMutation(store.db, name, args, ctx(over));
}
const caseRow = (id = ids.caseA) => store.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const pendingSteps = (caseId = ids.caseA) =>
  store.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).where('type', '=', LOCAL_PENDING_EVENT).orderBy('at').execute();

async function seed(caseOver: Record<string, unknown> = {}) {
  await applyPull(
    store.db,
    pullPage([
      { table: 'cases', row: serverCase(ids.caseA, caseOver) },
      { table: 'asset_rates', key: 'BTC|2026-11-01T00:00:00.000Z', row: serverRow({ asset: 'BTC', effective_at: '2026-11-01T00:00:00.000Z', usd_rate: '60000' }) },
      { table: 'asset_rates', key: 'BTC|2026-11-20T00:00:00.000Z', row: serverRow({ asset: 'BTC', effective_at: '2026-11-20T00:00:00.000Z', usd_rate: '65000.5' }) },
      { table: 'sla_policies', key: 'L3|urgent', row: serverRow({ tier: 'L3', priority: 'urgent', first_response_minutes: 5, resolution_minutes: 240, updated_by: null, updated_at: '2026-01-01T00:00:00Z' }) },
    ]),
  );
}

beforeEach(async () => {
  await truncateAll(store.db);
  seq = 0;
});

describe('optimistic effects', () => {
  it('addNote inserts the note with the given id, marked pending, and a pending step on the timeline', async () => {
    await seed();
    const effect = await mutate('addNote', { caseId: ids.caseA, id: uuid(1), body: '  客户称账户被盗  ' });
    expect(effect).toEqual({ caseId: ids.caseA, previewed: true });
    const note = await store.db.selectFrom('notes').selectAll().executeTakeFirstOrThrow();
    expect(note).toMatchObject({ id: uuid(1), case_id: ids.caseA, author_id: ids.user, body: '客户称账户被盗', pending_seq: 1, created_at: NOW });
    const [step] = await pendingSteps();
    expect(step).toMatchObject({ id: localId(1, 'event'), actor_id: ids.user, at: NOW, pending_seq: 1 });
    expect(step!.payload).toMatchObject({ seq: 1, name: 'addNote', args: { body: '客户称账户被盗' } });
  });

  it('addConsultation and answerConsultation', async () => {
    await seed({ status: 'investigation' });
    await mutate('addConsultation', { caseId: ids.caseA, id: Q1, team: 'risk', question: 'Was the login from a new device?' });
    await mutate('answerConsultation', { consultationId: Q1, answer: 'Yes, from a new device in another region.' });
    const q = await store.db.selectFrom('consultations').selectAll().executeTakeFirstOrThrow();
    expect(q).toMatchObject({ team: 'risk', asked_by: ids.user, answer: 'Yes, from a new device in another region.', answered_by: ids.user, answered_at: NOW, pending_seq: 2 });
    expect(await pendingSteps()).toHaveLength(2);
    // An answer to a consultation the workstation does not hold shows nothing.
    expect(await mutate('answerConsultation', { consultationId: uuid(99), answer: 'x' })).toEqual({ caseId: null, previewed: false });
  });

  it('logCommunication records it, and the first outbound message is the first response', async () => {
    await seed();
    await mutate('logCommunication', { caseId: ids.caseA, id: uuid(2), direction: 'inbound', channel: 'email', body: 'Any news?' });
    expect((await caseRow()).first_responded_at).toBeNull();
    await mutate('logCommunication', { caseId: ids.caseA, id: uuid(3), direction: 'outbound', channel: 'email', body: 'We are on it.' });
    const c = await caseRow();
    expect(c.first_responded_at).toEqual(NOW);
    expect(c.pending_seq).toBe(2);
    expect(await store.db.selectFrom('communications').select(['direction', 'pending_seq']).orderBy('pending_seq').execute()).toEqual([
      { direction: 'inbound', pending_seq: 1 },
      { direction: 'outbound', pending_seq: 2 },
    ]);
  });

  it('setAssessment supersedes the current one and adds one with an id derived from the seq', async () => {
    await seed({ status: 'assessment' });
    await applyPull(
      store.db,
      pullPage([{ table: 'assessments', row: serverRow({ id: A1, case_id: ids.caseA, platform_share: '100.00', user_share: '0.00', third_party_share: '0.00', third_party_kind: null, findings: 'old', author_id: ids.supervisor, created_at: '2026-11-20T00:00:00Z', superseded_at: null }) }]),
    );
    const args = { caseId: ids.caseA, platformShare: '33.33', userShare: '33.33', thirdPartyShare: '33.34', findings: '第三方黑客盗取' };
    await mutate('setAssessment', args);
    const rows = await store.db.selectFrom('assessments').selectAll().orderBy('created_at').execute();
    expect(rows.map((r) => [r.id, r.superseded_at, r.pending_seq])).toEqual([
      [A1, NOW, 1],
      [localId(1, 'assessment'), null, 1],
    ]);
    expect(rows[1]).toMatchObject({ platform_share: '33.33', third_party_share: '33.34', third_party_kind: 'other', findings: '第三方黑客盗取' });
    // Replaying the same mutation is harmless: its own assessment stays current.
    await applyLocalMutation(store.db, 'setAssessment', args, { seq: 1, userId: ids.user, now: NOW });
    const current = await store.db.selectFrom('assessments').select('id').where('superseded_at', 'is', null).execute();
    expect(current).toEqual([{ id: localId(1, 'assessment') }]);
    // Not in investigation or assessment: no preview, only the pending step.
    await truncateAll(store.db);
    await seed({ status: 'received' });
    expect(await mutate('setAssessment', args)).toEqual({ caseId: ids.caseA, previewed: false });
    expect(await store.db.selectFrom('assessments').select('id').execute()).toEqual([]);
    expect(await pendingSteps()).toHaveLength(1);
  });

  it('proposeRemedy drafts it with the USD value at the latest local rate; withdrawRemedy withdraws it', async () => {
    await seed({ status: 'assessment' });
    await applyPull(
      store.db,
      pullPage([
        { table: 'remedies', row: serverRow({ id: REM1, case_id: ids.caseA, kind: 'refund', asset: 'BTC', amount: '0.1', usd_value: '6000', details: '', status: 'approved', proposed_by: ids.user, created_at: '2026-11-20T00:00:00Z' }) },
      ]),
    );
    await mutate('proposeRemedy', { caseId: ids.caseA, kind: 'compensation', asset: 'BTC', amount: '0.000000000000000002', details: '' });
    const drafted = await store.db.selectFrom('remedies').selectAll().where('id', '=', localId(1, 'remedy')).executeTakeFirstOrThrow();
    expect(drafted).toMatchObject({ kind: 'compensation', status: 'draft', amount: '0.000000000000000002', usd_value: '0.000000000000130001', proposed_by: ids.user, pending_seq: 1 });
    // A new monetary remedy sends approved money back to draft, as the server does.
    expect((await store.db.selectFrom('remedies').select('status').where('id', '=', REM1).executeTakeFirstOrThrow()).status).toBe('draft');

    await mutate('withdrawRemedy', { remedyId: REM1 });
    expect((await store.db.selectFrom('remedies').select(['status', 'pending_seq']).where('id', '=', REM1).executeTakeFirstOrThrow())).toEqual({ status: 'withdrawn', pending_seq: 2 });
    expect(await pendingSteps()).toHaveLength(2);
  });

  it('classify sets the classification and moves the deadlines to the new policy', async () => {
    await seed({ status: 'initial_review' });
    await mutate('classify', { caseId: ids.caseA, category: 'trade', subcategory: 'slippage', tier: 'L3', priority: 'urgent', urgent: true });
    const c = await caseRow();
    expect(c).toMatchObject({ category: 'trade', subcategory: 'slippage', tier: 'L3', priority: 'urgent', urgent: true, pending_seq: 1 });
    // L3/urgent from the local SLA table: 5 minutes and 4 hours from receipt.
    expect(c.first_response_due_at).toEqual(new Date('2026-11-20T08:05:00.000Z'));
    expect(c.resolution_due_at).toEqual(new Date('2026-11-20T12:00:00.000Z'));
  });

  it('recordSatisfaction and updateCaseFields set the fields', async () => {
    await seed({ status: 'follow_up' });
    await mutate('recordSatisfaction', { caseId: ids.caseA, score: 4, comment: '处理及时' });
    await mutate('updateCaseFields', { caseId: ids.caseA, fields: { handler_summary: '已退款', next_action: '回访', urgent: true } });
    expect(await caseRow()).toMatchObject({ satisfaction_score: 4, satisfaction_comment: '处理及时', handler_summary: '已退款', next_action: '回访', urgent: true, pending_seq: 2 });
  });

  it('refuses invalid arguments with the field and message key', async () => {
    await seed();
    await expect(mutate('addNote', { caseId: ids.caseA, id: 'not-a-uuid', body: 'x' })).rejects.toMatchObject({ kind: 'bad_input', messageKey: 'validation.format.uuid' });
    await expect(mutate('setAssessment', { caseId: ids.caseA, platformShare: '50', userShare: '40', thirdPartyShare: '0', findings: 'x' })).rejects.toMatchObject({ messageKey: 'validation.fault_shares_sum' });
    expect(await pendingSteps()).toEqual([]);
  });
});

describe('optimistic transitions', () => {
  it('moves the case when the lifecycle allows it, and records the first response', async () => {
    await seed();
    const effect = await mutate('transition', { caseId: ids.caseA, action: 'start_review', expectedStatus: 'received' });
    expect(effect).toEqual({ caseId: ids.caseA, previewed: true, status: 'initial_review' });
    const c = await caseRow();
    expect(c).toMatchObject({ status: 'initial_review', first_responded_at: NOW, pending_seq: 1 });
  });

  it('leaves the status to the server when the case moved, the role is unknown or the lifecycle refuses', async () => {
    await seed({ status: 'initial_review' });
    // The case is no longer in the state the user saw.
    expect(await mutate('transition', { caseId: ids.caseA, action: 'start_review', expectedStatus: 'received' })).toMatchObject({ previewed: false });
    // No role given and none in meta.
    expect(await mutate('transition', { caseId: ids.caseA, action: 'reject', expectedStatus: 'initial_review', reason: 'unfounded' }, { role: undefined })).toMatchObject({ previewed: false });
    // Not classified yet: accept is refused.
    expect(await mutate('transition', { caseId: ids.caseA, action: 'accept', expectedStatus: 'initial_review' })).toMatchObject({ previewed: false });
    // A reason is required to reject.
    expect(await mutate('transition', { caseId: ids.caseA, action: 'reject', expectedStatus: 'initial_review' })).toMatchObject({ previewed: false });
    expect((await caseRow()).status).toBe('initial_review');
    // Every attempt is still on the timeline as unsynced.
    expect(await pendingSteps()).toHaveLength(4);

    // The role from meta counts; a pending classify counts as classified.
    await setMeta(store.db, 'user', { id: ids.user, role: 'specialist' });
    await mutate('classify', { caseId: ids.caseA, category: 'trade', subcategory: 'slippage', tier: 'L2', priority: 'high' });
    expect(await mutate('transition', { caseId: ids.caseA, action: 'accept', expectedStatus: 'initial_review' }, { role: undefined })).toMatchObject({ previewed: true, status: 'investigation' });
  });

  it('pauses the clock when waiting on the complainant and resumes to the state it left', async () => {
    await seed({ status: 'investigation' });
    await mutate('transition', { caseId: ids.caseA, action: 'request_material', expectedStatus: 'investigation', reason: '请提供充值记录' });
    let c = await caseRow();
    expect(c).toMatchObject({ status: 'awaiting_material', resume_status: 'investigation', sla_paused_at: NOW });
    const later = new Date(NOW.getTime() + 60 * 60_000);
    await mutate('transition', { caseId: ids.caseA, action: 'material_received', expectedStatus: 'awaiting_material' }, { now: later });
    c = await caseRow();
    expect(c).toMatchObject({ status: 'investigation', resume_status: null, sla_paused_at: null, sla_paused_total_ms: '3600000' });
    expect(c.resolution_due_at).toEqual(new Date('2026-11-21T09:00:00.000Z'));
  });

  it('decides approval-dependent steps only when the threshold is known', async () => {
    await seed({ status: 'assessment' });
    await mutate('setAssessment', { caseId: ids.caseA, platformShare: '100', userShare: '0', thirdPartyShare: '0', findings: 'platform fault' });
    await mutate('proposeRemedy', { caseId: ids.caseA, kind: 'refund', asset: 'BTC', amount: '1', details: '' });
    // The threshold is a server setting: unknown here, so whether approval is needed is unknown.
    expect(await mutate('transition', { caseId: ids.caseA, action: 'propose_resolution', expectedStatus: 'assessment' })).toMatchObject({ previewed: false });
    // Known and exceeded: approval first.
    expect(await mutate('transition', { caseId: ids.caseA, action: 'propose_resolution', expectedStatus: 'assessment' }, { approvalThresholdUsd: '10000' })).toMatchObject({ previewed: false });
    expect(await mutate('transition', { caseId: ids.caseA, action: 'request_approval', expectedStatus: 'assessment' }, { approvalThresholdUsd: '10000' })).toMatchObject({
      previewed: true,
      status: 'pending_approval',
    });
    const approval = await store.db.selectFrom('approvals').selectAll().executeTakeFirstOrThrow();
    expect(approval).toMatchObject({ requested_by: ids.user, usd_total: '65000.500000000000000000', threshold_usd: '10000.000000000000000000', decision: null });
    // Four eyes: a supervisor other than the requester approves; the remedies become proposed.
    expect(await mutate('transition', { caseId: ids.caseA, action: 'approve', expectedStatus: 'pending_approval' }, { role: 'supervisor', userId: ids.supervisor })).toMatchObject({
      status: 'resolution_proposed',
    });
    expect(await store.db.selectFrom('approvals').select(['decision', 'decided_by']).executeTakeFirstOrThrow()).toEqual({ decision: 'approved', decided_by: ids.supervisor });
    expect((await store.db.selectFrom('remedies').select('status').executeTakeFirstOrThrow()).status).toBe('proposed');
    // The complainant objects: back to assessment, the proposal superseded, the objection recorded.
    await mutate('transition', { caseId: ids.caseA, action: 'object', expectedStatus: 'resolution_proposed', reason: '金额不足' });
    expect((await caseRow()).status).toBe('assessment');
    expect((await store.db.selectFrom('remedies').select('status').executeTakeFirstOrThrow()).status).toBe('superseded');
    expect(await store.db.selectFrom('objections').select('reason').execute()).toEqual([{ reason: '金额不足' }]);
  });

  it('a non-monetary remedy needs no approval, so the preview proposes it', async () => {
    await seed({ status: 'assessment' });
    await mutate('setAssessment', { caseId: ids.caseA, platformShare: '0', userShare: '100', thirdPartyShare: '0', findings: 'user error' });
    await mutate('proposeRemedy', { caseId: ids.caseA, kind: 'security_advice', details: 'Enable 2FA' });
    expect(await mutate('transition', { caseId: ids.caseA, action: 'propose_resolution', expectedStatus: 'assessment' })).toMatchObject({ status: 'resolution_proposed' });
    expect((await caseRow()).sla_paused_at).toEqual(NOW);
  });

  it('escalation opens an escalation record', async () => {
    await seed({ status: 'resolution_proposed' });
    await mutate('transition', { caseId: ids.caseA, action: 'escalate_arbitration', expectedStatus: 'resolution_proposed', reason: 'no agreement', panelSize: 3 }, { role: 'legal' });
    expect((await caseRow()).status).toBe('arbitration');
    expect(await store.db.selectFrom('escalations').select(['kind', 'status', 'panel_size', 'reason']).execute()).toEqual([{ kind: 'arbitration', status: 'open', panel_size: 3, reason: 'no agreement' }]);
  });
});

describe('undo and replay', () => {
  it('revertOptimistic gives back the server’s rows exactly and removes local ones', async () => {
    await seed({ status: 'investigation', usd_equivalent: '123456789012345678901234567890.123456789012345678' });
    const before = await caseRow();
    await mutate('addNote', { caseId: ids.caseA, id: uuid(1), body: 'local' });
    await mutate('updateCaseFields', { caseId: ids.caseA, fields: { handler_summary: 'local summary', urgent: true } });
    await mutate('transition', { caseId: ids.caseA, action: 'complete_investigation', expectedStatus: 'investigation' });
    expect((await caseRow()).status).toBe('assessment');

    const reverted = await revertOptimistic(store.db);
    expect(reverted).toBeGreaterThan(0);
    expect(await caseRow()).toEqual(before);
    expect(await store.db.selectFrom('notes').select('id').execute()).toEqual([]);
    expect(await pendingSteps()).toEqual([]);
    expect(await store.db.selectFrom('optimistic_base').select('key').execute()).toEqual([]);
  });

  it('rebaseOptimistic replays only unsynced outbox mutations on top of the server’s rows', async () => {
    await seed({ status: 'investigation' });
    const identity = { userId: ids.user, role: 'specialist' as const };
    await enqueueLocalMutation(store.db, { seq: 1, name: 'setAssessment', args: { caseId: ids.caseA, platformShare: '50', userShare: '50', thirdPartyShare: '0', findings: 'shared' }, createdAt: NOW.toISOString() }, identity);
    await enqueueLocalMutation(store.db, { seq: 2, name: 'addNote', args: { caseId: ids.caseA, id: uuid(2), body: 'still offline' }, createdAt: NOW.toISOString() }, identity);
    expect(await store.db.selectFrom('outbox').select(['seq', 'status']).orderBy('seq').execute()).toEqual([
      { seq: 1, status: 'pending' },
      { seq: 2, status: 'pending' },
    ]);

    // The server applied seq 1 (with its own id for the assessment) and the pull brings it.
    await store.db.updateTable('outbox').set({ status: 'applied' }).where('seq', '=', 1).execute();
    await applyPull(
      store.db,
      pullPage([{ table: 'assessments', row: serverRow({ id: A1, case_id: ids.caseA, platform_share: '50.00', user_share: '50.00', third_party_share: '0.00', third_party_kind: null, findings: 'shared', author_id: ids.user, created_at: NOW.toISOString(), superseded_at: null }) }]),
    );
    const result = await rebaseOptimistic(store.db, identity);
    expect(result.replayed).toBe(1);
    // One current assessment: the server's; the local stand-in is gone.
    expect(await store.db.selectFrom('assessments').select(['id', 'superseded_at', 'pending_seq']).execute()).toEqual([{ id: A1, superseded_at: null, pending_seq: null }]);
    // The unsynced note is shown again, with its pending step.
    expect(await store.db.selectFrom('notes').select(['id', 'pending_seq']).execute()).toEqual([{ id: uuid(2), pending_seq: 2 }]);
    expect((await pendingSteps()).map((e) => (e.payload as { seq: number }).seq)).toEqual([2]);
  });

  it('a rejected transition stops showing once the outbox says so', async () => {
    await seed({ status: 'investigation' });
    const identity = { userId: ids.user, role: 'specialist' as const };
    await enqueueLocalMutation(store.db, { seq: 1, name: 'transition', args: { caseId: ids.caseA, action: 'complete_investigation', expectedStatus: 'investigation' }, createdAt: NOW.toISOString() }, identity);
    expect((await caseRow()).status).toBe('assessment');
    await store.db.updateTable('outbox').set({ status: 'rejected' }).where('seq', '=', 1).execute();
    await rebaseOptimistic(store.db, identity);
    expect(await caseRow()).toMatchObject({ status: 'investigation', pending_seq: null });
  });
});
