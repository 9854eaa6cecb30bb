// Offline previews that depend on a value only the server knows (the approval threshold, an asset's
// USD rate) are not guessed: the preview says what it waits on, on the mutation's pending step and
// in its effect, in a form the workstation UI translates; once the value is known, a replay decides.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyPull } from '../../desktop/main/store/apply-changes';
import { LOCAL_PENDING_EVENT, awaitedServerFacts, enqueueLocalMutation, rebaseOptimistic } from '../../desktop/main/store/optimistic';
import { translate } from '../../shared/i18n';
import type { MutationArgs, MutationName } from '../../shared/sync/protocol';
import { ids, openTestStore, pullPage, serverCase, serverRow, truncateAll, type TestStore } from './support';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore();
});
afterAll(async () => store?.dispose());

const NOW = new Date('2026-11-21T10:00:00.000Z');
const identity = { userId: ids.user, role: 'specialist' as const };
let seq = 0;

function enqueue<N extends MutationName>(name: N, args: MutationArgs<N>, ctx: { approvalThresholdUsd?: string } = {}) {
  return enqueueLocalMutation(store.db, { seq: ++seq, name, args: args as Record<string, unknown>, createdAt: NOW.toISOString() }, { ...identity, ...ctx });
}
const caseRow = () => store.db.selectFrom('cases').selectAll().where('id', '=', ids.caseA).executeTakeFirstOrThrow();
async function pendingStep(s: number) {
  const steps = await store.db.selectFrom('case_events').select('payload').where('type', '=', LOCAL_PENDING_EVENT).execute();
  const step = steps.find((e) => (e.payload as { seq: number }).seq === s);
  if (!step) throw new Error(`no pending step for seq ${s}`);
  return step;
}

const THRESHOLD = { fact: 'approval_threshold', messageKey: 'case.pending.approval_threshold', params: {} };
const ETH_RATE = { fact: 'usd_rate', messageKey: 'case.pending.usd_rate', params: { asset: 'ETH' } };

async function seedAssessment() {
  await applyPull(
    store.db,
    pullPage([
      { table: 'cases', row: serverCase(ids.caseA, { status: 'assessment' }) },
      { table: 'asset_rates', key: 'BTC|2026-11-20T00:00:00.000Z', row: serverRow({ asset: 'BTC', effective_at: '2026-11-20T00:00:00.000Z', usd_rate: '65000.5' }) },
    ]),
  );
  await enqueue('setAssessment', { caseId: ids.caseA, platformShare: '100', userShare: '0', thirdPartyShare: '0', findings: 'platform fault' });
}

beforeEach(async () => {
  await truncateAll(store.db);
  seq = 0;
});

