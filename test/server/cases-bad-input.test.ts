// Bad input at the edge, for every cases.* and rules.* procedure that takes input: a clear 400 with
// a `validation.*` message key naming the field, translated for the reader (zh-CN here), never a
// 500, and nothing written anywhere (rows, row versions, settings, the audit log).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADERS, failure, startTestServer, type TestServer } from '../support/server';
import { badInputTable, callProcedure, expectBadInputInChinese, w } from '../support/bad-input';
import { ROLES, type Role } from '../../shared/domain';

let server: TestServer;
const zh = {} as Record<Role, ReturnType<TestServer['client']>>;
const en = {} as Record<Role, ReturnType<TestServer['client']>>;
const tokens = {} as Record<Role, string>;
const db = () => server.t.db;

/** Real targets, so that input which slipped past validation would actually write something. */
const B = { received: '', assessment: '', consultation: '', remedy: '' };

const QUERIES = new Set(['cases.list', 'cases.get', 'cases.timeline', 'cases.complainantPii', 'cases.slaDueSoon']);
const roleFor = (proc: string): Role =>
  proc.startsWith('rules.') ? 'admin' : proc === 'cases.assign' || proc === 'cases.recordRelation' ? 'supervisor' : 'specialist';
const call = (client: ReturnType<TestServer['client']>, proc: string, input: unknown) => callProcedure(client, proc, input, QUERIES);


const long = (n: number) => 'x'.repeat(n);
const FORTY_DIGITS = '1' + '0'.repeat(39);

// ---- valid inputs, one per procedure -------------------------------------------------------
const complaint = () => ({
  externalRef: `bad-input-${randomUUID()}`,
  channel: 'web_form',
  complainant: { exchangeUid: 'uid-bad-input', name: 'Zhao Lei', email: 'zhao.lei@example.com', vipLevel: 3, language: 'zh-CN' },
  category: 'deposit_withdrawal',
  subcategory: 'deposit_not_credited',
  description: 'USDT deposit on TRON not credited after 40 confirmations.',
  amounts: [{ asset: 'USDT', amount: '5000' }],
  occurredAt: '2026-02-10T03:15:00+08:00',
});
const complainantPatch = (patch: Record<string, unknown>) => w(complaint(), { complainant: w(complaint().complainant, patch) });
const withAmount = (amount: unknown) => w(complaint(), { amounts: [{ asset: 'USDT', amount }] });
const validRule = { id: 'r1', name: 'Everything', order: 1, enabled: true, when: {}, then: { tier: 'L2', priority: 'normal' } };

const base: Record<string, () => Record<string, unknown>> = {
  'cases.create': complaint,
  'cases.list': () => ({ status: ['received'], limit: 20 }),
  'cases.get': () => ({ caseId: B.received }),
  'cases.timeline': () => ({ caseId: B.received }),
  'cases.complainantPii': () => ({ caseId: B.received }),
  'cases.classify': () => ({ caseId: B.received, category: 'deposit_withdrawal', subcategory: 'deposit_not_credited', tier: 'L2', priority: 'high' }),
  'cases.assign': () => ({ caseId: B.received, assigneeId: server.users.specialist.id }),
  'cases.transition': () => ({ caseId: B.received, action: 'start_review', expectedStatus: 'received' }),
  'cases.addNote': () => ({ caseId: B.received, body: 'Asked the wallet team for the TRON node logs.' }),
  'cases.addConsultation': () => ({ caseId: B.received, team: 'technical', question: 'Was the TRON node lagging?' }),
  'cases.answerConsultation': () => ({ consultationId: B.consultation, answer: 'Yes, 2 hours behind.' }),
  'cases.logCommunication': () => ({ caseId: B.received, direction: 'outbound', channel: 'email', body: 'We are checking your deposit.' }),
  'cases.setAssessment': () => ({ caseId: B.assessment, platformShare: '60', userShare: '40', thirdPartyShare: '0', findings: 'Node lag.' }),
  'cases.proposeRemedy': () => ({ caseId: B.assessment, kind: 'refund', asset: 'BTC', amount: '0.5', details: 'Refund.' }),
  'cases.withdrawRemedy': () => ({ remedyId: B.remedy }),
  'cases.recordSatisfaction': () => ({ caseId: B.received, score: 5, comment: 'Fast.' }),
  // A complainant nobody has filed for: the valid input must not recuse anyone from the cases used here.
  'cases.recordRelation': () => ({ userId: server.users.legal.id, exchangeUid: 'uid-nobody-filed', relation: 'former colleague' }),
  'cases.slaDueSoon': () => ({ withinMinutes: 30 }),
  'rules.setTieringRules': () => ({ rules: [validRule] }),
  'rules.setSlaPolicy': () => ({ tier: 'L2', priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 1440 }),
  'rules.setApprovalThreshold': () => ({ thresholdUsd: '10000' }),
  'rules.setAssetRate': () => ({ asset: 'BTC', effectiveAt: '2026-01-01T00:00:00Z', usdRate: '95000' }),
};
/** Bad variants of each procedure's valid input, with the field the error must name. */
const { rows, bad } = badInputTable(base);

