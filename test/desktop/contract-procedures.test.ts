// Every procedure of the workstation contract over both carriers — loopback HTTP + SSE (real tRPC
// client, cookie and Origin as a browser sends them) and Electron IPC (main-side handler, the real
// preload, the renderer's link; only Electron faked) — against the real engine (desktop/main/workstation)
// synced with a real test server and real Postgres: valid calls answer, the subscription delivers, and
// bad input to every procedure that takes input is answered 400 with the translated message key and
// the field, with nothing written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TRPCClientError } from '@trpc/client';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../support/server';
import { postComplaint, validComplaint } from '../support/intake';
import { createIntakeKey } from '../../server/src/intake/intake-keys.repository';
import { openWorkstation } from '../../desktop/main/workstation';
import { FileKeyProvider } from '../../desktop/main/key-provider';
import { CASE_MUTATION_NAMES } from '../../desktop/contract/schemas';
import { workstationRouter } from '../../desktop/main/contract/router';
import type { WorkstationEvent } from '../../desktop/contract/types';
import { translate } from '../../shared/i18n';
import { fakeElectronIpc, openHttpCarrier, openIpcCarrier, type ContractClient } from './contract-carriers';

const electron = vi.hoisted(() => ({ current: null as unknown as ReturnType<typeof import('./contract-carriers').fakeElectronIpc> }));
vi.mock('electron', () => ({
  get contextBridge() {
    return electron.current.contextBridge;
  },
  get ipcRenderer() {
    return electron.current.ipcRenderer;
  },
}));

let server: TestServer;
let dataDir: string;
let engine: Awaited<ReturnType<typeof openWorkstation>>;
let caseId: string;
const carriers: Record<'http' | 'ipc', { client: ContractClient; close(): unknown }> = {} as never;