describe('previews that wait on the server', () => {
  it('a step that hinges on the approval threshold is left to the server and says so', async () => {
    await seedAssessment();
    expect(await enqueue('proposeRemedy', { caseId: ids.caseA, kind: 'refund', asset: 'BTC', amount: '1', details: '' })).toEqual({ caseId: ids.caseA, previewed: true });

    const effect = await enqueue('transition', { caseId: ids.caseA, action: 'propose_resolution', expectedStatus: 'assessment' });
    expect(effect).toEqual({ caseId: ids.caseA, previewed: false, awaiting: [THRESHOLD] });
    expect((await caseRow()).status).toBe('assessment');
    // The timeline's 'not yet synced' step says what it waits on; so does the per-case summary.
    expect((await pendingStep(3)).payload).toMatchObject({ seq: 3, name: 'transition', awaiting: [THRESHOLD] });
    expect(await awaitedServerFacts(store.db, ids.caseA)).toEqual([{ seq: 3, name: 'transition', awaiting: [THRESHOLD] }]);
    // Steps that do not wait on anything carry no such list.
    expect((await pendingStep(2)).payload).not.toHaveProperty('awaiting');

    // Once the threshold is known (here: not exceeded), the replay decides and nothing waits any more.
    await rebaseOptimistic(store.db, { ...identity, approvalThresholdUsd: '100000' });
    expect((await caseRow()).status).toBe('resolution_proposed');
    expect(await awaitedServerFacts(store.db, ids.caseA)).toEqual([]);
    expect((await pendingStep(3)).payload).not.toHaveProperty('awaiting');
  });

  it('a remedy in an asset with no local rate is drafted without a USD value, marked as waiting on the rate', async () => {
    await seedAssessment();
    const effect = await enqueue('proposeRemedy', { caseId: ids.caseA, kind: 'compensation', asset: 'ETH', amount: '2', details: '' });
    expect(effect).toEqual({ caseId: ids.caseA, previewed: true, awaiting: [ETH_RATE] });
    const drafted = await store.db.selectFrom('remedies').selectAll().executeTakeFirstOrThrow();
    expect(drafted).toMatchObject({ kind: 'compensation', asset: 'ETH', usd_value: null, status: 'draft', pending_seq: 2 });
    // The row's pending_seq leads to what it waits on: a UI shows its USD value as pending.
    const waits = new Map((await awaitedServerFacts(store.db, ids.caseA)).map((w) => [w.seq, w.awaiting]));
    expect(waits.get(drafted.pending_seq!)).toEqual([ETH_RATE]);

    // Whether approval is needed hinges on that value, whatever the threshold.
    expect(await enqueue('transition', { caseId: ids.caseA, action: 'request_approval', expectedStatus: 'assessment' }, { approvalThresholdUsd: '1000' })).toEqual({
      caseId: ids.caseA,
      previewed: false,
      awaiting: [ETH_RATE],
    });
    expect(await enqueue('transition', { caseId: ids.caseA, action: 'propose_resolution', expectedStatus: 'assessment' })).toEqual({
      caseId: ids.caseA,
      previewed: false,
      awaiting: [ETH_RATE, THRESHOLD],
    });
    expect((await awaitedServerFacts(store.db, ids.caseA)).map((w) => w.seq)).toEqual([2, 3, 4]);

    // The rate arrives with a pull: the replay values the remedy and decides the approval step.
    await applyPull(store.db, pullPage([{ table: 'asset_rates', key: 'ETH|2026-11-20T00:00:00.000Z', row: serverRow({ asset: 'ETH', effective_at: '2026-11-20T00:00:00.000Z', usd_rate: '3000' }) }]));
    await rebaseOptimistic(store.db, { ...identity, approvalThresholdUsd: '1000' });
    expect(await store.db.selectFrom('remedies').select(['usd_value']).executeTakeFirstOrThrow()).toEqual({ usd_value: '6000.000000000000000000' });
    expect((await caseRow()).status).toBe('pending_approval');
    expect(await store.db.selectFrom('approvals').select(['usd_total', 'threshold_usd']).execute()).toEqual([{ usd_total: '6000.000000000000000000', threshold_usd: '1000.000000000000000000' }]);
    expect(await awaitedServerFacts(store.db, ids.caseA)).toEqual([]);
  });

  it('the pending facts read as sentences in both languages', () => {
    expect(translate('en', THRESHOLD.messageKey, THRESHOLD.params)).toMatch(/approval threshold/);
    expect(translate('zh-CN', THRESHOLD.messageKey, THRESHOLD.params)).toMatch(/审批阈值/);
    expect(translate('en', ETH_RATE.messageKey, ETH_RATE.params)).toContain('ETH');
    expect(translate('zh-CN', ETH_RATE.messageKey, ETH_RATE.params)).toContain('ETH');
  });
});

describe('previews follow the server’s guards (shared/case-mutations)', () => {
  it('no field edit on an archived case, and only real changes are written', async () => {
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseA, { status: 'archived', handler_summary: 'kept' }) }]));
    expect(await enqueue('updateCaseFields', { caseId: ids.caseA, fields: { handler_summary: 'changed offline' } })).toEqual({ caseId: ids.caseA, previewed: false });
    expect(await caseRow()).toMatchObject({ handler_summary: 'kept', pending_seq: null });

    await truncateAll(store.db);
    await applyPull(store.db, pullPage([{ table: 'cases', row: serverCase(ids.caseA, { status: 'investigation', handler_summary: 'same', next_action: 'old' }) }]));
    await enqueue('updateCaseFields', { caseId: ids.caseA, fields: { handler_summary: 'same' } });
    expect((await caseRow()).pending_seq).toBeNull();
    await enqueue('updateCaseFields', { caseId: ids.caseA, fields: { handler_summary: 'same', next_action: 'new' } });
    expect(await caseRow()).toMatchObject({ handler_summary: 'same', next_action: 'new', pending_seq: seq });
  });

  it('four-eyes: a supervisor who drafted money still in draft does not see their approval previewed', async () => {
    await seedAssessment();
    await enqueue('proposeRemedy', { caseId: ids.caseA, kind: 'refund', asset: 'BTC', amount: '1', details: '' });
    const as = (userId: string, role: 'supervisor' | 'legal', args: MutationArgs<'transition'>) =>
      enqueueLocalMutation(store.db, { seq: ++seq, name: 'transition', args, createdAt: NOW.toISOString() }, { userId, role, approvalThresholdUsd: '1000' });
    // Someone else asks for the approval: the drafter is not the requester.
    await as(ids.supervisor, 'legal', { caseId: ids.caseA, action: 'request_approval', expectedStatus: 'assessment' });
    expect(await store.db.selectFrom('approvals').select('requested_by').execute()).toEqual([{ requested_by: ids.supervisor }]);
    expect(await as(ids.user, 'supervisor', { caseId: ids.caseA, action: 'approve', expectedStatus: 'pending_approval' })).toEqual({ caseId: ids.caseA, previewed: false });
    expect((await caseRow()).status).toBe('pending_approval');
  });
});