// cases.create (the same body as REST intake)
bad('cases.create', 'no body at all', () => undefined, '(body)', 'validation.required');
bad('cases.create', 'externalRef as a number', { externalRef: 42 }, 'externalRef', 'validation.invalid_type');
bad('cases.create', 'externalRef with a space', { externalRef: 'ticket 7' }, 'externalRef', 'validation.external_ref_format');
bad('cases.create', 'complainant missing', { complainant: undefined }, 'complainant');
bad('cases.create', 'complainant.exchangeUid missing', () => complainantPatch({ exchangeUid: undefined }), 'complainant.exchangeUid');
bad('cases.create', 'unknown complainant field', () => complainantPatch({ password: 'hunter2' }), 'complainant.password', 'validation.unknown_field');
bad('cases.create', 'complainant email not an email', () => complainantPatch({ email: 'zhao.lei at example' }), 'complainant.email', 'validation.format.email');
bad('cases.create', 'vipLevel 10', () => complainantPatch({ vipLevel: 10 }), 'complainant.vipLevel', 'validation.too_large');
bad('cases.create', 'vipLevel as text', () => complainantPatch({ vipLevel: 'gold' }), 'complainant.vipLevel', 'validation.invalid_type');
bad('cases.create', 'language klingon', () => complainantPatch({ language: 'tlh' }), 'complainant.language', 'validation.invalid_enum');
bad('cases.create', 'channel pigeon', { channel: 'carrier_pigeon' }, 'channel', 'validation.invalid_enum');
bad('cases.create', 'category bitcoin_airdrop', { category: 'bitcoin_airdrop' }, 'category', 'validation.invalid_enum');
bad('cases.create', 'subcategory of another category', { subcategory: 'account_frozen' }, 'subcategory', 'validation.subcategory_mismatch');
bad('cases.create', 'description of 20,001 characters', { description: long(20_001) }, 'description', 'validation.too_long');
bad('cases.create', 'description only spaces', { description: '   ' }, 'description', 'validation.required');
bad('cases.create', 'description with a NUL character', { description: 'deposit\u0000lost' }, 'description', 'validation.nul_character');
for (const amount of ['1e5', '-0', 'NaN', FORTY_DIGITS, '0', '.5', '5.', '0x10', '1,000', '+5', '1.0000000000000000001', ' 5'])
  bad('cases.create', `amount ${JSON.stringify(amount.length > 20 ? `${amount.length} digits` : amount)}`, () => withAmount(amount), 'amounts.0.amount');