const until = async <T>(probe: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

beforeAll(async () => {
  server = await startTestServer();
  const key = await createIntakeKey(server.t.db, { name: 'Helpdesk', defaultTeamId: server.teamId });
  const res = await postComplaint(server.url, key.key, validComplaint({ description: '提现一直没有到账，客服也不回复。Withdrawal never arrived.' }));
  expect(res.status).toBe(201);
  caseId = (await server.t.db.selectFrom('cases').select('id').executeTakeFirstOrThrow()).id;
  // The specialist holds the case (assigned), so it is theirs to work.
  await server.t.db.updateTable('cases').set({ assignee_id: server.users.specialist.id }).where('id', '=', caseId).execute();

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arbitra-contract-'));
  engine = await openWorkstation({ dataDir, serverUrl: server.url, keys: new FileKeyProvider(dataDir), shell: 'browser', syncIntervalMs: 60_000 });
  carriers.http = await openHttpCarrier(engine, 'zh-CN');
  electron.current = fakeElectronIpc();
  carriers.ipc = await openIpcCarrier(engine, electron.current, 'zh-CN');
});

afterAll(async () => {
  await carriers.http?.close();
  carriers.ipc?.close();
  await engine?.close();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The error a call answered with (fails the test when it succeeded). */
async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to be refused').toBeInstanceOf(TRPCClientError);
  const e = error as TRPCClientError<never>;
  return { message: e.message, ...(e.data as unknown as { httpStatus: number; code: string; messageKey: string; field: string | null; params: Record<string, string>; requestId: string; issues: { field: string }[] }) };
}

/** A call that must not crash: its data, or a translated refusal below 500. */
async function answered(call: Promise<unknown>): Promise<{ ok: true; data: unknown } | { ok: false; messageKey: string; httpStatus: number }> {
  try {
    return { ok: true, data: await call };
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<never>).data as unknown as { httpStatus: number; messageKey: string; requestId: string; params: Record<string, string> };
    expect(data.httpStatus, data.messageKey).toBeLessThan(500);
    expect((error as Error).message).toBe(translate('zh-CN', data.messageKey, { ...data.params, requestId: data.requestId }));
    return { ok: false, messageKey: data.messageKey, httpStatus: data.httpStatus };
  }
}

const BAD_UUID = 'not-a-uuid';

/** One bad input per procedure that takes input, and the field it must name. */
const BAD_INPUT: Record<string, { input: () => unknown; field: string; key?: string }> = {
  'session.signIn': { input: () => ({ email: 'not an email', password: 'x' }), field: 'email', key: 'validation.format.email' },
  'session.unlock': { input: () => ({ password: '' }), field: 'password', key: 'validation.required' },
  'session.setLanguage': { input: () => ({ language: 'fr' }), field: 'language' },
  'sync.setWorkOffline': { input: () => ({ workOffline: 'yes' }), field: 'workOffline' },
  'sync.dismiss': { input: () => ({ seq: 0 }), field: 'seq' },
  'sync.retry': { input: () => ({ seq: -1 }), field: 'seq' },
  'queue.list': { input: () => ({ filter: { vipMin: 5, vipMax: 1 } }), field: 'filter.vipMax', key: 'workstation.validation.range_reversed' },
  'queue.page': { input: () => ({ limit: 0 }), field: 'limit' },
  'queue.count': { input: () => ({ filter: { usdMin: 'lots' } }), field: 'filter.usdMin' },
  'queue.saveView': { input: () => ({ name: 'Mine', filter: {}, sort: { column: 'nope', direction: 'asc' } }), field: 'sort.column' },
  'queue.removeView': { input: () => ({ id: BAD_UUID }), field: 'id' },
  'cases.get': { input: () => ({ caseId: BAD_UUID }), field: 'caseId' },
  'cases.timeline': { input: () => ({ caseId, kinds: ['NOT A KIND'] }), field: 'kinds.0', key: 'workstation.validation.event_kind' },
  'cases.work': { input: () => ({ caseId: BAD_UUID }), field: 'caseId' },
  'cases.markRead': { input: () => ({ caseId: BAD_UUID }), field: 'caseId' },
  'cases.revealPii': { input: () => ({ caseId: BAD_UUID }), field: 'caseId' },
  'cases.addNote': { input: () => ({ caseId, body: '' }), field: 'body' },
  'cases.addConsultation': { input: () => ({ caseId, team: 'marketing', question: 'Why?' }), field: 'team' },
  'cases.answerConsultation': { input: () => ({ consultationId: BAD_UUID, answer: 'Yes' }), field: 'consultationId' },
  'cases.logCommunication': { input: () => ({ caseId, direction: 'sideways', channel: 'email', body: 'Hello' }), field: 'direction' },
  'cases.setAssessment': { input: () => ({ caseId, platformShare: '50', userShare: '30', thirdPartyShare: '10', findings: 'x' }), field: 'platformShare' },
  'cases.proposeRemedy': { input: () => ({ caseId, kind: 'refund', amount: '1.5' }), field: 'asset', key: 'validation.remedy_amount_required' },
  'cases.withdrawRemedy': { input: () => ({ remedyId: BAD_UUID }), field: 'remedyId' },
  'cases.transition': { input: () => ({ caseId, action: 'teleport', expectedStatus: 'received' }), field: 'action' },
  'cases.classify': { input: () => ({ caseId, category: 'trade', subcategory: 'account_takeover', tier: 'L2', priority: 'high' }), field: 'subcategory', key: 'validation.subcategory_mismatch' },
  'cases.recordSatisfaction': { input: () => ({ caseId, score: 9 }), field: 'score' },
  'cases.updateCaseFields': { input: () => ({ caseId, fields: {} }), field: 'fields', key: 'validation.required' },
  'drafts.get': { input: () => ({ key: 'no key' }), field: 'key', key: 'workstation.validation.draft_key' },
  'drafts.save': { input: () => ({ key: 'no key', text: 'hello' }), field: 'key', key: 'workstation.validation.draft_key' },
  'drafts.clear': { input: () => ({ key: 'no key' }), field: 'key', key: 'workstation.validation.draft_key' },
  'supervisor.assignees': { input: () => ({ caseId: BAD_UUID }), field: 'caseId' },
  'supervisor.assign': { input: () => ({ caseId, assigneeId: BAD_UUID }), field: 'assigneeId' },
};

/** Calls `ns.name` by path with the procedure's own type. */
function call(client: ContractClient, proc: string, input?: unknown): Promise<unknown> {
  const [ns, name] = proc.split('.') as [string, string];
  const p = (client as unknown as Record<string, Record<string, { query(i: unknown): Promise<unknown>; mutate(i: unknown): Promise<unknown> }>>)[ns]![name]!;
  const type = (workstationRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)[proc]!._def.type;
  return type === 'query' ? p.query(input) : p.mutate(input);
}

it('the bad-input table covers every procedure that takes input', () => {
  const withInput = Object.entries(workstationRouter._def.procedures as unknown as Record<string, { _def: { inputs: unknown[]; type: string } }>)
    .filter(([, p]) => p._def.inputs.length > 0)
    .map(([name]) => name)
    .sort();
  expect(Object.keys(BAD_INPUT).sort()).toEqual(withInput);
  for (const m of CASE_MUTATION_NAMES) expect(BAD_INPUT[`cases.${m}`], m).toBeDefined();
});

describe.each(['http', 'ipc'] as const)('over %s', (carrierName) => {
  const client = () => carriers[carrierName].client;

  it('session: status, bad sign-in input while signed out, sign in (device registration), language', async () => {
    const c = client();
    const before = await c.session.status.query();
    expect(['signed_out', 'ready', 'locked']).toContain(before.state);
    for (const proc of ['session.signIn', 'session.unlock', 'session.setLanguage']) {
      const row = BAD_INPUT[proc]!;
      const e = await refusal(call(c, proc, row.input()));
      expect(e.httpStatus, proc).toBe(400);
      expect(e.field, proc).toBe(row.field);
      if (row.key) expect(e.messageKey).toBe(row.key);
      expect(e.message).toBe(translate('zh-CN', e.messageKey, { ...e.params, requestId: e.requestId }));
    }
    expect((await c.session.status.query()).state).toBe(before.state);
    if (before.state !== 'ready') {
      const status = await c.session.signIn.mutate({ email: server.users.specialist.email, password: TEST_PASSWORD, deviceName: `contract-${carrierName}` });
      expect(status.state).toBe('ready');
      expect(status.user?.role).toBe('specialist');
      expect(status.device?.id).toBeTruthy();
    }
    await c.session.setLanguage.mutate({ language: 'zh-CN' });
  });

  it('sync: status, now, the case arrives, rejections, work offline on and off', async () => {
    const c = client();
    expect((await c.sync.status.query()).pending).toBeTypeOf('number');
    const page = await until(async () => {
      await c.sync.now.mutate();
      const p = await c.queue.list.query({ filter: {} });
      return p.rows.some((r) => r.id === caseId) ? p : null;
    });
    expect(page.total).toBeGreaterThan(0);
    expect(await c.sync.rejections.query()).toEqual(expect.any(Array));
    expect((await c.sync.setWorkOffline.mutate({ workOffline: true })).workOffline).toBe(true);
    expect((await c.sync.setWorkOffline.mutate({ workOffline: false })).workOffline).toBe(false);
    await answered(c.sync.dismiss.mutate({ seq: 999_999 }));
    expect(await answered(c.sync.retry.mutate({ seq: 999_999 }))).toMatchObject({ ok: false, httpStatus: 404 });
  });

  it('queue: list with a Chinese search, views saved and removed, directory', async () => {
    const c = client();
    const found = await c.queue.list.query({ filter: { search: '没有到账' } });
    expect(found.rows.map((r) => r.id)).toContain(caseId);
    // The page alone and its count apart (the queue screen's two steps) answer the same.
    const alone = await c.queue.page.query({ filter: { search: '没有到账' } });
    expect(alone).toEqual({ offset: found.offset, rows: found.rows });
    expect(await c.queue.count.query({ filter: { search: '没有到账' } })).toEqual({ total: found.total });
    const views = await c.queue.views.query();
    expect(views.length).toBeGreaterThan(0);
    const view = await c.queue.saveView.mutate({ name: `Mine ${carrierName}`, filter: { assignee: 'me' }, sort: { column: 'sla_due', direction: 'asc' } });
    expect((await c.queue.views.query()).map((v) => v.id)).toContain(view.id);
    await c.queue.removeView.mutate({ id: view.id });
    expect((await c.queue.views.query()).map((v) => v.id)).not.toContain(view.id);
    const directory = await c.queue.directory.query();
    expect(directory).toMatchObject({ users: expect.any(Array), teams: expect.any(Array) });
  });

  it('cases: get, timeline, work, markRead, revealPii, and a note that the subscription announces', async () => {
    const c = client();
    const events: WorkstationEvent[] = [];
    const sub = c.sync.events.subscribe(undefined, { onData: (e) => events.push(e as WorkstationEvent) });
    await until(async () => events.length >= 2);
    expect(events.slice(0, 2).map((e) => e.type).sort()).toEqual(['session', 'sync']);

    const view = await c.cases.get.query({ caseId });
    expect(view.id).toBe(caseId);
    expect(await c.cases.timeline.query({ caseId })).toEqual(expect.any(Array));
    expect(await c.cases.work.query({ caseId })).toMatchObject({ notes: expect.any(Array) });
    await c.cases.markRead.mutate({ caseId });
    await answered(c.cases.revealPii.mutate({ caseId }));

    const receipt = await c.cases.addNote.mutate({ caseId, body: `Note over ${carrierName}：已联系客户` });
    expect(receipt).toMatchObject({ saved: 'local', seq: expect.any(Number) });
    await until(async () => events.some((e) => e.type === 'changed'));
    const work = await c.cases.work.query({ caseId });
    expect(work.notes.map((n) => n.body)).toContain(`Note over ${carrierName}：已联系客户`);
    sub.unsubscribe();
  });

  it('every case mutation answers (a receipt, or the engine’s translated refusal), never a crash', async () => {
    const c = client();
    const valid: Record<string, unknown> = {
      addNote: { caseId, body: 'note' },
      addConsultation: { caseId, team: 'risk', question: '是否存在异常登录？' },
      answerConsultation: { consultationId: '00000000-0000-4000-8000-000000000001', answer: 'none' },
      logCommunication: { caseId, direction: 'outbound', channel: 'email', body: 'We are looking into it.' },
      setAssessment: { caseId, platformShare: '60', userShare: '40', thirdPartyShare: '0', findings: 'Delay on our side.' },
      proposeRemedy: { caseId, kind: 'compensation', asset: 'USDT', amount: '10.5', details: 'goodwill' },
      withdrawRemedy: { remedyId: '00000000-0000-4000-8000-000000000002' },
      transition: { caseId, action: 'start_review', expectedStatus: 'received' },
      classify: { caseId, category: 'deposit_withdrawal', subcategory: 'withdrawal_delayed', tier: 'L2', priority: 'high' },
      recordSatisfaction: { caseId, score: 4 },
      updateCaseFields: { caseId, fields: { next_action: 'Call back tomorrow' } },
    };
    for (const name of CASE_MUTATION_NAMES) {
      const result = await answered(call(c, `cases.${name}`, valid[name]));
      if (result.ok) expect(result.data, name).toMatchObject({ saved: 'local' });
    }
  });

  it('drafts: save, get, clear', async () => {
    const c = client();
    const key = `note:${caseId}`;
    await c.drafts.save.mutate({ key, text: '  草稿 draft  ' });
    expect((await c.drafts.get.query({ key }))?.text).toBe('  草稿 draft  ');
    await c.drafts.clear.mutate({ key });
    expect(await c.drafts.get.query({ key })).toBeNull();
  });

  it('supervisor procedures answer a specialist with a translated refusal or data, never a crash', async () => {
    const c = client();
    await answered(c.supervisor.overview.query());
    await answered(c.supervisor.assignees.query({ caseId }));
    await answered(c.supervisor.assign.mutate({ caseId, assigneeId: server.users.specialist.id }));
  });

  it('bad input to every procedure: 400, the translated message key and the field, nothing written', async () => {
    const c = client();
    const before = await c.sync.status.query();
    const workBefore = await c.cases.work.query({ caseId });
    const viewsBefore = await c.queue.views.query();
    const draftKey = `note:${caseId}`;
    for (const [proc, row] of Object.entries(BAD_INPUT)) {
      if (proc === 'session.signIn' || proc === 'session.unlock') continue; // checked signed out, above
      const e = await refusal(call(c, proc, row.input()));
      expect(e.httpStatus, proc).toBe(400);
      expect(e.code, proc).toBe('BAD_REQUEST');
      expect(e.field, proc).toBe(row.field);
      if (row.key) expect(e.messageKey, proc).toBe(row.key);
      else expect(e.messageKey, proc).toMatch(/^(validation|workstation\.validation)\./);
      expect(e.message, proc).toBe(translate('zh-CN', e.messageKey, { ...e.params, requestId: e.requestId }));
      expect(e.message, proc).not.toBe(e.messageKey);
    }
    // Nothing was recorded: no new local change (the background sync may only have pushed earlier ones),
    // no row, no view, no draft.
    const after = await c.sync.status.query();
    expect(after.pending).toBeLessThanOrEqual(before.pending);
    const workAfter = await c.cases.work.query({ caseId });
    for (const k of ['notes', 'consultations', 'communications', 'remedies'] as const) expect(workAfter[k].length, k).toBe(workBefore[k].length);
    expect((await c.queue.views.query()).length).toBe(viewsBefore.length);
    expect(await c.drafts.get.query({ key: draftKey })).toBeNull();
  });

  it('sign out locks; unlock with the password opens again (bad unlock input refused while locked)', async () => {
    const c = client();
    expect((await c.session.signOut.mutate()).state).toBe('locked');
    expect((await refusal(c.queue.views.query())).messageKey).toBe('workstation.session.locked');
    const bad = await refusal(c.session.unlock.mutate({ password: '' }));
    expect(bad).toMatchObject({ httpStatus: 400, field: 'password' });
    expect((await c.session.unlock.mutate({ password: TEST_PASSWORD })).state).toBe('ready');
  });
});