bad('cases.create', 'amount as a JSON number', () => withAmount(5000), 'amounts.0.amount');
bad('cases.create', 'asset in lower case', { amounts: [{ asset: 'usdt', amount: '5' }] }, 'amounts.0.asset', 'validation.asset_format');
bad('cases.create', 'unknown amount field', { amounts: [{ asset: 'USDT', amount: '5', usd: '5' }] }, 'amounts.0.usd', 'validation.unknown_field');
bad('cases.create', 'the same asset twice', { amounts: [{ asset: 'USDT', amount: '5' }, { asset: 'USDT', amount: '6' }] }, 'amounts.1.asset', 'validation.duplicate_asset');
bad('cases.create', 'amounts not a list', { amounts: 'lots' }, 'amounts', 'validation.invalid_type');
bad('cases.create', '21 amounts', { amounts: Array.from({ length: 21 }, (_, i) => ({ asset: `A${String(i).padStart(2, '0')}`, amount: '1' })) }, 'amounts', 'validation.too_many');
bad('cases.create', 'occurredAt in words', { occurredAt: 'yesterday' }, 'occurredAt', 'validation.format.datetime');
bad('cases.create', 'occurredAt without a time zone', { occurredAt: '2026-02-10T03:15:00' }, 'occurredAt', 'validation.format.datetime');
bad('cases.create', 'urgent as text', { urgent: 'yes' }, 'urgent', 'validation.invalid_type');
bad('cases.create', 'unknown field', { priority: 'urgent' }, 'priority', 'validation.unknown_field');

// cases.list
bad('cases.list', 'status lost', { status: ['lost'] }, 'status.0', 'validation.invalid_enum');
bad('cases.list', 'status not a list', { status: 'received' }, 'status');
bad('cases.list', 'category bitcoin_airdrop', { category: 'bitcoin_airdrop' }, 'category', 'validation.invalid_enum');
bad('cases.list', 'tier L9', { tier: 'L9' }, 'tier', 'validation.invalid_enum');
bad('cases.list', 'assigneeId me', { assigneeId: 'me' }, 'assigneeId', 'validation.format.uuid');
bad('cases.list', 'search of 201 characters', { search: long(201) }, 'search', 'validation.too_long');
bad('cases.list', 'limit 0', { limit: 0 }, 'limit', 'validation.too_small');
bad('cases.list', 'limit 201', { limit: 201 }, 'limit', 'validation.too_large');
bad('cases.list', 'limit as text', { limit: '50' }, 'limit', 'validation.invalid_type');
bad('cases.list', 'offset -1', { offset: -1 }, 'offset', 'validation.too_small');
bad('cases.list', 'unknown field', { teamId: randomUUID() }, 'teamId', 'validation.unknown_field');

// cases.get, cases.timeline, cases.complainantPii
for (const proc of ['cases.get', 'cases.timeline', 'cases.complainantPii']) {
  bad(proc, 'caseId a case number', { caseId: 'ARB-2026-000001' }, 'caseId', 'validation.format.uuid');
  bad(proc, 'caseId a number', { caseId: 42 }, 'caseId');
  bad(proc, 'caseId missing', { caseId: undefined }, 'caseId');
  bad(proc, 'unknown field', { withPii: true }, 'withPii', 'validation.unknown_field');
}

// cases.classify
bad('cases.classify', 'caseId not a uuid', { caseId: 'abc' }, 'caseId', 'validation.format.uuid');
bad('cases.classify', 'tier L4', { tier: 'L4' }, 'tier', 'validation.invalid_enum');
bad('cases.classify', 'priority lost', { priority: 'lost' }, 'priority', 'validation.invalid_enum');
bad('cases.classify', 'category bitcoin_airdrop', { category: 'bitcoin_airdrop' }, 'category', 'validation.invalid_enum');
bad('cases.classify', 'subcategory of another category', { subcategory: 'slippage' }, 'subcategory', 'validation.subcategory_mismatch');
bad('cases.classify', 'urgent as text', { urgent: 'very' }, 'urgent');
bad('cases.classify', 'unknown field', { teamId: randomUUID() }, 'teamId', 'validation.unknown_field');
bad('cases.classify', 'override reason of 2,001 characters', { overrideReason: '理'.repeat(2001) }, 'overrideReason', 'validation.too_long');
bad('cases.classify', 'override reason of spaces only', { overrideReason: '   ' }, 'overrideReason', 'validation.required');

// cases.assign
bad('cases.assign', 'assigneeId a name', { assigneeId: 'bob' }, 'assigneeId', 'validation.format.uuid');
bad('cases.assign', 'teamId not a uuid', { teamId: 'trade-team' }, 'teamId', 'validation.format.uuid');
bad('cases.assign', 'assigneeId missing', { assigneeId: undefined }, 'assigneeId');
bad('cases.assign', 'unknown field', { note: 'please' }, 'note', 'validation.unknown_field');

// cases.transition
bad('cases.transition', 'action teleport', { action: 'teleport' }, 'action', 'validation.invalid_enum');
bad('cases.transition', 'expectedStatus lost', { expectedStatus: 'lost' }, 'expectedStatus', 'validation.invalid_enum');
bad('cases.transition', 'expectedStatus missing', { expectedStatus: undefined }, 'expectedStatus', 'validation.required');
bad('cases.transition', 'reason of 5,001 characters', { reason: long(5001) }, 'reason', 'validation.too_long');
bad('cases.transition', 'reason as a number', { reason: 42 }, 'reason', 'validation.invalid_type');
bad('cases.transition', 'panelSize 2', { panelSize: 2 }, 'panelSize');
bad('cases.transition', 'caseId not a uuid', { caseId: 'ARB-2026-000001' }, 'caseId', 'validation.format.uuid');
bad('cases.transition', 'unknown field', { force: true }, 'force', 'validation.unknown_field');

// cases.addNote
bad('cases.addNote', 'note of 20,001 characters', { body: long(20_001) }, 'body', 'validation.too_long');
bad('cases.addNote', 'empty note', { body: '' }, 'body', 'validation.required');
bad('cases.addNote', 'note as a number', { body: 42 }, 'body', 'validation.invalid_type');
bad('cases.addNote', 'note with a bell character', { body: 'ding\u0007' }, 'body', 'validation.control_characters');
bad('cases.addNote', 'note missing', { body: undefined }, 'body', 'validation.required');
bad('cases.addNote', 'caseId not a uuid', { caseId: 'x' }, 'caseId', 'validation.format.uuid');
bad('cases.addNote', 'unknown field', { pinned: true }, 'pinned', 'validation.unknown_field');

// cases.addConsultation / answerConsultation / logCommunication
bad('cases.addConsultation', 'team marketing', { team: 'marketing' }, 'team', 'validation.invalid_enum');
bad('cases.addConsultation', 'question of 10,001 characters', { question: long(10_001) }, 'question', 'validation.too_long');
bad('cases.addConsultation', 'question missing', { question: undefined }, 'question');
bad('cases.answerConsultation', 'consultationId not a uuid', { consultationId: 'q1' }, 'consultationId', 'validation.format.uuid');
bad('cases.answerConsultation', 'answer of 20,001 characters', { answer: long(20_001) }, 'answer', 'validation.too_long');
bad('cases.answerConsultation', 'blank answer', { answer: '  \n ' }, 'answer', 'validation.required');
bad('cases.answerConsultation', 'unknown field', { answeredBy: randomUUID() }, 'answeredBy', 'validation.unknown_field');
bad('cases.logCommunication', 'direction sideways', { direction: 'sideways' }, 'direction', 'validation.invalid_enum');
bad('cases.logCommunication', 'channel pigeon', { channel: 'carrier_pigeon' }, 'channel', 'validation.invalid_enum');
bad('cases.logCommunication', 'body of 20,001 characters', { body: long(20_001) }, 'body', 'validation.too_long');
bad('cases.logCommunication', 'unknown field', { at: '2026-01-01T00:00:00Z' }, 'at', 'validation.unknown_field');

// cases.setAssessment
bad('cases.setAssessment', 'shares 50 + 30 + 10', { platformShare: '50', userShare: '30', thirdPartyShare: '10' }, 'platformShare', 'validation.fault_shares_sum');
bad('cases.setAssessment', 'share 100.001', { platformShare: '100.001', userShare: '0', thirdPartyShare: '0' }, 'platformShare', 'validation.fault_share_format');
bad('cases.setAssessment', 'share 101', { platformShare: '101', userShare: '0', thirdPartyShare: '0' }, 'platformShare', 'validation.fault_share_format');
bad('cases.setAssessment', 'share -0', { platformShare: '100', userShare: '-0' }, 'userShare', 'validation.fault_share_format');
bad('cases.setAssessment', 'share NaN', { thirdPartyShare: 'NaN' }, 'thirdPartyShare', 'validation.fault_share_format');
bad('cases.setAssessment', 'share 1e2', { platformShare: '1e2', userShare: '0' }, 'platformShare', 'validation.fault_share_format');
bad('cases.setAssessment', 'share as a number', { platformShare: 60 }, 'platformShare', 'validation.invalid_type');
bad('cases.setAssessment', 'thirdPartyKind alien', { thirdPartyKind: 'alien' }, 'thirdPartyKind', 'validation.invalid_enum');
bad('cases.setAssessment', 'findings of 50,001 characters', { findings: long(50_001) }, 'findings', 'validation.too_long');
bad('cases.setAssessment', 'findings missing', { findings: undefined }, 'findings', 'validation.required');
bad('cases.setAssessment', 'unknown field', { approvedBy: randomUUID() }, 'approvedBy', 'validation.unknown_field');

// cases.proposeRemedy
bad('cases.proposeRemedy', 'kind bitcoin_airdrop', { kind: 'bitcoin_airdrop' }, 'kind', 'validation.invalid_enum');
for (const amount of ['1e5', '-0', 'NaN', FORTY_DIGITS, '0', '-1'])
  bad('cases.proposeRemedy', `amount ${JSON.stringify(amount.length > 20 ? `${amount.length} digits` : amount)}`, { amount }, 'amount');
bad('cases.proposeRemedy', 'amount as a JSON number', { amount: 0.5 }, 'amount', 'validation.invalid_type');
bad('cases.proposeRemedy', 'asset in lower case', { asset: 'btc' }, 'asset', 'validation.asset_format');
bad('cases.proposeRemedy', 'refund without an amount', { amount: undefined }, 'amount', 'validation.remedy_amount_required');
bad('cases.proposeRemedy', 'refund without an asset', { asset: undefined }, 'asset', 'validation.remedy_amount_required');
bad('cases.proposeRemedy', 'a warning with an amount', { kind: 'warning' }, 'amount', 'validation.remedy_amount_not_allowed');
bad('cases.proposeRemedy', 'details of 10,001 characters', { details: long(10_001) }, 'details', 'validation.too_long');
bad('cases.proposeRemedy', 'unknown field', { usdValue: '1' }, 'usdValue', 'validation.unknown_field');

// cases.withdrawRemedy / recordSatisfaction / recordRelation / slaDueSoon
bad('cases.withdrawRemedy', 'remedyId not a uuid', { remedyId: 'r1' }, 'remedyId', 'validation.format.uuid');
bad('cases.withdrawRemedy', 'remedyId missing', { remedyId: undefined }, 'remedyId');
bad('cases.withdrawRemedy', 'unknown field', { reason: 'changed my mind' }, 'reason', 'validation.unknown_field');
bad('cases.recordSatisfaction', 'score 6', { score: 6 }, 'score', 'validation.too_large');
bad('cases.recordSatisfaction', 'score 0', { score: 0 }, 'score', 'validation.too_small');
bad('cases.recordSatisfaction', 'score 4.5', { score: 4.5 }, 'score', 'validation.invalid_type');
bad('cases.recordSatisfaction', 'score as text', { score: '5' }, 'score', 'validation.invalid_type');
bad('cases.recordSatisfaction', 'comment of 5,001 characters', { comment: long(5001) }, 'comment', 'validation.too_long');
bad('cases.recordRelation', 'userId not a uuid', { userId: 'specialist' }, 'userId', 'validation.format.uuid');
bad('cases.recordRelation', 'exchangeUid with a space', { exchangeUid: 'uid bad' }, 'exchangeUid', 'validation.exchange_uid_format');
bad('cases.recordRelation', 'empty relation', { relation: '' }, 'relation', 'validation.required');
bad('cases.recordRelation', 'relation of 501 characters', { relation: long(501) }, 'relation', 'validation.too_long');
bad('cases.recordRelation', 'unknown field', { since: '2020' }, 'since', 'validation.unknown_field');
bad('cases.slaDueSoon', 'withinMinutes -1', { withinMinutes: -1 }, 'withinMinutes', 'validation.too_small');
bad('cases.slaDueSoon', 'withinMinutes beyond a week', { withinMinutes: 7 * 24 * 60 + 1 }, 'withinMinutes', 'validation.too_large');
bad('cases.slaDueSoon', 'withinMinutes as text', { withinMinutes: 'soon' }, 'withinMinutes', 'validation.invalid_type');
bad('cases.slaDueSoon', 'withinMinutes 1.5', { withinMinutes: 1.5 }, 'withinMinutes');
bad('cases.slaDueSoon', 'withinMinutes missing', { withinMinutes: undefined }, 'withinMinutes', 'validation.required');
bad('cases.slaDueSoon', 'unknown field', { teamId: randomUUID() }, 'teamId', 'validation.unknown_field');

// rules.*
bad('rules.setTieringRules', 'rules not a list', { rules: 'all' }, 'rules');
bad('rules.setTieringRules', 'tier L9', { rules: [{ ...validRule, then: { tier: 'L9', priority: 'normal' } }] }, 'rules.0.then.tier');
bad('rules.setTieringRules', 'minUsd 1e5', { rules: [{ ...validRule, when: { minUsd: '1e5' } }] }, 'rules.0.when.minUsd');
bad('rules.setTieringRules', 'minUsd -0', { rules: [{ ...validRule, when: { minUsd: '-0' } }] }, 'rules.0.when.minUsd');
bad('rules.setTieringRules', 'category bitcoin_airdrop', { rules: [{ ...validRule, when: { categories: ['bitcoin_airdrop'] } }] }, 'rules.0.when.categories.0');
bad('rules.setTieringRules', 'two rules with one id', { rules: [validRule, { ...validRule, order: 2 }] }, 'rules.1.id');
bad('rules.setTieringRules', 'unknown condition', { rules: [{ ...validRule, when: { minUSD: '1' } }] }, 'rules.0.when.minUSD', 'rules.unknown_field');
bad('rules.setTieringRules', 'unknown field', { dryRun: true }, 'dryRun', 'validation.unknown_field');
bad('rules.setSlaPolicy', 'tier L4', { tier: 'L4' }, 'tier', 'rules.sla.tier_invalid');
bad('rules.setSlaPolicy', 'priority lost', { priority: 'lost' }, 'priority', 'rules.sla.priority_invalid');
bad('rules.setSlaPolicy', 'firstResponseMinutes 0', { firstResponseMinutes: 0 }, 'firstResponseMinutes');
bad('rules.setSlaPolicy', 'firstResponseMinutes 1.5', { firstResponseMinutes: 1.5 }, 'firstResponseMinutes');
bad('rules.setSlaPolicy', 'firstResponseMinutes as text', { firstResponseMinutes: '60' }, 'firstResponseMinutes');
bad('rules.setSlaPolicy', 'resolution beyond a year', { resolutionMinutes: 525_601 }, 'resolutionMinutes');
bad('rules.setSlaPolicy', 'resolution shorter than first response', { firstResponseMinutes: 120, resolutionMinutes: 60 }, 'resolutionMinutes');
bad('rules.setSlaPolicy', 'unknown field', { note: 'faster' }, 'note', 'rules.unknown_field');
for (const thresholdUsd of ['1e5', '-0', 'NaN', FORTY_DIGITS, '-5', '10,000'])
  bad('rules.setApprovalThreshold', `threshold ${JSON.stringify(thresholdUsd.length > 20 ? `${thresholdUsd.length} digits` : thresholdUsd)}`, { thresholdUsd }, 'thresholdUsd');
bad('rules.setApprovalThreshold', 'threshold as a JSON number', { thresholdUsd: 10000 }, 'thresholdUsd', 'validation.invalid_type');
bad('rules.setApprovalThreshold', 'threshold missing', { thresholdUsd: undefined }, 'thresholdUsd', 'validation.required');
bad('rules.setAssetRate', 'asset bitcoin', { asset: 'bitcoin' }, 'asset', 'validation.asset_format');
bad('rules.setAssetRate', 'usdRate -1', { usdRate: '-1' }, 'usdRate');
bad('rules.setAssetRate', 'usdRate 1e3', { usdRate: '1e3' }, 'usdRate');
bad('rules.setAssetRate', 'usdRate 40 digits', { usdRate: FORTY_DIGITS }, 'usdRate', 'validation.amount_too_many_digits');
bad('rules.setAssetRate', 'effectiveAt now', { effectiveAt: 'now' }, 'effectiveAt', 'validation.format.datetime');
bad('rules.setAssetRate', 'unknown field', { source: 'coingecko' }, 'source', 'validation.unknown_field');

// ---- what "nothing written" means ----------------------------------------------------------
interface Snapshot {
  version: string;
  audit: string;
  relations: string;
  relationsAt: string | null;
  pii: string;
  piiAt: string | null;
  settings: string;
  sessions: string;
}
/** Every synced table bumps one sequence on insert or update; the rest are counted or hashed. */
async function snapshot(): Promise<Snapshot> {
  const r = await sql<Snapshot>`
    select (select last_value::text from change_version) as version,
           (select count(*)::text from audit_log) as audit,
           (select count(*)::text from handler_relations) as relations,
           (select max(recorded_at)::text from handler_relations) as "relationsAt",
           (select count(*)::text from complainant_pii) as pii,
           (select max(updated_at)::text from complainant_pii) as "piiAt",
           (select coalesce(string_agg(key || '=' || value::text || '@' || updated_at::text, ';' order by key), '') from settings) as settings,
           (select count(*)::text from sessions) as sessions`.execute(db());
  return r.rows[0]!;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLES) {
    const token = await server.login(role);
    tokens[role] = token;
    zh[role] = server.client(token, 'zh-CN');
    en[role] = server.client(token, 'en');
  }
  B.received = (await en.specialist.cases.create.mutate(complaint() as Parameters<typeof en.specialist.cases.create.mutate>[0])).id;
  const a = (await en.specialist.cases.create.mutate(complaint() as Parameters<typeof en.specialist.cases.create.mutate>[0])).id;
  await en.specialist.cases.transition.mutate({ caseId: a, action: 'start_review', expectedStatus: 'received' });
  await en.specialist.cases.classify.mutate({ caseId: a, category: 'deposit_withdrawal', subcategory: 'deposit_not_credited', tier: 'L2', priority: 'normal' });
  await en.specialist.cases.transition.mutate({ caseId: a, action: 'accept', expectedStatus: 'initial_review' });
  await en.specialist.cases.transition.mutate({ caseId: a, action: 'complete_investigation', expectedStatus: 'investigation' });
  B.assessment = a;
  B.consultation = (await en.specialist.cases.addConsultation.mutate({ caseId: a, team: 'risk', question: 'Any AML flags?' })).id;
  B.remedy = (await en.specialist.cases.proposeRemedy.mutate({ caseId: a, kind: 'technical_support', details: 'Manual credit.' })).id;
});

afterAll(async () => {
  await server?.close();
});

describe('bad input to cases.* and rules.*', () => {
  it('covers every procedure that takes input', () => {
    expect(new Set(rows.map((r) => r.proc))).toEqual(new Set(Object.keys(base)));
  });

  it.each(rows.map((r) => [`${r.proc}: ${r.label}`, r] as const))('%s → 400 naming the field, in Chinese, nothing written', async (_name, r) => {
    const before = await snapshot();
    // Generic validation keys, or a rule schema's own, more specific message.
    expectBadInputInChinese(await failure(call(zh[roleFor(r.proc)], r.proc, r.input())), r, r.proc.startsWith('rules.') ? /^(validation|rules)\./ : /^validation\./);
    expect(await snapshot()).toEqual(before);
  });

  it('answers in English to an English reader', async () => {
    const err = await failure(en.specialist.cases.addNote.mutate({ caseId: B.received, body: long(20_001) }));
    expect(err).toMatchObject({ httpStatus: 400, messageKey: 'validation.too_long', field: 'body' });
    expect((err as unknown as { issues: { message: string }[] }).issues[0]!.message).toBe('Too long: at most 20000 characters.');
    const zhErr = await failure(zh.specialist.cases.addNote.mutate({ caseId: B.received, body: long(20_001) }));
    expect((zhErr as unknown as { issues: { message: string }[] }).issues[0]!.message).toBe('过长：最多 20000 个字符。');
  });

  it('fills the placeholders of the headline message (the maximum length)', async () => {
    const err = await failure(zh.specialist.cases.addNote.mutate({ caseId: B.received, body: long(20_001) }));
    expect(err.message).toBe('过长：最多 20000 个字符。');
  });

  // rules.* schemas carry their own messages, which say what the field must be.
  it('reports an SLA policy minute count sent as text with the rule’s own message, not as missing', async () => {
    const err = await failure(en.admin.rules.setSlaPolicy.mutate({ tier: 'L2', priority: 'normal', firstResponseMinutes: '60' as never, resolutionMinutes: 90 }));
    expect(err).toMatchObject({ field: 'firstResponseMinutes', messageKey: 'rules.sla.first_response_minutes_range' });
    const order = await failure(en.admin.rules.setSlaPolicy.mutate({ tier: 'L2', priority: 'normal', firstResponseMinutes: 120, resolutionMinutes: 90 }));
    expect(order.messageKey).toBe('rules.sla.resolution_before_first_response');
  });

  it('refuses a body that is not JSON with a 400, not a 500', async () => {
    const before = await snapshot();
    const res = await fetch(`${server.url}/trpc/cases.addNote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.specialist}`, 'accept-language': 'zh-CN', ...CSRF_HEADERS },
      body: `{"caseId": "${B.received}", "body": `,
    });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: { data: { messageKey: string; httpStatus: number }; message: string } };
    expect(json.error.data.httpStatus).toBe(400);
    expect(json.error.data.messageKey).not.toBe('error.internal');
    expect(json.error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await snapshot()).toEqual(before);
  });

});

describe('input that passes the schema but cannot be recorded', () => {
  const THIRTY_NINES = '9'.repeat(30);

  it('a claim worth 10^30 USD or more is refused with the amount named, not a 500, and nothing is written', async () => {
    const before = await snapshot();
    const one = await failure(zh.specialist.cases.create.mutate(w(complaint(), { amounts: [{ asset: 'USDT', amount: '1' }, { asset: 'BTC', amount: THIRTY_NINES }] }) as never));
    expect(one).toMatchObject({ httpStatus: 400, code: 'BAD_REQUEST', field: 'amounts.1.amount', messageKey: 'intake.amount_value_too_large' });
    expect(one.message).toMatch(/[\u4e00-\u9fff]/);
    // Each fits on its own, their sum (the case's USD equivalent) does not.
    const sum = await failure(zh.specialist.cases.create.mutate(w(complaint(), { amounts: [{ asset: 'USDT', amount: THIRTY_NINES }, { asset: 'USDC', amount: THIRTY_NINES }] }) as never));
    expect(sum).toMatchObject({ httpStatus: 400, field: 'amounts', messageKey: 'intake.amount_value_too_large' });
    expect(await snapshot()).toEqual(before);
    // The largest amount whose USD value fits is taken.
    const fits = await en.specialist.cases.create.mutate(w(complaint(), { amounts: [{ asset: 'USDT', amount: THIRTY_NINES }] }) as never);
    expect((await en.specialist.cases.get.query({ caseId: fits.id })).usdEquivalent).toBe(THIRTY_NINES);
  });

  it('a remedy worth 10^30 USD or more is refused with the amount named, not a 500', async () => {
    const before = await snapshot();
    const err = await failure(zh.specialist.cases.proposeRemedy.mutate({ caseId: B.assessment, kind: 'compensation', asset: 'BTC', amount: THIRTY_NINES, details: 'x' }));
    expect(err).toMatchObject({ httpStatus: 400, code: 'BAD_REQUEST', field: 'amount', messageKey: 'intake.amount_value_too_large' });
    expect(await snapshot()).toEqual(before);
  });
});

// Last: these calls succeed and change the data the rows above point at.
describe('the valid inputs the bad ones were made from', () => {
  it('pass validation', async () => {
    // Proves each refusal above was for the fault it names, not for something else in the input.
    for (const proc of Object.keys(base)) {
      try {
        await call(en[roleFor(proc)], proc, base[proc]!());
      } catch (error) {
        const err = await failure(Promise.reject(error));
        expect(`${proc}: ${err.messageKey}`).not.toMatch(/: validation\./);
        expect(err.httpStatus).not.toBe(500);
      }
    }
  });
});
